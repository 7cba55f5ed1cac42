/**
 * Tests of the TCP fingerprint and matcher: the raw signature in p0f's notation (checked against lines p0f 3.09b
 * printed for corpus captures), the window-multiple rules, and the match rules of the p0f v3 README §5 (exact, fuzzy
 * quirks, TTL range, generic fallback, wildcards, IP-version-specific quirks).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SynInfo } from '../flow/flow-table.js';
import { guessInitialTtl, HOP_DISTANCE_CONFIDENCE, matchTcpOs, TCP_OS_CONFIDENCE, tcpFingerprint, windowMultiple } from './tcp-os-match.js';
import { parseTcpSignatures, TCP_SIGNATURE_COLUMNS, type TcpDirection, type TcpSignatureDb } from './tcp-signatures.js';

/** A SynInfo with Linux-like defaults, overridden by `o`. */
function syn(o: Partial<SynInfo> = {}): SynInfo {
  return {
    layout: 'mss,sok,ts,nop,ws', mss: 1460, wscale: 7, sack_ok: true, timestamps: true, ts_val: 12345, malformed: false,
    ttl: 64, window: 64240, ip_version: 4, ip_options: false, payload: 0, ip_olen: 0, quirks: 'df,id+', ...o,
  };
}

/** A database from signature lines `[direction, kind, os, signature]`. */
function db(...lines: [TcpDirection, 's' | 'g', string, string][]): TcpSignatureDb {
  const text = `#@ t: test\n${TCP_SIGNATURE_COLUMNS.join('\t')}\n${lines.map(([d, k, os, sig]) => [d, k, 'unix', os, '', sig, 't'].join('\t')).join('\n')}`;
  const r = parseTcpSignatures(text, 't.tsv');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.db;
}

test('raw signatures read as p0f writes them', () => {
  // p0f 3.09b on http/zeek__wikipedia.pcap: the client's SYN and a server's SYN-ACK 15 hops away.
  assert.equal(tcpFingerprint(syn({ window: 5840 }), 'syn').raw, '4:64+0:0:1460:mss*4,7:mss,sok,ts,nop,ws:df,id+:0');
  assert.equal(tcpFingerprint(syn({ ttl: 49, window: 5792, wscale: 9, quirks: 'df' }), 'syn-ack', 1460).raw,
    '4:49+15:0:1460:mss*4,9:mss,sok,ts,nop,ws:df:0');
  // p0f on http/ndpi__ipp.pcap: an HP printer's SYN-ACK with no DF.
  assert.equal(tcpFingerprint(syn({ window: 5840, wscale: 0, layout: 'mss,nop,ws,nop,nop,ts', sack_ok: false, quirks: '' }), 'syn-ack', 1460).raw,
    '4:64+0:0:1460:mss*4,0:mss,nop,ws,nop,nop,ts::0');
  // Absent MSS and window scale read 0; a TTL too far below any initial TTL reads '+?'; payload reads '+'.
  assert.equal(tcpFingerprint(syn({ mss: null, wscale: null, layout: '', ttl: 230, window: 512, payload: 3, quirks: '' }), 'syn').raw,
    '4:230+25:0:0:512,0:::+');
  assert.equal(tcpFingerprint(syn({ ttl: 90, window: 512, layout: 'mss', quirks: '' }), 'syn').raw, '4:90+?:0:1460:512,7:mss::0'); // 128 - 90 > 35
});

test('initial TTL guess: the next of 32, 64, 128, 255', () => {
  assert.deepEqual([1, 32, 33, 64, 65, 128, 129, 255].map(guessInitialTtl), [32, 32, 64, 64, 128, 128, 255, 255]);
});

test('window multiples: MSS, MSS less timestamps, Ethernet MSS, MTU, peer MSS, in that order', () => {
  assert.deepEqual(windowMultiple(64240, 1460, 0, 4, 60, null), { unit: 'mss', n: 44 });
  assert.deepEqual(windowMultiple(65160, 1460, 99, 4, 60, null), { unit: 'mss', n: 45 }); // 45 × (1460 - 12)
  assert.deepEqual(windowMultiple(65160, 1380, 0, 4, 60, null), { unit: 'mss', n: 45 }); // Ethernet MSS less 12, tried with or without a timestamp
  assert.equal(windowMultiple(65000, 1460, 0, 4, 60, null), null);
  assert.deepEqual(windowMultiple(64240, 1380, 0, 4, 60, null), { unit: 'mss', n: 44 }); // window from the interface MSS, MSS clamped on the path
  assert.deepEqual(windowMultiple(3000, 1460, 0, 4, 60, null), { unit: 'mtu', n: 2 });
  assert.deepEqual(windowMultiple(4200, 1380, 0, 4, 44, 1400), { unit: 'mss', n: 3 }); // a SYN-ACK sized from the peer's MSS
  assert.equal(windowMultiple(4200, 1380, 0, 4, 44, null), null);
  assert.equal(windowMultiple(8192, 90, 0, 4, 44, null), null); // MSS below 100: no multiple is meaningful
  assert.equal(windowMultiple(0, 1460, 0, 4, 60, null), null);
});

