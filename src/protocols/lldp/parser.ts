/**
 * LLDP parser: one LLDPDU (the payload of an Ethernet frame with ethertype 0x88cc) → a flat `LldpMessage` record.
 * Pure: no state, no I/O, never throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - IEEE Std 802.1AB-2016 §8 (LLDPDU and TLV format: 7-bit type, 9-bit length; §8.2 Chassis ID, Port ID and TTL are
 *   the first three TLVs in that order; §8.4 End of LLDPDU; §8.5.2 Chassis ID subtypes (Table 8-2); §8.5.3 Port ID
 *   subtypes (Table 8-3); §8.5.4 TTL; §8.5.5–8.5.7 Port Description, System Name, System Description; §8.5.8 System
 *   Capabilities (Table 8-4); §8.5.9 Management Address; §9.6 organizationally specific TLVs), and its annexes:
 *   Annex D (IEEE 802.1 OUI 00-80-C2: D.2.1 Port VLAN ID, D.2.3 VLAN Name), Annex F of IEEE Std 802.3-2018 clause 79
 *   (IEEE 802.3 OUI 00-12-0F: 79.3.1 MAC/PHY Configuration/Status, 79.3.4 Maximum Frame Size);
 * - ANSI/TIA-1057 (LLDP-MED, OUI 00-12-BB): §10.2.2 LLDP-MED Capabilities (capabilities, device type), §10.2.3
 *   Network Policy, §10.2.6 Inventory (hardware/firmware/software revision, serial number, manufacturer, model,
 *   asset id);
 * - RFC 8520 §10 (MUD URL in LLDP: IANA OUI 00-00-5E, subtype 1);
 * - IANA Address Family Numbers (management and network addresses: 1 IPv4, 2 IPv6, 6 IEEE 802);
 * - ITU-T X.690 §8.19 (the management address OID, BER content octets).
 *
 * Only bad bounds or fewer than 2 bytes fail; anything malformed after that is recorded in `anomalies` (names below)
 * and parsing goes on where it can. Text is decoded with src/protocols/wire-text.ts (UTF-8 when valid, else
 * Latin-1, control characters escaped).
 */
import { ipv6Text } from '../dns/parser.js';
import { bitNames, decodeWireText, hexText, ipv4Text, macText, trimTrailingNuls } from '../wire-text.js';

/** Largest LLDPDU parsed; longer input is cut here (802.1AB-2016 §8.1: an LLDPDU fits one frame; jumbo allowed). */
export const MAX_LLDPDU_BYTES = 9216;
/** Most TLVs read from one LLDPDU; the rest are not read. */
export const MAX_LLDP_TLVS = 256;
/** Most management address TLVs kept. */
export const MAX_MANAGEMENT_ADDRESSES = 16;
/** Most VLAN Name TLVs kept. */
export const MAX_VLAN_NAMES = 64;
/** Most LLDP-MED Network Policy TLVs kept (TIA-1057 defines 8 application types). */
export const MAX_NETWORK_POLICIES = 16;
/** Most arcs decoded from a management address OID (the field holds at most 128 bytes). */
export const MAX_OID_ARCS = 128;

/** IEEE 802.1 organizationally specific TLVs (802.1AB-2016 Annex D). */
export const OUI_IEEE_802_1 = 0x0080c2;
/** IEEE 802.3 organizationally specific TLVs (IEEE 802.3-2018 clause 79). */
export const OUI_IEEE_802_3 = 0x00120f;
/** TIA TR-41 (LLDP-MED, ANSI/TIA-1057). */
export const OUI_TIA_MED = 0x0012bb;
/** IANA (RFC 8520 MUD URL). */
export const OUI_IANA = 0x00005e;

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the TLV type (or, for an
 * organizationally specific TLV, `<oui hex>-<subtype>`), e.g. `bad_tlv_length:3`, `bad_org_tlv_length:0012bb-5`.
 */
