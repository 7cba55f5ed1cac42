/**
 * A vendor-aware version comparator for the version strings found in NVD, CVE 5 and CSAF records, which are not
 * semver: `B.02.04`, `10.0.19041`, `012u000062`, `2.4a`, `5.9.1.0.`, `c.02`, `R2.1`, `v3`, `20d29`, `bs5.2.461.17`,
 * `1.1.3 Build 10`, dates. It answers -1 / 0 / 1, or `'unknown'` with a reason where an order would be a guess.
 *
 * Rules (in order):
 * 1. Normalise: trim, lower-case, drop one trailing `.` (a data error such as `5.9.1.0.`), drop a leading `v`,
 *    `version`, `rev`/`revision` or `release` word/prefix when a digit follows (`v3` = `3`, `R2.1` = `2.1`).
 * 2. Empty, `*`, `-`, `n/a`, `unspecified`, `all`/`all versions` and anything without a digit or letter are not
 *    versions: unknown.
 * 3. Dates (`YYYY-MM-DD`, `YYYY.MM.DD`, `YYYYMMDD` with a plausible year 1980–2099, month and day) compare only with
 *    dates; a date against a non-date is unknown.
 * 4. Tokenise into runs of digits (numbers, leading zeros ignored: `012` = `12`) and runs of letters; `.`, `-`,
 *    `_`, `+`, `/`, space and the words `build`, `patch`, `update`, `sp` separate tokens. A letter run written right
 *    after a digit run (`2.4a`, `20d29`) is *attached*; one that starts the version or follows a separator is
 *    *free* (`b` in `B.02.04`).
 * 5. Compare token by token: numbers numerically; equal letter runs go on; different letter runs:
 *    - pre-release words (`dev` < `alpha`/`a` (only when followed by a number) < `beta`/`b` … < `pre` < `rc`) rank
 *      below a release and in that order;
 *    - a letter run that starts the version glued to digits is a product-line code (`L81` vs `U61`, `bs5.2`):
 *      different codes are unknown, flagged `otherLine` (versionInRange then takes the bound as not satisfied:
 *      an `<= L81` range does not include `U60`);
 *    - single letters compare alphabetically (`A.01` < `B.02` < `C.02`, `2.4a` < `2.4b`);
 *    - other different words elsewhere: unknown.
 *    A number against a letter run: below if the letters are a pre-release word (`1.0` > `1.0rc1`), else unknown.
 * 6. When one side runs out: extra zero numbers are equal (`5.9.1` = `5.9.1.0`); an extra pre-release word makes the
 *    longer one lower (`2.0rc1` < `2.0`); any other extra token makes it higher (`2.4a` > `2.4`, `1.1.3 build 10` >
 *    `1.1.3`).
 */

/** -1, 0, 1, or 'unknown' (with why) when the two strings cannot be ordered honestly. */
export type VersionOrder = -1 | 0 | 1 | 'unknown';

/** Result of a comparison. */
export interface VersionComparison {
  order: VersionOrder;
  /** Why the answer is unknown (or which rule decided). */
  reason?: string;
  /** Unknown because the two versions belong to different product lines (`L81` vs `U61`): a bound of another
   *  line neither includes nor excludes by order, it does not apply — ranges treat it as not satisfied. */
  otherLine?: boolean;
}

/** Longest version string compared (longer ones are unknown). */
export const MAX_VERSION_LENGTH = 128;

/** A number, or a letter run: `attached` when written right after digits, `code` when it starts the version glued to digits (`L81`). */
type Token = { num: true; value: bigint; attached: false } | { num: false; value: string; attached: boolean; code: boolean };

const PRE_RELEASE: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, pre: 3, preview: 3, rc: 4 };
const NOT_A_VERSION = new Set(['', '*', '-', 'n/a', 'na', 'unspecified', 'unknown', 'all', 'all versions', 'any']);
const SEPARATOR_WORDS = new Set(['build', 'patch', 'update', 'sp']);

/** Normalised text (rule 1), or null when it is not a version (rule 2). */
export function normaliseVersion(raw: string): string | null {
  let s = raw.trim().toLowerCase();
  if (s.length > MAX_VERSION_LENGTH) return null;
  if (s.endsWith('.') && s.length > 1) s = s.slice(0, -1);
  s = s.replace(/^(?:version|revision|release|rev|ver|v|r)[\s.]?(?=\d)/, '');
  if (NOT_A_VERSION.has(s) || !/[a-z0-9]/.test(s)) return null;
  return s;
}

/** A date as yyyymmdd, or null (rule 3). */
function asDate(s: string): number | null {
  const m = /^((?:19[89]|20\d)\d)[-./]?(\d\d)[-./]?(\d\d)$/.exec(s);
  if (!m) return null;
  const sep = /^\d{4}([-./]?)\d\d\1\d\d$/.test(s);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!sep || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return Number(m[1]) * 10000 + month * 100 + day;
}

/** Tokens of a normalised version (rule 4). */
export function tokeniseVersion(s: string): Token[] {
  const out: Token[] = [];
  const re = /(\d+)|([a-z]+)|([^a-z0-9]+)/g;
  let prevDigits = false;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[1] !== undefined) {
      out.push({ num: true, value: BigInt(m[1]), attached: false });
      prevDigits = true;
    } else if (m[2] !== undefined) {
      if (SEPARATOR_WORDS.has(m[2]) && !prevDigits) {
        prevDigits = false;
        continue;
      }
      out.push({ num: false, value: m[2], attached: prevDigits, code: out.length === 0 && /^\d/.test(s.slice(re.lastIndex)) });
      prevDigits = false;
    } else prevDigits = false;
  }
  return out;
}

