/**
 * CVSS v2 base, temporal and environmental scores, from "A Complete Guide to the Common Vulnerability Scoring
 * System Version 2.0" (FIRST, 2007) §3.2 (equations) and §2.1–2.3 / §3.2.1–3.2.3 (metric values). Scores are
 * rounded with round_to_1_decimal (half up) on the decimal value of each step (see round1 and Cvss2Rounding).
 */
import { parseVector, round1, type MetricMap, type VectorGrammar } from './cvss-vector.js';

/** v2 vector grammar (guide §2.4, Table 13). */
export const CVSS2_GRAMMAR: VectorGrammar = {
  prefix: null,
  metrics: {
    AV: ['L', 'A', 'N'], AC: ['H', 'M', 'L'], Au: ['M', 'S', 'N'], C: ['N', 'P', 'C'], I: ['N', 'P', 'C'], A: ['N', 'P', 'C'],
    E: ['U', 'POC', 'F', 'H', 'ND'], RL: ['OF', 'TF', 'W', 'U', 'ND'], RC: ['UC', 'UR', 'C', 'ND'],
    CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'], TD: ['N', 'L', 'M', 'H', 'ND'], CR: ['L', 'M', 'H', 'ND'], IR: ['L', 'M', 'H', 'ND'], AR: ['L', 'M', 'H', 'ND'],
  },
  base: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  ordered: false,
};

const W: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0.0, P: 0.275, C: 0.660 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1.0, ND: 1.0 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1.0, ND: 1.0 },
  RC: { UC: 0.9, UR: 0.95, C: 1.0, ND: 1.0 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1.0, ND: 1.0 },
  REQ: { L: 0.5, M: 1.0, H: 1.51, ND: 1.0 },
};

/** v2 scores (temporal/environmental computed with Not Defined for absent metrics, as the guide's equations do). */
export interface Cvss2Scores {
  base: number;
  impact: number;
  exploitability: number;
  temporal: number;
  environmental: number;
}

function w(table: string, m: MetricMap, k: string, dflt = 'ND'): number {
  return W[table]![m[k] ?? dflt]!;
}

/**
 * Rounding variant. The default is the guide's arithmetic, `decimal` (9.0 × 0.95 = 8.55 → 8.6, as the NVD
 * calculator answers); `binary` is Math.round on the IEEE 754 value (8.549999… → 8.5, as some JavaScript
 * calculators answer; only x.x5 ties differ). Used by the oracle test to explain such differences.
 */
export interface Cvss2Options {
  rounding?: 'decimal' | 'binary';
}

function rounder(mode: 'decimal' | 'binary'): (x: number) => number {
  return mode === 'decimal' ? round1 : (x) => Math.round(x * 10) / 10;
}

function baseFrom(impact: number, m: MetricMap, r: (x: number) => number): number {
  const exploitability = 20 * w('AV', m, 'AV') * w('AC', m, 'AC') * w('Au', m, 'Au');
  const f = impact === 0 ? 0 : 1.176;
  return r((0.6 * impact + 0.4 * exploitability - 1.5) * f);
}

function temporalFrom(base: number, m: MetricMap, r: (x: number) => number): number {
  return r(base * w('E', m, 'E') * w('RL', m, 'RL') * w('RC', m, 'RC'));
}

/** Computes the v2 scores of a vector such as `AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M`. */
export function scoreCvss2(vector: string, opts: Cvss2Options = {}): { ok: true; value: Cvss2Scores } | { ok: false; error: string } {
  const p = parseVector(vector, CVSS2_GRAMMAR);
  if (!p.ok) return p;
  const m = p.metrics;
  const r = rounder(opts.rounding ?? 'decimal');
  const c = w('CIA', m, 'C');
  const i = w('CIA', m, 'I');
  const a = w('CIA', m, 'A');
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * w('AV', m, 'AV') * w('AC', m, 'AC') * w('Au', m, 'Au');
  const base = baseFrom(impact, m, r);
  const temporal = temporalFrom(base, m, r);
  const adjustedImpact = Math.min(10, 10.41 * (1 - (1 - c * w('REQ', m, 'CR')) * (1 - i * w('REQ', m, 'IR')) * (1 - a * w('REQ', m, 'AR'))));
  const adjustedTemporal = temporalFrom(baseFrom(adjustedImpact, m, r), m, r);
  const environmental = r((adjustedTemporal + (10 - adjustedTemporal) * w('CDP', m, 'CDP')) * w('TD', m, 'TD'));
  return { ok: true, value: { base, impact: round1(impact), exploitability: round1(exploitability), temporal, environmental } };
}