export const LLDP_ANOMALIES = {
  /** The input was longer than MAX_LLDPDU_BYTES and was cut. */
  oversized_lldpdu: 'LLDPDU longer than MAX_LLDPDU_BYTES, cut',
  /** One byte left where a TLV header (2 bytes) should start. */
  truncated_tlv_header: 'a TLV header cut by the end of the frame',
  /** A TLV's length runs past the end of the frame (":type"); reading stops there. */
  tlv_overrun: 'TLV length runs past the end of the frame',
  /** The frame ends without an End of LLDPDU TLV (802.1AB-2016 §8.4). */
  end_tlv_missing: 'no End of LLDPDU TLV',
  /** More than MAX_LLDP_TLVS TLVs; the rest were not read. */
  too_many_tlvs: 'more than MAX_LLDP_TLVS TLVs',
  /** A TLV's length is not allowed for its type (":type"); its value is left null. */
  bad_tlv_length: 'TLV length invalid for its type',
  /** A mandatory TLV (Chassis ID, Port ID, TTL) is absent, or present with an invalid length (":type"). */
  missing_tlv: 'mandatory TLV absent or unusable',
  /** Chassis ID, Port ID and TTL are not the first three TLVs in that order (":type" of the misplaced one). */
  misplaced_tlv: 'mandatory TLV not in its place (802.1AB-2016 §8.2)',
  /** A TLV that may appear once is repeated (":type"); the first is kept. */
  duplicate_tlv: 'non-repeatable TLV repeated, first kept',
  /** A reserved TLV type (9–126) (":type"). */
  reserved_tlv_type: 'reserved TLV type',
  /** A Chassis ID or Port ID subtype that is reserved (0 or above 7) (":type"); the id is kept as hex. */
  reserved_id_subtype: 'reserved Chassis ID / Port ID subtype',
  /** A MAC address id that is not 6 bytes, or a network address id that does not fit its family (":type"). */
  bad_id: 'Chassis ID / Port ID value does not match its subtype',
  /** A management address TLV whose inner lengths do not fit the TLV; it is skipped. */
  bad_management_address: 'management address TLV malformed',
  /** More than MAX_MANAGEMENT_ADDRESSES, MAX_VLAN_NAMES or MAX_NETWORK_POLICIES entries (":type"); the rest are skipped. */
  too_many_entries: 'more entries than kept',
  /** An organizationally specific TLV of a known subtype with a length its definition does not allow (":oui-subtype"). */
  bad_org_tlv_length: 'organizationally specific TLV with an invalid length',
  /** A single-valued organizationally specific TLV repeated (":oui-subtype"); the first is kept. */
  duplicate_org_tlv: 'single-valued organizationally specific TLV repeated, first kept',
} as const;

/** An anomaly name. */
export type LldpAnomaly = keyof typeof LLDP_ANOMALIES;

/** A Management Address TLV (802.1AB-2016 §8.5.9). */
export interface LldpManagementAddress {
  /** IANA address family number of the address (1 IPv4, 2 IPv6, 6 IEEE 802). */
  family: number;
  /** `ipv4`, `ipv6`, `ieee802`, or null for another family. */
  family_name: string | null;
  /** IPv4/IPv6 text, aa:bb:cc:dd:ee:ff for a 6-byte IEEE 802 address, else lower-case hex. */
  address: string;
  /** Interface numbering subtype: 1 unknown, 2 ifIndex, 3 system port number. */
  interface_numbering: number;
  /** `unknown`, `ifindex`, `system_port_number`, or null for another value. */
  interface_numbering_name: string | null;
  /** The interface number (unsigned 32-bit). */
  interface_number: number;
  /** The OID (BER content octets) in dotted form; null when empty (or not decodable: its hex is in `oid_hex`). */
  oid: string | null;
  /** The OID bytes as lower-case hex; null when empty. */
  oid_hex: string | null;
}

/** An IEEE 802.1 VLAN Name TLV (802.1AB-2016 D.2.3). */
export interface LldpVlanName {
  vlan_id: number;
  /** The name, text-escaped. */
  name: string;
}

