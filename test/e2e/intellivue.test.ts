/**
 * End-to-end test of the IntelliVue Data Export analyzer through the real CLI and a real SQLite file, on the
 * spec-built capture samples/medical/intellivue-data-export.pcap (scripts/make-intellivue-captures.ts; no public capture
 * of the protocol exists):
 * - every intellivue.jsonl record follows schemas/logs/intellivue.schema.json, one per datagram of the capture;
 * - the monitor is identified (vendor Philips, category patient-monitor, model, serial, software revision) and the
 *   data-export client gets its role only;
 * - the made-up patient name, ID and birth date appear nowhere (logs, database file bytes and rows, CLI output); their
 *   kinds do.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildIntellivueCaptures, INTELLIVUE_MONITOR } from '../../scripts/make-intellivue-captures.js';
import { ROOT, runCli, storedTexts, tempDir } from './cli-harness.js';

const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
(addFormats as unknown as typeof addFormats.default)(ajv);

interface Device {
  macs: string[];
  vendor: string | null;
  model: string | null;
  category: string | null;
  software: { name: string; version: string | null }[];
  attributes: { name: string; value: string; source: string }[];
}

const CAPTURE = buildIntellivueCaptures()[0]!;
const MONITOR_MAC = '02:4d:54:00:00:32';
const CLIENT_MAC = '02:4d:54:00:00:3c';

/** Ingests the capture with logs, then lists the devices. */
function ingest(): { db: string; logs: string; out: string; devices: Device[] } {
  const dir = tempDir();
  const db = join(dir, 'iv.db');
  const logs = join(dir, 'logs');
  const r = runCli(['ingest', join(ROOT, 'samples/medical', CAPTURE.file), '--json', '--db', db, '--log-dir', logs]);
  assert.equal(r.code, 0, r.stderr);
  const list = runCli(['devices', '--json', '--db', db]);
  assert.equal(list.code, 0, list.stderr);
  return { db, logs, out: r.stdout + r.stderr + list.stdout + list.stderr, devices: JSON.parse(list.stdout) as Device[] };
}

const run = ingest();
const device = (mac: string): Device => run.devices.find((d) => d.macs.includes(mac))!;
const has = (mac: string, name: string, value: string): boolean => device(mac).attributes.some((a) => a.name === name && a.value === value);

test('intellivue.jsonl: one schema-valid record per datagram, the message kinds of the capture in order', () => {
  const schema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/intellivue.schema.json'), 'utf8')));
  const lines = readFileSync(join(run.logs, 'intellivue.jsonl'), 'utf8').trim().split('\n');
  const records = lines.map((l) => JSON.parse(l) as { message: string; operation: string | null; ro_type: string | null; anomalies: string[]; poll: { obj_type: string } | null });
  for (const r of records) assert.ok(schema(r), JSON.stringify(schema.errors));
  // samples/medical/README.md: Connect Indication; AARQ, AARE; MDS Create + result; numeric poll, result; numeric poll,
  // linked result + result; alarm poll, result; demographics poll, result; release request, response
  assert.deepEqual(records.map((r) => r.message === 'data_export' ? `${r.operation}/${r.ro_type}` : r.message), [
    'connect_indication', 'association_request', 'association_response', 'mds_create/invoke', 'mds_create/result',
    'poll/invoke', 'poll/result', 'poll/invoke', 'poll/linked_result', 'poll/result', 'poll/invoke', 'poll/result',
    'poll/invoke', 'poll/result', 'release_request', 'release_response',
  ]);
  assert.deepEqual(records.filter((r) => r.poll !== null && r.ro_type === 'invoke').map((r) => r.poll!.obj_type), ['numeric', 'numeric', 'alarm', 'patient_demographics']);
  assert.ok(records.every((r) => r.anomalies.length === 0));
});

test('the monitor: vendor Philips, category patient-monitor, model, serial, software revision, bed label, role', () => {
  const m = device(MONITOR_MAC);
  assert.equal(m.vendor, 'Philips');
  assert.equal(m.category, 'patient-monitor');
  assert.equal(m.model, 'IntelliVue MP70'); // System Model M8007A
  assert.deepEqual(m.software.map((s) => [s.name, s.version]), [['IntelliVue', INTELLIVUE_MONITOR.swRevision]]);
  assert.ok(has(MONITOR_MAC, 'intellivue_serial', INTELLIVUE_MONITOR.serial));
  assert.ok(has(MONITOR_MAC, 'intellivue_sw_revision', INTELLIVUE_MONITOR.swRevision));
  assert.ok(has(MONITOR_MAC, 'intellivue_fw_revision', INTELLIVUE_MONITOR.fwRevision));
  assert.ok(has(MONITOR_MAC, 'intellivue_hw_revision', INTELLIVUE_MONITOR.hwRevision));
  assert.ok(has(MONITOR_MAC, 'intellivue_model', INTELLIVUE_MONITOR.model));
  assert.ok(has(MONITOR_MAC, 'intellivue_bed_label', INTELLIVUE_MONITOR.bedLabel));
  assert.ok(has(MONITOR_MAC, 'intellivue_protocol_version', '80000000'));
  assert.ok(has(MONITOR_MAC, 'intellivue_role', 'monitor'));
  const c = device(CLIENT_MAC);
  assert.ok(has(CLIENT_MAC, 'intellivue_role', 'data-export client'));
  assert.equal(c.vendor, null);
  assert.ok(!c.attributes.some((a) => a.name === 'intellivue_serial'), 'the client does not get the monitor facts');
});

test('no patient value of the test data appears in logs, database, stdout or stderr; the PHI kinds do', () => {
  const places = storedTexts(run.out, run.logs, run.db);
  assert.ok(CAPTURE.phi.length >= 4);
  for (const [where, text] of places) for (const s of CAPTURE.phi) assert.ok(!text.includes(s), `${JSON.stringify(s)} found in ${where}`);
  assert.match(readFileSync(join(run.logs, 'intellivue.jsonl'), 'utf8'), /"phi_kinds":\["name","id","birth_date","sex","patient_type"\]/);
});
