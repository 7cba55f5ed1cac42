/**
 * Assessment runs over device profiles written by hand from the shared records (../shared/vulndata), with the
 * expected matches and non-matches taken from those records (cited in each test), and what the risk model must
 * make of them: environmental vectors from the impacts, KEV in the likelihood, FDA tier, remediation that names
 * the advisory's own text, snapshots and the timeline. Then the CLI end to end, every JSON record against its schema.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type Database from 'better-sqlite3';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { latestRunId, riskTimeline, runAssessment, runRecords, type DeviceRiskRecord } from '../../src/risk/assess.js';
import { importVulnFeeds } from '../../src/vuln/feed-import.js';
import { ROOT, runCli, tempDir } from '../e2e/cli-harness.js';
import { VULNDATA } from '../vuln/vulndata.js';

let dbPath: string;
let store: SqliteStore;
const ids: Record<string, number> = {};

/** A device with attributes (source 'test'), as ingest + identification would leave it. */
function addDevice(db: Database.Database, name: string, category: string, vendor: string, model: string | null, attrs: Record<string, string>): number {
  const key = `02:00:00:00:00:${(Object.keys(ids).length + 1).toString(16).padStart(2, '0')}`;
  const id = Number(db.prepare("INSERT INTO devices (key, key_kind, first_us, last_us, vendor, model, category) VALUES (?, 'mac', 0, 0, ?, ?, ?)").run(key, vendor, model, category).lastInsertRowid);
  for (const [n, v] of Object.entries(attrs)) {
    db.prepare('INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us) VALUES (?, ?, ?, ?, ?, NULL, 0, 0)').run(id, n, v, 'test', 0.9);
  }
  ids[name] = id;
  return id;
}

/** An open finding, as the findings helper writes them (migration 6). */
function addFinding(db: Database.Database, device: number, kind: string, subject: string, cls: string, severity: string, title: string): void {
  db.prepare(`INSERT INTO findings (device_id, kind, subject, class, severity, title, evidence, first_us, last_us, status, assessed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 'open', '2026-11-28T00:00:00Z')`).run(device, kind, subject, cls, severity, title, JSON.stringify([{ source: 'test', detail: 'hand-written' }]));
}

/** An asset register row matched to a device. */
function addAsset(db: Database.Database, device: number, tag: string, fields: Record<string, string>): void {
  const imp = Number(db.prepare("INSERT INTO asset_imports (file, sha256, imported_at, records, added, updated, unchanged, errors) VALUES ('cmms.csv', 'x', '2026-11-28', 1, 1, 0, 0, '[]')").run().lastInsertRowid);
  const a = Number(db.prepare("INSERT INTO assets (asset_key, fields, row_hash, file, line, import_id) VALUES (?, ?, 'h', 'cmms.csv', 2, ?)").run(tag, JSON.stringify({ asset_tag: tag, ...fields }), imp).lastInsertRowid);
  db.prepare("INSERT INTO asset_matches (asset_id, device_id, basis, confidence, evidence, conflicts) VALUES (?, ?, 'mac', 1, 'test', '[]')").run(a, device);
}

