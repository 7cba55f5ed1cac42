/**
 * End-to-end tests of the HL7 v2 and POCT1-A analyzers through the real CLI and a real SQLite file, on the
 * synthetic captures of samples/medical (built from the specifications) and the corpus HL7 captures:
 * - no patient or operator value of the test data reaches the logs, the database, stdout or stderr;
 * - every hl7.jsonl / poct1a.jsonl record follows its schema;
 * - identity facts: system names and roles, device identity from PRT / OBX-18 (UDIs), POCT1-A Hello; the kind of
 *   observations an ORU sender reports (OBX-3 codes) and the categories the role rules draw from it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildMedicalCaptures } from '../../scripts/make-medical-captures.js';
import { containsValue, CORPUS, ROOT, runCli, storedTexts, tempDir } from './cli-harness.js';

const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
(addFormats as unknown as typeof addFormats.default)(ajv);

/** The corpus HL7 captures (nDPI, and tapirx without its HL7-ADT.pcap, byte-identical to nDPI's): fictional patients "Mickey/Minnie Mouse" with addresses, DOBs and IDs. */
const CORPUS_HL7 = ['hl7/ndpi__hl7.pcap', ...['ADT-UDI-OBX', 'ADT-UDI-PRT', 'ORM', 'ORU'].map((n) => `medical/tapirx__HL7-${n}.pcap`)];
/** Their PID/PV1/NK1 values (read with tshark, see test/conformance/hl7/README.md). */
const CORPUS_PHI = ['MOUSE', 'MICKEY', 'MINNIE', '19281118', '19240101', '135769', 'Main St', 'Lake Buena Vista', 'ohtoodles', '939-5555', '999999999', 'MOUSETOWN', 'MOUSEHOLE', 'FORT WAYNE', '46808', 'DONALD', 'GOOFY', 'MIE&1.2.840'];

interface Device { macs: string[]; attributes: { name: string; value: string; source: string; confidence: number; evidence: string }[] }

/**
 * Ingests every synthetic capture and the corpus HL7 captures into one database with logs, one run per capture (the
 * corpus captures share addresses, ports and times: in one run they would be one connection).
 */
function ingestAll(): { db: string; logs: string; out: string; devices: Device[] } {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const inputs = [...buildMedicalCaptures().map((c) => join(ROOT, 'samples/medical', c.file)), ...CORPUS_HL7.map((c) => join(CORPUS, c))];
  let out = '';
  for (const input of inputs) {
    const r = runCli(['ingest', input, '--json', '--db', db, '--log-dir', logs]);
    assert.equal(r.code, 0, r.stderr);
    out += r.stdout + r.stderr;
  }
  const list = runCli(['devices', '--json', '--db', db]);
  assert.equal(list.code, 0, list.stderr);
  return { db, logs, out: out + list.stdout + list.stderr, devices: JSON.parse(list.stdout) as Device[] };
}

const run = ingestAll();
const attrs = (mac: string): Device['attributes'] => run.devices.find((d) => d.macs.includes(mac))?.attributes ?? [];
const has = (mac: string, name: string, value: string): boolean => attrs(mac).some((a) => a.name === name && a.value === value);

test('no patient or operator value of the test data appears in logs, database, stdout or stderr', () => {
  const secrets = [...new Set([...buildMedicalCaptures().flatMap((c) => c.phi), ...CORPUS_PHI])];
  const places = storedTexts(run.out, run.logs, run.db);
  for (const [where, text] of places) for (const s of secrets) assert.ok(!containsValue(text, s), `${JSON.stringify(s)} found in ${where}`);
  // and the PHI kinds are there instead
  assert.match(readFileSync(join(run.logs, 'hl7.jsonl'), 'utf8'), /"PID:name"/);
  assert.match(readFileSync(join(run.logs, 'poct1a.jsonl'), 'utf8'), /"PT.patient_id"/);
});

test('hl7.jsonl and poct1a.jsonl records follow their schemas', () => {
  const counts: Record<string, number> = {};
  for (const proto of ['hl7', 'poct1a']) {
    const schema = ajv.compile(JSON.parse(readFileSync(join(ROOT, `schemas/logs/${proto}.schema.json`), 'utf8')));
    const lines = readFileSync(join(run.logs, `${proto}.jsonl`), 'utf8').trim().split('\n');
    for (const l of lines) assert.ok(schema(JSON.parse(l)), `${proto}: ${JSON.stringify(schema.errors)}`);
    counts[proto] = lines.length;
  }
  // HL7: 26 messages in samples/medical (see its README) + 10 in the corpus captures; POCT1-A: 9 + 9
  assert.deepEqual(counts, { hl7: 36, poct1a: 18 });
});

