/**
 * The CPE alias rules (data/vuln/cpe-aliases.tsv; its header documents the format): a strict loader that reports
 * `file:line: reason` and refuses duplicates ("already covered by line N"), the text folding shared with the
 * matcher, and the phrase lookup that turns an attribute value into the rules it matches (longest phrase first).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCpe23, type CpeName } from './cpe.js';

/** The shipped rule file. */
export const CPE_ALIASES_PATH = fileURLToPath(new URL('../../../data/vuln/cpe-aliases.tsv', import.meta.url));

/** Rule kinds. */
export type AliasKind = 'vendor' | 'os' | 'software' | 'product';
const KINDS: readonly AliasKind[] = ['vendor', 'os', 'software', 'product'];

/** One rule. */
export interface AliasRule {
  kind: AliasKind;
  phrase: string;
  /** vendor rules: CPE vendor names. */
  vendors: string[];
  /** os/software/product rules: the CPE name prefix (missing components ANY). */
  cpe: CpeName | null;
  target: string;
  confidence: number;
  note: string;
  /** `file:line` of the rule. */
  where: string;
}

/** Loaded rules, indexed by kind. */
export interface AliasTable {
  rules: AliasRule[];
  byKind: Record<AliasKind, AliasRule[]>;
}

/** Text folded for matching: accents removed, lower-case, every run of non-alphanumerics one space, trimmed. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Parses rule text (`name` is used in error messages); throws an Error listing every bad line as `name:line: reason`. */
export function parseAliasRules(text: string, name: string): AliasTable {
  const rules: AliasRule[] = [];
  const errors: string[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('#')) return;
    const err = (why: string): void => {
      errors.push(`${name}:${line}: ${why}`);
    };
    const c = l.split('\t');
    if (c.length < 4 || c.length > 5) return err(`${c.length} columns (kind, phrase, target, confidence[, note])`);
    const [kind, phrase, target, conf, note] = c as [string, string, string, string, string | undefined];
    if (!KINDS.includes(kind as AliasKind)) return err(`unknown kind '${kind}'`);
    if (phrase === '' || foldText(phrase) !== phrase) return err(`phrase '${phrase}' is not folded (lower-case words separated by one space)`);
    const confidence = Number(conf);
    if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(conf) || !(confidence > 0)) return err(`confidence '${conf}' is not in (0, 1]`);
    const key = `${kind}\t${phrase}`;
    const dup = seen.get(key);
    if (dup !== undefined) return err(`'${kind} ${phrase}' already covered by line ${dup}`);
    let vendors: string[] = [];
    let cpe: CpeName | null = null;
    if (kind === 'vendor') {
      vendors = target.split(',');
      if (vendors.some((v) => !/^[a-z0-9][a-z0-9_.-]*$/.test(v))) return err(`vendor list '${target}' must be CPE vendor names separated by commas`);
    } else {
      const p = parseCpe23(target);
      if (!p.ok) return err(`target '${target}': ${p.error}`);
      if (p.value.vendor.kind !== 'value' || p.value.product.kind !== 'value') return err(`target '${target}' must name a vendor and a product`);
      cpe = p.value;
    }
    seen.set(key, line);
    rules.push({ kind: kind as AliasKind, phrase, vendors, cpe, target, confidence, note: note ?? '', where: `${name}:${line}` });
  });
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const byKind = { vendor: [], os: [], software: [], product: [] } as Record<AliasKind, AliasRule[]>;
  for (const r of rules) byKind[r.kind].push(r);
  for (const k of KINDS) byKind[k].sort((a, b) => b.phrase.length - a.phrase.length);
  return { rules, byKind };
}

let shipped: AliasTable | null = null;

/** The shipped rules (loaded once). */
export function loadCpeAliases(path = CPE_ALIASES_PATH): AliasTable {
  if (path !== CPE_ALIASES_PATH) return parseAliasRules(readFileSync(path, 'utf8'), path);
  shipped ??= parseAliasRules(readFileSync(path, 'utf8'), 'data/vuln/cpe-aliases.tsv');
  return shipped;
}

/** Words that may stand between two words of a phrase ("windows 7 professional 7601 service pack 1"). */
export const MAX_PHRASE_GAP = 3;

/**
 * Whether the phrase's words occur in the folded text as whole words, in order, with at most MAX_PHRASE_GAP other
 * words between two consecutive ones; returns the index of the first word, or -1.
 */
export function findPhrase(folded: string, phrase: string): number {
  const words = folded.split(' ');
  const want = phrase.split(' ');
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== want[0]) continue;
    let at = i;
    let k = 1;
    for (; k < want.length; k++) {
      let next = -1;
      for (let j = at + 1; j <= at + 1 + MAX_PHRASE_GAP && j < words.length; j++) {
        if (words[j] === want[k]) {
          next = j;
          break;
        }
      }
      if (next < 0) break;
      at = next;
    }
    if (k === want.length) return i;
  }
  return -1;
}

/** The rules of `kind` whose phrase occurs in `text`, longest phrase first; only the longest per target is kept. */
export function matchAliases(table: AliasTable, kind: AliasKind, text: string): AliasRule[] {
  const folded = foldText(text);
  if (folded === '') return [];
  const out: AliasRule[] = [];
  const covered: string[] = [];
  for (const r of table.byKind[kind]) {
    if (findPhrase(folded, r.phrase) < 0) continue;
    // a shorter phrase inside a longer one that matched ("windows 7" in "windows 7 service pack 1") adds nothing
    if (covered.some((p) => findPhrase(p, r.phrase) >= 0)) continue;
    covered.push(r.phrase);
    out.push(r);
  }
  return out;
}
