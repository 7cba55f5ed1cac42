/**
 * Typed loader for tshark-netbios.json (written by scripts/make-netbios-baselines.ts): tshark 4.0's NetBIOS name
 * service, datagram service and browser field values per capture and frame, and accessors that split tshark's
 * aggregated values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One capture of the baseline. */
export interface TsharkNetbiosCapture {
  sha256: string;
  size: number;
  selected_by: string;
  nbns_frames: number;
  nbdgm_frames: number;
  notes: string[];
  tshark_error?: string;
  /** Frame number → raw tshark strings for `fields[1..]` (trailing empty values dropped). */
  frames: Record<string, string[]>;
}

/** The whole baseline document. */
export interface TsharkNetbiosBaselines {
  generator: string;
  tshark_version: string;
  corpus: string;
  selection: string;
  commands: string[];
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  /** Field names; the first is frame.number (the key of `frames`). */
  fields: string[];
  totals: { captures: number; frames: number; nbns_frames: number; nbdgm_frames: number };
  captures: Record<string, TsharkNetbiosCapture>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The directory holding package.json, found by walking up from this module (works from src and dist). */
export function repoRoot(): string {
  let dir = here;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${here}`);
    dir = up;
  }
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function netbiosBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'netbios', 'tshark-netbios.json');
}

/** Absolute path of the shared corpus (`../shared/corpus` from the repository root). */
export function corpusRoot(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpus');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkNetbios(path: string = netbiosBaselinesPath()): TsharkNetbiosBaselines {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as TsharkNetbiosBaselines;
  const bad = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (!Array.isArray(doc.fields) || doc.fields[0] !== 'frame.number') bad('fields must start with frame.number');
  if (typeof doc.aggregator !== 'string' || doc.aggregator.length !== 1) bad('aggregator missing');
  if (typeof doc.captures !== 'object' || doc.captures === null) bad('captures missing');
  for (const [name, c] of Object.entries(doc.captures)) {
    if (typeof c.sha256 !== 'string' || typeof c.frames !== 'object') bad(`${name}: sha256/frames missing`);
    for (const [num, v] of Object.entries(c.frames)) {
      if (!/^\d+$/.test(num) || !Array.isArray(v) || v.length > doc.fields.length - 1) bad(`${name} frame ${num}: bad row`);
    }
  }
  return doc;
}

/** Accessors over one frame's row. */
export interface TsharkNetbiosFrame {
  /** The raw value ('' when tshark printed nothing); several occurrences stay joined with the aggregator. */
  get(field: string): string;
  /** The occurrences ([] when empty). */
  list(field: string): string[];
  /** The first occurrence ('' when empty). */
  first(field: string): string;
}

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkNetbiosBaselines): (row: string[]) => TsharkNetbiosFrame {
  const index = new Map(doc.fields.map((f, i) => [f, i - 1]));
  const sep = doc.aggregator;
  const col = (field: string): number => {
    const i = index.get(field);
    if (i === undefined || i < 0) throw new Error(`field ${field} is not in tshark-netbios.json (regenerate it?)`);
    return i;
  };
  return (row) => {
    const list = (field: string): string[] => {
      const v = row[col(field)] ?? '';
      return v === '' ? [] : v.split(sep);
    };
    return {
      get: (field) => row[col(field)] ?? '',
      list,
      first: (field) => list(field)[0] ?? '',
    };
  };
}
