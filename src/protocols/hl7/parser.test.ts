/**
 * Unit tests of the HL7 v2 message parser (parser.ts) and its encoding rules (encoding.ts): annotated messages for
 * each part of HL7 v2.5.1 Chapter 2 used (delimiters §2.5.4, escapes §2.7, MSH §2.14.9, MSA §2.14.8), OBX-18 and
 * PRT device identity, PHI presence, limits, failures, and 20 000 seeded mutations.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  HL7_ANOMALIES, MAX_DEVICES, MAX_HL7_MESSAGE, MAX_OBSERVATION_CODES, MAX_SEGMENT_LIST, type Hl7Message, type Hl7ObservationCode,
  parseHl7Message,
} from './parser.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
/** Segments joined with the CR terminator (§2.5.4), with a final CR. */
const msg = (...segments: string[]): Uint8Array => enc(`${segments.join('\r')}\r`);
const parse = (b: Uint8Array): Hl7Message => {
  const r = parseHl7Message(b, 0, b.length);
  if (!r.ok) assert.fail(`parse failed: ${r.error}`);
  return r.value;
};

// Test patient data: made up, and looked for in every output below (it must never appear).
const PHI = ['ZZTESTPATIENT', 'QQGIVEN', 'MRN884422', '19700101', '42 Nowhere Lane', '555-0100', 'ZZNEXTOFKIN', 'POL-991', 'ZZGUARANTOR', '987-65-4321'];
const assertNoPhi = (v: unknown): void => {
  const json = JSON.stringify(v);
  for (const p of PHI) assert.ok(!json.includes(p), `${p} leaked into ${json}`);
};

// ADT^A01 (v2.5.1 §3.3.1) with every patient-administration segment carrying made-up PHI.
const ADT = msg(
  // MSH-1 | MSH-2 ^~\& | MSH-3 app^OID^ISO | MSH-4 | MSH-5 | MSH-6 | MSH-7 | MSH-8 | MSH-9 | MSH-10 | MSH-11 | MSH-12
  'MSH|^~\\&|ADT1^1.2.3.4^ISO|GOOD HEALTH HOSPITAL|LABADT|LAB FAC|20240102030405||ADT^A01^ADT_A01|MSG00001|P^T|2.5.1||||||UNICODE UTF-8',
  'EVN|A01|20240102030405',
  // PID-1 set id, -3 MRN, -5 name, -7 DOB, -8 sex, -11 address, -13 phone, -19 SSN; PID-6 is the HL7 null ""
  'PID|1||MRN884422^^^GHH^MR||ZZTESTPATIENT^QQGIVEN|""|19700101|F|||42 Nowhere Lane^^Town^ST^00000||555-0100||||||987-65-4321',
  'NK1|1|ZZNEXTOFKIN^ANN|SPO^Spouse',
  'PV1|1|I|2000^2012^01||||004777^ATTEND^AARON',
  'GT1|1||ZZGUARANTOR^BOB',
  'IN1|1|PLAN01||||||||||||||||||||||||||||||||||POL-991',
);

test('MSH header fields (§2.14.9): MSH-n is field n-1 after the ID, HD fields kept as sent', () => {
  const m = parse(ADT);
  assert.equal(m.field_separator, '|');
  assert.equal(m.encoding_characters, '^~\\\\&'); // wire text: the backslash is written \\
  assert.equal(m.sending_application, 'ADT1^1.2.3.4^ISO');
  assert.equal(m.sending_facility, 'GOOD HEALTH HOSPITAL');
  assert.equal(m.receiving_application, 'LABADT');
  assert.equal(m.receiving_facility, 'LAB FAC');
  assert.equal(m.message_datetime, '20240102030405');
  assert.deepEqual([m.message_type, m.trigger_event, m.message_structure], ['ADT', 'A01', 'ADT_A01']);
  assert.equal(m.control_id, 'MSG00001');
  assert.equal(m.processing_id, 'P'); // PT.1 (PT.2 processing mode T not kept)
  assert.equal(m.version, '2.5.1');
  assert.equal(m.character_set, 'UNICODE UTF-8'); // MSH-18
  assert.deepEqual(m.segments, ['MSH', 'EVN', 'PID', 'NK1', 'PV1', 'GT1', 'IN1']);
  assert.equal(m.segment_count, 7);
  assert.deepEqual(m.segment_counts, { MSH: 1, EVN: 1, PID: 1, NK1: 1, PV1: 1, GT1: 1, IN1: 1 });
  assert.deepEqual(m.anomalies, []);
});

