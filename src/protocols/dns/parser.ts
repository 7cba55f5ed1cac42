/**
 * DNS message parser: one DNS message (a UDP payload of port 53, mDNS 5353 or LLMNR 5355; for DNS over TCP the
 * caller strips the 2-byte length prefix) → a flat `DnsMessage` record. Pure: no state, no I/O, never throws, never
 * reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 1035 §4.1 (header, question and resource record layout), §4.1.4 (name compression), §3.1 / §2.3.4 (names:
 *   labels of at most 63 bytes, at most 255 bytes on the wire), §3.3 (CNAME, HINFO, MX, NS, PTR, SOA, TXT rdata),
 *   §3.4.1 (A);
 * - RFC 3596 §2.2 (AAAA), printed as RFC 5952 §4 text (addresses with an embedded IPv4 address in mixed notation,
 *   RFC 5952 §5);
 * - RFC 2782 (SRV), RFC 6672 (DNAME), RFC 4034 §4 (NSEC: next name and type bitmap), RFC 3597 §5 (TYPEnnn names of
 *   unknown types), RFC 6891 §6 (EDNS0 OPT pseudo-record), RFC 6895 §2 (opcodes, RCODEs; the header's AD and CD
 *   bits from RFC 4035 §3.2);
 * - RFC 6762 §10.2 (mDNS cache-flush bit: top bit of an answer's class) and §5.4 (unicast-response "QU" bit: top bit
 *   of a question's class), §18 (mDNS allows compression in SRV and NSEC rdata as well); RFC 6763 §6 (DNS-SD TXT);
 * - RFC 4795 §2.1.1 (LLMNR: the header bit at DNS's AA position is C "conflict", the one at RD's is T "tentative").
 *
 * The parser does not know the port, so it always splits the top bit off a class: `qclass` / `class` hold the low
 * 15 bits and `unicast_response` / `cache_flush` the top bit. In unicast DNS that bit is never set by real classes
 * (IN 1, CH 3, HS 4, NONE 254, ANY 255); a private-use class 0xFF00–0xFFFE would show as 0x7F00–0x7FFE with the
 * bit set. The OPT record is the exception: its class is the UDP payload size, kept whole.
 *
 * Malformed content after a complete 12-byte header is not an error: it is recorded in `anomalies` (names below)
 * and parsing keeps what it could read. Only bad bounds or a payload shorter than the header fail.
 *
 * Text (labels, TXT / HINFO character-strings) keeps printable ASCII as is and valid UTF-8 sequences as their
 * characters; everything else is escaped so a value can be logged safely and read back unambiguously:
 * `\xNN` is one raw byte (C0 controls, DEL, and bytes that are not part of a valid UTF-8 sequence), `\\` a
 * backslash, `\uNNNN` (or `\u{NNNNN}`) a decoded code point that is invisible or reorders text (C1 controls, Unicode
 * format characters such as bidi controls, zero-width characters and the BOM, line/paragraph separators), and —
 * in names only — `\.` a dot inside a label. Names are labels joined with "." without a trailing dot; the root
 * name is ".". (Hex, dotted-quad and UTF-8 validation are shared with the other parsers: src/protocols/wire-text.ts;
 * the escaping itself stays DNS's own: per-sequence UTF-8, `\.` in labels, `\u{…}` above U+FFFF.)
 */
import { HEX_BYTE, hexText, ipv4Text, ipv6Text, printableText, utf8CodePointAt, utf8Length } from '../wire-text.js';

export { ipv6Text };

/** Bytes of the fixed header (RFC 1035 §4.1.1). */
export const DNS_HEADER_BYTES = 12;
/** Largest message parsed; longer input is cut here (the 16-bit TCP length prefix bounds a DNS message). */
export const MAX_DNS_MESSAGE_BYTES = 65_535;
/** Most entries kept per section; the rest are walked over (so later sections still parse) but not kept. */
export const MAX_RECORDS = 256;
/**
 * Most compression pointers followed while reading one name (RFC 1035 §4.1.4). Loops are caught exactly (a pointer
 * back to a byte the name has already read); this bounds the work of a long chain that does not loop.
 */
