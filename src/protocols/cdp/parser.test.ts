/**
 * Unit tests of the CDP parser from annotated byte arrays, plus random-mutation robustness. The two checksums were
 * read from tshark 4.0.17 (each PDU written into a capture with a zero checksum: "incorrect, should be 0x…"; with it
 * set, "[correct]"). Corpus-wide agreement with tshark is in test/conformance/lldp-cdp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes } from '../test-bytes.js';
import { CDP_ANOMALIES, type CdpMessage, cdpChecksumOk, MAX_CDP_ADDRESSES, MAX_CDP_BYTES, MAX_CDP_TLVS, parseCdp } from './parser.js';

/** A TLV: type, length (4 header bytes included), value. */
const tlv = (type: number, value: number[]): number[] => [...be16(type), ...be16(value.length + 4), ...value];

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): CdpMessage {
  const r = parseCdp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** A CDPv2 PDU from an IP phone, 219 bytes (odd length). */
const PHONE = bytes(
  [2], // version 2
  [180], // TTL 180 s
  [0xd0, 0x06], // checksum (tshark: correct)
  tlv(0x0001, ascii('SEP001122334455')), // Device ID
  tlv(0x0002, [
    ...be32(2), // Addresses: 2
    1, 1, 0xcc, ...be16(4), 10, 0, 0, 5, // NLPID, length 1, 0xCC (IP), address length 4: 10.0.0.5
    2, 8, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd, ...be16(16), 0xfe, 0x80, ...new Array<number>(13).fill(0), 1, // 802.2 SNAP IPv6: fe80::1
  ]),
  tlv(0x0003, ascii('Port 1')), // Port ID
  tlv(0x0004, be32(0x490)), // Capabilities: host, VoIP phone, two-port MAC relay
  tlv(0x0005, ascii('SIP88xx.12-8-1')), // Software Version
  tlv(0x0006, ascii('Cisco IP Phone 8845')), // Platform
  tlv(0x000a, be16(10)), // Native VLAN 10
  tlv(0x000b, [1]), // Duplex: full
  tlv(0x000e, [1, ...be16(110)]), // VoIP VLAN Reply: appliance 1, VLAN 110
  tlv(0x0010, be16(6300)), // Power Consumption 6300 mW
  tlv(0x0011, be32(1500)), // MTU 1500
  tlv(0x0014, ascii('phone1')), // System Name
  tlv(0x0016, [...be32(1), 1, 1, 0xcc, ...be16(4), 10, 0, 0, 5]), // Management Addresses: 10.0.0.5
  tlv(0x0019, [...be16(1), ...be16(0), ...be32(6300)]), // Power Requested: request 1, management 0, 6300 mW
  tlv(0x001a, [...be16(1), ...be16(1), ...be32(15400), ...be32(15400)]), // Power Available: 15400, 15400 mW
  tlv(0x00ff, [0xab]), // an unknown type: listed only
);

/** A CDPv1 PDU of 11 bytes whose last byte is ≥ 0x80 (Cisco's odd-length checksum rule). */
const ODD = bytes([1], [180], [0xac, 0x29], tlv(0x0001, [0x52, 0x31, 0xe9])); // Device ID "R1é" in Latin-1

test('CDPv2 IP phone: every decoded TLV', () => {
  const m = ok(PHONE);
  assert.deepEqual(m.anomalies, []);
  assert.equal(m.version, 2);
  assert.equal(m.ttl, 180);
  assert.equal(m.checksum, 0xd006);
  assert.equal(m.checksum_ok, true);
  assert.equal(m.device_id, 'SEP001122334455');
  assert.deepEqual(m.addresses, [
    { protocol_type: 1, protocol: 'cc', family: 'ipv4', address: '10.0.0.5' },
    { protocol_type: 2, protocol: 'aaaa0300000086dd', family: 'ipv6', address: 'fe80::1' },
  ]);
  assert.equal(m.port_id, 'Port 1');
  assert.equal(m.capabilities_raw, 0x490);
  assert.deepEqual(m.capabilities, ['host', 'voip_phone', 'two_port_mac_relay']);
  assert.equal(m.software_version, 'SIP88xx.12-8-1');
  assert.equal(m.platform, 'Cisco IP Phone 8845');
  assert.equal(m.native_vlan, 10);
  assert.equal(m.duplex, 'full');
  assert.equal(m.voice_vlan, 110);
  assert.equal(m.voice_vlan_query, null);
  assert.equal(m.power_consumption_mw, 6300);
  assert.equal(m.mtu, 1500);
  assert.equal(m.system_name, 'phone1');
  assert.deepEqual(m.management_addresses, [{ protocol_type: 1, protocol: 'cc', family: 'ipv4', address: '10.0.0.5' }]);
  assert.deepEqual(m.power_requested_mw, [6300]);
  assert.deepEqual(m.power_available_mw, [15400, 15400]);
  assert.deepEqual(m.tlv_types, [1, 2, 3, 4, 5, 6, 0x0a, 0x0b, 0x0e, 0x10, 0x11, 0x14, 0x16, 0x19, 0x1a, 0xff]);
  const framed = bytes([9, 9, 9, 9], PHONE, [9]);
  assert.deepEqual(ok(framed, 4, PHONE.length), m);
});

test('checksum: odd length with a last byte >= 0x80, and a corrupted PDU', () => {
  const m = ok(ODD);
  assert.equal(m.checksum_ok, true);
  assert.equal(m.device_id, 'R1\u00e9');
  assert.ok(cdpChecksumOk(PHONE));
  const bad = Uint8Array.from(PHONE);
  bad[10] ^= 0x01;
  const b = ok(bad);
  assert.equal(b.checksum_ok, false);
  assert.deepEqual(b.anomalies, ['bad_checksum']);
});

test('malformed TLVs and values', () => {
  const m = ok(bytes(
    [3], [180], [0, 0], // version 3, checksum 0 (wrong)
    tlv(0x0004, [0, 0, 1]), // Capabilities with 3 bytes
    tlv(0x000b, [7]), // Duplex 7
    tlv(0x0001, ascii('a')), // Device ID
    tlv(0x0001, ascii('b')), // Device ID again
    tlv(0x0002, [...be32(3), 1, 1, 0xcc, ...be16(4), 10, 0, 0, 1, 1, 1, 0xcc, ...be16(9), 1]), // 3 addresses announced, the second overruns
    tlv(0x001a, [0, 1, 0, 1, 0, 0]), // Power Available: 2 bytes of a 4-byte value
    tlv(0x000f, [0x20]), // VoIP VLAN Query without a VLAN (accepted)
    [0x00, 0x03, 0x00, 0x02], // a TLV length below its header
  ));
  assert.equal(m.capabilities, null);
  assert.equal(m.duplex, null);
  assert.equal(m.device_id, 'a');
  assert.deepEqual(m.addresses, [{ protocol_type: 1, protocol: 'cc', family: 'ipv4', address: '10.0.0.1' }]);
  assert.equal(m.power_available_mw, null);
  assert.equal(m.voice_vlan_query, null);
  assert.deepEqual(m.anomalies, [
    'unknown_version', 'bad_checksum', 'bad_tlv_length:0x0004', 'bad_duplex', 'duplicate_tlv:0x0001', 'bad_addresses:0x0002',
    'bad_tlv_length:0x001a', 'bad_tlv_header_length:0x0003',
  ]);
  assert.deepEqual(ok(bytes([2, 180, 0, 0], tlv(0x0006, ascii('abc')).slice(0, 5))).anomalies, ['bad_checksum', 'tlv_overrun:0x0006']);
  assert.deepEqual(ok(bytes([2, 180, 0, 0], [0, 1])).anomalies, ['bad_checksum', 'truncated_tlv_header']);
});

test('text: trailing NULs removed, line feeds escaped', () => {
  const m = ok(bytes([2, 180, 0, 0], tlv(0x0005, [...ascii('IOS 15'), 0x0a, ...ascii('(c) Cisco'), 0, 0])));
  assert.equal(m.software_version, 'IOS 15\\x0a(c) Cisco');
});

test('limits: addresses, TLV count, PDU size', () => {
  const addr = [1, 1, 0xcc, ...be16(4), 10, 0, 0, 9];
  const many = ok(bytes([2, 180, 0, 0], tlv(0x0016, [...be32(MAX_CDP_ADDRESSES + 1), ...new Array<number[]>(MAX_CDP_ADDRESSES + 1).fill(addr).flat()])));
  assert.equal(many.management_addresses?.length, MAX_CDP_ADDRESSES);
  assert.ok(many.anomalies.includes('bad_addresses:0x0016'));
  const tlvs = ok(bytes([2, 180, 0, 0], ...new Array<number[]>(MAX_CDP_TLVS + 1).fill(tlv(0x00fe, []))));
  assert.equal(tlvs.tlv_types.length, MAX_CDP_TLVS);
  assert.ok(tlvs.anomalies.includes('too_many_tlvs'));
  const big = ok(bytes([2, 180, 0, 0], tlv(0x00fe, new Array<number>(MAX_CDP_BYTES).fill(0))));
  assert.equal(big.checksum_ok, null); // cut: not checked
  assert.deepEqual(big.anomalies, ['oversized_pdu', 'tlv_overrun:0x00fe']);
});

test('failures: bad bounds and a PDU shorter than its header', () => {
  assert.deepEqual(parseCdp(new Uint8Array(8), 6, 4), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseCdp(new Uint8Array(8), 0, 3), { ok: false, error: 'truncated' });
});

test('random mutations: never throws, never reads outside its bounds, only documented anomalies', () => {
  const parsed = runMutations({
    seed: 0xcd9,
    bases: [PHONE, ODD],
    count: 20_000,
    special: [0x00, 0x01, 0x02, 0x04, 0x16, 0xcc, 0xff],
    parse: parseCdp,
    anomalyNames: CDP_ANOMALIES,
    onParsed: (m) => assert.ok(m.tlv_types.length <= MAX_CDP_TLVS),
  });
  assert.ok(parsed > 15_000, `${parsed} of 20000 mutations parsed`);
});
