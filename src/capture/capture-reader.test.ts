/** Tests of the pcap/pcapng reader on hand-built byte streams (one comment per field). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { type ByteSource, CaptureReader } from './capture-reader.js';

/** A ByteSource over a buffer, delivering at most `step` bytes per read (to exercise chunk boundaries). */
function memSource(bytes: Buffer, step = 1 << 30, name = 'mem.pcap'): ByteSource {
  let pos = 0;
  return {
    name,
    size: bytes.length,
    read(buf, off, len) {
      const n = Math.min(len, step, bytes.length - pos);
      bytes.copy(buf, off, pos, pos + n);
      pos += n;
      return n;
    },
    close() {},
  };
}

function readAll(bytes: Buffer, step?: number, chunk?: number): { pkts: { ts: number; caplen: number; wirelen: number; lt: number; first: number; iface: number }[]; err: string | null; format: string | null } {
  const r = new CaptureReader(memSource(bytes, step), chunk);
  const pkts = [];
  while (r.next()) pkts.push({ ts: r.pkt.tsUs, caplen: r.pkt.caplen, wirelen: r.pkt.wirelen, lt: r.pkt.linktype, first: r.pkt.buf[r.pkt.off]!, iface: r.pkt.iface });
  return { pkts, err: r.error, format: r.format };
}