/** An IEEE 802.3 MAC/PHY Configuration/Status TLV (IEEE 802.3-2018 79.3.1). */
export interface LldpMacPhy {
  /** Auto-negotiation support/status byte: bit 0 supported, bit 1 enabled. */
  autoneg_status: number;
  autoneg_supported: boolean;
  autoneg_enabled: boolean;
  /** PMD auto-negotiation advertised capability (IETF RFC 4836 ifMauAutoNegCapAdvertisedBits), as sent. */
  pmd_advertised: number;
  /** Operational MAU type (IETF RFC 4836 dot3MauType number). */
  mau_type: number;
}

/** An LLDP-MED Network Policy TLV (ANSI/TIA-1057 §10.2.3). */
export interface LldpNetworkPolicy {
  /** Application type (1 voice, 2 voice signaling, 3 guest voice, 4 guest voice signaling, 5 softphone voice, 6 video conferencing, 7 streaming video, 8 video signaling). */
  app_type: number;
  /** Name of `app_type`, null when unknown. */
  app_type_name: string | null;
  /** U flag: the policy is unknown (required by the endpoint but not yet set). */
  unknown_policy: boolean;
  /** T flag: the VLAN is tagged. */
  tagged: boolean;
  vlan_id: number;
  l2_priority: number;
  dscp: number;
}

/** An organizationally specific TLV, as listed in `org_tlvs`. */
export interface LldpOrgTlv {
  /** The OUI as aa:bb:cc. */
  oui: string;
  subtype: number;
}

/**
 * One decoded LLDPDU. Fields of absent TLVs are null (lists empty); the first instance of a non-repeatable TLV wins.
 */
