/**
 * TLS handshake parsers: the record header, one handshake message (ClientHello, ServerHello, Certificate), and the
 * SSL 2.0 CLIENT-HELLO / SERVER-HELLO. Pure: no state, no I/O, never throws, never reads outside b[off, off+len).
 * Reassembling records and messages across TCP segments is analyzer.ts's job.
 *
 * Specs:
 * - RFC 8446 §5.1 (TLSPlaintext: content type, legacy_record_version, length ≤ 2^14; §5.2 TLSCiphertext ≤ 2^14+256),
 *   RFC 5246 §6.2 (TLS 1.2 records, ≤ 2^14+2048 with compression and MAC), §7.4 (handshake header);
 * - RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2 ClientHello, §4.1.3 / §7.4.1.3 ServerHello (and §4.1.4 HelloRetryRequest,
 *   recognised by its special random), RFC 5246 §7.4.2 Certificate (TLS ≤ 1.2; TLS 1.3 sends it encrypted);
 * - extensions: RFC 6066 §3 server_name, RFC 8422 §5.1 supported_groups and ec_point_formats, RFC 8446 §4.2.3
 *   signature_algorithms, RFC 7301 §3.1 ALPN, RFC 8446 §4.2.1 supported_versions, §4.2.8 key_share, §4.2.9
 *   psk_key_exchange_modes; RFC 8701 GREASE (values kept as sent; fingerprint.ts drops them);
 * - draft-hickman-netscape-ssl-00 (SSL 2.0) §2.1 record header, §2.5 CLIENT-HELLO and SERVER-HELLO; RFC 6101
 *   Appendix E.1 / RFC 5246 Appendix E.2 (the SSL 2.0-compatible ClientHello of SSL 3.0 / TLS clients).
 *
 * A message whose fixed fields do not fit fails; anything malformed after them (the extension block, an extension
 * body, a certificate) is an anomaly and parsing goes on.
 */
import { decodeWireText } from '../wire-text.js';
import { clientPrints, serverPrints } from './fingerprint.js';
import { parseCertificate, type X509Certificate } from './x509.js';

/** Largest record body accepted: TLSCiphertext of RFC 5246 §6.2.3 (2^14 + 2048). */
export const MAX_RECORD_LENGTH = 16384 + 2048;
/** Largest handshake message reassembled (certificate chains are a few KiB; RFC 8446 allows 2^24-1). */
export const MAX_HANDSHAKE_MESSAGE = 65536;
/** Most cipher suites kept from one ClientHello (the rest are counted in `too_many:cipher_suites`). */
export const MAX_CIPHER_SUITES = 512;
/** Most extensions read from one hello. */
export const MAX_EXTENSIONS = 128;
/** Most values kept from one extension list (groups, signature algorithms, versions, key shares, …). */
export const MAX_LIST_VALUES = 256;
/** Most ALPN protocol names kept. */
export const MAX_ALPN_PROTOCOLS = 32;
/** Longest server name or ALPN protocol name kept, in bytes (cut beyond, `long_value`). */
export const MAX_NAME_BYTES = 1024;
/** Most certificates parsed from one Certificate message (the rest counted in `certificate_count`). */
export const MAX_CERTIFICATES = 16;

/** Record content types (RFC 8446 §5.1, RFC 6520 heartbeat). */
export const CONTENT_TYPE = { CHANGE_CIPHER_SPEC: 20, ALERT: 21, HANDSHAKE: 22, APPLICATION_DATA: 23, HEARTBEAT: 24 } as const;

/** Handshake message types decoded here (RFC 8446 §4, RFC 5246 §7.4). */
export const HANDSHAKE_TYPE = { CLIENT_HELLO: 1, SERVER_HELLO: 2, CERTIFICATE: 11, CERTIFICATE_REQUEST: 13, SERVER_HELLO_DONE: 14 } as const;

/** Extension types decoded (IANA TLS ExtensionType registry). */
export const EXT = {
  SERVER_NAME: 0,
  SUPPORTED_GROUPS: 10,
  EC_POINT_FORMATS: 11,
  SIGNATURE_ALGORITHMS: 13,
  ALPN: 16,
  SUPPORTED_VERSIONS: 43,
  PSK_KEY_EXCHANGE_MODES: 45,
  KEY_SHARE: 51,
} as const;

/** The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3). */
const HRR_RANDOM = Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));

/**
 * Anomaly names of the parsers and of the stream (analyzer.ts). An entry of `anomalies` is one of these, optionally
 * followed by `:` and a detail (an extension type, a list name, a certificate index).
 */
