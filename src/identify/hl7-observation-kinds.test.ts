/**
 * Tests of the observation-kind table (hl7-observation-kinds.ts over data/fingerprints/hl7-observations.tsv): the
 * LOINC Mod 10 check digit against the LOINC Users' Guide §12 C example and its list of known-invalid codes, the
 * bundled file's lookups (MDC partition 2 = 0x0002xxxx, the LOINC vital signs, the LOINC default), the strict loader's
 * errors, and the HL7 identity collector's `hl7_observation_kind` facts from parsed ORU messages (no value reaches them).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import type { Hl7Record } from '../protocols/hl7/analyzer.js';
import { parseHl7Message } from '../protocols/hl7/parser.js';
import { Hl7IdentityCollector } from './hl7-identity.js';
import { Hl7ObservationKinds, loincCheckDigitOk } from './hl7-observation-kinds.js';

test('LOINC Mod 10 check digit: the Users\' Guide example 12345 -> 5; two codes it lists as having invalid check digits fail', () => {
  assert.ok(loincCheckDigitOk('12345-5'));
  assert.ok(!loincCheckDigitOk('12345-4'));
  // §12 C: "These 14 terms were found to have invalid check digits" (e.g. 11491-6, 6648-1)
  assert.ok(!loincCheckDigitOk('11491-6') && !loincCheckDigitOk('6648-1'));
  assert.ok(loincCheckDigitOk('2345-7') && loincCheckDigitOk('718-7') && !loincCheckDigitOk('2345'));
});

test('the bundled table: MDC partition 2 and the LOINC vital signs are vital signs, other LOINC codes laboratory', () => {
  const t = Hl7ObservationKinds.bundled();
  const kind = (system: string, code: string): string | null => t.kindOf(system, code)?.kind ?? null;
  assert.equal(kind('MDC', '150456'), 'vital_signs'); // MDC_PULS_OXIM_SAT_O2 = 2 * 65536 + 19384
  assert.equal(kind('MDC', '147842'), 'vital_signs'); // MDC_ECG_HEART_RATE
  assert.equal(kind('MDC', String(0x20000)), 'vital_signs');
  assert.equal(kind('MDC', String(0x2ffff)), 'vital_signs');
  assert.equal(kind('MDC', String(0x1ffff)), null); // partition 1: device nomenclature (MDS, VMD, channels)
  assert.equal(kind('MDC', '69837'), null); // MDC_DEV_METER_PHYSIO_MULTI_PARAM_MDS (partition 1)
  assert.equal(kind('MDC', String(0x30000)), null); // partition 3: alerts
  for (const c of ['8867-4', '9279-1', '59408-5', '2708-6', '8310-5', '8480-6', '8462-4', '8478-0', '29463-7', '8302-2', '39156-5', '9843-4', '85353-1', '85354-9']) {
    assert.equal(kind('LN', c), 'vital_signs', c);
  }
  assert.equal(kind('LN', '2345-7'), 'laboratory'); // glucose
  assert.equal(kind('LN', '718-7'), 'laboratory'); // hemoglobin
  assert.equal(kind('SCT', '271649006'), null); // no SNOMED CT line
  assert.equal(kind('99LAB', 'GLU'), null);
  assert.match(t.kindOf('LN', '8867-4')!.rule, /^hl7-observations\.tsv:\d+$/);
});

test('strict loader: file:line errors for bad systems, kinds, check digits, duplicates, overlaps and covered codes', () => {
  const head = '# c\n';
  const bad = (line: string, re: RegExp): void => assert.throws(() => Hl7ObservationKinds.parse(head + line, 'x.tsv'), re, line);
  bad('LOINC\t8867-4\tvital_signs\tHR\ts\n', /^Error: x\.tsv:2: coding system LOINC/);
  bad('LN\t8867-4\tvitals\tHR\ts\n', /x\.tsv:2: kind vitals/);
  bad('LN\t8867-3\tvital_signs\tHR\ts\n', /x\.tsv:2: 8867-3 has a wrong LOINC check digit/);
  bad('LN\tHR\tvital_signs\tHR\ts\n', /x\.tsv:2: HR is not a LN code/);
  bad('LN\t8867-4\tvital_signs\tHR\ts\nLN\t8867-4\tlaboratory\tHR\ts\n', /x\.tsv:3: duplicate code LN 8867-4, already on line 2/);
  bad('LN\t*\tlaboratory\ta\ts\nLN\t*\tlaboratory\ta\ts\n', /x\.tsv:3: duplicate default for LN \*/);
  bad('MDC\t1..10\tvital_signs\tp\ts\nMDC\t5..20\tvital_signs\tp\ts\n', /x\.tsv:3: range 5\.\.20 overlaps line 2/);
  bad('MDC\t10..1\tvital_signs\tp\ts\n', /x\.tsv:2: range 10\.\.1 is empty/);
  bad('MDC\t1..10\tvital_signs\tp\ts\nMDC\t5\tlaboratory\tp\ts\n', /x\.tsv:3: MDC 5 already covered by line 2/);
  bad('LN\t8867-4\tvital_signs\tHR\n', /x\.tsv:2: 4 tab-separated fields, expected 5/);
});

