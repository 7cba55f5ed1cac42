/**
 * Tests of the TCP signature loader: every rejection reports `file:line: reason`; a line an earlier one covers is
 * refused; sources must cite defined keys or corpus captures; the shipped file loads and cites captures that exist.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTcpSignatures, parseTcpSignatures, quirkMask, quirkText, signatureCovers, TCP_SIGNATURE_COLUMNS,
  TCP_SIGNATURE_FILE } from './tcp-signatures.js';

const HEAD = `#@ ref: a reference\n${TCP_SIGNATURE_COLUMNS.join('\t')}\n`;
const line = (sig: string, extra: Partial<Record<'direction' | 'kind' | 'class' | 'os' | 'version' | 'source', string>> = {}): string =>
  [extra.direction ?? 'syn', extra.kind ?? 's', extra.class ?? 'unix', extra.os ?? 'Linux', extra.version ?? '4.x', sig, extra.source ?? 'ref'].join('\t');

/** The errors of parsing HEAD plus `lines` (asserting that it fails). */
function errors(...lines: string[]): string[] {
  const r = parseTcpSignatures(HEAD + lines.join('\n'), 'x.tsv');
  assert.equal(r.ok, false, 'expected the file to be refused');
  return r.ok ? [] : r.errors;
}

test('a valid line loads with every field parsed', () => {
  const r = parseTcpSignatures(HEAD + line('*:64:0:*:mss*44,7:mss,sok,ts,nop,ws:df,id+:0'), 'x.tsv');
  assert.ok(r.ok);
  const s = r.db.syn[0]!;
  assert.equal(s.line, 3);
  assert.equal(s.label, 'Linux 4.x');
  assert.equal(s.ipVersion, null);
  assert.equal(s.ittl, 64);
  assert.equal(s.randomTtl, false);
  assert.equal(s.mss, null);
  assert.deepEqual(s.window, { kind: 'mss', n: 44 });
  assert.equal(s.scale, 7);
  assert.equal(s.layout, 'mss,sok,ts,nop,ws');
  assert.equal(quirkText(s.quirks), 'df,id+');
  assert.equal(s.payload, 0);
  assert.equal(r.db.references.get('ref'), 'a reference');
});

test('window rules: value, mss*N, mtu*N, %N and *; random TTL', () => {
  const r = parseTcpSignatures(HEAD + [
    line('4:255-:0:536:8192,0:mss::*'), line('4:128:0:*:mtu*4,*:mss::+'), line('6:64:0:*:%512,2:mss,nop,ws:flow:0'), line('*:32:0:*:*,*:::0'),
  ].join('\n'), 'x.tsv');
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  const [a, b, c, d] = r.db.syn;
  assert.deepEqual([a!.window, a!.randomTtl, a!.mss, a!.payload], [{ kind: 'value', n: 8192 }, true, 536, null]);
  assert.deepEqual([b!.window, b!.scale, b!.payload], [{ kind: 'mtu', n: 4 }, null, 1]);
  assert.deepEqual([c!.window, c!.ipVersion], [{ kind: 'mod', n: 512 }, 6]);
  assert.deepEqual([d!.window, d!.layout], [{ kind: 'any' }, '']);
});

test('malformed lines are reported as file:line: reason', () => {
  const cases: [string, RegExp][] = [
    [line('4:64:0:*:8192,0:mss:df'), /must have 8 ':'-separated fields/],
    [line('5:64:0:*:8192,0:mss:df:0'), /IP version must be 4, 6 or \*/],
    [line('4:300:0:*:8192,0:mss:df:0'), /initial TTL must be 1\.\.255/],
    [line('4:64:x:*:8192,0:mss:df:0'), /IP options length/],
    [line('4:64:0:70000:8192,0:mss:df:0'), /MSS must be/],
    [line('4:64:0:*:mss*0,0:mss:df:0'), /window must be/],
    [line('4:64:0:*:%1,0:mss:df:0'), /window must be/],
    [line('4:64:0:*:8192:mss:df:0'), /window must be .* followed by ',scale'/],
    [line('4:64:0:*:8192,0:mss:df:0:0'), /must have 8/],
    [line('4:64:0:*:8192,x:mss:df:0'), /window scale must be/],
    [line('4:64:0:*:8192,0:mss,foo:df:0'), /unknown TCP option 'foo'/],
    [line('4:64:0:*:8192,0:eol+1,mss:df:0'), /eol\+N must be the last option/],
    [line('4:64:0:*:8192,0:mss:dff:0'), /unknown quirk 'dff'/],
    [line('6:64:0:*:8192,0:mss:df:0'), /IPv4-only quirks \(df\) in an IPv6 signature/],
    [line('4:64:0:*:8192,0:mss:flow:0'), /IPv6-only quirk 'flow' in an IPv4 signature/],
    [line('4:64:0:*:8192,0:mss:df:1'), /payload class must be 0, \+ or \*/],
    [line('4:64:0:*:8192,0:mss:df:0', { direction: 'ack' }), /direction must be one of syn, syn-ack/],
    [line('4:64:0:*:8192,0:mss:df:0', { kind: 'x' }), /kind must be s \(specific\) or g \(generic\)/],
    [line('4:64:0:*:8192,0:mss:df:0', { class: 'mac' }), /class must be one of win, unix, embedded, other/],
    [line('4:64:0:*:8192,0:mss:df:0', { os: '' }), /empty os/],
    [line('4:64:0:*:8192,0:mss:df:0', { source: '' }), /empty source/],
    [line('4:64:0:*:8192,0:mss:df:0', { source: 'nosuchkey' }), /cites 'nosuchkey', which no "#@ nosuchkey: …" line defines/],
    [line('4:64:0:*:8192,0:mss:df:0', { source: 'corpus:x.pcap' }), /malformed corpus citation/],
    ['syn\ts\tunix\tLinux', /expected 7 tab-separated columns, found 4/],
  ];
  for (const [l, re] of cases) {
    const e = errors(l);
    assert.equal(e.length, 1, `${l}: ${e.join('; ')}`);
    assert.match(e[0]!, /^x\.tsv:3: /, e[0]);
    assert.match(e[0]!, re, e[0]);
  }
});