export const TLS_ANOMALIES = {
  /** The session id is longer than 32 bytes (RFC 8446 §4.1.2). */
  long_session_id: 'session id longer than 32 bytes',
  /** The cipher suite list has an odd length (the last byte is ignored). */
  odd_cipher_suites_length: 'cipher suite list of odd length',
  /** The compression method list is empty (RFC 5246 §7.4.1.2 requires null). */
  no_compression_methods: 'empty compression method list',
  /** A list length (extension block, certificate list) runs past the message, or an extension header is cut. */
  length_mismatch: 'list length runs past the message',
  /** Bytes after the last field of the message. */
  trailing_bytes: 'bytes after the message',
  /** An extension's body does not fit its declared layout (":type" decimal). */
  bad_extension: 'malformed extension body',
  /** An extension type sent twice (":type"; RFC 8446 §4.2 forbids it); the first is decoded. */
  duplicate_extension: 'extension repeated',
  /** A list longer than its MAX_* bound (":list name"); the rest is not kept. */
  too_many: 'list longer than its bound, cut',
  /** A server name or ALPN name longer than MAX_NAME_BYTES (":field"), cut. */
  long_value: 'name longer than MAX_NAME_BYTES, cut',
  /** The SNI host_name is an IPv4 or IPv6 literal (RFC 6066 §3 forbids it). */
  ip_literal_server_name: 'SNI holds an IP address literal',
  /** A server_name entry of a type other than host_name (0), skipped. */
  unknown_name_type: 'server_name entry other than host_name',
  /** An ALPN protocol name of length 0 (RFC 7301 §3.1 forbids it). */
  empty_alpn_protocol: 'empty ALPN protocol name',
  /** A certificate of a Certificate message that could not be parsed (":index:error"). */
  bad_certificate: 'certificate not parseable',
  /** More certificates than MAX_CERTIFICATES (the rest counted, not parsed). */
  too_many_certificates: 'more than MAX_CERTIFICATES certificates',
  /** The SSL 2.0 record's length does not match the message's fields. */
  ssl2_length_mismatch: 'SSL 2.0 lengths do not add up',
  /** A handshake message longer than MAX_HANDSHAKE_MESSAGE (":type"); skipped, not parsed. */
  oversized_handshake: 'handshake message longer than MAX_HANDSHAKE_MESSAGE, skipped',
  /** A handshake message that failed to parse (":type:error"). */
  bad_handshake: 'handshake message not parseable',
  /** A record header with an unknown content type or version, or a length over MAX_RECORD_LENGTH (":client" / ":server"); that side is not read further. */
  bad_record: 'record header not TLS',
  /** A direction's bytes were not all captured (":client" / ":server"); that side is not read further. */
  gap: 'bytes missing from the capture',
  /** The connection ended inside a record or handshake message (":client" / ":server"). */
  truncated: 'connection ended inside a record or message',
  /** Handshake content interleaved with another record type before the message was complete. */
  interleaved_record: 'other record inside a fragmented handshake message',
  /** A third cleartext ClientHello (one more than a HelloRetryRequest explains): not decoded. */
  extra_client_hello: 'further ClientHello not decoded',
  /** A further ServerHello beyond the one after a HelloRetryRequest: not decoded. */
  extra_server_hello: 'further ServerHello not decoded',
} as const;

/** An anomaly name. */
export type TlsAnomaly = keyof typeof TLS_ANOMALIES;

/** A record header (RFC 8446 §5.1). */
export interface TlsRecordHeader {
  content_type: number;
  /** legacy_record_version (0x0300 … 0x0304). */
  version: number;
  length: number;
}

/** The lists of a ClientHello's extensions, as sent (GREASE included); also fields of the session record. */
export interface ClientHelloLists {
  supported_groups: number[];
  ec_point_formats: number[];
  signature_algorithms: number[];
  /** supported_versions entries. */
  supported_versions: number[];
  /** The groups of the key_share entries. */
  key_share_groups: number[];
  psk_key_exchange_modes: number[];
}

/** A ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) with its fingerprints. Lists hold values as sent (GREASE included). */
export interface TlsClientHello extends ClientHelloLists {
  /** legacy_version (the client's version before TLS 1.3, 0x0303 with it). */
  version: number;
  session_id_length: number;
  cipher_suites: number[];
  compression_methods: number[];
  /** Extension types in wire order. */
  extensions: number[];
  /** The first host_name of server_name (SNI), text-escaped; null without one. */
  server_name: string | null;
  /** ALPN protocol names in order, text-escaped. */
  alpn: string[];
  /** JA3 (md5) and the string it hashes. */
  ja3: string;
  ja3_string: string;
  /** JA4 and its raw (`_r`), original-order (`_o`) and raw original-order (`_ro`) forms. */
  ja4: string;
  ja4_r: string;
  ja4_o: string;
  ja4_ro: string;
  anomalies: string[];
}