before(() => {
  dbPath = join(tempDir(), 'risk.db');
  store = new SqliteStore(dbPath);
  const s = importVulnFeeds(store, [VULNDATA]);
  assert.equal(s.errors.length, 0, s.errors.join('\n'));
  const db = store.db;
  const ws = addDevice(db, 'win7', 'workstation', 'Dell Inc.', null, { vendor: 'Dell Inc.', os: 'Windows 7 Professional 7601 Service Pack 1', smb_dialect: 'NT LM 0.12' });
  addFinding(db, ws, 'insecure_protocol', 'smbv1', 'misconfiguration', 'high', 'SMBv1 in use');
  const pcu = addDevice(db, 'pcu', 'infusion-pump', 'BD', 'Alaris PCU 8015', { vendor: 'Becton, Dickinson and Company', model: 'BD Alaris Point-of-Care Unit (PCU) Model 8015', software_version: '12.1.3' });
  addFinding(db, pcu, 'flat_network', 'vlan 1', 'exposure', 'medium', 'medical device in the IT VLAN');
  addDevice(db, 'pcuFixed', 'infusion-pump', 'BD', 'Alaris PCU 8015', { vendor: 'Becton, Dickinson and Company', model: 'BD Alaris Point-of-Care Unit (PCU) Model 8015', software_version: '12.3.1' });
  const pic = addDevice(db, 'picix', 'central-station', 'Philips', 'PIC iX', { vendor: 'Philips Medical Systems', model: 'Patient Information Center iX', software_version: 'C.02' });
  for (const peer of ['10.1.0.11', '10.1.0.12', '10.1.0.13', '10.1.0.14']) addFinding(db, pic, 'phi_flow', peer, 'exposure', 'info', 'PHI exchanged');
  addAsset(db, pic, 'CE-0042', { fda_class: 'II', backup: 'yes' });
  addDevice(db, 'apexpro', 'telemetry', 'GE Healthcare', 'ApexPro', { vendor: 'GE Healthcare', model: 'ApexPro Telemetry Server', firmware_version: '4.2' });
  addDevice(db, 'apexproNewer', 'telemetry', 'GE Healthcare', 'ApexPro', { vendor: 'GE Healthcare', model: 'ApexPro Telemetry Server', firmware_version: '4.3' });
  addDevice(db, 'printer', 'printer', 'HP Inc.', null, { vendor: 'HP Inc.' });
  runAssessment(db, 40);
});

function rec(name: string): DeviceRiskRecord {
  const r = runRecords(store.db, latestRunId(store.db)!, ids[name])[0];
  assert.ok(r, name);
  return r;
}

const vulnIds = (r: DeviceRiskRecord): string[] => r.vulnerabilities.map((v) => v.vuln_id);
const letter = (l: string): string => l[0]!.toUpperCase();

test('Windows 7 SP1 host with SMBv1: EternalBlue (CVE-2017-0144, NVD SMB 1.0 on windows_7 sp1; CISA KEV) raises likelihood; disabling SMBv1 closes it', () => {
  const r = rec('win7');
  const eb = r.vulnerabilities.find((v) => v.vuln_id === 'CVE-2017-0144');
  assert.ok(eb, vulnIds(r).join(' '));
  assert.equal(eb.kev, true, 'KEV catalog 2025.08.25 lists CVE-2017-0144');
  assert.equal(eb.certainty, 'confirmed');
  // workstation: not medical, no PHI role, disruption LOW → CR:L/IR:L/AR:L appended to the published vector
  assert.equal(`${letter(r.impacts.privacy.level)}${letter(r.impacts.patient_safety.level)}${letter(r.impacts.service_disruption.level)}`, 'LLL');
  assert.equal(eb.cvss!.environmental_vector, `${eb.cvss!.base_vector}/CR:L/IR:L/AR:L`);
  assert.ok(eb.cvss!.environmental_score < eb.cvss!.base_score, 'low requirements lower a C:H/I:H/A:H score');
  const kev = r.components.find((c) => c.part === 'likelihood' && c.term === 'kev');
  assert.ok(kev && /CVE-2017-0144/.test(kev.evidence));
  const smb = r.remediation.find((a) => a.kind === 'configuration' && /SMBv1/.test(a.action));
  assert.ok(smb?.vulns.includes('CVE-2017-0144'));
  assert.deepEqual(smb!.findings, ['insecure_protocol:smbv1']);
  assert.equal(r.tier.tier, 2);
});

