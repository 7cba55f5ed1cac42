/**
 * End-to-end test of the clinical context import through the real CLI: the sample capture is ingested, its CMMS
 * export (samples/hospital-assets.csv) imported; every match is checked against the sample's own host table
 * (scripts/make-sample.ts), the deliberate mismatches against what the CSV was written to contain, and a
 * re-import against the first. Also a JSON register with a mapping file, and the CLI's refusals.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { ROOT, runCli, SAMPLE, tempDir } from './cli-harness.js';
import { SAMPLE_HOSTS } from '../../scripts/make-sample.js';
import type { AssetRecord, ImportSummary, UnregisteredDevice } from '../../src/context/asset-store.js';
import type { DeviceRecord } from '../../src/inventory/sqlite-store.js';

const CSV = join(ROOT, 'samples/hospital-assets.csv');
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
const assetSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/asset.schema.json'), 'utf8')));
const host = (name: string) => SAMPLE_HOSTS.find((h) => h.name === name)!;

function ingestedSample(): string {
  const db = join(tempDir(), 'a.db');
  const r = runCli(['ingest', SAMPLE, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  return db;
}

test('the sample CMMS export: bad rows with file:line and column, matches by basis, both unmatched lists, idempotent re-import', () => {
  const db = ingestedSample();
  const r = runCli(['import', 'assets', CSV, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as ImportSummary;
  // 30 records (one spans two lines), two deliberately bad: a non-hex MAC digit (line 18) and FDA class IV (line 31).
  assert.deepEqual([s.records, s.imported, s.added], [30, 28, 28]);
  assert.deepEqual(s.errors.map((e) => [e.where, e.column]), [[`${CSV}:18`, 'MAC Address'], [`${CSV}:31`, 'FDA Class']]);
  assert.deepEqual(s.ignored_columns, ['Last PM Date']);
  // pump-03 and ws-hp-02 are listed by host name only, hl7-engine and printer-01 by IP only; the rest by MAC.
  assert.deepEqual(s.matched, { mac: 22, serial: 0, udi: 0, hostname: 2, ip: 2 });

  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as DeviceRecord[];
  const byId = new Map(devices.map((d) => [d.id, d]));
  const assets = JSON.parse(runCli(['assets', '--json', '--db', db]).stdout) as AssetRecord[];
  for (const a of assets) {
    if (a.match === null) continue;
    const expected = SAMPLE_HOSTS.find((h) => h.name === a.fields.hostname || (!a.fields.hostname && h.ip === a.fields.ip))!;
    assert.ok(expected, `${a.key}: no sample host`);
    assert.deepEqual(byId.get(a.match.device_id)!.macs, [expected.mac], `${a.key} matched the wrong device`);
  }
  for (const a of [...assets, ...(JSON.parse(runCli(['assets', '--unmatched', '--json', '--db', db]).stdout) as { assets_never_seen: AssetRecord[] }).assets_never_seen]) {
    assert.ok(assetSchema(a), `${a.key}: ${ajv.errorsText(assetSchema.errors)}`);
  }
  const basis = (tag: string) => assets.find((a) => a.key === `asset_tag:${tag}`)!.match;
  assert.equal(basis('BME-10043')!.basis, 'hostname');
  assert.equal(basis('IT-30060')!.basis, 'ip');
  // The wrong IP of icu-bed-03 and the software vendor named for asm-server are kept as conflicts.
  assert.deepEqual(basis('BME-10023')!.conflicts, [{ field: 'ip', register: '10.10.0.33', discovered: [host('icu-bed-03').ip] }]);
  assert.deepEqual(basis('IT-20012')!.conflicts.map((c) => [c.field, c.register]), [['vendor', 'BD']]);
  // The register's FDA class is the device's (fda_class_source asset_register), over the category default.
  const central = (JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as DeviceRecord[]).find((d) => d.macs[0] === host('piic-central-01').mac)!;
  assert.deepEqual([central.fda_class, central.fda_class_source, central.fda_regulation], ['II', 'asset_register', '870.1025']);

  const u = JSON.parse(runCli(['assets', '--unmatched', '--json', '--db', db]).stdout) as { assets_never_seen: AssetRecord[]; devices_missing_from_register: UnregisteredDevice[] };
  // pump-04 is listed by serial only (the sample's traffic carries no serial), pump-05 never was on the network.
  assert.deepEqual(u.assets_never_seen.map((a) => a.key), ['asset_tag:BME-10044', 'asset_tag:BME-10045']);
  // Left out of the CSV: pump-04 (by its network identity), ws-hp-03, tablet-ward3; the switch's two LLDP port MACs;
  // and the seven hosts added with the sample's DICOM/HL7/POCT1-A traffic (scripts/sample-clinical.ts), which the
  // CSV (written before them) does not list.
  const clinical = ['mr-01', 'us-01', 'ris-01', 'rad-viewer-01', 'ehr-01', 'poc-meter-01', 'poc-dm-01', 'vent-01'].map((n) => host(n).mac);
  const missing = u.devices_missing_from_register.map((d) => d.macs[0]).sort();
  assert.deepEqual(missing, [host('pump-04').mac, host('ws-hp-03').mac, host('tablet-ward3').mac, '00:1b:54:3a:10:01', '00:1b:54:3a:10:30', ...clinical].sort());
  const text = runCli(['assets', '--unmatched', '--db', db]).stdout;
  assert.match(text, /assets never seen on the network \(2\)/);
  assert.match(text, /discovered devices missing from the register \(13\)/);

  const again = JSON.parse(runCli(['import', 'assets', CSV, '--db', db, '--json']).stdout) as ImportSummary;
  assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 28]);
  assert.equal(runCli(['assets', '--json', '--db', db]).stdout, JSON.stringify(assets, null, 2) + '\n');
  assert.deepEqual(JSON.parse(runCli(['devices', '--json', '--db', db]).stdout), devices);
});

test('medtap device shows the asset context; the text summary names each bad row', () => {
  const db = ingestedSample();
  const imp = runCli(['import', 'assets', CSV, '--db', db]);
  assert.match(imp.stdout, /30 rows, 28 imported \(28 new, 0 updated, 0 unchanged\), 2 refused/);
  assert.match(imp.stdout, /hospital-assets\.csv:18: column 'MAC Address': '44:4b:5d:03:a1:6g' is not a MAC address/);
  assert.match(imp.stdout, /hospital-assets\.csv:31: column 'FDA Class': 'IV' is not an FDA device class/);
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as DeviceRecord[];
  const asm = devices.find((d) => d.macs[0] === host('asm-server').mac)!;
  const out = runCli(['device', String(asm.id), '--db', db]).stdout;
  assert.match(out, /asset asset_tag:IT-20012 \(.*hospital-assets\.csv:11\), matched by mac \(0\.95\)/);
  // The Dell hardware (IEEE OUI) disagrees with the register's BD: both stay, in the conflicts and in the evidence.
  assert.match(out, /disagrees with traffic: vendor BD \(seen Dell\/Dell Inc\.\)/);
  const j = JSON.parse(runCli(['device', String(asm.id), '--json', '--db', db]).stdout) as DeviceRecord & { assets: AssetRecord[] };
  assert.equal(j.assets[0]!.fields.department, 'Pharmacy');
  assert.ok(j.attributes.some((a) => a.name === 'vendor' && a.value === 'BD' && a.source === 'asset_register'));
  assert.ok(j.attributes.some((a) => a.name === 'vendor' && /^Dell/.test(a.value) && a.source !== 'asset_register'));
  assert.ok(j.evidence.some((e) => e.attribute === 'vendor' && e.value === 'BD' && e.source === 'asset_register'));
  assert.ok(j.evidence.some((e) => e.attribute === 'vendor' && e.value === 'Dell' && e.source === 'oui'));
});

test('a JSON register with a mapping file; refused mapping, unreadable file and missing inventory', () => {
  const db = ingestedSample();
  const dir = tempDir();
  const reg = join(dir, 'cmdb.json');
  writeFileSync(reg, JSON.stringify([
    { 'CI Name': 'ws-hp-03', 'Net Addr': host('ws-hp-03').ip, Ward: 'Outpatient clinic', Owner: 'Service desk' },
    { 'CI Name': 'tablet-ward3', 'Net Addr': '10.20.0.777', Ward: 'Ward 3' },
  ], null, 2));
  const mapping = join(dir, 'map.json');
  writeFileSync(mapping, JSON.stringify({ 'CI Name': 'hostname', 'Net Addr': 'ip', Ward: 'department', Owner: null }));
  const r = runCli(['import', 'assets', reg, '--mapping', mapping, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as ImportSummary;
  assert.equal(s.imported, 1);
  assert.deepEqual(s.errors.map((e) => [e.line, e.column]), [[8, 'Net Addr']]);
  assert.deepEqual(s.matched.ip, 1);
  assert.deepEqual(s.ignored_columns, ['Owner']);
  writeFileSync(mapping, JSON.stringify({ 'CI Name': 'name' }));
  const bad = runCli(['import', 'assets', reg, '--mapping', mapping, '--db', db]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /map\.json: column 'CI Name': 'name' is not a medtap field/);
  assert.equal(runCli(['import', 'assets', join(dir, 'nope.csv'), '--db', db]).code, 1);
  assert.equal(runCli(['assets', '--db', join(dir, 'none.db')]).code, 1);
});
