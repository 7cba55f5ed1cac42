/**
 * End to end through the real CLI: `medtap import vulns ../shared/vulndata` (counts against the raw files,
 * re-import without changes, malformed and truncated files, exit codes, JSON against its schema) and
 * `medtap vulns [--device] [--json]` on devices with attributes.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { ROOT, runCli, tempDir } from '../e2e/cli-harness.js';
import { VULNDATA } from './vulndata.js';

const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
const summarySchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/vuln-import-summary.schema.json'), 'utf8')));
const matchSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/vuln-match.schema.json'), 'utf8')));

interface Summary {
  status: string;
  totals: Record<string, number>;
  files: { path: string; format: string | null; status: string }[];
  malformed: string[];
  errors: string[];
  store: Record<string, number>;
}

function importJson(db: string, ...paths: string[]): { code: number; summary: Summary; stderr: string } {
  const r = runCli(['import', 'vulns', ...paths, '--json', '--db', db]);
  const summary = JSON.parse(r.stdout) as Summary;
  assert.ok(summarySchema(summary), JSON.stringify(summarySchema.errors));
  return { code: r.code, summary, stderr: r.stderr };
}

/** cpeMatch entries of the per-CVE NVD files, counted from the raw JSON. */
function rawCpeMatches(): number {
  let n = 0;
  for (const f of readdirSync(join(VULNDATA, 'nvd'))) {
    const raw = JSON.parse(readFileSync(join(VULNDATA, 'nvd', f), 'utf8')) as { configurations?: { nodes: { cpeMatch: unknown[] }[] }[] };
    for (const c of raw.configurations ?? []) for (const node of c.nodes) n += node.cpeMatch.length;
  }
  return n;
}

test('medtap import vulns ../shared/vulndata: every feed imported; a second run changes nothing', () => {
  const db = join(tempDir(), 'm.db');
  const first = importJson(db, VULNDATA);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.summary.status, 'ok');
  assert.deepEqual(first.summary.malformed, []);
  const byFormat = (fmt: string): number => first.summary.files.filter((f) => f.format === fmt && f.status === 'imported').length;
  assert.deepEqual([byFormat('nvd-cve'), byFormat('nvd-api'), byFormat('cve5'), byFormat('csaf'), byFormat('kev-json'), byFormat('kev-csv')], [43, 1, 15, 32, 2, 1]);
  const kev = JSON.parse(readFileSync(join(VULNDATA, 'kev/known_exploited_vulnerabilities.json'), 'utf8')) as { count: number };
  assert.deepEqual(
    [first.summary.store['vulnerabilities_nvd'], first.summary.store['vulnerabilities_cve5'], first.summary.store['advisories'], first.summary.store['kev_entries'], first.summary.store['cpe_matches']],
    [43, 15, 32, kev.count, rawCpeMatches()],
  );
  // the skipped files are the KEV JSON schema and the two default-credential CSVs
  assert.deepEqual(first.summary.files.filter((f) => f.status === 'skipped').map((f) => f.path.slice(VULNDATA.length + 1)).sort(),
    ['fingerprints/DefaultCreds-Cheat-Sheet.csv', 'fingerprints/default_creds_medical_subset.csv', 'kev/known_exploited_vulnerabilities_schema.json']);
  const second = importJson(db, VULNDATA);
  assert.equal(second.summary.totals['inserted'], 0);
  assert.equal(second.summary.totals['updated'], 0);
  assert.equal(second.summary.totals['unchanged'], first.summary.totals['records']);
  const text = runCli(['import', 'vulns', join(VULNDATA, 'cve5'), '--db', db]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /cve5 +15 files +15 records: 0 new, 0 updated, 15 unchanged/);
  // provenance: each record names its file and format
  const d = new Database(db, { readonly: true });
  const p = d.prepare("SELECT f.path, f.format FROM vulnerabilities v JOIN vuln_files f ON f.id = v.file_id WHERE v.id = 'CVE-2018-19010' AND v.source = 'cve5'").get() as { path: string; format: string };
  assert.deepEqual(p, { path: join(VULNDATA, 'cve5/CVE-2018-19010.json'), format: 'cve5' });
  d.close();
});

