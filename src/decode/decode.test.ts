/** Decoder tests: frames built by src/synth (wire-correct, checked by tshark) and hand-made malformed bytes. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { arpFrame, ip4, ip6, mac, tcpFrame, udpFrame, TCP, ethernetFrame, ipPacket, udpDatagram } from '../synth/frames.js';
import { Anomaly, ANOMALY_NAMES } from './anomalies.js';
import { DecodedPacket, Inner } from './decoded-packet.js';
import { decodeFrame, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from './link.js';
import { ipToString, macToString } from './address.js';
import { parseTcpOptions } from './transport.js';
import { tcpHeaderQuirks } from './syn-quirks.js';

const A = mac('00:09:fb:12:34:56'); // Philips Medical Systems OUI
const B = mac('00:1b:21:aa:bb:cc');

function decode(frame: Uint8Array, lt = LINKTYPE_ETHERNET): DecodedPacket {
  const p = new DecodedPacket();
  decodeFrame(frame, 0, frame.length, lt, p);
  return p;
}

test('Ethernet + QinQ + IPv4 + TCP SYN with options', () => {
  const f = tcpFrame({ src: A, dst: B, vlans: [100, 20] }, { src: ip4('10.1.2.3'), dst: ip4('10.9.8.7'), ttl: 128, id: 77 },
    { sport: 49152, dport: 104, seq: 1000, flags: TCP.SYN, window: 64240,
      options: [{ kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'ws', shift: 8 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sackOk' }] });
  const p = decode(f);
  assert.equal(p.anomaly, 0);
  assert.equal(macToString(p.srcMac), '00:09:fb:12:34:56');
  assert.equal(macToString(p.dstMac), '00:1b:21:aa:bb:cc');
  assert.equal(p.vlan, 100);
  assert.equal(p.innerVlan, 20);
  assert.equal(p.ipVersion, 4);
  assert.equal(ipToString(4, p.src6), '10.1.2.3');
  assert.equal(ipToString(4, p.dst6), '10.9.8.7');
  assert.equal(p.ttl, 128);
  assert.equal(p.ipId, 77);
  assert.equal(p.l4Proto, 6);
  assert.equal(p.srcPort, 49152);
  assert.equal(p.dstPort, 104);
  assert.equal(p.tcpFlags, TCP.SYN);
  assert.equal(p.tcpWindow, 64240);
  assert.equal(p.payloadLen, 0);
  const o = parseTcpOptions(f, p.tcpOptOff, p.tcpOptLen);
  assert.equal(o.layout, 'mss,nop,ws,nop,nop,sok');
  assert.equal(o.mss, 1460);
  assert.equal(o.wscale, 8);
  assert.equal(o.sack_ok, true);
  assert.equal(o.malformed, false);
});

test('IPv6 + UDP, payload length from the IP header (Ethernet padding excluded)', () => {
  const f = udpFrame({ src: A, dst: B }, { src: ip6('2001:db8::1'), dst: ip6('fe80::1:2') }, 5353, 53, new Uint8Array([1, 2, 3]));
  const p = decode(f);
  assert.equal(p.ipVersion, 6);
  assert.equal(ipToString(6, p.src6), '2001:db8::1');
  assert.equal(ipToString(6, p.dst6), 'fe80::1:2');
  assert.equal(p.l4Proto, 17);
  assert.equal(p.payloadLen, 3);
  const v4 = decode(udpFrame({ src: A, dst: B }, { src: ip4('1.2.3.4'), dst: ip4('5.6.7.8') }, 1, 2, new Uint8Array([9])));
  assert.equal(v4.payloadLen, 1); // the frame is padded to 60 bytes; the IPv4 total length wins
});

test('ARP request and reply', () => {
  const p = decode(arpFrame({ op: 'reply', senderMac: A, senderIp: ip4('10.0.0.5'), targetMac: B, targetIp: ip4('10.0.0.1') }));
  assert.equal(p.anomaly, 0);
  assert.equal(p.ipVersion, 0);
  assert.equal(p.arpOp, 2);
  assert.equal(macToString(p.arpSha), '00:09:fb:12:34:56');
  assert.equal(p.arpSpa, 0x0a000005);
  assert.equal(p.arpTpa, 0x0a000001);
});

test('802.3 LLC/SNAP frames: OUI, protocol id and payload bounded by the length field; LLDP after a VLAN tag', () => {
  const cdp = Uint8Array.from([
    0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, ...A, // destination (CDP multicast), source
    0x00, 0x0c, // 802.3 length: 12 bytes of LLC payload
    0xaa, 0xaa, 0x03, // LLC: DSAP SNAP, SSAP SNAP, UI
    0x00, 0x00, 0x0c, 0x20, 0x00, // SNAP: OUI 00-00-0C (Cisco), protocol id 0x2000 (CDP)
    0x02, 0xb4, 0x12, 0x34, // 4 bytes of payload
    ...new Array<number>(34).fill(0), // padding to 60 bytes: not payload
  ]);
  const p = decode(cdp);
  assert.equal(p.anomaly, 0);
  assert.equal(p.ethertype, 0);
  assert.equal(p.snapOui, 0x00000c);
  assert.equal(p.snapPid, 0x2000);
  assert.equal(p.l3Off, 22);
  assert.equal(p.linkEnd, 26);
  const stp = decode(Uint8Array.from([...cdp.subarray(0, 12), 0x00, 0x26, 0x42, 0x42, 0x03, ...new Array<number>(43).fill(0)])); // LLC SAP 0x42 (STP)
  assert.equal(stp.snapOui, -1);
  assert.equal(stp.l3Off, 14);
  assert.equal(stp.linkEnd, 14 + 0x26);
  const lldpFrame = ethernetFrame({ src: A, dst: B, vlans: [7] }, 0x88cc, Uint8Array.from([0x02, 0x01, 0x04, 0x00, 0x00]));
  const lldp = decode(lldpFrame);
  assert.equal(lldp.ethertype, 0x88cc);
  assert.equal(lldp.vlan, 7);
  assert.equal(lldp.snapOui, -1);
  assert.equal(lldp.l3Off, 18);
  assert.equal(lldp.linkEnd, lldpFrame.length); // Ethernet II has no length field: the padding stays (LLDP ends at its End TLV)
  // Linux cooked capture, protocol 0x0004 (802.2 LLC): the same LLC/SNAP header is read.
  const sll = Uint8Array.from([0, 0, 0, 1, 0, 6, ...A, 0, 0, 0x00, 0x04, ...cdp.subarray(14, 26)]);
  const q = decode(sll, LINKTYPE_LINUX_SLL);
  assert.equal(q.snapPid, 0x2000);
  assert.equal(q.l3Off, 24);
  assert.equal(q.linkEnd, 28);
});

test('IPv4 fragments: first carries ports, later ones are flagged without a transport header', () => {
  const frag2 = ethernetFrame({ src: A, dst: B }, 0x0800, ipPacket({ src: ip4('10.0.0.1'), dst: ip4('10.0.0.2'), id: 9, fragOffset: 1480 }, 17, new Uint8Array(40)));
  const p = decode(frag2);
  assert.equal(p.isFragment, true);
  assert.equal(p.fragOffset, 1480);
  assert.equal(p.hasL4, false);
});

test('Linux SLL, SLL2, raw IP and BSD loopback link types', () => {
  const ipv4 = ipPacket({ src: ip4('192.168.1.1'), dst: ip4('192.168.1.2') }, 17, udpDatagram(ip4('192.168.1.1'), ip4('192.168.1.2'), 1000, 2000, new Uint8Array(4)));
  const sll = new Uint8Array(16 + ipv4.length);
  sll.set([0, 0, 0, 1, 0, 6, ...A, 0, 0, 0x08, 0x00]); // packet type, ARPHRD_ETHER, addr len 6, addr (8 bytes), protocol IPv4
  sll.set(ipv4, 16);
  const p1 = decode(sll, LINKTYPE_LINUX_SLL);
  assert.equal(p1.anomaly, 0);
  assert.equal(p1.hasSrcMac, true);
  assert.equal(macToString(p1.srcMac), '00:09:fb:12:34:56');
  assert.equal(p1.srcPort, 1000);
  const sll2 = new Uint8Array(20 + ipv4.length);
  sll2.set([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, ...A, 0, 0]); // protocol, reserved, ifindex, ARPHRD_ETHER, pkttype, addr len, addr
  sll2.set(ipv4, 20);
  const p2 = decode(sll2, LINKTYPE_LINUX_SLL2);
  assert.equal(p2.dstPort, 2000);
  assert.equal(macToString(p2.srcMac), '00:09:fb:12:34:56');
  assert.equal(decode(ipv4, LINKTYPE_RAW).dstPort, 2000);
  const nul = new Uint8Array(4 + ipv4.length);
  nul.set([2, 0, 0, 0]); // AF_INET, little-endian host
  nul.set(ipv4, 4);
  assert.equal(decode(nul, LINKTYPE_NULL).dstPort, 2000);
});

test('GRE and VXLAN payloads are marked for inner decoding', () => {
  const inner = ipPacket({ src: ip4('172.16.0.1'), dst: ip4('172.16.0.2') }, 17, udpDatagram(ip4('172.16.0.1'), ip4('172.16.0.2'), 5, 6, new Uint8Array(2)));
  const gre = new Uint8Array(4 + inner.length);
  gre.set([0, 0, 0x08, 0x00]); // no flags, version 0, protocol IPv4
  gre.set(inner, 4);
  const p = decode(ethernetFrame({ src: A, dst: B }, 0x0800, ipPacket({ src: ip4('1.1.1.1'), dst: ip4('2.2.2.2') }, 47, gre)));
  assert.equal(p.inner, Inner.Ip);
  const vx = new Uint8Array(8 + 14 + inner.length);
  vx.set([0x08, 0, 0, 0, 0, 0, 1, 0]); // flags I, VNI 1
  vx.set(ethernetFrame({ src: A, dst: B, pad: false }, 0x0800, inner), 8);
  const q = decode(udpFrame({ src: A, dst: B }, { src: ip4('1.1.1.1'), dst: ip4('2.2.2.2') }, 33333, 4789, vx));
  assert.equal(q.inner, Inner.Ethernet);
});

test('malformed headers are named anomalies, never exceptions', () => {
  assert.equal(decode(new Uint8Array(10)).anomaly, Anomaly.TruncatedEthernet);
  const f = tcpFrame({ src: A, dst: B }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, { sport: 1, dport: 2, seq: 0, flags: TCP.ACK });
  const badIhl = f.slice();
  badIhl[14] = 0x43; // version 4, IHL 3
  assert.equal(ANOMALY_NAMES[decode(badIhl).anomaly], 'ipv4_bad_header_length');
  const badOff = f.slice();
  badOff[14 + 20 + 12] = 0x20; // TCP data offset 2 words
  assert.equal(ANOMALY_NAMES[decode(badOff).anomaly], 'tcp_bad_data_offset');
  assert.equal(ANOMALY_NAMES[decode(f.subarray(0, 14 + 20 + 10)).anomaly], 'truncated_tcp_header');
  const p = new DecodedPacket();
  assert.equal(decodeFrame(f, 0, f.length, 9999, p), false);
  assert.equal(ANOMALY_NAMES[p.anomaly], 'unknown_link_type');
});

test('random bytes on every link type never throw', () => {
  let seed = 7;
  const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 24;
  const p = new DecodedPacket();
  const base = tcpFrame({ src: A, dst: B, vlans: [5] }, { src: ip4('10.0.0.1'), dst: ip4('10.0.0.2') }, { sport: 1, dport: 2, seq: 0, flags: TCP.SYN, options: [{ kind: 'mss', value: 1 }] });
  for (let i = 0; i < 20000; i++) {
    const len = rnd() % 120;
    const b = new Uint8Array(len);
    // half the cases mutate a valid frame (deeper coverage), half are pure noise
    if (i % 2) b.set(base.subarray(0, len));
    for (let k = 0; k < len; k++) if (!(i % 2) || rnd() < 16) b[k] = rnd();
    for (const lt of [0, 1, 12, 101, 108, 113, 228, 229, 276]) {
      decodeFrame(b, 0, len, lt, p);
      if (p.hasL4 && p.l4Proto === 6 && p.tcpOptLen > 0) parseTcpOptions(b, p.tcpOptOff, p.tcpOptLen);
      if (p.hasL4 && p.l4Proto === 6) {
        // tcpHeaderQuirks reads the fixed IP and TCP headers only: both must lie inside the frame.
        assert.ok(p.ipOff + (p.ipVersion === 4 ? 20 : 40) <= len && p.tcpOptOff <= len && p.tcpOptOff - 20 >= p.ipOff);
        tcpHeaderQuirks(p);
      }
      assert.ok(p.anomaly >= 0 && p.anomaly < ANOMALY_NAMES.length);
    }
  }
});
