/**
 * Feed parsers on every real file of ../shared/vulndata (nvd, cve5, kev, csaf, derived): counts checked against
 * an independent walk of the raw JSON/CSV, the quirks SOURCES.md lists, and the import path: provenance,
 * incremental re-import (updated / unchanged / stale), malformed records reported as `file: record N (id): why`,
 * truncated files, and a streamed NVD API file of 5 000 records.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { parseCsaf } from '../../src/vuln/csaf-feed.js';
import { parseCve5 } from '../../src/vuln/cve5-feed.js';
import { streamCsvFile } from '../../src/vuln/csv-stream.js';
import { importVulnFeeds } from '../../src/vuln/feed-import.js';
import type { KevRecord, VulnRecord } from '../../src/vuln/feed-records.js';
import { streamTopLevelArray } from '../../src/vuln/json-stream.js';
import { parseKevCsvRow, parseKevEntry } from '../../src/vuln/kev-feed.js';
import { parseNvdCve } from '../../src/vuln/nvd-feed.js';
import { tempDir } from '../e2e/cli-harness.js';
import { readOracle, VULNDATA } from './vulndata.js';

type Raw = Record<string, unknown> & { [k: string]: unknown };

function readJson(path: string): Raw {
  return JSON.parse(readFileSync(path, 'utf8')) as Raw;
}

function files(dir: string): string[] {
  return readdirSync(join(VULNDATA, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => join(VULNDATA, dir, f));
}

function nvdRecords(): Map<string, VulnRecord> {
  const out = new Map<string, VulnRecord>();
  for (const f of files('nvd')) {
    const r = parseNvdCve(readJson(f));
    assert.ok(r.ok, `${f}: ${r.ok ? '' : r.error}`);
    out.set(r.value.id, r.value);
  }
  return out;
}

test('NVD: all 43 per-CVE files parse; configurations and cpeMatch entries equal a raw count', () => {
  const recs = nvdRecords();
  assert.equal(recs.size, 43);
  let rawMatches = 0;
  let matches = 0;
  for (const f of files('nvd')) {
    const raw = readJson(f) as { id: string; configurations?: { nodes: { cpeMatch: unknown[] }[] }[] };
    const r = recs.get(raw.id)!;
    assert.equal(r.configurations.length, (raw.configurations ?? []).length, raw.id);
    for (const c of raw.configurations ?? []) for (const n of c.nodes) rawMatches += n.cpeMatch.length;
    for (const c of r.configurations) for (const n of c.nodes) matches += n.matches.length;
  }
  assert.equal(matches, rawMatches);
  // quirks (SOURCES.md "Data caveats")
  assert.equal(recs.get('CVE-2023-7238')!.configurations.length, 0, 'Received record without configurations');
  assert.equal(recs.get('CVE-2025-0626')!.status, 'Awaiting Analysis');
  assert.ok(recs.get('CVE-2025-0626')!.cvss.some((c) => c.version === '4.0' && c.vector.includes('/E:X/')));
  const treck = recs.get('CVE-2020-11896')!.configurations[0]!.nodes[0]!.matches[0]!;
  assert.equal(treck.criteria, 'cpe:2.3:a:treck:tcp\\/ip:*:*:*:*:*:*:*:*');
  assert.ok(recs.get('CVE-2019-12256')!.configurations.some((c) => c.nodes.some((n) => n.matches.some((m) => m.version_start_including === '5.9.1.0.'))));
  assert.ok(recs.get('CVE-2015-3459')!.configurations.some((c) => c.nodes.some((n) => n.matches.some((m) => m.criteria.startsWith('cpe:2.3:h:') && m.vulnerable))), 'hardware marked vulnerable');
  assert.equal(recs.get('CVE-2017-0144')!.cisa_exploit_add, '2022-02-10');
  assert.deepEqual(recs.get('CVE-2015-3459')!.cvss.map((c) => c.version), ['2.0'], 'v2 only');
});

test('NVD API bundle: streamed elements equal the per-CVE files', () => {
  const recs = nvdRecords();
  const seen: VulnRecord[] = [];
  const scalars: Record<string, unknown> = {};
  const r = streamTopLevelArray(join(VULNDATA, 'derived/nvd_api2_style_bundle.json'), 'vulnerabilities', {
    element: (e) => {
      assert.ok(e.ok);
      const p = parseNvdCve(e.value);
      assert.ok(p.ok);
      seen.push(p.value);
    },
    scalar: (k, v) => void (scalars[k] = v),
  }, { chunkBytes: 4096 });
  assert.ok(r.ok && r.foundArray);
  assert.equal(seen.length, 43);
  assert.deepEqual(scalars, { format: 'NVD_CVE', version: '2.0', totalResults: 43 });
  for (const s of seen) assert.deepEqual(s, recs.get(s.id));
});

test('CVE 5: all 15 records parse; affected products clean up ICS-CERT mojibake and padded versions', () => {
  const recs = new Map(files('cve5').map((f) => {
    const r = parseCve5(readJson(f));
    assert.ok(r.ok, `${f}: ${r.ok ? '' : r.error}`);
    return [r.value.id, r.value] as const;
  }));
  assert.equal(recs.size, 15);
  for (const f of files('cve5')) {
    const raw = readJson(f) as { cveMetadata: { cveId: string }; containers: { cna: { affected?: { versions?: unknown[] }[] } } };
    const cnaRows = (raw.containers.cna.affected ?? []).reduce((n, a) => n + Math.max(1, (a.versions ?? []).length), 0);
    assert.equal(recs.get(raw.cveMetadata.cveId)!.affected.filter((a) => a.product_ref.startsWith('cna.')).length, cnaRows);
  }
  assert.equal(recs.get('CVE-2018-19010')!.affected[0]!.product, 'Dräger Infinity Delta');
  assert.deepEqual(recs.get('CVE-2022-26392')!.affected.slice(0, 2).map((a) => a.version_raw), ['16', '16D38']);
  const braun = recs.get('CVE-2020-25150')!.affected.filter((a) => a.product === 'SpaceCom');
  assert.deepEqual(braun.map((a) => a.less_than_or_equal), ['U61', 'L81']);
  assert.equal(recs.get('CVE-2023-7238')!.affected[0]!.default_status, 'unaffected');
  assert.ok(recs.get('CVE-2025-0626')!.cvss.some((c) => c.version === '4.0' && c.scorer === 'cna'));
});

test('KEV: the JSON catalog (streamed) and the CSV hold the same 1 404 entries', () => {
  const fromJson = new Map<string, KevRecord>();
  let catalog: unknown = null;
  const r = streamTopLevelArray(join(VULNDATA, 'kev/known_exploited_vulnerabilities.json'), 'vulnerabilities', {
    element: (e) => {
      const p = parseKevEntry(e.ok ? e.value : null);
      assert.ok(p.ok, p.ok ? '' : p.error);
      fromJson.set(p.value.cve_id, p.value);
    },
    scalar: (k, v) => {
      if (k === 'catalogVersion') catalog = v;
    },
  });
  assert.ok(r.ok);
  assert.equal(catalog, '2025.08.25');
  assert.equal(fromJson.size, (readJson(join(VULNDATA, 'kev/known_exploited_vulnerabilities.json')) as { count: number }).count);
  let header: string[] | null = null;
  let rows = 0;
  streamCsvFile(join(VULNDATA, 'kev/known_exploited_vulnerabilities.csv'), (rec) => {
    assert.ok(rec.ok);
    if (header === null) {
      header = rec.fields;
      return;
    }
    const p = parseKevCsvRow(header, rec.fields);
    assert.ok(p.ok, p.ok ? '' : p.error);
    rows++;
    assert.deepEqual(p.value, fromJson.get(p.value.cve_id), p.value.cve_id);
  });
  assert.equal(rows, fromJson.size);
  assert.equal(fromJson.get('CVE-2017-0144')!.date_added, '2022-02-10');
});

test('CSAF: all 32 advisories parse; every product of the tree is found, no vulnerability skipped', () => {
  const leaves = (b: Raw[]): number => b.reduce((n, x) => n + (x['product'] ? 1 : 0) + leaves((x['branches'] as Raw[] | undefined) ?? []), 0);
  let products = 0;
  for (const f of files('csaf')) {
    const raw = readJson(f) as { product_tree: { branches: Raw[] }; vulnerabilities: unknown[] };
    const r = parseCsaf(raw);
    assert.ok(r.ok, `${f}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.value.skipped, [], f);
    assert.equal(r.value.advisory.products.length, leaves(raw.product_tree.branches), f);
    assert.equal(r.value.advisory.vulnerabilities.length, raw.vulnerabilities.length, f);
    products += r.value.advisory.products.length;
  }
  assert.equal(products, 296);
  const baxter = parseCsaf(readJson(join(VULNDATA, 'csaf/icsma-20-170-04.json')));
  assert.ok(baxter.ok);
  const p1 = baxter.value.advisory.products.find((p) => p.product_id === 'CSAFPID-0001')!;
  assert.deepEqual([p1.vendor, p1.product_name, p1.version_raw, p1.version_category], ['Baxter', 'Baxter Spectrum', 'v8.x model 35700BAX2', 'product_version']);
  const v = baxter.value.advisory.vulnerabilities[0]!;
  assert.equal(v.vuln_id, 'CVE-2020-12039');
  assert.ok(v.remediations.length > 0 && v.remediations.every((x) => x.product_ids.length > 0));
  assert.equal(v.cvss[0]!.vector.vector, 'CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L');
});

test('every CVSS vector of the NVD, CVE 5 and CSAF records is found, with its stated base score (328 rows)', () => {
  const want = readOracle('observed_in_collected_records.tsv').map((r) => `${r.vector} ${Number(r.base)}`).sort();
  const got: string[] = [];
  for (const r of nvdRecords().values()) for (const c of r.cvss) got.push(`${c.vector} ${c.base_score}`);
  for (const f of files('cve5')) {
    const r = parseCve5(readJson(f));
    if (r.ok) for (const c of r.value.cvss) got.push(`${c.vector} ${c.base_score}`);
  }
  for (const f of files('csaf')) {
    const r = parseCsaf(readJson(f));
    if (r.ok) for (const v of r.value.advisory.vulnerabilities) for (const c of v.cvss) got.push(`${c.vector.vector} ${c.vector.base_score}`);
  }
  assert.equal(got.length, 328);
  assert.deepEqual([...new Set(got)].sort(), [...new Set(want)].sort());
});

function nvdApi(records: unknown[], timestamp = '2025-01-01T00:00:00.000'): string {
  return JSON.stringify({ resultsPerPage: records.length, startIndex: 0, totalResults: records.length, format: 'NVD_CVE', version: '2.0', timestamp, vulnerabilities: records });
}

test('malformed records are reported as file: record N (id): why and skipped; the rest is imported', () => {
  const dir = tempDir();
  const good = readJson(join(VULNDATA, 'nvd/CVE-2022-2119.json'));
  const f = join(dir, 'page.json');
  const body = nvdApi([
    { cve: good },
    { cve: { ...good, id: undefined } },
    { cve: { ...good, id: 'CVE-2022-9999', configurations: [{ nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:offis:dc*mtk:*' }] }] }] } },
    { cve: { ...good, id: 'CVE-2022-9998', lastModified: 5 } },
    'not a record',
  ]).replace('"not a record"', '{"cve": {"id": "CVE-2022-9997", "x": tru}}');
  writeFileSync(f, body);
  const store = new SqliteStore(join(dir, 'm.db'));
  const s = importVulnFeeds(store, [f]);
  assert.equal(s.status, 'ok');
  assert.deepEqual(s.totals, { records: 5, inserted: 1, updated: 0, unchanged: 0, stale: 0, malformed: 4 });
  assert.deepEqual(s.malformed.map((m) => m.replace(f, 'FILE').replace(/: invalid JSON: .*/, ': invalid JSON')), [
    'FILE: record 2 (no id): id: missing',
    "FILE: record 3 (CVE-2022-9999): configurations[0].nodes[0].cpeMatch[0].criteria 'cpe:2.3:a:offis:dc*mtk:*': product 'dc*mtk': wildcard inside the value",
    'FILE: record 4 (CVE-2022-9998): lastModified: not a non-empty string',
    'FILE: record 5 (no id): invalid JSON',
  ]);
  const row = store.db.prepare("SELECT v.record_index, f.path, f.format, f.feed_date FROM vulnerabilities v JOIN vuln_files f ON f.id = v.file_id WHERE v.id = 'CVE-2022-2119'").get();
  assert.deepEqual(row, { record_index: 1, path: f, format: 'nvd-api', feed_date: '2025-01-01T00:00:00.000' });
  // a truncated file: an error for the file, the records before the cut are kept
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, nvdApi([{ cve: { ...good, id: 'CVE-2022-0001' } }, { cve: { ...good, id: 'CVE-2022-0002' } }]).slice(0, -60));
  const t = importVulnFeeds(store, [cut]);
  assert.equal(t.status, 'errors');
  assert.match(t.errors[0]!, /truncated inside the 'vulnerabilities' array after 1 elements/);
  assert.equal(t.totals.inserted, 1);
  store.close();
});

