/**
 * Conformance: src/protocols/lldp/parser.ts and src/protocols/cdp/parser.ts against tshark 4.0's LLDP and CDP
 * dissectors, field by field, over every LLDP and CDP frame of every capture in ../shared/corpus that holds them
 * (tshark-lldp-cdp.json, from scripts/make-lldp-cdp-baselines.ts).
 *
 * Each capture is read with medtap's own reader and link decoder; a frame the ingest would hand to the `lldp` or
 * `cdp` frame analyzer (the registry's lookup by ethertype, or by LLC/SNAP OUI and protocol id) is parsed, keyed by
 * its 1-based frame number, and compared with tshark's values for the same frame. A field counts as compared on a
 * frame when either side has a value (header fields always do). At the end one line per field and protocol gives
 * compared / equal; every field must agree on ≥ 99 % of its comparisons and every difference must be explained by
 * KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - text: medtap escapes a line feed, CR and tab as `\x0a`, `\x0d`, `\x09`; tshark's field output writes `\n`, `\r`,
 *   `\t`. medtap's form is rewritten to tshark's. tshark splits CDP's software version into one value per line;
 *   medtap's is split at `\x0a`.
 * - Chassis ID / Port ID: tshark has one field per rendering (`.mac`, `.ip4`, `.ip6`, else `lldp.chassis.id` as hex
 *   bytes and `lldp.port.id` as text); the one tshark filled is compared with medtap's text, except a chassis id
 *   tshark gives as hex, compared with `chassis_id_hex`.
 * - bitmaps are compared twice: the raw value (tshark's `0x%04x` / `0x%08x`) and the list of names medtap gives
 *   against tshark's boolean bit fields set to 1 (LLDP: the 8 bits tshark names).
 * - LLDP organizationally specific TLVs: tshark's decimal OUI is written aa:bb:cc; the subtypes are compared per OUI
 *   (tshark has one subtype field per OUI it knows).
 * - CDP addresses: tshark's address fields of the Addresses and Management Addresses TLVs are compared, in wire
 *   order, with medtap's two lists concatenated in the order of their TLVs.
 */
import { after, test } from 'node:test';
import { macToString } from '../../../src/decode/address.js';
import { type CdpAddress, type CdpMessage, parseCdp } from '../../../src/protocols/cdp/parser.js';
import { type LldpMessage, parseLldp } from '../../../src/protocols/lldp/parser.js';
import { readLinkFrames, testEachCapture, type TsharkFrame } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { frameAccessor, loadTsharkLldpCdp } from './tshark-lldp-cdp.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  t: TsharkFrame;
}

/** A repeated TTL TLV (tshark stops dissecting the LLDPDU after the second TTL and calls the rest a trailer). */
const stopsAtRepeatedTtl = (c: DiffContext): boolean => c.t.list('lldp.time_to_live').length > 1;

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {
  'tshark-stops-at-repeated-ttl': {
    fields: ['tlv_types'],
    reason:
      'an LLDPDU with the TTL TLV repeated (arkime wireshark-lldp.pcap frame 1: TTL 120, 1, 2, 3, then End): tshark 4.0 ' +
      'stops after the second TTL TLV and shows the rest as an Ethernet trailer; medtap reads every TLV up to End ' +
      '(and reports misplaced_tlv:3 / duplicate_tlv:3), keeping the first TTL as tshark does',
    applies: (c) => stopsAtRepeatedTtl(c) && c.oursValue.startsWith(c.theirsValue),
  },
};

/** Frames tshark has and medtap does not reach (none expected: link-layer frames are never fragmented or tunnelled here). */
const MISSING_REASONS: Record<string, string> = {};

const lldpAgreement = new FieldAgreement<DiffContext>(KNOWN_DIFFERENCES, MISSING_REASONS);
const cdpAgreement = new FieldAgreement<DiffContext>(KNOWN_DIFFERENCES, MISSING_REASONS);