/** A ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3) or HelloRetryRequest, with its fingerprints. */
export interface TlsServerHello {
  /** legacy_version (a TLS 1.3 draft's version before draft-22). */
  version: number;
  /** null for an early TLS 1.3 draft ServerHello (no session id). */
  session_id_length: number | null;
  cipher_suite: number;
  /** null for an early TLS 1.3 draft ServerHello (no compression method). */
  compression_method: number | null;
  extensions: number[];
  /** supported_versions selected_version (TLS 1.3), null when not sent. */
  selected_version: number | null;
  /** The ALPN protocol chosen, text-escaped. */
  alpn: string | null;
  /** key_share group (the selected group of a HelloRetryRequest). */
  key_share_group: number | null;
  /** The random is the HelloRetryRequest value (RFC 8446 §4.1.3). */
  hello_retry_request: boolean;
  ja3s: string;
  ja3s_string: string;
  ja4s: string;
  ja4s_r: string;
  anomalies: string[];
}

/** A Certificate message (RFC 5246 §7.4.2) or the certificate of an SSL 2.0 SERVER-HELLO. */
export interface TlsCertificateList {
  /** The certificates parsed, in order (leaf first); unparseable ones are left out (`bad_certificate`). */
  certificates: X509Certificate[];
  /** How many certificates the message held. */
  certificate_count: number;
  anomalies: string[];
}

/** An SSL 2.0 CLIENT-HELLO (draft-hickman §2.5), possibly a TLS client's backward-compatible hello. */
export interface Ssl2ClientHello {
  /** The version field: 0x0002 for SSL 2.0, 0x0300+ for a compatible hello of a later client. */
  version: number;
  /** The 3-byte cipher specs (TLS suites appear as 0x00XXYY). */
  cipher_specs: number[];
  session_id_length: number;
  challenge_length: number;
  anomalies: string[];
}

/** An SSL 2.0 SERVER-HELLO (draft-hickman §2.5) with its certificate. */
export interface Ssl2ServerHello {
  version: number;
  session_id_hit: boolean;
  /** certificate_type (1 = X.509). */
  certificate_type: number;
  cipher_specs: number[];
  certificate: TlsCertificateList;
  anomalies: string[];
}

/** One handshake message: its header and the decoded body for the types decoded here (others null). */
export interface TlsHandshakeMessage {
  msg_type: number;
  length: number;
  client_hello: TlsClientHello | null;
  server_hello: TlsServerHello | null;
  certificate: TlsCertificateList | null;
  /** Anomalies of the framing (the body's own are in its record). */
  anomalies: string[];
}

/** The result shape of every parser here. */
export type TlsResult<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const u16 = (b: Uint8Array, p: number): number => (b[p]! << 8) | b[p + 1]!;
const u24 = (b: Uint8Array, p: number): number => (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;

/** True if off/len are integers inside b. */
function inBounds(b: Uint8Array, off: number, len: number): boolean {
  return Number.isSafeInteger(off) && Number.isSafeInteger(len) && off >= 0 && len >= 0 && off + len <= b.length;
}

/** Notes an anomaly once. */
function note(anomalies: string[], a: string): void {
  if (!anomalies.includes(a)) anomalies.push(a);
}

/** True for a record version TLS uses: SSL 3.0 to TLS 1.3 (RFC 8446 §5.1 legacy_record_version, any 0x03xx ≤ 0x0304). */
export function isRecordVersion(v: number): boolean {
  return v >= 0x0300 && v <= 0x0304;
}

/**
 * Reads the 5-byte record header at b[off] (len ≥ 5): a known content type (20–24), a version 0x0300–0x0304 and a
 * length ≤ MAX_RECORD_LENGTH, else an error.
 */
export function parseRecordHeader(b: Uint8Array, off: number, len: number): TlsResult<TlsRecordHeader> {
  if (!inBounds(b, off, len)) return { ok: false, error: 'bad_bounds' };
  if (len < 5) return { ok: false, error: 'truncated' };
  const error = recordHeaderError(b, off);
  if (error !== null) return { ok: false, error };
  return { ok: true, value: { content_type: b[off]!, version: u16(b, off + 1), length: u16(b, off + 3) } };
}

/**
 * What parseRecordHeader finds wrong with the 5-byte header at b[off] (the caller checked the 5 bytes are in b), or
 * null for a header it accepts (then content type b[off], length the 2 bytes at off + 3): no result object.
 */
export function recordHeaderError(b: Uint8Array, off: number): string | null {
  const content_type = b[off]!;
  if (content_type < CONTENT_TYPE.CHANGE_CIPHER_SPEC || content_type > CONTENT_TYPE.HEARTBEAT) return 'bad_content_type';
  if (!isRecordVersion(u16(b, off + 1))) return 'bad_record_version';
  if (u16(b, off + 3) > MAX_RECORD_LENGTH) return 'oversized_record';
  return null;
}

/** Reads `count` 2-byte values at b[p, p+2·count) into a list of at most MAX_LIST_VALUES (`too_many:<what>`). */
function u16List(b: Uint8Array, p: number, count: number, what: string, anomalies: string[], max = MAX_LIST_VALUES): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (out.length >= max) { note(anomalies, `too_many:${what}`); break; }
    out.push(u16(b, p + 2 * i));
  }
  return out;
}

