/**
 * HTTP/1.x message head parser: the start line and header section of one request or response (the bytes up to and
 * including the empty line) → a flat `HttpHead`. Pure: no state, no I/O, never throws, never reads outside
 * b[off, off+len). Message framing across a connection (bodies, chunks, pipelining) is in analyzer.ts; this file
 * also holds the small pure helpers it needs: finding the end of a head, the chunk-size line, and the cheap
 * start-line checks used to recognise HTTP.
 *
 * What a head yields is already reduced for storage: the request target without query values (uri.ts), the
 * Referer's host only, Authorization reduced to scheme and user name (auth.ts), Cookie and Set-Cookie counted, and
 * every other header by name only. No header value other than those listed in HttpHead leaves this file.
 *
 * Specs:
 * - RFC 9112 §2 (message format; §2.2 a bare LF accepted as a line terminator, leading empty lines ignored),
 *   §3 (request line), §4 (status line), §5 (field syntax; §5.2 obsolete line folding), §6 (message body:
 *   Transfer-Encoding, Content-Length), §7.1 (chunked transfer coding: chunk-size line with extensions);
 * - RFC 9110 §5 (fields: case-insensitive names, comma-separated lists), §8.6 (Content-Length: repeated equal values
 *   accepted), §9 (methods), §15 (status codes), §10.1.2 Referer, §10.2.4 Server, §10.1.5 User-Agent, §7.2 Host;
 * - RFC 6265 §4.2 (Cookie: `name=value` pairs separated by "; ").
 *
 * Text from the wire is decoded as UTF-8 when valid, else Latin-1, with control characters escaped
 * (src/protocols/wire-text.ts).
 */
import {
  asciiLower,
  indexOfByte,
  limitedText,
  type LineReader,
  lineReader,
  nextSpace,
  readLine,
  readStartLine,
  skipSpace,
  startsWith,
  statusCodeAt,
  trimEnd,
} from '../http-syntax.js';
import { decodeWireText } from '../wire-text.js';
import { remembered } from '../../memo/bounded-memo.js';
import { type HttpAuth, type HttpChallenge, parseAuthorization, parseChallenges } from './auth.js';
import { reduceTarget, urlHost } from './uri.js';

/** Largest message head (start line + headers + empty line) parsed; a longer one is cut (`oversized_head`). */
export const MAX_HEAD_BYTES = 65536;
/** Most header fields read; the rest are skipped (`too_many_headers`). */
export const MAX_HEADERS = 128;
/** Longest header value kept (and reason phrase), in bytes; a longer one is cut (`long_value:<name>`). */
export const MAX_HEADER_VALUE = 1024;
/** Longest header name kept, in bytes (a longer one is cut: `long_value:header_name`). */
export const MAX_HEADER_NAME = 64;
/** Longest method token accepted (the longest registered method, UPDATEREDIRECTREF, has 17 bytes). */
export const MAX_METHOD_BYTES = 32;
/** Longest chunk-size line (size, extensions, terminator) read. */
export const MAX_CHUNK_LINE = 1024;
/** Most hexadecimal digits of a chunk size (13 digits: < 2^52). */
const MAX_CHUNK_DIGITS = 13;
/** Most decimal digits of a Content-Length (15 digits: < 2^53). */
const MAX_LENGTH_DIGITS = 15;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and a header name in lower
 * case or a field, e.g. `duplicate_header:host`, `long_value:user-agent`.
 */
