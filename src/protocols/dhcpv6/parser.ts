/**
 * DHCPv6 message parser: one UDP payload (port 546/547) → a flat `Dhcpv6Message` record. Pure: no state, no I/O,
 * never throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 8415 §8 (client/server message: msg-type, transaction-id, options), §9 (relay-forward / relay-reply:
 *   msg-type, hop-count, link-address, peer-address, options; the relayed message inside option 9), §11 (DUIDs:
 *   §11.2 DUID-LLT, §11.3 DUID-EN, §11.4 DUID-LL), §21 (options: 1 client id, 2 server id, 3 IA_NA, 4 IA_TA,
 *   5 IA Address, 6 ORO, 7 preference, 8 elapsed time, 9 relay message, 13 status code, 14 rapid commit, 15 user
 *   class, 16 vendor class, 17 vendor-specific information, 18 interface-id, 25 IA_PD, 26 IA Prefix);
 * - RFC 6355 (DUID-UUID, type 4); RFC 3646 (23 DNS servers, 24 domain search list); RFC 4704 (39 client FQDN: flags
 *   and a wire-format name, possibly partial); RFC 6939 (79 client link-layer address, in relay-forward messages);
 *   RFC 8520 §10 (112 MUD URL); RFC 5007, 5460, 6977, 7341, 7653, 8156 (message types 14–35).
 *
 * Relay messages are followed into their option 9 (up to MAX_DHCPV6_RELAY_DEPTH levels): each relay becomes an
 * entry of `relays` (outermost first) and the top-level fields describe the innermost client/server message.
 *
 * Only bad bounds or a payload too short for its message header fail; everything malformed after a complete header
 * is recorded in `anomalies` (names below) and the affected field is left null or empty. Text from the wire is
 * decoded as UTF-8 when valid and as Latin-1 otherwise, with control characters escaped (src/protocols/wire-text.ts).
 */
import { decodeWireText, hexText, ipv6Text, macText, readWireName } from '../wire-text.js';

/** Bytes of the client/server message header (msg-type + transaction-id). */
export const DHCPV6_HEADER_BYTES = 4;
/** Bytes of the relay message header (msg-type, hop-count, link-address, peer-address). */
export const DHCPV6_RELAY_HEADER_BYTES = 34;
/** Largest payload parsed; longer input is cut here. */
export const MAX_DHCPV6_MESSAGE_BYTES = 65_535;
/** Most relay levels followed (RFC 8415 §7.6 HOP_COUNT_LIMIT is 8). */
export const MAX_DHCPV6_RELAY_DEPTH = 16;
/** Most options read at one level (a message, a relay, an IA, an address or prefix); the rest are skipped. */
export const MAX_DHCPV6_OPTIONS = 128;
/** Most identity associations of one kind kept per message. */
export const MAX_DHCPV6_IAS = 16;
/** Most addresses or prefixes kept per identity association. */
export const MAX_DHCPV6_IA_ENTRIES = 32;
/** Most option codes kept from one option request option. */
export const MAX_DHCPV6_ORO_CODES = 256;
/** Most items kept from a list option (user class, vendor class data, DNS servers, domain list). */
export const MAX_DHCPV6_LIST_ITEMS = 64;
/** Longest DUID kept (RFC 8415 §11.1: at most 128 octets, type included). */
export const MAX_DUID_BYTES = 130;
/** Longest text value kept (bytes); a longer one is cut. */
export const MAX_DHCPV6_TEXT_BYTES = 1024;

/** Hardware type of Ethernet (IANA ARP hardware types), as DUIDs and option 79 use it. */
export const DHCPV6_HWTYPE_ETHERNET = 1;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the option code, e.g.
 * `bad_option_length:8`.
 */
