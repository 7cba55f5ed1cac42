/**
 * CVSS unit tests: worked values from the specifications, strict vector parsing (every problem named), version
 * detection and vector rewriting. The oracle tables are checked in test/vuln/cvss-oracle.test.ts.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cvssVersionOf, scoreCvss, withMetrics } from './cvss.js';
import { roundup30, roundup31 } from './cvss-v3.js';

test('v3.1 Appendix A Roundup is exact on decimals; v3.0 rounds up', () => {
  assert.equal(roundup31(4.000002), 4.0); // below the 1e-5 resolution: binary noise, not rounded up
  assert.equal(roundup31(4.00001), 4.1);
  assert.equal(roundup31(4.0), 4.0);
  assert.equal(roundup31(4.02), 4.1);
  assert.equal(roundup31(0.1 + 0.2), 0.3); // 0.30000000000000004
  assert.equal(roundup30(4.02), 4.1);
});

test('well-known scores of each version', () => {
  const s = (v: string): number => {
    const r = scoreCvss(v);
    assert.ok(r.ok, `${v}: ${r.ok ? '' : r.error}`);
    return r.value.score;
  };
  assert.equal(s('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
  assert.equal(s('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), 8.8); // CVE-2017-0144, NVD
  assert.equal(s('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), 10.0);
  assert.equal(s('AV:N/AC:M/Au:N/C:C/I:C/A:C'), 9.3); // CVE-2017-0144 v2, NVD
  assert.equal(s('(AV:N/AC:L/Au:N/C:P/I:P/A:P)'), 7.5);
  assert.equal(s('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
  const env = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L');
  assert.ok(env.ok && env.value.base === 9.8 && env.value.score === env.value.environmental && env.value.environmental! < 9.8);
  const v4 = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X');
  assert.ok(v4.ok && v4.value.nomenclature === 'CVSS-B' && v4.value.score === 7.7, 'CVE-2025-0626 vector with explicit X values is CVSS-B 7.7');
  const bte = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:H/MSI:S');
  assert.ok(bte.ok && bte.value.nomenclature === 'CVSS-BTE' && bte.value.base === 9.3 && bte.value.temporal !== null);
  assert.equal(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').ok && scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').ok, true);
});

test('malformed vectors are refused with the reason', () => {
  for (const [v, why] of [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'base metric A missing'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L', 'given twice'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:X is not one of'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', "unknown metric 'ZZ'"],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', 'base metric SA missing'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:Q', 'MSI:Q'],
    ['CVSS:2.0/AV:N', 'not a CVSS'],
    ['AV:N/AC:L/Au:N/C:P/I:P', 'base metric A missing'],
    ['CVSS:3.1/AV:N//AC:L', 'is not METRIC:VALUE'],
  ]) {
    const r = scoreCvss(v!);
    assert.ok(!r.ok, v);
    assert.ok(r.error.includes(why!), `${v}: ${r.error}`);
  }
  assert.ok(!scoreCvss(`CVSS:3.1/${'AV:N/'.repeat(200)}`).ok);
});

test('version detection and vector rewriting', () => {
  assert.equal(cvssVersionOf('CVSS:3.0/AV:N'), '3.0');
  assert.equal(cvssVersionOf('AV:L/AC:H/Au:N/C:N/I:N/A:N'), '2.0');
  assert.equal(cvssVersionOf('garbage'), null);
  assert.equal(withMetrics('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L', { CR: 'H', IR: 'H', AR: 'M' }),
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/IR:H/AR:M');
  assert.equal(withMetrics('AV:N/AC:L/Au:N/C:P/I:P/A:P', { CR: 'H' }), 'AV:N/AC:L/Au:N/C:P/I:P/A:P/CR:H');
});