export const HTTP_ANOMALIES = {
  /** The head was longer than MAX_HEAD_BYTES and was cut. */
  oversized_head: 'head longer than MAX_HEAD_BYTES, cut',
  /** Empty lines before the start line (skipped, RFC 9112 §2.2). */
  leading_blank_line: 'empty line(s) before the start line',
  /** At least one line ends with a bare LF (accepted, RFC 9112 §2.2). */
  lf_line_endings: 'line terminated by LF alone',
  /** A bare CR inside a line (kept, escaped). */
  bare_cr: 'CR not followed by LF inside a line',
  /** More than one space (or a tab) between the parts of the start line (accepted, RFC 9112 §3). */
  loose_start_line: 'start line parts separated by other than one SP',
  /** An HTTP version other than HTTP/1.0 or HTTP/1.1. */
  unusual_version: 'HTTP version other than 1.0 and 1.1',
  /** A header line without a colon (skipped). */
  header_without_colon: 'header line without ":"',
  /** A header line with nothing before the colon (skipped). */
  empty_header_name: 'header line with an empty name',
  /** A header name with characters outside RFC 9110 tchar (kept). */
  bad_header_name: 'header name with characters other than tchar',
  /** Whitespace between a header name and the colon (accepted, name trimmed; RFC 9112 §5.1 says reject). */
  space_before_colon: 'whitespace between header name and ":"',
  /** Obsolete line folding (RFC 9112 §5.2): the line continues the previous header; joined with one space. */
  folded_header: 'header value continued on a folded line',
  /** A folded line with no header before it (skipped). */
  orphan_fold: 'folded line before any header',
  /** More than MAX_HEADERS headers; the rest were not read. */
  too_many_headers: 'more than MAX_HEADERS headers',
  /** A value longer than MAX_HEADER_VALUE bytes (or name longer than MAX_HEADER_NAME), cut (":name"). */
  long_value: 'value longer than its limit, cut',
  /** A single-valued header of interest sent twice (":name"); the first is used. */
  duplicate_header: 'header of interest repeated, first kept',
  /** The head ends without the empty line (cut by MAX_HEAD_BYTES, or the connection ended inside it). */
  truncated_head: 'no empty line at the end of the head',
  /** Content-Length not a decimal number, or several different values (RFC 9110 §8.6). */
  bad_content_length: 'Content-Length not one decimal number',
  /** Both Transfer-Encoding and Content-Length (RFC 9112 §6.3: Content-Length ignored). */
  te_and_length: 'Transfer-Encoding and Content-Length together',
  /** Transfer-Encoding whose final coding is not chunked (a request then has no knowable length). */
  te_not_chunked: 'Transfer-Encoding whose last coding is not chunked',
  /** The request target was cut (path, query parameters or a name longer than the limits in uri.ts). */
  long_uri: 'request target longer than the limits, cut',
  /** An absolute-form target with userinfo (`user[:password]@host`), dropped from `uri`. */
  uri_userinfo: 'userinfo in the request target',
  /** An Authorization / Proxy-Authorization value without an auth-scheme. */
  bad_authorization: 'Authorization value without an auth-scheme',
  /** Basic credentials that are not base64 of "user:password". */
  bad_basic_credentials: 'Basic credentials not base64 of user:password',
  /** An NTLM / Negotiate token that is not base64, or an NTLM message whose fields lie outside it. */
  bad_ntlm_message: 'NTLM token malformed',
  /** A chunk-size line that is not hexadecimal digits (RFC 9112 §7.1). */
  bad_chunk_size: 'chunk-size line not a hexadecimal number',
  /** A chunk not followed by CRLF. */
  bad_chunk_end: 'chunk data not followed by CRLF',
  /** A response with no request to pair it with (the request was not captured). */
  unpaired_response: 'response with no request before it',
  /** Bytes of this message's connection direction were not captured (the message may be incomplete). */
  gap: 'bytes missing from the capture',
  /** The server's messages could not be followed when this request was pending: its response is not paired. */
  lost_sync: 'server framing lost; response not paired',
  /** The connection ended inside this message's body. */
  truncated_body: 'connection ended inside the body',
  /** Requests were pipelined beyond the pending limit; this one was logged without waiting for its response. */
  pending_overflow: 'too many requests awaiting responses',
} as const;

/** An anomaly name. */
export type HttpAnomaly = keyof typeof HTTP_ANOMALIES;

