/**
 * Smoke test of the benchmark's generators (bench/make-vuln-bench-data.ts) at a tiny size: the generated NVD API
 * response is a valid feed (every record imported, none malformed), its records carry the shapes of the shared
 * ones, and generated devices match generated records. The benchmark itself (bench/vuln-bench.ts) is not run here.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { insertBenchDevices, writeNvdFeed } from '../../bench/make-vuln-bench-data.js';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { runAssessment } from '../../src/risk/assess.js';
import { importVulnFeeds } from '../../src/vuln/feed-import.js';
import { tempDir } from '../e2e/cli-harness.js';

test('bench generators: 2 000 NVD records import cleanly; 300 devices are matched and assessed', () => {
  const dir = tempDir();
  const feed = join(dir, 'nvd.json');
  const bytes = writeNvdFeed(feed, 2000);
  const parsed = JSON.parse(readFileSync(feed, 'utf8')) as { format: string; totalResults: number; vulnerabilities: { cve: { configurations: { nodes: { cpeMatch: { versionEndIncluding?: string }[] }[] }[]; metrics: Record<string, unknown> } }[] };
  assert.equal(parsed.format, 'NVD_CVE');
  assert.equal(parsed.vulnerabilities.length, 2000);
  assert.ok(bytes > 2000 * 1000, 'records of about a kilobyte or more');
  assert.ok(parsed.vulnerabilities.every((v) => v.cve.configurations.length > 0 && 'cvssMetricV31' in v.cve.metrics));
  assert.ok(parsed.vulnerabilities.some((v) => v.cve.configurations.some((c) => c.nodes.some((n) => n.cpeMatch.some((m) => m.versionEndIncluding !== undefined)))));
  const store = new SqliteStore(join(dir, 'bench.db'));
  const s = importVulnFeeds(store, [feed]);
  assert.equal(s.totals.inserted, 2000);
  assert.deepEqual([s.malformed, s.errors], [[], []]);
  const kinds = insertBenchDevices(store.db, 300);
  assert.equal(kinds.medical! + kinds.windows! + kinds.vendor_only!, 300);
  const { summary } = runAssessment(store.db, 40);
  assert.equal(summary.devices, 300);
  assert.ok(summary.vuln_matches > 0);
  store.close();
});
