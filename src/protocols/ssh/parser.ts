/**
 * SSH handshake parsers: the identification string each side sends first, the binary packet framing, and the
 * SSH_MSG_KEXINIT algorithm lists. Pure: no state, no I/O, never throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 4253 §4.2 protocol version exchange: `SSH-protoversion-softwareversion SP comments CR LF`, at most 255
 *   characters with the CR LF; the server may send other lines first, which must not begin with "SSH-";
 *   §5.1 "1.99" = a server that also speaks SSH 1 (RFC 4253 §5.1 compatibility);
 * - RFC 4253 §6 binary packet protocol: uint32 packet_length, byte padding_length, payload, padding (≥ 4 bytes),
 *   MAC; §6.1 implementations must handle packets of 35000 bytes in total;
 * - RFC 4253 §7.1 SSH_MSG_KEXINIT (message number 20, RFC 4250 §4.1.2): 16 random cookie bytes, ten name-lists
 *   (kex, server host key, encryption c→s / s→c, MAC c→s / s→c, compression c→s / s→c, languages c→s / s→c),
 *   boolean first_kex_packet_follows, uint32 reserved;
 * - RFC 4251 §5 data types: uint32 big-endian, boolean (0 = false), name-list = uint32 length + comma-separated
 *   US-ASCII names, none empty.
 *
 * Text is decoded with src/protocols/wire-text.ts (UTF-8 when valid else Latin-1, control characters escaped).
 */
import { decodeWireText, hexText } from '../wire-text.js';

/** Longest identification line kept, in bytes (RFC 4253 §4.2 allows 253 plus CR LF; longer ones exist). */
export const MAX_IDENT_BYTES = 1024;
/** The identification length RFC 4253 §4.2 allows without its CR LF. */
export const RFC_IDENT_BYTES = 253;
/** Largest binary packet accepted (packet_length + 4): RFC 4253 §6.1 requires 35000; a KEXINIT is a few KiB. */
export const MAX_SSH_PACKET = 35_000;
/** Longest name-list kept, in bytes; a longer one is cut at the last comma that fits. */
export const MAX_NAME_LIST_BYTES = 4096;
/** Most names kept per name-list. */
export const MAX_NAMES = 128;
/** SSH_MSG_KEXINIT (RFC 4250 §4.1.2). */
export const SSH_MSG_KEXINIT = 20;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the field it concerns
 * (e.g. `long_name_list:kex_algorithms`).
 */
export const SSH_ANOMALIES = {
  /** The identification line is longer than 253 bytes (RFC 4253 §4.2), kept up to MAX_IDENT_BYTES. */
  long_identification: 'identification line longer than RFC 4253 allows',
  /** The identification was cut at MAX_IDENT_BYTES. */
  cut_identification: 'identification line longer than MAX_IDENT_BYTES, cut',
  /** Nothing between "SSH-" and the next "-", or no "-" after the protocol version. */
  missing_software_version: 'no software version after the protocol version',
  /** A control character or a byte ≥ 0x80 in the identification (escaped in the text). */
  non_ascii_identification: 'identification holds bytes outside printable US-ASCII',
  /** A name-list longer than MAX_NAME_LIST_BYTES (":field"); cut. */
  long_name_list: 'name-list longer than MAX_NAME_LIST_BYTES, cut',
  /** A name-list with more than MAX_NAMES names (":field"); the rest dropped. */
  too_many_names: 'more than MAX_NAMES names in a name-list',
  /** An empty name inside a name-list (",," or a leading/trailing comma) (":field"). */
  empty_name: 'empty name in a name-list',
  /** A name with a byte outside printable US-ASCII (":field"); escaped. */
  non_ascii_name: 'name with bytes outside printable US-ASCII',
  /** The payload ends before the last field (":field" names the first field missing); what was read is kept. */
  truncated_kexinit: 'KEXINIT payload ends early',
  /** Bytes after the reserved field. */
  trailing_bytes: 'bytes after the reserved field of KEXINIT',
  /** The reserved field is not 0 (RFC 4253 §7.1). */
  reserved_not_zero: 'reserved uint32 is not 0',
  /** first_kex_packet_follows is neither 0 nor 1 (read as true, RFC 4251 §5). */
  odd_boolean: 'boolean byte other than 0 or 1',
} as const;

/** An anomaly name. */
export type SshAnomaly = keyof typeof SSH_ANOMALIES;