/**
 * One message head, reduced for storage. Header fields are null when the header is absent (the first instance wins
 * when a single-valued header is repeated).
 */
export interface HttpHead {
  /** `request` or `response`. */
  kind: 'request' | 'response';
  /** The request method as sent (case-sensitive, RFC 9110 §9.1); null for a response. */
  method: string | null;
  /** The request target without query values (`/a?x=&y=`), see uri.ts; null for a response. */
  uri: string | null;
  /** The protocol version of the start line, e.g. "HTTP/1.1". */
  version: string;
  /** The status code; null for a request. */
  status_code: number | null;
  /** The reason phrase, possibly empty; null for a request. */
  reason: string | null;
  /** The header names in wire order, as sent (at most MAX_HEADERS): a client or server fingerprint. */
  header_names: string[];
  /** Host. */
  host: string | null;
  /** User-Agent. */
  user_agent: string | null;
  /** The host (and port) of the Referer URL; null when absent or not an absolute URL. */
  referrer_host: string | null;
  /** Server. */
  server: string | null;
  /** X-Powered-By (a server software fingerprint). */
  x_powered_by: string | null;
  /** Content-Type as sent. */
  content_type: string | null;
  /** Content-Length (null when absent or invalid). */
  content_length: number | null;
  /** Transfer-Encoding as sent (all headers joined with ", "). */
  transfer_encoding: string | null;
  /** The final transfer coding is chunked (RFC 9112 §6.1). */
  chunked: boolean;
  /** Content-Length present but unusable (not one decimal number): the body length is unknown. */
  bad_length: boolean;
  /** Upgrade (websocket, h2c, TLS/1.0). */
  upgrade: string | null;
  /** Authorization (else Proxy-Authorization), reduced to scheme and user; null when absent. */
  auth: HttpAuth | null;
  /** The challenges of WWW-Authenticate and Proxy-Authenticate (scheme and realm). */
  challenges: HttpChallenge[];
  /** Cookie pairs across the Cookie headers (names and values are not kept). */
  cookie_count: number;
  /** Set-Cookie headers. */
  set_cookie_count: number;
  /** A password was sent in the request target: userinfo `user:password@`, or a query parameter named like one. */
  password_in_uri: boolean;
  /** Malformed things met (see HTTP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseHttpHead. */
export type HttpHeadResult = { ok: true; value: HttpHead } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** RFC 9110 §5.6.2 tchar, as a lookup table. */
const TCHAR = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) if (!'"(),/:;<=>?@[\\]{}'.includes(String.fromCharCode(c))) TCHAR[c] = 1;

/** Methods recognised by content on ports that are not HTTP's (RFC 9110 §9, RFC 5789 PATCH, WebDAV RFC 4918). */
export const SNIFF_METHODS: readonly string[] = [
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SUBSCRIBE', 'NOTIFY', 'REPORT', 'SEARCH',
];

/** True if b[start, end) is one of SNIFF_METHODS (compared byte by byte: no text is made for a connection's first bytes). */
function isSniffMethod(b: Uint8Array, start: number, end: number): boolean {
  for (const m of SNIFF_METHODS) if (m.length === end - start && startsWith(b, start, end, m)) return true;
  return false;
}

/** True if b[start, end) is a non-empty run of tchar. */
function isToken(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) if (TCHAR[b[i]!] === 0) return false;
  return true;
}