function isPreRelease(t: Token, next: Token | undefined): boolean {
  if (t.num) return false;
  const rank = PRE_RELEASE[t.value];
  if (rank === undefined) return false;
  // single letters count as pre-release only when a number follows (1.0a1, 1.0b2); 2.4a is a revision
  return t.value.length > 1 || (next !== undefined && next.num && t.attached);
}

function sign(n: number | bigint): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two letter tokens (rule 5). */
function compareWords(a: Token & { num: false }, b: Token & { num: false }, aNext: Token | undefined, bNext: Token | undefined): VersionComparison {
  const pa = isPreRelease(a, aNext);
  const pb = isPreRelease(b, bNext);
  if (pa && pb) return { order: sign(PRE_RELEASE[a.value]! - PRE_RELEASE[b.value]!), reason: 'pre-release order' };
  if (a.code && b.code) return { order: 'unknown', reason: `different product-line codes '${a.value}' and '${b.value}'`, otherLine: true };
  if (a.code || b.code) return { order: 'unknown', reason: `product-line code '${a.code ? a.value : b.value}' against '${a.code ? b.value : a.value}'` };
  if (a.value.length === 1 && b.value.length === 1 && !pa && !pb) return { order: a.value < b.value ? -1 : 1, reason: 'letters in order' };
  return { order: 'unknown', reason: `different words '${a.value}' and '${b.value}'` };
}

/** What an extra token on one side means (rule 6): the sign for the longer side. */
function extraTokens(rest: Token[]): VersionComparison {
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i]!;
    if (t.num && t.value === 0n) continue;
    if (isPreRelease(t, rest[i + 1])) return { order: -1, reason: 'pre-release suffix' };
    return { order: 1, reason: 'extra component' };
  }
  return { order: 0, reason: 'trailing zeros' };
}

/** Compares two version strings by the rules above. */
export function compareVersions(aRaw: string, bRaw: string): VersionComparison {
  const a = normaliseVersion(aRaw);
  const b = normaliseVersion(bRaw);
  if (a === null || b === null) return { order: 'unknown', reason: `'${a === null ? aRaw : bRaw}' is not a version` };
  if (a === b) return { order: 0 };
  const da = asDate(a);
  const db = asDate(b);
  if (da !== null || db !== null) {
    if (da === null || db === null) return { order: 'unknown', reason: 'a date against a non-date version' };
    return { order: sign(da - db), reason: 'dates' };
  }
  const ta = tokeniseVersion(a);
  const tb = tokeniseVersion(b);
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.num && y.num) {
      if (x.value !== y.value) return { order: sign(x.value - y.value) };
      continue;
    }
    if (!x.num && !y.num) {
      if (x.value === y.value) continue;
      return compareWords(x, y, ta[i + 1], tb[i + 1]);
    }
    const word = (x.num ? y : x) as Token & { num: false };
    if (isPreRelease(word, (x.num ? tb : ta)[i + 1])) return { order: x.num ? 1 : -1, reason: 'release above pre-release' };
    return { order: 'unknown', reason: `number against word '${word.value}'` };
  }
  if (ta.length === tb.length) return { order: 0, reason: 'same tokens' };
  const longerIsA = ta.length > tb.length;
  const r = extraTokens((longerIsA ? ta : tb).slice(n));
  if (r.order === 'unknown' || r.order === 0) return r;
  return { order: (longerIsA ? r.order : -r.order) as -1 | 1, reason: r.reason };
}

/** A version range as NVD expresses it (each bound optional). */
export interface VersionRange {
  startIncluding?: string | null;
  startExcluding?: string | null;
  endIncluding?: string | null;
  endExcluding?: string | null;
}

/** Whether `version` lies in `range`: true, false, or unknown (with the bound that could not be compared). */
export function versionInRange(version: string, range: VersionRange): { result: boolean | 'unknown'; reason?: string } {
  const checks: [string | null | undefined, (o: -1 | 0 | 1) => boolean, string][] = [
    [range.startIncluding, (o) => o >= 0, '>='],
    [range.startExcluding, (o) => o > 0, '>'],
    [range.endIncluding, (o) => o <= 0, '<='],
    [range.endExcluding, (o) => o < 0, '<'],
  ];
  let unknown: string | undefined;
  for (const [bound, ok, op] of checks) {
    if (bound === undefined || bound === null) continue;
    const c = compareVersions(version, bound);
    if (c.otherLine) return { result: false, reason: `${op} ${bound} is another product line` };
    if (c.order === 'unknown') {
      unknown ??= `${op} ${bound}: ${c.reason ?? 'not comparable'}`;
      continue;
    }
    if (!ok(c.order)) return { result: false, reason: `not ${op} ${bound}` };
  }
  return unknown === undefined ? { result: true } : { result: 'unknown', reason: unknown };
}

/** Human text of a range (`>= 4.0, < 4.0e`), or '' when it has no bounds. */
export function formatRange(r: VersionRange): string {
  const parts: string[] = [];
  if (r.startIncluding) parts.push(`>= ${r.startIncluding}`);
  if (r.startExcluding) parts.push(`> ${r.startExcluding}`);
  if (r.endIncluding) parts.push(`<= ${r.endIncluding}`);
  if (r.endExcluding) parts.push(`< ${r.endExcluding}`);
  return parts.join(', ');
}