export const DHCPV6_ANOMALIES = {
  /** The payload was longer than MAX_DHCPV6_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_DHCPV6_MESSAGE_BYTES, cut',
  /** An option's length runs past the end of its enclosing data; reading that level stops (":code"). */
  option_length_overrun: 'option length runs past the enclosing data (":code")',
  /** 1–3 bytes left at the end of a level: too short for an option header. */
  option_truncated: 'trailing bytes too short for an option header',
  /** An option has a length its definition does not allow; its field is left null (":code"). */
  bad_option_length: 'option length invalid for this option (":code")',
  /** More than MAX_DHCPV6_OPTIONS options at one level; the rest were skipped. */
  too_many_options: 'more than MAX_DHCPV6_OPTIONS options at one level',
  /** An option that may appear once appeared again; the first is kept (":code"). */
  duplicate_option: 'single-instance option repeated (":code")',
  /** A list option held more than its limit; the rest were not kept (":code"). */
  too_many_items: 'list option longer than its limit (":code")',
  /** A relay message without a relay message option (9): the relayed message is missing. */
  relay_message_missing: 'relay-forward/reply without a relay message option',
  /** A relayed message too short for its header; the top-level fields describe the relay. */
  relay_message_truncated: 'relayed message shorter than its header',
  /** Relays nested deeper than MAX_DHCPV6_RELAY_DEPTH. */
  relay_too_deep: 'more than MAX_DHCPV6_RELAY_DEPTH nested relays',
  /** A DUID shorter than its type requires (":code" of the option holding it). */
  bad_duid: 'DUID too short for its type (":code")',
  /** A name of option 24 or 39 is not a valid wire-format name; names before it are kept (":code"). */
  bad_domain_name: 'malformed wire-format name (":code")',
} as const;

/** An anomaly name. */
export type Dhcpv6Anomaly = keyof typeof DHCPV6_ANOMALIES;

/** Message type names (RFC 8415 §7.3; 14–35 from RFC 5007, 5460, 6977, 7341, 7653, 8156). */
export const DHCPV6_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'solicit',
  2: 'advertise',
  3: 'request',
  4: 'confirm',
  5: 'renew',
  6: 'rebind',
  7: 'reply',
  8: 'release',
  9: 'decline',
  10: 'reconfigure',
  11: 'information-request',
  12: 'relay-forw',
  13: 'relay-repl',
  14: 'leasequery',
  15: 'leasequery-reply',
  16: 'leasequery-done',
  17: 'leasequery-data',
  18: 'reconfigure-request',
  19: 'reconfigure-reply',
  20: 'dhcpv4-query',
  21: 'dhcpv4-response',
  22: 'activeleasequery',
  23: 'starttls',
  24: 'bndupd',
  25: 'bndreply',
  26: 'poolreq',
  27: 'poolresp',
  28: 'updreq',
  29: 'updreqall',
  30: 'upddone',
  31: 'connect',
  32: 'connectreply',
  33: 'disconnect',
  34: 'state',
  35: 'contact',
};

/** RELAY-FORW and RELAY-REPL (RFC 8415 §9). */
const RELAY_TYPES = new Set([12, 13]);

/** A DUID (RFC 8415 §11), whole and split by type. */
export interface Dhcpv6Duid {
  /** The whole DUID, lower-case hex (cut at MAX_DUID_BYTES). */
  duid: string;
  /** 1 LLT, 2 EN, 3 LL, 4 UUID. */
  type: number;
  /** Hardware type of a DUID-LLT / DUID-LL (1 Ethernet). */
  hw_type: number | null;
  /** DUID-LLT time: seconds since 2000-01-01 00:00 UTC. */
  time: number | null;
  /** Link-layer address of a DUID-LLT / DUID-LL: aa:bb:cc:dd:ee:ff for Ethernet with 6 bytes, else hex. */
  link_layer_address: string | null;
  /** DUID-EN enterprise number (IANA Private Enterprise Number). */
  enterprise: number | null;
  /** DUID-EN identifier or DUID-UUID, hex. */
  identifier: string | null;
}

/** An IA Address (5) or IA Prefix (26) inside an identity association. */
export interface Dhcpv6IaEntry {
  /** The address, or the prefix as "address/length". */
  address: string;
  preferred_lifetime: number;
  valid_lifetime: number;
  /** Status code option (13) inside the entry. */
  status_code: number | null;
  status_message: string | null;
  /** Option codes inside the entry, in wire order. */
  options: number[];
}