/** True if b[start, end) is "HTTP/" followed by visible characters (the version of a start line). */
function isVersion(b: Uint8Array, start: number, end: number): boolean {
  if (!startsWith(b, start, end, 'HTTP/') || end - start > 16) return false;
  for (let i = start + 5; i < end; i++) if (b[i]! <= SP || b[i]! >= 0x7f) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for the stream analyzer

/**
 * Where the head that starts at `start` ends: the index just past its empty line (CRLF CRLF, or with bare LFs), or
 * -1 if b[start, end) does not hold it yet. `from` (≥ start) lets a caller resume a search over bytes it already
 * scanned.
 */
export function findHeadEnd(b: Uint8Array, start: number, end: number, from = start): number {
  for (let i = Math.max(from, start); i < end; i++) {
    if (b[i] !== LF) continue;
    // An LF ending an empty line: preceded by LF, or by CR LF, or it is the very first line (leading blank line,
    // which the caller skips before calling).
    if (i > start && b[i - 1] === LF) return i + 1;
    if (i > start + 1 && b[i - 1] === CR && b[i - 2] === LF) return i + 1;
  }
  return -1;
}

/** A start-line verdict on the first bytes of a message: `yes`, `no`, or `maybe` (too few bytes to tell). */
export type StartVerdict = 'yes' | 'no' | 'maybe';

/**
 * Whether b[off, off+len) can begin a request (`METHOD SP`, the method a token of at most MAX_METHOD_BYTES) or,
 * for the server side, a response (`HTTP/`). Only as many bytes as needed are looked at.
 */
export function startVerdict(fromClient: boolean, b: Uint8Array, off: number, len: number): StartVerdict {
  const end = off + len;
  if (!fromClient) {
    const n = Math.min(len, 5);
    return startsWith(b, off, off + n, 'HTTP/'.slice(0, n)) ? (n === 5 ? 'yes' : 'maybe') : 'no';
  }
  for (let i = off; i < end; i++) {
    if (b[i] === SP) return i > off ? 'yes' : 'no';
    if (TCHAR[b[i]!] === 0 || i - off >= MAX_METHOD_BYTES) return 'no';
  }
  return 'maybe';
}

/**
 * Content detection for HTTP on any port: a request line of a method in SNIFF_METHODS followed by a target and, if
 * the first line is complete within the bytes, ` HTTP/1.`; or a status line `HTTP/1.x NNN `.
 */
export function sniffHttp(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (off < 0 || len < 0 || off + len > b.length) return false;
  const end = off + len;
  if (!fromClient) {
    return len >= 13 && startsWith(b, off, end, 'HTTP/1.') && b[off + 8] === SP &&
      b[off + 9]! >= 0x31 && b[off + 9]! <= 0x35 && b[off + 10]! >= 0x30 && b[off + 10]! <= 0x39 && b[off + 11]! >= 0x30 && b[off + 11]! <= 0x39;
  }
  const sp = nextSpace(b, off, Math.min(end, off + MAX_METHOD_BYTES + 1));
  if (sp >= end || b[sp] !== SP || !isSniffMethod(b, off, sp)) return false;
  const t = sp + 1;
  if (t >= end || b[t]! <= SP || b[t]! >= 0x7f) return false;
  let lf = t;
  while (lf < end && b[lf] !== LF) lf++;
  if (lf === end) return true; // a long target: the line goes on past these bytes
  const lineEnd = lf > t && b[lf - 1] === CR ? lf - 1 : lf;
  return lineEnd - t > 9 && startsWith(b, lineEnd - 9, lineEnd - 1, ' HTTP/1.');
}

/** A chunk-size line (RFC 9112 §7.1): the size, or an error; extensions are ignored. */
export type ChunkSizeResult = { ok: true; size: number } | { ok: false; error: 'bad_chunk_size' };

/**
 * Reads the chunk-size line b[off, off+len) (its terminator excluded): hexadecimal digits, optional whitespace and
 * `;` extensions (RFC 9112 §7.1.1).
 */
export function parseChunkSize(b: Uint8Array, off: number, len: number): ChunkSizeResult {
  if (off < 0 || len < 0 || off + len > b.length) return { ok: false, error: 'bad_chunk_size' };
  const end = off + len;
  let i = skipSpace(b, off, end);
  const d0 = i;
  let size = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (v < 0) break;
    size = size * 16 + v;
  }
  if (i === d0 || i - d0 > MAX_CHUNK_DIGITS) return { ok: false, error: 'bad_chunk_size' };
  i = skipSpace(b, i, end);
  if (i < end && b[i] !== 0x3b) return { ok: false, error: 'bad_chunk_size' };
  return { ok: true, size };
}

