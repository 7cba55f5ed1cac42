/**
 * Evaluation of NVD configurations (CVE API 2.0 `configurations[]`) against a device's candidate CPE names.
 *
 * - A cpeMatch holds for a candidate when vendor and product are equal, every other attribute compares as
 *   EQUAL or SUPERSET (NISTIR 7696 §6.1; SUBSET — the criteria names an update/edition/target the device's name
 *   leaves ANY — makes it only *possible*), and the version satisfies the criteria: a criteria version `*` with
 *   range bounds is checked with versionInRange; `*` without bounds is every version; a criteria version `-`
 *   (NA) is read as "no version distinguished" and holds for every device version (NVD writes `windows_7:-` and
 *   firmware `:-` that way); a literal version must equal the device's (compareVersions). A device version that
 *   is unknown (ANY) or cannot be compared makes the entry *possible*, never a match and never a miss.
 * - Nodes join entries with OR (best) or AND (worst); configurations join nodes likewise; `negate` turns a
 *   match into a miss and a miss into a match (possible stays possible).
 * - A configuration only makes the device vulnerable when it holds and at least one entry that holds has
 *   `vulnerable: true` (the others are running-on platforms, e.g. the OS under an application or the hardware
 *   under its firmware).
 * - A platform node (only `vulnerable: false` entries) that no candidate meets counts as *possible* instead of a
 *   miss when the device's OS is not known at all (`platformKnown` false): SMBv1 seen on a host whose OS was
 *   never identified is possibly EternalBlue.
 */
import { compareCpeValues, cpeText, parseCpe23, type CpeAttribute, type CpeName } from './cpe.js';
import type { ConfigurationRecord, CpeMatchRecord } from './feed-records.js';
import { compareVersions, formatRange, versionInRange } from './version.js';
import type { CpeCandidate } from './device-candidates.js';

/** How well something holds. */
export type MatchState = 'match' | 'possible' | 'no';

/** One cpeMatch that holds (or possibly holds) for one candidate, and why. */
export interface CpeEvidence {
  criteria: string;
  vulnerable: boolean;
  range: string;
  candidate: CpeCandidate;
  state: Exclude<MatchState, 'no'>;
  /** What made it possible rather than a match, or how the version was judged. */
  version_check: string;
  notes: string[];
}

/** Result of one configuration. */
export interface ConfigResult {
  state: MatchState;
  /** Entries that hold, vulnerable ones first. */
  evidence: CpeEvidence[];
  /** Platform nodes taken as possible because the device's OS is unknown (their first criteria). */
  unknown_platforms: string[];
}