test('malformed records go to stderr as file: record N (id): why with exit 0; a truncated or missing file exits 1', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const bad = join(dir, 'kev.csv');
  writeFileSync(bad, 'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n' +
    'CVE-2017-0144,Microsoft,SMBv1,"EternalBlue",2022-02-10,d,a,2022-08-10,Known,,CWE-20\n' +
    'CVE-2017-0145,Microsoft,SMBv1,"x",10 Feb 2022,d,a,2022-08-10,Known,,\n' +
    'not-a-cve,Microsoft,SMBv1,"x",2022-02-10,d,a,,Known,,\n');
  const r = runCli(['import', 'vulns', bad, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `medtap: malformed: ${bad}: record 2 (CVE-2017-0145): line 3: dateAdded '10 Feb 2022' is not YYYY-MM-DD`,
    `medtap: malformed: ${bad}: record 3 (no id): line 4: cveID 'not-a-cve' is not a CVE id`,
  ]);
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, readFileSync(join(VULNDATA, 'derived/nvd_api2_style_bundle.json'), 'utf8').slice(0, 50000));
  const t = runCli(['import', 'vulns', cut, '--db', db]);
  assert.equal(t.code, 1);
  assert.match(t.stderr, /cut\.json: truncated inside the 'vulnerabilities' array after \d+ elements/);
  const missing = runCli(['import', 'vulns', join(dir, 'nope'), '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope: no such file or directory/);
});

test('medtap vulns lists schema-valid matches per device, with --device and --json', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  assert.equal(importJson(db, VULNDATA).code, 0);
  const d = new Database(db);
  const add = (key: string, attrs: Record<string, string>): number => {
    const id = Number(d.prepare("INSERT INTO devices (key, key_kind, first_us, last_us) VALUES (?, 'mac', 0, 0)").run(key).lastInsertRowid);
    for (const [name, value] of Object.entries(attrs)) {
      d.prepare('INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us) VALUES (?, ?, ?, ?, ?, NULL, 0, 0)').run(id, name, value, 'test', 0.9);
    }
    return id;
  };
  const ws = add('00:00:00:00:00:01', { vendor: 'Dell Inc.', os: 'Windows 7 Professional 7601 Service Pack 1', smb_dialect: 'NT LM 0.12' });
  const pump = add('00:00:00:00:00:02', { vendor: 'Becton, Dickinson and Company', model: 'Alaris GS', firmware_version: '2.3.6' });
  const printer = add('00:00:00:00:00:03', { vendor: 'HP Inc.' });
  d.close();
  const all = runCli(['vulns', '--json', '--db', db]);
  assert.equal(all.code, 0, all.stderr);
  const records = JSON.parse(all.stdout) as { device_id: number; vuln_id: string; certainty: string; why: { attribute_source: string }[] }[];
  for (const rec of records) assert.ok(matchSchema(rec), JSON.stringify(matchSchema.errors));
  assert.ok(records.some((x) => x.device_id === ws && x.vuln_id === 'CVE-2017-0144' && x.certainty === 'confirmed'));
  assert.ok(records.some((x) => x.device_id === pump && x.vuln_id === 'CVE-2019-10959'));
  assert.ok(!records.some((x) => x.device_id === printer));
  assert.ok(records.every((x) => x.why.every((w) => w.attribute_source === 'test' || w.attribute_source === null)));
  const one = runCli(['vulns', '--device', String(pump), '--db', db]);
  assert.equal(one.code, 0);
  assert.match(one.stdout, /CVE-2019-10959 +confirmed/);
  assert.doesNotMatch(one.stdout, /CVE-2017-0144/);
  assert.equal(runCli(['vulns', '--device', '999', '--db', db]).code, 1);
  assert.equal(runCli(['vulns', '--device', 'x', '--db', db]).code, 2);
});