/** Classic pcap header + records. */
function pcap(le: boolean, nano: boolean, linktype: number, recs: { sec: number; frac: number; data: number[]; orig?: number }[]): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number): void => { if (le) b.writeUInt32LE(v, o); else b.writeUInt32BE(v, o); };
  const w16 = (b: Buffer, v: number, o: number): void => { if (le) b.writeUInt16LE(v, o); else b.writeUInt16BE(v, o); };
  w32(h, nano ? 0xa1b23c4d : 0xa1b2c3d4, 0); // magic
  w16(h, 2, 4); // version major
  w16(h, 4, 6); // version minor
  w32(h, 0, 8); // thiszone
  w32(h, 0, 12); // sigfigs
  w32(h, 65535, 16); // snaplen
  w32(h, linktype, 20); // network
  parts.push(h);
  for (const r of recs) {
    const rh = Buffer.alloc(16);
    w32(rh, r.sec, 0); // ts_sec
    w32(rh, r.frac, 4); // ts_usec / ts_nsec
    w32(rh, r.data.length, 8); // incl_len
    w32(rh, r.orig ?? r.data.length, 12); // orig_len
    parts.push(rh, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

test('pcap: microsecond little-endian and big-endian, nanosecond', () => {
  for (const le of [true, false]) {
    const b = pcap(le, false, 1, [{ sec: 1_700_000_000, frac: 123_456, data: [0xaa, 1, 2], orig: 60 }, { sec: 1_700_000_001, frac: 0, data: [0xbb] }]);
    const r = readAll(b);
    assert.equal(r.err, null);
    assert.equal(r.format, 'pcap');
    assert.deepEqual(r.pkts.map((p) => [p.ts, p.caplen, p.wirelen, p.lt, p.first]), [
      [1_700_000_000_123_456, 3, 60, 1, 0xaa],
      [1_700_000_001_000_000, 1, 1, 1, 0xbb],
    ]);
  }
  const n = readAll(pcap(true, true, 101, [{ sec: 10, frac: 999_999_000, data: [0x45] }]));
  assert.equal(n.pkts[0]!.ts, 10_999_999);
  assert.equal(n.pkts[0]!.lt, 101);
});

test('pcap: records split across reads and a small chunk buffer', () => {
  const recs = Array.from({ length: 200 }, (_, i) => ({ sec: i, frac: i, data: Array.from({ length: 1 + (i * 37) % 1500 }, () => i & 255) }));
  const b = pcap(true, false, 1, recs);
  const r = readAll(b, 333, 4096);
  assert.equal(r.err, null);
  assert.equal(r.pkts.length, 200);
  assert.deepEqual(r.pkts.map((p) => p.caplen), recs.map((x) => x.data.length));
  assert.ok(r.pkts.every((p, i) => p.first === (i & 255)));
});

test('pcap: truncated last record keeps the packets before it and names the offset', () => {
  const b = pcap(true, false, 1, [{ sec: 1, frac: 0, data: [1, 2, 3, 4] }, { sec: 2, frac: 0, data: [5, 6, 7, 8, 9, 10] }]);
  const cut = b.subarray(0, b.length - 2);
  const r = readAll(cut);
  assert.equal(r.pkts.length, 1);
  assert.match(r.err!, /^mem\.pcap: truncated record \(4 of 6 bytes\) at byte offset 44$/);
  const hdrCut = readAll(b.subarray(0, 24 + 16 + 4 + 5));
  assert.equal(hdrCut.pkts.length, 1);
  assert.match(hdrCut.err!, /truncated record header \(5 of 16 bytes\) at byte offset 44/);
});

test('pcap: corrupt record length and bad magic are clear errors', () => {
  const b = pcap(true, false, 1, [{ sec: 1, frac: 0, data: [1] }, { sec: 2, frac: 0, data: [2] }]);
  b.writeUInt32LE(0x7fffffff, 24 + 17 + 8); // second record's incl_len
  const r = readAll(b);
  assert.equal(r.pkts.length, 1);
  assert.match(r.err!, /corrupt record length 2147483647 \(limit 262144\) at byte offset 41/);
  const bad = readAll(Buffer.from('GIF89a........................'));
  assert.equal(bad.pkts.length, 0);
  assert.match(bad.err!, /not a pcap or pcapng capture \(bad magic 0x38464947\) at byte offset 0/);
  assert.match(readAll(Buffer.alloc(0)).err!, /empty capture/);
});

/** pcapng block helpers (little- or big-endian section). */
function block(le: boolean, type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  const w = (v: number, o: number): void => { if (le) b.writeUInt32LE(v, o); else b.writeUInt32BE(v, o); };
  w(type, 0); // block type
  w(len, 4); // block total length
  body.copy(b, 8); // body (padded)
  w(len, len - 4); // trailing block total length
  return b;
}
function u32s(le: boolean, ...v: number[]): Buffer {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => (le ? b.writeUInt32LE(x >>> 0, i * 4) : b.writeUInt32BE(x >>> 0, i * 4)));
  return b;
}
function shb(le: boolean): Buffer {
  const body = Buffer.concat([u32s(le, 0x1a2b3c4d), Buffer.from(le ? [1, 0, 0, 0] : [0, 1, 0, 0]), Buffer.alloc(8, 0xff)]); // BOM, version 1.0, section length -1
  return block(le, 0x0a0d0d0a, body);
}
function idb(le: boolean, linktype: number, tsresol?: number, tsoffsetSec?: number): Buffer {
  const head = Buffer.alloc(8);
  if (le) { head.writeUInt16LE(linktype, 0); head.writeUInt32LE(0, 4); } else { head.writeUInt16BE(linktype, 0); head.writeUInt32BE(0, 4); } // link type, reserved, snaplen 0
  const opts: Buffer[] = [];
  const opt = (code: number, val: Buffer): void => {
    const h = Buffer.alloc(4);
    if (le) { h.writeUInt16LE(code, 0); h.writeUInt16LE(val.length, 2); } else { h.writeUInt16BE(code, 0); h.writeUInt16BE(val.length, 2); }
    opts.push(h, val, Buffer.alloc((4 - (val.length % 4)) % 4));
  };
  if (tsresol !== undefined) opt(9, Buffer.from([tsresol])); // if_tsresol
  if (tsoffsetSec !== undefined) {
    const v = Buffer.alloc(8);
    if (le) v.writeBigUInt64LE(BigInt(tsoffsetSec)); else v.writeBigUInt64BE(BigInt(tsoffsetSec));
    opt(14, v); // if_tsoffset
  }
  if (opts.length) opts.push(Buffer.alloc(4)); // opt_endofopt
  return block(le, 1, Buffer.concat([head, ...opts]));
}
function epb(le: boolean, iface: number, ts: bigint, data: number[], orig?: number): Buffer {
  const hi = Number(ts >> 32n);
  const lo = Number(ts & 0xffffffffn);
  return block(le, 6, Buffer.concat([u32s(le, iface, hi, lo, data.length, orig ?? data.length), Buffer.from(data)]));
}

test('pcapng: two interfaces with their own link type and resolution, SPB, unknown blocks, two sections', () => {
  const b = Buffer.concat([
    shb(true),
    idb(true, 1), // interface 0: Ethernet, default µs
    idb(true, 101, 9, 100), // interface 1: raw IP, ns resolution, offset +100 s
    epb(true, 0, 1_600_000_000_000_001n, [0x11, 0x22]),
    block(true, 0x0bad, Buffer.alloc(20)), // unknown block: skipped
    epb(true, 1, 5_000_000_123n, [0x45], 1500), // 5.000000123 s + 100 s
    block(true, 3, Buffer.concat([u32s(true, 3), Buffer.from([0x33, 0x34, 0x35])])), // SPB on interface 0
    block(true, 5, Buffer.alloc(16)), // ISB: skipped
    shb(false), // a second, big-endian section resets the interfaces
    idb(false, 113, 0x80 | 20), // binary resolution 2^-20 s
    epb(false, 0, 3n << 20n, [0x66]), // 3 s
  ]);
  const r = readAll(b);
  assert.equal(r.err, null);
  assert.equal(r.format, 'pcapng');
  assert.deepEqual(r.pkts.map((p) => [p.ts, p.caplen, p.wirelen, p.lt, p.first, p.iface]), [
    [1_600_000_000_000_001, 2, 2, 1, 0x11, 0],
    [105_000_000.123, 1, 1500, 101, 0x45, 1],
    [105_000_000.123, 3, 3, 1, 0x33, 0], // SPB: no timestamp of its own, the last one seen
    [3_000_000, 1, 1, 113, 0x66, 0],
  ]);
});

test('pcapng: corrupt block length and truncated block', () => {
  const good = Buffer.concat([shb(true), idb(true, 1), epb(true, 0, 1n, [1, 2, 3, 4])]);
  const bad = Buffer.concat([good, epb(true, 0, 2n, [5])]);
  bad.writeUInt32LE(7, good.length + 4); // not a multiple of 4
  const r = readAll(bad);
  assert.equal(r.pkts.length, 1);
  assert.match(r.err!, new RegExp(`corrupt block length 7 \\(block type 0x6\\) at byte offset ${good.length}$`));
  const cut = readAll(Buffer.concat([good, epb(true, 0, 2n, [5, 6, 7, 8])]).subarray(0, good.length + 20));
  assert.equal(cut.pkts.length, 1);
  assert.match(cut.err!, /truncated block \(20 of 36 bytes, block type 0x6\)/);
  const undef = readAll(Buffer.concat([shb(true), epb(true, 3, 1n, [1])]));
  assert.match(undef.err!, /undefined interface 3/);
});

test('reader never throws on random bytes after a valid header', () => {
  let seed = 12345;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 300; i++) {
    const head = i % 2 ? pcap(true, false, 1, []) : Buffer.concat([shb(true), idb(true, 1)]);
    const tail = Buffer.from(Array.from({ length: 1 + (i * 97) % 3000 }, rnd));
    const r = readAll(Buffer.concat([head, tail]), 500, 4096);
    if (r.err !== null) assert.match(r.err, /^mem\.pcap: .* at byte offset \d+$/);
  }
});