// ---------------------------------------------------------------------------------------------------------------
// The head parser

/** One header: its lower-case name and value ranges (one per line; more after obsolete folding). */
interface Field {
  lname: string;
  ranges: number[];
}

/** The value of a header as text: its line pieces joined with one space, cut at MAX_HEADER_VALUE. */
function fieldText(r: LineReader, f: Field): string {
  const parts: string[] = [];
  let room = MAX_HEADER_VALUE;
  for (let k = 0; k < f.ranges.length && room > 0; k += 2) {
    const s = f.ranges[k]!;
    const e = f.ranges[k + 1]!;
    if (e - s > room) r.anomalies.push(`long_value:${f.lname}`);
    parts.push(decodeWireText(r.m, s, Math.min(e, s + room)));
    room -= e - s + 1;
  }
  return parts.join(' ');
}

/** The start line's fields. */
interface StartLine {
  kind: 'request' | 'response';
  method: string | null;
  targetStart: number;
  targetEnd: number;
  version: string;
  status: number | null;
  reason: string | null;
}

/** Parses a status line (RFC 9112 §4) in m[s, e), or null. */
function statusLine(r: LineReader, s: number, e: number): StartLine | null {
  const m = r.m;
  const ve = nextSpace(m, s, e);
  if (!isVersion(m, s, ve)) return null;
  const c = skipSpace(m, ve, e);
  const code = c === ve ? -1 : statusCodeAt(m, c, e);
  if (code < 0) return null;
  if (c - ve > 1 || m[ve] === HT) r.anomalies.push('loose_start_line');
  const rs = skipSpace(m, c + 3, e);
  const reason = limitedText(r, rs, trimEnd(m, rs, e), MAX_HEADER_VALUE, 'reason');
  return { kind: 'response', method: null, targetStart: 0, targetEnd: 0, version: decodeWireText(m, s, ve), status: code, reason };
}

/** Parses a request line (RFC 9112 §3) in m[s, e), or null. */
function requestLine(r: LineReader, s: number, e: number): StartLine | null {
  const m = r.m;
  const me = nextSpace(m, s, e);
  if (!isToken(m, s, me) || me - s > MAX_METHOD_BYTES) return null;
  const ts = skipSpace(m, me, e);
  const te = nextSpace(m, ts, e);
  const vs = skipSpace(m, te, e);
  const ve = trimEnd(m, vs, e);
  if (ts === te || !isVersion(m, vs, ve)) return null;
  if (ts - me > 1 || vs - te > 1 || ve < e || m[me] === HT || m[te] === HT) r.anomalies.push('loose_start_line');
  return { kind: 'request', method: decodeWireText(m, s, me), targetStart: ts, targetEnd: te, version: decodeWireText(m, vs, ve), status: null, reason: null };
}

/** Most header names whose lower case is remembered (the same few dozen names recur in every head); emptied when full. */
const MAX_REMEMBERED_NAMES = 4096;
const lowerNames = new Map<string, string>();

/** asciiLower of a header name, remembered. */
const lowerName = (name: string): string => remembered(lowerNames, MAX_REMEMBERED_NAMES, name, asciiLower);

