/**
 * Version expressions of advisories that are not NVD ranges: CSAF product_version / product_version_range branch
 * names as CISA writes them (`<= 4.2`, `4.X | 5.X`, `>= 4.0 | <= 4.6`, `< 012U000040`, `2.3.6 and  below`,
 * `vers:all/*`, `v8.x model 35700BAX2`) and CVE 5 `versions[]` entries (`version` + `lessThan` /
 * `lessThanOrEqual`). They become clauses (all / exact / prefix `4.x` / range) checked with compareVersions;
 * what cannot be read is kept as `unparsed` text and answers 'unknown' rather than a guess.
 *
 * CSAF's own `vers:` form (CSAF §3.1.3.3.2, "vers" spec) is read for `vers:all/*` and `vers:<scheme>/<constraints>`.
 */
import { compareVersions, normaliseVersion } from './version.js';

/** One bound of a range; `prefix` when written with x-wildcards (`<= 2.x`: anything whose major is ≤ 2). */
export interface VersionBound {
  v: string;
  inclusive: boolean;
  prefix: boolean;
}

/** One alternative of an expression. */
export type VersionClause =
  | { kind: 'all' }
  | { kind: 'exact'; v: string }
  | { kind: 'prefix'; v: string }
  | { kind: 'range'; lo: VersionBound | null; hi: VersionBound | null };

/** A parsed expression: its alternatives, and the text that could not be read (null when all of it was). */
export interface VersionSpec {
  raw: string;
  clauses: VersionClause[];
  unparsed: string | null;
}

/** Longest expression read. */
const MAX_SPEC_LENGTH = 512;

const BELOW = /\s*(?:and|&|or)\s+(?:below|prior|earlier|before|lower|older)\b.*$/i;
const VERSION_TOKEN = /^v?(?:\d[0-9a-z]*(?:[._-][0-9a-z*]+)*|[a-z]{1,3}\d[0-9a-z]*(?:[._-][0-9a-z*]+)*|[a-z](?:\.\d+)+)/i;

/** A version with x-wildcard components, as prefix text (`4.X` → `4`, `12.2.x.x` → `12.2`), or null. */
function xPrefix(v: string): string | null {
  const m = /^(.*?)(?:\.[xX*])+$/.exec(v);
  return m && m[1] !== '' ? m[1]! : null;
}

function parseOne(part: string): { op: string; v: string; prefix: boolean } | null {
  let s = part.trim();
  let op = '';
  const m = /^(<=|>=|<|>|=)\s*/.exec(s);
  if (m) {
    op = m[1]!;
    s = s.slice(m[0].length);
  }
  if (BELOW.test(s)) {
    s = s.replace(BELOW, '');
    op ||= '<=';
  }
  s = s.replace(/^(?:version|ver\.?|rev\.?)\s+/i, '');
  const t = VERSION_TOKEN.exec(s);
  if (!t) return null; // words after the version (`v8.x model 35700BAX2`) name the product, not the version
  const v = t[0].replace(/^v(?=\d)/i, '');
  const px = xPrefix(v);
  return { op, v: px ?? v, prefix: px !== null };
}

/** Parses a free-text version expression; null when nothing in it is a version. */
export function parseVersionSpec(rawIn: string): VersionSpec | null {
  const raw = rawIn.trim().slice(0, MAX_SPEC_LENGTH);
  if (/^(vers:[a-z]+\/\*|all|all versions|any|\*)$/i.test(raw)) return { raw, clauses: [{ kind: 'all' }], unparsed: null };
  const vers = /^vers:[a-z0-9.+-]+\/(.+)$/i.exec(raw);
  const parts = (vers ? vers[1]! : raw).split('|').map((p) => p.trim()).filter((p) => p !== '');
  const clauses: VersionClause[] = [];
  const unparsed: string[] = [];
  let open: VersionBound | null = null; // a '>=' waiting for its '<='
  for (const part of parts) {
    const p = parseOne(part);
    if (p === null) {
      unparsed.push(part);
      continue;
    }
    const bound = { v: p.v, inclusive: p.op.length !== 1 || p.op === '=', prefix: p.prefix };
    if (p.op === '>=' || p.op === '>') {
      if (open) clauses.push({ kind: 'range', lo: open, hi: null });
      open = { ...bound, inclusive: p.op === '>=' };
    } else if (p.op === '<=' || p.op === '<') {
      clauses.push({ kind: 'range', lo: open, hi: { ...bound, inclusive: p.op === '<=' } });
      open = null;
    } else {
      clauses.push(p.prefix ? { kind: 'prefix', v: p.v } : { kind: 'exact', v: p.v });
    }
  }
  if (open) clauses.push({ kind: 'range', lo: open, hi: null });
  if (clauses.length === 0) return null;
  return { raw, clauses, unparsed: unparsed.length > 0 ? unparsed.join(' | ') : null };
}