const US = '\u001f';
const str = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : String(v));
/** tshark's `0x%0Nx` rendering of a bitmap or code. */
const hex = (v: number | null, digits: number): string => (v === null ? '' : `0x${v.toString(16).padStart(digits, '0')}`);
/** medtap's text with the escapes tshark writes differently rewritten to tshark's. */
const tsharkText = (s: string | null): string => (s === null ? '' : s.replaceAll('\\x0a', '\\n').replaceAll('\\x0d', '\\r').replaceAll('\\x09', '\\t'));
/** A tshark decimal OUI as aa:bb:cc. */
const ouiText = (v: string): string => Number(v).toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1:$2:$3');
/** The names whose tshark boolean fields (`prefix` + field) are 1, for the (name, field) pairs given. */
const setBits = (t: TsharkFrame, prefix: string, pairs: readonly (readonly [string, string])[]): string =>
  pairs.filter(([, f]) => t.first(`${prefix}${f}`) === '1').map(([n]) => n).join(',');

/** medtap's LLDP capability names and tshark's bit field names (802.1AB-2016 Table 8-4; tshark names bits 0–7). */
const LLDP_CAPABILITY_FIELDS = [
  ['other', 'other'], ['repeater', 'repeater'], ['bridge', 'bridge'], ['wlan_access_point', 'wlan_access_pt'], ['router', 'router'],
  ['telephone', 'telephone'], ['docsis_cable_device', 'docsis_cable_device'], ['station_only', 'station_only'],
] as const;
/** medtap's LLDP-MED capability names and tshark's bit field names. */
const MED_CAPABILITY_FIELDS = [
  ['capabilities', 'llpd'], ['network_policy', 'network_policy'], ['location_identification', 'location_id'],
  ['extended_power_pse', 'mdi_pse'], ['extended_power_pd', 'mid_pd'], ['inventory', 'inventory'],
] as const;
/** medtap's CDP capability names and tshark's bit field names. */
const CDP_CAPABILITY_FIELDS = [
  ['router', 'router'], ['transparent_bridge', 'trans_bridge'], ['source_route_bridge', 'src_bridge'], ['switch', 'switch'], ['host', 'host'],
  ['igmp', 'igmp_capable'], ['repeater', 'repeater'], ['voip_phone', 'voip_phone'], ['remotely_managed', 'remote'], ['cvta', 'cvta'],
  ['two_port_mac_relay', 'mac_relay'],
] as const;
/** medtap's LLDP-MED inventory fields and tshark's (TIA-1057 §10.2.6). */
const MED_INVENTORY: readonly (readonly [keyof LldpMessage, string])[] = [
  ['med_hardware_revision', 'lldp.media.hardware'], ['med_firmware_revision', 'lldp.media.firmware'], ['med_software_revision', 'lldp.media.software'],
  ['med_serial_number', 'lldp.media.sn'], ['med_manufacturer', 'lldp.media.manufacturer'], ['med_model', 'lldp.media.model'], ['med_asset_id', 'lldp.media.asset'],
];
/** The OUIs whose subtype tshark records in a field of its own. */
const ORG_SUBTYPE_FIELDS: readonly (readonly [string, string])[] = [
  ['00:80:c2', 'lldp.ieee.802_1.subtype'], ['00:12:0f', 'lldp.ieee.802_3.subtype'], ['00:12:bb', 'lldp.media.subtype'], ['00:00:5e', 'lldp.iana.subtype'],
];

/** What medtap read from one frame: the parse result and the frame's source MAC and VLAN. */
interface Read<R> {
  r: R;
  src: string;
  vlan: string;
}

/** A comparer bound to one agreement and frame. */
type Compare = (name: string, ours: string, theirs: string, always?: boolean) => void;

