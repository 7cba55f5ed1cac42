/**
 * CPE 2.3 names: parsing of the formatted-string binding and name matching.
 *
 * - NISTIR 7695 (CPE Naming 2.3) §5.3 the WFN attributes and logical values ANY / NA; §6.2 the formatted string
 *   binding `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`,
 *   `*` alone = ANY, `-` alone = NA, `\` quotes the next character (`\:`, `\\`, `\/`, `\*`, `\?`, …), unquoted
 *   `*` (one, at either end) and `?` (one or more, at either end) are wildcards (§5.3.2).
 * - NISTIR 7696 (CPE Name Matching 2.3) §6.1 attribute comparison (Table 6-2: SUPERSET, SUBSET, EQUAL, DISJOINT,
 *   UNDEFINED; case-insensitive), §6.2 the name-level relations, §6.1.2 compare_strings for wildcard values
 *   (a leading/trailing run of n `?` matches up to n characters, `*` any number — as in its reference pseudocode).
 *
 * Values are kept unescaped (`tcp\/ip` → `tcp/ip`), so names compare on their meaning, not on their quoting.
 */

/** The eleven WFN attribute names, in formatted-string order. */
export const CPE_ATTRIBUTES = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'] as const;
/** One WFN attribute name. */
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/** Longest formatted string accepted (real NVD names are < 200 characters). */
export const MAX_CPE_LENGTH = 1024;

/** An attribute value: ANY, NA, or a literal value (lower-cased, unescaped) possibly with end wildcards. */
export type CpeValue =
  | { kind: 'any' }
  | { kind: 'na' }
  | { kind: 'value'; text: string; lead: Wildcard; trail: Wildcard };

/** A wildcard run at one end of a value: none, `*`, or n question marks. */
export type Wildcard = { star: boolean; q: number };

const NO_WILDCARD: Wildcard = { star: false, q: 0 };
/** The logical value ANY. */
export const ANY: CpeValue = { kind: 'any' };
/** The logical value NA. */
export const NA: CpeValue = { kind: 'na' };

/** A parsed CPE 2.3 name (a WFN). */
export type CpeName = Record<CpeAttribute, CpeValue>;

/** Parse result. */
export type CpeParse = { ok: true; value: CpeName } | { ok: false; error: string };

/** A literal value (no wildcards), lower-cased. */
export function cpeLiteral(text: string): CpeValue {
  return { kind: 'value', text: text.toLowerCase(), lead: NO_WILDCARD, trail: NO_WILDCARD };
}

/** Splits a formatted string on unquoted ':'; null when a trailing backslash quotes nothing. */
function splitUnquoted(s: string): string[] | null {
  const out: string[] = [];
  let cur = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      if (i + 1 >= s.length) return null;
      i++;
    } else if (c === 0x3a) {
      out.push(s.slice(cur, i));
      cur = i + 1;
    }
  }
  out.push(s.slice(cur));
  return out;
}

/** Unbinds one formatted-string component (NISTIR 7695 §6.2.3.2). */
export function parseCpeValue(raw: string): { ok: true; value: CpeValue } | { ok: false; error: string } {
  if (raw === '*') return { ok: true, value: ANY };
  if (raw === '-') return { ok: true, value: NA };
  if (raw === '') return { ok: false, error: 'empty component' };
  let text = '';
  const lead = { star: false, q: 0 };
  const trail = { star: false, q: 0 };
  let literalSeen = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    const code = ch.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f) return { ok: false, error: `control or space character at ${i}` };
    if (ch === '\\') {
      if (i + 1 >= raw.length) return { ok: false, error: 'backslash at end' };
      if (trail.star || trail.q > 0) return { ok: false, error: 'wildcard inside the value' };
      text += raw[++i]!;
      literalSeen = true;
    } else if (ch === '*' || ch === '?') {
      const w = literalSeen ? trail : lead;
      if (ch === '*') {
        if (w.star || w.q > 0) return { ok: false, error: "'*' must stand alone at an end" };
        w.star = true;
      } else {
        if (w.star) return { ok: false, error: "'?' next to '*'" };
        w.q++;
      }
    } else {
      if (trail.star || trail.q > 0) return { ok: false, error: 'wildcard inside the value' };
      text += ch;
      literalSeen = true;
    }
  }
  if (!literalSeen && lead.q === 0) return { ok: false, error: 'only wildcards' };
  return { ok: true, value: { kind: 'value', text: text.toLowerCase(), lead, trail } };
}