/** Reads the header lines from `p` to the empty line; returns the fields and whether the empty line was found. */
function readFields(r: LineReader, p: number, names: string[]): { fields: Field[]; blank: boolean } {
  const m = r.m;
  const fields: Field[] = [];
  while (p < m.length) {
    const l = readLine(r, p);
    p = l.next;
    if (l.end === l.start && l.terminated) return { fields, blank: true };
    if (m[l.start] === SP || m[l.start] === HT) {
      const last = fields[fields.length - 1];
      if (last === undefined) { r.anomalies.push('orphan_fold'); continue; }
      r.anomalies.push('folded_header');
      const cs = skipSpace(m, l.start, l.end);
      last.ranges.push(cs, trimEnd(m, cs, l.end));
      continue;
    }
    const at = indexOfByte(m, l.start, l.end, COLON);
    if (at < 0) { r.anomalies.push('header_without_colon'); continue; }
    const colon = at - l.start;
    const ne = trimEnd(m, l.start, l.start + colon);
    if (ne === l.start) { r.anomalies.push('empty_header_name'); continue; }
    if (ne !== l.start + colon) r.anomalies.push('space_before_colon');
    if (fields.length >= MAX_HEADERS) { r.anomalies.push('too_many_headers'); return { fields, blank: false }; }
    if (!isToken(m, l.start, ne)) r.anomalies.push('bad_header_name');
    const name = limitedText(r, l.start, ne, MAX_HEADER_NAME, 'header_name');
    names.push(name);
    const vs = skipSpace(m, l.start + colon + 1, l.end);
    fields.push({ lname: lowerName(name), ranges: [vs, trimEnd(m, vs, l.end)] });
  }
  return { fields, blank: false };
}

/** The text headers of interest by lower-case name (single-valued: the first wins). */
const TEXT_FIELDS = {
  host: 'host',
  'user-agent': 'user_agent',
  server: 'server',
  'x-powered-by': 'x_powered_by',
  'content-type': 'content_type',
  upgrade: 'upgrade',
} as const satisfies Record<string, keyof HttpHead>;

/** Adds one Content-Length value (a comma-separated list, RFC 9110 §8.6) to `h`; false if it is not valid. */
function addContentLength(m: Uint8Array, s: number, e: number, h: HttpHead): boolean {
  for (const item of decodeWireText(m, s, e).split(',')) {
    const t = item.trim();
    if (!/^[0-9]+$/.test(t) || t.length > MAX_LENGTH_DIGITS) return false;
    const n = Number(t);
    if (h.content_length !== null && h.content_length !== n) return false;
    h.content_length = n;
  }
  return true;
}

/** Cookie pairs in one Cookie value (RFC 6265 §4.2.1: `name=value` separated by ";"). */
function cookiePairs(m: Uint8Array, s: number, e: number): number {
  let n = 0;
  let item = false;
  for (let i = s; i < e; i++) {
    const c = m[i]!;
    if (c === 0x3b) { if (item) n++; item = false; } else if (c !== SP && c !== HT) item = true;
  }
  return item ? n + 1 : n;
}

/** A form or query parameter name that carries a password: `password`, `pwd`, `user[pass]`, `login_passwd`. */
const PASSWORD_NAME = /(?:^|[_.[-])(?:pass(?:word|wd)?|pwd)\]?$/i;

/** True if the form or query parameter `name` (percent-encoded brackets allowed) names a password. */
export function isPasswordName(name: string): boolean {
  return PASSWORD_NAME.test(name.replace(/%5b/gi, '[').replace(/%5d/gi, ']'));
}

