/**
 * DHCPv4 / BOOTP message parser: one UDP payload (port 67/68) → a flat `DhcpMessage` record. Pure: no state, no
 * I/O, never throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 2131 §2 (fixed header: op … file, 236 bytes) and §3 (magic cookie 99.130.83.99 at offset 236, options after);
 * - RFC 2132 (options; §3.1 pad, §3.2 end, §9.3 option overload into `file` then `sname`, §9.6 message types);
 * - RFC 3396 (an option appearing more than once is one option: its values are concatenated in order — options
 *   field, then `file`, then `sname`);
 * - RFC 3004 (user class 77: a list of length-prefixed instances), RFC 4702 (client FQDN 81, canonical wire-format
 *   or ASCII name), RFC 3046 (relay agent information 82), RFC 3397 (domain search 119, DNS names with
 *   compression), RFC 6842 (client identifier echoed by servers), RFC 4388 / RFC 6926 / RFC 7724 (lease query
 *   message types 10–18), RFC 3203 (FORCERENEW).
 *
 * Malformed content past a complete fixed header is not an error: it is recorded in `anomalies` (names below) and
 * the affected field is left null. Only a payload shorter than the fixed header (or bad bounds) fails.
 *
 * Text from the wire (host names, vendor class, sname/file, …) is decoded as UTF-8 when the bytes are valid UTF-8
 * and as Latin-1 otherwise; C0/C1 control characters and DEL are written as `\xNN`, a backslash as `\\`, and
 * Unicode line/paragraph separators, bidirectional controls and the BOM as `\uNNNN`, so a value can be logged or
 * displayed safely and the escaping is unambiguous. (Shared with the other parsers: src/protocols/wire-text.ts.)
 */
import { decodeWireText, hexText, ipv4Text, macText, MAX_WIRE_LABEL_BYTES, MAX_WIRE_NAME_BYTES, readWireName, wireLabelText } from '../wire-text.js';

/** Bytes of the fixed BOOTP/DHCP header (RFC 2131 §2: op … file). */
export const DHCP_FIXED_HEADER_BYTES = 236;
/** Offset of the options area: fixed header + 4-byte magic cookie. */
export const DHCP_OPTIONS_OFFSET = 240;
/** The magic cookie 99.130.83.99 (RFC 2131 §3, RFC 1497). */
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** Largest payload parsed; longer input is cut here (the largest IPv4 UDP payload is 65,507 bytes). */
export const MAX_DHCP_MESSAGE_BYTES = 65_535;
/** Most options (pad and end not counted) decoded in one message, over all areas; the rest are skipped. */
export const MAX_DHCP_OPTIONS = 255;
/** Longest DNS name accepted (RFC 1035 §2.3.4, wire length) in options 81 and 119. */
export const MAX_DNS_NAME_BYTES = MAX_WIRE_NAME_BYTES;
/** Longest DNS label (RFC 1035 §2.3.4). */
export const MAX_DNS_LABEL_BYTES = MAX_WIRE_LABEL_BYTES;
/** Most names decoded from one domain search option (119). */
export const MAX_DOMAIN_SEARCH_NAMES = 64;
/** Most sub-options decoded from one relay agent information option (82). */
export const MAX_RELAY_AGENT_SUBOPTIONS = 64;

/** Hardware type of Ethernet (RFC 1700 / IANA ARP hardware types). */
export const HTYPE_ETHERNET = 1;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the option code (or the
 * area, for the overload ones), e.g. `bad_option_length:51`.
 */