export const MAX_POINTER_JUMPS = 128;
/** Longest name accepted, in wire bytes including length bytes and the root label (RFC 1035 §2.3.4). */
export const MAX_NAME_LENGTH = 255;
/** Longest label (RFC 1035 §2.3.4); a longer length byte has its top bits set and is a pointer or reserved type. */
export const MAX_LABEL_LENGTH = 63;
/** Most rdata bytes kept as hex in a `{ raw }` value; `rdlength` tells when it was cut. */
export const MAX_RAW_RDATA_BYTES = 512;
/** Most character-strings kept from one TXT record. */
export const MAX_TXT_STRINGS = 256;
/** Most EDNS0 options listed from one OPT record. */
export const MAX_OPT_OPTIONS = 64;
/** Most types listed from one NSEC type bitmap. */
export const MAX_NSEC_TYPES = 1024;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and a section name
 * (`question`, `answer`, `authority`, `additional`) or an RR type number, e.g. `truncated_section:answer`,
 * `bad_rdata:1`.
 */
export const DNS_ANOMALIES = {
  /** The payload was longer than MAX_DNS_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_DNS_MESSAGE_BYTES, cut',
  /** The message ended before every entry its header counts was read (":section"); `truncated` is set. */
  truncated_section: 'message ends inside a section (":section")',
  /**
   * A label length byte with the reserved type bits 01 or 10 (RFC 6891 §5 retired extended labels) where the
   * name is stored: its end cannot be found, so parsing stops there (":section"); `truncated` is set.
   */
  bad_label_type: 'label of reserved type 0x40/0x80 (":section")',
  /** More than MAX_RECORDS entries in a section (":section"); the rest were walked over, not kept. */
  too_many_records: 'more than MAX_RECORDS entries in a section (":section")',
  /**
   * A name reached through a pointer holds a reserved label type or runs past the message. In an owner name this
   * stops the walk (`truncated`); in rdata the rdata is kept raw.
   */
  bad_name: 'name malformed past its first pointer',
  /**
   * A compression pointer leads back to a byte the name has already read, or a name follows more than
   * MAX_POINTER_JUMPS pointers: a loop (the name is null; the walk goes on).
   */
  name_pointer_loop: 'compression pointers loop (or more than MAX_POINTER_JUMPS)',
  /** A compression pointer points outside the message; as `bad_name`. */
  bad_pointer: 'compression pointer outside the message',
  /** A name is longer than MAX_NAME_LENGTH wire bytes (the name is null). */
  name_too_long: 'name longer than MAX_NAME_LENGTH bytes',
  /** Rdata does not fit its type (wrong length, bad name, string past the end); kept as `{ raw }` (":type"). */
  bad_rdata: 'rdata malformed for its type, kept as raw (":type")',
  /** Rdata decoded, but bytes were left over after the value (":type"). */
  rdata_trailing_bytes: 'bytes left over after the rdata value (":type")',
  /** A TXT record holds more than MAX_TXT_STRINGS strings; the rest are dropped. */
  too_many_strings: 'more than MAX_TXT_STRINGS strings in a TXT record',
  /** An OPT record holds more than MAX_OPT_OPTIONS options; the rest are dropped. */
  too_many_options: 'more than MAX_OPT_OPTIONS options in an OPT record',
  /** An NSEC type bitmap lists more than MAX_NSEC_TYPES types; the rest are dropped. */
  too_many_nsec_types: 'more than MAX_NSEC_TYPES types in an NSEC bitmap',
  /** Bytes after the last entry the header counts. */
  trailing_bytes: 'bytes after the last counted entry',
} as const;

/** An anomaly name. */
export type DnsAnomaly = keyof typeof DNS_ANOMALIES;

/** RR type mnemonics by number (IANA "Resource Record (RR) TYPEs" registry); others are named `TYPE<n>`. */
export const DNS_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS',
  12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT',
  22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT',
  31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME',
  40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY',
  49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO', 57: 'RKEY',
  58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS',
  99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID', 105: 'L32', 106: 'L64', 107: 'LP',
  108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA',
  255: 'ANY', 256: 'URI', 257: 'CAA', 258: 'AVC', 259: 'DOA', 260: 'AMTRELAY', 32768: 'TA', 32769: 'DLV',
};

