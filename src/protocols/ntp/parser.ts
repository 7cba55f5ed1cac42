/**
 * NTP message parser: one UDP payload (port 123) → a flat `NtpMessage` record. Pure: no state, no I/O, never throws,
 * never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 5905 §7.3 (NTPv4 packet header: LI, VN, Mode, Stratum, Poll, Precision, Root Delay, Root Dispersion,
 *   Reference ID, four 64-bit timestamps), §7.4 (kiss-o'-death codes), §7.5 (extension fields and MAC), §6 (the
 *   short and timestamp formats; a zero timestamp means "unknown");
 * - RFC 7822 §3 (extension field length: at least 16 octets, a multiple of 4; an extension field is recognised only
 *   while more than the largest MAC remains) and RFC 5905 erratum 3627;
 * - RFC 8573 (AES-CMAC MAC) and RFC 8915 (NTS extension fields): listed by type and length only;
 * - RFC 1305 (NTPv3), RFC 1119 (NTPv2), RFC 1059 (NTPv1): the same 48-byte header (v1 has no mode: its mode bits
 *   are zero, mode 0), the authenticator after it (key id + DES/MD5 digest); RFC 1305 Appendix B and RFC 9327
 *   (mode 6 control messages: R/E/M bits, opcode, sequence, status, association id, offset, count, data);
 * - the ntpd reference implementation's mode 7 ("private") request/response header (ntp_request.h: R/M bits,
 *   auth bit + sequence, implementation, request code, error + item count, item size); no RFC describes it;
 * - RFC 4330 §3 (era rule for 64-bit timestamps: most significant bit set → 1968–2036 from 1900-01-01, clear →
 *   2036–2104 from 2036-02-07).
 *
 * The message is recognised by its mode (the low 3 bits of the first byte): 6 control, 7 private, anything else
 * (0–5) the standard header. A payload shorter than the header its mode needs fails; everything malformed after a
 * complete header is recorded in `anomalies` (names below).
 */
import { decodeWireText, hexText, ipv4Text } from '../wire-text.js';

/** Bytes of the standard header (modes 0–5; RFC 5905 §7.3). */
export const NTP_HEADER_BYTES = 48;
/** Bytes of the mode 6 control header (RFC 9327 §2). */
export const NTP_CONTROL_HEADER_BYTES = 12;
/** Bytes of the mode 7 private header (ntpd ntp_request.h). */
export const NTP_PRIVATE_HEADER_BYTES = 8;
/** Largest payload parsed; longer input is cut here. */
export const MAX_NTP_MESSAGE_BYTES = 65_535;
/** Most extension fields listed; walking stops after them. */
export const MAX_NTP_EXTENSIONS = 32;
/** Largest legacy MAC of RFC 7822 §3: a 4-byte key id and a 160-bit (SHA-1) digest (only more than this can hold an extension field). */
export const MAX_NTP_MAC_BYTES = 24;
/** Smallest extension field (RFC 7822 §3). */
export const MIN_NTP_EXTENSION_BYTES = 16;
/** Largest mode 6 data area (RFC 9327 §2: 468 octets per message). */
export const MAX_NTP_CONTROL_DATA = 468;
/** Most variables decoded from one mode 6 read-variables response. */
export const MAX_NTP_CONTROL_VARS = 64;
/** Longest variable name or value kept (bytes); a longer one is cut. */
export const MAX_NTP_CONTROL_VAR_BYTES = 256;

/** Seconds from the NTP era 0 origin (1900-01-01) to the Unix epoch (1970-01-01). */
const NTP_UNIX_OFFSET = 2_208_988_800;
/** 2^32. */
const TWO32 = 4_294_967_296;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and a detail (a length).
 */
export const NTP_ANOMALIES = {
  /** The payload was longer than MAX_NTP_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_NTP_MESSAGE_BYTES, cut',
  /** Version 0 or 5–7 (only 1–4 are defined). */
  unknown_version: 'version number not 1-4',
  /** More than MAX_NTP_EXTENSIONS extension fields; the rest are not listed. */
  too_many_extensions: 'more than MAX_NTP_EXTENSIONS extension fields',
  /** 1–3 bytes after the header and extension fields: too short for a MAC key id (":length"). */
  bad_mac_length: 'trailing bytes too short for a MAC (":length")',
  /** A mode 6 count larger than the data present or than 468; the data decoded is cut. */
  bad_control_count: 'control message count runs past the payload or exceeds 468',
  /** A read-variables response whose data is not a list of name[=value] items; the items before are kept. */
  bad_control_vars: 'control read-variables data malformed',
  /** More than MAX_NTP_CONTROL_VARS variables; the rest are not kept. */
  too_many_control_vars: 'more than MAX_NTP_CONTROL_VARS variables',
  /** A mode 7 item count × item size larger than the data present. */
  bad_private_items: 'private message items run past the payload',
} as const;