/** The spec of a CVE 5 `versions[]` entry (`version`, `lessThan`, `lessThanOrEqual`). */
export function cve5VersionSpec(version: string | null, lessThan: string | null, lessThanOrEqual: string | null): VersionSpec | null {
  const noLower = version === null || /^(0|\*|unspecified|n\/a|-)$/i.test(version.trim());
  const hiText = lessThan ?? lessThanOrEqual;
  if (hiText !== null) {
    const raw = `${noLower ? '' : `>= ${version} `}${lessThan !== null ? '<' : '<='} ${hiText}`;
    if (hiText === '*') return { raw, clauses: [{ kind: 'range', lo: noLower ? null : { v: version!, inclusive: true, prefix: false }, hi: null }], unparsed: null };
    const px = xPrefix(hiText);
    return {
      raw,
      clauses: [{ kind: 'range', lo: noLower ? null : { v: version!, inclusive: true, prefix: false }, hi: { v: px ?? hiText, inclusive: lessThan === null, prefix: px !== null } }],
      unparsed: null,
    };
  }
  return version === null ? null : parseVersionSpec(version);
}

/** The first `n` dot-separated components of a version. */
function truncateVersion(v: string, n: number): string {
  return v.split('.').slice(0, n).join('.');
}

/** Compares `version` with a bound (prefix bounds compare only as many components as the bound has). */
function compareBound(version: string, b: VersionBound): ReturnType<typeof compareVersions> {
  if (!b.prefix) return compareVersions(version, b.v);
  const norm = normaliseVersion(version);
  if (norm === null) return { order: 'unknown', reason: `'${version}' is not a version` };
  return compareVersions(truncateVersion(norm, b.v.split('.').length), b.v);
}

function clauseHolds(version: string, c: VersionClause): { result: boolean | 'unknown'; reason: string } {
  if (c.kind === 'all') return { result: true, reason: 'all versions' };
  if (c.kind === 'exact' || c.kind === 'prefix') {
    const r = compareBound(version, { v: c.v, inclusive: true, prefix: c.kind === 'prefix' });
    if (r.otherLine) return { result: false, reason: `${c.v} (another product line)` };
    if (r.order === 'unknown') return { result: 'unknown', reason: `${c.v}: ${r.reason}` };
    return { result: r.order === 0, reason: c.kind === 'prefix' ? `${c.v}.x` : `= ${c.v}` };
  }
  const text = `${c.lo ? `${c.lo.inclusive ? '>=' : '>'} ${c.lo.v}${c.lo.prefix ? '.x' : ''}` : ''}${c.lo && c.hi ? ', ' : ''}${c.hi ? `${c.hi.inclusive ? '<=' : '<'} ${c.hi.v}${c.hi.prefix ? '.x' : ''}` : ''}`;
  for (const [b, isLo] of [[c.lo, true], [c.hi, false]] as const) {
    if (b === null) continue;
    const r = compareBound(version, b);
    if (r.otherLine) return { result: false, reason: `${text} (another product line)` };
    if (r.order === 'unknown') return { result: 'unknown', reason: `${text}: ${r.reason}` };
    const ok = isLo ? (b.inclusive ? r.order >= 0 : r.order > 0) : (b.inclusive ? r.order <= 0 : r.order < 0);
    if (!ok) return { result: false, reason: text };
  }
  return { result: true, reason: text };
}

/** Whether `version` satisfies the spec: true if any clause holds, false if none can, else unknown. */
export function matchVersionSpec(version: string, spec: VersionSpec): { result: boolean | 'unknown'; reason: string } {
  let unknown: string | null = spec.unparsed === null ? null : `unread text '${spec.unparsed}'`;
  const no: string[] = [];
  for (const c of spec.clauses) {
    const r = clauseHolds(version, c);
    if (r.result === true) return { result: true, reason: `${version} in ${r.reason}` };
    if (r.result === 'unknown') unknown ??= r.reason;
    else no.push(r.reason);
  }
  if (unknown !== null) return { result: 'unknown', reason: unknown };
  return { result: false, reason: `${version} not in ${no.join(' | ')}` };
}
