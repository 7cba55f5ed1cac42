/**
 * Identifications remembered per fact set without times: many devices of a run (internet peers above all) have the
 * same facts but for when they were seen, and identification then gives the same claims, candidates, winners and
 * evidence texts — only the stored time spans differ, each the earliest first / latest last of some of the device's
 * facts. A template keeps, per stored row, the positions of those facts, and a device with the same fact set gets
 * the template's rows with its own facts' times.
 *
 * Times decide nothing else in identification but two things, which make a fact set not remembered:
 * - the ranking's third key (the most recent sighting) when two candidates of one attribute tie on combined
 *   confidence and source priority (a template is kept only when no such tie exists);
 * - the POCT1-A model a sw_version names (the latest `poct1a_model_id`: devices with that fact are not remembered).
 * A template is also checked to give its own device's rows exactly before it is kept. A pure cache: the stored result
 * is the same with or without it.
 */
import type { Claim, Fact } from '../knowledge/knowledge-base.js';
import type { DerivedAttributeRow, EvidenceRow, StoredIdentification } from '../inventory/sqlite-store.js';
import { roleFactOriginsOf } from './device-roles.js';
import type { Identification } from './evidence-combination.js';

/** Most fact sets remembered (emptied when full). */
const MAX_TEMPLATES = 4096;
/** Facts whose time decides a value (not only a time span): devices with one are identified afresh. */
const TIME_DECIDING_FACTS: ReadonlySet<string> = new Set(['poct1a_model_id']);

/** One stored row and the positions (in the device's fact list) of the facts its time span is taken from. */
interface Timed<R> {
  row: R;
  from: readonly number[];
}

/** A remembered identification: rows with the positions of the facts their times come from. */
interface Template {
  attributes: Timed<DerivedAttributeRow>[];
  evidence: Timed<EvidenceRow>[];
  columns: StoredIdentification['columns'];
}

/** The key of a fact list without its times (null when its times may decide a value). */
export function factSetKey(facts: readonly Fact[]): string | null {
  const parts: (string | number)[] = [];
  for (const f of facts) {
    if (TIME_DECIDING_FACTS.has(f.name)) return null;
    parts.push(f.source, f.name, f.value, f.confidence);
  }
  return JSON.stringify(parts);
}

/** Earliest first and latest last of the facts at `from`. */
function spanOf(facts: readonly Fact[], from: readonly number[]): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const i of from) {
    const f = facts[i]!;
    if (f.first < first) first = f.first;
    if (f.last > last) last = f.last;
  }
  return { first, last };
}

/** The stored identification of a device whose facts have the template's key. */
function instantiate(t: Template, facts: readonly Fact[]): StoredIdentification {
  return {
    attributes: t.attributes.map(({ row, from }) => ({ ...row, ...spanOf(facts, from) })),
    evidence: t.evidence.map(({ row, from }) => ({ ...row, ...spanOf(facts, from) })),
    columns: t.columns,
  };
}

/** True when two candidates of one attribute tie on confidence and priority (the sighting times would rank them). */
function timeRanked(idn: Identification): boolean {
  const seen = new Set<string>();
  for (const c of idn.candidates) {
    const k = `${c.attribute}\u0000${c.confidence}\u0000${c.priority}`;
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

/**
 * The template of a device's identification and stored rows, or null when it cannot be one (a time-ranked tie, a
 * claim resting on a fact not of the list, or rows its own facts do not give back).
 */
function templateOf(idn: Identification, stored: StoredIdentification, facts: readonly Fact[]): Template | null {
  if (timeRanked(idn)) return null;
  const position = new Map<Fact, number>(facts.map((f, i) => [f, i]));
  const positionsOf = (c: Claim): number[] | null => {
    const origins = roleFactOriginsOf(c.fact) ?? [c.fact];
    const out: number[] = [];
    for (const f of origins) {
      const i = position.get(f);
      if (i === undefined) return null;
      out.push(i);
    }
    return out;
  };
  const attributes: Timed<DerivedAttributeRow>[] = [];
  const evidence: Timed<EvidenceRow>[] = [];
  for (const c of idn.candidates) {
    const ruled = c.claims.filter((x) => x.rule !== null);
    if (ruled.length === 0) continue;
    const all: number[] = [];
    for (const x of c.claims) {
      const p = positionsOf(x);
      if (p === null) return null;
      all.push(...p);
    }
    attributes.push({ row: stored.attributes[attributes.length]!, from: all });
    for (const x of ruled) evidence.push({ row: stored.evidence[evidence.length]!, from: positionsOf(x)! });
  }
  return gives(attributes, facts) && gives(evidence, facts) ? { attributes, evidence, columns: stored.columns } : null;
}

/** True when every row's time span is the span of the facts at its positions. */
function gives(rows: readonly Timed<{ first: number; last: number }>[], facts: readonly Fact[]): boolean {
  for (let i = 0; i < rows.length; i++) {
    const { row, from } = rows[i]!;
    const span = spanOf(facts, from);
    if (span.first !== row.first || span.last !== row.last) return false;
  }
  return true;
}

/**
 * Identifications per fact set without times, for one identification pass (bounded: MAX_TEMPLATES fact sets). A fact
 * set becomes a template when it comes back (a device's own fact set, seen once, costs no template).
 */
export class IdentificationMemo {
  /** Per fact set key: its template, null when it cannot have one, `once` when seen once. */
  private readonly templates = new Map<string, Template | null | 'once'>();

  /**
   * The stored identification of a device with these facts: from a remembered template, else computed by `identify`
   * and `toStored` (and remembered when it can be a template).
   */
  storedFor(facts: readonly Fact[], identify: (facts: readonly Fact[]) => Identification,
    toStored: (idn: Identification) => StoredIdentification): StoredIdentification {
    const key = factSetKey(facts);
    const t = key === null ? null : this.templates.get(key);
    if (t !== undefined && t !== null && t !== 'once') return instantiate(t, facts);
    const idn = identify(facts);
    const stored = toStored(idn);
    if (key !== null && t !== null) {
      if (t === undefined && this.templates.size >= MAX_TEMPLATES) this.templates.clear();
      this.templates.set(key, t === undefined ? 'once' : templateOf(idn, stored, facts));
    }
    return stored;
  }
}
