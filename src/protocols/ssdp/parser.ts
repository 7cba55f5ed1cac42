/**
 * SSDP message parser: one UDP payload (port 1900) → a flat `SsdpMessage` record. Pure: no state, no I/O, never
 * throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - UPnP Device Architecture 1.1 §1 "Discovery" (and 2.0 §1, same messages): §1.1.2 the HTTPU/HTTPMU message format,
 *   §1.2.2 NOTIFY ssdp:alive, §1.2.3 ssdp:byebye, §1.2.4 ssdp:update, §1.3.2 M-SEARCH, §1.3.3 the search response;
 *   headers HOST, CACHE-CONTROL (max-age), LOCATION, NT, NTS, SERVER, USN, MAN, MX, ST, USER-AGENT,
 *   BOOTID.UPNP.ORG, CONFIGID.UPNP.ORG, SEARCHPORT.UPNP.ORG;
 * - draft-cai-ssdp-v1-03 (the original SSDP draft: `M-SEARCH * HTTP/1.1`, `NOTIFY * HTTP/1.1`, ssdp:alive/byebye);
 * - RFC 7230 §3 (HTTP/1.1 message syntax: start line, header fields `name ":" OWS value OWS`, header names
 *   case-insensitive, §3.2.4 obsolete line folding, §3.5 a bare LF accepted as a line terminator);
 * - RFC 7234 §5.2 (Cache-Control directives, for max-age).
 *
 * Only a payload whose first line is neither an HTTP request line nor an HTTP status line fails; anything malformed
 * after a recognisable start line is recorded in `anomalies` (names below) and parsing goes on.
 *
 * Text from the wire is decoded as UTF-8 when the bytes are valid UTF-8 and as Latin-1 otherwise, with control
 * characters escaped (`\xNN`, `\\`, `\uNNNN`; src/protocols/wire-text.ts), so a value can be logged safely.
 */