/** memSource that can also read ahead: each background read completes on a later turn of the event loop. */
function aheadSource(bytes: Buffer): ByteSource {
  const s = memSource(bytes);
  return { ...s, readAhead: (buf, off, len, done) => setImmediate(() => done(null, s.read(buf, off, len))) };
}

/** readAll with background reading (awaits each stall as the ingest does). */
async function readAllBackground(bytes: Buffer): Promise<ReturnType<typeof readAll>> {
  const r = new CaptureReader(aheadSource(bytes), 1, true); // the smallest chunk: many swaps
  const pkts = [];
  for (;;) {
    if (r.next()) {
      pkts.push({ ts: r.pkt.tsUs, caplen: r.pkt.caplen, wirelen: r.pkt.wirelen, lt: r.pkt.linktype, first: r.pkt.buf[r.pkt.off]!, iface: r.pkt.iface });
      continue;
    }
    const wait = r.stalled();
    if (wait === null) break;
    await wait;
  }
  return { pkts, err: r.error, format: r.format };
}

test('background reading yields what synchronous reading does: records, truncations and error offsets', async () => {
  // several MB, so the two buffers swap many times with records across every swap
  const recs = Array.from({ length: 6000 }, (_, i) => ({ sec: i, frac: i, data: Array.from({ length: 1 + (i * 7919) % 1500 }, () => (i * 13) & 255) }));
  const p = pcap(true, false, 1, recs);
  const ng = Buffer.concat([shb(true), idb(true, 1), ...recs.map((r, i) => epb(true, 0, BigInt(i * 1000), r.data))]);
  const corrupt = Buffer.from(p);
  corrupt.writeUInt32LE(0x7fffffff, 24 + 16 * 4000 + recs.slice(0, 4000).reduce((a, r) => a + r.data.length, 0) + 8);
  const inputs = [p, ng, corrupt, Buffer.alloc(0), Buffer.from('GIF89a')];
  for (const cut of [24, 1_000_003, 2_500_001, p.length - 3]) inputs.push(p.subarray(0, cut));
  for (const cut of [40, 1_700_005, ng.length - 9]) inputs.push(ng.subarray(0, cut));
  for (const b of inputs) {
    const sync = readAll(b);
    const bg = await readAllBackground(b);
    assert.equal(bg.err, sync.err);
    assert.equal(bg.format, sync.format);
    assert.equal(bg.pkts.length, sync.pkts.length);
    assert.deepEqual(bg.pkts, sync.pkts);
  }
  assert.equal((await readAllBackground(p)).pkts.length, 6000);
  assert.match((await readAllBackground(corrupt)).err!, /corrupt record length 2147483647/);
});