const RANK: Record<MatchState, number> = { no: 0, possible: 1, match: 2 };
const OTHER_ATTRIBUTES: CpeAttribute[] = ['part', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'];

/** Candidates indexed by `vendor:product` for the evaluation. */
export type CandidateIndex = Map<string, CpeCandidate[]>;

/** Indexes candidates by their literal vendor and product. */
export function indexCandidates(list: readonly CpeCandidate[]): CandidateIndex {
  const m: CandidateIndex = new Map();
  for (const c of list) {
    const v = cpeText(c.cpe.vendor);
    const p = cpeText(c.cpe.product);
    if (v === null || p === null) continue;
    const k = `${v}:${p}`;
    const a = m.get(k);
    if (a) a.push(c);
    else m.set(k, [c]);
  }
  return m;
}

function versionState(criteria: CpeName, m: CpeMatchRecord, c: CpeCandidate): { state: MatchState; check: string } {
  const range = { startIncluding: m.version_start_including, startExcluding: m.version_start_excluding, endIncluding: m.version_end_including, endExcluding: m.version_end_excluding };
  const bounded = formatRange(range) !== '';
  const cv = criteria.version;
  const dv = c.cpe.version;
  if (cv.kind === 'na' && !bounded) return { state: 'match', check: "criteria version '-': every version" };
  if (cv.kind === 'any' && !bounded) return { state: 'match', check: 'all versions' };
  const device = dv.kind === 'value' ? dv.text : null;
  if (device === null) return { state: 'possible', check: `device version unknown (criteria ${bounded ? formatRange(range) : cpeText(cv) ?? '?'})` };
  if (cv.kind === 'value') {
    const lit = cpeText(cv);
    if (lit === null) return compareCpeValues(cv, dv) === 'DISJOINT' ? { state: 'no', check: `${device} does not match ${lit}` } : { state: 'match', check: 'version pattern' };
    const o = compareVersions(device, lit);
    if (o.order === 'unknown') return { state: 'possible', check: `${device} vs ${lit}: ${o.reason}` };
    if (o.order !== 0) return { state: 'no', check: `${device} ≠ ${lit}` };
    if (!bounded) return { state: 'match', check: `${device} = ${lit}` };
  }
  const r = versionInRange(device, range);
  if (r.result === 'unknown') return { state: 'possible', check: `${device} vs ${formatRange(range)}: ${r.reason}` };
  return r.result ? { state: 'match', check: `${device} in ${formatRange(range)}` } : { state: 'no', check: `${device} ${r.reason}` };
}

/** Evaluates one cpeMatch against the candidates for its vendor:product; the best evidence, or null. */
export function evaluateCpeMatch(m: CpeMatchRecord, candidates: CandidateIndex): CpeEvidence | null {
  const p = parseCpe23(m.criteria);
  if (!p.ok) return null;
  const criteria = p.value;
  const list = candidates.get(`${cpeText(criteria.vendor)}:${cpeText(criteria.product)}`);
  if (!list) return null;
  let best: CpeEvidence | null = null;
  for (const c of list) {
    const notes: string[] = [];
    let state: MatchState = 'match';
    for (const a of OTHER_ATTRIBUTES) {
      const r = compareCpeValues(criteria[a], c.cpe[a]);
      if (r === 'DISJOINT') state = 'no';
      else if (r === 'SUBSET' || r === 'UNDEFINED') {
        if (state === 'match') state = 'possible';
        notes.push(`device ${a} unknown (criteria ${a} ${cpeText(criteria[a]) ?? (criteria[a].kind === 'na' ? '-' : '?')})`);
      }
      if (state === 'no') break;
    }
    if (state === 'no') continue;
    const v = versionState(criteria, m, c);
    if (v.state === 'no') continue;
    if (v.state === 'possible') state = 'possible';
    const e: CpeEvidence = { criteria: m.criteria, vulnerable: m.vulnerable, range: formatRange({ startIncluding: m.version_start_including, startExcluding: m.version_start_excluding, endIncluding: m.version_end_including, endExcluding: m.version_end_excluding }), candidate: c, state, version_check: v.check, notes };
    if (best === null || RANK[e.state] > RANK[best.state] || (e.state === best.state && c.confidence > best.candidate.confidence)) best = e;
  }
  return best;
}

function join(op: 'AND' | 'OR', states: MatchState[]): MatchState {
  const ranks = states.map((s) => RANK[s]);
  const r = op === 'AND' ? Math.min(...ranks) : Math.max(...ranks);
  return r === 2 ? 'match' : r === 1 ? 'possible' : 'no';
}

function negate(s: MatchState, n: boolean): MatchState {
  if (!n) return s;
  return s === 'match' ? 'no' : s === 'no' ? 'match' : 'possible';
}

/** Evaluates a configuration; vulnerable only when it holds with a vulnerable entry among the evidence. */
export function evaluateConfiguration(cfg: ConfigurationRecord, candidates: CandidateIndex, platformKnown = true): ConfigResult {
  const nodeStates: MatchState[] = [];
  const evidence: CpeEvidence[] = [];
  const unknown: string[] = [];
  for (const node of cfg.nodes) {
    const found = node.matches.map((m) => evaluateCpeMatch(m, candidates));
    const states = found.map((e): MatchState => (e === null ? 'no' : e.state));
    let s = negate(join(node.operator, states), node.negate);
    if (s === 'no' && !platformKnown && cfg.operator === 'AND' && !node.negate && node.matches.every((m) => !m.vulnerable && found.every((e) => e === null))) {
      s = 'possible';
      unknown.push(node.matches[0]?.criteria ?? '?');
    }
    nodeStates.push(s);
    if (s !== 'no' && !node.negate) {
      const held = found.filter((e): e is CpeEvidence => e !== null);
      // OR: the best entry explains the node; AND: all of them do
      if (node.operator === 'AND') evidence.push(...held);
      else {
        const top = held.sort((a, b) => RANK[b.state] - RANK[a.state] || Number(b.vulnerable) - Number(a.vulnerable) || b.candidate.confidence - a.candidate.confidence)[0];
        if (top) evidence.push(top);
      }
    }
  }
  const state = negate(join(cfg.operator, nodeStates), cfg.negate);
  if (state === 'no' || !evidence.some((e) => e.vulnerable)) return { state: 'no', evidence: [], unknown_platforms: [] };
  evidence.sort((a, b) => Number(b.vulnerable) - Number(a.vulnerable));
  return { state, evidence, unknown_platforms: unknown };
}

/** Confidence of a configuration result: the vulnerable entry's candidate × the platform entries' (× 0.6 if possible). */
export function configConfidence(r: ConfigResult): number {
  if (r.state === 'no') return 0;
  let c = 1;
  for (const e of r.evidence) c *= e.candidate.confidence;
  if (r.unknown_platforms.length > 0) c *= 0.5;
  return r.state === 'possible' ? c * 0.6 : c;
}