/** An anomaly name. */
export type NtpAnomaly = keyof typeof NTP_ANOMALIES;

/** Mode names (RFC 5905 Figure 10; 6 and 7 as RFC 1305 names their use). */
export const NTP_MODE_NAMES: readonly string[] = [
  'reserved',
  'symmetric_active',
  'symmetric_passive',
  'client',
  'server',
  'broadcast',
  'control',
  'private',
];

/** One extension field (RFC 7822 §3): its type and its whole length (header included). */
export interface NtpExtension {
  type: number;
  length: number;
}

/** One variable of a mode 6 read-variables response: `name` or `name=value`, quotes around the value removed. */
export interface NtpControlVar {
  name: string;
  /** Null for a name without "=". */
  value: string | null;
}

/** One entry of a read-status response: an association and its peer status word. */
export interface NtpAssociation {
  id: number;
  status: number;
}

/** The mode 6 control header (RFC 9327 §2) and, for a read-variables response, its variables. */
export interface NtpControl {
  /** R bit: a response. */
  response: boolean;
  /** E bit: an error response. */
  error: boolean;
  /** M bit: more fragments follow. */
  more: boolean;
  /** Opcode (1 read status, 2 read variables, 3 write variables, 4 read clock variables, … 31). */
  opcode: number;
  sequence: number;
  /** Status word (system, peer, clock or error status, depending on opcode and association id). */
  status: number;
  association_id: number;
  offset: number;
  /** Bytes of data, as the header says. */
  count: number;
  /**
   * The (association id, peer status) pairs of a read-status (opcode 1) response for association 0 that is not an
   * error (RFC 9327 §3.1); null otherwise. At most MAX_NTP_CONTROL_DATA / 4 entries.
   */
  associations: NtpAssociation[] | null;
  /**
   * The variables of a read-variables (opcode 2) or read-clock-variables (opcode 4) response that is not an error;
   * null otherwise. Text-escaped, names and values cut at MAX_NTP_CONTROL_VAR_BYTES. Each fragment is decoded on its
   * own: the last item of a fragment with `more` set may be cut, and the first item of a later fragment (offset > 0)
   * may be the tail of that cut item (a "name" such as `0.00 0.00` without a value).
   */
  vars: NtpControlVar[] | null;
}

/** The mode 7 private header (ntpd ntp_request.h). */
export interface NtpPrivate {
  /** R bit: a response. */
  response: boolean;
  /** M bit: more fragments follow. */
  more: boolean;
  /** A bit: the request is authenticated. */
  auth: boolean;
  /** Sequence number (7 bits). */
  sequence: number;
  /** Implementation number (0 universal, 2 xntpd old, 3 xntpd). */
  implementation: number;
  /** Request code (e.g. 42 MON_GETLIST_1, the "monlist" request). */
  request_code: number;
  /** Error code (4 bits, responses). */
  error: number;
  item_count: number;
  item_size: number;
}

/**
 * One decoded NTP message. `leap`, `version`, `mode` are always present; the standard header fields are null for
 * modes 6 and 7, `control` is set for mode 6 only and `private` for mode 7 only.
 */
