/** The vendor-aware version comparator: the table of real version strings from the shared records, and ranges. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { compareVersions, formatRange, normaliseVersion, versionInRange } from './version.js';

/** [a, b, expected order of a against b] */
const TABLE: [string, string, -1 | 0 | 1 | 'unknown'][] = [
  // HP/Philips letter-major versions
  ['B.02.04', 'B.02.05', -1], ['B.02.04', 'B.02.04', 0], ['c.02', 'C.03', -1], ['C.02', 'B.02', 1], ['A.01', 'C.02', -1],
  // Windows build numbers and plain dotted numbers
  ['10.0.19041', '10.0.19042', -1], ['10.0.19041', '10.0.9999', 1], ['6.9.4.11', '6.9.4.12', -1], ['9.5', '9.33', -1], ['3.6.5', '3.6.7', -1],
  // B. Braun: leading zeros, letters glued between numbers, NVD lower-case vs advisory upper-case
  ['012u000062', '012U000062', 0], ['012u000061', '012u000062', -1], ['012U000040', '012u000062', -1], ['028U000061', '012U000061', 1],
  // B. Braun product lines: L and U versions are different lines, not an order
  ['L81', 'L80', 1], ['L81', 'U61', 'unknown'], ['l81', 'L81', 0], ['A10', 'A11', -1],
  // Medtronic letter revisions after the number
  ['2.4a', '2.6a', -1], ['2.4a', '2.4', 1], ['2.7a', '2.7b', -1], ['2.4a', '2.4A', 0],
  // data error with a trailing dot; trailing zeros
  ['5.9.1.0.', '5.9.1.0', 0], ['5.9.1.0.', '5.9.1.12', -1], ['5.9.1', '5.9.1.0', 0], ['6.5', '6.5.0.0', 0],
  // prefixes v / R
  ['R2.1', '2.1', 0], ['R2.1', 'r2.0', 1], ['v3', '3.0', 0], ['v3', 'v4', -1], ['V6.05', '6.0', 1],
  // Baxter wireless battery module
  ['20d29', '20D32', -1], ['22D24', '20D32', 1], ['16D38', '17', -1],
  // Siemens RUGGEDCOM: a product-line prefix against a bare number
  ['bs5.2.461.17', 'bs5.2.461.16', 1], ['bs5.2.461.17', '5.2.461.17', 'unknown'],
  // dates compare only with dates
  ['2019-01-22', '2020-03-01', -1], ['20190122', '2019-01-22', 0], ['2019.06.13', '2019-06-12', 1], ['2019-01-22', '4.2', 'unknown'],
  // pre-releases
  ['1.0rc1', '1.0', -1], ['1.0-beta', '1.0-alpha', 1], ['1.0a1', '1.0', -1], ['2.0', '2.0-rc2', 1],
  // build words
  ['1.1.3 Build 10', '1.1.3', 1], ['1.1.3 Build 10', '1.1.3 Build 11', -1],
  // mixed alnum that cannot be ordered
  ['1.1.3 MR Build 11', '1.1.3 Build 10', 'unknown'], ['6.x', '6.5', 'unknown'],
  // not versions
  ['*', '1.0', 'unknown'], ['-', '1.0', 'unknown'], ['n/a', '1.0', 'unknown'], ['All versions', '1.0', 'unknown'], ['', '1', 'unknown'],
];

test('version comparator table', () => {
  for (const [a, b, want] of TABLE) {
    assert.equal(compareVersions(a, b).order, want, `${a} vs ${b}: ${compareVersions(a, b).reason ?? ''}`);
    const back = compareVersions(b, a).order;
    assert.equal(back, want === 'unknown' ? 'unknown' : want === 0 ? 0 : -want, `antisymmetry ${b} vs ${a}`);
  }
});

test('unknown answers carry a reason', () => {
  assert.match(compareVersions('L81', 'U61').reason ?? '', /product-line/);
  assert.match(compareVersions('2019-01-22', '4.2').reason ?? '', /date/);
  assert.match(compareVersions('*', '1').reason ?? '', /not a version/);
});

test('normalisation', () => {
  assert.equal(normaliseVersion(' V6.05 '), '6.05');
  assert.equal(normaliseVersion('Rev 3'), '3');
  assert.equal(normaliseVersion('unspecified'), null);
  assert.equal(normaliseVersion('x'.repeat(200)), null);
});

test('NVD ranges from the shared records', () => {
  // CVE-2017-0144 Siemens ACUSON SC2000: >= 4.0, < 4.0e
  assert.equal(versionInRange('4.0c', { startIncluding: '4.0', endExcluding: '4.0e' }).result, true);
  assert.equal(versionInRange('4.0e', { startIncluding: '4.0', endExcluding: '4.0e' }).result, false);
  // CVE-2021-33885 B. Braun SpaceCom2 < 012u000062
  assert.equal(versionInRange('012U000061', { endExcluding: '012u000062' }).result, true);
  assert.equal(versionInRange('012U000062', { endExcluding: '012u000062' }).result, false);
  // CVE-2019-12256 SonicOS >= 5.9.1.0. (trailing dot), <= 5.9.1.12
  assert.equal(versionInRange('5.9.1.7', { startIncluding: '5.9.1.0.', endIncluding: '5.9.1.12' }).result, true);
  // CVE-2020-25150 B. Braun SpaceCom <= l81: a U-line version is another product line, not inside the range
  const u = versionInRange('U60', { endIncluding: 'l81' });
  assert.equal(u.result, false);
  assert.match(u.reason ?? '', /<= l81 is another product line/);
  assert.equal(versionInRange('bs5.2', { endIncluding: '6.0' }).result, 'unknown');
  // CVE-2022-26392 Baxter WBM 20d29 … 20d32
  assert.equal(versionInRange('20D30', { startIncluding: '20d29', endIncluding: '20d32' }).result, true);
  assert.equal(versionInRange('22D24', { startIncluding: '20d29', endIncluding: '20d32' }).result, false);
  assert.equal(formatRange({ startIncluding: '4.0', endExcluding: '4.0e' }), '>= 4.0, < 4.0e');
});

test('chains in order: every pair of one product line compares as its positions (a total order within the line)', () => {
  const chains = [
    ['1.0-alpha', '1.0-beta', '1.0rc1', '1.0', '1.0.1', '1.1.3', '1.1.3 Build 10', '1.1.3 Build 11', '2.4', '2.4a', '2.4b', '9.5', '9.19', '9.33', '12.1.3', '12.3', '12.3.1'],
    ['A.01', 'B.02.04', 'B.02.05', 'C.02', 'C.04'],
    ['L79', 'L80', 'L81', 'L82'],
    ['012U000040', '012u000061', '012U000062', '028U000061'],
  ];
  for (const chain of chains) {
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        assert.equal(compareVersions(chain[i]!, chain[j]!).order, Math.sign(i - j), `${chain[i]} vs ${chain[j]}`);
      }
    }
  }
});