test('header and citation lines are checked', () => {
  const wrong = parseTcpSignatures('direction\tkind\n', 'h.tsv');
  assert.match(wrong.ok ? '' : wrong.errors.join('\n'), /^h\.tsv:1: header must be: direction <tab> kind <tab> class/);
  const r = parseTcpSignatures('# only comments\n', 'h.tsv');
  assert.deepEqual(r.ok ? [] : r.errors, ['h.tsv:1: no header line']);
  const twice = parseTcpSignatures(`#@ a: one\n#@ a: two\n${TCP_SIGNATURE_COLUMNS.join('\t')}\n`, 'h.tsv');
  assert.deepEqual(twice.ok ? [] : twice.errors, ["h.tsv:2: citation key 'a' defined twice"]);
  const bad = parseTcpSignatures(`#@ no colon here\n${TCP_SIGNATURE_COLUMNS.join('\t')}\n`, 'h.tsv');
  assert.deepEqual(bad.ok ? [] : bad.errors, ['h.tsv:1: malformed citation line (expected "#@ key: text")']);
});

test('a signature already covered by an earlier one of the same direction and kind is refused', () => {
  const e = errors(line('*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0'), line('4:64:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0'));
  assert.deepEqual(e, ['x.tsv:4: signature already covered by line 3']);
  assert.deepEqual(errors(line('4:64:0:*:%8192,0:mss::0'), line('4:64:0:*:16384,0:mss::0')), ['x.tsv:4: signature already covered by line 3']);
  assert.deepEqual(errors(line('4:64:0:*:8192,0:mss::0'), line('4:64:0:*:8192,0:mss::0', { os: 'Other' })), ['x.tsv:4: signature already covered by line 3']);
  // Narrower first, other direction, other kind, other quirks: all accepted.
  const ok = parseTcpSignatures(HEAD + [
    line('4:64:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0'), line('*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0'),
    line('*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0', { direction: 'syn-ack' }), line('*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0', { kind: 'g' }),
    line('*:64:0:*:*,*:mss,sok,ts,nop,ws:df:0'),
  ].join('\n'), 'x.tsv');
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.join('\n'));
});

test('coverage: wildcards and moduli cover values, not the reverse', () => {
  const r = parseTcpSignatures(HEAD + [line('4:64:0:1460:8192,0:mss::0'), line('4:64:0:*:%4096,*:mss::*')].join('\n'), 'x.tsv');
  assert.ok(r.ok);
  const [narrow, wide] = r.db.syn as [NonNullable<(typeof r.db.syn)[0]>, NonNullable<(typeof r.db.syn)[0]>];
  assert.equal(signatureCovers(wide, narrow), true);
  assert.equal(signatureCovers(narrow, wide), false);
});

test('quirk masks round-trip in p0f order', () => {
  assert.equal(quirkText(quirkMask(['bad', 'df', 'ts1-', 'flow', 'id+'])), 'df,id+,flow,ts1-,bad');
  assert.equal(quirkMask([]), 0);
});

test('the shipped signature file loads, and every corpus capture it cites exists', () => {
  const db = loadTcpSignatures();
  assert.ok(db.syn.length >= 20 && db['syn-ack'].length >= 20);
  for (const os of ['Windows', 'Linux', 'Android', 'macOS/iOS', 'FreeBSD', 'OpenBSD', 'lwIP']) {
    assert.ok([...db.syn, ...db['syn-ack']].some((s) => s.os === os), `no ${os} signature`);
  }
  const corpus = join(TCP_SIGNATURE_FILE, '../../../../shared/corpus');
  const lines = readFileSync(TCP_SIGNATURE_FILE, 'utf8').split('\n').filter((l) => !l.startsWith('#'));
  const cited = new Set(lines.flatMap((l) => [...l.matchAll(/corpus:(\S+\.(?:pcapng|pcap))(?=\s|$)/g)].map((m) => m[1]!)));
  assert.ok(cited.size > 10);
  if (!existsSync(corpus)) return;
  for (const rel of cited) assert.ok(existsSync(join(corpus, rel)), `cited capture ${rel} is not in the corpus`);
});