/** Header RCODE names (RFC 6895 §2.3; 4-bit values only, the EDNS0 extension is in the OPT rdata). */
export const DNS_RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET',
  8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 11: 'DSOTYPENI',
};

/** Opcode names (RFC 6895 §2.2, RFC 1996 NOTIFY, RFC 2136 UPDATE, RFC 8490 DSO). */
export const DNS_OPCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'QUERY', 1: 'IQUERY', 2: 'STATUS', 4: 'NOTIFY', 5: 'UPDATE', 6: 'DSO',
};

/** RR type numbers the parser decodes. */
export const DNS_TYPE = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39, OPT: 41, NSEC: 47,
} as const;

/** One question (RFC 1035 §4.1.2). For UPDATE (opcode 5) messages this section is the zone section. */
export interface DnsQuestion {
  /** QNAME (see the file comment for escaping); null when it could not be decoded (see `anomalies`). */
  name: string | null;
  qtype: number;
  /** Mnemonic of `qtype` (DNS_TYPE_NAMES), `TYPE<n>` when unassigned. */
  qtype_name: string;
  /** QCLASS without its top bit (1 = IN). */
  qclass: number;
  /** The top bit of QCLASS: the mDNS "QU" unicast-response request (RFC 6762 §5.4). */
  unicast_response: boolean;
}

/** MX rdata (RFC 1035 §3.3.9). */
export interface DnsMx {
  preference: number;
  exchange: string;
}