/** Fills the header-derived fields of `h` from the parsed fields. */
function interpretFields(r: LineReader, fields: readonly Field[], h: HttpHead): void {
  const m = r.m;
  const seen = new Set<string>();
  const te: string[] = [];
  let lengthSeen = false;
  let proxyAuth: Field | null = null;
  for (const f of fields) {
    const s = f.ranges[0]!;
    const e = f.ranges[1]!;
    const text = TEXT_FIELDS[f.lname as keyof typeof TEXT_FIELDS];
    if (text !== undefined || f.lname === 'referer' || f.lname === 'authorization') {
      if (seen.has(f.lname)) { r.anomalies.push(`duplicate_header:${f.lname}`); continue; }
      seen.add(f.lname);
    }
    if (text !== undefined) h[text] = fieldText(r, f);
    switch (f.lname) {
      case 'referer': h.referrer_host = urlHost(m, s, e); break;
      case 'content-length':
        lengthSeen = true;
        if (!addContentLength(m, s, e, h)) h.bad_length = true;
        break;
      case 'transfer-encoding': te.push(fieldText(r, f)); break;
      case 'authorization': h.auth = parseAuthorization(m, s, e, r.anomalies); break;
      case 'proxy-authorization': proxyAuth ??= f; break;
      case 'www-authenticate':
      case 'proxy-authenticate': h.challenges.push(...parseChallenges(m, s, e)); break;
      case 'cookie': h.cookie_count += cookiePairs(m, s, e); break;
      case 'set-cookie': h.set_cookie_count++; break;
      default: break;
    }
  }
  if (h.auth === null && proxyAuth !== null) h.auth = parseAuthorization(m, proxyAuth.ranges[0]!, proxyAuth.ranges[1]!, r.anomalies);
  if (h.bad_length) { r.anomalies.push('bad_content_length'); h.content_length = null; }
  if (te.length > 0) {
    h.transfer_encoding = te.join(', ');
    const codings = h.transfer_encoding.split(',').map((c) => asciiLower(c.trim())).filter((c) => c !== '');
    h.chunked = codings[codings.length - 1] === 'chunked';
    if (!h.chunked) r.anomalies.push('te_not_chunked');
    if (lengthSeen) r.anomalies.push('te_and_length');
  }
}

/**
 * Parses one message head from b[off, off+len): the start line, the header lines and (normally) the empty line
 * that ends them, as found by findHeadEnd. Leading empty lines are skipped. A head without its empty line is parsed
 * as far as it goes (`truncated_head`).
 *
 * Fails (`ok: false`) for bad bounds, an empty input (`empty`), or a first line that is neither a request line
 * (`bad_request_line`) nor a status line (`bad_status_line`). Never throws; never reads outside b[off, off+len).
 */
export function parseHttpHead(b: Uint8Array, off: number, len: number): HttpHeadResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const anomalies: string[] = [];
  if (len > MAX_HEAD_BYTES) {
    anomalies.push('oversized_head');
    len = MAX_HEAD_BYTES;
  }
  const m = b.subarray(off, off + len);
  const r = lineReader(m, anomalies);
  const line = readStartLine(r);
  if (line === null) return { ok: false, error: 'empty' };
  const isResponse = startsWith(m, line.start, line.end, 'HTTP/');
  const sl = isResponse ? statusLine(r, line.start, line.end) : requestLine(r, line.start, line.end);
  if (sl === null) return { ok: false, error: isResponse ? 'bad_status_line' : 'bad_request_line' };
  if (sl.version !== 'HTTP/1.1' && sl.version !== 'HTTP/1.0') anomalies.push('unusual_version');

  const h: HttpHead = {
    kind: sl.kind,
    method: sl.method,
    uri: null,
    version: sl.version,
    status_code: sl.status,
    reason: sl.reason,
    header_names: [],
    host: null,
    user_agent: null,
    referrer_host: null,
    server: null,
    x_powered_by: null,
    content_type: null,
    content_length: null,
    transfer_encoding: null,
    chunked: false,
    bad_length: false,
    upgrade: null,
    auth: null,
    challenges: [],
    cookie_count: 0,
    set_cookie_count: 0,
    password_in_uri: false,
    anomalies,
  };
  if (sl.kind === 'request') {
    const t = reduceTarget(m, sl.targetStart, sl.targetEnd);
    h.uri = t.uri;
    if (t.cut) anomalies.push('long_uri');
    if (t.userinfo) anomalies.push('uri_userinfo');
    const q = t.uri.indexOf('?');
    h.password_in_uri = t.password || (q >= 0 && t.uri.slice(q + 1).split('&').some((p) => isPasswordName(p.slice(0, -1))));
  }
  const { fields, blank } = line.terminated ? readFields(r, line.next, h.header_names) : { fields: [], blank: false };
  if (!blank && !anomalies.includes('too_many_headers')) anomalies.push('truncated_head');
  interpretFields(r, fields, h);
  return { ok: true, value: h };
}
