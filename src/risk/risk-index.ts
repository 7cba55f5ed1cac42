/**
 * The device risk index (0–100) of DESIGN §4 and its explanation: a pure function of the device's impacts, its
 * matched vulnerabilities (with device-specific environmental CVSS scores) and its findings (exposures and
 * misconfigurations). Every term, its weight and why are in src/risk/README.md; the constants here are those.
 *
 *   index = round(100 × I × W/10 × L)
 *   I (impact, 0.4–1)     = max(safety, 0.9 × disruption, 0.8 × privacy) with LOW 0.4, MEDIUM 0.7, HIGH 1.0
 *   W (weakness, 0–10)    = min(10, top + Σ of the next three strongest weaknesses / 10)
 *                           weakness of a vulnerability = environmental score × certainty (confirmed 1, possible 0.5)
 *                           × 0.5 when a compensating control is in place; of a misconfiguration = its severity score
 *   L (likelihood, 0.5–1) = min(1, 0.5 + the increments of the exposure kinds present and of KEV listing)
 */
import type { Level } from '../knowledge/categories.js';
import type { DeviceCvss } from './environmental.js';
import type { Impacts } from './impacts.js';

/** Weight of each impact level in I. */
export const LEVEL_VALUE: Record<Level, number> = { low: 0.4, medium: 0.7, high: 1.0 };
/** Weight of each impact dimension in I (patient safety dominates). */
export const IMPACT_WEIGHT = { patient_safety: 1.0, service_disruption: 0.9, privacy: 0.8 } as const;
/** Certainty factor of a vulnerability match. */
export const CERTAINTY_FACTOR = { confirmed: 1.0, possible: 0.5 } as const;
/** Factor on a vulnerability's weakness while a compensating control blocks its path. */
export const MITIGATED_FACTOR = 0.5;
/** Weakness of a vulnerability with no CVSS vector at all (assumed medium). */
export const UNSCORED_WEAKNESS = 5.0;
/** Weakness score of a misconfiguration finding by severity. */
export const SEVERITY_SCORE: Record<string, number> = { info: 0, low: 3.0, medium: 5.0, high: 7.5, critical: 9.5 };
/** Each of the next strongest weaknesses after the top one adds its score × this to W… */
export const ACCUMULATION_FACTOR = 0.1;
/** …for this many of them at most. */
export const ACCUMULATION_MAX = 3;
/** Likelihood of a device seen on the network with no exposure finding (reachable from its own segment). */
export const BASE_LIKELIHOOD = 0.5;
/** Likelihood increments, once per kind present (open findings), and for KEV-listed matches. */
export const LIKELIHOOD_INCREMENT: Record<string, number> = {
  internet_exposure: 0.25,
  exposed_service: 0.10,
  flat_network: 0.10,
  less_secure_peer: 0.05,
  no_tunnel: 0.05,
  eol_os: 0.10,
  kev_confirmed: 0.20,
  kev_possible: 0.10,
};
/** Finding kinds that are weaknesses (W) rather than exposure (L). */
export const WEAKNESS_KINDS = new Set(['cleartext_credentials', 'default_credentials', 'insecure_protocol', 'phi_in_clear']);
/** Default acceptable-risk threshold: devices above it are the work list. */
export const DEFAULT_THRESHOLD = 40;

/** A matched vulnerability as the risk model sees it. */
export interface RiskVuln {
  vuln_id: string;
  certainty: 'confirmed' | 'possible';
  kev: boolean;
  cvss: DeviceCvss | null;
  /** A compensating control is in place (remediation what-if). */
  mitigated?: boolean;
}

/** An open finding as the risk model sees it. */
export interface RiskFinding {
  kind: string;
  subject: string;
  severity: string;
  title: string;
  evidence: string;
}

/** Everything the index is computed from. */
export interface RiskInput {
  impacts: Impacts;
  vulns: RiskVuln[];
  findings: RiskFinding[];
}

