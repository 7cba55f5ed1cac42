/**
 * CVSS scores against every oracle row of ../shared/vulndata/cvss: RedHat's test vectors (computed with the FIRST
 * and NVD calculators and cvsslib; the primary oracle), metaeffekt's validation vectors (secondary oracle, produced
 * by their own calculator) and the vectors+scores found in the NVD, CVE 5 and CSAF records. Every given score must
 * agree exactly — except metaeffekt's v2 temporal/environmental values, which follow that calculator's arithmetic
 * rather than the v2 guide; for those, every disagreement must be reproduced by a model of that arithmetic (below),
 * so none is left unexplained. Agreement per table, version and score is printed as test diagnostics.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { scoreCvss, type CvssResult } from '../../src/vuln/cvss.js';
import { scoreCvss2 } from '../../src/vuln/cvss-v2.js';
import { readOracle, type OracleRow } from './vulndata.js';

interface Tally {
  agree: number;
  total: number;
  misses: OracleRow[];
  text: string[];
}

type Tallies = Map<string, Tally>;

function check(tally: Tallies, key: string, expected: string, got: number | null, row: OracleRow): void {
  if (expected === '') return;
  const t = tally.get(key) ?? { agree: 0, total: 0, misses: [], text: [] };
  tally.set(key, t);
  t.total++;
  if (got !== null && Number(expected) === got) t.agree++;
  else {
    t.misses.push(row);
    if (t.text.length < 3) t.text.push(`line ${row.line}: ${row.vector} expected ${expected} got ${got}`);
  }
}

/** v4.0 rows hold one score, in the column of their nomenclature (SOURCES.md). */
function checkV4(tally: Tallies, row: OracleRow, s: CvssResult): void {
  check(tally, '4.0 CVSS-B', row.base, s.nomenclature === 'CVSS-B' ? s.score : null, row);
  check(tally, '4.0 CVSS-BT', row.temporal_or_threat, s.nomenclature === 'CVSS-BT' ? s.score : null, row);
  check(tally, '4.0 CVSS-BE/BTE', row.environmental, s.nomenclature === 'CVSS-BE' || s.nomenclature === 'CVSS-BTE' ? s.score : null, row);
}

function oracleName(row: OracleRow): string {
  return row.source.startsWith('RedHat') ? 'redhat' : row.source.startsWith('org-metaeffekt') ? 'metaeffekt' : 'records';
}

function runTable(file: string, t: { diagnostic(m: string): void }): Tallies {
  const tally: Tallies = new Map();
  for (const row of readOracle(file)) {
    const r = scoreCvss(row.vector);
    const who = oracleName(row);
    if (!r.ok) {
      check(tally, `${who} ${row.version} parse`, 'x', null, row);
      continue;
    }
    assert.equal(r.value.version, row.version, `line ${row.line}`);
    if (row.version === '4.0') checkV4(tally, row, r.value);
    else {
      check(tally, `${who} ${row.version} base`, row.base, r.value.base, row);
      check(tally, `${who} ${row.version} temporal`, row.temporal_or_threat, r.value.temporal, row);
      check(tally, `${who} ${row.version} environmental`, row.environmental, r.value.environmental, row);
    }
  }
  for (const [k, v] of [...tally].sort()) {
    t.diagnostic(`${file} ${k}: ${v.agree}/${v.total} (${((100 * v.agree) / v.total).toFixed(2)} %)${v.text.length ? `; e.g. ${v.text.join('; ')}` : ''}`);
  }
  return tally;
}

/**
 * The v2 environmental arithmetic of metaeffekt's calculator (read from its ae-cvss-calculator 1.0.13 build): the
 * exploitability subscore is rounded to one decimal before AdjustedBase, AdjustedBase and AdjustedTemporal are not
 * rounded, and rounding is Math.round on binary floats. The v2 guide §3.2.3 defines AdjustedTemporal as the
 * (rounded) TemporalScore equation over the (rounded) BaseScore equation, with no rounding of exploitability.
 */
function metaeffektV2Environmental(vector: string): number {
  const m = Object.fromEntries(vector.split('/').map((p) => p.split(':') as [string, string]));
  const W: Record<string, Record<string, number>> = {
    AV: { L: 0.395, A: 0.646, N: 1 }, AC: { H: 0.35, M: 0.61, L: 0.71 }, Au: { M: 0.45, S: 0.56, N: 0.704 }, CIA: { N: 0, P: 0.275, C: 0.66 },
    E: { U: 0.85, POC: 0.9, F: 0.95, H: 1, ND: 1 }, RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1, ND: 1 }, RC: { UC: 0.9, UR: 0.95, C: 1, ND: 1 },
    CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 }, TD: { N: 0, L: 0.25, M: 0.75, H: 1, ND: 1 }, REQ: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  };
  const g = (table: string, k: string): number => W[table]![m[k] ?? 'ND']!;
  const binary = (x: number): number => Math.round(x * 10) / 10;
  const ai = Math.min(10, 10.41 * (1 - (1 - g('CIA', 'C') * g('REQ', 'CR')) * (1 - g('CIA', 'I') * g('REQ', 'IR')) * (1 - g('CIA', 'A') * g('REQ', 'AR'))));
  const ex = binary(20 * g('AV', 'AV') * g('AC', 'AC') * g('Au', 'Au'));
  const at = (0.6 * ai + 0.4 * ex - 1.5) * (ai === 0 ? 0 : 1.176) * g('E', 'E') * g('RL', 'RL') * g('RC', 'RC');
  return binary((at + (10 - at) * g('CDP', 'CDP')) * g('TD', 'TD'));
}

for (const file of ['cvss_v30.tsv', 'cvss_v31.tsv', 'cvss_v40.tsv', 'observed_in_collected_records.tsv']) {
  test(`CVSS oracle ${file}: every score agrees`, (t) => {
    const tally = runTable(file, t);
    assert.ok(tally.size > 0);
    for (const [k, v] of tally) assert.equal(v.agree, v.total, `${k}: ${v.text.join('\n')}`);
  });
}

test('CVSS oracle cvss_v2.tsv: RedHat (NVD calculator, cvsslib) and all base scores agree; metaeffekt differences all explained', (t) => {
  const tally = runTable('cvss_v2.tsv', t);
  for (const [k, v] of tally) {
    if (k.startsWith('redhat') || k.endsWith('base')) assert.equal(v.agree, v.total, `${k}: ${v.text.join('\n')}`);
  }
  // temporal: the only differences are x.x5 ties that binary floating point rounds down
  for (const row of tally.get('metaeffekt 2.0 temporal')?.misses ?? []) {
    const binary = scoreCvss2(row.vector, { rounding: 'binary' });
    assert.ok(binary.ok && binary.value.temporal === Number(row.temporal_or_threat), `line ${row.line} not a rounding tie`);
  }
  const envMisses = tally.get('metaeffekt 2.0 environmental')?.misses ?? [];
  for (const row of envMisses) assert.equal(metaeffektV2Environmental(row.vector), Number(row.environmental), `line ${row.line} unexplained`);
  t.diagnostic(`metaeffekt v2 differences explained: temporal ${tally.get('metaeffekt 2.0 temporal')?.misses.length} (binary rounding of ties), environmental ${envMisses.length} (their arithmetic)`);
});
