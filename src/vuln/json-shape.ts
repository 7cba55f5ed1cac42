/**
 * Checked access to parsed JSON of untrusted feeds: small readers that either return a value of the expected
 * type or throw a FeedShapeError naming the member path, so a feed parser can validate one record in a few lines
 * and turn the first problem into "record N (id): why". Only the record parsers catch these; nothing else throws.
 */

/** A record does not have the expected shape; `message` names the member. */
export class FeedShapeError extends Error {}

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether `v` is a JSON object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Longest string kept from a feed (descriptions are cut to this). */
export const MAX_FEED_STRING = 16384;

/** `o[k]` as an object (required). */
export function objectAt(o: JsonObject, k: string, path: string): JsonObject {
  const v = o[k];
  if (!isObject(v)) throw new FeedShapeError(`${path}${k}: ${v === undefined ? 'missing' : 'not an object'}`);
  return v;
}

/** `o[k]` as an array (missing → empty). */
export function arrayAt(o: JsonObject, k: string, path: string): unknown[] {
  const v = o[k];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FeedShapeError(`${path}${k}: not an array`);
  return v;
}

/** `o[k]` as an array of objects (missing → empty). */
export function objectsAt(o: JsonObject, k: string, path: string): JsonObject[] {
  return arrayAt(o, k, path).map((x, i) => {
    if (!isObject(x)) throw new FeedShapeError(`${path}${k}[${i}]: not an object`);
    return x;
  });
}

/** `o[k]` as a string (required, non-empty), cut to MAX_FEED_STRING. */
export function stringAt(o: JsonObject, k: string, path: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v === '') throw new FeedShapeError(`${path}${k}: ${v === undefined ? 'missing' : 'not a non-empty string'}`);
  return v.slice(0, MAX_FEED_STRING);
}

/** `o[k]` as a string, or null when missing/null (a wrong type is an error). */
export function optString(o: JsonObject, k: string, path: string): string | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new FeedShapeError(`${path}${k}: not a string`);
  return v.slice(0, MAX_FEED_STRING);
}

/** `o[k]` as a number, or null when missing/null. */
export function optNumber(o: JsonObject, k: string, path: string): number | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FeedShapeError(`${path}${k}: not a number`);
  return v;
}

/** `o[k]` as a boolean, or `dflt` when missing. */
export function optBoolean(o: JsonObject, k: string, path: string, dflt: boolean): boolean {
  const v = o[k];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new FeedShapeError(`${path}${k}: not a boolean`);
  return v;
}

/** Runs a record parser, turning a FeedShapeError into `{ ok: false }`. */
export function parseShape<T>(f: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    if (err instanceof FeedShapeError) return { ok: false, error: err.message };
    return { ok: false, error: `unexpected: ${(err as Error).message}` };
  }
}

/** Decodes HTML character references (`&#195;&#164;`, `&amp;`) found in old ICS-CERT records; byte-valued
 *  references that form UTF-8 sequences (mojibake such as `Dr&#195;&#164;ger`) are decoded as UTF-8. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  const replaced = s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] !== '#') return named[ref.toLowerCase()] ?? m;
    const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
  // characters U+0080..U+00FF in a run that is valid UTF-8 when read as bytes were UTF-8 bytes written as entities
  return replaced.replace(/[\u00c2-\u00f4][\u0080-\u00bf]{1,3}/g, (run) => {
    const bytes = Buffer.from([...run].map((c) => c.charCodeAt(0)));
    const text = bytes.toString('utf8');
    return text.includes('\ufffd') ? run : text;
  });
}
