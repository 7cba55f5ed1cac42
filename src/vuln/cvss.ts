/**
 * One entry point for CVSS scoring of any version: the version is recognised from the vector (`CVSS:4.0/`,
 * `CVSS:3.1/`, `CVSS:3.0/`, or a bare v2 vector `AV:…/AC:…/Au:…`), scores come from cvss-v2.ts, cvss-v3.ts
 * (our own implementations of the FIRST equations) and cvss-v4.ts (the ae-cvss-calculator adapter).
 * `withMetrics` rewrites a vector with environmental metrics set, for device-specific scores.
 */
import { scoreCvss2 } from './cvss-v2.js';
import { scoreCvss3 } from './cvss-v3.js';
import { scoreCvss4 } from './cvss-v4.js';
import { severityV2, severityV3 } from './cvss-vector.js';

/** CVSS versions handled. */
export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

/** Scores of one vector, uniform across versions. */
export interface CvssResult {
  version: CvssVersion;
  vector: string;
  /** Base score (v4.0: CVSS-B). */
  base: number;
  /** v2/v3.x temporal score, v4.0 CVSS-BT (null in v4.0 when E is not set). */
  temporal: number | null;
  /** v2/v3.x environmental score, v4.0 CVSS-BE/BTE (null in v4.0 when no environmental metric is set). */
  environmental: number | null;
  /** The score of the vector as written: v2/v3.x environmental when any env metric is set, else temporal when any
   *  temporal metric is, else base; v4.0 the nomenclature's score. */
  score: number;
  /** Qualitative severity of `score` (NVD bands for v2). */
  severity: string;
  /** v4.0 nomenclature (CVSS-B, -BT, -BE, -BTE); null for older versions. */
  nomenclature: string | null;
}

/** Which version a vector string is, or null. */
export function cvssVersionOf(vector: string): CvssVersion | null {
  if (vector.startsWith('CVSS:4.0/')) return '4.0';
  if (vector.startsWith('CVSS:3.1/')) return '3.1';
  if (vector.startsWith('CVSS:3.0/')) return '3.0';
  if (/^\(?AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(vector)) return '2.0';
  return null;
}

const V2_TEMPORAL = /(^|\/)(E|RL|RC):/;
const V2_ENV = /(^|\/)(CDP|TD|CR|IR|AR):/;
const V3_TEMPORAL = /\/(E|RL|RC):[^X]/;
const V3_ENV = /\/(CR|IR|AR|MAV|MAC|MPR|MUI|MS|MC|MI|MA):[^X]/;

/** Scores a vector of any supported version; never throws. */
export function scoreCvss(vector: string): { ok: true; value: CvssResult } | { ok: false; error: string } {
  if (typeof vector !== 'string') return { ok: false, error: 'not a string' };
  const version = cvssVersionOf(vector.trim());
  if (version === null) return { ok: false, error: 'not a CVSS v2, v3.0, v3.1 or v4.0 vector' };
  const v = vector.trim();
  if (version === '4.0') {
    const r = scoreCvss4(v);
    if (!r.ok) return r;
    const s = r.value;
    return { ok: true, value: { version, vector: v, base: s.base, temporal: s.threat, environmental: s.environmental, score: s.score, severity: severityV3(s.score), nomenclature: s.nomenclature } };
  }
  const r = version === '2.0' ? scoreCvss2(v) : scoreCvss3(v);
  if (!r.ok) return r;
  const s = r.value;
  const env = version === '2.0' ? V2_ENV.test(v) : V3_ENV.test(v);
  const temp = version === '2.0' ? V2_TEMPORAL.test(v) : V3_TEMPORAL.test(v);
  const score = env ? s.environmental : temp ? s.temporal : s.base;
  return {
    ok: true,
    value: { version, vector: v, base: s.base, temporal: s.temporal, environmental: s.environmental, score, severity: version === '2.0' ? severityV2(score) : severityV3(score), nomenclature: null },
  };
}

/**
 * The vector with the given metrics set (replacing any existing value), e.g. `{ CR: 'H', IR: 'H', AR: 'M' }` for a
 * device's security requirements, or `{ MSI: 'S' }` in v4.0. Metrics are appended in the order given; for v4.0,
 * whose order is fixed, the caller passes them in specification order.
 */
export function withMetrics(vector: string, metrics: Record<string, string>): string {
  const parts = vector.trim().split('/');
  const prefix = parts[0]!.startsWith('CVSS:') ? [parts.shift()!] : [];
  const kept = parts.filter((p) => !(p.slice(0, p.indexOf(':')) in metrics));
  return [...prefix, ...kept, ...Object.entries(metrics).map(([k, val]) => `${k}:${val}`)].join('/');
}
