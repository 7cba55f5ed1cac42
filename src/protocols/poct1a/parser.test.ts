/**
 * Tests of the POCT1-A DML reader (parser.ts). Messages are built from CLSI POCT1-A2's device messaging layer
 * (src/synth/poct1a-messages.ts: root = message name, HDR first, values in V attributes); each test names the
 * message and objects it follows. Patient and operator values are made up and must never appear in a record.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ackR01, dstR01, dtvR01, endR01, eotR01, helloR01, obsR01, oplR01 } from '../../synth/poct1a-messages.js';
import { runMutations } from '../mutation-harness.js';
import { parsePoct1aMessage, POCT1A_ANOMALIES, type Poct1aMessage } from './parser.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const parse = (s: string): Poct1aMessage => {
  const b = enc(s);
  const r = parsePoct1aMessage(b, 0, b.length);
  if (!r.ok) assert.fail(r.error);
  return r.value;
};
const T = '2024-03-01T08:00:00+01:00';
const DEVICE = {
  deviceId: '00:11:22:33:44:55', vendorId: 'ACME', modelId: 'GLU-9', serialId: 'SN-0042', manufacturer: 'Acme Diagnostics',
  hwVersion: '1.2', swVersion: '3.4.5', deviceName: 'Ward 3 meter', topics: ['OBS', 'OPL'], directives: ['START_CONTINUOUS'],
};
const PATIENT = { id: 'MRN884422', name: 'ZZTESTPATIENT, QQGIVEN', birthDate: '1970-01-01' };
const SECRETS = ['MRN884422', 'ZZTESTPATIENT', 'QQGIVEN', '1970-01-01', 'NURSE-ZZ7', 'Zed Operator', '5.4', 'mmol'];

test('HEL.R01 (Hello): HDR, DEV, DCP, DSC', () => {
  const m = parse(helloR01('1', T, DEVICE));
  assert.deepEqual([m.message_type, m.topic, m.xml_encoding], ['HEL.R01', 'HEL', 'UTF-8']);
  assert.deepEqual([m.control_id, m.version_id, m.creation_dttm], ['1', 'POCT1', T]);
  assert.deepEqual(
    [m.device_id, m.vendor_id, m.model_id, m.serial_id, m.manufacturer_name, m.hw_version, m.sw_version, m.device_name],
    ['00:11:22:33:44:55', 'ACME', 'GLU-9', 'SN-0042', 'Acme Diagnostics', '1.2', '3.4.5', 'Ward 3 meter'],
  );
  assert.deepEqual([m.connection_profile, m.topics_supported, m.directives_supported, m.max_message_size, m.application_timeout],
    ['SA', ['OBS', 'OPL'], ['START_CONTINUOUS'], 65536, 30]);
  assert.equal(m.element_count, 22); // root, HDR + 3, DEV + 8, DCP + 1, DSC + 5
  assert.deepEqual(m.anomalies, []);
});

test('ACK.R01, DST.R01, EOT.R01, END.R01, DTV.R01', () => {
  const ack = parse(ackR01('9', T, '1', 'AE'));
  assert.deepEqual([ack.message_type, ack.ack_type, ack.ack_control_id], ['ACK.R01', 'AE', '1']);
  const dst = parse(dstR01('2', T, 3));
  assert.deepEqual([dst.topic, dst.new_observations_qty, dst.new_events_qty, dst.status_condition], ['DST', 3, 0, 'R']);
  assert.equal(parse(eotR01('4', T, 'OBS')).eot_topic, 'OBS');
  assert.equal(parse(endR01('5', T, 'USR')).terminate_reason, 'USR');
  assert.equal(parse(dtvR01('6', T, 'START_CONTINUOUS')).directive, 'START_CONTINUOUS');
  // the variants ACK.type_id / ACK.control_id of some vendor manuals
  const v = parse('<ACK.R01><ACK><ACK.type_id V="AA"/><ACK.control_id V="3"/></ACK></ACK.R01>');
  assert.deepEqual([v.ack_type, v.ack_control_id], ['AA', '3']);
});

test('OBS.R01 (Observations): services, patients, observations and operators counted; PHI kinds, never values', () => {
  const m = parse(obsR01('3', T, PATIENT, 'NURSE-ZZ7', [{ analyte: 'GLU', value: '5.4', unit: 'mmol/L' }, { analyte: 'KET', value: '0.1', unit: 'mmol/L' }]));
  assert.deepEqual([m.service_count, m.patient_count, m.observation_count, m.operator_count], [1, 1, 2, 1]);
  assert.deepEqual(m.phi_kinds, ['PT.patient_id', 'PT.name', 'PT.birth_date']);
  const json = JSON.stringify(m);
  for (const s of SECRETS) assert.ok(!json.includes(s), `${s} in ${json}`);
});

test('OPL.R01 (Operator List): operators counted, never read', () => {
  const m = parse(oplR01('7', T, [{ id: 'NURSE-ZZ7', name: 'Zed Operator' }, { id: 'X2', name: 'Y' }]));
  assert.equal(m.operator_count, 2);
  const json = JSON.stringify(m);
  for (const s of SECRETS) assert.ok(!json.includes(s));
});

test('anomalies: mismatched end tags, duplicates, bad numbers, unknown root, long values, unterminated', () => {
  assert.deepEqual(parse('<HEL.R01><DEV><DEV.vendor_id V="A"/></HDR></DEV></HEL.R01>').anomalies, ['mismatched_end_tag:HDR']);
  assert.deepEqual(parse('<HEL.R01><DEV><DEV.vendor_id V="A"/><DEV.vendor_id V="B"/></DEV></HEL.R01>').anomalies, ['duplicate_field:DEV.vendor_id']);
  assert.deepEqual(parse('<DST.R01><DST.new_observations_qty V="many"/></DST.R01>').anomalies, ['bad_number:DST.new_observations_qty']);
  assert.deepEqual(parse('<html><body/></html>').anomalies, ['unknown_root']);
  const long = parse(`<HEL.R01><DEV.model_id V="${'m'.repeat(300)}"/></HEL.R01>`);
  assert.equal(long.model_id!.length, 256);
  assert.deepEqual(long.anomalies, ['long_value:DEV.model_id']);
  assert.deepEqual(parse('<HEL.R01><DEV>').anomalies, ['unterminated_message']);
  assert.deepEqual(parse('junk<ACK.R01/>').anomalies, ['text_outside_root']);
  const deep = parse(`<HEL.R01>${'<A>'.repeat(40)}${'</A>'.repeat(40)}</HEL.R01>`);
  assert.deepEqual([deep.anomalies, deep.element_count], [['too_deep'], 41]);
});

test('failures: bounds, no message', () => {
  const b = enc('<A/>');
  assert.deepEqual(parsePoct1aMessage(b, 1, 4), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parsePoct1aMessage(enc('  \n'), 0, 3), { ok: false, error: 'no_message' });
  assert.deepEqual(parsePoct1aMessage(enc('<?xml version="1.0"?><!-- x -->'), 0, 31), { ok: false, error: 'no_message' });
});

test('20 000 seeded mutations: never throw, read only [off, off+len), serialise, documented anomalies', () => {
  const bases = [enc(helloR01('1', T, DEVICE)), enc(obsR01('3', T, PATIENT, 'NURSE-ZZ7', [{ analyte: 'GLU', value: '5.4', unit: 'mmol/L' }])), enc(ackR01('2', T, '1'))];
  const ok = runMutations({
    seed: 3, bases, count: 20000, special: [0x3c, 0x3e, 0x2f, 0x22, 0x27, 0x3d, 0x26, 0x3b, 0x3f, 0x21, 0x2d],
    parse: parsePoct1aMessage, anomalyNames: POCT1A_ANOMALIES,
    onParsed: (m) => { for (const k of m.phi_kinds) assert.match(k, /^PT\.[A-Za-z0-9_]+$/); },
  });
  assert.ok(ok > 10000, `only ${ok} parsed`);
});
