/**
 * The fingerprint knowledge base: every rule file of data/fingerprints/ (format: data/fingerprints/README.md),
 * loaded strictly — one error anywhere refuses the whole base, with every `file:line: reason` listed — and once
 * per process; rules are indexed by fact name. `claims(fact)` is the pure matcher: the attribute values every
 * matching rule derives from one fact, each carrying its rule (for the evidence trail).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandTemplate, type FingerprintRule, MAX_RULE_VALUE_CHARS, parseRuleFile } from './rule-file.js';
import { type DerivedAttribute, isDerivedAttribute, isDeviceCategory } from './vocabulary.js';

/** The bundled rule directory (this file compiles to dist/src/knowledge/). */
export const FINGERPRINT_DIR = fileURLToPath(new URL('../../../data/fingerprints/', import.meta.url));
/** Priority of a fact source no `@priority` directive names. */
export const DEFAULT_SOURCE_PRIORITY = 50;
/** Fact values longer than this are not run through regex rules (exact and prefix rules still apply). */
export const MAX_REGEX_INPUT_CHARS = 1024;

/** The knowledge base could not be loaded; `errors` holds every `file:line: reason`. */
export class KnowledgeBaseError extends Error {
  constructor(readonly errors: string[]) {
    super(`${errors[0] ?? 'fingerprint knowledge base: unknown error'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}\n${errors.slice(1).join('\n')}`);
  }
}

/** One raw fact of a device (an attribute row from an identity collector, an import, the OUI registry, …). */
export interface Fact {
  source: string;
  name: string;
  value: string;
  confidence: number;
  evidence: string | null;
  /** Time span in µs. */
  first: number;
  last: number;
}

/** One attribute value derived from (or, with `rule` null, directly stated by) one fact. */
export interface Claim {
  attribute: DerivedAttribute;
  value: string;
  confidence: number;
  /** The rule that derived it; null when the fact itself names the attribute (e.g. the OUI `vendor`). */
  rule: FingerprintRule | null;
  fact: Fact;
  /** Every value the same rule derived from the same fact (an os_version belongs with its os). */
  together: Partial<Record<DerivedAttribute, string>>;
}

/** Rules of one fact name. */
interface FactRules {
  exact: Map<string, FingerprintRule[]>;
  prefix: FingerprintRule[];
  regex: FingerprintRule[];
}

/** A loaded, indexed rule set. */
export class KnowledgeBase {
  private readonly index = new Map<string, FactRules>();

  /**
   * @param rules every rule, in file then line order
   * @param priorities rank of each fact source (higher wins a tie between equally confident values)
   * @param version short content hash of the rule files (recorded with derived attributes)
   */
  constructor(readonly rules: readonly FingerprintRule[], private readonly priorities: ReadonlyMap<string, number>, readonly version: string) {
    for (const r of rules) {
      let fr = this.index.get(r.fact);
      if (!fr) this.index.set(r.fact, (fr = { exact: new Map(), prefix: [], regex: [] }));
      if (r.kind === 'exact') {
        const list = fr.exact.get(r.pattern);
        if (list) list.push(r);
        else fr.exact.set(r.pattern, [r]);
      } else fr[r.kind].push(r);
    }
  }

  /** Rank of a fact source. */
  priority(source: string): number {
    return this.priorities.get(source) ?? DEFAULT_SOURCE_PRIORITY;
  }

  /** Fact names some rule matches. */
  factNames(): string[] {
    return [...this.index.keys()].sort();
  }