/** A name's text, cut at MAX_NAME_BYTES (`long_value:<what>`). */
function nameText(b: Uint8Array, start: number, end: number, what: string, anomalies: string[]): string {
  if (end - start > MAX_NAME_BYTES) {
    note(anomalies, `long_value:${what}`);
    end = start + MAX_NAME_BYTES;
  }
  return decodeWireText(b, start, end);
}

/** The decoded extension values of a hello, filled by readExtensions. */
interface ExtensionValues extends ClientHelloLists {
  types: number[];
  server_name: string | null;
  alpn: string[];
  /** The first ALPN name's bytes (for JA4 / JA4S). */
  alpnFirst: Uint8Array | null;
}

/** A list extension body b[s, e): a `lenBytes`-byte length then the list filling the rest; where the list starts (it ends at e), or -1. */
function listStart(b: Uint8Array, s: number, e: number, lenBytes: 1 | 2, unit: 1 | 2): number {
  if (e - s < lenBytes) return -1;
  const n = lenBytes === 1 ? b[s]! : u16(b, s);
  const start = s + lenBytes;
  if (n !== e - start || n % unit !== 0) return -1;
  return start;
}

/**
 * Walks a list with a 2-byte length in b[s, e) whose entries are `head` bytes ending with a `lenBytes`-byte body
 * length, then the body; calls visit(entry, bodyStart, bodyEnd) for each. False when the list or an entry is malformed.
 */
function walkEntries(b: Uint8Array, s: number, e: number, head: number, lenBytes: 1 | 2, visit: (p: number, bs: number, be: number) => void): boolean {
  const start = listStart(b, s, e, 2, 1);
  if (start < 0) return false;
  for (let p = start; p < e; ) {
    if (p + head > e) return false;
    const end = p + head + (lenBytes === 1 ? b[p + head - 1]! : u16(b, p + head - 2));
    if (end > e) return false;
    visit(p, p + head, end);
    p = end;
  }
  return true;
}

/** server_name (RFC 6066 §3): the first host_name (type 0, 2-byte length). False when malformed. */
function readServerName(b: Uint8Array, s: number, e: number, v: ExtensionValues, an: string[]): boolean {
  if (e === s) return true; // an empty server_name is what a server sends back
  return walkEntries(b, s, e, 3, 2, (p, bs, be) => {
    if (b[p] !== 0) note(an, 'unknown_name_type');
    else if (v.server_name === null) {
      v.server_name = nameText(b, bs, be, 'server_name', an);
      if (/^\d+\.\d+\.\d+\.\d+$/.test(v.server_name) || v.server_name.includes(':')) note(an, 'ip_literal_server_name');
    }
  });
}

/** ALPN (RFC 7301 §3.1): protocol names, each with a 1-byte length. False when malformed. */
function readAlpn(b: Uint8Array, s: number, e: number, v: ExtensionValues, an: string[]): boolean {
  return walkEntries(b, s, e, 1, 1, (_, bs, be) => {
    if (be === bs) note(an, 'empty_alpn_protocol');
    if (v.alpnFirst === null) v.alpnFirst = b.subarray(bs, be);
    if (v.alpn.length < MAX_ALPN_PROTOCOLS) v.alpn.push(nameText(b, bs, be, 'alpn', an));
    else note(an, 'too_many:alpn');
  });
}

/** key_share of a ClientHello (RFC 8446 §4.2.8): the groups of its entries (group, 2-byte key length, key). False when malformed. */
function readClientKeyShare(b: Uint8Array, s: number, e: number, v: ExtensionValues, an: string[]): boolean {
  return walkEntries(b, s, e, 4, 2, (p) => {
    if (v.key_share_groups.length < MAX_LIST_VALUES) v.key_share_groups.push(u16(b, p));
    else note(an, 'too_many:key_share_groups');
  });
}