/** One term of the explanation. */
export interface RiskComponent {
  /** `impact`, `weakness` or `likelihood`. */
  part: 'impact' | 'weakness' | 'likelihood';
  /** What it is: `patient_safety`, `CVE-2017-0144`, `insecure_protocol:telnet`, `base`, `kev`, … */
  term: string;
  /** Its value in the formula (I or L contribution, or a weakness score 0–10). */
  value: number;
  /** Whether it decided its part (the max of I, the top weakness) or added to it. */
  role: 'decides' | 'adds' | 'counted';
  evidence: string;
}

/** The index and how it came about. */
export interface RiskScore {
  index: number;
  impact: number;
  weakness: number;
  likelihood: number;
  /** `index = round(100 × I × W/10 × L)` with the numbers. */
  formula: string;
  components: RiskComponent[];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

function impactPart(impacts: Impacts, out: RiskComponent[]): number {
  const dims = (['patient_safety', 'service_disruption', 'privacy'] as const).map((k) => ({
    k, v: IMPACT_WEIGHT[k] * LEVEL_VALUE[impacts[k].level], level: impacts[k].level, reasons: impacts[k].reasons,
  }));
  const top = Math.max(...dims.map((d) => d.v));
  let decided = false;
  for (const d of dims) {
    const decides: boolean = !decided && d.v === top;
    decided ||= decides;
    out.push({ part: 'impact', term: d.k, value: r2(d.v), role: decides ? 'decides' : 'counted',
      evidence: `${d.level.toUpperCase()} × weight ${IMPACT_WEIGHT[d.k]}: ${d.reasons.join('; ')}` });
  }
  return top;
}

/** The weakness score of one vulnerability (0–10). */
export function vulnWeakness(v: RiskVuln): number {
  const score = v.cvss ? v.cvss.environmental_score : UNSCORED_WEAKNESS;
  return score * CERTAINTY_FACTOR[v.certainty] * (v.mitigated ? MITIGATED_FACTOR : 1);
}

/** The top weakness plus the accumulation term over the next ACCUMULATION_MAX, from values sorted high to low. */
function combine(sorted: readonly number[]): number {
  const top = sorted[0] ?? 0;
  const added = sorted.slice(1, 1 + ACCUMULATION_MAX).reduce((s, v) => s + ACCUMULATION_FACTOR * v, 0);
  return Math.min(10, top + added);
}

/** The 1 + ACCUMULATION_MAX largest values, high to low, in one pass (what-ifs over thousands of vulnerabilities). */
function largest(values: Iterable<number>): number[] {
  const top: number[] = [];
  for (const v of values) {
    if (top.length > ACCUMULATION_MAX && v <= top[ACCUMULATION_MAX]!) continue;
    let i = Math.min(top.length, ACCUMULATION_MAX);
    while (i > 0 && top[i - 1]! < v) i--;
    top.splice(i, 0, v);
    if (top.length > 1 + ACCUMULATION_MAX) top.pop();
  }
  return top;
}

/** Weakness components listed one by one in an explanation; weaker ones are summed up in one `weaker` component. */
export const MAX_EXPLAINED_WEAKNESSES = 25;

function weaknessPart(input: RiskInput, out: RiskComponent[], explain: boolean): number {
  const misconfigs = input.findings.filter((x) => WEAKNESS_KINDS.has(x.kind));
  const items = [
    ...input.vulns.map((v) => ({ term: v.vuln_id, value: vulnWeakness(v), vuln: v as RiskVuln | null, finding: null as RiskFinding | null })),
    ...misconfigs.map((f) => ({ term: `${f.kind}:${f.subject}`, value: SEVERITY_SCORE[f.severity] ?? 0, vuln: null, finding: f })),
  ];
  if (!explain) return combine(largest(items.map((i) => i.value)));
  items.sort((a, b) => b.value - a.value || (a.term < b.term ? -1 : 1));
  items.slice(0, MAX_EXPLAINED_WEAKNESSES).forEach((i, n) => out.push({ part: 'weakness', term: i.term, value: r2(i.value),
    role: n === 0 ? 'decides' : n <= ACCUMULATION_MAX ? 'adds' : 'counted', evidence: i.vuln ? vulnEvidence(i.vuln) : `${i.finding!.title} (severity ${i.finding!.severity}): ${i.finding!.evidence}` }));
  if (items.length > MAX_EXPLAINED_WEAKNESSES) {
    out.push({ part: 'weakness', term: 'weaker', value: r2(items[MAX_EXPLAINED_WEAKNESSES]!.value), role: 'counted',
      evidence: `${items.length - MAX_EXPLAINED_WEAKNESSES} weaker weaknesses, each at most ${r2(items[MAX_EXPLAINED_WEAKNESSES]!.value)} (only the ${1 + ACCUMULATION_MAX} strongest enter W)` });
  }
  return combine(items.map((i) => i.value));
}

function vulnEvidence(v: RiskVuln): string {
  const c = v.cvss;
  return `${c ? `${c.environmental_vector} environmental ${c.environmental_score} (base ${c.base_score})` : `no CVSS vector: ${UNSCORED_WEAKNESS} assumed`}`
    + ` × ${v.certainty} ${CERTAINTY_FACTOR[v.certainty]}${v.mitigated ? ` × compensating control ${MITIGATED_FACTOR}` : ''}${v.kev ? '; CISA KEV' : ''}`;
}

function likelihoodPart(input: RiskInput, out: RiskComponent[]): number {
  let l = BASE_LIKELIHOOD;
  out.push({ part: 'likelihood', term: 'base', value: BASE_LIKELIHOOD, role: 'adds', evidence: 'seen on the network: reachable from its own segment' });
  const kinds = new Map<string, RiskFinding[]>();
  for (const f of input.findings) if (f.kind in LIKELIHOOD_INCREMENT) kinds.set(f.kind, [...(kinds.get(f.kind) ?? []), f]);
  for (const [kind, fs] of [...kinds].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    l += LIKELIHOOD_INCREMENT[kind]!;
    out.push({ part: 'likelihood', term: kind, value: LIKELIHOOD_INCREMENT[kind]!, role: 'adds', evidence: fs.map((f) => `${f.title}${f.subject ? ` (${f.subject})` : ''}`).join('; ') });
  }
  const kevConfirmed = input.vulns.filter((v) => v.kev && v.certainty === 'confirmed' && !v.mitigated).map((v) => v.vuln_id);
  const kevPossible = input.vulns.filter((v) => v.kev && (v.certainty === 'possible' || v.mitigated)).map((v) => v.vuln_id);
  if (kevConfirmed.length > 0) {
    l += LIKELIHOOD_INCREMENT.kev_confirmed!;
    out.push({ part: 'likelihood', term: 'kev', value: LIKELIHOOD_INCREMENT.kev_confirmed!, role: 'adds', evidence: `known exploited (CISA KEV): ${kevConfirmed.join(', ')}` });
  } else if (kevPossible.length > 0) {
    l += LIKELIHOOD_INCREMENT.kev_possible!;
    out.push({ part: 'likelihood', term: 'kev', value: LIKELIHOOD_INCREMENT.kev_possible!, role: 'adds', evidence: `possibly present or mitigated, known exploited (CISA KEV): ${kevPossible.join(', ')}` });
  }
  return Math.min(1, l);
}

/** The risk index of a device and every component behind it (`explain: false`: vulnerability evidence texts left empty, for what-ifs). */
export function riskIndex(input: RiskInput, opts: { explain?: boolean } = {}): RiskScore {
  const components: RiskComponent[] = [];
  const impact = impactPart(input.impacts, components);
  const weakness = weaknessPart(input, components, opts.explain ?? true);
  const likelihood = likelihoodPart(input, components);
  const index = Math.round(100 * impact * (weakness / 10) * likelihood);
  return {
    index, impact: r2(impact), weakness: r2(weakness), likelihood: r2(likelihood), components,
    formula: `index = round(100 × I ${r2(impact)} × W ${r2(weakness)}/10 × L ${r2(likelihood)}) = ${index}`,
  };
}
