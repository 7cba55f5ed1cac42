/**
 * RDP connection-initiation parser: one TPKT packet holding an X.224 Connection Request (client) or Connection
 * Confirm (server), with the RDP negotiation structures MS-RDPBCGR puts in it. Pure: no state, no I/O, never
 * throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 1006 §6 TPKT: version 3, reserved, 16-bit big-endian length of the whole packet;
 * - ITU-T X.224 §13.3 / §13.4 (ISO 8073) CR TPDU (code 0xE0) and CC TPDU (0xD0): length indicator, code, DST-REF,
 *   SRC-REF, class option;
 * - MS-RDPBCGR §2.2.1.1 Client X.224 Connection Request PDU: optional routingToken (`Cookie: msts=…` CR LF) or
 *   cookie (`Cookie: mstshash=IDENTIFIER` CR LF), optional RDP_NEG_REQ (§2.2.1.1.1: type 0x01, flags, length 8,
 *   requestedProtocols little-endian), optional RDP_NEG_CORRELATION_INFO (§2.2.1.1.2: type 0x06, length 36,
 *   16-byte correlationId) when flags hold CORRELATION_INFO_PRESENT;
 * - MS-RDPBCGR §2.2.1.2 Server X.224 Connection Confirm PDU: optional RDP_NEG_RSP (§2.2.1.2.1: type 0x02, flags,
 *   length 8, selectedProtocol) or RDP_NEG_FAILURE (§2.2.1.2.2: type 0x03, failureCode).
 */
import { decodeWireText, hexText } from '../wire-text.js';

/** Largest TPKT accepted for a connection request/confirm (a CR with a routing token is well under 1 KiB). */
export const MAX_RDP_X224 = 4096;
/** Longest cookie / routing token line kept, in bytes. */
export const MAX_TOKEN_BYTES = 512;

/** RDP security protocol flags (MS-RDPBCGR §2.2.1.1.1 requestedProtocols; §2.2.1.2.1 selectedProtocol values). */
export const RDP_PROTOCOLS: readonly (readonly [number, string])[] = [
  [0x01, 'SSL'],
  [0x02, 'HYBRID'],
  [0x04, 'RDSTLS'],
  [0x08, 'HYBRID_EX'],
  [0x10, 'RDSAAD'],
];

/** RDP_NEG_FAILURE codes (MS-RDPBCGR §2.2.1.2.2). */
export const RDP_FAILURE_CODES: Readonly<Record<number, string>> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

/** RDP_NEG_REQ flag: correlation info follows (MS-RDPBCGR §2.2.1.1.1). */
export const CORRELATION_INFO_PRESENT = 0x08;

/** Anomaly names. */
export const RDP_ANOMALIES = {
  /** The TPKT length disagrees with the bytes given (shorter: the rest is ignored; longer: parsed as far as given). */
  tpkt_length_mismatch: 'TPKT length differs from the bytes present',
  /** The X.224 length indicator points past the TPKT. */
  bad_length_indicator: 'X.224 length indicator beyond the packet',
  /** A cookie / routing token without its CR LF. */
  unterminated_token: 'cookie or routing token without CR LF',
  /** A cookie / routing token longer than MAX_TOKEN_BYTES, cut. */
  long_token: 'cookie or routing token longer than MAX_TOKEN_BYTES',
  /** An RDP negotiation structure whose length field is not 8 (or 36 for correlation info). */
  bad_negotiation_length: 'RDP negotiation structure with a wrong length',
  /** Bytes after the known structures that are not one of them (":" the type byte in hex). */
  unknown_negotiation_type: 'unknown RDP negotiation structure type',
  /** CORRELATION_INFO_PRESENT set but no correlation info follows. */
  missing_correlation_info: 'correlation info flagged but absent',
  /** A negotiation structure cut by the end of the packet. */
  truncated_negotiation: 'negotiation structure cut short',
  /** An RDP_NEG_REQ in a confirm or an RDP_NEG_RSP in a request. */
  misplaced_negotiation: 'negotiation structure of the other direction',
} as const;

/** An anomaly name. */
export type RdpAnomaly = keyof typeof RDP_ANOMALIES;

/** One X.224 connection request or confirm, with its RDP negotiation data. */
export interface RdpX224 {
  /** `request` (CR, 0xE0) or `confirm` (CC, 0xD0). */
  kind: 'request' | 'confirm';
  tpkt_length: number;
  /** X.224 length indicator (header bytes after it). */
  length_indicator: number;
  dst_ref: number;
  src_ref: number;
  class_option: number;
  /** The whole cookie or routing-token line without CR LF, text-escaped (tshark's rdp.rt_cookie). */
  token: string | null;
  /** The IDENTIFIER of `Cookie: mstshash=IDENTIFIER` (a user name, often cut to 9 characters by mstsc), as sent. */
  cookie: string | null;
  /** True when the token is a load-balancer routing token (`Cookie: msts=…`) rather than an mstshash cookie. */
  routing_token: boolean;
  /** The negotiation structure type: 1 REQ, 2 RSP, 3 FAILURE; null when absent. */
  neg_type: number | null;
  neg_flags: number | null;
  /** RDP_NEG_REQ requestedProtocols bit mask (0 = standard RDP security only). */
  requested_protocols: number | null;
  /** RDP_NEG_CORRELATION_INFO correlationId, hex. */
  correlation_id: string | null;
  /** RDP_NEG_RSP selectedProtocol. */
  selected_protocol: number | null;
  /** RDP_NEG_FAILURE failureCode. */
  failure_code: number | null;
  anomalies: string[];
}

