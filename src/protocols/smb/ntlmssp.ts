/**
 * NTLMSSP ([MS-NLMP] §2.2) inside an SMB security blob, usually wrapped in SPNEGO (RFC 4178 §4.2, DER): the
 * NEGOTIATE, CHALLENGE and AUTHENTICATE messages' identity fields — OS version (§2.2.2.10), target name and target
 * info AV pairs (§2.2.2.1: NetBIOS/DNS computer and domain names, timestamp), and the authenticating domain, user
 * and workstation.
 *
 * The LM/NT challenge responses, the session key, the MIC and the server challenge are never read into the result:
 * only their presence is implied by the message type. Pure; never throws; every read is bounded by the given bytes.
 */
import { decodeWireText, hexText } from '../wire-text.js';

/** NTLMSSP signature "NTLMSSP\0". */
const SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];
/** Most characters kept of any NTLMSSP string (names are ≤ 255 in practice). */
export const MAX_NTLM_STRING_CHARS = 256;
/** Most AV pairs read from a target info block. */
export const MAX_AV_PAIRS = 32;
/** Deepest DER nesting followed in a SPNEGO token. */
export const MAX_DER_DEPTH = 6;

/** NTLMSSP_NEGOTIATE_UNICODE. */
const FLAG_UNICODE = 0x00000001;
/** NTLMSSP_NEGOTIATE_VERSION. */
const FLAG_VERSION = 0x02000000;

/** Anomalies an NTLMSSP message can carry, with their meaning. */
export const NTLM_ANOMALIES = {
  ntlm_truncated: 'the message is shorter than its fixed fields',
  ntlm_field_out_of_bounds: 'a string or target-info field points outside the message',
  ntlm_unknown_type: 'a message type other than 1, 2, 3',
  ntlm_av_pairs_cut: 'target info has no MsvAvEOL or more pairs than MAX_AV_PAIRS',
  spnego_malformed: 'the security blob is neither NTLMSSP nor a SPNEGO token with an NTLMSSP mechToken',
} as const;

/** The sender's VERSION structure (§2.2.2.10). */
export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  /** NTLMRevisionCurrent (15 for NTLMv2-era hosts). */
  ntlm_revision: number;
}

/** Names and timestamp of a CHALLENGE's target info (§2.2.2.1). */
export interface NtlmTargetInfo {
  nb_computer: string | null;
  nb_domain: string | null;
  dns_computer: string | null;
  dns_domain: string | null;
  dns_tree: string | null;
  /** MsvAvTimestamp as an ISO 8601 UTC time. */
  timestamp: string | null;
}

/** One NTLMSSP message, identity fields only. */
export interface NtlmMessage {
  /** 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE. */
  type: number;
  type_name: 'negotiate' | 'challenge' | 'authenticate' | 'unknown';
  flags: number;
  version: NtlmVersion | null;
  /** NEGOTIATE: the supplied domain; AUTHENTICATE: the user's domain. */
  domain: string | null;
  /** NEGOTIATE / AUTHENTICATE: the client workstation name. */
  workstation: string | null;
  /** AUTHENTICATE: the user name ("" for anonymous). */
  user: string | null;
  /** CHALLENGE: the target (server or domain) name. */
  target_name: string | null;
  /** CHALLENGE: the target info AV pairs. */
  target_info: NtlmTargetInfo | null;
  anomalies: string[];
}

/** Parse result. */
export type NtlmParseResult = { ok: true; value: NtlmMessage } | { ok: false; error: string };

const le16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** Text of UTF-16LE b[start, end), at most MAX_NTLM_STRING_CHARS code units, non-printables escaped. */
export function utf16Text(b: Uint8Array, start: number, end: number): string {
  let out = '';
  const stop = Math.min(end, start + 2 * MAX_NTLM_STRING_CHARS);
  for (let i = start; i + 1 < stop; i += 2) {
    const u = le16(b, i);
    out += u < 0x20 || u === 0x7f || (u >= 0xd800 && u <= 0xdfff) ? `\\u${u.toString(16).padStart(4, '0')}` : String.fromCharCode(u);
  }
  return out;
}