export const DHCP_ANOMALIES = {
  /** The payload was longer than MAX_DHCP_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_DHCP_MESSAGE_BYTES, cut',
  /** hlen > 16 (the chaddr field size); chaddr holds the 16 bytes. */
  bad_hlen: 'hardware address length larger than the 16-byte chaddr field',
  /** Fewer than 4 bytes after the fixed header: no magic cookie, a plain (old) BOOTP message. */
  truncated_magic: 'no room for the magic cookie',
  /**
   * The 4 bytes after the fixed header are neither 99.130.83.99 nor zero; options are not decoded. (Zero is an
   * empty RFC 951 BOOTP vendor area: `magic_ok` is false without an anomaly.)
   */
  bad_magic: 'magic cookie is not 99.130.83.99',
  /** The options area has no end option (255); see also `truncated_options`. */
  end_option_missing: 'options area ends without an end option',
  /** An option code is the last byte of its area: its length byte is missing. */
  option_truncated: 'option length byte missing (":code")',
  /** An option length runs past the end of its area; walking that area stops there. */
  option_length_overrun: 'option length runs past the end of its area (":code")',
  /** A decoded option has a length its definition does not allow; the field is left null. */
  bad_option_length: 'option length invalid for this option (":code")',
  /** More than MAX_DHCP_OPTIONS options; the rest were skipped. */
  too_many_options: 'more than MAX_DHCP_OPTIONS options',
  /** Option 52 holds a value other than 1, 2 or 3. */
  bad_overload: 'option overload value not 1, 2 or 3',
  /** Option 52 found inside an overloaded sname/file field (ignored there). */
  overload_in_overloaded_field: 'option overload inside sname/file',
  /** An overloaded field (":file" / ":sname") has no end option. */
  overload_end_missing: 'overloaded sname/file without an end option (":file" / ":sname")',
  /** Non-zero bytes after the end option of the options area. */
  data_after_end: 'non-zero bytes after the end option',
  /** Option 81's name could not be decoded as wire format although the E flag is set; decoded as text instead. */
  bad_fqdn_name: 'client FQDN name is not a valid wire-format name',
  /** A name of option 119 is malformed (bad label, pointer or length); names before it are kept. */
  bad_domain_search: 'domain search list malformed',
  /** The sub-options of option 82 do not fit the option; those before are kept. */
  bad_relay_agent: 'relay agent sub-option runs past the option',
} as const;

/** An anomaly name. */
export type DhcpAnomaly = keyof typeof DHCP_ANOMALIES;

/** DHCP message type names by option 53 value (RFC 2132 §9.6, RFC 3203, RFC 4388, RFC 6926, RFC 7724). */
export const DHCP_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'discover',
  2: 'offer',
  3: 'request',
  4: 'decline',
  5: 'ack',
  6: 'nak',
  7: 'release',
  8: 'inform',
  9: 'forcerenew',
  10: 'leasequery',
  11: 'leaseunassigned',
  12: 'leaseunknown',
  13: 'leaseactive',
  14: 'bulkleasequery',
  15: 'leasequerydone',
  16: 'activeleasequery',
  17: 'leasequerystatus',
  18: 'tls',
};

/** Option 61 (RFC 2132 §9.14): the type byte and the rest as lower-case hex. */
export interface DhcpClientId {
  /** First byte: a hardware type (1 = Ethernet), 0 for a non-hardware identifier, 255 for RFC 4361 (IAID+DUID). */
  type: number;
  /** The identifier after the type byte, lower-case hex without separators. */
  value: string;
}

/** Option 81 (RFC 4702 §2). */
export interface DhcpClientFqdn {
  /** Flags byte: S 0x01, O 0x02, E 0x04 (name in canonical wire format), N 0x08. */
  flags: number;
  /** The name, labels joined with "." (no trailing dot); text-escaped. Empty when the option carries none. */
  name: string;
}

/** Option 82 (RFC 3046 §2.0). */
export interface DhcpRelayAgent {
  /** Sub-option 1 (Agent Circuit ID), lower-case hex, or null. */
  circuit_id: string | null;
  /** Sub-option 2 (Agent Remote ID), lower-case hex, or null. */
  remote_id: string | null;
  /** Every sub-option code, in wire order. */
  suboptions: number[];
}

/**
 * One decoded DHCPv4/BOOTP message. Header fields are always present; option fields are null when the option is
 * absent (or its value malformed — see `anomalies`).
 */
