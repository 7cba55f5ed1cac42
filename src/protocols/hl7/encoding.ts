/**
 * HL7 v2 encoding rules: the delimiters a message declares in MSH-1 / MSH-2, splitting a segment into fields,
 * repetitions and components over byte views, and decoding escape sequences. Pure functions; nothing reads outside
 * the ranges given.
 *
 * Spec: HL7 v2.5.1 Chapter 2 (Control) §2.5.4 "Message delimiters" (segment terminator CR; field separator from
 * MSH-1; component, repetition, escape and subcomponent characters from MSH-2, in that order; v2.7 §2.5.4 adds a
 * fifth, the truncation character) and §2.7 "Use of escape sequences in text fields" (\F\ \S\ \T\ \R\ \E\, v2.7 \P\,
 * \Xhh…\ hexadecimal data, \H\ \N\ highlighting, \.br\ and the other formatting commands, \C…\ \M…\ character-set
 * switches, \Z…\ locally defined). The delimiters are always read from the message: none is assumed.
 */
import { decodeWireText } from '../wire-text.js';

/** Byte value of a delimiter, or -1 when the message does not use one (MSH-2 shorter than 4 or 5 characters). */
export interface Hl7Delimiters {
  field: number;
  component: number;
  repetition: number;
  escape: number;
  subcomponent: number;
  truncation: number;
}

/** Result of readDelimiters: the delimiters and where MSH-2 ends, or why there are none. */
export type DelimiterResult =
  | { ok: true; value: Hl7Delimiters; anomalies: string[] }
  | { ok: false; error: string };

const CR = 0x0d;
const LF = 0x0a;