test('incremental re-import: newer lastModified replaces, same is unchanged, older is stale', () => {
  const dir = tempDir();
  const base = readJson(join(VULNDATA, 'nvd/CVE-2022-2119.json')) as Raw & { lastModified: string };
  const write = (name: string, lastModified: string, description: string): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({ ...base, lastModified, descriptions: [{ lang: 'en', value: description }] }));
    return p;
  };
  const store = new SqliteStore(join(dir, 'm.db'));
  const first = importVulnFeeds(store, [write('a.json', '2024-01-01T00:00:00.000', 'first')]);
  assert.equal(first.totals.inserted, 1);
  assert.equal(importVulnFeeds(store, [write('b.json', '2024-01-01T00:00:00.000', 'same date')]).totals.unchanged, 1);
  assert.equal(importVulnFeeds(store, [write('c.json', '2025-01-01T00:00:00.000', 'newer')]).totals.updated, 1);
  assert.equal(importVulnFeeds(store, [write('d.json', '2023-01-01T00:00:00.000', 'older')]).totals.stale, 1);
  const row = store.db.prepare("SELECT description, f.path FROM vulnerabilities v JOIN vuln_files f ON f.id = v.file_id WHERE v.id = 'CVE-2022-2119'").get() as { description: string; path: string };
  assert.deepEqual(row, { description: 'newer', path: join(dir, 'c.json') });
  assert.equal((store.db.prepare("SELECT COUNT(*) AS n FROM vuln_cpe_matches WHERE vuln_id = 'CVE-2022-2119'").get() as { n: number }).n, 1, 'children replaced, not duplicated');
  store.close();
});

