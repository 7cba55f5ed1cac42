/**
 * Unit tests of the LLDP parser from annotated byte arrays (IEEE 802.1AB-2016 §8 TLVs, Annex D / IEEE 802.3 clause 79
 * organizationally specific TLVs, ANSI/TIA-1057 LLDP-MED, RFC 8520 MUD URL), plus random-mutation robustness.
 * Corpus-wide agreement with tshark is in test/conformance/lldp-cdp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes } from '../test-bytes.js';
import { LLDP_ANOMALIES, type LldpMessage, MAX_LLDP_TLVS, MAX_LLDPDU_BYTES, MAX_MANAGEMENT_ADDRESSES, oidText, parseLldp } from './parser.js';

/** A TLV header: 7-bit type, 9-bit length. */
const tlv = (type: number, len: number): number[] => [(type << 1) | (len >> 8), len & 0xff];
/** An organizationally specific TLV header (type 127) with its OUI and subtype; `len` counts the info only. */
const org = (oui: number, subtype: number, len: number): number[] => [...tlv(127, len + 4), (oui >> 16) & 0xff, (oui >> 8) & 0xff, oui & 0xff, subtype];
const END = [0x00, 0x00]; // End of LLDPDU

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): LldpMessage {
  const r = parseLldp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** The mandatory TLVs of a MAC-identified endpoint. */
const MANDATORY = bytes(
  tlv(1, 7), [4], [0x00, 0x09, 0xfb, 0x12, 0x34, 0x56], // Chassis ID: subtype 4 MAC 00:09:fb:12:34:56
  tlv(2, 7), [3], [0x00, 0x09, 0xfb, 0x12, 0x34, 0x57], // Port ID: subtype 3 MAC 00:09:fb:12:34:57
  tlv(3, 2), be16(120), // TTL: 120 s
);

/** An LLDP-MED endpoint (an infusion pump, say) sending every TLV the parser decodes. */
const MED_ENDPOINT = bytes(
  MANDATORY,
  tlv(4, 4), ascii('eth0'), // Port Description
  tlv(5, 8), ascii('pump-017'), // System Name
  tlv(6, 15), ascii('PumpOS 4.2'), [0x0a], ascii('rev'), [0x00], // System Description with a line feed and a trailing NUL
  tlv(7, 4), be16(0x0080), be16(0x0080), // System Capabilities: station only / station only
  tlv(8, 20), [5, 1, 10, 1, 2, 3], [2], be32(3), [8, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xc0, 0x6e], // Mgmt: IPv4 10.1.2.3, ifIndex 3, OID 1.3.6.1.4.1.24686
  tlv(8, 24), [17, 2, 0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 0x01], [3], be32(1), [0], // Mgmt: IPv6 2001:db8::1, system port 1, no OID
  org(0x0080c2, 1, 2), be16(30), // 802.1 Port VLAN ID: 30
  org(0x0080c2, 3, 8), be16(30), [5], ascii('pumps'), // 802.1 VLAN Name: 30 "pumps"
  org(0x00120f, 1, 5), [0x03], be16(0x6c00), be16(0x0010), // 802.3 MAC/PHY: autoneg supported+enabled, PMD 0x6c00, MAU 16 (100BASE-TX FD)
  org(0x00120f, 4, 2), be16(1522), // 802.3 Maximum Frame Size: 1522
  org(0x0012bb, 1, 3), be16(0x0023), [1], // MED Capabilities: capabilities, network policy, inventory; class I endpoint
  org(0x0012bb, 2, 4), [1], [0x40 | (100 >> 7), ((100 << 1) & 0xfe) | (5 >> 2), ((5 & 3) << 6) | 46], // Network Policy: voice, tagged, VLAN 100, priority 5, DSCP 46
  org(0x0012bb, 5, 3), ascii('B.2'), // MED Hardware Revision
  org(0x0012bb, 6, 5), ascii('1.0.7'), // MED Firmware Revision
  org(0x0012bb, 7, 6), ascii('4.2.19'), // MED Software Revision
  org(0x0012bb, 8, 9), ascii('SN1234567'), // MED Serial Number
  org(0x0012bb, 9, 10), ascii('Acme Med'), [0, 0], // MED Manufacturer Name (NUL padded)
  org(0x0012bb, 10, 7), ascii('IP-9000'), // MED Model Name
  org(0x0012bb, 11, 6), ascii('A-0042'), // MED Asset ID
  org(0x00005e, 1, 27), ascii('https://mud.example.com/p1'), [0x00], // MUD URL (RFC 8520), NUL-terminated
  org(0x000ecf, 2, 4), [0, 0, 0, 0], // an OUI the parser does not decode (PROFINET port status): listed only
  END,
  [0, 0, 0, 0], // Ethernet padding after End
);

test('LLDP-MED endpoint: every decoded TLV', () => {
  const m = ok(MED_ENDPOINT);
  assert.deepEqual(m.anomalies, []);
  assert.equal(m.chassis_id_subtype, 4);
  assert.equal(m.chassis_id_subtype_name, 'mac_address');
  assert.equal(m.chassis_id, '00:09:fb:12:34:56');
  assert.equal(m.chassis_id_hex, '0009fb123456');
  assert.equal(m.port_id_subtype_name, 'mac_address');
  assert.equal(m.port_id, '00:09:fb:12:34:57');
  assert.equal(m.ttl, 120);
  assert.equal(m.port_description, 'eth0');
  assert.equal(m.system_name, 'pump-017');
  assert.equal(m.system_description, 'PumpOS 4.2\\x0arev'); // LF escaped, trailing NUL removed
  assert.equal(m.capabilities_raw, 0x80);
  assert.deepEqual(m.capabilities, ['station_only']);
  assert.deepEqual(m.enabled_capabilities, ['station_only']);
  assert.deepEqual(m.management_addresses, [
    { family: 1, family_name: 'ipv4', address: '10.1.2.3', interface_numbering: 2, interface_numbering_name: 'ifindex', interface_number: 3, oid: '1.3.6.1.4.1.24686', oid_hex: '2b0601040181c06e' },
    { family: 2, family_name: 'ipv6', address: '2001:db8::1', interface_numbering: 3, interface_numbering_name: 'system_port_number', interface_number: 1, oid: null, oid_hex: null },
  ]);
  assert.equal(m.port_vlan_id, 30);
  assert.deepEqual(m.vlan_names, [{ vlan_id: 30, name: 'pumps' }]);
  assert.deepEqual(m.mac_phy, { autoneg_status: 3, autoneg_supported: true, autoneg_enabled: true, pmd_advertised: 0x6c00, mau_type: 16 });
  assert.equal(m.max_frame_size, 1522);
  assert.equal(m.med_capabilities_raw, 0x23);
  assert.deepEqual(m.med_capabilities, ['capabilities', 'network_policy', 'inventory']);
  assert.equal(m.med_device_type, 1);
  assert.equal(m.med_device_type_name, 'endpoint_class_1');
  assert.deepEqual(m.med_network_policies, [{ app_type: 1, app_type_name: 'voice', unknown_policy: false, tagged: true, vlan_id: 100, l2_priority: 5, dscp: 46 }]);
  assert.equal(m.med_hardware_revision, 'B.2');
  assert.equal(m.med_firmware_revision, '1.0.7');
  assert.equal(m.med_software_revision, '4.2.19');
  assert.equal(m.med_serial_number, 'SN1234567');
  assert.equal(m.med_manufacturer, 'Acme Med');
  assert.equal(m.med_model, 'IP-9000');
  assert.equal(m.med_asset_id, 'A-0042');
  assert.equal(m.mud_url, 'https://mud.example.com/p1');
  assert.deepEqual(m.org_tlvs.map((o) => `${o.oui}/${o.subtype}`), [
    '00:80:c2/1', '00:80:c2/3', '00:12:0f/1', '00:12:0f/4', '00:12:bb/1', '00:12:bb/2',
    '00:12:bb/5', '00:12:bb/6', '00:12:bb/7', '00:12:bb/8', '00:12:bb/9', '00:12:bb/10', '00:12:bb/11', '00:00:5e/1', '00:0e:cf/2',
  ]);
  assert.deepEqual(m.tlv_types, [1, 2, 3, 4, 5, 6, 7, 8, 8, ...new Array<number>(15).fill(127), 0]);
  // The same LLDPDU inside a larger buffer parses the same.
  const framed = bytes([0xff, 0xff, 0xff], MED_ENDPOINT, [0xff, 0xff]);
  assert.deepEqual(ok(framed, 3, MED_ENDPOINT.length), m);
});

test('Chassis ID and Port ID subtypes: network address, text, agent circuit id, reserved', () => {
  const m = ok(bytes(
    tlv(1, 6), [5], [1, 192, 0, 2, 7], // Chassis ID: subtype 5 network address, family 1 IPv4 192.0.2.7
    tlv(2, 4), [6], [0x01, 0x02, 0x03], // Port ID: subtype 6 agent circuit id (binary)
    tlv(3, 2), be16(0), // TTL 0: shutdown
    END,
  ));
  assert.equal(m.chassis_id_subtype_name, 'network_address');
  assert.equal(m.chassis_id, '192.0.2.7');
  assert.equal(m.port_id_subtype_name, 'agent_circuit_id');
  assert.equal(m.port_id, '010203');
  assert.equal(m.ttl, 0);
  assert.deepEqual(m.anomalies, []);

  const t = ok(bytes(
    tlv(1, 20), [7], ascii('siemens-x208-switch'), // Chassis ID: subtype 7 locally assigned (text)
    tlv(2, 4), [9], ascii('abc'), // Port ID: subtype 9 (reserved)
    tlv(3, 2), be16(20),
    END,
  ));
  assert.equal(t.chassis_id, 'siemens-x208-switch');
  assert.equal(t.chassis_id_hex, '7369656d656e732d783230382d737769746368');
  assert.equal(t.port_id_subtype, 9);
  assert.equal(t.port_id_subtype_name, null);
  assert.equal(t.port_id, '616263'); // a reserved subtype's id is kept as hex
  assert.deepEqual(t.anomalies, ['reserved_id_subtype:2']);

  const bad = ok(bytes(
    tlv(1, 5), [4], [0, 1, 2, 3], // Chassis ID: MAC subtype with 4 bytes
    tlv(2, 3), [4], [2, 1], // Port ID: network address, family 2 (IPv6) with 1 byte
    tlv(3, 2), be16(120),
    END,
  ));
  assert.equal(bad.chassis_id, '00010203');
  assert.equal(bad.port_id, '0201');
  assert.deepEqual(bad.anomalies, ['bad_id:1', 'bad_id:2']);
});

test('TLV order, repetition, reserved types and lengths are reported, first value kept', () => {
  const m = ok(bytes(
    tlv(2, 4), [5], ascii('1/3'), // Port ID first: misplaced
    tlv(1, 7), [4], [0, 4, 0x96, 0x1f, 0xa7, 0x26], // Chassis ID second: misplaced
    tlv(3, 2), be16(120), // TTL
    tlv(3, 2), be16(1), // TTL again: misplaced and repeated
    tlv(5, 1), ascii('a'), // System Name
    tlv(5, 1), ascii('b'), // System Name again
    tlv(9, 0), // type 9: reserved
    tlv(7, 3), [0, 0x14, 0], // System Capabilities with 3 bytes (must be 4)
    tlv(8, 8), [5, 1, 10, 0, 0, 1, 2, 0], // Management Address: 8 bytes (minimum 9)
    tlv(0, 1), [0], // End with a non-zero length
  ));
  assert.equal(m.ttl, 120);
  assert.equal(m.system_name, 'a');
  assert.equal(m.capabilities, null);
  assert.deepEqual(m.management_addresses, []);
  assert.deepEqual(m.tlv_types, [2, 1, 3, 3, 5, 5, 9, 7, 8, 0]);
  assert.deepEqual(m.anomalies, [
    'misplaced_tlv:2', 'misplaced_tlv:1', 'misplaced_tlv:3', 'duplicate_tlv:3', 'duplicate_tlv:5', 'reserved_tlv_type:9',
    'bad_tlv_length:7', 'bad_tlv_length:8', 'bad_tlv_length:0',
  ]);
});

test('missing mandatory TLVs, truncation and a missing End', () => {
  assert.deepEqual(ok(bytes(tlv(5, 2), ascii('sw'), END)).anomalies, ['misplaced_tlv:5', 'missing_tlv:1', 'missing_tlv:2', 'missing_tlv:3']);
  const cut = ok(bytes(MANDATORY, tlv(6, 10), ascii('abc'))); // System Description claims 10 bytes, 3 present
  assert.equal(cut.system_description, null);
  assert.deepEqual(cut.anomalies, ['tlv_overrun:6', 'end_tlv_missing']);
  assert.deepEqual(ok(bytes(MANDATORY, [0x0a])).anomalies, ['truncated_tlv_header', 'end_tlv_missing']);
  assert.deepEqual(ok(MANDATORY).anomalies, ['end_tlv_missing']);
  const ttl3 = ok(bytes(tlv(1, 2), [7, 0x41], tlv(2, 2), [7, 0x42], tlv(3, 3), [0, 1, 2], END)); // TTL with 3 bytes
  assert.equal(ttl3.ttl, null);
  assert.deepEqual(ttl3.anomalies, ['bad_tlv_length:3', 'missing_tlv:3']);
});

test('malformed management address and organizationally specific TLVs', () => {
  const m = ok(bytes(
    MANDATORY,
    tlv(8, 12), [5, 1, 10, 0, 0, 1], [2], be32(1), [1], // Mgmt: OID length 1 but no OID byte left
    tlv(8, 12), [40, 1, 10, 0, 0, 1], [2], be32(1), [0], // Mgmt: address string length 40 (> 32)
    org(0x0080c2, 1, 3), [0, 1, 2], // Port VLAN ID with 3 bytes (must be 2)
    org(0x0080c2, 3, 6), be16(5), [9], ascii('abc'), // VLAN Name: name length 9, 3 present
    org(0x00120f, 1, 5), [1], be16(0), be16(0), // MAC/PHY
    org(0x00120f, 1, 5), [3], be16(0), be16(0), // MAC/PHY again: first kept
    org(0x0012bb, 8, 33), new Array<number>(33).fill(0x41), // Serial number of 33 bytes (at most 32)
    END,
  ));
  assert.deepEqual(m.management_addresses, []);
  assert.equal(m.port_vlan_id, null);
  assert.deepEqual(m.vlan_names, []);
  assert.equal(m.mac_phy?.autoneg_status, 1);
  assert.equal(m.med_serial_number, null);
  assert.deepEqual(m.anomalies, [
    'bad_management_address', 'bad_management_address', 'bad_org_tlv_length:0080c2-1', 'bad_org_tlv_length:0080c2-3',
    'duplicate_org_tlv:00120f-1', 'bad_org_tlv_length:0012bb-8',
  ]);
});

test('limits: management addresses, TLV count, LLDPDU size', () => {
  const mgmt = bytes(tlv(8, 12), [5, 1, 10, 0, 0, 1], [2], be32(1), [0]);
  const many = ok(bytes(MANDATORY, ...new Array<Uint8Array>(MAX_MANAGEMENT_ADDRESSES + 2).fill(mgmt), END));
  assert.equal(many.management_addresses.length, MAX_MANAGEMENT_ADDRESSES);
  assert.deepEqual(many.anomalies, ['too_many_entries:8']); // reported once

  const names = ok(bytes(MANDATORY, ...new Array<number[]>(MAX_LLDP_TLVS).fill(tlv(4, 0)), END));
  assert.equal(names.tlv_types.length, MAX_LLDP_TLVS);
  assert.ok(names.anomalies.includes('too_many_tlvs'));

  const big = bytes(MANDATORY, tlv(6, 511), new Array<number>(511).fill(0x61), new Array<number>(MAX_LLDPDU_BYTES).fill(0));
  const b = ok(big);
  assert.equal(b.anomalies[0], 'oversized_lldpdu');
  assert.equal(b.system_description?.length, 511); // longer than 255 (bad_tlv_length) but still read
  assert.ok(b.anomalies.includes('bad_tlv_length:6'));
});

test('failures: bad bounds and fewer than 2 bytes', () => {
  assert.deepEqual(parseLldp(new Uint8Array(4), 2, 3), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseLldp(new Uint8Array(4), -1, 2), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseLldp(new Uint8Array(4), 0, 1), { ok: false, error: 'truncated' });
});

test('OID decoding (X.690 §8.19)', () => {
  const o = (...b: number[]): string | null => oidText(Uint8Array.from(b), 0, b.length);
  assert.equal(o(0x2b, 0x06, 0x01, 0x02, 0x01), '1.3.6.1.2.1');
  assert.equal(o(0x88, 0x37, 0x03), '2.999.3'); // first subidentifier 1079 = 2 × 40 + 999
  assert.equal(o(0x2b, 0x86), null); // ends inside a subidentifier
  assert.equal(o(0x2b, 0x80, 0x01), null); // leading 0x80 padding
  assert.equal(o(), null);
});

test('random mutations: never throws, never reads outside its bounds, only documented anomalies', () => {
  const bases = [MED_ENDPOINT, bytes(MANDATORY, tlv(8, 12), [5, 1, 10, 0, 0, 1], [2], be32(1), [0], END)];
  const parsed = runMutations({
    seed: 0x11d9,
    bases,
    count: 20_000,
    special: [0x00, 0x02, 0x04, 0x06, 0xfe, 0xff, 0x01, 0x05],
    parse: parseLldp,
    anomalyNames: LLDP_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.tlv_types.length <= MAX_LLDP_TLVS);
      assert.ok(m.management_addresses.length <= MAX_MANAGEMENT_ADDRESSES);
    },
  });
  assert.ok(parsed > 15_000, `${parsed} of 20000 mutations parsed`);
});