test('BD Alaris PCU 8015 at 12.1.3: ICSMA-23-194-01 (<=12.1.3) applies; at 12.3.1 (the fixed PCU release) it does not', () => {
  // ICSMA-23-194-01 product CSAFPID-0001 "BD Alaris Point-of-Care Unit (PCU) Model 8015" <=12.1.3 is known_affected by:
  const advisory = ['CVE-2018-1285', 'CVE-2023-30559', 'CVE-2023-30560', 'CVE-2023-30561', 'CVE-2023-30562', 'CVE-2023-30563', 'CVE-2023-30564', 'CVE-2023-30565'];
  const r = rec('pcu');
  const found = r.vulnerabilities.filter((v) => v.sources.includes('csaf:ICSMA-23-194-01')).map((v) => v.vuln_id).sort();
  assert.deepEqual(found, advisory);
  assert.equal(r.vulnerabilities_total, advisory.length, 'and nothing else: CVE-2016-8375/9355 (<= 9.5, 9.7) are older versions');
  assert.equal(r.impacts.patient_safety.level, 'high', 'infusion pump: life-sustaining medication');
  for (const v of r.vulnerabilities) assert.ok(v.cvss!.environmental_vector.endsWith('/CR:M/IR:H/AR:H'), v.cvss!.environmental_vector);
  assert.equal(r.tier.tier, 1);
  assert.ok(r.components.some((c) => c.term === 'flat_network' && c.value === 0.1));
  // the vendor fixes of ICSMA-23-194-01 name other products (Systems Manager 12.5.1, Calculation Services 1.1.1):
  // the PCU gets the range-based update and the advisory's mitigations
  const patch = r.remediation.find((a) => a.kind === 'patch')!;
  assert.doesNotMatch(patch.action, /Systems Manager Software version 12\.5\.1/);
  assert.match(patch.action, /<= ?12\.1\.3/);
  assert.match(r.remediation.find((a) => a.kind === 'compensating_control')!.detail, /^ICSMA-23-194-01 mitigation/);
  const fixed = rec('pcuFixed');
  assert.deepEqual(vulnIds(fixed).filter((id) => advisory.includes(id)), []);
  assert.equal(fixed.risk_index, 0, 'no weakness at all');
});

test('Philips PIC iX C.02: CVE-2021-43548 (ICSMA-21-322-02); register class II and backup, PHI with four peers', () => {
  const r = rec('picix');
  const v = r.vulnerabilities.find((x) => x.vuln_id === 'CVE-2021-43548');
  assert.ok(v?.sources.includes('csaf:ICSMA-21-322-02'), vulnIds(r).join(' '));
  assert.equal(r.impacts.fda_class, 'II');
  assert.match(r.impacts.patient_safety.reasons[0]!, /asset register \(CE-0042\)/);
  assert.equal(r.impacts.privacy.level, 'high', 'PHI with 4 distinct peers');
  assert.equal(r.impacts.service_disruption.level, 'medium', 'central station HIGH, lowered by the recorded backup');
  assert.ok(v!.cvss!.environmental_vector.includes('/CR:H/IR:M/AR:M'));
  assert.equal(r.tier.tier, 1, 'serves many patients');
});

test('GE ApexPro Telemetry Server: firmware 4.2 → CVE-2020-6961 (NVD apexpro_telemetry_server_firmware <= 4.2); 4.3 → not', () => {
  assert.ok(vulnIds(rec('apexpro')).includes('CVE-2020-6961'));
  assert.ok(!vulnIds(rec('apexproNewer')).includes('CVE-2020-6961'));
  const p = rec('printer');
  assert.equal(p.vulnerabilities_total, 0);
  assert.equal(p.risk_index, 0);
});

test('every record explains its index: the formula recomputes from the parts, components carry evidence', () => {
  for (const name of Object.keys(ids)) {
    const r = rec(name);
    assert.equal(r.risk_index, Math.round(100 * r.impact * (r.weakness / 10) * r.likelihood), `${name}: ${r.formula}`);
    assert.equal(r.above_threshold, r.risk_index > r.threshold);
    assert.equal(r.components.filter((c) => c.part === 'impact').length, 3);
    assert.ok(r.components.every((c) => c.evidence.length > 0));
    for (let i = 1; i < r.remediation.length; i++) assert.ok(r.remediation[i - 1]!.risk_removed >= r.remediation[i]!.risk_removed);
  }
});