function compareLldp(c: Compare, m: LldpMessage, t: TsharkFrame): void {
  c('tlv_types', m.tlv_types.join(','), t.list('lldp.tlv.type').join(','), true);
  c('chassis_id_subtype', str(m.chassis_id_subtype), t.get('lldp.chassis.subtype'), true);
  const chassisHex = t.get('lldp.chassis.id');
  c('chassis_id', str(chassisHex !== '' ? m.chassis_id_hex : m.chassis_id), chassisHex || t.get('lldp.chassis.id.mac') || t.get('lldp.chassis.id.ip4') || t.get('lldp.chassis.id.ip6'), true);
  c('port_id_subtype', str(m.port_id_subtype), t.get('lldp.port.subtype'), true);
  c('port_id', str(m.port_id), t.get('lldp.port.id') || t.get('lldp.port.id.mac') || t.get('lldp.port.id.ip4') || t.get('lldp.port.id.ip6'), true);
  c('ttl', str(m.ttl), t.first('lldp.time_to_live'), true);
  c('port_description', tsharkText(m.port_description), t.get('lldp.port.desc'));
  c('system_name', tsharkText(m.system_name), t.get('lldp.tlv.system.name'));
  c('system_description', tsharkText(m.system_description), t.get('lldp.tlv.system.desc'));
  c('capabilities_raw', hex(m.capabilities_raw, 4), t.get('lldp.tlv.system_cap'));
  c('enabled_capabilities_raw', hex(m.enabled_capabilities_raw, 4), t.get('lldp.tlv.enable_system_cap'));
  const first8 = new Set<string>(LLDP_CAPABILITY_FIELDS.map(([n]) => n));
  c('capabilities', (m.capabilities ?? []).filter((n) => first8.has(n)).join(','), setBits(t, 'lldp.tlv.system_cap.', LLDP_CAPABILITY_FIELDS));
  c('enabled_capabilities', (m.enabled_capabilities ?? []).filter((n) => first8.has(n)).join(','), setBits(t, 'lldp.tlv.enable_system_cap.', LLDP_CAPABILITY_FIELDS));

  const ma = m.management_addresses;
  const byFamily = (f: string | null): string => ma.filter((a) => a.family_name === f).map((a) => a.address.replaceAll(':', f === 'ipv6' ? ':' : '')).join(US);
  c('mgmt_family', ma.map((a) => a.family).join(US), t.get('lldp.mgn.address.subtype'));
  c('mgmt_ipv4', byFamily('ipv4'), t.get('lldp.mgn.addr.ip4'));
  c('mgmt_ipv6', byFamily('ipv6'), t.get('lldp.mgn.addr.ip6'));
  c('mgmt_other', ma.filter((a) => a.family_name !== 'ipv4' && a.family_name !== 'ipv6').map((a) => a.address.replaceAll(':', '')).join(US), t.get('lldp.mgn.addr.hex'));
  c('mgmt_interface_numbering', ma.map((a) => a.interface_numbering).join(US), t.get('lldp.mgn.interface.subtype'));
  c('mgmt_interface_number', ma.map((a) => a.interface_number).join(US), t.get('lldp.mgn.interface.number'));
  c('mgmt_oid', ma.filter((a) => a.oid !== null).map((a) => a.oid).join(US), t.get('lldp.mgn.obj.id'));

  c('org_ouis', m.org_tlvs.map((o) => o.oui).join(','), t.list('lldp.orgtlv.oui').map(ouiText).join(','));
  for (const [oui, field] of ORG_SUBTYPE_FIELDS) {
    c(`org_subtypes ${oui}`, m.org_tlvs.filter((o) => o.oui === oui).map((o) => hex(o.subtype, 2)).join(US), t.get(field));
  }
  c('port_vlan_id', str(m.port_vlan_id), t.get('lldp.ieee.802_1.port_vlan.id'));
  c('vlan_names', m.vlan_names.map((v) => `${v.vlan_id} ${tsharkText(v.name)}`).join(US),
    t.list('lldp.ieee.802_1.vlan.id').map((id, i) => `${id} ${t.list('lldp.ieee.802_1.vlan.name')[i] ?? ''}`).join(US));
  c('mac_phy_autoneg_status', hex(m.mac_phy?.autoneg_status ?? null, 2), t.get('lldp.ieee.802_3.mac_phy_auto_neg_status'));
  c('mac_phy_pmd_advertised', hex(m.mac_phy?.pmd_advertised ?? null, 4), t.get('lldp.ieee.802_3.pmd_auto_neg_advertised_caps'));
  c('mac_phy_mau_type', hex(m.mac_phy?.mau_type ?? null, 4), t.get('lldp.ieee.802_3.pmd_mau_type'));
  c('max_frame_size', str(m.max_frame_size), t.get('lldp.ieee.802_3.max_frame_size'));

  c('med_capabilities_raw', hex(m.med_capabilities_raw, 4), t.get('lldp.media.subtype.caps'));
  c('med_capabilities', (m.med_capabilities ?? []).join(','), setBits(t, 'lldp.media.subtype.caps.', MED_CAPABILITY_FIELDS));
  c('med_device_type', str(m.med_device_type), t.get('lldp.media.subtype.class'));
  const np = m.med_network_policies;
  c('med_policy_app_type', np.map((x) => x.app_type).join(US), t.get('lldp.media.app_type'));
  c('med_policy_unknown', np.map((x) => (x.unknown_policy ? 1 : 0)).join(US), t.get('lldp.media.policy_flag'));
  c('med_policy_tagged', np.map((x) => (x.tagged ? 1 : 0)).join(US), t.get('lldp.media.tag_flag'));
  c('med_policy_vlan_id', np.map((x) => x.vlan_id).join(US), t.get('lldp.media.vlan_id'));
  c('med_policy_l2_priority', np.map((x) => x.l2_priority).join(US), t.get('lldp.media.l2_prio'));
  c('med_policy_dscp', np.map((x) => x.dscp).join(US), t.get('lldp.media.dscp'));
  for (const [field, tfield] of MED_INVENTORY) c(field, tsharkText(m[field] as string | null), t.get(tfield));
  c('mud_url', tsharkText(m.mud_url), t.get('lldp.iana.mudurl'));
}