/** A 2-byte-value list extension (supported_groups, signature_algorithms) into `out`. False when malformed. */
function readU16ListExt(b: Uint8Array, s: number, e: number, lenBytes: 1 | 2, out: number[], what: string, an: string[]): boolean {
  const start = listStart(b, s, e, lenBytes, 2);
  if (start < 0) return false;
  // as u16List, straight into `out` (empty: each extension is decoded once)
  for (let p = start, n = 0; p < e; p += 2, n++) {
    if (n >= MAX_LIST_VALUES) { note(an, `too_many:${what}`); break; }
    out.push(u16(b, p));
  }
  return true;
}

/** A 1-byte-value list extension (ec_point_formats, psk_key_exchange_modes) into `out`. False when malformed. */
function readU8ListExt(b: Uint8Array, s: number, e: number, out: number[], what: string, an: string[]): boolean {
  const start = listStart(b, s, e, 1, 1);
  if (start < 0) return false;
  for (let p = start; p < e; p++) {
    if (out.length >= MAX_LIST_VALUES) { note(an, `too_many:${what}`); break; }
    out.push(b[p]!);
  }
  return true;
}

/** Decodes one ClientHello extension body b[s, e). False when malformed. */
function clientExtension(type: number, b: Uint8Array, s: number, e: number, v: ExtensionValues, an: string[]): boolean {
  switch (type) {
    case EXT.SERVER_NAME: return readServerName(b, s, e, v, an);
    case EXT.SUPPORTED_GROUPS: return readU16ListExt(b, s, e, 2, v.supported_groups, 'supported_groups', an);
    case EXT.EC_POINT_FORMATS: return readU8ListExt(b, s, e, v.ec_point_formats, 'ec_point_formats', an);
    case EXT.SIGNATURE_ALGORITHMS: return readU16ListExt(b, s, e, 2, v.signature_algorithms, 'signature_algorithms', an);
    case EXT.ALPN: return readAlpn(b, s, e, v, an);
    case EXT.SUPPORTED_VERSIONS: return readU16ListExt(b, s, e, 1, v.supported_versions, 'supported_versions', an);
    case EXT.KEY_SHARE: return readClientKeyShare(b, s, e, v, an);
    case EXT.PSK_KEY_EXCHANGE_MODES: return readU8ListExt(b, s, e, v.psk_key_exchange_modes, 'psk_key_exchange_modes', an);
    default: return true;
  }
}

/** Decodes one ServerHello extension body b[s, e) (`hrr`: a HelloRetryRequest). False when malformed. */
function serverExtension(type: number, b: Uint8Array, s: number, e: number, v: ExtensionValues, an: string[], hrr: boolean): boolean {
  switch (type) {
    case EXT.SUPPORTED_VERSIONS:
      if (e - s !== 2) return false;
      v.supported_versions.push(u16(b, s));
      return true;
    case EXT.KEY_SHARE:
      // ServerHello: KeyShareEntry (group, key_exchange); HelloRetryRequest: the selected group alone.
      if (hrr ? e - s !== 2 : e - s < 4 || u16(b, s + 2) !== e - s - 4) return false;
      v.key_share_groups.push(u16(b, s));
      return true;
    case EXT.ALPN:
      return readAlpn(b, s, e, v, an) && v.alpn.length === 1;
    case EXT.EC_POINT_FORMATS: return readU8ListExt(b, s, e, v.ec_point_formats, 'ec_point_formats', an);
    case EXT.SERVER_NAME: return e === s;
    default: return true;
  }
}

/** Empty extension values. */
function noExtensions(): ExtensionValues {
  return { types: [], server_name: null, alpn: [], alpnFirst: null, supported_groups: [], ec_point_formats: [], signature_algorithms: [],
    supported_versions: [], key_share_groups: [], psk_key_exchange_modes: [] };
}

/** Which hello an extension block belongs to (readExtensions): a ClientHello, a ServerHello, a HelloRetryRequest. */
const enum HelloKind { Client, Server, RetryRequest }

/**
 * Reads the extension block at b[p, end) (a 2-byte length then the extensions), decoding each body as an extension
 * of a `kind` hello. An absent block (p === end) is allowed (TLS ≤ 1.2).
 */
function readExtensions(b: Uint8Array, p: number, end: number, an: string[], kind: HelloKind): ExtensionValues {
  const v = noExtensions();
  if (p === end) return v;
  if (p + 2 > end) { note(an, 'trailing_bytes'); return v; }
  const total = u16(b, p);
  p += 2;
  let blockEnd = p + total;
  if (blockEnd > end) {
    note(an, 'length_mismatch');
    blockEnd = end;
  } else if (blockEnd < end) note(an, 'trailing_bytes');
  while (p < blockEnd) {
    if (p + 4 > blockEnd) { note(an, 'length_mismatch'); break; }
    const type = u16(b, p);
    const n = u16(b, p + 2);
    if (p + 4 + n > blockEnd) { note(an, `bad_extension:${type}`); break; }
    if (v.types.length >= MAX_EXTENSIONS) { note(an, 'too_many:extensions'); break; }
    const repeated = v.types.includes(type); // at most MAX_EXTENSIONS: cheaper than a Set per hello
    v.types.push(type);
    if (repeated) note(an, `duplicate_extension:${type}`);
    else if (!(kind === HelloKind.Client ? clientExtension(type, b, p + 4, p + 4 + n, v, an)
      : serverExtension(type, b, p + 4, p + 4 + n, v, an, kind === HelloKind.RetryRequest))) note(an, `bad_extension:${type}`);
    p += 4 + n;
  }
  return v;
}

