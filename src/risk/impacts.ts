/**
 * The three impact dimensions of DESIGN §4 — patient safety, privacy, service disruption — each LOW / MEDIUM /
 * HIGH with the reason recorded, for one device. Start: the category defaults (data/categories/categories.tsv);
 * stronger evidence overrides them: the asset register (fda_class, clinical_criticality, backup) and PHI actually
 * observed (findings `phi_flow` / `phi_in_clear`). Pure: the caller gathers the inputs.
 */
import { categoryDefaults, type CategoryDefaults, type FdaClass, type Level } from '../knowledge/categories.js';

/** One impact level with why. */
export interface ImpactLevel {
  level: Level;
  /** Every step that set or changed the level, in order (the last one decided). */
  reasons: string[];
}

/** The three impacts of a device. */
export interface Impacts {
  patient_safety: ImpactLevel;
  privacy: ImpactLevel;
  service_disruption: ImpactLevel;
  /** FDA class used (null: not a medical device); `fda_class_assumed` when it was assumed (unknown medical class → II). */
  fda_class: FdaClass | null;
  fda_class_assumed: boolean;
  medical: boolean;
}

/** Register values that matter for impacts (from the assets matched to the device; first non-empty wins). */
export interface RegisterContext {
  /** The asset key, for the reasons. */
  asset: string;
  fda_class?: string;
  clinical_criticality?: string;
  backup?: string;
}

/** What impacts are computed from. */
export interface ImpactInput {
  category: string | null;
  register: RegisterContext | null;
  /** Distinct peers (subjects) of open `phi_flow` findings. */
  phi_peers: string[];
  /** Subjects of open `phi_in_clear` findings. */
  phi_in_clear: string[];
}

/** Distinct PHI peers from which a device is taken to handle many patients' data (a hub, not one bedside device). */
export const MANY_PATIENT_PEERS = 3;

const ORDER: Level[] = ['low', 'medium', 'high'];

/** One level lower (LOW stays LOW). */
function lower(l: Level): Level {
  return ORDER[Math.max(0, ORDER.indexOf(l) - 1)]!;
}

function safety(d: CategoryDefaults, input: ImpactInput): { impact: ImpactLevel; fda: FdaClass | null; assumed: boolean; medical: boolean } {
  const reasons: string[] = [];
  const reg = input.register;
  let fda: FdaClass | null = d.fda_class;
  let assumed = false;
  let medical = d.medical;
  if (reg?.fda_class === 'I' || reg?.fda_class === 'II' || reg?.fda_class === 'III') {
    fda = reg.fda_class;
    medical = true;
    reasons.push(`FDA class ${fda} from the asset register (${reg.asset})`);
  } else if (fda !== null) {
    reasons.push(`FDA class ${fda} by default for ${d.category} (21 CFR ${d.regulation ?? '-'}, ${d.rule})`);
  } else if (medical) {
    fda = 'II';
    assumed = true;
    reasons.push(`medical device of unknown FDA class (${d.category}): class II assumed`);
  }
  if (!medical) return { impact: { level: 'low', reasons: [`not a medical device (${d.category})`] }, fda: null, assumed: false, medical };
  let level: Level = fda === 'III' ? 'high' : fda === 'II' ? 'medium' : 'low';
  if (d.life_supporting || d.therapy) {
    level = 'high';
    reasons.push(`${d.category} ${d.life_supporting ? 'sustains or supports life' : 'delivers therapy'} (${d.rule}): HIGH`);
  }
  if (reg?.clinical_criticality === 'life-support') {
    level = 'high';
    reasons.push(`register criticality life-support (${reg.asset}): HIGH`);
  }
  return { impact: { level, reasons }, fda, assumed, medical };
}

function privacy(d: CategoryDefaults, input: ImpactInput): ImpactLevel {
  const fromRole: Record<string, Level> = { none: 'low', single: 'medium', many: 'high' };
  let level = fromRole[d.phi_role]!;
  const reasons = [`PHI role '${d.phi_role}' by default for ${d.category} (${d.rule})`];
  const peers = [...new Set(input.phi_peers)];
  if (peers.length >= MANY_PATIENT_PEERS) {
    level = 'high';
    reasons.push(`PHI observed with ${peers.length} peers (${peers.slice(0, 5).join(', ')}${peers.length > 5 ? ', …' : ''}): many patients, HIGH`);
  } else if (peers.length > 0 || input.phi_in_clear.length > 0) {
    if (level === 'low') level = 'medium';
    reasons.push(`PHI observed (${[...peers, ...input.phi_in_clear].slice(0, 5).join(', ')}): at least MEDIUM`);
  }
  return { level, reasons };
}

function disruption(d: CategoryDefaults, input: ImpactInput): ImpactLevel {
  let level = d.disruption;
  const reasons = [`disruption ${level.toUpperCase()} by default for ${d.category} (${d.rule})`];
  const reg = input.register;
  const crit = reg?.clinical_criticality;
  const fromCriticality: Record<string, Level> = { 'life-support': 'high', critical: 'high', high: 'high', medium: 'medium', low: 'low', none: 'low' };
  if (crit !== undefined && crit in fromCriticality) {
    level = fromCriticality[crit]!;
    reasons.push(`register criticality '${crit}' (${reg!.asset}): ${level.toUpperCase()}`);
  } else if (crit !== undefined) {
    reasons.push(`register criticality '${crit}' not used (a numeric scale's direction is not known)`);
  }
  if (reg?.backup === 'yes') {
    level = lower(level);
    reasons.push(`backup/redundancy recorded in the register (${reg.asset}): one level lower, ${level.toUpperCase()}`);
  }
  return { level, reasons };
}

/** The impacts of one device. */
export function computeImpacts(input: ImpactInput): Impacts {
  const d = categoryDefaults(input.category);
  const s = safety(d, input);
  return { patient_safety: s.impact, privacy: privacy(d, input), service_disruption: disruption(d, input), fda_class: s.fda, fda_class_assumed: s.assumed, medical: s.medical };
}
