/**
 * HTTP/1.x message syntax shared by the parsers of HTTP-shaped protocols (HTTP over TCP, SSDP over UDP): reading
 * lines with their anomalies, the start line after optional empty lines, whitespace and token scanning, the status
 * code, and text cut at a limit. Pure functions over byte views; nothing reads outside the view given.
 *
 * Spec: RFC 9112 §2.2 (a bare LF accepted as a line terminator; empty lines before the start line ignored), §4
 * (status code: 3 digits), §5 (fields: `name ":" OWS value OWS`); RFC 9110 §5.6.3 (OWS is SP / HT).
 *
 * The anomalies pushed are named as in the parsers' tables: `lf_line_endings`, `bare_cr` (each once per message),
 * `leading_blank_line`, `long_value:<what>`.
 */
import { decodeWireText } from './wire-text.js';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

/** ASCII-only lower case (Unicode case mapping would fold e.g. U+212A KELVIN SIGN into "k"). */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : s; // a run of A-Z only: toLowerCase is ASCII here
}

/** True if b[start, end) begins with the ASCII text `s`. */
export function startsWith(b: Uint8Array, start: number, end: number, s: string): boolean {
  if (end - start < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Index of the first byte `v` in b[start, end), or -1 (no view of b is made). */
export function indexOfByte(b: Uint8Array, start: number, end: number, v: number): number {
  for (let i = start; i < end; i++) if (b[i] === v) return i;
  return -1;
}

/** Index of the first SP or HT in b[start, end), or end. */
export function nextSpace(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && b[i] !== SP && b[i] !== HT) i++;
  return i;
}

/** Index of the first byte in b[start, end) that is not SP or HT, or end. */
export function skipSpace(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (b[i] === SP || b[i] === HT)) i++;
  return i;
}

/** End of b[start, end) with trailing SP/HT removed. */
export function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start && (b[end - 1] === SP || b[end - 1] === HT)) end--;
  return end;
}

/**
 * The status code at b[c, e) (RFC 9112 §4: three digits, then SP/HT or the end of the line), or -1.
 */
export function statusCodeAt(b: Uint8Array, c: number, e: number): number {
  if (c + 3 > e || (c + 3 < e && b[c + 3] !== SP && b[c + 3] !== HT)) return -1;
  let code = 0;
  for (let i = c; i < c + 3; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    code = code * 10 + d;
  }
  return code;
}

/** Per-message state of the line reader: the message view and its anomalies. */
export interface LineReader {
  m: Uint8Array;
  anomalies: string[];
  /** Anomalies already reported once (so a message of 60 LF-only lines reports it once). */
  lfSeen: boolean;
  crSeen: boolean;
}

/** A line reader over the message view `m`, pushing to `anomalies`. */
export function lineReader(m: Uint8Array, anomalies: string[]): LineReader {
  return { m, anomalies, lfSeen: false, crSeen: false };
}

/** One line: content m[start, end) without its terminator, `next` where the next line starts, `terminated` if an LF ended it. */
export interface Line {
  start: number;
  end: number;
  next: number;
  terminated: boolean;
}

/** Reads the line starting at p (p < m.length), noting LF-only endings and bare CRs. */
export function readLine(r: LineReader, p: number): Line {
  const m = r.m;
  let i = p;
  while (i < m.length && m[i] !== LF) i++;
  const terminated = i < m.length;
  let end = i;
  if (terminated) {
    if (end > p && m[end - 1] === CR) end--;
    else if (!r.lfSeen) { r.lfSeen = true; r.anomalies.push('lf_line_endings'); }
  }
  if (!r.crSeen && indexOfByte(m, p, end, CR) >= 0) { r.crSeen = true; r.anomalies.push('bare_cr'); }
  return { start: p, end, next: terminated ? i + 1 : i, terminated };
}

/** The start line: the first line that is not empty (empty lines before it give `leading_blank_line`), or null. */
export function readStartLine(r: LineReader): Line | null {
  let p = 0;
  while (p < r.m.length) {
    const l = readLine(r, p);
    if (l.end > l.start || !l.terminated) return l;
    if (p === 0) r.anomalies.push('leading_blank_line');
    p = l.next;
  }
  return null;
}

/** Text of m[start, end) cut at `limit` bytes (a `long_value:<what>` anomaly when cut). */
export function limitedText(r: LineReader, start: number, end: number, limit: number, what: string): string {
  if (end - start > limit) {
    r.anomalies.push(`long_value:${what}`);
    end = start + limit;
  }
  return decodeWireText(r.m, start, end);
}