export interface LldpMessage {
  /** Chassis ID subtype (1 chassis component, 2 interface alias, 3 port component, 4 MAC address, 5 network address, 6 interface name, 7 locally assigned). */
  chassis_id_subtype: number | null;
  /** Name of the subtype (snake_case of the above), null when reserved. */
  chassis_id_subtype_name: string | null;
  /** The chassis id: a MAC as aa:bb:cc:dd:ee:ff, a network address as text, else text (escaped). */
  chassis_id: string | null;
  /** The chassis id bytes (after the subtype) as lower-case hex. */
  chassis_id_hex: string | null;
  /** Port ID subtype (1 interface alias, 2 port component, 3 MAC address, 4 network address, 5 interface name, 6 agent circuit id, 7 locally assigned). */
  port_id_subtype: number | null;
  port_id_subtype_name: string | null;
  /** The port id: MAC / network address / text as for the chassis id; an agent circuit id as hex. */
  port_id: string | null;
  port_id_hex: string | null;
  /** Time to live, seconds (0: the sender is shutting down, forget it). */
  ttl: number | null;
  port_description: string | null;
  system_name: string | null;
  system_description: string | null;
  /** System capabilities bitmap (Table 8-4), as sent. */
  capabilities_raw: number | null;
  /** Names of the supported capabilities (see LLDP_CAPABILITY_NAMES), in bit order. */
  capabilities: string[] | null;
  /** Enabled capabilities bitmap, as sent. */
  enabled_capabilities_raw: number | null;
  /** Names of the enabled capabilities. */
  enabled_capabilities: string[] | null;
  /** Every Management Address TLV, in wire order (at most MAX_MANAGEMENT_ADDRESSES). */
  management_addresses: LldpManagementAddress[];
  /** IEEE 802.1 Port VLAN ID (PVID), 0 when the port is not VLAN-aware. */
  port_vlan_id: number | null;
  /** IEEE 802.1 VLAN Name TLVs, in wire order. */
  vlan_names: LldpVlanName[];
  /** IEEE 802.3 MAC/PHY Configuration/Status. */
  mac_phy: LldpMacPhy | null;
  /** IEEE 802.3 Maximum Frame Size. */
  max_frame_size: number | null;
  /** LLDP-MED capabilities bitmap, as sent. */
  med_capabilities_raw: number | null;
  /** Names of the LLDP-MED capabilities (see MED_CAPABILITY_NAMES). */
  med_capabilities: string[] | null;
  /** LLDP-MED device type (0 not defined, 1–3 endpoint class I–III, 4 network connectivity). */
  med_device_type: number | null;
  /** `not_defined`, `endpoint_class_1`, `endpoint_class_2`, `endpoint_class_3`, `network_connectivity`, or null. */
  med_device_type_name: string | null;
  /** LLDP-MED Network Policy TLVs, in wire order. */
  med_network_policies: LldpNetworkPolicy[];
  /** LLDP-MED inventory (trailing NULs removed, text-escaped). */
  med_hardware_revision: string | null;
  med_firmware_revision: string | null;
  med_software_revision: string | null;
  med_serial_number: string | null;
  med_manufacturer: string | null;
  med_model: string | null;
  med_asset_id: string | null;
  /** RFC 8520 Manufacturer Usage Description URL. */
  mud_url: string | null;
  /** Every organizationally specific TLV (OUI, subtype), in wire order, decoded or not. */
  org_tlvs: LldpOrgTlv[];
  /** Every TLV type, in wire order, the End TLV included. */
  tlv_types: number[];
  /** Malformed things met (see LLDP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseLldp. */
export type LldpParseResult = { ok: true; value: LldpMessage } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Names

/** Chassis ID subtype names by value (802.1AB-2016 Table 8-2). */
export const CHASSIS_ID_SUBTYPES: readonly (string | null)[] = [
  null, 'chassis_component', 'interface_alias', 'port_component', 'mac_address', 'network_address', 'interface_name', 'locally_assigned',
];
/** Port ID subtype names by value (802.1AB-2016 Table 8-3). */
export const PORT_ID_SUBTYPES: readonly (string | null)[] = [
  null, 'interface_alias', 'port_component', 'mac_address', 'network_address', 'interface_name', 'agent_circuit_id', 'locally_assigned',
];
/** System capability names by bit, least significant first (802.1AB-2016 Table 8-4). */
export const LLDP_CAPABILITY_NAMES: readonly string[] = [
  'other', 'repeater', 'bridge', 'wlan_access_point', 'router', 'telephone', 'docsis_cable_device', 'station_only',
  'c_vlan_component', 's_vlan_component', 'two_port_mac_relay',
];
/** LLDP-MED capability names by bit, least significant first (TIA-1057 §10.2.2.1). */
export const MED_CAPABILITY_NAMES: readonly string[] = [
  'capabilities', 'network_policy', 'location_identification', 'extended_power_pse', 'extended_power_pd', 'inventory',
];
/** LLDP-MED device type names by value (TIA-1057 §10.2.2.2). */
export const MED_DEVICE_TYPES: readonly string[] = ['not_defined', 'endpoint_class_1', 'endpoint_class_2', 'endpoint_class_3', 'network_connectivity'];
/** LLDP-MED network policy application type names by value (TIA-1057 §10.2.3.8). */
export const MED_APPLICATION_TYPES: readonly (string | null)[] = [
  null, 'voice', 'voice_signaling', 'guest_voice', 'guest_voice_signaling', 'softphone_voice', 'video_conferencing', 'streaming_video', 'video_signaling',
];
/** Management address interface numbering names by value (802.1AB-2016 §8.5.9.5). */
const INTERFACE_NUMBERING: readonly (string | null)[] = [null, 'unknown', 'ifindex', 'system_port_number'];
/** IANA address family names of the families rendered as addresses. */
const FAMILY_NAMES: Readonly<Record<number, string>> = { 1: 'ipv4', 2: 'ipv6', 6: 'ieee802' };

// ---------------------------------------------------------------------------------------------------------------
// Values

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/**
 * An address of IANA family `family` in b[s, e): IPv4 / IPv6 text when the length fits, a MAC for a 6-byte IEEE 802
 * address, else null.
 */
export function familyAddressText(family: number, b: Uint8Array, s: number, e: number): string | null {
  if (family === 1 && e - s === 4) return ipv4Text(b, s);
  if (family === 2 && e - s === 16) return ipv6Text(b, s);
  if (family === 6 && e - s === 6) return macText(b, s);
  return null;
}

/** Dotted form of a BER-encoded OBJECT IDENTIFIER's content octets b[s, e) (X.690 §8.19), or null if malformed. */
export function oidText(b: Uint8Array, s: number, e: number): string | null {
  const arcs: number[] = [];
  let v = 0;
  let started = false;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (!started && c === 0x80) return null; // X.690 §8.19.2: no leading 0x80 padding
    started = (c & 0x80) !== 0;
    v = v * 128 + (c & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) return null;
    if (started) continue;
    if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    if (arcs.length > MAX_OID_ARCS) return null;
    v = 0;
  }
  return started || arcs.length === 0 ? null : arcs.join('.');
}

