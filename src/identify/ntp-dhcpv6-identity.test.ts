/**
 * Unit tests of the NTP and DHCPv6 identity collectors: which observations give which facts and bindings, keyed by
 * which MAC (direct, relayed with option 79, relayed with a DUID only), and the routed-fact sender IP.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import { parseDhcpv6 } from '../protocols/dhcpv6/parser.js';
import { parseNtp } from '../protocols/ntp/parser.js';
import { be16, be32, bytes, zeros } from '../protocols/test-bytes.js';
import { Dhcpv6IdentityCollector } from './dhcpv6-identity.js';
import { NtpIdentityCollector } from './ntp-identity.js';

const CLIENT = '00:0c:29:5e:77:44';
const SERVER = '00:0c:29:1f:a7:55';

function ctx(src: string | null, dst: string | null, srcIp = '192.0.2.1'): PacketContext {
  return { ts_us: 1_000_000, src_mac: src, dst_mac: dst, src_ip: srcIp, dst_ip: '192.0.2.2', src_port: 123, dst_port: 123, vlan: null };
}

function ntp(b: Uint8Array, c: PacketContext): Observation {
  const r = parseNtp(b, 0, b.length);
  assert.ok(r.ok);
  return { kind: 'ntp', ctx: c, msg: r.value };
}

function dhcpv6(b: Uint8Array, c: PacketContext): Observation {
  const r = parseDhcpv6(b, 0, b.length);
  assert.ok(r.ok);
  return { kind: 'dhcpv6', ctx: c, msg: r.value };
}

const opt = (code: number, ...value: number[][]): number[] => {
  const v = value.flat();
  return [...be16(code), ...be16(v.length), ...v];
};
const DUID_LL = [...be16(3), ...be16(1), 0x00, 0x0c, 0x29, 0x5e, 0x77, 0x44];
const ADDR = [0x20, 0x01, 0x0d, 0xb8, ...zeros(10), 0x10, 0x02];

test('NTP: version and mode for every sender; stratum and reference ID for a server; routed facts carry the IP', () => {
  const c = new NtpIdentityCollector();
  const server = bytes([0x24, 2, 6, 0xe8], zeros(8), [10, 1, 2, 3], zeros(32)); // v4 server, stratum 2, ref 10.1.2.3
  c.observe(ntp(server, ctx(SERVER, CLIENT, '203.0.113.5')));
  c.observe(ntp(bytes([0x1b], zeros(47)), ctx(CLIENT, SERVER))); // v3 client
  c.observe(ntp(bytes([0x24, 0], zeros(10), [0x52, 0x41, 0x54, 0x45], zeros(32)), ctx(SERVER, CLIENT, '203.0.113.5'))); // kiss RATE
  c.observe(ntp(server, ctx('01:00:5e:00:01:01', null))); // group MAC: no device
  const got = c.allFacts().map((f) => `${f.mac} ${f.ip} ${f.name}=${f.value}`).sort();
  assert.deepEqual(got, [
    `${SERVER} 203.0.113.5 ntp_kiss_code=RATE`,
    `${SERVER} 203.0.113.5 ntp_mode=server`,
    `${SERVER} 203.0.113.5 ntp_reference_id=10.1.2.3`,
    `${SERVER} 203.0.113.5 ntp_stratum=2`,
    `${SERVER} 203.0.113.5 ntp_version=4`,
    `${CLIENT} 192.0.2.1 ntp_mode=client`,
    `${CLIENT} 192.0.2.1 ntp_version=3`,
  ]);
});

test('NTP: mode 6 system variables of a read-variables response become daemon facts', () => {
  const data = [...Buffer.from('version="ntpd 4.2.8", system="Linux/5.10", processor="armv7l", leap=0')];
  const c = new NtpIdentityCollector();
  c.observe(ntp(bytes([0x16, 0x82], be16(1), be16(0), be16(0), be16(0), be16(data.length), data), ctx(SERVER, CLIENT)));
  const got = Object.fromEntries(c.allFacts().map((f) => [f.name, f.value]));
  assert.deepEqual(got, { ntp_version: '2', ntp_mode: 'control_response', ntp_daemon_version: 'ntpd 4.2.8', ntp_system: 'Linux/5.10', ntp_processor: 'armv7l' });
});

test('DHCPv6: client facts from a direct solicit; a Reply binds only usable IA_NA addresses', () => {
  const c = new Dhcpv6IdentityCollector();
  c.observe(dhcpv6(bytes([1, 0, 0, 1], opt(1, DUID_LL), opt(6, be16(23), be16(24)), opt(16, be32(311), be16(3), [0x61, 0x62, 0x63]),
    opt(17, be32(4491)), opt(39, [1], [4], [...Buffer.from('pump')], [0])), ctx(CLIENT, '33:33:00:01:00:02')));
  const facts = c.allFacts().map((f) => `${f.mac} ${f.name}=${f.value}`).sort();
  assert.deepEqual(facts, [
    `${CLIENT} dhcpv6_duid=00030001000c295e7744`,
    `${CLIENT} dhcpv6_enterprise=311`,
    `${CLIENT} dhcpv6_enterprise=4491`,
    `${CLIENT} dhcpv6_fqdn=pump`,
    `${CLIENT} dhcpv6_oro=23,24`,
    `${CLIENT} dhcpv6_vendor_class=311:abc`,
    `${CLIENT} hostname=pump`,
  ]);
  const iaAddr = (last: number, valid: number, status: number[] = []): number[] => opt(5, [...ADDR.slice(0, 15), last], be32(1), be32(valid), status);
  c.observe(dhcpv6(bytes([7, 0, 0, 1], opt(3, be32(1), be32(0), be32(0),
    iaAddr(1, 3600), // usable
    iaAddr(2, 0), // valid lifetime 0: released
    iaAddr(3, 0xffffffff), // infinite
    iaAddr(4, 100, opt(13, be16(2))))), // error status
  ctx(SERVER, CLIENT)));
  c.observe(dhcpv6(bytes([7, 0, 0, 2], opt(3, be32(2), be32(0), be32(0), iaAddr(5, 60), opt(13, be16(2)))), ctx(SERVER, CLIENT))); // IA error
  assert.deepEqual(c.allBindings().map((b) => `${b.mac} ${b.ip} ${b.source} ${b.leaseSeconds}`), [
    `${CLIENT} 2001:db8::1001 dhcpv6 3600`,
    `${CLIENT} 2001:db8::1003 dhcpv6 null`,
  ]);
});

test('DHCPv6: a relayed client is keyed by option 79, else by its DUID link-layer address; relayed replies bind nothing', () => {
  const solicit = bytes([1, 0, 0, 1], opt(1, DUID_LL));
  const relay = (inner: Uint8Array, extra: number[]): Uint8Array => bytes([12, 0], zeros(16), zeros(16), extra, opt(9, [...inner]));
  const c = new Dhcpv6IdentityCollector();
  c.observe(dhcpv6(relay(solicit, opt(79, be16(1), [2, 0, 0, 0, 0, 9])), ctx(SERVER, null)));
  c.observe(dhcpv6(relay(solicit, []), ctx(SERVER, null)));
  assert.deepEqual(c.allFacts().map((f) => f.mac).sort(), [CLIENT, '02:00:00:00:00:09']);
  c.observe(dhcpv6(bytes([13, 0], zeros(32), opt(9, [7, 0, 0, 1, ...opt(3, be32(1), be32(0), be32(0), opt(5, ADDR, be32(1), be32(60)))])), ctx(SERVER, CLIENT)));
  assert.deepEqual(c.allBindings(), []);
});
