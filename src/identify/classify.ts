/**
 * Identification: for each device, run the fingerprint knowledge base over its raw facts (every attribute not
 * derived itself), combine the claims (evidence-combination.ts) and store the result — derived attribute values
 * with source `kb` and their combined confidence, one evidence row per (value, rule, fact), and the winning
 * vendor / model / category / os / os_version in the device's columns.
 *
 * Idempotent: a device's derived rows are replaced as a whole, computed only from its raw facts, so running it
 * again (or after another ingest added facts) gives the same result and never duplicates anything. The ingest
 * runs it over the devices of each run; `medtap classify` over all devices (after a rule change).
 */
import type { Claim, Fact, KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { DerivedAttributeRow, EvidenceRow, SqliteStore, StoredIdentification } from '../inventory/sqlite-store.js';
import { categoryDefaults } from '../knowledge/categories.js';
import { CLINICAL_SOFTWARE_FACT_NAMES, clinicalSoftwareClaims } from './clinical-software.js';
import { DicomKnowledge } from './dicom-knowledge.js';
import { deviceRoleClaims, ROLE_FACT_NAMES } from './device-roles.js';
import { type Candidate, combineClaims, type Identification } from './evidence-combination.js';
import { IdentificationMemo } from './identification-memo.js';
import { DERIVED_ATTRIBUTES } from '../knowledge/vocabulary.js';

/** Claims listed in a derived attribute's evidence text before "… and N more". */
const MAX_EVIDENCE_CLAIMS = 4;

/** Counts of one identification pass. */
export interface ClassifySummary {
  devices: number;
  /** Devices that received at least one derived value. */
  identified: number;
  /** Derived attribute values stored. */
  derived_values: number;
}

/**
 * Identifies one device from its facts (pure given the data files): the fingerprint rules' claims, the role claims
 * (device-roles.ts, data/fingerprints/roles.tsv) and the clinical software claims (clinical-software.ts), combined
 * so that medical categories win over IT ones (evidence-combination.ts; medical per data/categories/).
 */
export function identify(kb: KnowledgeBase, facts: readonly Fact[]): Identification {
  const claims: Claim[] = [];
  for (let i = 0; i < facts.length; i++) { // indexed: no iterator result per fact in code that runs cold
    const made = kb.claims(facts[i]!);
    for (let j = 0; j < made.length; j++) claims.push(made[j]!);
  }
  claims.push(...deviceRoleClaims(facts, claims), ...clinicalSoftwareClaims(facts, DicomKnowledge.bundled()));
  return combineClaims(claims, (s) => kb.priority(s), (c) => categoryDefaults(c).medical);
}

function describeClaim(c: Claim): string {
  const on = `${c.fact.source} ${c.fact.name} ${JSON.stringify(c.fact.value)}`;
  return c.rule ? `${c.rule.id} on ${on} (${c.confidence})` : `${on} itself (${c.confidence})`;
}

/** The stored form of an identification: derived values (those with at least one rule claim) and their trail. */
export function toStored(idn: Identification, kbVersion: string): StoredIdentification {
  const attributes: DerivedAttributeRow[] = [];
  const evidence: EvidenceRow[] = [];
  for (let i = 0; i < idn.candidates.length; i++) {
    const c = idn.candidates[i]!;
    const ruled = c.claims.filter((x) => x.rule !== null);
    if (ruled.length === 0) continue;
    attributes.push({ name: c.attribute, value: c.value, confidence: c.confidence, evidence: evidenceText(c, kbVersion), first: c.first, last: c.last });
    for (let j = 0; j < ruled.length; j++) {
      const x = ruled[j]!;
      evidence.push({ name: c.attribute, value: c.value, confidence: x.confidence, rule: x.rule!.id, ref: x.rule!.refText, factSource: x.fact.source,
        factName: x.fact.name, factValue: x.fact.value, first: x.fact.first, last: x.fact.last });
    }
  }
  const w = idn.winners;
  const columns = { vendor: w.vendor?.value ?? null, model: w.model?.value ?? null, category: w.category?.value ?? null, os: w.os?.value ?? null,
    os_version: w.os_version?.value ?? null };
  return { attributes, evidence, columns };
}

function evidenceText(c: Candidate, kbVersion: string): string {
  const shown = c.claims.slice(0, MAX_EVIDENCE_CLAIMS).map(describeClaim).join('; ');
  const more = c.claims.length > MAX_EVIDENCE_CLAIMS ? `; … and ${c.claims.length - MAX_EVIDENCE_CLAIMS} more` : '';
  return `fingerprint rules ${kbVersion}: ${shown}${more}`;
}

/** Devices identified together: their facts read, and their outcome written, in a few statements per page. */
const CLASSIFY_PAGE = 1000;

/**
 * The fact names identification reads: those of the fingerprint rules, the derived attributes a fact may state
 * directly, the role signals and the clinical software claims. identify() over a device's facts of these names gives
 * what it gives over all of them (other facts produce no claim and no signal).
 */
export function identificationFactNames(kb: KnowledgeBase): string[] {
  return [...new Set([...kb.factNames(), ...DERIVED_ATTRIBUTES, ...ROLE_FACT_NAMES, ...CLINICAL_SOFTWARE_FACT_NAMES])].sort();
}

/** The identification of a device without facts (what identify gives for none: no claim, no winner). */
function nothingStored(): StoredIdentification {
  return { attributes: [], evidence: [], columns: { vendor: null, model: null, category: null, os: null, os_version: null } };
}

/** Identifies the given devices and stores the outcome (inside the caller's transaction, if any). */
export function classifyDevices(store: SqliteStore, kb: KnowledgeBase, deviceIds: Iterable<number>): ClassifySummary {
  const summary: ClassifySummary = { devices: 0, identified: 0, derived_values: 0 };
  const ids = [...new Set(deviceIds)];
  const names = identificationFactNames(kb);
  const memo = new IdentificationMemo();
  const identifyOne = (f: readonly Fact[]): Identification => identify(kb, f);
  const store1 = (idn: Identification): StoredIdentification => toStored(idn, kb.version);
  for (let i = 0; i < ids.length; i += CLASSIFY_PAGE) {
    const page = ids.slice(i, i + CLASSIFY_PAGE);
    const prior = store.priorIdentification(page);
    const facts = store.factsOfDevices(page, names);
    const out: [number, StoredIdentification][] = [];
    for (const id of page) {
      const f = facts.get(id);
      const stored = f === undefined ? nothingStored() : memo.storedFor(f, identifyOne, store1);
      out.push([id, stored]);
      summary.devices++;
      if (stored.attributes.length > 0) summary.identified++;
      summary.derived_values += stored.attributes.length;
    }
    store.replaceIdentifications(out, prior);
  }
  return summary;
}
