/**
 * CDP parser: one Cisco Discovery Protocol PDU (the payload after the 802.2 LLC/SNAP header OUI 00-00-0C, protocol id
 * 0x2000, of a frame to 01:00:0c:cc:cc:cc) → a flat `CdpMessage` record. Pure: no state, no I/O, never throws, never
 * reads outside b[off, off+len).
 *
 * Specs: CDP has no public specification. The layout followed is the one Cisco documents in its configuration
 * guides and MIB (CISCO-CDP-MIB: cdpCacheDeviceId, cdpCacheAddress, cdpCacheDevicePort, cdpCacheCapabilities,
 * cdpCacheVersion, cdpCachePlatform, cdpCacheVTPMgmtDomain, cdpCacheNativeVLAN, cdpCacheDuplex, cdpCachePowerConsumption,
 * cdpCacheMTU, cdpCacheSysName, cdpCachePrimaryMgmtAddr), as also decoded by tshark's and tcpdump's dissectors:
 * - header: version (1 or 2), TTL (seconds), checksum (16-bit ones' complement of the whole PDU, RFC 1071 style;
 *   for an odd length the last byte is summed as a signed 8-bit number, as Cisco computes it: see cdpChecksumOk);
 * - TLVs: type (2), length (2, the 4 header bytes included), value. Addresses (types 0x0002 and 0x0016): a 32-bit
 *   count, then per address a protocol type (1 NLPID, 2 IEEE 802.2), protocol length, protocol (NLPID 0xCC is IPv4;
 *   802.2 AA-AA-03-00-00-00-86-DD is IPv6, …-08-00 IPv4), a 16-bit address length and the address.
 *
 * Only bad bounds or a PDU shorter than its 4-byte header fail; anything malformed after that is recorded in
 * `anomalies` (names below). Text is decoded with src/protocols/wire-text.ts (UTF-8 when valid, else Latin-1,
 * control characters escaped: the line feeds of the software version become `\x0a`), trailing NULs removed.
 */
import { ipv6Text } from '../dns/parser.js';
import { bitNames, decodeWireText, hexText, ipv4Text, trimTrailingNuls } from '../wire-text.js';

/** Largest PDU parsed (an 802.3 length frame carries at most 1500 bytes, 8 of them the LLC/SNAP header). */
export const MAX_CDP_BYTES = 1500;
/** Most TLVs read from one PDU; the rest are not read. */
export const MAX_CDP_TLVS = 128;
/** Most addresses kept per address TLV. */
export const MAX_CDP_ADDRESSES = 16;
/** Most power values kept per power TLV. */
export const MAX_CDP_POWER_VALUES = 8;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the TLV type in hex
 * (4 digits), e.g. `bad_tlv_length:0x000a`.
 */
export const CDP_ANOMALIES = {
  /** The PDU was longer than MAX_CDP_BYTES and was cut (the checksum is then not checked). */
  oversized_pdu: 'PDU longer than MAX_CDP_BYTES, cut',
  /** A version other than 1 or 2. */
  unknown_version: 'CDP version other than 1 or 2',
  /** The checksum does not verify. */
  bad_checksum: 'checksum does not verify',
  /** Fewer than 4 bytes left where a TLV header should start. */
  truncated_tlv_header: 'a TLV header cut by the end of the PDU',
  /** A TLV's length runs past the end of the PDU (":type"); reading stops there. */
  tlv_overrun: 'TLV length runs past the end of the PDU',
  /** A TLV length below 4 (":type"); reading stops there. */
  bad_tlv_header_length: 'TLV length smaller than its header',
  /** A TLV's value has a length its type does not allow (":type"); the field is left null. */
  bad_tlv_length: 'TLV value length invalid for its type',
  /** More than MAX_CDP_TLVS TLVs; the rest were not read. */
  too_many_tlvs: 'more than MAX_CDP_TLVS TLVs',
  /** A single-valued TLV repeated (":type"); the first is kept. */
  duplicate_tlv: 'single-valued TLV repeated, first kept',
  /** An address TLV whose entries do not fit it, or hold more than MAX_CDP_ADDRESSES (":type"); those before are kept. */
  bad_addresses: 'address list malformed or too long',
  /** A duplex value other than 0 (half) or 1 (full). */
  bad_duplex: 'duplex value other than 0 or 1',
} as const;

