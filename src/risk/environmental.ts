/**
 * Device-specific CVSS environmental vectors (DESIGN §4): the security requirements come from the device's impacts —
 * Confidentiality Requirement ← privacy, Integrity Requirement ← patient safety, Availability Requirement ← service
 * disruption (LOW/MEDIUM/HIGH → L/M/H; CVSS v3.1 spec §4.2 / v4.0 spec §4.2, v2 guide §2.3.3). In v4.0, where
 * patient safety is at stake (patient safety HIGH), the subsequent-system integrity and availability impacts are
 * set to Safety (MSI:S, MSA:S; v4.0 spec §4.2 "Safety"). Scores: v2/v3.x by our own code, v4.0 by
 * ae-cvss-calculator (src/vuln/cvss.ts).
 */
import type { Level } from '../knowledge/categories.js';
import { scoreCvss, withMetrics } from '../vuln/cvss.js';
import { CVSS40_GRAMMAR } from '../vuln/cvss-v4.js';
import type { Impacts } from './impacts.js';

/** A vulnerability's base and device-specific environmental scores, both as vectors. */
export interface DeviceCvss {
  version: string;
  base_vector: string;
  base_score: number;
  environmental_vector: string;
  environmental_score: number;
  /** The requirement metrics set, e.g. { CR: 'M', IR: 'H', AR: 'H', MSI: 'S', MSA: 'S' }. */
  requirements: Record<string, string>;
}

const LETTER: Record<Level, string> = { low: 'L', medium: 'M', high: 'H' };

/** The environmental metrics a device's impacts give for a CVSS version. */
export function requirementMetrics(version: string, impacts: Impacts): Record<string, string> {
  const m: Record<string, string> = {
    CR: LETTER[impacts.privacy.level],
    IR: LETTER[impacts.patient_safety.level],
    AR: LETTER[impacts.service_disruption.level],
  };
  if (version === '4.0' && impacts.patient_safety.level === 'high') {
    m.MSI = 'S';
    m.MSA = 'S';
  }
  return m;
}

/** A v4.0 vector with its metrics in the order of the specification (Table 23), whatever order they came in. */
export function orderV4(vector: string): string {
  const parts = vector.split('/').slice(1);
  const order = Object.keys(CVSS40_GRAMMAR.metrics);
  const key = (p: string): number => order.indexOf(p.slice(0, p.indexOf(':')));
  return ['CVSS:4.0', ...parts.sort((a, b) => key(a) - key(b))].join('/');
}

/** Scores a published vector for a device: base, and environmental with the device's requirements; null if unscorable. */
export function deviceCvss(vector: string, impacts: Impacts): DeviceCvss | null {
  const base = scoreCvss(vector);
  if (!base.ok) return null;
  const requirements = requirementMetrics(base.value.version, impacts);
  let env = withMetrics(base.value.vector, requirements);
  if (base.value.version === '4.0') env = orderV4(env);
  const scored = scoreCvss(env);
  if (!scored.ok) return null;
  return {
    version: base.value.version,
    base_vector: base.value.vector,
    base_score: base.value.base,
    environmental_vector: env,
    environmental_score: scored.value.environmental ?? scored.value.score,
    requirements,
  };
}
