import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../synth/prng.js';
import { DirectionAssembler, MAX_HELD_BYTES_PER_DIRECTION, ReassemblyBudget, type StreamSink } from './tcp-reassembly.js';

/** A sink that records what it was given: bytes as text, gaps as `<gap N>`. */
class Recorder implements StreamSink {
  readonly parts: string[] = [];
  readonly views: Uint8Array[] = [];
  bytes: number[] = [];
  data(b: Uint8Array, off: number, len: number): void {
    this.views.push(b);
    this.parts.push(Buffer.from(b.subarray(off, off + len)).toString('latin1'));
    for (let i = 0; i < len; i++) this.bytes.push(b[off + i]!);
  }
  gap(missing: number): void {
    this.parts.push(`<gap ${missing}>`);
  }
  get text(): string {
    return this.parts.join('');
  }
}

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

function setup(isn = 1000): { r: Recorder; a: DirectionAssembler; budget: ReassemblyBudget; seg: (rel: number, s: string) => void } {
  const r = new Recorder();
  const budget = new ReassemblyBudget();
  const a = new DirectionAssembler(r, budget);
  a.syn(isn);
  const seg = (rel: number, s: string): void => {
    // payload placed inside a larger "packet" to check offsets are honoured
    const pkt = enc(`HDR${s}TRAILER`);
    a.segment((isn + 1 + rel) >>> 0, pkt, 3, s.length, 0);
  };
  return { r, a, budget, seg };
}

test('in-order segments are delivered as views of the packet, without copying', () => {
  const r = new Recorder();
  const a = new DirectionAssembler(r, new ReassemblyBudget());
  a.syn(41);
  const pkt = enc('xxhello');
  a.segment(42, pkt, 2, 5, 1);
  assert.equal(r.text, 'hello');
  assert.equal(r.views[0], pkt);
  assert.equal(a.delivered, 5);
});

test('out-of-order segments are held and delivered in sequence order', () => {
  const { r, a, budget, seg } = setup();
  seg(6, 'world');
  seg(5, ' ');
  assert.equal(r.text, '');
  assert.ok(a.holding);
  seg(0, 'hello');
  assert.equal(r.text, 'hello world');
  assert.equal(a.holding, false);
  assert.equal(budget.held, 0);
});

test('retransmissions are dropped and partial repeats trimmed to their new bytes', () => {
  const { r, budget, seg } = setup();
  seg(0, 'abcd');
  seg(0, 'abcd');
  seg(2, 'cdef');
  assert.equal(r.text, 'abcdef');
  assert.equal(budget.retransmissions, 1);
});

test('held segments that overlap keep the first copy; different bytes are counted as a mismatch', () => {
  const { r, budget, seg } = setup();
  seg(4, 'EFGH');
  seg(2, 'CDxx'); // overlaps EF with different bytes
  seg(0, 'AB');
  assert.equal(r.text, 'ABCDEFGH');
  assert.equal(budget.overlapMismatches, 1);
  const b = setup();
  b.seg(4, 'EFGH');
  b.seg(2, 'CDEF'); // same bytes: no mismatch
  b.seg(0, 'AB');
  assert.equal(b.r.text, 'ABCDEFGH');
  assert.equal(b.budget.overlapMismatches, 0);
});

test('a segment spanning several held ones fills only the holes between them', () => {
  const { r, budget, seg } = setup();
  seg(2, 'C');
  seg(5, 'F');
  seg(1, 'BCDEFG');
  seg(0, 'A');
  assert.equal(r.text, 'ABCDEFG');
  assert.equal(budget.overlapMismatches, 0);
});

test('at the end of the connection held data is delivered after a reported gap', () => {
  const { r, a, budget, seg } = setup();
  seg(0, 'abc');
  seg(10, 'xyz');
  a.finish();
  assert.equal(r.text, 'abc<gap 7>xyz');
  assert.equal(budget.gaps, 1);
  assert.equal(budget.gapBytes, 7);
});