/** An anomaly name. */
export type CdpAnomaly = keyof typeof CDP_ANOMALIES;

/** One address of an Addresses or Management Addresses TLV. */
export interface CdpAddress {
  /** Protocol type: 1 NLPID, 2 IEEE 802.2. */
  protocol_type: number;
  /** The protocol field as lower-case hex ("cc" for IPv4 by NLPID). */
  protocol: string;
  /** `ipv4` or `ipv6` when the protocol names one and the length fits, else null. */
  family: 'ipv4' | 'ipv6' | null;
  /** IPv4 / IPv6 text, else the address bytes as lower-case hex. */
  address: string;
}

/** One decoded CDP PDU. TLV fields are null when the TLV is absent (or malformed, see `anomalies`). */
export interface CdpMessage {
  /** CDP version (1 or 2). */
  version: number;
  /** Hold time, seconds. */
  ttl: number;
  /** The checksum as sent. */
  checksum: number;
  /** Whether it verifies; null when the PDU was cut (oversized) so it could not be checked. */
  checksum_ok: boolean | null;
  /** 0x0001 Device ID (often the host name, or a serial number / MAC for phones and APs). */
  device_id: string | null;
  /** 0x0002 Addresses of the sending interface. */
  addresses: CdpAddress[] | null;
  /** 0x0003 Port ID: the interface the PDU was sent from. */
  port_id: string | null;
  /** 0x0004 Capabilities bitmap, as sent. */
  capabilities_raw: number | null;
  /** Names of the capabilities set (see CDP_CAPABILITY_NAMES), in bit order. */
  capabilities: string[] | null;
  /** 0x0005 Software version (line feeds escaped as \x0a). */
  software_version: string | null;
  /** 0x0006 Platform (hardware model). */
  platform: string | null;
  /** 0x0009 VTP management domain. */
  vtp_domain: string | null;
  /** 0x000a Native VLAN of the sending port. */
  native_vlan: number | null;
  /** 0x000b Duplex of the sending port. */
  duplex: 'half' | 'full' | null;
  /** 0x000e VoIP VLAN reply: the voice VLAN the switch assigns. */
  voice_vlan: number | null;
  /** 0x000f VoIP VLAN query: the VLAN the sender (a phone, an AP) asks about. */
  voice_vlan_query: number | null;
  /** 0x0010 Power consumption, milliwatts. */
  power_consumption_mw: number | null;
  /** 0x0011 MTU. */
  mtu: number | null;
  /** 0x0014 System name. */
  system_name: string | null;
  /** 0x0016 Management addresses. */
  management_addresses: CdpAddress[] | null;
  /** 0x0019 Power requested: the milliwatt values. */
  power_requested_mw: number[] | null;
  /** 0x001a Power available: the milliwatt values. */
  power_available_mw: number[] | null;
  /** Every TLV type, in wire order. */
  tlv_types: number[];
  /** Malformed things met (see CDP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseCdp. */
export type CdpParseResult = { ok: true; value: CdpMessage } | { ok: false; error: string };

/** Capability names by bit, least significant first (as CISCO-CDP-MIB cdpCacheCapabilities and tshark name them). */
export const CDP_CAPABILITY_NAMES: readonly string[] = [
  'router', 'transparent_bridge', 'source_route_bridge', 'switch', 'host', 'igmp', 'repeater', 'voip_phone',
  'remotely_managed', 'cvta', 'two_port_mac_relay',
];

/** TLV types decoded here. */
const T = {
  deviceId: 0x0001, addresses: 0x0002, portId: 0x0003, capabilities: 0x0004, softwareVersion: 0x0005, platform: 0x0006,
  vtpDomain: 0x0009, nativeVlan: 0x000a, duplex: 0x000b, voiceVlanReply: 0x000e, voiceVlanQuery: 0x000f,
  powerConsumption: 0x0010, mtu: 0x0011, systemName: 0x0014, managementAddresses: 0x0016, powerRequested: 0x0019,
  powerAvailable: 0x001a,
} as const;

/** 802.2 protocol fields (LLC/SNAP with an ethertype) naming IPv6 and IPv4. */
const SNAP_IPV6 = 'aaaa0300000086dd';
const SNAP_IPV4 = 'aaaa030000000800';

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** Hex of a TLV type as anomalies name it. */
const typeLabel = (t: number): string => `0x${t.toString(16).padStart(4, '0')}`;

/**
 * True if the CDP checksum of m verifies: the 16-bit ones' complement sum of the PDU (checksum field included) is
 * 0xffff. An odd final byte is not padded with a zero byte on its right as RFC 1071 §4.1 does: Cisco adds it as a
 * signed 8-bit number (so a byte b ≥ 0x80 adds b − 256, the ones' complement word 0xfeff + b). Checked against tshark
 * 4.0 on the odd-length PDUs of the corpus.
 */
export function cdpChecksumOk(m: Uint8Array): boolean {
  let sum = 0;
  const even = m.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (m[i]! << 8) | m[i + 1]!;
  if (even < m.length) {
    const last = m[even]!;
    sum += last >= 0x80 ? 0xfeff + last : last;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** The addresses of an address TLV's value b[s, e), or null (anomaly recorded) when nothing fits. */
function addressList(b: Uint8Array, s: number, e: number, type: number, anomalies: string[]): CdpAddress[] | null {
  if (e - s < 4) {
    anomalies.push(`bad_tlv_length:${typeLabel(type)}`);
    return null;
  }
  const count = u32(b, s);
  const out: CdpAddress[] = [];
  let o = s + 4;
  for (let i = 0; i < count; i++) {
    if (out.length === MAX_CDP_ADDRESSES || e - o < 2 || o + 2 + b[o + 1]! + 2 > e) {
      anomalies.push(`bad_addresses:${typeLabel(type)}`);
      break;
    }
    const ptype = b[o]!;
    const pEnd = o + 2 + b[o + 1]!;
    const protocol = hexText(b, o + 2, pEnd);
    const aEnd = pEnd + 2 + u16(b, pEnd);
    if (aEnd > e) {
      anomalies.push(`bad_addresses:${typeLabel(type)}`);
      break;
    }
    const a = pEnd + 2;
    const v4 = (ptype === 1 && protocol === 'cc') || (ptype === 2 && protocol === SNAP_IPV4);
    const v6 = ptype === 2 && protocol === SNAP_IPV6;
    const family = v4 && aEnd - a === 4 ? 'ipv4' : v6 && aEnd - a === 16 ? 'ipv6' : null;
    out.push({
      protocol_type: ptype,
      protocol,
      family,
      address: family === 'ipv4' ? ipv4Text(b, a) : family === 'ipv6' ? ipv6Text(b, a) : hexText(b, a, aEnd),
    });
    o = aEnd;
  }
  return out;
}

/** A power TLV's value (request id 2, management id 2, then 32-bit milliwatt values), or null when it does not fit. */
function powerValues(b: Uint8Array, s: number, e: number): number[] | null {
  if (e - s < 4 || (e - s - 4) % 4 !== 0) return null;
  const out: number[] = [];
  for (let o = s + 4; o < e && out.length < MAX_CDP_POWER_VALUES; o += 4) out.push(u32(b, o));
  return out;
}

/** An empty message with the header values. */
function emptyMessage(version: number, ttl: number, checksum: number, anomalies: string[]): CdpMessage {
  return {
    version, ttl, checksum, checksum_ok: null, device_id: null, addresses: null, port_id: null, capabilities_raw: null,
    capabilities: null, software_version: null, platform: null, vtp_domain: null, native_vlan: null, duplex: null,
    voice_vlan: null, voice_vlan_query: null, power_consumption_mw: null, mtu: null, system_name: null,
    management_addresses: null, power_requested_mw: null, power_available_mw: null, tlv_types: [], anomalies,
  };
}

/** The text TLVs and their fields. */
const TEXT_TLVS: Readonly<Record<number, 'device_id' | 'port_id' | 'software_version' | 'platform' | 'vtp_domain' | 'system_name'>> = {
  [T.deviceId]: 'device_id',
  [T.portId]: 'port_id',
  [T.softwareVersion]: 'software_version',
  [T.platform]: 'platform',
  [T.vtpDomain]: 'vtp_domain',
  [T.systemName]: 'system_name',
};

/** The unsigned big-endian number TLVs: field and value length in bytes. */
const NUMBER_TLVS: Readonly<Record<number, readonly ['native_vlan' | 'power_consumption_mw' | 'mtu' | 'capabilities_raw', 2 | 4]>> = {
  [T.nativeVlan]: ['native_vlan', 2],
  [T.powerConsumption]: ['power_consumption_mw', 2],
  [T.mtu]: ['mtu', 4],
  [T.capabilities]: ['capabilities_raw', 4],
};

/**
 * Decodes one TLV value b[s, e) into `msg`. Returns false when the value's length does not suit the type (the
 * caller records `bad_tlv_length`).
 */
function decodeTlv(msg: CdpMessage, b: Uint8Array, type: number, s: number, e: number): boolean {
  const n = e - s;
  const text = TEXT_TLVS[type];
  if (text !== undefined) {
    msg[text] = decodeWireText(b, s, trimTrailingNuls(b, s, e));
    return true;
  }
  const num = NUMBER_TLVS[type];
  if (num !== undefined) {
    if (n !== num[1]) return false;
    msg[num[0]] = num[1] === 2 ? u16(b, s) : u32(b, s);
    if (type === T.capabilities) msg.capabilities = bitNames(msg[num[0]]!, CDP_CAPABILITY_NAMES, 32);
    return true;
  }
  switch (type) {
    case T.addresses:
    case T.managementAddresses:
      msg[type === T.addresses ? 'addresses' : 'management_addresses'] = addressList(b, s, e, type, msg.anomalies);
      return true;
    case T.duplex:
      if (n !== 1) return false;
      if (b[s]! > 1) msg.anomalies.push('bad_duplex');
      else msg.duplex = b[s] === 1 ? 'full' : 'half';
      return true;
    case T.voiceVlanReply:
    case T.voiceVlanQuery:
      // appliance id (1), then the VLAN (2), sometimes followed by a pad byte; a query may carry no VLAN.
      if (n < 3 && !(type === T.voiceVlanQuery && n === 1)) return false;
      if (n >= 3) msg[type === T.voiceVlanReply ? 'voice_vlan' : 'voice_vlan_query'] = u16(b, s + 1);
      return true;
    case T.powerRequested:
    case T.powerAvailable: {
      const v = powerValues(b, s, e);
      if (v === null) return false;
      msg[type === T.powerRequested ? 'power_requested_mw' : 'power_available_mw'] = v;
      return true;
    }
    default:
      return true; // not decoded: listed in tlv_types only
  }
}

/**
 * Parses one CDP PDU from b[off, off+len) (the payload after the LLC/SNAP header, bounded by the 802.3 length).
 *
 * Fails (`ok: false`) only for bad bounds or fewer than 4 bytes (no header); everything malformed after the header
 * is reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseCdp(b: Uint8Array, off: number, len: number): CdpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < 4) return { ok: false, error: 'truncated' };
  const anomalies: string[] = [];
  let cut = false;
  if (len > MAX_CDP_BYTES) {
    anomalies.push('oversized_pdu');
    len = MAX_CDP_BYTES;
    cut = true;
  }
  const m = b.subarray(off, off + len);
  const msg = emptyMessage(m[0]!, m[1]!, u16(m, 2), anomalies);
  if (msg.version !== 1 && msg.version !== 2) anomalies.push('unknown_version');
  if (!cut) {
    msg.checksum_ok = cdpChecksumOk(m);
    if (!msg.checksum_ok) anomalies.push('bad_checksum');
  }
  const seen = new Set<number>();
  let o = 4;
  while (o < m.length) {
    if (m.length - o < 4) {
      anomalies.push('truncated_tlv_header');
      break;
    }
    const type = u16(m, o);
    const tlen = u16(m, o + 2);
    if (tlen < 4) {
      anomalies.push(`bad_tlv_header_length:${typeLabel(type)}`);
      break;
    }
    if (o + tlen > m.length) {
      anomalies.push(`tlv_overrun:${typeLabel(type)}`);
      break;
    }
    if (msg.tlv_types.length === MAX_CDP_TLVS) {
      anomalies.push('too_many_tlvs');
      break;
    }
    msg.tlv_types.push(type);
    if (seen.has(type)) anomalies.push(`duplicate_tlv:${typeLabel(type)}`);
    else {
      seen.add(type);
      if (!decodeTlv(msg, m, type, o + 4, o + tlen)) anomalies.push(`bad_tlv_length:${typeLabel(type)}`);
    }
    o += tlen;
  }
  return { ok: true, value: msg };
}
