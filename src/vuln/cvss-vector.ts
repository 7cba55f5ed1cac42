/**
 * Strict parsing of CVSS vector strings (`AV:N/AC:L/…`) into metric maps, shared by the v2, v3.x and v4.0
 * calculators: every metric must be known, take one of its allowed values, appear once, and every base metric must
 * be present. Order is free for v2/v3.x (CVSS v3.1 spec §6: "metrics may be specified in any order"); v4.0
 * requires the specification's order (CVSS v4.0 spec §7), which is checked here too.
 */

/** Allowed values per metric, in the specification's order; `base` lists the mandatory ones. */
export interface VectorGrammar {
  prefix: string | null;
  metrics: Record<string, readonly string[]>;
  base: readonly string[];
  ordered: boolean;
}

/** Parsed vector: metric → value (optional metrics absent when not given). */
export type MetricMap = Record<string, string>;

/** Longest vector string accepted (a full v4.0 BTE vector with every supplemental metric is < 300 characters). */
export const MAX_VECTOR_LENGTH = 512;

/** Parses `vector` by `g`; metrics omitted from the string are absent from the map. */
export function parseVector(vector: string, g: VectorGrammar): { ok: true; metrics: MetricMap } | { ok: false; error: string } {
  if (typeof vector !== 'string' || vector.length === 0) return { ok: false, error: 'empty vector' };
  if (vector.length > MAX_VECTOR_LENGTH) return { ok: false, error: `longer than ${MAX_VECTOR_LENGTH} characters` };
  let body = vector.trim();
  if (body.startsWith('(') && body.endsWith(')')) body = body.slice(1, -1); // NVD v2 vectors were once written in parentheses
  if (g.prefix !== null) {
    if (!body.startsWith(`${g.prefix}/`)) return { ok: false, error: `does not start with '${g.prefix}/'` };
    body = body.slice(g.prefix.length + 1);
  }
  const order = Object.keys(g.metrics);
  const metrics: MetricMap = {};
  let last = -1;
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return { ok: false, error: `'${part}' is not METRIC:VALUE` };
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = g.metrics[name];
    if (allowed === undefined) return { ok: false, error: `unknown metric '${name}'` };
    if (!allowed.includes(value)) return { ok: false, error: `${name}:${value} is not one of ${allowed.join(', ')}` };
    if (metrics[name] !== undefined) return { ok: false, error: `metric ${name} given twice` };
    const at = order.indexOf(name);
    if (g.ordered && at < last) return { ok: false, error: `metric ${name} out of order` };
    last = at;
    metrics[name] = value;
  }
  for (const b of g.base) if (metrics[b] === undefined) return { ok: false, error: `base metric ${b} missing` };
  return { ok: true, metrics };
}

/**
 * Rounds to one decimal, half away from zero, after removing binary floating-point noise (9.0 × 0.95 is
 * 8.549999… in IEEE 754 but 8.55 in the specification's arithmetic, which rounds to 8.6).
 */
export function round1(x: number): number {
  return Math.round(Number((x * 10).toPrecision(12))) / 10;
}

/** CVSS v3.x / v4.0 qualitative severity (v3.1 spec Table 14, v4.0 spec §6): None, Low, Medium, High, Critical. */
export function severityV3(score: number): 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** NVD's CVSS v2 severity bands: Low 0–3.9, Medium 4.0–6.9, High 7.0–10.0. */
export function severityV2(score: number): 'LOW' | 'MEDIUM' | 'HIGH' {
  return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH';
}
