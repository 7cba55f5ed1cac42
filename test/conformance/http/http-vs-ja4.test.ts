/**
 * A second peer for the HTTP request heads: the JA4+ project's Python reference outputs in
 * ../shared/corpus/baselines/ja4/python__*.json, for the corpus captures they were made from (found through
 * manifest.tsv's `baselines` column). Each entry with a `JA4H_ro` describes one HTTP/1.x request: its "raw,
 * original order" form starts with 12 characters (method's first two letters, version, Cookie and Referer present,
 * the count of the other headers, the Accept-Language) then `_` and the header names in wire order without Cookie
 * and Referer.
 *
 * Only those raw parts are compared with medtap's request records (method letters, version, the two flags, the
 * count and the names); medtap does not compute JA4H fingerprints (JA4H is under the FoxIO License 1.1, not the
 * JA4 TLS fingerprint's BSD licence). Entries are matched by connection and order. HTTP/2 entries (version 20) are
 * skipped: medtap decodes HTTP/1.x only; so is an entry repeating a connection's request with source and destination
 * swapped (the tool reports one such).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { corpusRoot } from '../corpus-frames.js';
import { connKey, type HttpLogRecord, ingestHttpRecords, ourConnections } from './medtap-http.js';

/** One entry of a Python JA4 output file (only the fields used). */
interface Ja4Entry {
  stream: number;
  src: string;
  dst: string;
  srcport: string;
  dstport: string;
  JA4H_ro?: string;
}

/** The parts of a JA4H_ro string compared, from medtap's record or from the peer's string. */
interface RawParts {
  method: string;
  version: string;
  cookie: string;
  referer: string;
  count: string;
  headers: string;
}

/** The parts of a peer's JA4H_ro. */
function peerParts(ro: string): RawParts {
  const a = ro.slice(0, 12);
  const rest = ro.slice(13);
  const end = rest.indexOf('_');
  return { method: a.slice(0, 2), version: a.slice(2, 4), cookie: a[4]!, referer: a[5]!, count: a.slice(6, 8), headers: end < 0 ? rest : rest.slice(0, end) };
}

/** The same parts from medtap's request record (RFC 9110 names compared without regard to case for the flags). */
function ourParts(r: HttpLogRecord): RawParts {
  const names = r.request_headers;
  const lower = names.map((n) => n.toLowerCase());
  const others = names.filter((_, i) => lower[i] !== 'cookie' && lower[i] !== 'referer');
  return {
    method: (r.method ?? '').slice(0, 2).toLowerCase(),
    version: r.version === 'HTTP/1.1' ? '11' : r.version === 'HTTP/1.0' ? '10' : '',
    cookie: lower.includes('cookie') ? 'c' : 'n',
    referer: lower.includes('referer') ? 'r' : 'n',
    count: String(Math.min(others.length, 99)).padStart(2, '0'),
    headers: others.join(','),
  };
}

/** The corpus captures with a Python JA4 baseline, from manifest.tsv: capture path → baseline path. */
function ja4Baselines(root: string): Map<string, string> {
  const lines = readFileSync(join(root, 'manifest.tsv'), 'utf8').split('\n').filter((l) => l !== '');
  const head = lines[0]!.split('\t');
  const fileCol = head.indexOf('file');
  const baseCol = head.indexOf('baselines');
  const out = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    const py = (c[baseCol] ?? '').split(';').find((b) => /^baselines\/ja4\/python__.*\.json$/.test(b));
    if (py !== undefined) out.set(c[fileCol]!, py);
  }
  return out;
}

const tally = { entries: 0, reversed: 0, compared: 0, equal: new Map<string, number>(), differences: [] as string[], missing: [] as string[] };
const root = corpusRoot();

for (const [capture, baseline] of ja4Baselines(root)) {
  const entries = (JSON.parse(readFileSync(join(root, baseline), 'utf8')) as Ja4Entry[])
    .filter((e) => e.JA4H_ro !== undefined && e.JA4H_ro.slice(2, 4) !== '20');
  if (entries.length === 0) continue;
  const path = join(root, capture);
  test(`http vs JA4 (Python) request heads: ${capture}`, { skip: existsSync(path) ? false : 'capture missing' }, async () => {
    const ours = ourConnections(await ingestHttpRecords(path));
    const seen = new Map<string, number>();
    for (const e of entries) {
      tally.entries++;
      const key = connKey(e.src, e.srcport, e.dst, e.dstport);
      if (seen.has(connKey(e.dst, e.dstport, e.src, e.srcport))) {
        // The tool repeats a stream's request with source and destination swapped: the same request.
        tally.reversed++;
        continue;
      }
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const r = (ours.get(key) ?? []).filter((x) => x.method !== null)[n];
      if (r === undefined) { tally.missing.push(`${capture} ${key} request ${n + 1}`); continue; }
      tally.compared++;
      const p = peerParts(e.JA4H_ro!);
      const o = ourParts(r);
      for (const k of Object.keys(p) as (keyof RawParts)[]) {
        if (p[k] === o[k]) tally.equal.set(k, (tally.equal.get(k) ?? 0) + 1);
        else tally.differences.push(`${capture} ${key} request ${n + 1} ${k}: medtap ${JSON.stringify(o[k])} JA4 ${JSON.stringify(p[k])}`);
      }
    }
  });
}

test('http vs JA4: every request found, every part equal', () => {
  assert.ok(tally.compared > 0, 'nothing compared');
  assert.deepEqual(tally.missing, []);
  assert.deepEqual(tally.differences, []);
});

after(() => {
  const parts = [...tally.equal].map(([k, n]) => `${k} ${n}/${tally.compared}`).join(', ');
  process.stdout.write(`http vs JA4 (Python JA4H_ro): ${tally.entries} HTTP/1.x entries (${tally.reversed} repeats with source and ` +
    `destination swapped), ${tally.compared} compared; equal: ${parts}\n`);
  for (const d of [...tally.missing, ...tally.differences].slice(0, 20)) process.stdout.write(`  ${d}\n`);
});