/** parseClientHello's work: the hello or an error text (no result wrapper). */
function clientHelloBody(b: Uint8Array, off: number, len: number): TlsClientHello | string {
  if (!inBounds(b, off, len)) return 'bad_bounds';
  // read in place: offsets are absolute, the message is b[off, end)
  const end = off + len;
  const an: string[] = [];
  if (len < 35) return 'truncated';
  const version = u16(b, off);
  let p = off + 34; // legacy_version (2) + random (32)
  const sid = b[p]!;
  if (sid > 32) note(an, 'long_session_id');
  p += 1 + sid;
  if (p + 2 > end) return 'truncated';
  const cl = u16(b, p);
  p += 2;
  if (p + cl > end) return 'truncated';
  if (cl % 2 !== 0) note(an, 'odd_cipher_suites_length');
  const cipher_suites = u16List(b, p, cl >> 1, 'cipher_suites', an, MAX_CIPHER_SUITES);
  p += cl;
  if (p + 1 > end) return 'truncated';
  const ncomp = b[p]!;
  if (p + 1 + ncomp > end) return 'truncated';
  if (ncomp === 0) note(an, 'no_compression_methods');
  const compression_methods: number[] = [];
  for (let i = p + 1; i < p + 1 + ncomp; i++) compression_methods.push(b[i]!);
  p += 1 + ncomp;
  const v = readExtensions(b, p, end, an, HelloKind.Client);
  const print = { version, cipher_suites, extensions: v.types, supported_groups: v.supported_groups, ec_point_formats: v.ec_point_formats,
    signature_algorithms: v.signature_algorithms, supported_versions: v.supported_versions, alpnFirst: v.alpnFirst };
  const { ja3: j3, ja4: j4 } = clientPrints(print);
  return {
    version, session_id_length: sid, cipher_suites, compression_methods, extensions: v.types, server_name: v.server_name, alpn: v.alpn,
    supported_groups: v.supported_groups, ec_point_formats: v.ec_point_formats, signature_algorithms: v.signature_algorithms,
    supported_versions: v.supported_versions, key_share_groups: v.key_share_groups, psk_key_exchange_modes: v.psk_key_exchange_modes,
    ja3: j3.hash, ja3_string: j3.string, ja4: j4.ja4, ja4_r: j4.ja4_r, ja4_o: j4.ja4_o, ja4_ro: j4.ja4_ro, anomalies: an,
  };
}

/** A parser's result from its value or error text. */
function result<T extends object>(r: T | string): TlsResult<T> {
  return typeof r === 'string' ? { ok: false, error: r } : { ok: true, value: r };
}

/**
 * Parses a ClientHello body b[off, off+len) (the handshake message without its 4-byte header). Fails when
 * legacy_version, random, session id, cipher suites or compression methods do not fit.
 */
export function parseClientHello(b: Uint8Array, off: number, len: number): TlsResult<TlsClientHello> {
  return result(clientHelloBody(b, off, len));
}

/** True if the 32 bytes at b[p] are the HelloRetryRequest random. */
function isHrrRandom(b: Uint8Array, p: number): boolean {
  for (let i = 0; i < 32; i++) if (b[p + i] !== HRR_RANDOM[i]) return false;
  return true;
}

/** True for a TLS 1.3 draft version before draft-22 (0x7f00 | n, n < 22), whose ServerHello has the short layout. */
function isEarlyDraft(v: number): boolean {
  return (v & 0xff00) === 0x7f00 && (v & 0xff) < 22;
}