/** An identity association: IA_NA (3), IA_TA (4) or IA_PD (25). */
export interface Dhcpv6Ia {
  iaid: number;
  /** T1 / T2 seconds (null for IA_TA, which has none). */
  t1: number | null;
  t2: number | null;
  /** IA Address entries (IA_NA, IA_TA) or IA Prefix entries (IA_PD). */
  entries: Dhcpv6IaEntry[];
  /** Status code option (13) of the IA. */
  status_code: number | null;
  status_message: string | null;
  /** Option codes inside the IA, in wire order. */
  options: number[];
}

/** Vendor class (16): enterprise number and the opaque data items as text. */
export interface Dhcpv6VendorClass {
  enterprise: number;
  data: string[];
}

/** Vendor-specific information (17): enterprise number and the sub-option codes. */
export interface Dhcpv6VendorOpts {
  enterprise: number;
  suboptions: number[];
}

/** Client FQDN (39, RFC 4704 §4). */
export interface Dhcpv6Fqdn {
  /** Flags: S 0x01, O 0x02, N 0x04. */
  flags: number;
  /** The name (labels joined with "."); text-escaped. */
  name: string;
  /** False when the name is partial (no terminating zero label: the client asks the server to complete it). */
  complete: boolean;
}

/** One relay level (RFC 8415 §9). */
export interface Dhcpv6Relay {
  /** 12 relay-forw or 13 relay-repl. */
  msg_type: number;
  hop_count: number;
  link_address: string;
  peer_address: string;
  /** Option codes of the relay, in wire order. */
  options: number[];
  /** Interface-Id (18), hex. */
  interface_id: string | null;
  /** Client link-layer address (79, RFC 6939): aa:bb:cc:dd:ee:ff for Ethernet, else hex. */
  client_link_layer_address: string | null;
}

/**
 * One decoded DHCPv6 message: the innermost client/server message, after the relays that carried it. Option fields
 * are null (lists: empty) when the option is absent or malformed (see `anomalies`).
 */