export interface DhcpMessage {
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  op: number;
  /** Hardware address type (1 Ethernet). */
  htype: number;
  /** Hardware address length. */
  hlen: number;
  hops: number;
  /** Transaction id (unsigned 32-bit). */
  xid: number;
  /** Seconds elapsed since the client began (big-endian as on the wire). */
  secs: number;
  /** The BROADCAST flag (top bit of `flags`). */
  flags_broadcast: boolean;
  /** Client IP address (dotted quad). */
  ciaddr: string;
  /** "Your" (assigned) IP address. */
  yiaddr: string;
  /** Next server IP address. */
  siaddr: string;
  /** Relay agent IP address. */
  giaddr: string;
  /** Client hardware address: aa:bb:cc:dd:ee:ff for Ethernet (htype 1, hlen 6), else lower-case hex of hlen bytes. */
  chaddr: string;
  /** Server host name, up to its first NUL; null when empty or overloaded with options. */
  sname: string | null;
  /** Boot file name, up to its first NUL; null when empty or overloaded with options. */
  file: string | null;
  /** The magic cookie is present and correct (options were decoded); false for plain BOOTP. */
  magic_ok: boolean;
  /** Every option code present (pad and end excluded), options field first, then `file`, then `sname`. */
  options: number[];
  /** Option 52 (1 file, 2 sname, 3 both hold options). */
  option_overload: number | null;
  /** The options area ended without an end option (cut short or malformed). */
  truncated_options: boolean;
  /** Option 53. */
  msg_type: number | null;
  /** Name of `msg_type` (see DHCP_MESSAGE_TYPES), null if absent or unknown. */
  msg_type_name: string | null;
  /** Option 1. */
  subnet_mask: string | null;
  /** Option 3. */
  routers: string[] | null;
  /** Option 6. */
  dns_servers: string[] | null;
  /** Option 12. */
  hostname: string | null;
  /** Option 15. */
  domain_name: string | null;
  /** Option 42. */
  ntp_servers: string[] | null;
  /** Option 43, lower-case hex. */
  vendor_specific: string | null;
  /** Option 50. */
  requested_addr: string | null;
  /** Option 51, seconds. */
  lease_time: number | null;
  /** Option 54. */
  server_id: string | null;
  /** Option 55, option codes in wire order (the order is itself a client fingerprint). */
  param_list: number[] | null;
  /** Option 57. */
  max_msg_size: number | null;
  /** Option 58 (T1), seconds. */
  renewal_time: number | null;
  /** Option 59 (T2), seconds. */
  rebinding_time: number | null;
  /** Option 60, text-escaped. */
  vendor_class: string | null;
  /** Option 61. */
  client_id: DhcpClientId | null;
  /** Option 61 as a MAC when its type is 1 and it holds 6 bytes. */
  client_id_mac: string | null;
  /**
   * Option 77: the RFC 3004 instances as text; when the value is not a valid RFC 3004 list (e.g. Microsoft's
   * plain-string form "MSFT 5.0", iPXE's "iPXE"), one element holding the whole value as text.
   */
  user_class: string[] | null;
  /** Option 81. */
  client_fqdn: DhcpClientFqdn | null;
  /** Option 82. */
  relay_agent: DhcpRelayAgent | null;
  /** Option 119, names without trailing dot. */
  domain_search: string[] | null;
  /** Malformed things met (see DHCP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseDhcp. */
export type DhcpParseResult = { ok: true; value: DhcpMessage } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Text and address formatting

/** Text of b[start, end): UTF-8 when valid, else Latin-1; escaped as described in the file comment. */
export function decodeDhcpText(b: Uint8Array, start: number, end: number): string {
  return decodeWireText(b, start, end);
}

/** Big-endian unsigned 32-bit at `o`. */
function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** End of b[start, end) with trailing NUL bytes removed (many clients NUL-terminate option strings). */
function trimTrailingNuls(b: Uint8Array, start: number, end: number): number {
  while (end > start && b[end - 1] === 0) end--;
  return end;
}

/** Text of a fixed NUL-padded field (sname, file): up to the first NUL; null when empty. */
function fixedText(b: Uint8Array, start: number, end: number): string | null {
  let e = start;
  while (e < end && b[e] !== 0) e++;
  return e === start ? null : decodeDhcpText(b, start, e);
}

/**
 * Reads an uncompressed wire-format name (RFC 1035 §3.1) from b[start, end): labels up to a zero label or the end
 * of the data (RFC 4702 §2.3.1 allows a partial name without the zero label). Null when malformed or when anything
 * follows the root label.
 */
function wireName(b: Uint8Array, start: number, end: number): string | null {
  const r = readWireName(b, start, end);
  return r !== null && r.next === end ? r.name : null;
}

/**
 * Reads the names of a domain search option (RFC 3397 §2): wire-format names, compression pointers allowed, each
 * pointer pointing strictly before the pointer itself (so decoding always terminates). Returns the names read and
 * whether the whole option was valid.
 */
function searchNames(d: Uint8Array): { names: string[]; ok: boolean } {
  const names: string[] = [];
  let p = 0;
  while (p < d.length) {
    if (names.length >= MAX_DOMAIN_SEARCH_NAMES) return { names, ok: false };
    let q = p;
    let name = '';
    let wire = 0;
    let next = -1; // where the next name starts (set at the first pointer or the root label)
    for (;;) {
      if (q >= d.length) return { names, ok: false };
      const l = d[q]!;
      if (l === 0) {
        if (next < 0) next = q + 1;
        break;
      }
      if ((l & 0xc0) === 0xc0) {
        if (q + 1 >= d.length) return { names, ok: false };
        const target = ((l & 0x3f) << 8) | d[q + 1]!;
        if (target >= q) return { names, ok: false };
        if (next < 0) next = q + 2;
        q = target;
        continue;
      }
      if ((l & 0xc0) !== 0 || q + 1 + l > d.length) return { names, ok: false };
      wire += l + 1;
      if (wire > MAX_DNS_NAME_BYTES) return { names, ok: false };
      name += (name === '' ? '' : '.') + wireLabelText(d, q + 1, q + 1 + l);
      q += 1 + l;
    }
    names.push(name);
    p = next;
  }
  return { names, ok: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Option walking. Scratch tables reused across calls (the parser is synchronous, so one set suffices).

const entryCode = new Uint8Array(MAX_DHCP_OPTIONS);
const entryOff = new Int32Array(MAX_DHCP_OPTIONS);
const entryLen = new Uint8Array(MAX_DHCP_OPTIONS);
/** Per option code: how many entries carry it. */
const codeCount = new Uint16Array(256);
/** Per option code: index of its first entry. */
const codeFirst = new Uint16Array(256);

interface Walk {
  b: Uint8Array;
  n: number;
  anomalies: string[];
  options: number[];
  tooMany: boolean;
}

/** walkArea result: the area ended without an end option, its options all well-formed. */
const NO_END = -1;
/** walkArea result: walking stopped at a malformed option or at MAX_DHCP_OPTIONS (anomaly already recorded). */
const STOPPED = -2;

/**
 * Walks one options area b[start, end), appending entries. Returns the offset just past the end option, NO_END or
 * STOPPED.
 */
function walkArea(w: Walk, start: number, end: number): number {
  const b = w.b;
  let p = start;
  while (p < end) {
    const code = b[p]!;
    if (code === 0) { p++; continue; } // pad
    if (code === 255) return p + 1; // end
    if (p + 1 >= end) { w.anomalies.push(`option_truncated:${code}`); return STOPPED; }
    const l = b[p + 1]!;
    if (p + 2 + l > end) { w.anomalies.push(`option_length_overrun:${code}`); return STOPPED; }
    if (w.n >= MAX_DHCP_OPTIONS) {
      if (!w.tooMany) { w.tooMany = true; w.anomalies.push('too_many_options'); }
      return STOPPED;
    }
    entryCode[w.n] = code;
    entryOff[w.n] = p + 2;
    entryLen[w.n] = l;
    if (codeCount[code] === 0) codeFirst[code] = w.n;
    codeCount[code]!++;
    w.n++;
    w.options.push(code);
    p += 2 + l;
  }
  return NO_END;
}

/** The value of option `code` (RFC 3396: several instances concatenated in order), or null if absent. */
function optionValue(b: Uint8Array, n: number, code: number): Uint8Array | null {
  const count = codeCount[code]!;
  if (count === 0) return null;
  const first = codeFirst[code]!;
  if (count === 1) return b.subarray(entryOff[first]!, entryOff[first]! + entryLen[first]!);
  let total = 0;
  for (let i = first; i < n; i++) if (entryCode[i] === code) total += entryLen[i]!;
  const v = new Uint8Array(total);
  let o = 0;
  for (let i = first; i < n; i++) {
    if (entryCode[i] !== code) continue;
    v.set(b.subarray(entryOff[i]!, entryOff[i]! + entryLen[i]!), o);
    o += entryLen[i]!;
  }
  return v;
}

/** A list of IPv4 addresses (length a positive multiple of 4), else null with an anomaly. */
function addressList(v: Uint8Array | null, code: number, anomalies: string[]): string[] | null {
  if (v === null) return null;
  if (v.length === 0 || v.length % 4 !== 0) {
    anomalies.push(`bad_option_length:${code}`);
    return null;
  }
  const out: string[] = [];
  for (let i = 0; i < v.length; i += 4) out.push(ipv4Text(v, i));
  return out;
}

/** One IPv4 address (length 4), else null with an anomaly. */
function address(v: Uint8Array | null, code: number, anomalies: string[]): string | null {
  if (v === null) return null;
  if (v.length !== 4) { anomalies.push(`bad_option_length:${code}`); return null; }
  return ipv4Text(v, 0);
}

/** An unsigned 32-bit value (length 4), else null with an anomaly. */
function uint32Option(v: Uint8Array | null, code: number, anomalies: string[]): number | null {
  if (v === null) return null;
  if (v.length !== 4) { anomalies.push(`bad_option_length:${code}`); return null; }
  return u32(v, 0);
}

/** A text option (at least one byte), trailing NULs dropped; else null with an anomaly. */
function textOption(v: Uint8Array | null, code: number, anomalies: string[]): string | null {
  if (v === null) return null;
  if (v.length === 0) { anomalies.push(`bad_option_length:${code}`); return null; }
  return decodeDhcpText(v, 0, trimTrailingNuls(v, 0, v.length));
}

/** Option 77 (RFC 3004 §2): instances of (length ≥ 1, data) filling the option exactly; else the raw text. */
function userClass(v: Uint8Array): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < v.length) {
    const l = v[p]!;
    if (l === 0 || p + 1 + l > v.length) return [decodeDhcpText(v, 0, trimTrailingNuls(v, 0, v.length))];
    out.push(decodeDhcpText(v, p + 1, p + 1 + l));
    p += 1 + l;
  }
  return out;
}

/** Option 81 (RFC 4702 §2): flags, two obsolete RCODE bytes, then the name. */
function clientFqdn(v: Uint8Array, anomalies: string[]): DhcpClientFqdn | null {
  if (v.length < 3) { anomalies.push('bad_option_length:81'); return null; }
  const flags = v[0]!;
  if ((flags & 0x04) !== 0) {
    const name = wireName(v, 3, v.length);
    if (name !== null) return { flags, name };
    anomalies.push('bad_fqdn_name');
  }
  return { flags, name: decodeDhcpText(v, 3, trimTrailingNuls(v, 3, v.length)) };
}

/** Option 82 (RFC 3046 §2.0): sub-options (code, length, value). */
function relayAgent(v: Uint8Array, anomalies: string[]): DhcpRelayAgent {
  const r: DhcpRelayAgent = { circuit_id: null, remote_id: null, suboptions: [] };
  let p = 0;
  while (p < v.length) {
    if (r.suboptions.length >= MAX_RELAY_AGENT_SUBOPTIONS || p + 2 > v.length || p + 2 + v[p + 1]! > v.length) {
      anomalies.push('bad_relay_agent');
      break;
    }
    const code = v[p]!;
    const l = v[p + 1]!;
    r.suboptions.push(code);
    if (code === 1 && r.circuit_id === null) r.circuit_id = hexText(v, p + 2, p + 2 + l);
    else if (code === 2 && r.remote_id === null) r.remote_id = hexText(v, p + 2, p + 2 + l);
    p += 2 + l;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Parses one DHCPv4/BOOTP message from b[off, off+len) (a UDP payload).
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than the 236-byte fixed header; everything else
 * malformed is reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseDhcp(b: Uint8Array, off: number, len: number): DhcpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < DHCP_FIXED_HEADER_BYTES) return { ok: false, error: `truncated_header: ${len} of ${DHCP_FIXED_HEADER_BYTES} bytes` };
  const anomalies: string[] = [];
  if (len > MAX_DHCP_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_DHCP_MESSAGE_BYTES;
  }
  // Work on a view of the message so every offset below is message-relative and bounded by m.length.
  const m = b.subarray(off, off + len);

  const htype = m[1]!;
  const hlen = m[2]!;
  let chaddr: string;
  if (htype === HTYPE_ETHERNET && hlen === 6) chaddr = macText(m, 28);
  else {
    if (hlen > 16) anomalies.push('bad_hlen');
    chaddr = hexText(m, 28, 28 + Math.min(hlen, 16));
  }

  const msg: DhcpMessage = {
    op: m[0]!,
    htype,
    hlen,
    hops: m[3]!,
    xid: u32(m, 4),
    secs: (m[8]! << 8) | m[9]!,
    flags_broadcast: (m[10]! & 0x80) !== 0,
    ciaddr: ipv4Text(m, 12),
    yiaddr: ipv4Text(m, 16),
    siaddr: ipv4Text(m, 20),
    giaddr: ipv4Text(m, 24),
    chaddr,
    sname: null,
    file: null,
    magic_ok: false,
    options: [],
    option_overload: null,
    truncated_options: false,
    msg_type: null,
    msg_type_name: null,
    subnet_mask: null,
    routers: null,
    dns_servers: null,
    hostname: null,
    domain_name: null,
    ntp_servers: null,
    vendor_specific: null,
    requested_addr: null,
    lease_time: null,
    server_id: null,
    param_list: null,
    max_msg_size: null,
    renewal_time: null,
    rebinding_time: null,
    vendor_class: null,
    client_id: null,
    client_id_mac: null,
    user_class: null,
    client_fqdn: null,
    relay_agent: null,
    domain_search: null,
    anomalies,
  };

  const SNAME = 44;
  const FILE = 108;
  if (m.length < DHCP_OPTIONS_OFFSET) {
    anomalies.push('truncated_magic');
  } else if (u32(m, DHCP_FIXED_HEADER_BYTES) !== DHCP_MAGIC_COOKIE) {
    // RFC 951 BOOTP leaves `vend` free-form; an all-zero start is an empty vendor area, not a wrong cookie.
    if (u32(m, DHCP_FIXED_HEADER_BYTES) !== 0) anomalies.push('bad_magic');
  } else {
    msg.magic_ok = true;
  }
  if (!msg.magic_ok) {
    msg.sname = fixedText(m, SNAME, FILE);
    msg.file = fixedText(m, FILE, DHCP_FIXED_HEADER_BYTES);
    return { ok: true, value: msg };
  }

  codeCount.fill(0);
  const w: Walk = { b: m, n: 0, anomalies, options: msg.options, tooMany: false };
  const endAt = walkArea(w, DHCP_OPTIONS_OFFSET, m.length);
  if (endAt < 0) {
    msg.truncated_options = true;
    if (endAt === NO_END) anomalies.push('end_option_missing');
  } else {
    for (let i = endAt; i < m.length; i++) {
      if (m[i] !== 0) { anomalies.push('data_after_end'); break; }
    }
  }

  // Option overload (RFC 2132 §9.3): only the options field may carry option 52; `file` is read before `sname`.
  let overload = 0;
  const ov = codeCount[52]! > 0 ? m.subarray(entryOff[codeFirst[52]!]!, entryOff[codeFirst[52]!]! + entryLen[codeFirst[52]!]!) : null;
  if (ov !== null) {
    if (ov.length !== 1) anomalies.push('bad_option_length:52');
    else if (ov[0]! < 1 || ov[0]! > 3) { anomalies.push('bad_overload'); msg.option_overload = ov[0]!; } else {
      overload = ov[0]!;
      msg.option_overload = overload;
    }
  }
  const mainEntries = w.n;
  if ((overload & 1) !== 0 && walkArea(w, FILE, DHCP_FIXED_HEADER_BYTES) === NO_END) anomalies.push('overload_end_missing:file');
  if ((overload & 2) !== 0 && walkArea(w, SNAME, FILE) === NO_END) anomalies.push('overload_end_missing:sname');
  for (let i = mainEntries; i < w.n; i++) {
    if (entryCode[i] === 52) { anomalies.push('overload_in_overloaded_field'); break; }
  }
  if ((overload & 2) === 0) msg.sname = fixedText(m, SNAME, FILE);
  if ((overload & 1) === 0) msg.file = fixedText(m, FILE, DHCP_FIXED_HEADER_BYTES);

  const n = w.n;
  const opt = (code: number): Uint8Array | null => optionValue(m, n, code);

  const t53 = opt(53);
  if (t53 !== null) {
    if (t53.length !== 1) anomalies.push('bad_option_length:53');
    else {
      msg.msg_type = t53[0]!;
      msg.msg_type_name = DHCP_MESSAGE_TYPES[t53[0]!] ?? null;
    }
  }
  msg.subnet_mask = address(opt(1), 1, anomalies);
  msg.routers = addressList(opt(3), 3, anomalies);
  msg.dns_servers = addressList(opt(6), 6, anomalies);
  msg.hostname = textOption(opt(12), 12, anomalies);
  msg.domain_name = textOption(opt(15), 15, anomalies);
  msg.ntp_servers = addressList(opt(42), 42, anomalies);
  const v43 = opt(43);
  if (v43 !== null) msg.vendor_specific = hexText(v43, 0, v43.length);
  msg.requested_addr = address(opt(50), 50, anomalies);
  msg.lease_time = uint32Option(opt(51), 51, anomalies);
  msg.server_id = address(opt(54), 54, anomalies);
  const v55 = opt(55);
  if (v55 !== null) msg.param_list = Array.from(v55);
  const v57 = opt(57);
  if (v57 !== null) {
    if (v57.length !== 2) anomalies.push('bad_option_length:57');
    else msg.max_msg_size = (v57[0]! << 8) | v57[1]!;
  }
  msg.renewal_time = uint32Option(opt(58), 58, anomalies);
  msg.rebinding_time = uint32Option(opt(59), 59, anomalies);
  msg.vendor_class = textOption(opt(60), 60, anomalies);
  const v61 = opt(61);
  if (v61 !== null) {
    if (v61.length < 2) anomalies.push('bad_option_length:61');
    else {
      msg.client_id = { type: v61[0]!, value: hexText(v61, 1, v61.length) };
      if (v61[0] === HTYPE_ETHERNET && v61.length === 7) msg.client_id_mac = macText(v61, 1);
    }
  }
  const v77 = opt(77);
  if (v77 !== null) {
    if (v77.length === 0) anomalies.push('bad_option_length:77');
    else msg.user_class = userClass(v77);
  }
  const v81 = opt(81);
  if (v81 !== null) msg.client_fqdn = clientFqdn(v81, anomalies);
  const v82 = opt(82);
  if (v82 !== null) msg.relay_agent = relayAgent(v82, anomalies);
  const v119 = opt(119);
  if (v119 !== null) {
    const r = searchNames(v119);
    if (!r.ok) anomalies.push('bad_domain_search');
    msg.domain_search = r.names;
  }
  return { ok: true, value: msg };
}