const CTX: PacketContext = { ts_us: 5, src_mac: '02:00:00:00:00:0a', dst_mac: '02:00:00:00:00:0b', src_ip: '10.1.0.10', dst_ip: '10.2.0.20', src_port: 40000, dst_port: 2575, vlan: null };

/** An hl7 observation of the message made of `segments` (CR-terminated), sent with context `ctx`. */
function hl7Obs(segments: string[], ctx: PacketContext = CTX): Observation {
  const b = Buffer.from(`${segments.join('\r')}\r`, 'latin1');
  const r = parseHl7Message(b, 0, b.length);
  assert.ok(r.ok);
  const msg: Hl7Record = { ...r.value, framing: 'mllp', sender: 'client', message_bytes: b.length };
  return { kind: 'hl7', ctx, msg };
}

test('identity: an ORU sender gets hl7_observation_kind per kind, counts per coding system in the evidence, no value', () => {
  const c = new Hl7IdentityCollector();
  const oru = (id: string, ...obx: string[]): string[] => [`MSH|^~\\&|LAB|F|LIS|F|2024||ORU^R01|${id}|P|2.5.1`, 'PID|1||ZZMRN-1||ZZPATIENT^QQ', ...obx];
  c.observe(hl7Obs(oru('1', 'OBX|1|NM|GLU^Glucose^99L^2345-7^Glucose^LN||5.4|mmol/L', 'OBX|2|NM|718-7^Hemoglobin^LN||13.9|g/dL')));
  c.observe(hl7Obs(oru('2', 'OBX|1|NM|2345-7^Glucose^LN||6.1', 'OBX|2|NM|8867-4^Heart rate^LN||61', 'OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97')));
  // an ADT's OBX (e.g. height at admission) is not an observation report: not counted
  c.observe(hl7Obs(['MSH|^~\\&|EHR|F|LIS|F|2024||ADT^A01|3|P|2.5.1', 'OBX|1|NM|8302-2^Body height^LN||180']));
  const kinds = c.allFacts().filter((f) => f.name === 'hl7_observation_kind');
  assert.deepEqual(kinds.map((f) => [f.mac, f.value, f.confidence]), [['02:00:00:00:00:0a', 'laboratory', 0.7], ['02:00:00:00:00:0a', 'vital_signs', 0.9]]);
  assert.match(kinds[0]!.evidence!, /^3 OBX-3 codes of laboratory \(LN 3\) in HL7 ORU messages to 10\.2\.0\.20; hl7-observations\.tsv:\d+$/);
  assert.match(kinds[1]!.evidence!, /^2 OBX-3 codes of vital signs \(LN 1, MDC 1\) in HL7 ORU messages to 10\.2\.0\.20; hl7-observations\.tsv:\d+, hl7-observations\.tsv:\d+$/);
  const json = JSON.stringify(c.allFacts());
  for (const v of ['5.4', '13.9', '6.1', '"61"', '"97"', 'Glucose', 'Hemoglobin', 'Heart rate', 'ZZPATIENT', 'ZZMRN']) assert.ok(!json.includes(v), v);
});

test('identity: local codes only (or none) give no observation kind', () => {
  const c = new Hl7IdentityCollector();
  c.observe(hl7Obs(['MSH|^~\\&|CS|F|EMR|F|2024||ORU^R01|1|P|2.5', 'OBX|1|NM|TEST^PLACEHOLDER||0', 'OBX|2|NM|HR^Heart rate^99LOCAL||60']));
  assert.deepEqual(c.allFacts().filter((f) => f.name === 'hl7_observation_kind'), []);
});