/** parseServerHello's work: the hello or an error text. */
function serverHelloBody(b: Uint8Array, off: number, len: number): TlsServerHello | string {
  if (!inBounds(b, off, len)) return 'bad_bounds';
  // read in place: offsets are absolute, the message is b[off, end)
  const end = off + len;
  const an: string[] = [];
  if (len < 35) return 'truncated';
  const version = u16(b, off);
  const hrr = isHrrRandom(b, off + 2);
  let p = off + 34;
  let sid: number | null = null;
  let compression_method: number | null = null;
  let cipher_suite: number;
  if (isEarlyDraft(version)) {
    // TLS 1.3 drafts before -22: version, random, cipher_suite, extensions (no session id, no compression).
    if (p + 2 > end) return 'truncated';
    cipher_suite = u16(b, p);
    p += 2;
  } else {
    sid = b[p]!;
    if (sid > 32) note(an, 'long_session_id');
    p += 1 + sid;
    if (p + 3 > end) return 'truncated';
    cipher_suite = u16(b, p);
    compression_method = b[p + 2]!;
    p += 3;
  }
  const v = readExtensions(b, p, end, an, hrr ? HelloKind.RetryRequest : HelloKind.Server);
  const selected = v.supported_versions[0] ?? null;
  const print = { version, cipher_suite, extensions: v.types, selected_version: selected, alpn: v.alpnFirst };
  const { ja3s: j3, ja4s: j4 } = serverPrints(print);
  return {
    version, session_id_length: sid, cipher_suite, compression_method, extensions: v.types, selected_version: selected,
    alpn: v.alpn[0] ?? null, key_share_group: v.key_share_groups[0] ?? null, hello_retry_request: hrr,
    ja3s: j3.hash, ja3s_string: j3.string, ja4s: j4.ja4s, ja4s_r: j4.ja4s_r, anomalies: an,
  };
}

/**
 * Parses a ServerHello body b[off, off+len) (for a TLS 1.3 draft before -22, the draft layout without session id and
 * compression). Fails when the fields up to the compression method do not fit.
 */
export function parseServerHello(b: Uint8Array, off: number, len: number): TlsResult<TlsServerHello> {
  return result(serverHelloBody(b, off, len));
}

/** Parses the certificates of a list b[p, end) of 3-byte-length-prefixed DER certificates. */
function certificateEntries(b: Uint8Array, p: number, end: number, an: string[]): TlsCertificateList {
  const certificates: X509Certificate[] = [];
  let count = 0;
  while (p < end) {
    if (p + 3 > end) { note(an, 'trailing_bytes'); break; }
    const n = u24(b, p);
    if (p + 3 + n > end) { note(an, `bad_certificate:${count}:truncated`); break; }
    if (count < MAX_CERTIFICATES) {
      const r = parseCertificate(b, p + 3, n);
      if (r.ok) certificates.push(r.value);
      else note(an, `bad_certificate:${count}:${r.error}`);
    } else note(an, 'too_many_certificates');
    count++;
    p += 3 + n;
  }
  return { certificates, certificate_count: count, anomalies: an };
}

/** parseCertificateList's work: the list or an error text. */
function certificateListBody(b: Uint8Array, off: number, len: number): TlsCertificateList | string {
  if (!inBounds(b, off, len)) return 'bad_bounds';
  const m = b.subarray(off, off + len);
  if (m.length < 3) return 'truncated';
  const an: string[] = [];
  const total = u24(m, 0);
  let end = 3 + total;
  if (end !== m.length) {
    note(an, end > m.length ? 'length_mismatch' : 'trailing_bytes');
    if (end > m.length) end = m.length;
  }
  return certificateEntries(m, 3, end, an);
}

/** Parses a Certificate message body (TLS ≤ 1.2, RFC 5246 §7.4.2) b[off, off+len). Fails without its list length. */
export function parseCertificateList(b: Uint8Array, off: number, len: number): TlsResult<TlsCertificateList> {
  return result(certificateListBody(b, off, len));
}

/** parseHandshake without the result wrapper (what the stream reader calls): the message or an error text. */
export function handshakeMessage(b: Uint8Array, off: number, len: number): TlsHandshakeMessage | string {
  if (!inBounds(b, off, len)) return 'bad_bounds';
  if (len < 4) return 'truncated';
  const msg_type = b[off]!;
  const length = u24(b, off + 1);
  if (length > len - 4) return 'truncated';
  const anomalies: string[] = length < len - 4 ? ['trailing_bytes'] : [];
  const msg: TlsHandshakeMessage = { msg_type, length, client_hello: null, server_hello: null, certificate: null, anomalies };
  const s = off + 4;
  if (msg_type === HANDSHAKE_TYPE.CLIENT_HELLO) {
    const r = clientHelloBody(b, s, length);
    if (typeof r === 'string') return r;
    msg.client_hello = r;
  } else if (msg_type === HANDSHAKE_TYPE.SERVER_HELLO) {
    const r = serverHelloBody(b, s, length);
    if (typeof r === 'string') return r;
    msg.server_hello = r;
  } else if (msg_type === HANDSHAKE_TYPE.CERTIFICATE) {
    const r = certificateListBody(b, s, length);
    if (typeof r === 'string') return r;
    msg.certificate = r;
  }
  return msg;
}