// ---------------------------------------------------------------------------------------------------------------
// TLVs

/** TLV types (802.1AB-2016 Table 8-1). */
const T = { end: 0, chassisId: 1, portId: 2, ttl: 3, portDescription: 4, systemName: 5, systemDescription: 6, capabilities: 7, managementAddress: 8, org: 127 } as const;

/** Allowed value lengths of the basic TLVs, [min, max] (802.1AB-2016 §8.5). */
const TLV_LENGTHS: Readonly<Record<number, readonly [number, number]>> = {
  [T.end]: [0, 0],
  [T.chassisId]: [2, 256],
  [T.portId]: [2, 256],
  [T.ttl]: [2, 2],
  [T.portDescription]: [0, 255],
  [T.systemName]: [0, 255],
  [T.systemDescription]: [0, 255],
  [T.capabilities]: [4, 4],
  [T.managementAddress]: [9, 167],
  [T.org]: [4, 511],
};

/** Per-parse state. */
interface Parse {
  b: Uint8Array;
  msg: LldpMessage;
  anomalies: string[];
  /** Single-valued TLVs / organizationally specific keys already met. */
  seen: Set<string>;
}

/** True the first time `key` is met; later an anomaly `name:<label>` and false. */
function firstOf(p: Parse, key: string, name: LldpAnomaly, label: string): boolean {
  if (p.seen.has(key)) {
    p.anomalies.push(`${name}:${label}`);
    return false;
  }
  p.seen.add(key);
  return true;
}

/** A Chassis ID or Port ID value b[s, e) (subtype byte first): its subtype, the subtype's name, the id as text and as hex. */
function idValue(p: Parse, type: number, s: number, e: number): { subtype: number; name: string | null; text: string; hex: string } {
  const b = p.b;
  const subtype = b[s]!;
  const names = type === T.chassisId ? CHASSIS_ID_SUBTYPES : PORT_ID_SUBTYPES;
  const name = names[subtype] ?? null;
  const hex = hexText(b, s + 1, e);
  const isMac = type === T.chassisId ? subtype === 4 : subtype === 3;
  const isNet = type === T.chassisId ? subtype === 5 : subtype === 4;
  let shown: string | null;
  if (name === null) {
    p.anomalies.push(`reserved_id_subtype:${type}`);
    shown = hex;
  } else if (isMac) {
    shown = e - s - 1 === 6 ? macText(b, s + 1) : null;
  } else if (isNet) {
    shown = e - s - 1 >= 1 ? familyAddressText(b[s + 1]!, b, s + 2, e) : null;
  } else if (type === T.portId && subtype === 6) {
    shown = hex; // agent circuit id (RFC 3046): binary
  } else {
    shown = text(p, s + 1, e);
  }
  if (shown === null) {
    p.anomalies.push(`bad_id:${type}`);
    shown = hex;
  }
  return { subtype, name, text: shown, hex };
}

/** A Management Address TLV b[s, e), or null (anomaly recorded) when its inner lengths do not fit. */
function managementAddress(p: Parse, s: number, e: number): LldpManagementAddress | null {
  const b = p.b;
  const strLen = b[s]!; // address subtype + address
  const ifOff = s + 1 + strLen;
  if (strLen < 2 || strLen > 32 || ifOff + 6 > e) {
    p.anomalies.push('bad_management_address');
    return null;
  }
  const oidLen = b[ifOff + 5]!;
  const oidOff = ifOff + 6;
  if (oidLen > 128 || oidOff + oidLen !== e) {
    p.anomalies.push('bad_management_address');
    return null;
  }
  const family = b[s + 1]!;
  const numbering = b[ifOff]!;
  return {
    family,
    family_name: FAMILY_NAMES[family] ?? null,
    address: familyAddressText(family, b, s + 2, ifOff) ?? hexText(b, s + 2, ifOff),
    interface_numbering: numbering,
    interface_numbering_name: INTERFACE_NUMBERING[numbering] ?? null,
    interface_number: u32(b, ifOff + 1),
    oid: oidLen === 0 ? null : oidText(b, oidOff, e),
    oid_hex: oidLen === 0 ? null : hexText(b, oidOff, e),
  };
}