test('snapshots: one assessment_runs row per run, one device_risk row per device; the timeline grows; threshold stored', () => {
  const db = store.db;
  const first = latestRunId(db)!;
  const devices = (db.prepare('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n;
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM device_risk WHERE run_id = ?').get(first) as { n: number }).n, devices);
  const { summary } = runAssessment(db, 5);
  assert.equal(summary.run_id, first + 1);
  assert.equal(summary.threshold, 5);
  assert.equal(summary.above, runRecords(db, summary.run_id).filter((r) => r.risk_index > 5).length);
  assert.deepEqual(summary.work_list.map((w) => w.risk_index), [...summary.work_list.map((w) => w.risk_index)].sort((a, b) => b - a));
  const t = riskTimeline(db, ids.pcu!);
  assert.deepEqual(t.map((x) => x.threshold), [40, 5]);
  assert.equal(t[0]!.risk_index, t[1]!.risk_index, 'same inputs, same index');
});

test('CLI: assess, risk, remediation, vulns --kev and the device Risk section; JSON against the schemas; exit codes', () => {
  store.close();
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  for (const f of ['remediation', 'device-risk', 'assessment-summary']) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, `schemas/${f}.schema.json`), 'utf8')));
  const valid = (schema: string, x: unknown): void => {
    const v = ajv.getSchema(`https://medtap.local/schemas/${schema}.schema.json`)!;
    assert.ok(v(x), `${schema}: ${JSON.stringify(v.errors)}`);
  };
  const assess = runCli(['assess', '--json', '--threshold', '30', '--db', dbPath]);
  assert.equal(assess.code, 0, assess.stderr);
  const summary = JSON.parse(assess.stdout) as { threshold: number; devices: number };
  valid('assessment-summary', summary);
  assert.equal(summary.threshold, 30);
  const risk = runCli(['risk', '--json', '--db', dbPath]);
  const records = JSON.parse(risk.stdout) as DeviceRiskRecord[];
  assert.equal(records.length, summary.devices);
  for (const r of records) valid('device-risk', r);
  const above = JSON.parse(runCli(['risk', '--json', '--above', '20', '--db', dbPath]).stdout) as DeviceRiskRecord[];
  assert.deepEqual(above.map((r) => r.device_id), records.filter((r) => r.risk_index > 20).map((r) => r.device_id));
  const rem = JSON.parse(runCli(['remediation', '--json', '--db', dbPath]).stdout) as { rank: number; risk_removed: number }[];
  rem.forEach((a, i) => {
    valid('remediation', a);
    assert.equal(a.rank, i + 1);
  });
  const kev = JSON.parse(runCli(['vulns', '--kev', '--json', '--db', dbPath]).stdout) as { kev: boolean; vuln_id: string }[];
  assert.ok(kev.length > 0 && kev.every((v) => v.kev) && kev.some((v) => v.vuln_id === 'CVE-2017-0144'));
  const text = runCli(['risk', '--device', String(ids.pcu), '--db', dbPath]);
  assert.match(text.stdout, /FDA premarket tier 1/);
  assert.match(text.stdout, /CR:M\/IR:H\/AR:H/);
  const device = runCli(['device', String(ids.pcu), '--db', dbPath]);
  assert.equal(device.code, 0, device.stderr);
  assert.match(device.stdout, /risk \(latest assessment\)\nrisk index \d+/);
  assert.match(device.stdout, /timeline \(run time, index\): .*, .*, /, 'three runs so far');
  // the threshold from the environment, and refused values
  const env = JSON.parse(runCli(['assess', '--json', '--db', dbPath], { env: { MEDTAP_RISK_THRESHOLD: '15' } }).stdout) as { threshold: number };
  assert.equal(env.threshold, 15);
  assert.equal(runCli(['assess', '--threshold', '200', '--db', dbPath]).code, 2);
  assert.equal(runCli(['risk', '--above', 'x', '--db', dbPath]).code, 2);
  assert.equal(runCli(['risk', '--device', '999', '--db', dbPath]).code, 1);
});

test('risk on an inventory never assessed runs an assessment first and stores it', () => {
  const dir = tempDir();
  const path = join(dir, 'fresh.db');
  const s = new SqliteStore(path);
  addDevice(s.db, 'fresh', 'ventilator', 'Draeger', 'Evita', { vendor: 'Draeger' });
  s.close();
  const r = runCli(['risk', '--db', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /assessment run 1 \(just run\)/);
  assert.match(runCli(['risk', '--db', path]).stdout, /assessment run 1\n/);
});

test('risk re-assesses when an ingest came after the latest assessment, and reuses a current one', () => {
  const dbPath = join(tempDir(), 'stale.db');
  const run = (args: string[]): string => {
    const r = runCli([...args, '--db', dbPath]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  run(['ingest', join(ROOT, 'samples/medical/hl7-pcd01-oru.pcap'), '--no-progress']);
  assert.match(run(['risk']), /assessment run 1 \(just run\)/);
  assert.match(run(['risk']), /assessment run 1\n$/);
  run(['ingest', join(ROOT, 'samples/medical/poct1a-conversation.pcap'), '--no-progress']);
  assert.match(run(['risk']), /assessment run 2 \(just run\)/);
});