/**
 * Parses one handshake message b[off, off+len): the 4-byte header (msg_type, 24-bit length) and, for ClientHello,
 * ServerHello and Certificate, the body. Fails when the header does not fit or the body is shorter than its length,
 * or when a decoded body fails.
 */
export function parseHandshake(b: Uint8Array, off: number, len: number): TlsResult<TlsHandshakeMessage> {
  return result(handshakeMessage(b, off, len));
}

// ---------------------------------------------------------------------------------------------------------------
// SSL 2.0

/**
 * The body length of an SSL 2.0 record whose 2-byte header (high bit set, no padding: the form every hello uses,
 * draft-hickman §2.1) is at b[off], or -1 when b[off] does not start one.
 */
export function ssl2RecordLength(b: Uint8Array, off: number, len: number): number {
  if (!inBounds(b, off, len) || len < 2 || (b[off]! & 0x80) === 0) return -1;
  return ((b[off]! & 0x7f) << 8) | b[off + 1]!;
}

/** The 3-byte cipher specs in b[p, p+n). */
function cipherSpecs(b: Uint8Array, p: number, n: number, an: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 3 <= n; i += 3) {
    if (out.length >= MAX_CIPHER_SUITES) { note(an, 'too_many:cipher_specs'); break; }
    out.push(u24(b, p + i));
  }
  if (n % 3 !== 0) note(an, 'ssl2_length_mismatch');
  return out;
}

/** The three 2-byte lengths that end an SSL 2.0 hello's fixed part, and the anomalies so far. */
interface Ssl2Fixed {
  lengths: [number, number, number];
  an: string[];
}

/**
 * Checks an SSL 2.0 message b[off, off+len) of msg_type `type` whose fixed part is `fixed` bytes long and ends with
 * three 2-byte lengths of the variable parts that follow; fails on a bad type or lengths running past the message.
 */
function ssl2Fixed(b: Uint8Array, off: number, len: number, type: number, fixed: number, name: string): TlsResult<Ssl2Fixed> {
  if (!inBounds(b, off, len)) return { ok: false, error: 'bad_bounds' };
  if (len < fixed || b[off] !== type) return { ok: false, error: `not_ssl2_${name}` };
  const lengths: [number, number, number] = [u16(b, off + fixed - 6), u16(b, off + fixed - 4), u16(b, off + fixed - 2)];
  const need = fixed + lengths[0] + lengths[1] + lengths[2];
  if (need > len) return { ok: false, error: 'truncated' };
  return { ok: true, value: { lengths, an: need === len ? [] : ['ssl2_length_mismatch'] } };
}

/**
 * Parses an SSL 2.0 CLIENT-HELLO message b[off, off+len) (the record body, msg_type 1 first): version, cipher specs,
 * session id and challenge lengths. Fails when it is not a CLIENT-HELLO or its lengths run past the message.
 */
export function parseSsl2ClientHello(b: Uint8Array, off: number, len: number): TlsResult<Ssl2ClientHello> {
  const f = ssl2Fixed(b, off, len, 1, 9, 'client_hello');
  if (!f.ok) return f;
  const [specLen, sidLen, challengeLen] = f.value.lengths;
  const an = f.value.an;
  return { ok: true, value: { version: u16(b, off + 1), cipher_specs: cipherSpecs(b, off + 9, specLen, an), session_id_length: sidLen, challenge_length: challengeLen, anomalies: an } };
}

/**
 * Parses an SSL 2.0 SERVER-HELLO message b[off, off+len) (msg_type 4 first): version, certificate (parsed when
 * certificate_type is X.509) and cipher specs. Fails when it is not a SERVER-HELLO or its lengths run past it.
 */
export function parseSsl2ServerHello(b: Uint8Array, off: number, len: number): TlsResult<Ssl2ServerHello> {
  const f = ssl2Fixed(b, off, len, 4, 11, 'server_hello');
  if (!f.ok) return f;
  const [certLen, specLen] = f.value.lengths;
  const an = f.value.an;
  const certificate_type = b[off + 2]!;
  const certAn: string[] = [];
  const certificate: TlsCertificateList = { certificates: [], certificate_count: 0, anomalies: certAn };
  if (certificate_type === 1 && certLen > 0) {
    certificate.certificate_count = 1;
    const r = parseCertificate(b, off + 11, certLen);
    if (r.ok) certificate.certificates.push(r.value);
    else note(certAn, `bad_certificate:0:${r.error}`);
  }
  return {
    ok: true,
    value: {
      version: u16(b, off + 3), session_id_hit: b[off + 1] !== 0, certificate_type,
      cipher_specs: cipherSpecs(b, off + 11 + certLen, specLen, an), certificate, anomalies: an,
    },
  };
}
