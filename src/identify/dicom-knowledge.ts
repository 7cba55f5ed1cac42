/**
 * DICOM knowledge as data (data/dicom/, each file opening with its purpose, format, sources and licence), with a
 * strict loader and pure lookups:
 * - implementation-class-uids.tsv: Implementation Class UID roots → toolkit or vendor (longest whole-arc match);
 * - implementation-versions.tsv: Implementation Version Name patterns → product and version;
 * - sop-classes.tsv: SOP class UIDs → name, service, modality and device category.
 * A malformed line, a duplicate key ("already on line N") or an invalid pattern is an error naming `file:line`;
 * nothing is loaded half. Parsers never use this: identity collectors and reports do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureGroups } from '../knowledge/rule-file.js';
import { dataLines, unique } from '../knowledge/tsv-data.js';

/** The data directory (this file compiles to dist/src/identify/). */
export const DICOM_DATA_DIR = fileURLToPath(new URL('../../../data/dicom/', import.meta.url));

/** Who an Implementation Class UID root belongs to. */
export interface ImplementationRoot {
  root: string;
  kind: 'toolkit' | 'vendor';
  name: string;
  source: string;
  /** Where it was defined (file:line). */
  rule: string;
}

/** A product and version read from an Implementation Version Name. */
export interface VersionMatch {
  product: string;
  /** null when the name carries no version. */
  version: string | null;
  /** The pattern's file:line. */
  rule: string;
}

/** One SOP class. */
export interface SopClassInfo {
  uid: string;
  name: string;
  service: string;
  /** Modality defined term of the objects (storage classes), or null. */
  modality: string | null;
  /** The kind of device that creates them, or null. */
  device_category: string | null;
  rule: string;
}

interface VersionRule {
  pattern: RegExp;
  product: string;
  template: string | null;
  rule: string;
}

const UID_RE = /^[0-9]+(\.[0-9]+)*$/;
const SERVICES = new Set(['verification', 'storage', 'query_retrieve', 'worklist', 'mpps', 'storage_commitment', 'print', 'notification', 'ups', 'relevant_patient_info', 'event_logging', 'media_creation']);

let bundledKnowledge: DicomKnowledge | null = null;

/** The loaded knowledge with its lookups. */
export class DicomKnowledge {
  private constructor(
    private readonly roots: Map<string, ImplementationRoot>,
    private readonly versions: VersionRule[],
    private readonly sopClasses: Map<string, SopClassInfo>,
  ) {}

  /**
   * Parses the three files' texts (`names` label the errors).
   * @throws Error `file:line: reason` on the first malformed line or duplicate.
   */
  static parse(texts: { roots: string; versions: string; sopClasses: string }, names = { roots: 'implementation-class-uids.tsv', versions: 'implementation-versions.tsv', sopClasses: 'sop-classes.tsv' }): DicomKnowledge {
    const roots = new Map<string, ImplementationRoot>();
    const seenRoots = new Map<string, string>();
    for (const [at, [root, kind, name, source]] of dataLines(names.roots, texts.roots, 4)) {
      if (!UID_RE.test(root!)) throw new Error(`${at}: ${root} is not a UID root`);
      if (kind !== 'toolkit' && kind !== 'vendor') throw new Error(`${at}: kind ${kind} is neither toolkit nor vendor`);
      unique(seenRoots, root!, at, 'root');
      roots.set(root!, { root: root!, kind, name: name!, source: source!, rule: at });
    }
    const versions: VersionRule[] = [];
    const seenPatterns = new Map<string, string>();
    for (const [at, [pattern, product, template]] of dataLines(names.versions, texts.versions, 4)) {
      if (!pattern!.startsWith('^') || !pattern!.endsWith('$')) throw new Error(`${at}: pattern must be anchored with ^ and $`);
      unique(seenPatterns, pattern!, at, 'pattern');
      let re: RegExp;
      try {
        re = new RegExp(pattern!);
      } catch (e) {
        throw new Error(`${at}: invalid pattern: ${(e as Error).message}`);
      }
      const groups = captureGroups(pattern!); // (not by matching: that would compile the expression)
      for (const m of template!.matchAll(/\$(\d+)/g)) if (Number(m[1]) > groups || m[1] === '0') throw new Error(`${at}: template uses $${m[1]}, the pattern has ${groups} groups`);
      versions.push({ pattern: re, product: product!, template: template === '-' ? null : template!, rule: at });
    }
    const sopClasses = new Map<string, SopClassInfo>();
    const seenSop = new Map<string, string>();
    for (const [at, [uid, name, service, modality, category]] of dataLines(names.sopClasses, texts.sopClasses, 5)) {
      if (!UID_RE.test(uid!) || uid!.length > 64) throw new Error(`${at}: ${uid} is not a UID`);
      if (!SERVICES.has(service!)) throw new Error(`${at}: unknown service ${service}`);
      if (modality !== '-' && !/^[A-Z]{2,8}$/.test(modality!)) throw new Error(`${at}: modality ${modality} is not a defined term`);
      if (category !== '-' && !/^[a-z_]+$/.test(category!)) throw new Error(`${at}: device category ${category} is not snake_case`);
      unique(seenSop, uid!, at, 'SOP class');
      sopClasses.set(uid!, { uid: uid!, name: name!, service: service!, modality: modality === '-' ? null : modality!, device_category: category === '-' ? null : category!, rule: at });
    }
    return new DicomKnowledge(roots, versions, sopClasses);
  }

  /** Loads data/dicom/ (or `dir`). @throws Error `file:line: reason`. */
  static load(dir = DICOM_DATA_DIR): DicomKnowledge {
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return DicomKnowledge.parse({ roots: read('implementation-class-uids.tsv'), versions: read('implementation-versions.tsv'), sopClasses: read('sop-classes.tsv') });
  }

  /** The bundled knowledge (load() of data/dicom/), loaded once per process and shared (its lookups are pure). */
  static bundled(): DicomKnowledge {
    bundledKnowledge ??= DicomKnowledge.load();
    return bundledKnowledge;
  }

  /** The toolkit or vendor of an Implementation Class UID: the longest root equal to it or followed by "." in it. */
  implementation(uid: string): ImplementationRoot | null {
    let u = uid;
    for (;;) {
      const r = this.roots.get(u);
      if (r !== undefined) return r;
      const dot = u.lastIndexOf('.');
      if (dot <= 0) return null;
      u = u.slice(0, dot);
    }
  }

  /** The product and version of an Implementation Version Name (first pattern that matches), or null. */
  version(name: string): VersionMatch | null {
    for (const v of this.versions) {
      const m = v.pattern.exec(name);
      if (m === null) continue;
      const version = v.template === null ? null : v.template.replace(/\$(\d+)/g, (_, g: string) => m[Number(g)] ?? '');
      return { product: v.product, version, rule: v.rule };
    }
    return null;
  }

  /** A SOP class by UID, or null. */
  sopClass(uid: string): SopClassInfo | null {
    return this.sopClasses.get(uid) ?? null;
  }

  /** Every SOP class (for reports and tests). */
  allSopClasses(): SopClassInfo[] {
    return [...this.sopClasses.values()];
  }
}