/** Result of parseRdpX224. */
export type RdpParseResult = { ok: true; value: RdpX224 } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const COOKIE = 'Cookie: ';
const MSTSHASH = 'Cookie: mstshash=';

/** The names of the protocols in a requestedProtocols mask ("RDP" for 0, standard RDP security). */
export function rdpProtocolNames(mask: number): string[] {
  if (mask === 0) return ['RDP'];
  const names = RDP_PROTOCOLS.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  const known = RDP_PROTOCOLS.reduce((a, [bit]) => a | bit, 0);
  if ((mask & ~known) !== 0) names.push(`0x${(mask & ~known).toString(16)}`);
  return names;
}

/** The name of a selectedProtocol value ("RDP" for 0). */
export function rdpProtocolName(value: number): string {
  if (value === 0) return 'RDP';
  return RDP_PROTOCOLS.find(([bit]) => bit === value)?.[1] ?? `0x${value.toString(16)}`;
}

/** True if b[p, end) starts with the ASCII text s. */
function startsWith(b: Uint8Array, p: number, end: number, s: string): boolean {
  if (end - p < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

const le16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** Reads the cookie / routing token line at p; returns where parsing goes on. */
function readToken(b: Uint8Array, p: number, end: number, r: RdpX224): number {
  let e = p;
  while (e + 1 < end && !(b[e] === 0x0d && b[e + 1] === 0x0a)) e++;
  const terminated = e + 1 < end;
  if (!terminated) {
    e = end;
    r.anomalies.push('unterminated_token');
  }
  const cut = Math.min(e, p + MAX_TOKEN_BYTES);
  if (cut < e) r.anomalies.push('long_token');
  r.token = decodeWireText(b, p, cut);
  if (startsWith(b, p, cut, MSTSHASH)) r.cookie = decodeWireText(b, p + MSTSHASH.length, cut);
  else r.routing_token = true;
  return terminated ? e + 2 : end;
}

/** Reads the 8-byte negotiation structure at p (its type already checked to be 1, 2 or 3); returns where to go on. */
function readNegotiation(b: Uint8Array, p: number, end: number, r: RdpX224): number {
  if (end - p < 8) {
    r.anomalies.push('truncated_negotiation');
    return end;
  }
  const type = b[p]!;
  if ((type === 1) !== (r.kind === 'request')) r.anomalies.push('misplaced_negotiation');
  r.neg_type = type;
  r.neg_flags = b[p + 1]!;
  if (le16(b, p + 2) !== 8) r.anomalies.push('bad_negotiation_length');
  const v = le32(b, p + 4);
  if (type === 1) r.requested_protocols = v;
  else if (type === 2) r.selected_protocol = v;
  else r.failure_code = v;
  return p + 8;
}

/** Reads RDP_NEG_CORRELATION_INFO at p when flagged; returns where to go on. */
function readCorrelation(b: Uint8Array, p: number, end: number, r: RdpX224): number {
  if (end - p < 1 || b[p] !== 0x06) {
    r.anomalies.push('missing_correlation_info');
    return p;
  }
  if (end - p < 36) {
    r.anomalies.push('truncated_negotiation');
    return end;
  }
  if (le16(b, p + 2) !== 36) r.anomalies.push('bad_negotiation_length');
  r.correlation_id = hexText(b, p + 4, p + 20);
  return p + 36;
}

/**
 * Parses the TPKT packet at b[off, off+len) as an X.224 CR or CC with RDP negotiation data. Fails when it is not
 * TPKT version 3 with an X.224 CR/CC of at least the fixed 7 bytes.
 */
export function parseRdpX224(b: Uint8Array, off: number, len: number): RdpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < 11 || b[off] !== 3) return { ok: false, error: 'not_tpkt' };
  const tpktLength = (b[off + 2]! << 8) | b[off + 3]!;
  const code = b[off + 5]! & 0xf0;
  if (code !== 0xe0 && code !== 0xd0) return { ok: false, error: 'not_connection_request_or_confirm' };
  const li = b[off + 4]!;
  if (li < 6) return { ok: false, error: 'bad_length_indicator' };
  const anomalies: string[] = [];
  if (tpktLength !== len) anomalies.push('tpkt_length_mismatch');
  const end = off + Math.min(len, Math.max(tpktLength, 11));
  if (off + 5 + li > end) anomalies.push('bad_length_indicator');
  const r: RdpX224 = {
    kind: code === 0xe0 ? 'request' : 'confirm', tpkt_length: tpktLength, length_indicator: li,
    dst_ref: (b[off + 6]! << 8) | b[off + 7]!, src_ref: (b[off + 8]! << 8) | b[off + 9]!, class_option: b[off + 10]!,
    token: null, cookie: null, routing_token: false, neg_type: null, neg_flags: null, requested_protocols: null,
    correlation_id: null, selected_protocol: null, failure_code: null, anomalies,
  };
  let p = off + 11;
  if (r.kind === 'request' && startsWith(b, p, end, COOKIE)) p = readToken(b, p, end, r);
  if (p < end) {
    const t = b[p]!;
    if (t >= 1 && t <= 3) {
      p = readNegotiation(b, p, end, r);
      if (t === 1 && r.neg_flags !== null && (r.neg_flags & CORRELATION_INFO_PRESENT) !== 0) p = readCorrelation(b, p, end, r);
    }
  }
  if (p < end) anomalies.push(`unknown_negotiation_type:${b[p]!.toString(16).padStart(2, '0')}`);
  return { ok: true, value: r };
}