/** Parses a CPE 2.3 formatted string (`cpe:2.3:…`, 13 components; missing trailing components are ANY). */
export function parseCpe23(s: string): CpeParse {
  if (typeof s !== 'string') return { ok: false, error: 'not a string' };
  if (s.length > MAX_CPE_LENGTH) return { ok: false, error: `longer than ${MAX_CPE_LENGTH} characters` };
  const parts = splitUnquoted(s);
  if (parts === null) return { ok: false, error: 'backslash at end' };
  if (parts.length < 5 || parts[0]!.toLowerCase() !== 'cpe' || parts[1] !== '2.3') return { ok: false, error: "not a 'cpe:2.3:' formatted string" };
  if (parts.length > 13) return { ok: false, error: `${parts.length - 2} components (at most 11)` };
  const name = {} as CpeName;
  for (let i = 0; i < CPE_ATTRIBUTES.length; i++) {
    const attr = CPE_ATTRIBUTES[i]!;
    const raw = parts[i + 2];
    if (raw === undefined) {
      name[attr] = ANY;
      continue;
    }
    const v = parseCpeValue(raw);
    if (!v.ok) return { ok: false, error: `${attr} '${raw}': ${v.error}` };
    name[attr] = v.value;
  }
  const part = name.part;
  if (part.kind === 'value' && !(part.text === 'a' || part.text === 'o' || part.text === 'h') && part.lead.q === 0 && !part.lead.star && !part.trail.star) {
    return { ok: false, error: `part '${part.text}' is not a, o or h` };
  }
  return { ok: true, value: name };
}

/** Binds one value back to the formatted string (quoting what needs it). */
export function formatCpeValue(v: CpeValue): string {
  if (v.kind === 'any') return '*';
  if (v.kind === 'na') return '-';
  const w = (x: Wildcard): string => (x.star ? '*' : '?'.repeat(x.q));
  return `${w(v.lead)}${v.text.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`)}${w(v.trail)}`;
}

/** Binds a name to its formatted string. */
export function formatCpe23(n: CpeName): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((a) => formatCpeValue(n[a])).join(':')}`;
}

/** A name with the given attributes set and all others ANY. */
export function cpeName(attrs: Partial<Record<CpeAttribute, CpeValue | string>>): CpeName {
  const n = {} as CpeName;
  for (const a of CPE_ATTRIBUTES) {
    const v = attrs[a];
    n[a] = v === undefined ? ANY : typeof v === 'string' ? (v === '*' ? ANY : v === '-' ? NA : cpeLiteral(v)) : v;
  }
  return n;
}

/** Attribute comparison results (NISTIR 7696 Table 6-2). */
export type CpeRelation = 'SUPERSET' | 'SUBSET' | 'EQUAL' | 'DISJOINT' | 'UNDEFINED';

function hasWildcards(v: { lead: Wildcard; trail: Wildcard }): boolean {
  return v.lead.star || v.trail.star || v.lead.q > 0 || v.trail.q > 0;
}

/** compare_strings of NISTIR 7696 §6.1.2 on unescaped text: does the wildcard pattern `source` match `target`? */
function wildcardMatches(source: { text: string; lead: Wildcard; trail: Wildcard }, target: string): boolean {
  const body = source.text;
  const maxBefore = source.lead.star ? Infinity : source.lead.q;
  const maxAfter = source.trail.star ? Infinity : source.trail.q;
  if (body === '') return target.length <= maxBefore + maxAfter;
  for (let at = target.indexOf(body); at >= 0; at = target.indexOf(body, at + 1)) {
    if (at > maxBefore) return false;
    if (target.length - at - body.length <= maxAfter) return true;
  }
  return false;
}

/** Compares one source attribute value with one target value (NISTIR 7696 §6.1, Table 6-2). */
export function compareCpeValues(source: CpeValue, target: CpeValue): CpeRelation {
  if (target.kind === 'value' && hasWildcards(target)) return 'UNDEFINED';
  if (source.kind === 'any') return target.kind === 'any' ? 'EQUAL' : 'SUPERSET';
  if (source.kind === 'na') return target.kind === 'na' ? 'EQUAL' : target.kind === 'any' ? 'SUBSET' : 'DISJOINT';
  if (target.kind === 'any') return 'SUBSET';
  if (target.kind === 'na') return 'DISJOINT';
  if (!hasWildcards(source)) return source.text === target.text ? 'EQUAL' : 'DISJOINT';
  return wildcardMatches(source, target.text) ? 'SUPERSET' : 'DISJOINT';
}

/** Name-level relation (NISTIR 7696 §6.2): DISJOINT if any attribute is; EQUAL if all are; else SUPERSET/SUBSET or UNDEFINED. */
export function compareCpeNames(source: CpeName, target: CpeName, skip: readonly CpeAttribute[] = []): CpeRelation {
  let sup = true;
  let sub = true;
  let undef = false;
  for (const a of CPE_ATTRIBUTES) {
    if (skip.includes(a)) continue;
    const r = compareCpeValues(source[a], target[a]);
    if (r === 'DISJOINT') return 'DISJOINT';
    if (r === 'UNDEFINED') undef = true;
    if (r === 'SUBSET') sup = false;
    if (r === 'SUPERSET') sub = false;
  }
  if (undef) return 'UNDEFINED';
  if (sup && sub) return 'EQUAL';
  return sup ? 'SUPERSET' : sub ? 'SUBSET' : 'UNDEFINED';
}

/** The literal text of a value, or null for ANY/NA/wildcard values. */
export function cpeText(v: CpeValue): string | null {
  return v.kind === 'value' && !hasWildcards(v) ? v.text : null;
}