import {
  asciiLower,
  limitedText,
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

/** Largest payload parsed; longer input is cut here (SSDP messages are a few hundred bytes; UDA 1.1 §1.1.2 says
 * a message should fit one UDP datagram without IP fragmentation). */
export const MAX_SSDP_BYTES = 8192;
/** Most header fields kept; parsing stops at the next one. */
export const MAX_HEADERS = 64;
/** Longest header value (and request target / reason phrase) kept, in bytes; a longer one is cut. */
export const MAX_HEADER_VALUE = 1024;
/** Longest method token accepted (the longest registered HTTP method name is 17 bytes). */
export const MAX_METHOD_BYTES = 32;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the header name in
 * lower case (or the field), e.g. `duplicate_header:st`, `bad_number:mx`.
 */
export const SSDP_ANOMALIES = {
  /** The payload was longer than MAX_SSDP_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_SSDP_BYTES, cut',
  /** Empty lines before the start line (skipped). */
  leading_blank_line: 'empty line(s) before the start line',
  /** At least one line ends with a bare LF instead of CRLF (accepted, RFC 7230 §3.5). */
  lf_line_endings: 'line terminated by LF alone',
  /** A bare CR inside a line (kept, escaped as \x0d). */
  bare_cr: 'CR not followed by LF inside a line',
  /** The request target of M-SEARCH / NOTIFY is not "*" (UDA 1.1 §1.2.2, §1.3.2). */
  target_not_asterisk: 'M-SEARCH or NOTIFY with a request target other than *',
  /** The HTTP version is not HTTP/1.1 (UDA 1.1 §1.1.2 requires 1.1; some stacks send 1.0). */
  not_http_1_1: 'HTTP version other than HTTP/1.1',
  /** A header line without a colon (skipped). */
  header_without_colon: 'header line without ":"',
  /** A header line with nothing before the colon (skipped). */
  empty_header_name: 'header line with an empty name',
  /** Whitespace between the header name and the colon (accepted, name trimmed; RFC 7230 §3.2.4 forbids it). */
  space_before_colon: 'whitespace between header name and ":"',
  /** A line starting with SP/HT continues the previous header (obsolete folding, RFC 7230 §3.2.4); joined with one space. */
  folded_header: 'header value continued on a folded line',
  /** A folded line with no header before it (skipped). */
  orphan_fold: 'folded line before any header',
  /** More than MAX_HEADERS header lines; the rest were not read. */
  too_many_headers: 'more than MAX_HEADERS headers',
  /** A value longer than MAX_HEADER_VALUE bytes, cut (":name" of the header, or request_target / reason). */
  long_value: 'value longer than MAX_HEADER_VALUE bytes, cut',
  /** A header of interest sent twice (":name"); the first one is used, both are listed in `headers`. */
  duplicate_header: 'header of interest repeated, first kept',
  /** A numeric header (MX, BOOTID.UPNP.ORG, CONFIGID.UPNP.ORG, SEARCHPORT.UPNP.ORG, max-age) is not a number (":field"). */
  bad_number: 'numeric value not a decimal number in range',
  /** The payload ends in the middle of a line (no line terminator at the end). */
  truncated_header: 'payload ends inside a line',
  /** Every line is terminated but no empty line ends the headers. */
  no_blank_line: 'no empty line after the headers',
  /** Bytes other than CR, LF, SP, NUL after the empty line (SSDP messages have no body). */
  body_present: 'data after the empty line',
} as const;

/** An anomaly name. */
export type SsdpAnomaly = keyof typeof SSDP_ANOMALIES;

/** What an SSDP message is (UDA 1.1 §1). */
export type SsdpKind = 'search' | 'notify' | 'response' | 'other';

/** One header field, as sent. */
export interface SsdpHeader {
  /** The name with its case as sent, text-escaped. */
  name: string;
  /** The value, leading and trailing SP/HT removed, folded lines joined with one space, text-escaped. */
  value: string;
}

/**
 * One decoded SSDP message. Start-line fields are null when they do not apply to the kind; header fields are null
 * when the header is absent (the first instance wins when repeated). Raw header values are all in `headers`.
 */
export interface SsdpMessage {
  /** `search` (M-SEARCH), `notify` (NOTIFY), `response` (an HTTP status line), `other` (any other method). */
  kind: SsdpKind;
  /** The request method as sent (case-sensitive, RFC 7230 §3.1.1), null for a response. */
  method: string | null;
  /** The request target ("*" in SSDP), null for a response. */
  request_target: string | null;
  /** The status code (200 for a search response), null for a request. */
  status_code: number | null;
  /** The reason phrase ("OK"), possibly empty; null for a request. */
  reason: string | null;
  /** The protocol version of the start line, e.g. "HTTP/1.1". */
  http_version: string;
  /** HOST (239.255.255.250:1900 or [FF02::C]:1900). */
  host: string | null;
  /** ST: the search target (M-SEARCH, search response). */
  st: string | null;
  /** NT: the notification type (NOTIFY). */
  nt: string | null;
  /** NTS: ssdp:alive, ssdp:byebye or ssdp:update (NOTIFY). */
  nts: string | null;
  /** USN: unique service name. */
  usn: string | null;
  /** The device UUID from USN (`uuid:<this>` up to `::`), as sent; null when USN does not start with "uuid:". */
  uuid: string | null;
  /** LOCATION: URL of the device description. */
  location: string | null;
  /** SERVER: "OS/version UPnP/x.y product/version". */
  server: string | null;
  /** USER-AGENT (M-SEARCH, UDA 1.1+). */
  user_agent: string | null;
  /** CACHE-CONTROL as sent. */
  cache_control: string | null;
  /** The max-age directive of CACHE-CONTROL, seconds. */
  max_age: number | null;
  /** MAN (M-SEARCH: "ssdp:discover", with its quotes). */
  man: string | null;
  /** MX: maximum wait in seconds (multicast M-SEARCH). */
  mx: number | null;
  /** BOOTID.UPNP.ORG. */
  bootid: number | null;
  /** CONFIGID.UPNP.ORG. */
  configid: number | null;
  /** SEARCHPORT.UPNP.ORG. */
  searchport: number | null;
  /** Every header in wire order (at most MAX_HEADERS). */
  headers: SsdpHeader[];
  /** Malformed things met (see SSDP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseSsdp. */
export type SsdpParseResult = { ok: true; value: SsdpMessage } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

/** The text headers of interest by lower-case name. */
const TEXT_HEADERS = {
  host: 'host',
  st: 'st',
  nt: 'nt',
  nts: 'nts',
  usn: 'usn',
  location: 'location',
  server: 'server',
  'user-agent': 'user_agent',
  'cache-control': 'cache_control',
  man: 'man',
} as const satisfies Record<string, keyof SsdpMessage>;

/** The numeric headers of interest by lower-case name, with the largest value accepted. */
const NUMBER_HEADERS = {
  mx: { field: 'mx', max: 0x7fffffff },
  'bootid.upnp.org': { field: 'bootid', max: 0x7fffffff }, // UDA 1.1 §1.2.2: 0 … 2^31-1
  'configid.upnp.org': { field: 'configid', max: 0x7fffffff }, // UDA 1.1 §1.2.2: 0 … 16777215 (not enforced)
  'searchport.upnp.org': { field: 'searchport', max: 65_535 }, // UDA 1.1 §1.2.2: 49152 … 65535 (not enforced)
} as const satisfies Record<string, { field: keyof SsdpMessage; max: number }>;

/** A non-negative decimal integer ≤ max, or null. */
function decimal(s: string, max: number): number | null {
  if (!/^[0-9]{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

/** The max-age directive (RFC 7234 §5.2.2.8) of a Cache-Control value: undefined when absent, null when malformed. */
function maxAgeOf(cc: string): number | null | undefined {
  for (const d of cc.split(',')) {
    const m = /^\s*max-age\s*=\s*(.*?)\s*$/i.exec(d);
    if (m === null) continue;
    const v = m[1]!.startsWith('"') && m[1]!.endsWith('"') && m[1]!.length >= 2 ? m[1]!.slice(1, -1) : m[1]!;
    return decimal(v, 0x7fffffff);
  }
  return undefined;
}

/** The UUID of a USN (UDA 1.1 §1.1.4): text after "uuid:" up to "::" or the end; null when there is none. */
function uuidOf(usn: string): string | null {
  if (!/^uuid:/i.test(usn)) return null;
  const end = usn.indexOf('::', 5);
  const u = usn.slice(5, end < 0 ? usn.length : end).trim();
  return u === '' ? null : u;
}

/** True if b[start, end) is one token of visible ASCII (RFC 7230 tchar is stricter; this rejects binary). */
function isVisibleToken(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) if (b[i]! <= SP || b[i]! >= 0x7f) return false;
  return true;
}

/**
 * Parses one SSDP message from b[off, off+len) (a UDP payload).
 *
 * Fails (`ok: false`) only for bad bounds, an empty payload or a first line that is neither an HTTP request line
 * (`METHOD SP target SP HTTP/x.y`) nor a status line (`HTTP/x.y SP 3DIGIT SP reason`); everything else malformed is
 * reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseSsdp(b: Uint8Array, off: number, len: number): SsdpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const anomalies: string[] = [];
  if (len > MAX_SSDP_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_SSDP_BYTES;
  }
  // A view of the message, so every offset below is message-relative and bounded by m.length.
  const m = b.subarray(off, off + len);
  const r = lineReader(m, anomalies);

  // Start line, after any empty lines.
  const line = readStartLine(r);
  if (line === null) return { ok: false, error: 'empty' };

  const { start: s, end: e } = line;
  const t1 = nextSpace(m, s, e);
  let kind: SsdpKind;
  let method: string | null = null;
  let requestTarget: string | null = null;
  let statusCode: number | null = null;
  let reason: string | null = null;
  let httpVersion: string;
  if (startsWith(m, s, t1, 'HTTP/')) {
    // Status line (RFC 7230 §3.1.2).
    if (!isVisibleToken(m, s, t1)) return { ok: false, error: 'bad_status_line' };
    const c = skipSpace(m, t1, e);
    const code = c === t1 ? -1 : statusCodeAt(m, c, e);
    if (code < 0) return { ok: false, error: 'bad_status_line' };
    kind = 'response';
    httpVersion = decodeWireText(m, s, t1);
    statusCode = code;
    const rs = skipSpace(m, c + 3, e);
    reason = limitedText(r, rs, trimEnd(m, rs, e), MAX_HEADER_VALUE, 'reason');
  } else {
    // Request line (RFC 7230 §3.1.1): method SP request-target SP HTTP-version.
    if (!isVisibleToken(m, s, t1) || t1 - s > MAX_METHOD_BYTES) return { ok: false, error: 'bad_request_line' };
    const ts = skipSpace(m, t1, e);
    const te = nextSpace(m, ts, e);
    const vs = skipSpace(m, te, e);
    const ve = trimEnd(m, vs, e);
    if (ts === te || !startsWith(m, vs, ve, 'HTTP/') || !isVisibleToken(m, vs, ve)) return { ok: false, error: 'bad_request_line' };
    method = decodeWireText(m, s, t1);
    kind = method === 'M-SEARCH' ? 'search' : method === 'NOTIFY' ? 'notify' : 'other';
    requestTarget = limitedText(r, ts, te, MAX_HEADER_VALUE, 'request_target');
    httpVersion = decodeWireText(m, vs, ve);
    if (kind !== 'other' && requestTarget !== '*') anomalies.push('target_not_asterisk');
  }
  if (httpVersion !== 'HTTP/1.1') anomalies.push('not_http_1_1');

  // Header fields (RFC 7230 §3.2), up to the empty line.
  const headers: SsdpHeader[] = [];
  /** Bytes of each header's value so far (for MAX_HEADER_VALUE across folded lines). */
  const valueBytes: number[] = [];
  let blank = false;
  let tooMany = false;
  let truncated = !line.terminated;
  let p = line.next;
  while (p < m.length) {
    const l = readLine(r, p);
    p = l.next;
    if (!l.terminated) truncated = true;
    if (l.end === l.start) { blank = true; break; } // only a terminated line can be empty here
    if (m[l.start] === SP || m[l.start] === HT) {
      // Obsolete line folding: the line continues the previous header's value.
      const last = headers.length - 1;
      if (last < 0) { anomalies.push('orphan_fold'); continue; }
      anomalies.push('folded_header');
      const cs = skipSpace(m, l.start, l.end);
      const ce = trimEnd(m, cs, l.end);
      const h = headers[last]!;
      const sep = h.value === '' ? 0 : 1;
      const room = MAX_HEADER_VALUE - valueBytes[last]! - sep;
      if (ce > cs) {
        if (room <= 0) anomalies.push(`long_value:${asciiLower(h.name)}`);
        else {
          const text = limitedText(r, cs, ce, room, asciiLower(h.name));
          h.value = sep === 0 ? text : `${h.value} ${text}`;
          valueBytes[last] = valueBytes[last]! + sep + Math.min(ce - cs, room);
        }
      }
      continue;
    }
    let colon = l.start;
    while (colon < l.end && m[colon] !== 0x3a) colon++;
    if (colon === l.end) { anomalies.push('header_without_colon'); continue; }
    const ne = trimEnd(m, l.start, colon);
    if (ne === l.start) { anomalies.push('empty_header_name'); continue; }
    if (ne !== colon) anomalies.push('space_before_colon');
    if (headers.length >= MAX_HEADERS) { anomalies.push('too_many_headers'); tooMany = true; break; }
    const name = decodeWireText(m, l.start, ne);
    const vs = skipSpace(m, colon + 1, l.end);
    const ve = trimEnd(m, vs, l.end);
    headers.push({ name, value: limitedText(r, vs, ve, MAX_HEADER_VALUE, asciiLower(name)) });
    valueBytes.push(Math.min(ve - vs, MAX_HEADER_VALUE));
  }
  if (blank) {
    for (let i = p; i < m.length; i++) {
      const c = m[i]!;
      if (c !== CR && c !== LF && c !== SP && c !== 0) { anomalies.push('body_present'); break; }
    }
  } else if (!tooMany) {
    anomalies.push(truncated ? 'truncated_header' : 'no_blank_line');
  }

  const msg: SsdpMessage = {
    kind,
    method,
    request_target: requestTarget,
    status_code: statusCode,
    reason,
    http_version: httpVersion,
    host: null,
    st: null,
    nt: null,
    nts: null,
    usn: null,
    uuid: null,
    location: null,
    server: null,
    user_agent: null,
    cache_control: null,
    max_age: null,
    man: null,
    mx: null,
    bootid: null,
    configid: null,
    searchport: null,
    headers,
    anomalies,
  };
  // Headers of interest: the first instance of each; names compared without regard to case (RFC 7230 §3.2).
  const seen = new Set<string>();
  for (const h of headers) {
    const key = asciiLower(h.name);
    const text = TEXT_HEADERS[key as keyof typeof TEXT_HEADERS];
    const num = NUMBER_HEADERS[key as keyof typeof NUMBER_HEADERS];
    if (text === undefined && num === undefined) continue;
    if (seen.has(key)) { anomalies.push(`duplicate_header:${key}`); continue; }
    seen.add(key);
    if (text !== undefined) msg[text] = h.value;
    else {
      const n = decimal(h.value, num.max);
      if (n === null) anomalies.push(`bad_number:${num.field}`);
      msg[num.field] = n;
    }
  }
  if (msg.cache_control !== null) {
    const a = maxAgeOf(msg.cache_control);
    if (a === null) anomalies.push('bad_number:max_age');
    msg.max_age = a ?? null;
  }
  if (msg.usn !== null) msg.uuid = uuidOf(msg.usn);
  return { ok: true, value: msg };
}
