/**
 * CVSS v4.0 scores through the `ae-cvss-calculator` library ({metæffekt}, Apache-2.0), which implements the
 * FIRST v4.0 specification §8 (MacroVector equivalence classes EQ1–EQ6, the lookup table of MacroVector scores
 * and the interpolation by severity distance within a MacroVector).
 *
 * The library is lenient (it scores a vector with a missing base metric as 0 and accepts duplicates), so the
 * vector is first parsed strictly here against the v4.0 spec §7 grammar and order (Table 23); only a valid
 * vector is handed to the library. Rounding rule (the one for ties): the library rounds the interpolated score to
 * one decimal, half up, after adding ε = 1e-6 (`Math.round(10 × (x + 1e-6)) / 10`), so a value that is x.x5 up to
 * binary noise goes up. Agreement with the oracle tables (RedHat's port of FIRST's calculator and metaeffekt's
 * validation vectors) is measured in cvss.test.ts.
 */
import ae from 'ae-cvss-calculator';
import { parseVector, type MetricMap, type VectorGrammar } from './cvss-vector.js';

const HLN = ['H', 'L', 'N'] as const;
const X_HLN = ['X', 'H', 'L', 'N'] as const;
const X_SHLN = ['X', 'S', 'H', 'L', 'N'] as const;
const X_HML = ['X', 'H', 'M', 'L'] as const;

/** v4.0 vector grammar, in the order the specification requires (spec §7, Table 23). */
export const CVSS40_GRAMMAR: VectorGrammar = {
  prefix: 'CVSS:4.0',
  metrics: {
    AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'],
    VC: HLN, VI: HLN, VA: HLN, SC: HLN, SI: HLN, SA: HLN,
    E: ['X', 'A', 'P', 'U'],
    CR: X_HML, IR: X_HML, AR: X_HML,
    MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MAT: ['X', 'N', 'P'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'P', 'A'],
    MVC: X_HLN, MVI: X_HLN, MVA: X_HLN, MSC: X_HLN, MSI: X_SHLN, MSA: X_SHLN,
    S: ['X', 'N', 'P'], AU: ['X', 'N', 'Y'], R: ['X', 'A', 'U', 'I'], V: ['X', 'D', 'C'], RE: ['X', 'L', 'M', 'H'],
    U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
  base: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
  ordered: false,
};

const BASE = CVSS40_GRAMMAR.base;
const ENVIRONMENTAL = ['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA'];

/** v4.0 scores by nomenclature (spec §1.3): CVSS-B always; CVSS-BT / CVSS-BE / CVSS-BTE when those metrics are set. */
export interface Cvss4Scores {
  /** The score of the vector as written, named by `nomenclature`. */
  score: number;
  nomenclature: 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';
  /** CVSS-B: base metrics only. */
  base: number;
  /** CVSS-BT: base + threat (null when E is not set). */
  threat: number | null;
  /** CVSS-BE or CVSS-BTE (null when no environmental metric is set). */
  environmental: number | null;
}

function defined(m: MetricMap, k: string): boolean {
  return m[k] !== undefined && m[k] !== 'X';
}

function libraryScores(m: MetricMap, keys: readonly string[]): { overall: number; baseOnly: number } {
  const parts = keys.filter((k) => defined(m, k)).map((k) => `${k}:${m[k]}`);
  const r = new ae.Cvss4P0(`CVSS:4.0/${parts.join('/')}`).calculateScores();
  return { overall: r.overall, baseOnly: r.baseMetricsOnly ?? r.overall };
}

/** Computes the v4.0 scores of a `CVSS:4.0/…` vector (one library call, two for a CVSS-BTE vector). */
export function scoreCvss4(vector: string): { ok: true; value: Cvss4Scores } | { ok: false; error: string } {
  const p = parseVector(vector, CVSS40_GRAMMAR);
  if (!p.ok) return p;
  const m = p.metrics;
  const hasThreat = defined(m, 'E');
  const hasEnv = ENVIRONMENTAL.some((k) => defined(m, k));
  try {
    const all = libraryScores(m, Object.keys(CVSS40_GRAMMAR.metrics));
    const threat = hasThreat ? (hasEnv ? libraryScores(m, [...BASE, 'E']).overall : all.overall) : null;
    const environmental = hasEnv ? all.overall : null;
    const nomenclature = hasThreat ? (hasEnv ? 'CVSS-BTE' : 'CVSS-BT') : hasEnv ? 'CVSS-BE' : 'CVSS-B';
    return { ok: true, value: { score: all.overall, nomenclature, base: all.baseOnly, threat, environmental } };
  } catch (err) {
    return { ok: false, error: `calculator: ${(err as Error).message}` };
  }
}