/** One identification string (RFC 4253 §4.2). */
export interface SshIdentification {
  /** The whole line without CR LF, text-escaped. */
  raw: string;
  /** protoversion: "2.0", "1.99", "1.5". */
  proto_version: string;
  /** softwareversion, e.g. "OpenSSH_8.9p1" (null when missing). */
  software_version: string | null;
  /** comments after the first space (null when none). */
  comments: string | null;
  anomalies: string[];
}

/** The ten name-lists of a KEXINIT by their record names, in wire order. */
export const KEXINIT_LISTS = [
  'kex_algorithms',
  'server_host_key_algorithms',
  'encryption_client_to_server',
  'encryption_server_to_client',
  'mac_client_to_server',
  'mac_server_to_client',
  'compression_client_to_server',
  'compression_server_to_client',
  'languages_client_to_server',
  'languages_server_to_client',
] as const;

/** A KEXINIT name-list name. */
export type KexinitList = (typeof KEXINIT_LISTS)[number];

/** One SSH_MSG_KEXINIT (RFC 4253 §7.1): each name-list as its names, in preference order. */
export type SshKexinit = Record<KexinitList, string[]> & {
  /** The 16 cookie bytes, hex. */
  cookie: string;
  first_kex_packet_follows: boolean;
  reserved: number;
  anomalies: string[];
};

/** Result of a parser. */
export type SshParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const SP = 0x20;
const DASH = 0x2d;
const COMMA = 0x2c;

/** True when the bounds are a valid view of b. */
function goodBounds(b: Uint8Array, off: number, len: number): boolean {
  return Number.isSafeInteger(off) && Number.isSafeInteger(len) && off >= 0 && len >= 0 && off + len <= b.length;
}

/** True if b[start, end) begins with "SSH-". */
export function startsWithSsh(b: Uint8Array, start: number, end: number): boolean {
  return end - start >= 4 && b[start] === 0x53 && b[start + 1] === 0x53 && b[start + 2] === 0x48 && b[start + 3] === DASH;
}

/**
 * Parses one identification line b[off, off+len) (without its CR LF). Fails when it does not start with "SSH-" or
 * the protocol version is empty.
 */
export function parseSshIdentification(b: Uint8Array, off: number, len: number): SshParseResult<SshIdentification> {
  if (!goodBounds(b, off, len)) return { ok: false, error: 'bad_bounds' };
  const anomalies: string[] = [];
  if (!startsWithSsh(b, off, off + len)) return { ok: false, error: 'not_ssh_identification' };
  if (len > RFC_IDENT_BYTES) anomalies.push('long_identification');
  if (len > MAX_IDENT_BYTES) {
    anomalies.push('cut_identification');
    len = MAX_IDENT_BYTES;
  }
  const end = off + len;
  for (let i = off; i < end; i++) {
    if (b[i]! < SP || b[i]! > 0x7e) { anomalies.push('non_ascii_identification'); break; }
  }
  const ps = off + 4;
  let pe = ps;
  while (pe < end && b[pe] !== DASH && b[pe] !== SP) pe++;
  if (pe === ps) return { ok: false, error: 'empty_protocol_version' };
  let software: string | null = null;
  let comments: string | null = null;
  if (pe < end && b[pe] === DASH) {
    const ss = pe + 1;
    let se = ss;
    while (se < end && b[se] !== SP) se++;
    if (se > ss) software = decodeWireText(b, ss, se);
    if (se < end) comments = decodeWireText(b, se + 1, end);
  }
  if (software === null) anomalies.push('missing_software_version');
  return {
    ok: true,
    value: { raw: decodeWireText(b, off, end), proto_version: decodeWireText(b, ps, pe), software_version: software, comments, anomalies },
  };
}

/** The binary packet at the start of b[off, off+len) (RFC 4253 §6), before encryption is on. */
export type SshPacketFrame =
  | { kind: 'incomplete'; needed: number }
  | { kind: 'bad'; error: string }
  | { kind: 'packet'; total: number; payloadOff: number; payloadLen: number; messageCode: number };

/**
 * Frames the unencrypted binary packet at b[off, off+len): `incomplete` with the bytes needed in all, `bad` when
 * the lengths are impossible (packet_length < 5 or above MAX_SSH_PACKET, padding_length not below packet_length),
 * else the payload's position and its message code.
 */