/** CDP addresses of both address TLVs, in the order of their TLVs (as tshark lists them). */
function cdpAddressesInWireOrder(m: CdpMessage): { counts: number[]; all: CdpAddress[] } {
  const counts: number[] = [];
  const all: CdpAddress[] = [];
  for (const type of m.tlv_types) {
    const list = type === 0x0002 ? m.addresses : type === 0x0016 ? m.management_addresses : null;
    if (list === null) continue;
    counts.push(list.length);
    all.push(...list);
  }
  return { counts, all };
}

function compareCdp(c: Compare, m: CdpMessage, t: TsharkFrame): void {
  c('version', str(m.version), t.get('cdp.version'), true);
  c('ttl', str(m.ttl), t.get('cdp.ttl'), true);
  c('checksum', hex(m.checksum, 4), t.get('cdp.checksum'), true);
  const status = t.get('cdp.checksum.status');
  c('checksum_ok', str(m.checksum_ok), status === '1' ? 'true' : status === '0' ? 'false' : '', true);
  c('tlv_types', m.tlv_types.map((x) => hex(x, 4)).join(','), t.list('cdp.tlv.type').join(','), true);
  c('device_id', tsharkText(m.device_id), t.get('cdp.deviceid'));
  c('port_id', tsharkText(m.port_id), t.get('cdp.portid'));
  c('platform', tsharkText(m.platform), t.get('cdp.platform'));
  c('software_version', m.software_version === null ? '' : m.software_version.split('\\x0a').map(tsharkText).join(US), t.get('cdp.software_version'));
  c('capabilities_raw', hex(m.capabilities_raw, 8), t.get('cdp.capabilities'));
  c('capabilities', (m.capabilities ?? []).join(','), setBits(t, 'cdp.capabilities.', CDP_CAPABILITY_FIELDS));
  const { counts, all } = cdpAddressesInWireOrder(m);
  c('address_counts', counts.join(US), t.get('cdp.number_of_addresses'));
  c('address_protocol_type', all.map((a) => hex(a.protocol_type, 2)).join(US), t.get('cdp.protocol_type'));
  c('address_protocol', all.map((a) => a.protocol).join(US), t.get('cdp.protocol'));
  c('address_ipv4', all.filter((a) => a.family === 'ipv4').map((a) => a.address).join(US), t.get('cdp.nrgyz.ip_address'));
  c('address_ipv6', all.filter((a) => a.family === 'ipv6').map((a) => a.address).join(US), t.get('cdp.nrgyz.ipv6_address'));
  c('vtp_domain', tsharkText(m.vtp_domain), t.get('cdp.vtp_management_domain'));
  c('native_vlan', str(m.native_vlan), t.get('cdp.native_vlan'));
  c('duplex', str(m.duplex), { '1': 'full', '0': 'half' }[t.get('cdp.duplex')] ?? t.get('cdp.duplex'));
  c('voice_vlan', str(m.voice_vlan ?? m.voice_vlan_query), t.get('cdp.voice_vlan'));
  c('power_consumption_mw', str(m.power_consumption_mw), t.get('cdp.power_consumption'));
  c('mtu', str(m.mtu), t.get('cdp.mtu'));
  c('system_name', tsharkText(m.system_name), t.get('cdp.system_name'));
  c('power_requested_mw', (m.power_requested_mw ?? []).join(US), t.get('cdp.power_requested'));
  c('power_available_mw', (m.power_available_mw ?? []).join(US), t.get('cdp.power_available'));
}