test('a 5 000-record NVD API file (18 MB) is streamed chunk by chunk and imported', () => {
  const dir = tempDir();
  const f = join(dir, 'big.json');
  const rec = readJson(join(VULNDATA, 'nvd/CVE-2022-2119.json'));
  const N = 5000;
  writeFileSync(f, '{"format":"NVD_CVE","version":"2.0","timestamp":"2026-01-01T00:00:00.000","vulnerabilities":[');
  for (let i = 0; i < N; i += 500) {
    appendFileSync(f, Array.from({ length: Math.min(500, N - i) }, (_, k) => JSON.stringify({ cve: { ...rec, id: `CVE-2099-${String(10000 + i + k)}` } })).join(',') + (i + 500 < N ? ',' : ''));
  }
  appendFileSync(f, ']}');
  const store = new SqliteStore(join(dir, 'm.db'));
  const s = importVulnFeeds(store, [f]);
  assert.equal(s.totals.inserted, N);
  const perRecord = (readJson(join(VULNDATA, 'nvd/CVE-2022-2119.json')) as { configurations: { nodes: { cpeMatch: unknown[] }[] }[] }).configurations
    .reduce((n, c) => n + c.nodes.reduce((m, x) => m + x.cpeMatch.length, 0), 0);
  assert.equal(s.store['cpe_matches'], N * perRecord);
  store.close();
});