export interface Dhcpv6Message {
  /** Type of the innermost message reached (a relay type when the relayed message is missing). */
  msg_type: number;
  /** See DHCPV6_MESSAGE_TYPES; null when unknown. */
  msg_type_name: string | null;
  /** Transaction id (24 bits); null for a relay message. */
  transaction_id: number | null;
  /** The relays the message came through, outermost first; empty for a message sent directly. */
  relays: Dhcpv6Relay[];
  /** Option codes of the message, in wire order. */
  options: number[];
  /** Option 1. */
  client_id: Dhcpv6Duid | null;
  /** Option 2. */
  server_id: Dhcpv6Duid | null;
  /** Options 3 (non-temporary addresses), 4 (temporary addresses), 25 (delegated prefixes). */
  ia_na: Dhcpv6Ia[];
  ia_ta: Dhcpv6Ia[];
  ia_pd: Dhcpv6Ia[];
  /** Option 6: the requested option codes in wire order (the order is a client fingerprint). */
  oro: number[] | null;
  /** Option 7. */
  preference: number | null;
  /** Option 8: hundredths of a second since the client began. */
  elapsed_time: number | null;
  /** Option 14 present. */
  rapid_commit: boolean;
  /** Option 13 at message level. */
  status_code: number | null;
  status_message: string | null;
  /** Option 15: the user class items as text. */
  user_class: string[] | null;
  /** Option 16, every instance. */
  vendor_class: Dhcpv6VendorClass[];
  /** Option 17, every instance. */
  vendor_opts: Dhcpv6VendorOpts[];
  /** Option 39. */
  client_fqdn: Dhcpv6Fqdn | null;
  /** Option 23. */
  dns_servers: string[] | null;
  /** Option 24, names without trailing dot. */
  domain_list: string[] | null;
  /** Option 112 (RFC 8520): the Manufacturer Usage Description URL. */
  mud_url: string | null;
  /** Malformed things met (see DHCPV6_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseDhcpv6. */
export type Dhcpv6ParseResult = { ok: true; value: Dhcpv6Message } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Numbers and option walking

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** One option: its code and the bounds of its value. */
interface Option {
  code: number;
  start: number;
  end: number;
}

/**
 * The options of b[start, end) (RFC 8415 §21.1: code, length, value), at most MAX_DHCPV6_OPTIONS. Stops with an
 * anomaly at an option running past `end` or a partial header.
 */
function walkOptions(b: Uint8Array, start: number, end: number, anomalies: string[]): Option[] {
  const out: Option[] = [];
  let p = start;
  while (p < end) {
    if (end - p < 4) { anomalies.push('option_truncated'); break; }
    const code = u16(b, p);
    const len = u16(b, p + 2);
    if (p + 4 + len > end) { anomalies.push(`option_length_overrun:${code}`); break; }
    if (out.length >= MAX_DHCPV6_OPTIONS) { anomalies.push('too_many_options'); break; }
    out.push({ code, start: p + 4, end: p + 4 + len });
    p += 4 + len;
  }
  return out;
}

/** Text of b[start, end) cut at MAX_DHCPV6_TEXT_BYTES. */
function text(b: Uint8Array, start: number, end: number): string {
  return decodeWireText(b, start, Math.min(end, start + MAX_DHCPV6_TEXT_BYTES));
}

/** A link-layer address: a MAC for Ethernet with 6 bytes, else hex. */
function linkLayerAddress(b: Uint8Array, hwType: number, start: number, end: number): string {
  return hwType === DHCPV6_HWTYPE_ETHERNET && end - start === 6 ? macText(b, start) : hexText(b, start, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Option values

/** Minimum DUID length by type (type field included): LLT 8 + address, EN 6 + identifier, LL 4 + address, UUID 18. */
const DUID_MIN: Readonly<Record<number, number>> = { 1: 8, 2: 6, 3: 4, 4: 18 };

/** A DUID (RFC 8415 §11), or null with an anomaly when too short for its type. */
function duid(b: Uint8Array, o: Option, anomalies: string[]): Dhcpv6Duid | null {
  const { start, end } = o;
  if (end - start < 2 || end - start < (DUID_MIN[u16(b, start)] ?? 2)) { anomalies.push(`bad_duid:${o.code}`); return null; }
  const type = u16(b, start);
  const d: Dhcpv6Duid = {
    duid: hexText(b, start, Math.min(end, start + MAX_DUID_BYTES)),
    type,
    hw_type: null,
    time: null,
    link_layer_address: null,
    enterprise: null,
    identifier: null,
  };
  if (type === 1 || type === 3) {
    d.hw_type = u16(b, start + 2);
    const addr = type === 1 ? start + 8 : start + 4;
    if (type === 1) d.time = u32(b, start + 4);
    d.link_layer_address = linkLayerAddress(b, d.hw_type, addr, Math.min(end, addr + MAX_DUID_BYTES));
  } else if (type === 2) {
    d.enterprise = u32(b, start + 2);
    d.identifier = hexText(b, start + 6, Math.min(end, start + MAX_DUID_BYTES));
  } else if (type === 4) {
    d.identifier = hexText(b, start + 2, end);
  }
  return d;
}

/** A status code option (RFC 8415 §21.13): code and UTF-8 message; null with an anomaly when shorter than 2 bytes. */
function statusCode(b: Uint8Array, o: Option, anomalies: string[]): { code: number; message: string } | null {
  if (o.end - o.start < 2) { anomalies.push('bad_option_length:13'); return null; }
  return { code: u16(b, o.start), message: text(b, o.start + 2, o.end) };
}

/** Sets the status fields of a message, IA or IA entry from a decoded status code option. */
function setStatus(target: { status_code: number | null; status_message: string | null }, st: { code: number; message: string } | null): void {
  if (st === null) return;
  target.status_code = st.code;
  target.status_message = st.message;
}

/** An IA Address (5, 24 bytes + options) or IA Prefix (26, 25 bytes + options). */
function iaEntry(b: Uint8Array, o: Option, anomalies: string[]): Dhcpv6IaEntry | null {
  const prefix = o.code === 26;
  const fixed = prefix ? 25 : 24;
  if (o.end - o.start < fixed) { anomalies.push(`bad_option_length:${o.code}`); return null; }
  const e: Dhcpv6IaEntry = prefix
    ? { address: `${ipv6Text(b, o.start + 9)}/${b[o.start + 8]}`, preferred_lifetime: u32(b, o.start), valid_lifetime: u32(b, o.start + 4), status_code: null, status_message: null, options: [] }
    : { address: ipv6Text(b, o.start), preferred_lifetime: u32(b, o.start + 16), valid_lifetime: u32(b, o.start + 20), status_code: null, status_message: null, options: [] };
  for (const s of walkOptions(b, o.start + fixed, o.end, anomalies)) {
    e.options.push(s.code);
    if (s.code === 13 && e.status_code === null) setStatus(e, statusCode(b, s, anomalies));
  }
  return e;
}

/** An identity association: IA_NA (3) and IA_PD (25) have IAID, T1, T2; IA_TA (4) only IAID. */
function ia(b: Uint8Array, o: Option, anomalies: string[]): Dhcpv6Ia | null {
  const temporary = o.code === 4;
  const fixed = temporary ? 4 : 12;
  if (o.end - o.start < fixed) { anomalies.push(`bad_option_length:${o.code}`); return null; }
  const r: Dhcpv6Ia = {
    iaid: u32(b, o.start),
    t1: temporary ? null : u32(b, o.start + 4),
    t2: temporary ? null : u32(b, o.start + 8),
    entries: [],
    status_code: null,
    status_message: null,
    options: [],
  };
  const entryCode = o.code === 25 ? 26 : 5;
  for (const s of walkOptions(b, o.start + fixed, o.end, anomalies)) {
    r.options.push(s.code);
    if (s.code === entryCode) {
      if (r.entries.length >= MAX_DHCPV6_IA_ENTRIES) { anomalies.push(`too_many_items:${s.code}`); continue; }
      const e = iaEntry(b, s, anomalies);
      if (e !== null) r.entries.push(e);
    } else if (s.code === 13 && r.status_code === null) setStatus(r, statusCode(b, s, anomalies));
  }
  return r;
}

/** Length-prefixed (16-bit) opaque items of b[start, end) as text (user class, vendor class data; RFC 8415 §21.15). */
function opaqueItems(b: Uint8Array, start: number, end: number, code: number, anomalies: string[]): string[] | null {
  const out: string[] = [];
  let p = start;
  while (p < end) {
    if (p + 2 > end || p + 2 + u16(b, p) > end) { anomalies.push(`bad_option_length:${code}`); return null; }
    if (out.length >= MAX_DHCPV6_LIST_ITEMS) { anomalies.push(`too_many_items:${code}`); break; }
    const l = u16(b, p);
    out.push(text(b, p + 2, p + 2 + l));
    p += 2 + l;
  }
  return out;
}

/** A list of 16-byte IPv6 addresses (23 DNS servers). */
function addressList(b: Uint8Array, o: Option, anomalies: string[]): string[] | null {
  const len = o.end - o.start;
  if (len % 16 !== 0) { anomalies.push(`bad_option_length:${o.code}`); return null; }
  const out: string[] = [];
  for (let p = o.start; p < o.end; p += 16) {
    if (out.length >= MAX_DHCPV6_LIST_ITEMS) { anomalies.push(`too_many_items:${o.code}`); break; }
    out.push(ipv6Text(b, p));
  }
  return out;
}

/** A domain list (24, RFC 3646 §4 / RFC 8415 §10): complete uncompressed names. */
function domainList(b: Uint8Array, o: Option, anomalies: string[]): string[] {
  const out: string[] = [];
  let p = o.start;
  while (p < o.end) {
    if (out.length >= MAX_DHCPV6_LIST_ITEMS) { anomalies.push('too_many_items:24'); break; }
    const n = readWireName(b, p, o.end);
    if (n === null || !n.complete) { anomalies.push('bad_domain_name:24'); break; }
    out.push(n.name);
    p = n.next;
  }
  return out;
}

/** Client FQDN (39, RFC 4704 §4): flags, then one wire-format name, complete or partial. */
function clientFqdn(b: Uint8Array, o: Option, anomalies: string[]): Dhcpv6Fqdn | null {
  if (o.end - o.start < 1) { anomalies.push('bad_option_length:39'); return null; }
  const n = readWireName(b, o.start + 1, o.end);
  if (n === null || n.next !== o.end) { anomalies.push('bad_domain_name:39'); return null; }
  return { flags: b[o.start]!, name: n.name, complete: n.complete };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/** Options that may appear once per message (RFC 8415 Appendix B); a repeat is an anomaly and ignored. */
const SINGLE_OPTIONS = new Set([1, 2, 6, 7, 8, 13, 15, 23, 24, 39, 112]);

/** Fills the option fields of `msg` from the options of one client/server message. */
function readMessageOptions(b: Uint8Array, opts: Option[], msg: Dhcpv6Message): void {
  const a = msg.anomalies;
  const seen = new Set<number>();
  for (const o of opts) {
    msg.options.push(o.code);
    if (SINGLE_OPTIONS.has(o.code)) {
      if (seen.has(o.code)) { a.push(`duplicate_option:${o.code}`); continue; }
      seen.add(o.code);
    }
    readMessageOption(b, o, msg);
  }
}

/** Appends an identity association to `list` unless MAX_DHCPV6_IAS are already kept. */
function addIa(b: Uint8Array, o: Option, list: Dhcpv6Ia[], anomalies: string[]): void {
  if (list.length >= MAX_DHCPV6_IAS) { anomalies.push(`too_many_items:${o.code}`); return; }
  const r = ia(b, o, anomalies);
  if (r !== null) list.push(r);
}

/** Decodes one option of a client/server message into `msg`. */
function readMessageOption(b: Uint8Array, o: Option, msg: Dhcpv6Message): void {
  const a = msg.anomalies;
  const len = o.end - o.start;
  switch (o.code) {
    case 1: msg.client_id = duid(b, o, a); break;
    case 2: msg.server_id = duid(b, o, a); break;
    case 3: addIa(b, o, msg.ia_na, a); break;
    case 4: addIa(b, o, msg.ia_ta, a); break;
    case 25: addIa(b, o, msg.ia_pd, a); break;
    case 6: {
      if (len % 2 !== 0) { a.push('bad_option_length:6'); break; }
      const codes: number[] = [];
      for (let p = o.start; p < o.end && codes.length < MAX_DHCPV6_ORO_CODES; p += 2) codes.push(u16(b, p));
      if (len / 2 > MAX_DHCPV6_ORO_CODES) a.push('too_many_items:6');
      msg.oro = codes;
      break;
    }
    case 7: if (len === 1) msg.preference = b[o.start]!; else a.push('bad_option_length:7'); break;
    case 8: if (len === 2) msg.elapsed_time = u16(b, o.start); else a.push('bad_option_length:8'); break;
    case 13: setStatus(msg, statusCode(b, o, a)); break;
    case 14: if (len === 0) msg.rapid_commit = true; else a.push('bad_option_length:14'); break;
    case 15: msg.user_class = opaqueItems(b, o.start, o.end, 15, a); break;
    case 16: {
      if (len < 4) { a.push('bad_option_length:16'); break; }
      const data = opaqueItems(b, o.start + 4, o.end, 16, a);
      if (data !== null && msg.vendor_class.length < MAX_DHCPV6_LIST_ITEMS) msg.vendor_class.push({ enterprise: u32(b, o.start), data });
      break;
    }
    case 17: {
      if (len < 4) { a.push('bad_option_length:17'); break; }
      if (msg.vendor_opts.length >= MAX_DHCPV6_LIST_ITEMS) break;
      const sub = walkOptions(b, o.start + 4, o.end, a).map((s) => s.code);
      msg.vendor_opts.push({ enterprise: u32(b, o.start), suboptions: sub });
      break;
    }
    case 23: msg.dns_servers = addressList(b, o, a); break;
    case 24: msg.domain_list = domainList(b, o, a); break;
    case 39: msg.client_fqdn = clientFqdn(b, o, a); break;
    case 112: if (len > 0) msg.mud_url = text(b, o.start, o.end); else a.push('bad_option_length:112'); break;
    default: break;
  }
}

/** A relay level from its header at b[p] and its options; returns the relayed message's option, if any. */
function readRelay(b: Uint8Array, p: number, end: number, msg: Dhcpv6Message): Option | null {
  const r: Dhcpv6Relay = {
    msg_type: b[p]!,
    hop_count: b[p + 1]!,
    link_address: ipv6Text(b, p + 2),
    peer_address: ipv6Text(b, p + 18),
    options: [],
    interface_id: null,
    client_link_layer_address: null,
  };
  let inner: Option | null = null;
  for (const o of walkOptions(b, p + DHCPV6_RELAY_HEADER_BYTES, end, msg.anomalies)) {
    r.options.push(o.code);
    if (o.code === 9 && inner === null) inner = o;
    else if (o.code === 18 && r.interface_id === null) r.interface_id = hexText(b, o.start, Math.min(o.end, o.start + MAX_DUID_BYTES));
    else if (o.code === 79 && r.client_link_layer_address === null) {
      if (o.end - o.start < 3) msg.anomalies.push('bad_option_length:79');
      else r.client_link_layer_address = linkLayerAddress(b, u16(b, o.start), o.start + 2, Math.min(o.end, o.start + 2 + MAX_DUID_BYTES));
    }
  }
  msg.relays.push(r);
  return inner;
}

/**
 * Parses one DHCPv6 message from b[off, off+len) (a UDP payload).
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than its header (4 bytes; 34 for a relay message);
 * everything else malformed is reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseDhcpv6(b: Uint8Array, off: number, len: number): Dhcpv6ParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < 1) return { ok: false, error: 'empty' };
  const need = RELAY_TYPES.has(b[off]!) ? DHCPV6_RELAY_HEADER_BYTES : DHCPV6_HEADER_BYTES;
  if (len < need) return { ok: false, error: `truncated_header: ${len} of ${need} bytes` };
  const anomalies: string[] = [];
  if (len > MAX_DHCPV6_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_DHCPV6_MESSAGE_BYTES;
  }
  const m = b.subarray(off, off + len);
  const msg: Dhcpv6Message = {
    msg_type: m[0]!,
    msg_type_name: null,
    transaction_id: null,
    relays: [],
    options: [],
    client_id: null,
    server_id: null,
    ia_na: [],
    ia_ta: [],
    ia_pd: [],
    oro: null,
    preference: null,
    elapsed_time: null,
    rapid_commit: false,
    status_code: null,
    status_message: null,
    user_class: null,
    vendor_class: [],
    vendor_opts: [],
    client_fqdn: null,
    dns_servers: null,
    domain_list: null,
    mud_url: null,
    anomalies,
  };
  // Unwrap relays: [start, end) is the current message.
  let start = 0;
  let end = m.length;
  while (RELAY_TYPES.has(m[start]!)) {
    if (msg.relays.length >= MAX_DHCPV6_RELAY_DEPTH) { anomalies.push('relay_too_deep'); break; }
    const inner = readRelay(m, start, end, msg);
    if (inner === null) { anomalies.push('relay_message_missing'); break; }
    const innerLen = inner.end - inner.start;
    if (innerLen < DHCPV6_HEADER_BYTES || (RELAY_TYPES.has(m[inner.start]!) && innerLen < DHCPV6_RELAY_HEADER_BYTES)) {
      anomalies.push('relay_message_truncated');
      break;
    }
    start = inner.start;
    end = inner.end;
  }
  msg.msg_type = m[start]!;
  msg.msg_type_name = DHCPV6_MESSAGE_TYPES[msg.msg_type] ?? null;
  if (RELAY_TYPES.has(msg.msg_type)) return { ok: true, value: msg };
  msg.transaction_id = (m[start + 1]! << 16) | (m[start + 2]! << 8) | m[start + 3]!;
  readMessageOptions(m, walkOptions(m, start + DHCPV6_HEADER_BYTES, end, anomalies), msg);
  return { ok: true, value: msg };
}
