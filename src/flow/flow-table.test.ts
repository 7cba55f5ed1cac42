/** Flow table tests: direction, client detection, SYN details, idle expiry, eviction when full. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ip4, mac, tcpFrame, udpFrame, TCP } from '../synth/frames.js';
import { DecodedPacket } from '../decode/decoded-packet.js';
import { decodeFrame } from '../decode/link.js';
import { type FlowEndReason, FlowTable, INITIAL_FLOW_CAPACITY } from './flow-table.js';

const C = mac('00:09:fb:00:00:01');
const S = mac('00:1b:21:00:00:02');
const cip = ip4('10.0.0.10');
const sip = ip4('10.0.0.20');

interface Ended { i: number; reason: FlowEndReason; c2s: number; s2c: number; cport: number; sport: number; basis: string; state: string | null; syn: string | null }

function table(max?: number): { t: FlowTable; ended: Ended[]; feed: (frame: Uint8Array, ts: number) => void } {
  const ended: Ended[] = [];
  const t = new FlowTable((tb, i, reason) => {
    const v = tb.view(i);
    const c = v.clientSide;
    ended.push({
      i, reason,
      c2s: c === 0 ? v.pktsAB : v.pktsBA,
      s2c: c === 0 ? v.pktsBA : v.pktsAB,
      cport: c === 0 ? v.portA : v.portB,
      sport: c === 0 ? v.portB : v.portA,
      basis: tb.basis(i),
      state: tb.tcpState(i),
      syn: tb.syn(i, c)?.layout ?? null,
    });
  }, max);
  const p = new DecodedPacket();
  return { t, ended, feed: (f, ts) => { decodeFrame(f, 0, f.length, 1, p); t.update(p, f.length, ts); } };
}

const c2s = (flags: number, opts = false): Uint8Array => tcpFrame({ src: C, dst: S }, { src: cip, dst: sip }, { sport: 50000, dport: 2575, seq: 1, flags,
  options: opts ? [{ kind: 'mss', value: 1460 }, { kind: 'sackOk' }] : undefined });
const s2c = (flags: number): Uint8Array => tcpFrame({ src: S, dst: C }, { src: sip, dst: cip }, { sport: 2575, dport: 50000, seq: 1, flags });

test('a TCP connection is one flow, oriented by the SYN, with the SYN options kept', () => {
  const { t, ended, feed } = table();
  feed(s2c(TCP.ACK), 0); // a stray segment first: provisional client by ports/first packet
  feed(c2s(TCP.SYN, true), 1);
  feed(s2c(TCP.SYN | TCP.ACK), 2);
  feed(c2s(TCP.ACK), 3);
  feed(c2s(TCP.FIN | TCP.ACK), 4);
  feed(s2c(TCP.FIN | TCP.ACK), 5);
  t.flushAll();
  assert.equal(ended.length, 1);
  const e = ended[0]!;
  // the builder pads the options with one EOL byte
  assert.deepEqual([e.cport, e.sport, e.c2s, e.s2c, e.basis, e.state, e.syn], [50000, 2575, 3, 3, 'syn', 'established_closed', 'mss,sok,eol+1']);
  assert.equal(t.created, 1);
});

test('without a handshake the well-known port is the server', () => {
  const { t, ended, feed } = table();
  feed(udpFrame({ src: S, dst: C }, { src: sip, dst: cip }, 53, 40000, new Uint8Array(10)), 0);
  t.flushAll();
  assert.equal(ended[0]!.sport, 53);
  assert.equal(ended[0]!.basis, 'port');
});

test('idle flows expire by capture time; closed ones sooner', () => {
  const { t, ended, feed } = table();
  feed(udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, 40000, 514, new Uint8Array(10)), 0);
  feed(c2s(TCP.SYN), 0);
  feed(c2s(TCP.RST), 1e6);
  feed(udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, 40001, 514, new Uint8Array(10)), 30e6); // sweep: closed TCP > 15 s idle
  assert.deepEqual(ended.map((e) => e.reason), ['closed']);
  feed(udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, 40002, 514, new Uint8Array(10)), 70e6); // the first UDP flow is > 60 s idle
  assert.deepEqual(ended.map((e) => e.reason), ['closed', 'idle']);
  assert.equal(t.liveCount, 2);
});

test('a full table evicts the least recently seen flow and keeps counting', () => {
  const { t, ended, feed } = table(8);
  for (let i = 0; i < 100; i++) feed(udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, 1024 + i, 9, new Uint8Array(1)), i);
  assert.equal(t.liveCount, 8);
  assert.equal(t.evictedFull, 92);
  assert.ok(ended.every((e) => e.reason === 'table_full'));
  t.flushAll();
  assert.equal(ended.length, 100);
  assert.equal(new Set(ended.map((e) => e.cport)).size, 100);
});

test('index stays consistent under heavy churn (backward-shift deletion)', () => {
  const { t, ended, feed } = table(64);
  let seed = 1;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) % n);
  const live = new Map<number, number>();
  for (let i = 0; i < 5000; i++) {
    const port = 1024 + rnd(200);
    feed(udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, port, 9, new Uint8Array(1)), i);
    live.set(port, (live.get(port) ?? 0) + 1);
  }
  t.flushAll();
  const total = new Map<number, number>();
  for (const e of ended) total.set(e.cport, (total.get(e.cport) ?? 0) + e.c2s);
  assert.deepEqual([...total.entries()].sort((a, b) => a[0] - b[0]), [...live.entries()].sort((a, b) => a[0] - b[0]));
});

test('the storage grows past its initial capacity: flows keep their slots and counts, slots are taken in order', () => {
  const n = 2 * INITIAL_FLOW_CAPACITY + 7;
  const max = 2 * INITIAL_FLOW_CAPACITY + 3; // grows twice, then evicts
  const { t, ended } = table(max);
  const p = new DecodedPacket();
  const ids: number[] = [];
  const send = (i: number, ts: number): number => {
    const f = udpFrame({ src: C, dst: S }, { src: cip, dst: sip }, 1024 + i, 53, new Uint8Array(4));
    decodeFrame(f, 0, f.length, 1, p);
    return t.update(p, f.length, ts);
  };
  for (let i = 0; i < max; i++) ids.push(send(i, 1000 + i));
  assert.deepEqual(ids, ids.map((_, i) => i)); // taken in increasing order, as when all are allocated at once
  for (let i = 0; i < max; i++) assert.equal(send(i, 1000 + max + i), i); // found again after the index was rebuilt
  for (let i = 0; i < max; i++) assert.equal(t.view(i).pktsAB + t.view(i).pktsBA, 2);
  for (let i = max; i < n; i++) send(i, 1000 + 2 * max + i); // full: the least recently seen of a sample goes
  assert.equal(t.evictedFull, n - max);
  assert.equal(t.liveCount, max);
  assert.ok(ended.every((e) => e.reason === 'table_full'));
});