/** End of UTF-16LE b[start, end) without trailing NUL code units (Samba NUL-terminates some AV pair names). */
function trimUtf16Nuls(b: Uint8Array, start: number, end: number): number {
  while (end - start >= 2 && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
  return end;
}

/** Text of an OEM (8-bit) string b[start, end), at most MAX_NTLM_STRING_CHARS bytes. */
export function oemText(b: Uint8Array, start: number, end: number): string {
  return decodeWireText(b, start, Math.min(end, start + MAX_NTLM_STRING_CHARS), true);
}

/** True when b[off, off+len) starts with the NTLMSSP signature. */
export function isNtlmssp(b: Uint8Array, off: number, len: number): boolean {
  if (len < SIGNATURE.length) return false;
  for (let i = 0; i < SIGNATURE.length; i++) if (b[off + i] !== SIGNATURE[i]) return false;
  return true;
}

/** A DER TLV: tag, value start and end (absolute). */
interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** The TLV at b[p] within [p, end), or null when its length does not fit. */
function readTlv(b: Uint8Array, p: number, end: number): Tlv | null {
  if (p + 2 > end) return null;
  const tag = b[p]!;
  let n = b[p + 1]!;
  let q = p + 2;
  if (n & 0x80) {
    const k = n & 0x7f;
    if (k === 0 || k > 3 || q + k > end) return null;
    n = 0;
    for (let i = 0; i < k; i++) n = n * 256 + b[q + i]!;
    q += k;
  }
  return q + n > end ? null : { tag, start: q, end: q + n };
}

/**
 * The NTLMSSP message inside a SPNEGO token b[start, end): the first OCTET STRING holding "NTLMSSP\0" found by a
 * depth-first walk of the constructed DER elements (NegTokenInit mechToken [2] or NegTokenResp responseToken [2]).
 */
function findInDer(b: Uint8Array, start: number, end: number, depth: number): [number, number] | null {
  let p = start;
  while (p < end) {
    const t = readTlv(b, p, end);
    if (t === null) return null;
    if (t.tag === 0x04 && isNtlmssp(b, t.start, t.end - t.start)) return [t.start, t.end];
    if ((t.tag & 0x20) !== 0 && depth < MAX_DER_DEPTH) {
      const r = findInDer(b, t.start, t.end, depth + 1);
      if (r !== null) return r;
    }
    p = t.end;
  }
  return null;
}

/**
 * Where the NTLMSSP message of a security blob b[off, off+len) is: the blob itself (raw NTLMSSP) or the mechToken of
 * its SPNEGO wrapping. Null when there is none (Kerberos, an empty NegTokenInit2, a final NegTokenResp).
 */
export function locateNtlmssp(b: Uint8Array, off: number, len: number): [number, number] | null {
  if (isNtlmssp(b, off, len)) return [off, off + len];
  return findInDer(b, off, off + len, 0);
}

/** A string field (len, maxlen, offset) at b[m+at] of the message b[m, end), or null when absent/out of bounds. */
function stringField(b: Uint8Array, m: number, end: number, at: number, unicode: boolean, anomalies: string[]): string | null {
  if (m + at + 8 > end) return null;
  const n = le16(b, m + at);
  const o = le32(b, m + at + 4);
  if (n === 0) return '';
  if (o > end - m || n > end - m - o) {
    anomalies.push('ntlm_field_out_of_bounds');
    return null;
  }
  return unicode ? utf16Text(b, m + o, m + o + n) : oemText(b, m + o, m + o + n);
}

/** Smallest nonzero-length payload offset among the fields at `ats` (a bound on where fixed fields end). */
function payloadStart(b: Uint8Array, m: number, end: number, ats: readonly number[]): number {
  let min = Infinity;
  for (const at of ats) if (m + at + 8 <= end && le16(b, m + at) > 0) min = Math.min(min, le32(b, m + at + 4));
  return min;
}

/** The VERSION at b[m+at] when the flag says so and the payload does not start before it ends. */
function version(b: Uint8Array, m: number, end: number, at: number, flags: number, payload: number): NtlmVersion | null {
  if ((flags & FLAG_VERSION) === 0 || m + at + 8 > end || payload < at + 8) return null;
  return { major: b[m + at]!, minor: b[m + at + 1]!, build: le16(b, m + at + 2), ntlm_revision: b[m + at + 7]! };
}

/** Latest time written: the end of year 9999 (ISO 8601 / RFC 3339 have four-digit years). */
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** FILETIME (100 ns since 1601) at b[o] as ISO 8601, or null past year 9999. */
function filetime(b: Uint8Array, o: number): string | null {
  const ticks = le32(b, o + 4) * 2 ** 32 + le32(b, o);
  const ms = Math.floor(ticks / 10_000) - 11_644_473_600_000;
  return ms > MAX_TIME_MS ? null : new Date(ms).toISOString();
}

const AV_NAMES: Readonly<Record<number, keyof Omit<NtlmTargetInfo, 'timestamp'>>> = {
  1: 'nb_computer', 2: 'nb_domain', 3: 'dns_computer', 4: 'dns_domain', 5: 'dns_tree',
};

/** The AV pairs of b[start, end) (§2.2.2.1). */
function targetInfo(b: Uint8Array, start: number, end: number, anomalies: string[]): NtlmTargetInfo {
  const ti: NtlmTargetInfo = { nb_computer: null, nb_domain: null, dns_computer: null, dns_domain: null, dns_tree: null, timestamp: null };
  let p = start;
  for (let i = 0; i < MAX_AV_PAIRS; i++) {
    if (p + 4 > end) break;
    const id = le16(b, p);
    const n = le16(b, p + 2);
    if (id === 0) return ti;
    if (p + 4 + n > end) break;
    const name = AV_NAMES[id];
    if (name !== undefined) ti[name] = utf16Text(b, p + 4, trimUtf16Nuls(b, p + 4, p + 4 + n));
    else if (id === 7 && n === 8) ti.timestamp = filetime(b, p + 4);
    p += 4 + n;
  }
  anomalies.push('ntlm_av_pairs_cut');
  return ti;
}

function emptyMessage(type: number, flags: number): NtlmMessage {
  const names = ['unknown', 'negotiate', 'challenge', 'authenticate'] as const;
  return {
    type, type_name: names[type] ?? 'unknown', flags, version: null, domain: null, workstation: null, user: null,
    target_name: null, target_info: null, anomalies: [],
  };
}

/** NEGOTIATE (§2.2.1.1): flags @12, domain @16, workstation @24, version @32 (OEM strings). */
function negotiate(b: Uint8Array, m: number, end: number): NtlmMessage {
  const flags = m + 16 <= end ? le32(b, m + 12) : 0;
  const r = emptyMessage(1, flags);
  if (m + 16 > end) r.anomalies.push('ntlm_truncated');
  r.domain = stringField(b, m, end, 16, false, r.anomalies) || null;
  r.workstation = stringField(b, m, end, 24, false, r.anomalies) || null;
  r.version = version(b, m, end, 32, flags, payloadStart(b, m, end, [16, 24]));
  return r;
}

/** CHALLENGE (§2.2.1.2): target name @12, flags @20, target info @40, version @48. */
function challenge(b: Uint8Array, m: number, end: number): NtlmMessage {
  if (m + 32 > end) return { ...emptyMessage(2, 0), anomalies: ['ntlm_truncated'] };
  const flags = le32(b, m + 20);
  const r = emptyMessage(2, flags);
  const unicode = (flags & FLAG_UNICODE) !== 0;
  r.target_name = stringField(b, m, end, 12, unicode, r.anomalies);
  if (m + 48 <= end) {
    const n = le16(b, m + 40);
    const o = le32(b, m + 44);
    if (n > 0 && (o > end - m || n > end - m - o)) r.anomalies.push('ntlm_field_out_of_bounds');
    else if (n > 0) r.target_info = targetInfo(b, m + o, m + o + n, r.anomalies);
  }
  r.version = version(b, m, end, 48, flags, payloadStart(b, m, end, [12, 40]));
  return r;
}

/** AUTHENTICATE (§2.2.1.3): domain @28, user @36, workstation @44, flags @60, version @64; responses never read. */
function authenticate(b: Uint8Array, m: number, end: number): NtlmMessage {
  if (m + 52 > end) return { ...emptyMessage(3, 0), anomalies: ['ntlm_truncated'] };
  const flags = m + 64 <= end ? le32(b, m + 60) : 0;
  const r = emptyMessage(3, flags);
  const unicode = (flags & FLAG_UNICODE) !== 0;
  r.domain = stringField(b, m, end, 28, unicode, r.anomalies);
  r.user = stringField(b, m, end, 36, unicode, r.anomalies);
  r.workstation = stringField(b, m, end, 44, unicode, r.anomalies);
  r.version = version(b, m, end, 64, flags, payloadStart(b, m, end, [12, 20, 28, 36, 44, 52]));
  return r;
}

/** Parses the NTLMSSP message b[off, off+len) (starting with its signature). */
export function parseNtlmssp(b: Uint8Array, off: number, len: number): NtlmParseResult {
  if (off < 0 || len < 12 || off + len > b.length) return { ok: false, error: 'ntlm_truncated' };
  if (!isNtlmssp(b, off, len)) return { ok: false, error: 'not_ntlmssp' };
  const type = le32(b, off + 8);
  const end = off + len;
  if (type === 1) return { ok: true, value: negotiate(b, off, end) };
  if (type === 2) return { ok: true, value: challenge(b, off, end) };
  if (type === 3) return { ok: true, value: authenticate(b, off, end) };
  return { ok: true, value: { ...emptyMessage(type, 0), type_name: 'unknown', anomalies: ['ntlm_unknown_type'] } };
}

/** The NTLMSSP message of a security blob, or null (no NTLMSSP: Kerberos, empty SPNEGO hints, final responses). */
export function parseSecurityBlob(b: Uint8Array, off: number, len: number): NtlmMessage | null {
  const at = locateNtlmssp(b, off, len);
  if (at === null) return null;
  const r = parseNtlmssp(b, at[0], at[1] - at[0]);
  return r.ok ? r.value : null;
}

/** Hex of a GUID's 16 bytes at b[o] in the usual text form (first three fields little-endian). */
export function guidText(b: Uint8Array, o: number): string {
  const rev = (s: number, n: number): string => {
    let t = '';
    for (let i = n - 1; i >= 0; i--) t += hexText(b, o + s + i, o + s + i + 1);
    return t;
  };
  return `${rev(0, 4)}-${rev(4, 2)}-${rev(6, 2)}-${hexText(b, o + 8, o + 10)}-${hexText(b, o + 10, o + 16)}`;
}
