/**
 * Combining claims about one device into candidate values and winners (DESIGN §2: every value keeps its
 * provenance and confidence; conflicts stay visible; the winner is chosen, never silently overwritten).
 *
 * - Claims resting on the same piece of information are one signal, and only the strongest counts: everything one
 *   protocol said (its facts come from one implementation on the device — a DHCP client's vendor class and its
 *   parameter list are not independent witnesses), and the host name whichever protocol announced it.
 * - Different signals are treated as independent: combined confidence = 1 − Π(1 − c) (noisy-OR).
 * - Ranking per attribute: combined confidence, then the highest source priority among the value's claims
 *   (`@priority` in data/fingerprints/priorities.fp), then the most recent sighting, then the value (stable).
 * - An os_version derived together with an os (same rule, same fact) only competes when that os won: a version
 *   number means nothing for another OS. Such claims stay in the evidence trail.
 * - A medical device is never filed as an IT device because it runs Windows or an embedded stack (issue 4): given
 *   which categories are medical, the best medical category candidate with at least MEDICAL_CATEGORY_FLOOR combined
 *   confidence wins over any IT candidate (workstation from the OS, server, iot-other from an embedded stack …),
 *   however confident. The IT candidates stay in the trail. Likewise a specific medical category with at least
 *   SPECIFIC_MEDICAL_FLOOR wins over the generic `medical-other`.
 */
import type { Claim } from '../knowledge/knowledge-base.js';
import { DERIVED_ATTRIBUTES, type DerivedAttribute, type SingleValuedAttribute } from '../knowledge/vocabulary.js';

/**
 * Combined confidence a medical category needs to win over IT categories: a weak maker hint alone (an OUI of a
 * medical company, 0.3–0.45 in oui.fp) is enough, since that maker's networked products are medical devices.
 */
export const MEDICAL_CATEGORY_FLOOR = 0.3;

/**
 * Combined confidence a specific medical category (ventilator, infusion-pump, …) needs to win over the generic
 * `medical-other`, which only says "a medical device of some kind" (e.g. SDC's mdpws:MedicalDevice type, however
 * often it is repeated): a product-line or role rule naming the kind is more informative.
 */
export const SPECIFIC_MEDICAL_FLOOR = 0.5;

/** One candidate value of an attribute with everything supporting it. */
export interface Candidate {
  attribute: DerivedAttribute;
  value: string;
  /** Combined confidence over independent signals (rounded to 4 decimals). */
  confidence: number;
  /** Supporting claims, strongest first. */
  claims: Claim[];
  /** Highest priority among the sources of its claims. */
  priority: number;
  /** Earliest and latest sighting of the supporting facts (µs). */
  first: number;
  last: number;
}

/** The outcome for one device. */
export interface Identification {
  /** Candidates grouped by attribute (in DERIVED_ATTRIBUTES order), each group ranked best first. */
  candidates: Candidate[];
  /** Winning candidate per single-valued attribute (null when nothing claims one). */
  winners: Record<SingleValuedAttribute, Candidate | null>;
}

/** The signal a fact belongs to: `hostname` for any host name, else the protocol (source) that reported it. */
export function signalOf(fact: Claim['fact']): string {
  return fact.name === 'hostname' ? 'hostname' : `source:${fact.source}`;
}

/** Noisy-OR over the strongest claim of each signal. */
export function combinedConfidence(claims: readonly Claim[]): number {
  const perSignal = new Map<string, number>();
  for (let i = 0; i < claims.length; i++) { // indexed: no iterator result per claim in code that runs cold
    const c = claims[i]!;
    const s = signalOf(c.fact);
    perSignal.set(s, Math.max(perSignal.get(s) ?? 0, c.confidence));
  }
  let miss = 1;
  perSignal.forEach((p) => { miss *= 1 - p; }); // insertion order, as values() gives
  return Math.round((1 - miss) * 10_000) / 10_000;
}

function candidateOf(claims: Claim[], priorityOf: (source: string) => number): Candidate {
  const sorted = [...claims].sort((a, b) => b.confidence - a.confidence || (a.rule?.id ?? '').localeCompare(b.rule?.id ?? ''));
  return {
    attribute: claims[0]!.attribute,
    value: claims[0]!.value,
    confidence: combinedConfidence(claims),
    claims: sorted,
    priority: Math.max(...claims.map((c) => priorityOf(c.fact.source))),
    first: Math.min(...claims.map((c) => c.fact.first)),
    last: Math.max(...claims.map((c) => c.fact.last)),
  };
}

/** Orders candidates best first (see the module comment). */
export function rankCandidates(a: Candidate, b: Candidate): number {
  return b.confidence - a.confidence || b.priority - a.priority || b.last - a.last || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

function candidatesFor(claims: readonly Claim[], priorityOf: (source: string) => number): Candidate[] {
  const byValue = new Map<string, Claim[]>();
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!;
    const list = byValue.get(c.value);
    if (list) list.push(c);
    else byValue.set(c.value, [c]);
  }
  return [...byValue.values()].map((list) => candidateOf(list, priorityOf)).sort(rankCandidates);
}

/**
 * Moves the best medical category candidate (at least MEDICAL_CATEGORY_FLOOR) ahead of IT ones; then, when that is
 * the generic `medical-other`, the best specific medical category with at least SPECIFIC_MEDICAL_FLOOR ahead of it.
 */
function medicalFirst(ranked: Candidate[], isMedical: (category: string) => boolean): Candidate[] {
  const ahead = (list: Candidate[], i: number): Candidate[] => (i <= 0 ? list : [list[i]!, ...list.slice(0, i), ...list.slice(i + 1)]);
  let out = ranked;
  if (out.length > 0 && !isMedical(out[0]!.value)) out = ahead(out, out.findIndex((c) => isMedical(c.value) && c.confidence >= MEDICAL_CATEGORY_FLOOR));
  if (out.length > 0 && out[0]!.value === 'medical-other') {
    out = ahead(out, out.findIndex((c) => c.value !== 'medical-other' && isMedical(c.value) && c.confidence >= SPECIFIC_MEDICAL_FLOOR));
  }
  return out;
}

/**
 * Combines every claim of one device.
 * @param isMedical which categories are medical (data/categories/categories.tsv); without it no category is preferred
 */
export function combineClaims(claims: readonly Claim[], priorityOf: (source: string) => number, isMedical?: (category: string) => boolean): Identification {
  const byAttribute = new Map<DerivedAttribute, Claim[]>();
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!;
    const list = byAttribute.get(c.attribute);
    if (list) list.push(c);
    else byAttribute.set(c.attribute, [c]);
  }
  const winners: Record<SingleValuedAttribute, Candidate | null> = { vendor: null, model: null, category: null, os: null, os_version: null };
  const candidates: Candidate[] = [];
  for (let a = 0; a < DERIVED_ATTRIBUTES.length; a++) { // os before os_version
    const attribute = DERIVED_ATTRIBUTES[a]!;
    let list = byAttribute.get(attribute);
    if (list === undefined) continue; // no candidate: the winner stays null
    if (attribute === 'os_version') {
      const os = winners.os?.value;
      list = list.filter((c) => c.together.os === undefined || c.together.os === os);
    }
    let ranked = candidatesFor(list, priorityOf);
    if (attribute === 'category' && isMedical !== undefined) ranked = medicalFirst(ranked, isMedical);
    for (let i = 0; i < ranked.length; i++) candidates.push(ranked[i]!);
    if (attribute !== 'software') winners[attribute] = ranked[0] ?? null;
  }
  return { candidates, winners };
}