test('an acknowledgement beyond a hole means the bytes were lost: the gap is skipped at once', () => {
  const { r, a, seg } = setup();
  seg(0, 'abc');
  seg(10, 'xyz');
  a.acked(1000 + 1 + 5); // acks part of the hole only: the segment may still come
  assert.equal(r.text, 'abc');
  a.acked(1000 + 1 + 13);
  assert.equal(r.text, 'abc<gap 7>xyz');
});

test('sequence numbers wrap around 2^32', () => {
  const { r, seg } = setup(0xfffffffd);
  seg(4, 'EF');
  seg(0, 'ABCD');
  assert.equal(r.text, 'ABCDEF');
});

test('a stream picked up mid-connection starts at the first data seen', () => {
  const r = new Recorder();
  const a = new DirectionAssembler(r, new ReassemblyBudget());
  a.segment(5000, enc('later'), 0, 5, 0);
  a.segment(5005, enc('!'), 0, 1, 0);
  assert.equal(r.text, 'later!');
});

test('a segment implausibly far ahead is dropped', () => {
  const { r, budget, seg } = setup();
  seg(0x50000000, 'junk');
  seg(0, 'ok');
  assert.equal(r.text, 'ok');
  assert.equal(budget.implausible, 1);
});

test('the per-direction budget bounds held bytes: gaps are skipped and counted', () => {
  const { r, a, budget } = setup(0);
  const chunk = new Uint8Array(1000).fill(65);
  // never send the first 10 bytes; then far more than the budget, in order after the hole
  let rel = 10;
  for (let i = 0; i < (MAX_HELD_BYTES_PER_DIRECTION / 1000) * 2; i++) {
    a.segment(1 + rel, chunk, 0, chunk.length, 0);
    rel += chunk.length;
    assert.ok(budget.held <= MAX_HELD_BYTES_PER_DIRECTION + chunk.length);
  }
  assert.ok(budget.limitHits >= 1);
  assert.equal(budget.gaps, 1);
  assert.equal(r.parts[0], '<gap 10>');
  a.finish();
  assert.equal(budget.held, 0);
  assert.equal(a.delivered, rel - 10);
});

test('random segmentation, reordering, duplication and consistent overlaps reassemble the original bytes', () => {
  const rng = new Prng(7);
  for (let round = 0; round < 300; round++) {
    const n = rng.int(1, 3000);
    const original = Uint8Array.from({ length: n }, () => rng.int(0, 255));
    const isn = rng.int(0, 0xffffffff);
    // random segments covering [0, n), some overlapping, some duplicated
    const segs: [number, number][] = [];
    for (let pos = 0; pos < n; ) {
      const len = rng.int(1, 200);
      const back = rng.int(0, 3) === 0 ? rng.int(0, Math.min(pos, 50)) : 0;
      segs.push([pos - back, Math.min(len + back, n - pos + back)]);
      pos += len;
    }
    for (let d = rng.int(0, 5); d > 0; d--) segs.push(rng.pick(segs));
    for (let i = segs.length - 1; i > 0; i--) {
      if (rng.int(0, 2) === 0) continue; // partly shuffled
      const j = rng.int(0, i);
      [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    }
    const r = new Recorder();
    const budget = new ReassemblyBudget();
    const a = new DirectionAssembler(r, budget);
    a.syn(isn);
    for (const [s, l] of segs) a.segment((isn + 1 + s) >>> 0, original, s, l, 0);
    a.finish();
    assert.deepEqual(Uint8Array.from(r.bytes), original, `round ${round}`);
    assert.equal(budget.gaps, 0);
    assert.equal(budget.overlapMismatches, 0);
    assert.equal(budget.held, 0);
  }
});

test('a new SYN before any data restarts the stream; after data it is a new connection', () => {
  const r = new Recorder();
  const a = new DirectionAssembler(r, new ReassemblyBudget());
  a.syn(100);
  a.syn(5000); // the first attempt was reset; the client retries with a new initial sequence number
  a.segment(5001, enc('GET'), 0, 3, 0);
  assert.equal(r.text, 'GET');
  assert.equal(a.restartsWith(5000), false);
  assert.equal(a.restartsWith(9000), true);
});