/**
 * Compares every baseline frame of one protocol in a capture: frames medtap did not reach or could not parse are
 * recorded, the frame's source MAC and VLAN compared, then the protocol fields.
 */
function compareCapture<M extends { anomalies: string[] }>(
  agreement: FieldAgreement<DiffContext>, rel: string, frames: [number, TsharkFrame][], ours: Map<number, Read<{ ok: true; value: M } | { ok: false; error: string }>>,
  compareFields: (c: Compare, m: M, t: TsharkFrame) => void,
): void {
  const none = new Set<number>();
  for (const [frame, t] of frames) {
    agreement.tsharkFrames++;
    const read = ours.get(frame);
    if (read === undefined) {
      agreement.frameMissing(rel, frame, t, none);
      continue;
    }
    if (!read.r.ok) {
      agreement.parseErrors.push(`${rel} frame ${frame}: ${read.r.error}`);
      continue;
    }
    agreement.matched++;
    const ctx = { capture: rel, frame, t };
    const c: Compare = (name, o, th, always = false) => agreement.compare(name, o, th, ctx, always);
    c('src_mac', read.src, t.get('eth.src'), true);
    c('vlan', read.vlan, t.first('vlan.id'));
    compareFields(c, read.r.value, t);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkLldpCdp();
const accessor = frameAccessor(doc);

testEachCapture('lldp/cdp vs tshark', doc.captures, 'tshark-lldp-cdp.json', 'test/conformance/lldp-cdp/README.md', (rel, cap, path) => {
  const rows = Object.entries(cap.frames).map(([n, row]) => [Number(n), accessor(row)] as [number, TsharkFrame]);
  const lldpRows = rows.filter(([, t]) => t.get('lldp.tlv.type') !== '');
  const cdpRows = rows.filter(([, t]) => t.get('cdp.version') !== '');
  const where = <R>(r: R, p: { hasSrcMac: boolean; srcMac: number; vlan: number }): Read<R> => ({ r, src: p.hasSrcMac ? macToString(p.srcMac) : '', vlan: p.vlan >= 0 ? String(p.vlan) : '' });
  const lldp = readLinkFrames(path, 'lldp', (p) => where(parseLldp(p.pktBuf, p.l3Off, p.linkEnd - p.l3Off), p));
  const cdp = readLinkFrames(path, 'cdp', (p) => where(parseCdp(p.pktBuf, p.l3Off, p.linkEnd - p.l3Off), p));
  if (lldpRows.length > 0 || lldp.size > 0) lldpAgreement.captures++;
  if (cdpRows.length > 0 || cdp.size > 0) cdpAgreement.captures++;
  compareCapture(lldpAgreement, rel, lldpRows, lldp, compareLldp);
  compareCapture(cdpAgreement, rel, cdpRows, cdp, compareCdp);
  lldpAgreement.extraFrames(rel, lldp, Object.fromEntries(lldpRows.map(([n]) => [String(n), true])), (x) => (x.r.ok ? 'parsed' : x.r.error));
  cdpAgreement.extraFrames(rel, cdp, Object.fromEntries(cdpRows.map(([n]) => [String(n), true])), (x) => (x.r.ok ? 'parsed' : x.r.error));
});

test('lldp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  lldpAgreement.assertAgreement('LLDP');
});

test('cdp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  cdpAgreement.assertAgreement('CDP');
});

after(() => {
  for (const [name, a] of [['lldp', lldpAgreement], ['cdp', cdpAgreement]] as const) {
    a.printSummary(
      `${name} vs tshark: ${a.captures} captures, ${a.tsharkFrames} tshark ${name.toUpperCase()} frames, ${a.matched} compared, ${a.notReached()}, ` +
        `${a.extra} frames medtap parsed that tshark does not call ${name.toUpperCase()}, ${a.elapsed()} s`,
    );
  }
});
