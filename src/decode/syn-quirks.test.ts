/**
 * Tests of the SYN / SYN-ACK quirks (p0f v3 README §5 names) from frames built by src/synth, with single header bits
 * flipped where the builder has no knob: IP header quirks, TCP header quirks, option quirks, and their assembly in
 * the flow table (ts2+ only on a SYN; the stored text form keeps them).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ip4, ip6, mac, tcpFrame, TCP, type IpSpec, type TcpHeader, type TcpOption } from '../synth/frames.js';
import { DecodedPacket } from './decoded-packet.js';
import { decodeFrame } from './link.js';
import { tcpHeaderQuirks } from './syn-quirks.js';
import { parseTcpOptions } from './transport.js';
import { FlowTable, synFromText, synToText, type SynInfo } from '../flow/flow-table.js';

const A = mac('00:09:fb:00:00:01');
const B = mac('00:1b:21:00:00:02');
const ETH = 14;
const MSS: TcpOption = { kind: 'mss', value: 1460 };

function frame(ip: Partial<IpSpec> = {}, h: Partial<TcpHeader> = {}): Uint8Array {
  const v6 = ip.src?.length === 16;
  return tcpFrame({ src: A, dst: B }, { src: v6 ? ip.src! : ip4('10.0.0.1'), dst: v6 ? ip6('2001:db8::2') : ip4('10.0.0.2'), id: 7, ...ip },
    { sport: 40000, dport: 80, seq: 1000, flags: TCP.SYN, options: [MSS], ...h });
}

function decode(f: Uint8Array): DecodedPacket {
  const p = new DecodedPacket();
  decodeFrame(f, 0, f.length, 1, p);
  assert.equal(p.anomaly, 0);
  return p;
}

const quirks = (f: Uint8Array): string => tcpHeaderQuirks(decode(f));

test('IPv4 header quirks: df, id+, id-, ecn, 0+', () => {
  assert.equal(quirks(frame()), 'df,id+');
  assert.equal(quirks(frame({ id: 0 })), 'df');
  assert.equal(quirks(frame({ df: false })), '');
  assert.equal(quirks(frame({ df: false, id: 0 })), 'id-');
  assert.equal(quirks(frame({ tos: 0x02 })), 'df,id+,ecn'); // ECT(0) codepoint
  const f = frame();
  f[ETH + 6]! |= 0x80; // the reserved ("evil") flag bit of RFC 791
  assert.equal(quirks(f), 'df,id+,0+');
});

test('IPv6 header quirks: flow label and ECN in the traffic class; no IPv4 quirk', () => {
  assert.equal(quirks(frame({ src: ip6('2001:db8::1') })), '');
  assert.equal(quirks(frame({ src: ip6('2001:db8::1'), flowLabel: 0x12345 })), 'flow');
  assert.equal(quirks(frame({ src: ip6('2001:db8::1'), tos: 0x01 })), 'ecn'); // ECT(1)
});

test('TCP header quirks: ECN flags, seq-, ack+, ack-, uptr+, urgf+, pushf+', () => {
  assert.equal(quirks(frame({}, { flags: TCP.SYN | TCP.ECE | TCP.CWR })), 'df,id+,ecn');
  assert.equal(quirks(frame({}, { seq: 0 })), 'df,id+,seq-');
  assert.equal(quirks(frame({}, { ack: 5 })), 'df,id+,ack+');
  assert.equal(quirks(frame({}, { flags: TCP.SYN | TCP.ACK, ack: 0 })), 'df,id+,ack-');
  assert.equal(quirks(frame({}, { flags: TCP.SYN | TCP.ACK, ack: 1 })), 'df,id+');
  assert.equal(quirks(frame({}, { urgent: 9 })), 'df,id+,uptr+');
  assert.equal(quirks(frame({}, { flags: TCP.SYN | TCP.URG, urgent: 9 })), 'df,id+,urgf+');
  assert.equal(quirks(frame({}, { flags: TCP.SYN | TCP.PSH })), 'df,id+,pushf+');
});

test('option quirks: ts1-, ts2+, opt+, exws, bad', () => {
  const opts = (options: TcpOption[], edit?: (f: Uint8Array, o: number) => void): string => {
    const f = frame({}, { options });
    const p = decode(f);
    edit?.(f, p.tcpOptOff);
    return parseTcpOptions(f, p.tcpOptOff, p.tcpOptLen).quirks;
  };
  assert.equal(opts([MSS, { kind: 'ts', val: 0, ecr: 0 }]), 'ts1-');
  assert.equal(opts([MSS, { kind: 'ts', val: 7, ecr: 9 }]), 'ts2+');
  assert.equal(opts([MSS, { kind: 'ws', shift: 15 }]), 'exws');
  assert.equal(opts([MSS, { kind: 'ws', shift: 14 }]), '');
  // MSS, EOL, then padding: a non-zero padding byte is opt+.
  assert.equal(opts([MSS, { kind: 'eol' }]), '');
  assert.equal(opts([MSS, { kind: 'eol' }, { kind: 'nop' }, { kind: 'nop' }]), 'opt+');
  assert.equal(opts([MSS, { kind: 'ws', shift: 2 }], (f, o) => { f[o + 5] = 4; }), 'bad'); // window scale option of length 4
});

test('the flow table keeps every quirk, drops ts2+ from a SYN-ACK, and stores them in the text form', () => {
  let kept: (SynInfo | null)[] = [];
  const t = new FlowTable((tb, i) => { const c = tb.view(i).clientSide; kept = [tb.syn(i, c), tb.syn(i, 1 - c)]; });
  const p = new DecodedPacket();
  const feed = (f: Uint8Array, ts: number): void => { decodeFrame(f, 0, f.length, 1, p); t.update(p, f.length, ts); };
  const ts: TcpOption = { kind: 'ts', val: 7, ecr: 9 };
  feed(frame({}, { flags: TCP.SYN | TCP.PSH, options: [MSS, ts] }), 1);
  feed(tcpFrame({ src: B, dst: A }, { src: ip4('10.0.0.2'), dst: ip4('10.0.0.1'), id: 0, df: false },
    { sport: 80, dport: 40000, seq: 5, ack: 1001, flags: TCP.SYN | TCP.ACK, options: [MSS, ts] }), 2);
  t.flushAll();
  const [syn, synAck] = kept;
  assert.equal(syn?.quirks, 'df,id+,pushf+,ts2+');
  assert.equal(synAck?.quirks, 'id-');
  assert.equal(syn?.ip_olen, 0);
  assert.deepEqual(synFromText(synToText(syn!)), syn);
  // Rows stored before the quirks field existed read back with none.
  assert.deepEqual([synFromText('4:64:5840:1460:7:mss:s::0').quirks, synFromText('4:64:5840:1460:7:mss:s::0').ip_olen], ['', 0]);
});