export interface NtpMessage {
  /** Leap indicator (0 no warning, 1 last minute has 61 s, 2 has 59 s, 3 unsynchronised); null in mode 7. */
  leap: number | null;
  /** Version number (1–4). */
  version: number;
  /** Mode (0–7). */
  mode: number;
  /** See NTP_MODE_NAMES. */
  mode_name: string;
  /** Stratum (0 unspecified / kiss-o'-death, 1 primary, 2–15 secondary, 16 unsynchronised). */
  stratum: number | null;
  /** Poll interval, log2 seconds (signed). */
  poll: number | null;
  /** Precision, log2 seconds (signed). */
  precision: number | null;
  /** Root delay, seconds (NTP short format, 16.16). */
  root_delay: number | null;
  /** Root dispersion, seconds (NTP short format, 16.16). */
  root_dispersion: number | null;
  /**
   * Reference ID as text: for stratum 0 (kiss code) and 1 (reference clock) the 4 ASCII characters without trailing
   * NULs (text-escaped); otherwise the dotted quad of the 4 bytes (the server's IPv4 address, or for an IPv6 server
   * the first 4 bytes of an MD5 hash of its address).
   */
  ref_id: string | null;
  /** Reference ID bytes, 8 lower-case hex digits. */
  ref_id_raw: string | null;
  /** Reference timestamp, ISO-8601 UTC with nanoseconds; null when zero. */
  reference_time: string | null;
  /** Origin timestamp; null when zero. */
  origin_time: string | null;
  /** Receive timestamp; null when zero. */
  receive_time: string | null;
  /** Transmit timestamp; null when zero. */
  transmit_time: string | null;
  /** NTPv4 extension fields (RFC 7822), in wire order. */
  extensions: NtpExtension[];
  /** Key identifier of the trailing MAC (authenticator); null without one. */
  key_id: number | null;
  /** Bytes of the trailing MAC, key id included (4 crypto-NAK, 20 MD5, 24 SHA-1, …); 0 without one. The digest is not kept. */
  mac_length: number;
  /** Mode 6 header. */
  control: NtpControl | null;
  /** Mode 7 header. */
  private: NtpPrivate | null;
  /** Malformed things met (see NTP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseNtp. */
export type NtpParseResult = { ok: true; value: NtpMessage } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Numbers and text

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Signed 8-bit value of byte `o`. */
function s8(b: Uint8Array, o: number): number {
  return (b[o]! << 24) >> 24;
}

/**
 * ISO-8601 UTC text of the 64-bit NTP timestamp at `o`, with nanoseconds (the fraction truncated, computed exactly);
 * null when the timestamp is zero (RFC 5905 §6). Era by RFC 4330 §3.
 */
export function ntpTimestampText(b: Uint8Array, o: number): string | null {
  const secs = u32(b, o);
  const frac = u32(b, o + 4);
  if (secs === 0 && frac === 0) return null;
  const unix = secs >= 0x80000000 ? secs - NTP_UNIX_OFFSET : secs + TWO32 - NTP_UNIX_OFFSET;
  // floor(frac · 10^9 / 2^32) without losing precision: split frac into 16-bit halves.
  const ns = Math.floor(((frac >>> 16) * 1e9 + Math.floor(((frac & 0xffff) * 1e9) / 65536)) / 65536);
  return `${utcSecondText(unix)}.${String(ns).padStart(9, '0')}Z`;
}

/** Two-digit texts 00–99. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `YYYY-MM-DDTHH:MM:SS` (UTC, as Date.toISOString) of Unix time `unix` in whole seconds, for the years 1900–2172 an NTP
 * timestamp spans; computed (days to civil date, proleptic Gregorian) rather than through a Date per timestamp.
 */
export function utcSecondText(unix: number): string {
  const days = Math.floor(unix / 86_400);
  const sod = unix - days * 86_400;
  // civil date of a day count (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil inverse)
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(sod / 3600);
  const mi = Math.floor((sod - h * 3600) / 60);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[h]}:${TWO_DIGITS[mi]}:${TWO_DIGITS[sod - h * 3600 - mi * 60]}`;
}

/** The reference ID as text (see NtpMessage.ref_id). */
function refIdText(b: Uint8Array, o: number, stratum: number): string {
  if (stratum > 1) return ipv4Text(b, o);
  let end = o + 4;
  while (end > o && b[end - 1] === 0) end--;
  return decodeWireText(b, o, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Standard header (modes 0–5)

/** True if b[p, end) starts with a plausible extension field: a non-zero type and a valid length (RFC 7822 §3). */
function extensionAt(b: Uint8Array, p: number, end: number): boolean {
  const len = u16(b, p + 2);
  return u16(b, p) !== 0 && len >= MIN_NTP_EXTENSION_BYTES && len % 4 === 0 && p + len <= end;
}

/**
 * Extension fields and MAC after the 48-byte header, b[start, end) (RFC 5905 §7.5, RFC 7822 §3). Only NTPv4 has
 * extension fields: while more than MAX_NTP_MAC_BYTES remain and the next bytes look like an extension field, one is
 * read. Whatever remains (at least 4 bytes) is the MAC: a key id and a digest of any length (MD5 16, SHA-1 20, AES-CMAC
 * 16, longer digests from other key types). The ambiguity between a MAC and an extension field is the protocol's
 * own (RFC 7822 §7.5); a type of zero is taken as a small key id, not an extension field.
 */
function readTrailer(m: Uint8Array, start: number, end: number, version: number, msg: NtpMessage): void {
  let p = start;
  while (version === 4 && end - p > MAX_NTP_MAC_BYTES && extensionAt(m, p, end)) {
    if (msg.extensions.length >= MAX_NTP_EXTENSIONS) {
      msg.anomalies.push('too_many_extensions');
      return;
    }
    const len = u16(m, p + 2);
    msg.extensions.push({ type: u16(m, p), length: len });
    p += len;
  }
  const rest = end - p;
  if (rest === 0) return;
  if (rest < 4) {
    msg.anomalies.push(`bad_mac_length:${rest}`);
    return;
  }
  msg.key_id = u32(m, p);
  msg.mac_length = rest;
}

function readStandard(m: Uint8Array, msg: NtpMessage): void {
  const stratum = m[1]!;
  msg.stratum = stratum;
  msg.poll = s8(m, 2);
  msg.precision = s8(m, 3);
  msg.root_delay = u32(m, 4) / 65536;
  msg.root_dispersion = u32(m, 8) / 65536;
  msg.ref_id = refIdText(m, 12, stratum);
  msg.ref_id_raw = hexText(m, 12, 16);
  msg.reference_time = ntpTimestampText(m, 16);
  msg.origin_time = ntpTimestampText(m, 24);
  msg.receive_time = ntpTimestampText(m, 32);
  msg.transmit_time = ntpTimestampText(m, 40);
  readTrailer(m, NTP_HEADER_BYTES, m.length, msg.version, msg);
}

// ---------------------------------------------------------------------------------------------------------------
// Mode 6 control

/** Read-variables opcodes whose responses carry a variable list (RFC 9327 §3.2, §3.4). */
const VARIABLE_OPCODES = new Set([2, 4]);

/** Text of b[start, end) cut at MAX_NTP_CONTROL_VAR_BYTES, surrounding blanks and one pair of quotes removed. */
function varText(b: Uint8Array, start: number, end: number): string {
  while (start < end && (b[start] === 0x20 || b[start] === 0x09)) start++;
  while (end > start && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  if (end - start >= 2 && b[start] === 0x22 && b[end - 1] === 0x22) { start++; end--; }
  return decodeWireText(b, start, Math.min(end, start + MAX_NTP_CONTROL_VAR_BYTES));
}

/**
 * The variables of read-variables data b[start, end) (RFC 9327 §3.2: `name=value` items separated by ","; values
 * may be quoted and may then hold commas; CR/LF between items are layout). Malformed data ends the list with an
 * anomaly; the items before it are kept.
 */
function controlVars(b: Uint8Array, start: number, end: number, anomalies: string[]): NtpControlVar[] {
  const vars: NtpControlVar[] = [];
  let p = start;
  while (p < end) {
    while (p < end && (b[p] === 0x2c || b[p] === 0x0d || b[p] === 0x0a || b[p] === 0x20 || b[p] === 0)) p++;
    if (p >= end) break;
    if (vars.length >= MAX_NTP_CONTROL_VARS) { anomalies.push('too_many_control_vars'); break; }
    const nameStart = p;
    while (p < end && b[p] !== 0x3d && b[p] !== 0x2c && b[p] !== 0x0d && b[p] !== 0x0a) p++;
    const nameEnd = p;
    let value: string | null = null;
    if (p < end && b[p] === 0x3d) {
      const vStart = ++p;
      let quoted = false;
      while (p < end && (quoted || (b[p] !== 0x2c && b[p] !== 0x0d && b[p] !== 0x0a))) {
        if (b[p] === 0x22) quoted = !quoted;
        p++;
      }
      if (quoted) { anomalies.push('bad_control_vars'); break; }
      value = varText(b, vStart, p);
    }
    const name = varText(b, nameStart, nameEnd);
    if (name === '') { anomalies.push('bad_control_vars'); break; }
    vars.push({ name, value });
  }
  return vars;
}

function readControl(m: Uint8Array, msg: NtpMessage): void {
  const f = m[1]!;
  const count = u16(m, 10);
  const c: NtpControl = {
    response: (f & 0x80) !== 0,
    error: (f & 0x40) !== 0,
    more: (f & 0x20) !== 0,
    opcode: f & 0x1f,
    sequence: u16(m, 2),
    status: u16(m, 4),
    association_id: u16(m, 6),
    offset: u16(m, 8),
    count,
    associations: null,
    vars: null,
  };
  let dataEnd = NTP_CONTROL_HEADER_BYTES + count;
  if (count > MAX_NTP_CONTROL_DATA || dataEnd > m.length) {
    msg.anomalies.push('bad_control_count');
    dataEnd = Math.min(m.length, NTP_CONTROL_HEADER_BYTES + MAX_NTP_CONTROL_DATA);
  }
  if (c.response && !c.error && c.opcode === 1 && c.association_id === 0) {
    c.associations = [];
    for (let p = NTP_CONTROL_HEADER_BYTES; p + 4 <= dataEnd; p += 4) c.associations.push({ id: u16(m, p), status: u16(m, p + 2) });
  }
  if (c.response && !c.error && VARIABLE_OPCODES.has(c.opcode) && dataEnd > NTP_CONTROL_HEADER_BYTES) {
    c.vars = controlVars(m, NTP_CONTROL_HEADER_BYTES, dataEnd, msg.anomalies);
  }
  msg.leap = m[0]! >> 6;
  msg.control = c;
}

// ---------------------------------------------------------------------------------------------------------------
// Mode 7 private

function readPrivate(m: Uint8Array, msg: NtpMessage): void {
  const p: NtpPrivate = {
    response: (m[0]! & 0x80) !== 0,
    more: (m[0]! & 0x40) !== 0,
    auth: (m[1]! & 0x80) !== 0,
    sequence: m[1]! & 0x7f,
    implementation: m[2]!,
    request_code: m[3]!,
    error: m[4]! >> 4,
    item_count: u16(m, 4) & 0x0fff,
    item_size: u16(m, 6) & 0x0fff,
  };
  if (NTP_PRIVATE_HEADER_BYTES + p.item_count * p.item_size > m.length) msg.anomalies.push('bad_private_items');
  msg.private = p;
}

// ---------------------------------------------------------------------------------------------------------------

/** Header bytes each mode needs. */
function headerBytes(mode: number): number {
  return mode === 6 ? NTP_CONTROL_HEADER_BYTES : mode === 7 ? NTP_PRIVATE_HEADER_BYTES : NTP_HEADER_BYTES;
}

/**
 * Parses one NTP message from b[off, off+len) (a UDP payload).
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than the header of its mode (48 bytes for modes 0–5,
 * 12 for mode 6, 8 for mode 7); everything else malformed is reported in `value.anomalies`. Never throws and never
 * reads outside b[off, off+len).
 */
export function parseNtp(b: Uint8Array, off: number, len: number): NtpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < 1) return { ok: false, error: 'empty' };
  const mode = b[off]! & 7;
  const need = headerBytes(mode);
  if (len < need) return { ok: false, error: `truncated_header: ${len} of ${need} bytes (mode ${mode})` };
  const anomalies: string[] = [];
  if (len > MAX_NTP_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_NTP_MESSAGE_BYTES;
  }
  const m = b.subarray(off, off + len);
  const version = (m[0]! >> 3) & 7;
  if (version < 1 || version > 4) anomalies.push('unknown_version');
  const msg: NtpMessage = {
    leap: null,
    version,
    mode,
    mode_name: NTP_MODE_NAMES[mode]!,
    stratum: null,
    poll: null,
    precision: null,
    root_delay: null,
    root_dispersion: null,
    ref_id: null,
    ref_id_raw: null,
    reference_time: null,
    origin_time: null,
    receive_time: null,
    transmit_time: null,
    extensions: [],
    key_id: null,
    mac_length: 0,
    control: null,
    private: null,
    anomalies,
  };
  if (mode === 6) readControl(m, msg);
  else if (mode === 7) readPrivate(m, msg);
  else {
    msg.leap = m[0]! >> 6;
    readStandard(m, msg);
  }
  return { ok: true, value: msg };
}