test('PHI kinds from field presence (phi.ts), never values; the HL7 null "" is absent', () => {
  const m = parse(ADT);
  assert.deepEqual(m.phi_kinds, [
    'PID:mrn', 'PID:name', 'PID:dob', 'PID:sex', 'PID:address', 'PID:home_phone', 'PID:ssn',
    'NK1:name', 'NK1:relationship',
    'PV1:patient_class', 'PV1:location', 'PV1:attending_doctor',
    'GT1:name',
    'IN1:plan_id', 'IN1:policy_number',
  ]);
  assertNoPhi(m);
});

test('ACK and NAK (MSA-1, MSA-2; HL7 table 0008)', () => {
  const ack = parse(msg('MSH|^~\\&|LABADT|LAB FAC|ADT1|GOOD HEALTH HOSPITAL|20240102030406||ACK^A01^ACK|ACK00001|P|2.5.1', 'MSA|AA|MSG00001'));
  assert.deepEqual([ack.message_type, ack.trigger_event, ack.ack_code, ack.ack_control_id], ['ACK', 'A01', 'AA', 'MSG00001']);
  const nak = parse(msg('MSH|^~\\&|B|F|A|F|20240102||ACK|N1|P|2.3', 'MSA|AE|MSG00002|error text', 'ERR|^^^207&Application internal error&HL70357'));
  assert.deepEqual([nak.ack_code, nak.ack_control_id, nak.trigger_event], ['AE', 'MSG00002', null]);
  assert.deepEqual(parse(msg('MSH|^~\\&|B|F|A|F|20240102||ACK|N1|P|2.3')).anomalies, ['ack_without_msa']);
});

test('delimiters are read from MSH-1 and MSH-2, never assumed (§2.5.4)', () => {
  // field *, component !, repetition %, escape $, subcomponent #; $F$ in MSH-10 is the field separator
  const m = parse(msg('MSH*!%$#*APP!1.2!ISO*FAC*RCV*RFAC*20240101**ORU!R01!ORU_R01*ID$F$7*D*2.6', 'PID*1**MRN884422!!!X!MR**ZZTESTPATIENT!QQGIVEN'));
  assert.equal(m.field_separator, '*');
  assert.equal(m.encoding_characters, '!%$#');
  assert.equal(m.sending_application, 'APP!1.2!ISO');
  assert.deepEqual([m.message_type, m.trigger_event, m.message_structure], ['ORU', 'R01', 'ORU_R01']);
  assert.equal(m.control_id, 'ID*7');
  assert.deepEqual(m.phi_kinds, ['PID:mrn', 'PID:name']);
  assertNoPhi(m);
  // MSH-2 with only two characters: repetition and escape are not used (a \ is then plain text)
  const s = parse(msg('MSH|^~|A\\B|F|R|RF|2024||ADT^A08|C\\1|P|2.3'));
  assert.deepEqual(s.anomalies, ['short_encoding_characters']);
  assert.equal(s.control_id, 'C\\\\1');
  assert.equal(s.message_type, 'ADT');
});

