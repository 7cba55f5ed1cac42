// Purpose: unit tests for the frame builders: known checksum vectors, independent checksum re-computation,
// header layouts, session seq/ack bookkeeping, and (when tshark is installed) dissection without warnings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arpFrame, dhcpMessage, dnsQuery, dnsResponse, DNS_TYPE, encodeTcpOptions, icmpEchoFrame, icmpv6Frame, ip4, ip6,
  ipPacket, ipv4FragmentFrames, ipv6MulticastMac, lldpFrame, mac, ndpSolicitBody, solicitedNode, TCP, tcpFrame,
  tcpSession, tcpSynOptions, udpDatagram, udpExchange, udpFrame, BROADCAST_MAC,
} from './frames.js';
import { openPcapWriter } from './pcap-writer.js';

/** Independent RFC 1071 sum used to validate builder output. */
function ones(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) + (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** Checksum over pseudo-header + L4 bytes (checksum field included) must fold to 0xffff. */
function l4Valid(src: Uint8Array, dst: Uint8Array, proto: number, l4: Uint8Array): boolean {
  const ph = src.length === 4 ? new Uint8Array(12) : new Uint8Array(40);
  ph.set(src, 0);
  ph.set(dst, src.length);
  const dv = new DataView(ph.buffer);
  if (src.length === 4) {
    ph[9] = proto;
    dv.setUint16(10, l4.length);
  } else {
    dv.setUint32(32, l4.length);
    ph[39] = proto;
  }
  const all = new Uint8Array(ph.length + l4.length + (l4.length % 2));
  all.set(ph);
  all.set(l4, ph.length);
  return ones(all) === 0xffff;
}

const A = mac('00:09:fb:01:02:03');
const B = mac('f8:c6:78:0a:0b:0c');

test('IPv4 header checksum matches the classic hand-computed vector (0xb861)', () => {
  const pkt = ipPacket({ src: ip4('192.168.0.1'), dst: ip4('192.168.0.199'), ttl: 64, id: 0, df: true }, 17, new Uint8Array(0x73 - 20));
  assert.deepEqual(Array.from(pkt.subarray(0, 20)), [
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
  ]);
});

test('Ethernet with 802.1Q and QinQ tags, padding to 60 bytes', () => {
  const one = udpFrame({ src: A, dst: B, vlans: [{ id: 10, pcp: 5 }] }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, 1, 2, new Uint8Array(0));
  assert.equal(one.length, 60);
  assert.deepEqual(Array.from(one.subarray(12, 18)), [0x81, 0x00, 0xa0, 0x0a, 0x08, 0x00]);
  const two = udpFrame({ src: A, dst: B, vlans: [100, 20] }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, 1, 2, new Uint8Array(0));
  assert.deepEqual(Array.from(two.subarray(12, 22)), [0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00]);
  const unpadded = udpFrame({ src: A, dst: B, pad: false }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, 1, 2, new Uint8Array(0));
  assert.equal(unpadded.length, 42);
});

test('TCP checksum validates over IPv4 and IPv6 pseudo-headers', () => {
  for (const [src, dst] of [
    [ip4('10.10.0.21'), ip4('10.10.0.10')],
    [ip6('2001:db8::1'), ip6('2001:db8:1::abcd')],
  ] as const) {
    const payload = Uint8Array.from({ length: 333 }, (_, i) => (i * 7) & 0xff);
    const f = tcpFrame({ src: A, dst: B }, { src, dst }, { sport: 40000, dport: 104, seq: 0xfffffff0, ack: 5, flags: TCP.PSH | TCP.ACK }, payload);
    const l3 = 14;
    const ihl = src.length === 4 ? 20 : 40;
    const l4 = f.subarray(l3 + ihl);
    assert.ok(l4Valid(src, dst, 6, l4), 'tcp checksum');
    if (src.length === 4) assert.equal(ones(f.subarray(l3, l3 + 20)), 0xffff, 'ip checksum');
    else assert.equal((f[l3 + 4]! << 8) | f[l3 + 5]!, l4.length);
  }
});

test('UDP and ICMPv6 checksums validate; UDP zero checksum is sent as 0xffff', () => {
  const src = ip6('fe80::209:fbff:fe01:203');
  const dst = ip6('fe80::1');
  const u = udpDatagram(src, dst, 546, 547, Uint8Array.of(1, 2, 3));
  assert.ok(l4Valid(src, dst, 17, u));
  const f = icmpEchoFrame({ src: A, dst: B }, { src, dst }, { id: 1, seq: 2, data: new Uint8Array(7).fill(9) });
  assert.ok(l4Valid(src, dst, 58, f.subarray(54)));
  assert.equal(f[54], 128);
  const v4 = icmpEchoFrame({ src: A, dst: B }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, { reply: true, id: 1, seq: 2, data: new Uint8Array(32) });
  assert.equal(v4[34], 0);
  assert.equal(ones(v4.subarray(34, 34 + 40)), 0xffff);
});

test('TCP SYN option orders follow OS profiles', () => {
  const linux = encodeTcpOptions(tcpSynOptions('linux', { mss: 1460, ws: 7, ts: { val: 1, ecr: 0 } }));
  assert.deepEqual(Array.from(linux.subarray(0, 8)), [2, 4, 0x05, 0xb4, 4, 2, 8, 10]);
  assert.deepEqual(Array.from(linux.subarray(16)), [1, 3, 3, 7]);
  const win = encodeTcpOptions(tcpSynOptions('windows', { mss: 1460, ws: 8 }));
  assert.deepEqual(Array.from(win), [2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2]);
});

test('IPv4 fragments share an id, carry MF and 8-byte offsets', () => {
  const src = ip4('10.0.0.1');
  const dst = ip4('10.0.0.2');
  const l4 = udpDatagram(src, dst, 514, 514, new Uint8Array(3000).fill(65));
  const frags = ipv4FragmentFrames({ src: A, dst: B }, { src, dst, id: 0x1234 }, 17, l4, 1500);
  assert.equal(frags.length, 3);
  const fo = (f: Uint8Array) => ((f[20]! << 8) | f[21]!);
  assert.deepEqual(frags.map(fo), [0x2000, 0x2000 | 185, 370]);
  for (const f of frags) assert.equal(ones(f.subarray(14, 34)), 0xffff);
});

test('tcpSession: handshake, seq/ack continuity and teardown', () => {
  const frames = tcpSession({
    client: { mac: A, ip: ip4('10.10.0.60'), port: 50000, os: 'linux', isn: 1000 },
    server: { mac: B, ip: ip4('10.10.0.100'), port: 104, os: 'windows', isn: 9000 },
    start: 1_000_000,
    exchanges: [{ request: new Uint8Array(3000), response: new Uint8Array(10) }],
  });
  const tcp = frames.map(({ frame }) => {
    const o = 34;
    const dv = new DataView(frame.buffer, frame.byteOffset);
    const ipLen = dv.getUint16(16);
    const hl = (frame[o + 12]! >> 4) * 4;
    return { sport: dv.getUint16(o), seq: dv.getUint32(o + 4), ack: dv.getUint32(o + 8), flags: frame[o + 13]!, len: ipLen - 20 - hl };
  });
  assert.equal(tcp[0]!.flags, TCP.SYN);
  assert.equal(tcp[1]!.flags, TCP.SYN | TCP.ACK);
  assert.equal(tcp[1]!.ack, 1001);
  assert.equal(tcp[2]!.flags, TCP.ACK);
  assert.ok(frames.every((f, i) => i === 0 || f.ts >= frames[i - 1]!.ts));
  const next = new Map<number, number>([[50000, 1000], [104, 9000]]);
  for (const t of tcp) {
    assert.equal(t.seq, next.get(t.sport), 'seq continues');
    next.set(t.sport, t.seq + t.len + (t.flags & (TCP.SYN | TCP.FIN) ? 1 : 0));
  }
  const last = tcp[tcp.length - 1]!;
  assert.equal(last.flags, TCP.ACK);
  assert.equal(tcp[tcp.length - 3]!.flags, TCP.FIN | TCP.ACK);
  const refused = tcpSession({ client: { mac: A, ip: ip4('1.1.1.1'), port: 1 }, server: { mac: B, ip: ip4('2.2.2.2'), port: 2 }, start: 0, exchanges: [], refused: true });
  assert.equal(refused.length, 2);
  assert.equal(refused[1]!.frame[47], TCP.RST | TCP.ACK);
});

test('DNS message layout and name compression', () => {
  const q = dnsQuery(0xbeef, 'pacs.hospital.example', DNS_TYPE.A);
  assert.deepEqual(Array.from(q.subarray(0, 12)), [0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const r = dnsResponse(0xbeef, 'pacs.hospital.example', DNS_TYPE.A, [{ name: 'pacs.hospital.example', type: DNS_TYPE.A, ttl: 300, data: ip4('10.10.0.100') }]);
  assert.equal(r[2], 0x81);
  assert.equal(r[3], 0x80);
  const answerAt = q.length;
  assert.deepEqual(Array.from(r.subarray(answerAt, answerAt + 2)), [0xc0, 0x0c]);
  assert.deepEqual(Array.from(r.subarray(r.length - 4)), [10, 10, 0, 100]);
});

test('DHCP message has BOOTP fields, cookie, options and END', () => {
  const m = dhcpMessage({ type: 'discover', xid: 0x11223344, clientMac: B, hostname: 'pump-01', vendorClass: 'synthetic', paramList: [1, 3, 6] });
  assert.equal(m.length, 300);
  assert.equal(m[0], 1);
  assert.deepEqual(Array.from(m.subarray(236, 243)), [0x63, 0x82, 0x53, 0x63, 53, 1, 1]);
  assert.deepEqual(Array.from(m.subarray(243, 252)), [61, 7, 1, ...B]);
});

test('LLDP and ARP frame layouts', () => {
  const l = lldpFrame({ src: A, chassisMac: A, portId: 'Gi1/0/1', ttl: 120, systemName: 'sw1' });
  assert.deepEqual(Array.from(l.subarray(0, 6)), [1, 0x80, 0xc2, 0, 0, 0x0e]);
  assert.deepEqual(Array.from(l.subarray(12, 17)), [0x88, 0xcc, 0x02, 0x07, 4]);
  const a = arpFrame({ op: 'request', senderMac: A, senderIp: ip4('10.0.0.5'), targetIp: ip4('10.0.0.1') });
  assert.deepEqual(Array.from(a.subarray(0, 6)), Array.from(BROADCAST_MAC));
  assert.deepEqual(Array.from(a.subarray(12, 22)), [8, 6, 0, 1, 8, 0, 6, 4, 0, 1]);
});

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;

test('tshark dissects every builder output without warnings or bad checksums', { skip: !tshark && 'tshark not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-frames-'));
  try {
    const path = join(dir, 'all.pcap');
    const w = openPcapWriter(path);
    let ts = Date.UTC(2026, 2, 2, 8) * 1000;
    const put = (f: Uint8Array): void => w.write((ts += 1000), f);
    const v4a = ip4('10.10.0.21');
    const v4b = ip4('10.10.0.10');
    const six = ip6('fe80::209:fbff:fe01:203');
    for (const f of tcpSession({
      client: { mac: A, ip: v4a, port: 51000, os: 'windows' },
      server: { mac: B, ip: v4b, port: 8080, os: 'linux' },
      vlans: [10],
      start: (ts += 1000),
      exchanges: [{ request: new Uint8Array(2000).fill(1), response: new Uint8Array(5000).fill(2) }],
    })) put(f.frame);
    for (const f of udpExchange({ client: { mac: A, ip: v4a, port: 53000 }, server: { mac: B, ip: v4b, port: 53 }, vlans: [100, 10], start: ts, exchanges: [{ request: dnsQuery(7, 'pacs.example', DNS_TYPE.A), response: dnsResponse(7, 'pacs.example', DNS_TYPE.A, [{ name: 'pacs.example', type: DNS_TYPE.CNAME, ttl: 60, data: 'srv.pacs.example' }, { name: 'srv.pacs.example', type: DNS_TYPE.A, ttl: 60, data: v4b }]) }] })) put(f.frame);
    put(dhcpFrame());
    put(arpFrame({ op: 'request', senderMac: A, senderIp: v4a, targetIp: v4b, vlans: [10] }));
    put(arpFrame({ op: 'reply', senderMac: B, senderIp: v4b, targetMac: A, targetIp: v4a, vlans: [10] }));
    put(lldpFrame({ src: A, chassisMac: A, portId: 'Gi1/0/1', ttl: 120, portDescription: 'uplink', systemName: 'sw1', systemDescription: 'synthetic switch', capabilities: { system: 0x14, enabled: 0x04 }, mgmtIp: v4b }));
    put(icmpEchoFrame({ src: A, dst: B }, { src: v4a, dst: v4b }, { id: 1, seq: 1, data: new Uint8Array(56) }));
    put(icmpEchoFrame({ src: A, dst: B }, { src: six, dst: ip6('fe80::1') }, { id: 1, seq: 1, data: new Uint8Array(56) }));
    const target = ip6('fe80::1');
    put(icmpv6Frame({ src: A, dst: ipv6MulticastMac(solicitedNode(target)) }, { src: six, dst: solicitedNode(target), ttl: 255 }, 135, 0, ndpSolicitBody(target, A)));
    for (const f of ipv4FragmentFrames({ src: A, dst: B }, { src: v4a, dst: v4b, id: 77 }, 17, udpDatagram(v4a, v4b, 5000, 5001, new Uint8Array(4000).fill(3)))) put(f);
    w.close();
    const r = spawnSync('tshark', ['-r', path, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-Y', '_ws.malformed || _ws.expert.severity >= 6291456'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '', `tshark flagged frames:\n${r.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  function dhcpFrame(): Uint8Array {
    const msg = dhcpMessage({ type: 'request', xid: 42, clientMac: B, secs: 3, broadcast: true, hostname: 'pump-01', vendorClass: 'synthetic', paramList: [1, 3, 6, 15, 51, 54], requestedIp: ip4('10.10.0.41'), serverId: ip4('10.20.0.5') });
    return udpFrame({ src: B, dst: BROADCAST_MAC, vlans: [10] }, { src: ip4('0.0.0.0'), dst: ip4('255.255.255.255'), df: false, ttl: 64 }, 68, 67, msg);
  }
});
