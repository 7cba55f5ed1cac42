// Purpose: unit tests for the streaming pcap writer (header bytes, record layout, chunked flushing, snaplen).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPcapWriter, pcapGlobalHeader } from './pcap-writer.js';

function withTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-pcap-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('global header bytes: LE magic, v2.4, snaplen 262144, Ethernet', () => {
  const h = pcapGlobalHeader();
  assert.deepEqual(
    Array.from(h),
    [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x00, 1, 0, 0, 0],
  );
  assert.equal(new DataView(pcapGlobalHeader(105, 65535).buffer).getUint32(20, true), 105);
});

test('records carry seconds, microseconds, lengths and frame bytes', () => {
  withTmp((dir) => {
    const path = join(dir, 'a.pcap');
    const w = openPcapWriter(path, { linktype: 1 });
    const ts = Date.UTC(2026, 2, 2, 8, 0, 0) * 1000 + 123456;
    w.write(ts, Uint8Array.of(1, 2, 3, 4));
    w.write(ts + 1_000_001, new Uint8Array(60).fill(7));
    assert.equal(w.packets, 2);
    w.close();
    const b = readFileSync(path);
    assert.equal(b.length, 24 + 16 + 4 + 16 + 60);
    assert.equal(w.bytes, b.length);
    assert.equal(b.readUInt32LE(24), Date.UTC(2026, 2, 2, 8) / 1000);
    assert.equal(b.readUInt32LE(28), 123456);
    assert.equal(b.readUInt32LE(32), 4);
    assert.equal(b.readUInt32LE(36), 4);
    assert.deepEqual(Array.from(b.subarray(40, 44)), [1, 2, 3, 4]);
    assert.equal(b.readUInt32LE(44), Date.UTC(2026, 2, 2, 8) / 1000 + 1);
    assert.equal(b.readUInt32LE(48), 123457);
    assert.equal(b[b.length - 1], 7);
  });
});

test('small chunk size forces many flushes without corrupting records; snaplen truncates', () => {
  withTmp((dir) => {
    const path = join(dir, 'b.pcap');
    const w = openPcapWriter(path, { chunkSize: 100, snaplen: 80 });
    for (let i = 0; i < 50; i++) w.write(i * 1000, new Uint8Array(60 + i * 3).fill(i));
    w.close();
    const b = readFileSync(path);
    assert.equal(b.readUInt32LE(16), 80);
    let o = 24;
    for (let i = 0; i < 50; i++) {
      const incl = b.readUInt32LE(o + 8);
      const orig = b.readUInt32LE(o + 12);
      assert.equal(orig, 60 + i * 3);
      assert.equal(incl, Math.min(80, orig));
      assert.equal(b.readUInt32LE(o + 4), i * 1000);
      assert.ok(b.subarray(o + 16, o + 16 + incl).every((x) => x === i));
      o += 16 + incl;
    }
    assert.equal(o, b.length);
    assert.throws(() => w.write(0, new Uint8Array(1)));
  });
});