/** Pushes `item` to `list` unless it holds `max` entries already (then a `too_many_entries:<what>` anomaly, once). */
function pushBounded<X>(p: Parse, list: X[], item: X, max: number, what: string): void {
  if (list.length < max) {
    list.push(item);
    return;
  }
  const key = `too_many:${what}`;
  if (p.seen.has(key)) return;
  p.seen.add(key);
  p.anomalies.push(`too_many_entries:${what}`);
}

/** Decodes a basic TLV's value b[s, e) into the message. */
function basicTlv(p: Parse, type: number, s: number, e: number): void {
  const { b, msg } = p;
  switch (type) {
    case T.chassisId:
    case T.portId: {
      const id = idValue(p, type, s, e);
      if (type === T.chassisId) {
        msg.chassis_id_subtype = id.subtype;
        msg.chassis_id_subtype_name = id.name;
        msg.chassis_id = id.text;
        msg.chassis_id_hex = id.hex;
      } else {
        msg.port_id_subtype = id.subtype;
        msg.port_id_subtype_name = id.name;
        msg.port_id = id.text;
        msg.port_id_hex = id.hex;
      }
      return;
    }
    case T.ttl:
      msg.ttl = u16(b, s);
      return;
    case T.portDescription:
      msg.port_description = text(p, s, e);
      return;
    case T.systemName:
      msg.system_name = text(p, s, e);
      return;
    case T.systemDescription:
      msg.system_description = text(p, s, e);
      return;
    case T.capabilities:
      msg.capabilities_raw = u16(b, s);
      msg.capabilities = bitNames(msg.capabilities_raw, LLDP_CAPABILITY_NAMES);
      msg.enabled_capabilities_raw = u16(b, s + 2);
      msg.enabled_capabilities = bitNames(msg.enabled_capabilities_raw, LLDP_CAPABILITY_NAMES);
      return;
    case T.managementAddress: {
      const a = managementAddress(p, s, e);
      if (a !== null) pushBounded(p, msg.management_addresses, a, MAX_MANAGEMENT_ADDRESSES, '8');
      return;
    }
    default:
  }
}

/**
 * The known organizationally specific TLVs: `oui-subtype` key → allowed info length [min, max] (after OUI and
 * subtype), whether it may repeat, and how it is decoded from info b[s, e).
 */
const ORG_TLVS: Readonly<Record<string, { len: readonly [number, number]; repeats?: boolean; decode: (p: Parse, s: number, e: number) => void }>> = {
  // IEEE 802.1 (802.1AB-2016 D.2.1, D.2.3)
  '0080c2-1': { len: [2, 2], decode: (p, s) => { p.msg.port_vlan_id = u16(p.b, s); } },
  '0080c2-3': { len: [3, 35], repeats: true, decode: vlanName },
  // IEEE 802.3 (IEEE 802.3-2018 79.3.1, 79.3.4)
  '00120f-1': { len: [5, 5], decode: macPhy },
  '00120f-4': { len: [2, 2], decode: (p, s) => { p.msg.max_frame_size = u16(p.b, s); } },
  // LLDP-MED (TIA-1057 §10.2.2, §10.2.3, §10.2.6)
  '0012bb-1': { len: [3, 3], decode: medCapabilities },
  '0012bb-2': { len: [4, 4], repeats: true, decode: networkPolicy },
  '0012bb-5': { len: [0, 32], decode: (p, s, e) => { p.msg.med_hardware_revision = text(p, s, e); } },
  '0012bb-6': { len: [0, 32], decode: (p, s, e) => { p.msg.med_firmware_revision = text(p, s, e); } },
  '0012bb-7': { len: [0, 32], decode: (p, s, e) => { p.msg.med_software_revision = text(p, s, e); } },
  '0012bb-8': { len: [0, 32], decode: (p, s, e) => { p.msg.med_serial_number = text(p, s, e); } },
  '0012bb-9': { len: [0, 32], decode: (p, s, e) => { p.msg.med_manufacturer = text(p, s, e); } },
  '0012bb-10': { len: [0, 32], decode: (p, s, e) => { p.msg.med_model = text(p, s, e); } },
  '0012bb-11': { len: [0, 32], decode: (p, s, e) => { p.msg.med_asset_id = text(p, s, e); } },
  // IANA (RFC 8520 §10)
  '00005e-1': { len: [1, 255], decode: (p, s, e) => { p.msg.mud_url = text(p, s, e); } },
};