/** True for a byte usable as a delimiter: visible ASCII, not a letter or digit (§2.5.4 recommends these). */
function isDelimiterByte(c: number): boolean {
  return c > 0x20 && c < 0x7f && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/**
 * Reads the delimiters of a header segment starting at m[s] ("MSH", "BHS" or "FHS" then MSH-1 then MSH-2) up to
 * `e` (the end of the segment). Fails when MSH-1 or an MSH-2 character is not a visible non-alphanumeric byte, or
 * when two delimiters are the same; a short or long MSH-2 is an anomaly.
 */
export function readDelimiters(m: Uint8Array, s: number, e: number): DelimiterResult {
  if (e - s < 4) return { ok: false, error: 'truncated_header' };
  const field = m[s + 3]!;
  if (!isDelimiterByte(field)) return { ok: false, error: 'bad_field_separator' };
  const chars: number[] = [];
  let i = s + 4;
  for (; i < e && m[i] !== field; i++) if (chars.length < 6) chars.push(m[i]!);
  const anomalies: string[] = [];
  if (chars.length < 4) anomalies.push('short_encoding_characters');
  if (chars.length > 5) anomalies.push('long_encoding_characters');
  const used = [field];
  for (const c of chars.slice(0, 5)) {
    if (!isDelimiterByte(c)) return { ok: false, error: 'bad_encoding_characters' };
    if (used.includes(c)) return { ok: false, error: 'duplicate_delimiter' };
    used.push(c);
  }
  const at = (k: number): number => chars[k] ?? -1;
  return { ok: true, value: { field, component: at(0), repetition: at(1), escape: at(2), subcomponent: at(3), truncation: chars.length >= 5 ? at(4) : -1 }, anomalies };
}

/** Index of the first `c` in m[i, e), or e (c = -1 never matches). */
export function indexOf(m: Uint8Array, c: number, i: number, e: number): number {
  while (i < e && m[i] !== c) i++;
  return i;
}

/**
 * Field bounds of the segment m[s, e): [start0, end0, start1, end1, …] where field 0 is the segment ID, at most
 * `max` fields (the rest are not split).
 */
export function splitFields(m: Uint8Array, s: number, e: number, sep: number, max: number): number[] {
  const out: number[] = [];
  let start = s;
  while (out.length < 2 * max) {
    const end = indexOf(m, sep, start, e);
    out.push(start, end);
    if (end >= e) break;
    start = end + 1;
  }
  return out;
}

/** Bounds [start, end] of the repetitions of the field m[s, e) (one element when the message has no repetition separator). */
export function repetitions(m: Uint8Array, s: number, e: number, d: Hl7Delimiters, max: number): [number, number][] {
  const out: [number, number][] = [];
  let start = s;
  while (out.length < max) {
    const end = indexOf(m, d.repetition, start, e);
    out.push([start, end]);
    if (end >= e) break;
    start = end + 1;
  }
  return out;
}

/** Bounds of component `n` (1-based) of m[s, e) (one repetition), or null when the field has fewer components. */
export function component(m: Uint8Array, s: number, e: number, d: Hl7Delimiters, n: number): [number, number] | null {
  let start = s;
  for (let k = 1; k < n; k++) {
    const sep = indexOf(m, d.component, start, e);
    if (sep >= e) return null;
    start = sep + 1;
  }
  return [start, indexOf(m, d.component, start, e)];
}

/** Bounds of m[s, e) up to its first subcomponent separator. */
export function firstSubcomponent(m: Uint8Array, s: number, e: number, d: Hl7Delimiters): [number, number] {
  return [s, indexOf(m, d.subcomponent, s, e)];
}

/** True when m[s, e) holds a value: not empty and not the HL7 null `""` (§2.5.3: "delete the value"). */
export function hasValue(m: Uint8Array, s: number, e: number): boolean {
  return e > s && !(e - s === 2 && m[s] === 0x22 && m[s + 1] === 0x22);
}

/** The single-letter escapes (§2.7.1) and the delimiter each stands for. */
const DELIMITER_ESCAPES: Readonly<Record<string, keyof Hl7Delimiters>> = {
  F: 'field', S: 'component', T: 'subcomponent', R: 'repetition', E: 'escape', P: 'truncation',
};

/** The bytes one escape sequence m[s, e) (between the escape characters) stands for; null when it is not one. */
function escapeBytes(m: Uint8Array, s: number, e: number, d: Hl7Delimiters): number[] | null {
  if (e <= s) return null;
  const c = String.fromCharCode(m[s]!);
  const delim = DELIMITER_ESCAPES[c];
  if (delim !== undefined && e - s === 1) return d[delim] >= 0 ? [d[delim]] : null;
  if (c === 'X') {
    // \Xhh…\ : hexadecimal data, an even number of hex digits (§2.7.3).
    const hex = String.fromCharCode(...m.subarray(s + 1, e));
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
    const out: number[] = [];
    for (let k = 0; k < hex.length; k += 2) out.push(parseInt(hex.slice(k, k + 2), 16));
    return out;
  }
  // Highlighting (\H\ \N\), formatting commands (\.br\ …, §2.7.6), character-set switches (\Cxxyy\, \Mxxyyzz\,
  // §2.7.4-5) and locally defined escapes (\Z…\) carry no characters of their own.
  if ((c === 'H' || c === 'N') && e - s === 1) return [];
  if (c === '.' || c === 'C' || c === 'M' || c === 'Z') return [];
  return null;
}

/**
 * The bytes of the component or field m[s, e) with escape sequences decoded (§2.7): a view of `m` when there is no
 * escape character in it. A malformed sequence is kept as written and noted once in `anomalies` (`bad_escape`,
 * `unterminated_escape`).
 */
export function unescapeBytes(m: Uint8Array, s: number, e: number, d: Hl7Delimiters, anomalies: string[]): Uint8Array {
  if (d.escape < 0 || indexOf(m, d.escape, s, e) >= e) return m.subarray(s, e);
  const out: number[] = [];
  let i = s;
  while (i < e) {
    const c = m[i]!;
    if (c !== d.escape) { out.push(c); i++; continue; }
    const close = indexOf(m, d.escape, i + 1, e);
    if (close >= e) {
      if (!anomalies.includes('unterminated_escape')) anomalies.push('unterminated_escape');
      for (let k = i; k < e; k++) out.push(m[k]!);
      break;
    }
    const bytes = escapeBytes(m, i + 1, close, d);
    if (bytes === null) {
      if (!anomalies.includes('bad_escape')) anomalies.push('bad_escape');
      for (let k = i; k <= close; k++) out.push(m[k]!);
    } else out.push(...bytes);
    i = close + 1;
  }
  return Uint8Array.from(out);
}

/** unescapeBytes as wire text (UTF-8 if valid, else Latin-1, control characters escaped; src/protocols/wire-text.ts). */
export function unescapeText(m: Uint8Array, s: number, e: number, d: Hl7Delimiters, anomalies: string[]): string {
  const b = unescapeBytes(m, s, e, d, anomalies);
  return decodeWireText(b, 0, b.length);
}

/**
 * Segment bounds of m[s, e): each segment ends at CR, LF or CRLF (§2.5.4 says CR; LF is tolerated). Calls `each`
 * with every segment's [start, end) and whether an LF (alone or after CR) ended it; empty lines are passed too.
 */
export function forEachSegment(m: Uint8Array, s: number, e: number, each: (start: number, end: number, lf: boolean) => boolean): void {
  let i = s;
  while (i < e) {
    let j = i;
    while (j < e && m[j] !== CR && m[j] !== LF) j++;
    let lf = false;
    let next = j;
    if (j < e) {
      if (m[j] === CR) {
        next = j + 1;
        if (next < e && m[next] === LF) { next++; lf = true; }
      } else { next = j + 1; lf = true; }
    }
    if (!each(i, j, lf)) return;
    i = next;
  }
}