const D = db(
  ['syn', 's', 'Linux A', '*:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df,id+:0'],
  ['syn', 's', 'Linux B', '*:64:0:*:mss*20,*:mss,sok,ts,nop,ws:df,id+:0'],
  ['syn', 'g', 'Linux generic', '*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0'],
  ['syn', 's', 'Windows', '4:128:0:*:%8192,8:mss,nop,ws,nop,nop,sok:df,id+:0'],
  ['syn', 's', 'Tool', '4:64-:0:1460:1024,0:mss::0'],
  ['syn-ack', 's', 'Linux SA', '*:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df:0'],
);

test('an exact specific match wins over generic and fuzzy ones', () => {
  const m = matchTcpOs(tcpFingerprint(syn(), 'syn'), D);
  assert.equal(m.signature?.label, 'Linux A');
  assert.equal(m.quality, 'exact');
  assert.equal(m.distance, 0);
  assert.equal(m.confidence, TCP_OS_CONFIDENCE.exact);
  assert.equal(matchTcpOs(tcpFingerprint(syn({ window: 29200 }), 'syn'), D).signature?.label, 'Linux B');
});

test('a generic signature answers only when no specific one matches exactly', () => {
  const m = matchTcpOs(tcpFingerprint(syn({ window: 14600 }), 'syn'), D);
  assert.equal(m.signature?.label, 'Linux generic');
  assert.equal(m.quality, 'exact');
  assert.equal(m.confidence, TCP_OS_CONFIDENCE.exact_generic);
});

test('fuzzy: df and id+ may disappear, id- and ecn appear; other quirk changes do not match', () => {
  for (const quirks of ['', 'id-', 'df,id+,ecn', 'df']) {
    const m = matchTcpOs(tcpFingerprint(syn({ quirks }), 'syn'), D);
    assert.equal(m.signature?.label, 'Linux A', quirks);
    assert.equal(m.quality, 'fuzzy', quirks);
    assert.equal(m.confidence, TCP_OS_CONFIDENCE.fuzzy);
  }
  assert.equal(matchTcpOs(tcpFingerprint(syn({ quirks: 'df,id+,ts2+' }), 'syn'), D).signature, null);
  assert.equal(matchTcpOs(tcpFingerprint(syn({ quirks: 'df,id+,pushf+' }), 'syn'), D).signature, null);
});

test('TTL: distance below the initial TTL, fuzzy beyond 35 hops or above it; random TTLs give no distance', () => {
  const near = matchTcpOs(tcpFingerprint(syn({ ttl: 50 }), 'syn'), D);
  assert.deepEqual([near.quality, near.distance, near.distanceFromSignature], ['exact', 14, true]);
  const above = matchTcpOs(tcpFingerprint(syn({ ttl: 120 }), 'syn'), D);
  assert.deepEqual([above.signature?.label, above.quality, above.distance, above.distanceFromSignature], ['Linux A', 'fuzzy', 8, false]);
  const far = matchTcpOs(tcpFingerprint(syn({ ttl: 20 }), 'syn'), D);
  assert.deepEqual([far.quality, far.distance], ['fuzzy', 12]); // 32 - 20: the guess, not 64 - 20
  const tool = matchTcpOs(tcpFingerprint(syn({ ttl: 41, window: 1024, wscale: null, layout: 'mss', quirks: '' }), 'syn'), D);
  assert.deepEqual([tool.signature?.label, tool.quality, tool.distance], ['Tool', 'exact', null]);
});

test('window rules: modulus; the layout and the direction must match', () => {
  const win = (window: number): string | undefined =>
    matchTcpOs(tcpFingerprint(syn({ ttl: 128, window, wscale: 8, layout: 'mss,nop,ws,nop,nop,sok', timestamps: false, ts_val: null }), 'syn'), D).signature?.label;
  assert.equal(win(16384), 'Windows');
  assert.equal(win(8192 * 3), 'Windows');
  assert.equal(win(8000), undefined);
  const none = matchTcpOs(tcpFingerprint(syn({ layout: 'mss,nop,ws' }), 'syn'), D);
  assert.deepEqual([none.quality, none.signature, none.distance, none.confidence], ['none', null, 0, 0]);
  assert.equal(matchTcpOs(tcpFingerprint(syn({ quirks: 'df' }), 'syn-ack'), D).signature?.label, 'Linux SA');
});

test('a signature for both IP versions ignores IPv4-only quirks on IPv6 packets', () => {
  const m = matchTcpOs(tcpFingerprint(syn({ ip_version: 6, quirks: '' }), 'syn'), D);
  assert.deepEqual([m.signature?.label, m.quality], ['Linux A', 'exact']);
  const flow = matchTcpOs(tcpFingerprint(syn({ ip_version: 6, quirks: 'flow' }), 'syn'), D);
  assert.equal(flow.signature, null); // 'flow' appearing is no tolerated difference
  assert.equal(matchTcpOs(tcpFingerprint(syn({ ip_version: 6, ttl: 128, window: 8192, wscale: 8, layout: 'mss,nop,ws,nop,nop,sok', quirks: '' }), 'syn'), D).signature, null);
});

test('hop distance confidences are ordered', () => {
  assert.ok(HOP_DISTANCE_CONFIDENCE.matched > HOP_DISTANCE_CONFIDENCE.guessed);
  assert.ok(TCP_OS_CONFIDENCE.exact > TCP_OS_CONFIDENCE.exact_generic && TCP_OS_CONFIDENCE.exact_generic > TCP_OS_CONFIDENCE.fuzzy);
});