/** A text value b[s, e) with trailing NULs removed (C-string terminators some senders include). */
function text(p: Parse, s: number, e: number): string {
  return decodeWireText(p.b, s, trimTrailingNuls(p.b, s, e));
}

/** IEEE 802.1 VLAN Name: VLAN id (2), name length (1, ≤ 32), name. */
function vlanName(p: Parse, s: number, e: number): void {
  const n = p.b[s + 2]!;
  if (n > 32 || s + 3 + n !== e) {
    p.anomalies.push('bad_org_tlv_length:0080c2-3');
    return;
  }
  pushBounded(p, p.msg.vlan_names, { vlan_id: u16(p.b, s), name: text(p, s + 3, e) }, MAX_VLAN_NAMES, '0080c2-3');
}

/** IEEE 802.3 MAC/PHY Configuration/Status: auto-negotiation status (1), PMD advertised (2), MAU type (2). */
function macPhy(p: Parse, s: number): void {
  const st = p.b[s]!;
  p.msg.mac_phy = { autoneg_status: st, autoneg_supported: (st & 1) !== 0, autoneg_enabled: (st & 2) !== 0, pmd_advertised: u16(p.b, s + 1), mau_type: u16(p.b, s + 3) };
}

/** LLDP-MED Capabilities: capabilities (2), device type (1). */
function medCapabilities(p: Parse, s: number): void {
  const m = p.msg;
  m.med_capabilities_raw = u16(p.b, s);
  m.med_capabilities = bitNames(m.med_capabilities_raw, MED_CAPABILITY_NAMES);
  m.med_device_type = p.b[s + 2]!;
  m.med_device_type_name = MED_DEVICE_TYPES[m.med_device_type] ?? null;
}

/** LLDP-MED Network Policy: application type (1), then U, T, X flags, VLAN id (12 bits), L2 priority (3), DSCP (6). */
function networkPolicy(p: Parse, s: number): void {
  const b = p.b;
  const app = b[s]!;
  const w = (b[s + 1]! << 16) | (b[s + 2]! << 8) | b[s + 3]!;
  pushBounded(p, p.msg.med_network_policies, {
    app_type: app,
    app_type_name: MED_APPLICATION_TYPES[app] ?? null,
    unknown_policy: (w & 0x800000) !== 0,
    tagged: (w & 0x400000) !== 0,
    vlan_id: (w >> 9) & 0xfff,
    l2_priority: (w >> 6) & 7,
    dscp: w & 0x3f,
  }, MAX_NETWORK_POLICIES, '0012bb-2');
}

/** An organizationally specific TLV b[s, e) (OUI, subtype, info): listed, and decoded when known. */
function orgTlv(p: Parse, s: number, e: number): void {
  const b = p.b;
  const oui = (b[s]! << 16) | (b[s + 1]! << 8) | b[s + 2]!;
  const subtype = b[s + 3]!;
  p.msg.org_tlvs.push({ oui: `${hexText(b, s, s + 1)}:${hexText(b, s + 1, s + 2)}:${hexText(b, s + 2, s + 3)}`, subtype });
  const key = `${oui.toString(16).padStart(6, '0')}-${subtype}`;
  const def = ORG_TLVS[key];
  if (def === undefined) return;
  const n = e - s - 4;
  if (n < def.len[0] || n > def.len[1]) {
    p.anomalies.push(`bad_org_tlv_length:${key}`);
    return;
  }
  if (!def.repeats && !firstOf(p, key, 'duplicate_org_tlv', key)) return;
  def.decode(p, s + 4, e);
}