/** SRV rdata (RFC 2782). */
export interface DnsSrv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** SOA rdata (RFC 1035 §3.3.13). */
export interface DnsSoa {
  mname: string;
  /** The responsible mailbox as a name: its first label is the local part (a dot in it shows as `\.`). */
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** HINFO rdata (RFC 1035 §3.3.2). */
export interface DnsHinfo {
  cpu: string;
  os: string;
}

/** One EDNS0 option (RFC 6891 §6.1.2): its code and data length (data not kept). */
export interface DnsOptOption {
  code: number;
  length: number;
}

/** OPT pseudo-record (RFC 6891 §6.1.2–6.1.3), decoded from its class, TTL and rdata. */
export interface DnsOpt {
  /** Requestor's UDP payload size (the record's CLASS). */
  udp_payload_size: number;
  /** Upper 8 bits of the extended RCODE (the full RCODE is `extended_rcode << 4 | rcode`). */
  extended_rcode: number;
  /** EDNS version. */
  version: number;
  /** DNSSEC OK bit (RFC 3225). */
  do: boolean;
  options: DnsOptOption[];
}

/** NSEC rdata (RFC 4034 §4.1). */
export interface DnsNsec {
  /** Next owner name. */
  next: string;
  /** Types present in the type bitmap, ascending. */
  types: number[];
}

/** Rdata of a type not decoded, or malformed for its type: lower-case hex, at most MAX_RAW_RDATA_BYTES bytes. */
export interface DnsRaw {
  raw: string;
}

/**
 * Decoded rdata, by record type: A and AAAA → address text; CNAME, NS, PTR, DNAME → name; TXT → strings; MX, SRV,
 * SOA, HINFO, OPT, NSEC → their objects; anything else (or malformed) → `{ raw }`.
 */
export type DnsRdata = string | string[] | DnsMx | DnsSrv | DnsSoa | DnsHinfo | DnsOpt | DnsNsec | DnsRaw;

/** One resource record (RFC 1035 §4.1.3). */
export interface DnsRecord {
  /** Owner name; null when it could not be decoded (see `anomalies`). */
  name: string | null;
  type: number;
  /** Mnemonic of `type` (DNS_TYPE_NAMES), `TYPE<n>` when unassigned. */
  type_name: string;
  /** CLASS without its top bit (1 = IN); for OPT the whole 16 bits (the UDP payload size). */
  class: number;
  /** The top bit of CLASS: the mDNS cache-flush bit (RFC 6762 §10.2); always false for OPT. */
  cache_flush: boolean;
  /** TTL as on the wire (unsigned 32-bit); for OPT the raw extended-RCODE/version/flags word. */
  ttl: number;
  /** RDLENGTH. */
  rdlength: number;
  rdata: DnsRdata;
}

/** One decoded DNS / mDNS / LLMNR message. */
export interface DnsMessage {
  /** Transaction ID. */
  id: number;
  /** QR: the message is a response. */
  qr: boolean;
  opcode: number;
  /** Mnemonic of `opcode`, `OPCODE<n>` when unassigned. */
  opcode_name: string;
  /** AA (authoritative answer); in LLMNR the C (conflict) bit. */
  aa: boolean;
  /** TC (truncated by the sender; not the same as `truncated`). */
  tc: boolean;
  /** RD (recursion desired); in LLMNR the T (tentative) bit. */
  rd: boolean;
  /** RA (recursion available). */
  ra: boolean;
  /** The reserved Z bit (0x0040). */
  z: boolean;
  /** AD (authentic data, RFC 4035 §3.2.3). */
  ad: boolean;
  /** CD (checking disabled, RFC 4035 §3.2.2). */
  cd: boolean;
  /** Header RCODE (4 bits, as on the wire). */
  rcode: number;
  /** Mnemonic of `rcode`, `RCODE<n>` when unassigned. */
  rcode_name: string;
  /** QDCOUNT as on the wire (zone count for UPDATE). */
  qdcount: number;
  /** ANCOUNT as on the wire (prerequisite count for UPDATE). */
  ancount: number;
  /** NSCOUNT as on the wire (update count for UPDATE). */
  nscount: number;
  /** ARCOUNT as on the wire. */
  arcount: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /** Parsing stopped before every counted entry was read (the message was cut or unwalkable); see `anomalies`. */
  truncated: boolean;
  /** Malformed things met (see DNS_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseDns. */
export type DnsParseResult = { ok: true; value: DnsMessage } | { ok: false; error: string };

/** A message labelled with the service its datagram came by (the `dns` log record): `service` first, then the message's fields. */
export type LabelledDnsMessage<S extends string> = { service: S } & DnsMessage;

// ---------------------------------------------------------------------------------------------------------------
// Numbers, addresses, names of numbers

/** Big-endian unsigned 16-bit at `o`. */
function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Big-endian unsigned 32-bit at `o`. */
function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Mnemonic of an RR type, `TYPE<n>` (RFC 3597 §5) when unassigned. */
export function dnsTypeName(t: number): string {
  return DNS_TYPE_NAMES[t] ?? `TYPE${t}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Code points written as `\u…` even when validly encoded: invisible, or able to reorder or split a log line. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u;

/** True for a byte dnsText writes as it is: printable ASCII but the backslash, and in a label (`label`) not ".". */
function isPlainByte(c: number, label: boolean): boolean {
  return c >= 0x20 && c < 0x7f && c !== 0x5c && !(label && c === 0x2e);
}

/**
 * Text of b[start, end), escaped as described in the file comment; `label` also escapes "." (inside a DNS label a
 * dot is data, not a separator).
 */
export function dnsText(b: Uint8Array, start: number, end: number, label: boolean): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    if (!isPlainByte(b[i]!, label)) { plain = false; break; }
  }
  if (plain) return printableText(b, start, end);
  let out = '';
  for (let i = start; i < end;) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c < 0x20 || c === 0x7f) out += `\\x${HEX_BYTE[c]}`;
      else if (c === 0x5c) out += '\\\\';
      else if (label && c === 0x2e) out += '\\.';
      else out += String.fromCharCode(c);
      i++;
      continue;
    }
    const cp = utf8CodePointAt(b, i, end);
    if (cp < 0) {
      out += `\\x${HEX_BYTE[c]}`;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    if (INVISIBLE.test(ch)) out += cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
    i += utf8Length(cp);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Names (RFC 1035 §3.1, §4.1.4)

/** skipName result: the name's stored labels run past the end of the data. */
const NAME_OVERRUN = -1;
/** skipName result: a reserved label type (0x40 / 0x80) where the name is stored. */
const NAME_BAD_LABEL = -2;

/**
 * Where the name stored at `p` ends in m[0, end): just past its root label or its first pointer. Pointers are not
 * followed (that is decodeName's job), so this always terminates within the data. Returns NAME_OVERRUN or
 * NAME_BAD_LABEL when the end cannot be found.
 */
function skipName(m: Uint8Array, p: number, end: number): number {
  let q = p;
  for (;;) {
    if (q >= end) return NAME_OVERRUN;
    const l = m[q]!;
    if (l === 0) return q + 1;
    const kind = l & 0xc0;
    if (kind === 0xc0) return q + 2 <= end ? q + 2 : NAME_OVERRUN;
    if (kind !== 0) return NAME_BAD_LABEL;
    q += 1 + l;
  }
}

/** Why the last decodeName call returned null (an anomaly name). */
let nameError: DnsAnomaly = 'bad_name';

/**
 * Loop detection scratch: visited[pos] === visitStamp marks a message offset already read while decoding the current
 * name. Reused across calls (the parser is synchronous); a new stamp per name avoids clearing.
 */
const visited = new Uint32Array(MAX_DNS_MESSAGE_BYTES);
let visitStamp = 0;

/**
 * Decodes the name at `p` of message m, following compression pointers anywhere inside m (forward ones too, as
 * RFC 1035 §4.1.4 does not forbid them). A pointer to an offset this name has already read is a loop, and so is a
 * chain of more than MAX_POINTER_JUMPS pointers. Returns the escaped text ("." for the root), or null with the
 * reason in `nameError`. Call skipName first: the stored part must be walkable.
 */
function decodeName(m: Uint8Array, p: number): string | null {
  if (++visitStamp === 0xffffffff) {
    visited.fill(0);
    visitStamp = 1;
  }
  let q = p;
  let labels = 0;
  let wire = 1; // the root label
  let jumps = 0;
  let plain = true;
  for (;;) {
    if (q >= m.length) { nameError = 'bad_name'; return null; }
    visited[q] = visitStamp;
    const l = m[q]!;
    if (l === 0) break;
    const kind = l & 0xc0;
    if (kind === 0xc0) {
      if (q + 1 >= m.length) { nameError = 'bad_name'; return null; }
      const target = ((l & 0x3f) << 8) | m[q + 1]!;
      if (target >= m.length) { nameError = 'bad_pointer'; return null; }
      if (visited[target] === visitStamp || ++jumps > MAX_POINTER_JUMPS) { nameError = 'name_pointer_loop'; return null; }
      q = target;
      continue;
    }
    if (kind !== 0 || q + 1 + l > m.length) { nameError = 'bad_name'; return null; }
    wire += 1 + l;
    if (wire > MAX_NAME_LENGTH) { nameError = 'name_too_long'; return null; }
    labelAt[labels++] = q;
    if (plain) plain = copyPlainLabel(m, q + 1, q + 1 + l, labels > 1);
    q += 1 + l;
  }
  if (labels === 0) return '.';
  if (plain) return printableText(nameBytes, 0, nameLength);
  let out = '';
  for (let i = 0; i < labels; i++) {
    const at = labelAt[i]!;
    out += (i === 0 ? '' : '.') + dnsText(m, at + 1, at + 1 + m[at]!, true);
  }
  return out;
}

/**
 * The labels of the name decodeName is reading: where each starts in the message (a name of at most MAX_NAME_LENGTH
 * wire bytes has fewer than 128 labels), and, while every label is plain, the name's text bytes (labels joined with
 * ".", at most MAX_NAME_LENGTH - 1 bytes): made into one string at once instead of label by label.
 */
const labelAt = new Int32Array(128);
const nameBytes = new Uint8Array(MAX_NAME_LENGTH);
let nameLength = 0;

/**
 * Appends label m[start, end) to nameBytes (after a "." unless it is the first) when every byte is printable ASCII
 * that dnsText writes as it is (no backslash, no dot inside a label); false (nothing kept) otherwise.
 */
function copyPlainLabel(m: Uint8Array, start: number, end: number, dot: boolean): boolean {
  let n = dot ? nameLength : 0;
  if (dot) nameBytes[n++] = 0x2e;
  for (let i = start; i < end; i++) {
    const c = m[i]!;
    if (!isPlainByte(c, true)) return false;
    nameBytes[n++] = c;
  }
  nameLength = n;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Rdata

/** Raw rdata value: hex of at most MAX_RAW_RDATA_BYTES bytes. */
function raw(m: Uint8Array, start: number, end: number): DnsRaw {
  return { raw: hexText(m, start, Math.min(end, start + MAX_RAW_RDATA_BYTES)) };
}

/** Decodes a name inside rdata m[p, end); null (anomalies recorded) if it does not fit or cannot be decoded. */
function rdataName(m: Uint8Array, p: number, end: number, anomalies: string[]): { name: string; next: number } | null {
  const e = skipName(m, p, end);
  if (e < 0) return null;
  const name = decodeName(m, p);
  if (name === null) {
    anomalies.push(nameError);
    return null;
  }
  return { name, next: e };
}

/** Reads one <character-string> (RFC 1035 §3.3) at m[p, end); null if its length runs past `end`. */
function characterString(m: Uint8Array, p: number, end: number): { text: string; next: number } | null {
  if (p >= end) return null;
  const l = m[p]!;
  if (p + 1 + l > end) return null;
  return { text: dnsText(m, p + 1, p + 1 + l, false), next: p + 1 + l };
}

/**
 * Decodes rdata m[start, end) of a record of `type` (class and ttl are needed for OPT). Malformed rdata gives
 * `{ raw }` with a `bad_rdata:<type>` anomaly.
 */
function decodeRdata(m: Uint8Array, type: number, cls: number, ttl: number, start: number, end: number, anomalies: string[]): DnsRdata {
  const len = end - start;
  const bad = (): DnsRaw => {
    anomalies.push(`bad_rdata:${type}`);
    return raw(m, start, end);
  };
  const trailing = (next: number): void => {
    if (next !== end) anomalies.push(`rdata_trailing_bytes:${type}`);
  };
  switch (type) {
    case DNS_TYPE.A:
      return len === 4 ? ipv4Text(m, start) : bad();
    case DNS_TYPE.AAAA:
      return len === 16 ? ipv6Text(m, start) : bad();
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR:
    case DNS_TYPE.DNAME: {
      const n = rdataName(m, start, end, anomalies);
      if (n === null) return bad();
      trailing(n.next);
      return n.name;
    }
    case DNS_TYPE.MX: {
      if (len < 3) return bad();
      const n = rdataName(m, start + 2, end, anomalies);
      if (n === null) return bad();
      trailing(n.next);
      return { preference: u16(m, start), exchange: n.name };
    }
    case DNS_TYPE.SRV: {
      if (len < 7) return bad();
      const n = rdataName(m, start + 6, end, anomalies);
      if (n === null) return bad();
      trailing(n.next);
      return { priority: u16(m, start), weight: u16(m, start + 2), port: u16(m, start + 4), target: n.name };
    }
    case DNS_TYPE.SOA: {
      const mname = rdataName(m, start, end, anomalies);
      if (mname === null) return bad();
      const rname = rdataName(m, mname.next, end, anomalies);
      if (rname === null || rname.next + 20 > end) return bad();
      const o = rname.next;
      trailing(o + 20);
      return { mname: mname.name, rname: rname.name, serial: u32(m, o), refresh: u32(m, o + 4), retry: u32(m, o + 8), expire: u32(m, o + 12), minimum: u32(m, o + 16) };
    }
    case DNS_TYPE.HINFO: {
      const cpu = characterString(m, start, end);
      const os = cpu === null ? null : characterString(m, cpu.next, end);
      if (cpu === null || os === null) return bad();
      trailing(os.next);
      return { cpu: cpu.text, os: os.text };
    }
    case DNS_TYPE.TXT: {
      // RFC 1035 §3.3.14: one or more strings; RFC 6763 §6.1: an empty DNS-SD TXT record is a single zero byte.
      const strings: string[] = [];
      let p = start;
      while (p < end) {
        const s = characterString(m, p, end);
        if (s === null) {
          // Keep the strings that fit, as for a truncated section; the damaged rest is the anomaly.
          anomalies.push(`bad_rdata:${type}`);
          break;
        }
        if (strings.length >= MAX_TXT_STRINGS) {
          anomalies.push('too_many_strings');
          break;
        }
        strings.push(s.text);
        p = s.next;
      }
      return strings;
    }
    case DNS_TYPE.OPT: {
      const options: DnsOptOption[] = [];
      let p = start;
      while (p < end) {
        if (p + 4 > end || p + 4 + u16(m, p + 2) > end) {
          anomalies.push(`bad_rdata:${type}`);
          break;
        }
        if (options.length >= MAX_OPT_OPTIONS) {
          anomalies.push('too_many_options');
          break;
        }
        const length = u16(m, p + 2);
        options.push({ code: u16(m, p), length });
        p += 4 + length;
      }
      return { udp_payload_size: cls, extended_rcode: ttl >>> 24, version: (ttl >>> 16) & 0xff, do: (ttl & 0x8000) !== 0, options };
    }
    case DNS_TYPE.NSEC: {
      const n = rdataName(m, start, end, anomalies);
      if (n === null) return bad();
      // RFC 4034 §4.1.2: windows (number, length 1–32, bitmap), in increasing window order.
      const types: number[] = [];
      let p = n.next;
      let lastWindow = -1;
      while (p < end) {
        if (p + 2 > end) return bad();
        const win = m[p]!;
        const bl = m[p + 1]!;
        if (win <= lastWindow || bl < 1 || bl > 32 || p + 2 + bl > end) return bad();
        lastWindow = win;
        for (let i = 0; i < bl; i++) {
          const byte = m[p + 2 + i]!;
          for (let bit = 0; bit < 8; bit++) {
            if ((byte & (0x80 >> bit)) === 0) continue;
            if (types.length >= MAX_NSEC_TYPES) {
              anomalies.push('too_many_nsec_types');
              return { next: n.name, types };
            }
            types.push(win * 256 + i * 8 + bit);
          }
        }
        p += 2 + bl;
      }
      return { next: n.name, types };
    }
    default:
      return raw(m, start, end);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

const SECTION_NAMES = ['question', 'answer', 'authority', 'additional'] as const;

/** Walk state over one message. */
interface Walk {
  m: Uint8Array;
  p: number;
  anomalies: string[];
  /** Set when the walk cannot go on (the message is cut or unwalkable). */
  stopped: boolean;
}

/** Records why the entry at w.p could not be walked, and stops the walk. */
function stop(w: Walk, nameEnd: number, section: string): void {
  w.anomalies.push(nameEnd === NAME_BAD_LABEL ? `bad_label_type:${section}` : `truncated_section:${section}`);
  w.stopped = true;
}

/**
 * Records why an owner name could not be decoded. A pointer loop or an over-long name leaves the entry usable (its
 * name is null) and the walk goes on; a pointer outside the message or labels running past it mean the message is
 * cut or corrupt, so the walk stops there (`truncated`). Returns whether the walk goes on.
 */
function nameKeepsWalking(w: Walk): boolean {
  w.anomalies.push(nameError);
  if (nameError === 'name_pointer_loop' || nameError === 'name_too_long') return true;
  w.stopped = true;
  return false;
}

/** Reads `count` questions (keeping at most MAX_RECORDS). */
function readQuestions(w: Walk, count: number, out: DnsQuestion[]): void {
  const m = w.m;
  for (let i = 0; i < count; i++) {
    const e = skipName(m, w.p, m.length);
    if (e < 0 || e + 4 > m.length) { stop(w, e, 'question'); return; }
    if (i < MAX_RECORDS) {
      const name = decodeName(m, w.p);
      if (name === null && !nameKeepsWalking(w)) return;
      const qtype = u16(m, e);
      const cls = u16(m, e + 2);
      out.push({ name, qtype, qtype_name: dnsTypeName(qtype), qclass: cls & 0x7fff, unicast_response: (cls & 0x8000) !== 0 });
    } else if (i === MAX_RECORDS) w.anomalies.push('too_many_records:question');
    w.p = e + 4;
  }
}

/** Reads `count` resource records of one section (keeping at most MAX_RECORDS). */
function readRecords(w: Walk, count: number, section: string, out: DnsRecord[]): void {
  const m = w.m;
  for (let i = 0; i < count; i++) {
    const e = skipName(m, w.p, m.length);
    if (e < 0 || e + 10 > m.length) { stop(w, e, section); return; }
    const rdlength = u16(m, e + 8);
    const rd = e + 10;
    // A record whose rdata is cut is not kept: its value would be a guess.
    if (rd + rdlength > m.length) { stop(w, NAME_OVERRUN, section); return; }
    if (i < MAX_RECORDS) {
      const name = decodeName(m, w.p);
      if (name === null && !nameKeepsWalking(w)) return;
      const type = u16(m, e);
      const rawClass = u16(m, e + 2);
      const ttl = u32(m, e + 4);
      const isOpt = type === DNS_TYPE.OPT;
      out.push({
        name,
        type,
        type_name: dnsTypeName(type),
        class: isOpt ? rawClass : rawClass & 0x7fff,
        cache_flush: !isOpt && (rawClass & 0x8000) !== 0,
        ttl,
        rdlength,
        rdata: decodeRdata(m, type, rawClass, ttl, rd, rd + rdlength, w.anomalies),
      });
    } else if (i === MAX_RECORDS) w.anomalies.push(`too_many_records:${section}`);
    w.p = rd + rdlength;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Parses one DNS message from b[off, off+len) (a UDP payload of DNS, mDNS or LLMNR, or a TCP-framed message with
 * its length prefix removed).
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than the 12-byte header; everything else malformed
 * is reported in `value.anomalies`, and what was read before it is kept. Never throws and never reads outside
 * b[off, off+len).
 */
export function parseDns(b: Uint8Array, off: number, len: number): DnsParseResult {
  const r = labelledDnsMessage('', b, off, len);
  if (typeof r === 'string') return { ok: false, error: r };
  const { service: _label, ...msg } = r;
  return { ok: true, value: msg };
}

/**
 * parseDns for the analyzer: the message built at once with `service` (a label the caller chose; the parser does not
 * look at it) as its first field, and no result wrapper: the message, or parseDns's error text.
 */
export function labelledDnsMessage<S extends string>(service: S, b: Uint8Array, off: number, len: number): LabelledDnsMessage<S> | string {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) return 'bad_bounds';
  if (len < DNS_HEADER_BYTES) return `truncated_header: ${len} of ${DNS_HEADER_BYTES} bytes`;
  const anomalies: string[] = [];
  if (len > MAX_DNS_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_DNS_MESSAGE_BYTES;
  }
  // A view of the message: every offset below is message-relative (as compression pointers are) and bounded by
  // m.length.
  const m = b.subarray(off, off + len);
  const flags = u16(m, 2);
  const opcode = (flags >> 11) & 0x0f;
  const rcode = flags & 0x0f;
  const msg: LabelledDnsMessage<S> = {
    service,
    id: u16(m, 0),
    qr: (flags & 0x8000) !== 0,
    opcode,
    opcode_name: DNS_OPCODE_NAMES[opcode] ?? `OPCODE${opcode}`,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode,
    rcode_name: DNS_RCODE_NAMES[rcode] ?? `RCODE${rcode}`,
    qdcount: u16(m, 4),
    ancount: u16(m, 6),
    nscount: u16(m, 8),
    arcount: u16(m, 10),
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    truncated: false,
    anomalies,
  };
  const w: Walk = { m, p: DNS_HEADER_BYTES, anomalies, stopped: false };
  readQuestions(w, msg.qdcount, msg.questions);
  if (!w.stopped) readRecords(w, msg.ancount, SECTION_NAMES[1], msg.answers);
  if (!w.stopped) readRecords(w, msg.nscount, SECTION_NAMES[2], msg.authorities);
  if (!w.stopped) readRecords(w, msg.arcount, SECTION_NAMES[3], msg.additionals);
  if (w.stopped) msg.truncated = true;
  else if (w.p < m.length) anomalies.push('trailing_bytes');
  return msg;
}
