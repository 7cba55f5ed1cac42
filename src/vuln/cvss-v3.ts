/**
 * CVSS v3.0 and v3.1 base, temporal and environmental scores, from the FIRST specification documents:
 * v3.1 §7.1–7.3 (equations), §7.4 (metric values, Table 16) and Appendix A (the Roundup function, defined on
 * integers to avoid floating-point error); v3.0 §8.1–8.4 (same structure; Roundup is "the smallest number,
 * specified to one decimal place, that is equal to or higher than its input", and the scope-changed modified
 * impact uses (MISS − 0.02)^15 where v3.1 uses (MISS × 0.9731 − 0.02)^13).
 */
import { parseVector, round1, type MetricMap, type VectorGrammar } from './cvss-vector.js';

const CIA = ['N', 'L', 'H'] as const;
const MOD_CIA = ['X', 'N', 'L', 'H'] as const;
const REQ = ['X', 'L', 'M', 'H'] as const;

function grammar(prefix: string): VectorGrammar {
  return {
    prefix,
    metrics: {
      AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], PR: ['N', 'L', 'H'], UI: ['N', 'R'], S: ['U', 'C'], C: CIA, I: CIA, A: CIA,
      E: ['X', 'U', 'P', 'F', 'H'], RL: ['X', 'O', 'T', 'W', 'U'], RC: ['X', 'U', 'R', 'C'],
      CR: REQ, IR: REQ, AR: REQ,
      MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'R'], MS: ['X', 'U', 'C'],
      MC: MOD_CIA, MI: MOD_CIA, MA: MOD_CIA,
    },
    base: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
    ordered: false,
  };
}

/** v3.0 vector grammar (v3.0 spec §6). */
export const CVSS30_GRAMMAR = grammar('CVSS:3.0');
/** v3.1 vector grammar (v3.1 spec §6, Table 15). */
export const CVSS31_GRAMMAR = grammar('CVSS:3.1');

const W: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR_U: { N: 0.85, L: 0.62, H: 0.27 },
  PR_C: { N: 0.85, L: 0.68, H: 0.5 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
  E: { X: 1, H: 1, F: 0.97, P: 0.94, U: 0.91 },
  RL: { X: 1, U: 1, W: 0.97, T: 0.96, O: 0.95 },
  RC: { X: 1, C: 1, R: 0.96, U: 0.92 },
  REQ: { X: 1, H: 1.5, M: 1, L: 0.5 },
};

/** v3.x scores; temporal and environmental use Not Defined (X) for absent metrics, as the equations do. */
export interface Cvss3Scores {
  base: number;
  impact: number;
  exploitability: number;
  temporal: number;
  environmental: number;
}

/** v3.1 Appendix A Roundup: exact on decimals by working in integers. */
export function roundup31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** v3.0 Roundup as published with the v3.0 calculator: ceil to one decimal. */
export function roundup30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

/** The metric's value, its Modified counterpart overriding it when defined (environmental equations). */
function mod(m: MetricMap, k: string): string {
  const v = m[`M${k}`];
  return v !== undefined && v !== 'X' ? v : m[k]!;
}

function exploitability(av: string, ac: string, pr: string, ui: string, changed: boolean): number {
  return 8.22 * W['AV']![av]! * W['AC']![ac]! * (changed ? W['PR_C']! : W['PR_U']!)[pr]! * W['UI']![ui]!;
}

/** Computes the scores of a `CVSS:3.0/…` or `CVSS:3.1/…` vector. */
export function scoreCvss3(vector: string): { ok: true; version: '3.0' | '3.1'; value: Cvss3Scores } | { ok: false; error: string } {
  const v31 = vector.startsWith('CVSS:3.1/');
  if (!v31 && !vector.startsWith('CVSS:3.0/')) return { ok: false, error: "does not start with 'CVSS:3.0/' or 'CVSS:3.1/'" };
  const p = parseVector(vector, v31 ? CVSS31_GRAMMAR : CVSS30_GRAMMAR);
  if (!p.ok) return p;
  const m = p.metrics;
  const roundup = v31 ? roundup31 : roundup30;
  const x = (k: string): number => W[k]![m[k] ?? 'X']!;
  const cia = (k: string): number => W['CIA']![m[k]!]!;
  // base (v3.1 §7.1)
  const changed = m['S'] === 'C';
  const iss = 1 - (1 - cia('C')) * (1 - cia('I')) * (1 - cia('A'));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const expl = exploitability(m['AV']!, m['AC']!, m['PR']!, m['UI']!, changed);
  const base = impact <= 0 ? 0 : roundup(Math.min((changed ? 1.08 : 1) * (impact + expl), 10));
  // temporal (§7.2)
  const tm = x('E') * x('RL') * x('RC');
  const temporal = roundup(base * tm);
  // environmental (§7.3)
  const mChanged = mod(m, 'S') === 'C';
  const req = (k: string): number => W['REQ']![m[k] ?? 'X']!;
  const mcia = (k: string): number => W['CIA']![mod(m, k)]!;
  const miss = Math.min(1 - (1 - req('CR') * mcia('C')) * (1 - req('IR') * mcia('I')) * (1 - req('AR') * mcia('A')), 0.915);
  const mImpact = !mChanged ? 6.42 * miss
    : v31 ? 7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02) ** 13 : 7.52 * (miss - 0.029) - 3.25 * (miss - 0.02) ** 15;
  const mExpl = exploitability(mod(m, 'AV'), mod(m, 'AC'), mod(m, 'PR'), mod(m, 'UI'), mChanged);
  const environmental = mImpact <= 0 ? 0 : roundup(roundup(Math.min((mChanged ? 1.08 : 1) * (mImpact + mExpl), 10)) * tm);
  return {
    ok: true,
    version: v31 ? '3.1' : '3.0',
    value: { base, impact: round1(Math.max(impact, 0)), exploitability: round1(expl), temporal, environmental },
  };
}