/** An empty message. */
function emptyMessage(anomalies: string[]): LldpMessage {
  return {
    chassis_id_subtype: null, chassis_id_subtype_name: null, chassis_id: null, chassis_id_hex: null,
    port_id_subtype: null, port_id_subtype_name: null, port_id: null, port_id_hex: null,
    ttl: null, port_description: null, system_name: null, system_description: null,
    capabilities_raw: null, capabilities: null, enabled_capabilities_raw: null, enabled_capabilities: null,
    management_addresses: [], port_vlan_id: null, vlan_names: [], mac_phy: null, max_frame_size: null,
    med_capabilities_raw: null, med_capabilities: null, med_device_type: null, med_device_type_name: null, med_network_policies: [],
    med_hardware_revision: null, med_firmware_revision: null, med_software_revision: null, med_serial_number: null,
    med_manufacturer: null, med_model: null, med_asset_id: null, mud_url: null,
    org_tlvs: [], tlv_types: [], anomalies,
  };
}

/** Decodes one TLV (type, value b[s, e)) after the length and position checks. */
function decodeTlv(p: Parse, type: number, index: number, s: number, e: number): void {
  // 802.1AB-2016 §8.2: Chassis ID, Port ID, TTL first, in that order.
  if ((index < 3 && type !== index + 1) || (index >= 3 && type >= T.chassisId && type <= T.ttl)) p.anomalies.push(`misplaced_tlv:${type}`);
  if (type > T.managementAddress && type < T.org) {
    p.anomalies.push(`reserved_tlv_type:${type}`);
    return;
  }
  const [min, max] = TLV_LENGTHS[type]!;
  if (e - s < min || e - s > max) {
    p.anomalies.push(`bad_tlv_length:${type}`);
    // Text TLVs longer than their 255-byte limit are still read; anything else too short or too long is not.
    if (!(type >= T.portDescription && type <= T.systemDescription)) return;
  }
  if (type === T.org) orgTlv(p, s, e);
  else if (type === T.managementAddress || firstOf(p, String(type), 'duplicate_tlv', String(type))) basicTlv(p, type, s, e);
}

/**
 * Parses one LLDPDU from b[off, off+len) (the payload after the Ethernet header, padding and FCS allowed after the
 * End TLV).
 *
 * Fails (`ok: false`) only for bad bounds or fewer than 2 bytes (no TLV header); everything malformed after that is
 * reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseLldp(b: Uint8Array, off: number, len: number): LldpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < 2) return { ok: false, error: 'truncated' };
  const anomalies: string[] = [];
  if (len > MAX_LLDPDU_BYTES) {
    anomalies.push('oversized_lldpdu');
    len = MAX_LLDPDU_BYTES;
  }
  // A view of the LLDPDU: every offset below is relative to it and bounded by m.length.
  const m = b.subarray(off, off + len);
  const p: Parse = { b: m, msg: emptyMessage(anomalies), anomalies, seen: new Set() };
  const types = p.msg.tlv_types;
  let o = 0;
  let ended = false;
  while (o < m.length) {
    if (m.length - o < 2) {
      anomalies.push('truncated_tlv_header');
      break;
    }
    const type = m[o]! >> 1;
    const s = o + 2;
    const e = s + (((m[o]! & 1) << 8) | m[o + 1]!);
    if (e > m.length) {
      anomalies.push(`tlv_overrun:${type}`);
      break;
    }
    if (types.length >= MAX_LLDP_TLVS) {
      anomalies.push('too_many_tlvs');
      break;
    }
    types.push(type);
    if (type === T.end) {
      if (e !== s) anomalies.push('bad_tlv_length:0');
      ended = true;
      break;
    }
    decodeTlv(p, type, types.length - 1, s, e);
    o = e;
  }
  if (!ended) anomalies.push('end_tlv_missing');
  if (p.msg.chassis_id_hex === null) anomalies.push('missing_tlv:1');
  if (p.msg.port_id_hex === null) anomalies.push('missing_tlv:2');
  if (p.msg.ttl === null) anomalies.push('missing_tlv:3');
  return { ok: true, value: p.msg };
}