  /** Every claim the rules derive from one fact, plus the fact itself when it directly names a derived attribute. */
  claims(fact: Fact): Claim[] {
    const out: Claim[] = [];
    if (isDerivedAttribute(fact.name) && (fact.name !== 'category' || isDeviceCategory(fact.value))) {
      out.push({ attribute: fact.name, value: fact.value, confidence: fact.confidence, rule: null, fact, together: {} });
    }
    const fr = this.index.get(fact.name);
    if (!fr) return out;
    // indexed loops: no iterator result per rule in code that runs cold
    const exact = fr.exact.get(fact.value);
    if (exact !== undefined) for (let i = 0; i < exact.length; i++) if (applies(exact[i]!, fact)) derive(exact[i]!, NO_GROUPS, fact, out);
    for (let i = 0; i < fr.prefix.length; i++) {
      const r = fr.prefix[i]!;
      if (applies(r, fact) && fact.value.startsWith(r.pattern)) derive(r, NO_GROUPS, fact, out);
    }
    if (fact.value.length <= MAX_REGEX_INPUT_CHARS) {
      for (let i = 0; i < fr.regex.length; i++) {
        const r = fr.regex[i]!;
        if (!applies(r, fact)) continue;
        const m = r.regex!.exec(fact.value);
        if (m) derive(r, m, fact, out);
      }
    }
    return out;
  }
}

/** The groups of a rule without a regex. */
const NO_GROUPS: readonly (string | undefined)[] = [];

/** True when `r` applies to facts of this fact's source. */
function applies(r: FingerprintRule, fact: Fact): boolean {
  return r.source === null || r.source === fact.source;
}

/** Appends the claims of one matching rule (outputs whose groups did not take part are skipped). */
function derive(rule: FingerprintRule, groups: readonly (string | undefined)[], fact: Fact, out: Claim[]): void {
  const together: Partial<Record<DerivedAttribute, string>> = {};
  for (let i = 0; i < rule.outputs.length; i++) {
    const o = rule.outputs[i]!;
    const v = expandTemplate(o.value, groups)?.trim().slice(0, MAX_RULE_VALUE_CHARS);
    if (!v) continue;
    together[o.attribute] = v;
    out.push({ attribute: o.attribute, value: v, confidence: o.confidence, rule, fact, together });
  }
}

/** Builds a knowledge base from rule file texts; throws KnowledgeBaseError listing every problem. */
export function buildKnowledgeBase(files: readonly { name: string; text: string }[], label = ''): KnowledgeBase {
  const errors: string[] = [];
  const rules: FingerprintRule[] = [];
  const priorities = new Map<string, { priority: number; at: string }>();
  const seen = new Map<string, FingerprintRule>();
  const hash = createHash('sha256');
  const at = (s: string): string => (label ? `${label}/${s}` : s);
  for (const f of files) {
    hash.update(`${f.name}\0${f.text}\0`);
    const parsed = parseRuleFile(f.name, f.text);
    errors.push(...parsed.errors.map(at));
    for (const r of parsed.file.rules) {
      const key = `${r.source ?? '*'}\0${r.fact}\0${r.kind}\0${r.pattern}`;
      const prev = seen.get(key);
      if (prev) {
        errors.push(at(`${r.id}: duplicate rule: same fact, match and pattern as ${at(prev.id)}`));
        continue;
      }
      seen.set(key, r);
      rules.push(r);
    }
    for (const p of parsed.file.priorities) {
      const prev = priorities.get(p.source);
      if (prev) errors.push(at(`${p.at}: @priority ${p.source} already given at ${at(prev.at)}`));
      else priorities.set(p.source, { priority: p.priority, at: p.at });
    }
  }
  if (errors.length > 0) throw new KnowledgeBaseError(errors);
  return new KnowledgeBase(rules, new Map([...priorities].map(([s, p]) => [s, p.priority])), hash.digest('hex').slice(0, 12));
}

const loaded = new Map<string, KnowledgeBase>();

/** The rule directory in use: $MEDTAP_FINGERPRINTS (a site's own rule set), else the bundled one. */
export function fingerprintDir(): string {
  return process.env['MEDTAP_FINGERPRINTS'] || FINGERPRINT_DIR;
}

/** Loads (once per process and directory) every `*.fp` file of `dir`, in name order. Throws KnowledgeBaseError. */
export function loadKnowledgeBase(dir = fingerprintDir()): KnowledgeBase {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const label = relative(process.cwd(), dir).replace(/\/$/, '') || '.';
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.fp')).sort();
  } catch (err) {
    throw new KnowledgeBaseError([`${label}: cannot read the fingerprint directory: ${(err as Error).message}`]);
  }
  const kb = buildKnowledgeBase(names.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })), label);
  loaded.set(dir, kb);
  return kb;
}
