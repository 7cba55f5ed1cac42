/**
 * The data-set scanner (PS3.5 §7.1 element encodings, §7.5 sequences): which patient attribute kinds a data set
 * carries, fed in fragments of any size, never reading values.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../../synth/prng.js';
import * as S from '../../synth/dicom-pdus.js';
import { mutate } from '../mutation-harness.js';
import { encodingOf, MAX_SCAN_DEPTH, PhiScanner, type ScanResult } from './dataset-scan.js';

/** Scans `b` fed in pieces of `piece` bytes. */
function scan(b: Uint8Array, enc: S.Encoding, piece = b.length): ScanResult {
  const sc = new PhiScanner(enc);
  for (let o = 0; o < b.length; o += piece) sc.feed(b, o, Math.min(piece, b.length - o));
  return sc.finish();
}

const ELEMENTS: S.ElementSpec[] = [
  { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }, // Specific Character Set
  { tag: 0x00080050, vr: 'SH', value: '' }, // Accession Number, empty (a C-FIND return key): not counted
  { tag: 0x00081032, vr: 'SQ', items: [[{ tag: 0x00100010, vr: 'PN', value: 'IN^SEQUENCE' }]] }, // defined-length sequence: skipped
  { tag: 0x00081140, vr: 'SQ', undefinedLength: true, items: [[{ tag: 0x00100020, vr: 'LO', value: 'X' }], []] }, // undefined length: followed
  { tag: 0x00100010, vr: 'PN', value: 'DOE^JANE' }, // Patient's Name
  { tag: 0x00100030, vr: 'DA', value: '19700101' }, // Patient's Birth Date
  { tag: 0x00100040, vr: 'CS', value: 'F' }, // Patient's Sex
  { tag: 0x00200010, vr: 'SH', value: 'S1' }, // Study ID: the last tag of interest
  { tag: 0x00280010, vr: 'US', value: [0, 2] }, // Rows: the scan stops here
  { tag: 0x00100020, vr: 'LO', value: 'OUT-OF-ORDER' }, // after the stop: not seen
];
const EXPECTED = ['patient_name', 'patient_birth_date', 'patient_sex', 'study_id'];

test('every encoding, fed whole or byte by byte: top-level kinds with a value, in order', () => {
  for (const enc of ['implicit_le', 'explicit_le', 'explicit_be'] as const) {
    const b = S.dataSet(ELEMENTS, enc);
    for (const piece of [b.length, 1, 3, 7, 13]) assert.deepEqual(scan(b, enc, piece), { kinds: EXPECTED, outcome: 'complete' }, `${enc} ${piece}`);
  }
});

test('transfer syntax → encoding (PS3.5 §10, Annex A)', () => {
  assert.equal(encodingOf('1.2.840.10008.1.2'), 'implicit_le');
  assert.equal(encodingOf('1.2.840.10008.1.2.1'), 'explicit_le');
  assert.equal(encodingOf('1.2.840.10008.1.2.2'), 'explicit_be');
  assert.equal(encodingOf('1.2.840.10008.1.2.1.99'), 'deflated');
  assert.equal(encodingOf('1.2.840.10008.1.2.4.50'), 'explicit_le'); // JPEG baseline: encapsulated
  assert.equal(encodingOf('1.2.840.10008.1.2.5'), 'explicit_le'); // RLE
  assert.equal(encodingOf('1.2.3.4'), 'unknown');
  assert.equal(encodingOf(null), 'unknown');
  const deflated = new PhiScanner('deflated');
  assert.equal(deflated.done, true);
  assert.deepEqual(deflated.finish(), { kinds: [], outcome: 'not_scanned' });
});

test('outcomes: cut inside an element, a bad VR, nesting deeper than MAX_SCAN_DEPTH', () => {
  const b = S.dataSet(ELEMENTS, 'explicit_le');
  assert.equal(scan(b.subarray(0, 20), 'explicit_le').outcome, 'incomplete');
  const badVr = S.dataSet([{ tag: 0x00100010, vr: 'PN', value: 'A^B' }], 'explicit_le');
  badVr[4] = 0x01;
  assert.equal(scan(badVr, 'explicit_le').outcome, 'malformed');
  let nested: S.ElementSpec[] = [{ tag: 0x00100010, vr: 'PN', value: 'A' }];
  for (let i = 0; i <= MAX_SCAN_DEPTH; i++) nested = [{ tag: 0x00081140, vr: 'SQ', undefinedLength: true, items: [nested] }];
  assert.equal(scan(S.dataSet(nested, 'implicit_le'), 'implicit_le').outcome, 'too_deep');
});

test('random mutations never throw and report only kinds of the table', () => {
  const rng = new Prng(5);
  const bases = (['implicit_le', 'explicit_le', 'explicit_be'] as const).map((e) => [e, S.dataSet(ELEMENTS, e)] as const);
  for (let i = 0; i < 3000; i++) {
    const [enc, base] = bases[i % 3]!;
    const m = mutate(rng, base, [0x00, 0xff, 0xfe, 0xe0, 0x10, 0x53, 0x51]);
    const r = scan(m, enc, rng.int(1, 64));
    for (const k of r.kinds) assert.match(k, /^[a-z_]+$/);
  }
});
