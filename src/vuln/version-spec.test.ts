/** Free-text version expressions of CSAF branches and CVE 5 version entries, as found in the shared records. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cve5VersionSpec, matchVersionSpec, parseVersionSpec, type VersionSpec } from './version-spec.js';

function spec(raw: string): VersionSpec {
  const s = parseVersionSpec(raw);
  assert.ok(s, raw);
  return s;
}

/** [expression, device version, expected] — expressions copied from ../shared/vulndata/csaf product trees. */
const CASES: [string, string, boolean | 'unknown'][] = [
  ['<= 4.2', '4.2', true], ['<= 4.2', '4.3', false], ['4.X | 5.X', '5.1', true], ['4.X | 5.X', '6.0', false],
  ['>= 4.0 | <= 4.6', '4.5', true], ['>= 4.0 | <= 4.6', '3.9', false], ['>= 4.0 | <= 4.6', '4.7', false],
  ['< 012U000040', '012U000039', true], ['< 012U000040', '012U000040', false],
  ['2.3.6 and  below', '2.3.6', true], ['2.3.6 and  below', '2.3.7', false],
  ['vers:all/*', 'anything', true], ['<=2.x', '2.9.1', true], ['<=2.x', '3.0', false], ['<= 12.2.x.x', '12.2.1.5', true],
  ['<= U61 |<= L81', 'L80', true], ['<= U61 |<= L81', 'U62', false], ['<= U61 |<= L81', 'L82', false], ['<= U61 |<= L81', '5.0', 'unknown'],
  ['B.02 | C.02 | C.03', 'C.02', true], ['B.02 | C.02 | C.03', 'C.04', false],
  ['v8.x model 35700BAX2', '8.3', true], ['v8.x model 35700BAX2', '9.1', false],
  ['>=BT02 | <= BT06', 'BT04', true], ['>=BT02 | <= BT06', 'BT07', false],
  ['Rev B-M | 4.2', '4.2', true], ['Rev B-M | 4.2', '4.3', 'unknown'], ['SV20.1 | SV23.0', 'SV23.0', true],
];

test('CSAF version expressions', () => {
  for (const [expr, v, want] of CASES) assert.equal(matchVersionSpec(v, spec(expr)).result, want, `${v} in '${expr}': ${matchVersionSpec(v, spec(expr)).reason}`);
  assert.equal(parseVersionSpec('ARP'), null);
  assert.equal(parseVersionSpec('Rev B-M'), null);
  assert.equal(spec('Rev B-M | 4.2').unparsed, 'Rev B-M');
});

test('CVE 5 version entries', () => {
  // CVE-2022-2119 DCMTK: version unspecified, lessThan 3.6.7
  const dcmtk = cve5VersionSpec('unspecified', '3.6.7', null)!;
  assert.equal(matchVersionSpec('3.6.6', dcmtk).result, true);
  assert.equal(matchVersionSpec('3.6.7', dcmtk).result, false);
  // CVE-2020-25150 B. Braun SpaceCom: lessThanOrEqual L81
  assert.equal(matchVersionSpec('L81', cve5VersionSpec('unspecified', null, 'L81')!).result, true);
  // CVE-2021-43548 Philips PIC iX: exact versions
  assert.equal(matchVersionSpec('C.02', cve5VersionSpec('C.02', null, null)!).result, true);
  assert.equal(matchVersionSpec('C.03', cve5VersionSpec('C.02', null, null)!).result, false);
  // CVE-2025-0626 Contec: "All versions"
  assert.equal(matchVersionSpec('2.0.6', cve5VersionSpec('All versions', null, null)!).result, true);
  // a lower bound with lessThan
  const r = cve5VersionSpec('2.0', '2.5', null)!;
  assert.equal(matchVersionSpec('1.9', r).result, false);
  assert.equal(matchVersionSpec('2.4', r).result, true);
  assert.equal(cve5VersionSpec('n/a', null, null), null);
});