export function frameSshPacket(b: Uint8Array, off: number, len: number): SshPacketFrame {
  if (!goodBounds(b, off, len)) return { kind: 'bad', error: 'bad_bounds' };
  if (len < 4) return { kind: 'incomplete', needed: 4 };
  const packetLength = ((b[off]! << 24) >>> 0) + (b[off + 1]! << 16) + (b[off + 2]! << 8) + b[off + 3]!;
  if (packetLength < 5 || packetLength + 4 > MAX_SSH_PACKET) return { kind: 'bad', error: 'bad_packet_length' };
  const total = packetLength + 4;
  if (len < total) return { kind: 'incomplete', needed: total };
  const padding = b[off + 4]!;
  if (padding + 1 >= packetLength) return { kind: 'bad', error: 'bad_padding_length' };
  const payloadLen = packetLength - padding - 1;
  return { kind: 'packet', total, payloadOff: off + 5, payloadLen, messageCode: b[off + 5]! };
}

/** uint32 big-endian at o. */
function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
}

/** The names of the name-list b[start, end) (bounded by MAX_NAME_LIST_BYTES and MAX_NAMES). */
function nameList(b: Uint8Array, start: number, end: number, field: KexinitList, anomalies: string[]): string[] {
  if (end - start > MAX_NAME_LIST_BYTES) {
    anomalies.push(`long_name_list:${field}`);
    let cut = start + MAX_NAME_LIST_BYTES;
    while (cut > start && b[cut] !== COMMA) cut--;
    end = cut;
  }
  const names: string[] = [];
  if (end === start) return names;
  let emptySeen = false;
  let asciiBad = false;
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i < end && b[i] !== COMMA) {
      if (!asciiBad && (b[i]! <= SP || b[i]! > 0x7e)) { asciiBad = true; anomalies.push(`non_ascii_name:${field}`); }
      continue;
    }
    if (i === s) {
      if (!emptySeen) { emptySeen = true; anomalies.push(`empty_name:${field}`); }
    } else if (names.length < MAX_NAMES) names.push(decodeWireText(b, s, i));
    else { anomalies.push(`too_many_names:${field}`); break; }
    s = i + 1;
  }
  return names;
}

/**
 * Parses an SSH_MSG_KEXINIT payload b[off, off+len) (starting with its message code 20). Fails only for bad bounds,
 * another message code or a payload shorter than code + cookie; a payload that ends early keeps what was read
 * (`truncated_kexinit:<first missing field>`).
 */
export function parseSshKexinit(b: Uint8Array, off: number, len: number): SshParseResult<SshKexinit> {
  if (!goodBounds(b, off, len)) return { ok: false, error: 'bad_bounds' };
  if (len < 1 || b[off] !== SSH_MSG_KEXINIT) return { ok: false, error: 'not_kexinit' };
  if (len < 17) return { ok: false, error: 'short_kexinit' };
  const end = off + len;
  const anomalies: string[] = [];
  const k = { cookie: hexText(b, off + 1, off + 17), first_kex_packet_follows: false, reserved: 0, anomalies } as SshKexinit;
  for (const f of KEXINIT_LISTS) k[f] = [];
  let p = off + 17;
  for (const f of KEXINIT_LISTS) {
    if (end - p < 4) { anomalies.push(`truncated_kexinit:${f}`); return { ok: true, value: k }; }
    const n = u32(b, p);
    p += 4;
    if (n > end - p) {
      anomalies.push(`truncated_kexinit:${f}`);
      k[f] = nameList(b, p, end, f, anomalies);
      return { ok: true, value: k };
    }
    k[f] = nameList(b, p, p + n, f, anomalies);
    p += n;
  }
  if (end - p < 1) { anomalies.push('truncated_kexinit:first_kex_packet_follows'); return { ok: true, value: k }; }
  const flag = b[p]!;
  k.first_kex_packet_follows = flag !== 0;
  if (flag > 1) anomalies.push('odd_boolean');
  p++;
  if (end - p < 4) { anomalies.push('truncated_kexinit:reserved'); return { ok: true, value: k }; }
  k.reserved = u32(b, p);
  if (k.reserved !== 0) anomalies.push('reserved_not_zero');
  p += 4;
  if (p < end) anomalies.push('trailing_bytes');
  return { ok: true, value: k };
}

/**
 * The algorithm RFC 4253 §7.1 negotiates from two preference lists: the first of the client's names that the
 * server also lists; null when none is common.
 */
export function negotiateAlgorithm(client: readonly string[], server: readonly string[]): string | null {
  for (const a of client) if (server.includes(a)) return a;
  return null;
}