test('escape sequences (§2.7) in values; malformed ones kept and noted', () => {
  // \F\ | ; \S\ ^ ; \T\ & ; \R\ ~ ; \E\ \ ; \X41\ "A" ; \H\ \N\ highlighting and \.br\ dropped
  const m = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X41\\\\H\\g\\N\\\\.br\\h|P|2.5'));
  assert.equal(m.control_id, 'a|b^c&d~e\\\\fAgh');
  const bad = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|x\\Q\\y|P|2.5'));
  assert.equal(bad.control_id, 'x\\\\Q\\\\y');
  assert.deepEqual(bad.anomalies, ['bad_escape']);
  assert.deepEqual(parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|x\\F|P|2.5')).anomalies, ['unterminated_escape']);
  // v2.7 truncation character (fifth in MSH-2) and its escape \P\
  assert.equal(parse(msg('MSH|^~\\&#|A|F|R|RF|2024||ADT^A01|a\\P\\b|P|2.7')).control_id, 'a#b');
});

test('segment terminators: LF and CRLF tolerated and noted; empty lines between segments noted; trailing ones not', () => {
  const lf = parse(enc('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5\nPID|1||MRN884422\n'));
  assert.deepEqual(lf.segments, ['MSH', 'PID']);
  assert.deepEqual(lf.anomalies, ['lf_segment_terminator']);
  const crlf = parse(enc('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5\r\nEVN|A01\r\n'));
  assert.deepEqual([crlf.segments, crlf.anomalies], [['MSH', 'EVN'], ['lf_segment_terminator']]);
  assert.deepEqual(parse(enc('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5\r\rEVN|A01\r')).anomalies, ['empty_segment']);
  assert.deepEqual(parse(enc('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5\rEVN|A01\r\r\r')).anomalies, []);
  assert.deepEqual(parse(enc('\r\nMSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5')).anomalies, ['leading_whitespace']);
});

test('segment IDs: invalid ones skipped and noted with their position', () => {
  const m = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5', 'pid|1', 'P1|x', 'ZPD|custom', 'EVNX|1'));
  assert.deepEqual(m.segments, ['MSH', 'ZPD']);
  assert.deepEqual(m.anomalies, ['bad_segment:2', 'bad_segment:3', 'bad_segment:5']);
});

// IHE PCD TF-2 §3.1 (PCD-01 Communicate PCD Data): the Device Observation Reporter puts the equipment's EUI-64 in
// OBX-18 (EI: entity identifier ^ namespace ^ universal ID ^ "EUI-64"), one repetition per device level.
test('OBX: observations counted, OBX-5 never read, OBX-18 repetitions kept as equipment identifiers', () => {
  const m = parse(msg(
    'MSH|^~\\&|DOR^0123456789ABCDEF^EUI-64|ICU|DOC|HOSP|20240101120000||ORU^R01^ORU_R01|PCD1|P|2.6',
    'PID|||MRN884422^^^H^MR||ZZTESTPATIENT^QQGIVEN',
    'OBR|1|||69837^MDC_DEV_METER_PHYSIO_MULTI_PARAM_MDS^MDC',
    'OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20240101120000||||MON-01^^0012340000000001^EUI-64~^^0012340000000099^EUI-64',
    'OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.0.1.2|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R',
  ));
  assert.equal(m.observation_count, 2);
  assert.equal(m.devices.length, 1);
  const d = m.devices[0]!;
  assert.deepEqual([d.segment, d.segment_index], ['OBX', 4]);
  assert.deepEqual(d.identifiers.map((i) => [i.entity_id, i.namespace_id, i.universal_id, i.universal_id_type, i.udi]), [
    ['MON-01', null, '0012340000000001', 'EUI-64', null],
    [null, null, '0012340000000099', 'EUI-64', null],
  ]);
  assert.ok(!JSON.stringify(m).includes('"97"') && !JSON.stringify(m).includes('MDC_DIM_PERCENT'), 'OBX-5/OBX-6 not kept');
  assertNoPhi(m);
});

/** [system, code, mdc_reference_id, count] of each observation code, for compact assertions. */
const codesOf = (m: Hl7Message): [string, string | null, string | null, number][] =>
  m.observation_codes.map((c: Hl7ObservationCode) => [c.system, c.code, c.mdc_reference_id, c.count]);

// OBX-3 (v2.5.1 §7.4.2.3, CWE): identifier ^ text ^ coding system ^ alternate identifier ^ alternate text ^ alternate
// coding system. Coding systems of HL7 table 0396: LN (LOINC), MDC (ISO/IEEE 11073-10101), SCT (SNOMED CT).
test('OBX-3: identifiers of LN, MDC and SCT with their system, local systems by name only, never the text or OBX-5', () => {
  const m = parse(msg(
    'MSH|^~\\&|LAB|HOSP|LIS|HOSP|20240101||ORU^R01^ORU_R01|L1|P|2.5.1',
    'PID|1||MRN884422^^^H^MR||ZZTESTPATIENT^QQGIVEN',
    // primary local code (text "Glucose fasting ZZTESTPATIENT" is free text), alternate LOINC 1558-6
    'OBX|1|NM|GLUF^Glucose fasting ZZTESTPATIENT^99LAB^1558-6^Fasting glucose QQGIVEN^LN||5.4|mmol/L|||||F',
    // the same LOINC again as primary: counted, not listed twice
    'OBX|2|NM|1558-6^Fasting glucose^LN||5.5|mmol/L|||||F',
    // IEEE 11073 form: code ^ reference ID ^ MDC (the reference ID is a standard term, kept)
    'OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R',
    // MDC with free text instead of a reference ID: the text is not kept
    'OBX|4|NM|147842^heart rate of ZZTESTPATIENT^MDC||72|||||R',
    // SNOMED CT concept 271649006 (systolic blood pressure); a local alternate without system
    'OBX|5|NM|271649006^Systolic BP^SCT^SYS^Sys||120|||||F',
    // no coding system named at all: nothing kept (the OBX is still counted)
    'OBX|6|ST|C||a comment value|||||F',
    // the same system and code in both triplets: counted once for this OBX
    'OBX|7|NM|8867-4^HR^LN^8867-4^Heart rate^LN||60|||||F',
  ));
  assert.equal(m.observation_count, 7);
  assert.deepEqual(codesOf(m), [
    ['99LAB', null, null, 1],
    ['LN', '1558-6', null, 2],
    ['MDC', '150456', 'MDC_PULS_OXIM_SAT_O2', 1],
    ['MDC', '147842', null, 1],
    ['SCT', '271649006', null, 1],
    ['LN', '8867-4', null, 1],
  ]);
  assert.deepEqual(m.anomalies, []);
  const json = JSON.stringify(m);
  for (const text of ['Glucose fasting', 'Fasting glucose', 'heart rate of', 'Systolic BP', 'GLUF', '"SYS"', 'Heart rate', '5.4', '5.5', '"97"', '"72"', '120', 'a comment value', 'MDC_DIM_PERCENT']) {
    assert.ok(!json.includes(text), `${text} leaked into ${json}`);
  }
  assertNoPhi(m);
});

test('OBX-3: identifiers not in their standard form are dropped (the system kept), escapes decoded, limit', () => {
  const bad = parse(msg(
    'MSH|^~\\&|A|F|R|RF|2024||ORU^R01|1|P|2.5',
    'OBX|1|NM|ZZTESTPATIENT^x^LN||1', // not a LOINC code: could be anything
    'OBX|2|NM|99999999999^x^MDC||1', // more than 32 bits
    'OBX|3|NM|0123456^x^SCT||1', // an SCTID has no leading zero
    'OBX|4|NM|8867-4^x^\\X4C4E\\||1', // the system written as hexadecimal data (\Xhh\, §2.7.3): LN
    'OBX|5|NM|GLU^Glucose^Glucose of ZZTESTPATIENT||1', // text where the system should be: not a system name, not kept
  ));
  assert.deepEqual(codesOf(bad), [['LN', null, null, 1], ['MDC', null, null, 1], ['SCT', null, null, 1], ['LN', '8867-4', null, 1]]);
  assert.deepEqual(bad.anomalies, ['bad_observation_code:LN', 'bad_observation_code:MDC', 'bad_observation_code:SCT', 'bad_coding_system']);
  assertNoPhi(bad);
  const many = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ORU^R01|1|P|2.5', ...Array.from({ length: 40 }, (_, i) => `OBX|${i}|NM|${1000 + i}-0^x^LN||1`)));
  assert.equal(many.observation_codes.length, MAX_OBSERVATION_CODES);
  assert.equal(many.observation_count, 40);
  assert.deepEqual(many.anomalies, ['too_many_observation_codes']);
});

// HL7 v2.9 §7.4.4 PRT: PRT-4 EQUIP, PRT-10 the UDI (EI; universal ID 2.16.840.1.113883.3.3719 = FDA UDI), PRT-16 DI,
// PRT-17 manufacture date, PRT-18 expiry, PRT-19 lot, PRT-20 serial, PRT-21 donation ID, PRT-22 device type (CNE).
test('PRT device fields, the UDI in PRT-10 read by the UDI parser', () => {
  const m = parse(msg(
    'MSH|^~\\&|EHR|HOSP|PUMPSRV|HOSP|20240101||ADT^A01^ADT_A01|U1|P|2.9',
    'PID|1||MRN884422',
    'PRT|1|AD||EQUIP^Equipment^HL70912||||||(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234^^2.16.840.1.113883.3.3719^ISO||||||51022222233336^^2.51.1.1^ISO|20141231|20150707|A213B1|1234||DEV-TYPE-1^Infusion pump^LOCAL',
    'PRT|2|AD||RO^Responsible Observer^HL70912|4444^ZZDOCTOR',
  ));
  assert.equal(m.devices.length, 1, 'the second PRT names a person only');
  const d = m.devices[0]!;
  assert.deepEqual([d.segment, d.segment_index, d.participation], ['PRT', 3, 'EQUIP']);
  assert.equal(d.identifiers[0]!.entity_id, '(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234');
  assert.equal(d.identifiers[0]!.universal_id, '2.16.840.1.113883.3.3719');
  const u = d.identifiers[0]!.udi!;
  assert.deepEqual([u.issuer, u.device_identifier, u.serial, u.lot], ['GS1', '51022222233336', '1234', 'A213B1']);
  assert.deepEqual(
    [d.udi_device_identifier, d.manufacture_date, d.expiry_date, d.lot_number, d.serial_number, d.donation_id, d.device_type, d.device_type_text, d.device_type_system],
    ['51022222233336', '20141231', '20150707', 'A213B1', '1234', null, 'DEV-TYPE-1', 'Infusion pump', 'LOCAL'],
  );
  assert.ok(!JSON.stringify(m).includes('ZZDOCTOR'));
});

test('a GS separator inside PRT-10 reaches the UDI parser (sent as \\X1D\\ or raw)', () => {
  const raw = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.9', `PRT|1|AD||EQUIP||||||0151022222233336${'10A213B1\x1d'}211234`));
  assert.equal(raw.devices[0]!.identifiers[0]!.udi!.serial, '1234');
  const esc = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.9', 'PRT|1|AD||EQUIP||||||015102222223333610A213B1\\X1D\\211234'));
  assert.deepEqual([esc.devices[0]!.identifiers[0]!.udi!.lot, esc.devices[0]!.identifiers[0]!.udi!.serial], ['A213B1', '1234']);
  assert.equal(esc.devices[0]!.identifiers[0]!.entity_id, '015102222223333610A213B1\\x1d211234');
});

test('failures: bounds, no MSH, unusable delimiters', () => {
  const ok = msg('MSH|^~\\&|A');
  assert.deepEqual(parseHl7Message(ok, 0, ok.length + 1), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseHl7Message(ok, -1, 2), { ok: false, error: 'bad_bounds' });
  for (const [text, error] of [
    ['EVN|A01\r', 'no_msh'], ['', 'no_msh'], ['MSH', 'no_msh'], ['MSHA^~\\&\r', 'bad_field_separator'],
    ['MSH ^~\\&\r', 'bad_field_separator'], ['MSH|^^\\&\r', 'duplicate_delimiter'], ['MSH|a~\\&\r', 'bad_encoding_characters'],
  ] as const) {
    const b = enc(text);
    assert.deepEqual(parseHl7Message(b, 0, b.length), { ok: false, error }, JSON.stringify(text));
  }
});

test('limits: long values, many segments and IDs, many devices, many fields, oversized input', () => {
  const long = parse(msg(`MSH|^~\\&|A|F|R|RF|2024||ADT^A01|${'9'.repeat(300)}|P|2.5`));
  assert.equal(long.control_id!.length, 256);
  assert.deepEqual(long.anomalies, ['long_value:MSH-10']);
  const many = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ORU^R01|1|P|2.5', ...Array.from({ length: 300 }, (_, i) => `Z${String(i % 70).padStart(2, '0')}|x`)));
  assert.equal(many.segments.length, MAX_SEGMENT_LIST);
  assert.equal(many.segment_count, 301);
  assert.equal(Object.keys(many.segment_counts).length, 64);
  assert.deepEqual(many.anomalies, ['too_many_segment_ids', 'segment_list_truncated']);
  const devs = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ORU^R01|1|P|2.5', ...Array.from({ length: 40 }, (_, i) => `OBX|${i}|NM|X||1|||||||||||||D${i}`)));
  assert.equal(devs.devices.length, MAX_DEVICES);
  assert.equal(devs.observation_count, 40);
  assert.deepEqual(devs.anomalies, ['too_many_devices']);
  const wide = parse(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5', `PID${'|x'.repeat(300)}`));
  assert.deepEqual(wide.anomalies, ['too_many_fields:PID']);
  const big = new Uint8Array(MAX_HL7_MESSAGE + 10).fill(0x0d);
  big.set(msg('MSH|^~\\&|A|F|R|RF|2024||ADT^A01|1|P|2.5'));
  assert.deepEqual(parse(big).anomalies, ['oversized_message']);
});

test('20 000 seeded mutations: never throw, read only [off, off+len), serialise, documented anomalies', () => {
  const bases = [
    ADT,
    msg('MSH|^~\\&|B|F|A|F|20240102||ACK^A01|N1|P|2.3', 'MSA|AE|MSG00002'),
    msg('MSH|^~\\&|L|F|R|RF|2024||ORU^R01|1|P|2.5', 'OBX|1|NM|GLU^Glucose^99L^2345-7^Glucose^LN||5', 'OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97'),
    msg('MSH*!%$#*APP*FAC*RCV*RFAC*2024**ORU!R01*ID$F$7*D*2.6', 'OBX*1*NM*X**1***********R***2024****MON!!0012340000000001!EUI-64', 'PRT*1*AD**EQUIP******(01)51022222233336(21)9'),
  ];
  const ok = runMutations({
    seed: 7, bases, count: 20000, special: [0x0d, 0x0a, 0x7c, 0x5e, 0x7e, 0x5c, 0x26, 0x0b, 0x1c, 0x22, 0x4d],
    parse: parseHl7Message, anomalyNames: HL7_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.segments.length <= MAX_SEGMENT_LIST && m.devices.length <= MAX_DEVICES && m.observation_codes.length <= MAX_OBSERVATION_CODES);
      for (const c of m.observation_codes) assert.ok(c.code === null || ['LN', 'MDC', 'SCT'].includes(c.system), JSON.stringify(c));
      for (const k of m.phi_kinds) assert.match(k, /^(PID|PV1|NK1|GT1|IN1):[a-z_]+$/);
    },
  });
  assert.ok(ok > 5000, `only ${ok} mutations parsed`);
});