test('HL7 identity: system names on sender and receiver, roles with counts, UDIs from PRT and OBX-18', () => {
  // hl7-prt-udi.pcap: the EHR 10.30.0.30 (02:4d:54:00:00:1e) sends ADT^A01 and ORU^R01 with three device PRTs
  const ehr = '02:4d:54:00:00:1e';
  assert.ok(has(ehr, 'hl7_sending_application', 'EHR'));
  assert.ok(has(ehr, 'hl7_sending_facility', 'MAIN^2.16.840.1.113883.19.5^ISO'));
  assert.ok(has(ehr, 'hl7_role', 'sender ADT^A01'));
  assert.ok(has(ehr, 'udi_device_identifier', '51022222233336')); // GS1 GTIN of PRT-10 and PRT-16
  assert.ok(has(ehr, 'udi_device_identifier', 'A123BJC5D6E71')); // HIBCC LIC+PCN+U/M
  assert.ok(has(ehr, 'udi_device_identifier', '1AB370000007JC89')); // ICCBBA PPIC
  assert.ok(has(ehr, 'device_serial', '1234') && has(ehr, 'device_serial', '9Z9Z9') && has(ehr, 'device_serial', '000042'));
  assert.ok(has(ehr, 'device_type', 'Infusion pump'));
  // three device identities from one sender: a gateway, so the low grade
  assert.ok(attrs(ehr).filter((a) => a.name === 'udi_device_identifier').every((a) => a.confidence === 0.3));
  const assets = '02:4d:54:00:00:06';
  assert.ok(has(assets, 'hl7_receiving_application', 'ASSETS'));
  assert.ok(has(assets, 'hl7_sending_application', 'ASSETS'));
  assert.ok(attrs(assets).some((a) => a.name === 'hl7_role' && a.value === 'receiver ORU^R01' && a.evidence === '1 HL7 ORU^R01 message from 10.30.0.30 (1)'));
  // tapirx OBX-18 / PRT-16 "Hospira Plum A+" (the device name the tapirx test data puts there)
  assert.ok(has('00:03:b1:b5:b6:48', 'hl7_equipment_identifier', 'Hospira Plum A+'));
  assert.ok(run.devices.some((d) => d.attributes.some((a) => a.name === 'udi_device_identifier' && a.value === 'Hospira Plum A+' && a.evidence.includes('PRT-16'))));
  // the PCD-01 gateway reported two monitors by OBX-18
  const dor = '02:4d:54:00:00:14';
  assert.ok(has(dor, 'hl7_equipment_identifier', 'MONITOR-1') && has(dor, 'hl7_equipment_identifier', 'MONITOR-2'));
  assert.ok(has(dor, 'hl7_sending_application', 'DOR_GATEWAY^0A0B0C0D0E0F1011^EUI-64'));
  assert.ok(attrs(dor).some((a) => a.name === 'hl7_role' && a.value === 'sender ORU^R01' && a.evidence === '2 HL7 ORU^R01 messages to 10.30.0.5 (2)'));
  // bare HL7 with custom delimiters, found by content on port 5555: the analyzer's serial in OBX-18
  assert.ok(has('02:4d:54:00:00:46', 'hl7_equipment_identifier', 'ANALYZER-SN-5501'));
  assert.ok(has('02:4d:54:00:00:46', 'hl7_sending_application', 'ANALYZER!7'));
});

test('HL7 observation kinds (OBX-3): lab results make an analyzer or an LIS, MDC vitals a central station', () => {
  const kind = (mac: string): string[] => attrs(mac).filter((a) => a.name === 'hl7_observation_kind').map((a) => a.value).sort();
  const category = (mac: string): string | undefined => attrs(mac).filter((a) => a.name === 'category').sort((a, b) => b.confidence - a.confidence)[0]?.value;
  // hl7-lab-results.pcap: the analyzer (locally administered MAC: no lab maker's OUI) sends LOINC results to the LIS only
  const analyzer = '02:4d:54:00:00:50';
  assert.deepEqual(kind(analyzer), ['laboratory']);
  assert.ok(attrs(analyzer).some((a) => a.name === 'hl7_observation_kind' && a.evidence.startsWith('8 OBX-3 codes of laboratory (LN 8) in HL7 ORU messages to 10.30.0.11;')));
  assert.equal(category(analyzer), 'lab-analyzer');
  // the LIS sends them on to two systems: an information system
  assert.deepEqual(kind('02:4d:54:00:00:0b'), ['laboratory']);
  assert.equal(category('02:4d:54:00:00:0b'), 'server');
  // hl7-pcd01-oru.pcap: the Device Observation Reporter's MDC codes are partition 2 (vital signs)
  const dor = '02:4d:54:00:00:14';
  assert.deepEqual(kind(dor), ['vital_signs']);
  assert.ok(attrs(dor).some((a) => a.name === 'hl7_observation_kind' && a.evidence.startsWith('4 OBX-3 codes of vital signs (MDC 4)')));
  assert.equal(category(dor), 'central-station');
  // the tapirx ORU (a CBC: local codes with LOINC alternates) is a laboratory report
  assert.ok(run.devices.some((d) => d.attributes.some((a) => a.name === 'hl7_observation_kind' && a.value === 'laboratory' && a.evidence.includes('(LN 11)'))));
  // local codes only (hl7-batch-resync.pcap's central station, the bare analyzer): no kind
  assert.deepEqual(kind('02:4d:54:00:00:0a'), []);
  assert.deepEqual(kind('02:4d:54:00:00:46'), []);
});

test('POCT1-A identity: the Hello describes the device; roles by message type', () => {
  const meter = '02:4d:54:00:00:28';
  for (const [name, value] of [['poct1a_device_id', '02:4d:54:00:00:28'], ['poct1a_vendor_id', 'ACME'], ['poct1a_model_id', 'GLU-9'],
    ['device_serial', 'SN-0042'], ['poct1a_manufacturer', 'Acme Diagnostics'], ['poct1a_sw_version', '3.4.5'], ['poct1a_hw_version', '1.2'],
    ['poct1a_device_name', 'Ward 3 meter'], ['poct1a_role', 'sender OBS.R01'], ['poct1a_role', 'receiver END.R01']] as const) {
    assert.ok(has(meter, name, value), `${name}=${value}`);
  }
  assert.ok(has('02:4d:54:00:00:29', 'poct1a_device_name', 'ER meter & dock'));
  assert.ok(has('02:4d:54:00:00:09', 'poct1a_role', 'sender OPL.R01'));
  assert.ok(!has('02:4d:54:00:00:09', 'poct1a_vendor_id', 'ACME'), 'the manager does not get the device facts');
});
