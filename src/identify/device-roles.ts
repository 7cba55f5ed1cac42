/**
 * Role evidence (issue 4 item 5): what a device does — on the clinical protocols, and as a server or client of IT
 * services — turned into category claims by the rules of data/fingerprints/roles.tsv (format and sources in its
 * header). Pure over a device's facts (and the OS the fingerprint rules derived from them):
 * - signals: `dicom:<scu|scp>:<service>[:<device_category>]` from `dicom_sop_class` facts (service and device
 *   category from data/dicom/sop-classes.tsv), `hl7:<sender|receiver>[:<type>]` from `hl7_role`,
 *   `hl7:observations:<kind>` from `hl7_observation_kind` (what the OBX-3 codes a sender sent name), and
 *   `poct1a:<sender|receiver>:<type>` from `poct1a_role`; `<tcp|udp>:<server|client>[:<port>]` from `service_port`
 *   (service-facts.ts: ports served / used, from the map edges), `ntp:server` from `ntp_mode` server (RFC 5905
 *   mode 4 sent), `dhcp:server` from `dhcp_server` (an OFFER/ACK naming its sender as the server), `os:<family>` (lower case, e.g. `os:windows`) from the fingerprint rules' os claims (strength:
 *   their combined confidence); each with a strength (its facts' best confidence) and a set of peers (`dicom_peer`,
 *   `hl7_peer`, `service_peer` facts);
 * - a rule whose condition holds claims its category with confidence = rule confidence × the weakest positive term's
 *   strength. The claim's fact is a synthetic `device_role` fact (source `role`) naming the rule and the signals, so
 *   the evidence trail shows which behaviour produced it; all role claims count as one signal in the combination.
 * Strict loader: `file:line: reason` on a malformed line, an unknown category, a bad condition or a duplicate id.
 */
import { appendTo } from '../memo/map-lists.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Claim, Fact } from '../knowledge/knowledge-base.js';
import type { FingerprintRule } from '../knowledge/rule-file.js';
import { dataLines, unique } from '../knowledge/tsv-data.js';
import { type DeviceCategory, isDeviceCategory } from '../knowledge/vocabulary.js';
import { DicomKnowledge } from './dicom-knowledge.js';
import { combinedConfidence } from './evidence-combination.js';

/** The bundled role rules (this module compiles to dist/src/identify/). */
export const ROLES_FILE = fileURLToPath(new URL('../../../data/fingerprints/roles.tsv', import.meta.url));
/** Source of the synthetic facts role claims rest on. */
export const ROLE_SOURCE = 'role';

/** One term of a condition. */
export interface RoleTerm {
  signal: string;
  negated: boolean;
  /** Minimum distinct peers (1 when not given). */
  minPeers: number;
}

/** One role rule. */
export interface RoleRule {
  id: string;
  terms: RoleTerm[];
  category: DeviceCategory;
  confidence: number;
  basis: string;
  /** `file:line`. */
  at: string;
  /** The rule as a fingerprint rule, for the evidence trail (fact `device_role`). */
  asRule: FingerprintRule;
}

/** What a device did: signal → strength, peers, time span and the device's facts that noted it (`from`). */
export type RoleSignals = Map<string, { strength: number; peers: Set<string>; first: number; last: number; from: Fact[] }>;

const SIGNAL_RE = /^(dicom|hl7|poct1a|tcp|udp|ntp|dhcp|os):[A-Za-z0-9_^.:-]+$/;
const TERM_RE = /^(!?)([^\s>=!]+)(?:>=([1-9][0-9]?))?$/;

/** Parses one condition. @throws Error with the reason. */
function parseCondition(text: string): RoleTerm[] {
  const terms = text.split(' & ').map((t) => {
    const m = TERM_RE.exec(t);
    if (m === null || !SIGNAL_RE.test(m[2]!)) throw new Error(`bad term "${t}"`);
    return { signal: m[2]!, negated: m[1] === '!', minPeers: m[3] === undefined ? 1 : Number(m[3]) };
  });
  if (!terms.some((t) => !t.negated)) throw new Error('a condition needs at least one positive term');
  return terms;
}

/** Parses the role rules' text. @throws Error `file:line: reason`. */
export function parseRoleRules(text: string, file = 'roles.tsv'): RoleRule[] {
  const out: RoleRule[] = [];
  const seen = new Map<string, string>();
  for (const [at, [id, condition, category, confidence, basis]] of dataLines(file, text, 5)) {
    if (!/^[a-z0-9-]+$/.test(id!)) throw new Error(`${at}: id ${id} is not lower-case-with-dashes`);
    unique(seen, id!, at, 'role rule');
    let terms: RoleTerm[];
    try {
      terms = parseCondition(condition!);
    } catch (e) {
      throw new Error(`${at}: ${(e as Error).message}`);
    }
    if (!isDeviceCategory(category!)) throw new Error(`${at}: ${category} is not a device category (DESIGN §3)`);
    const c = Number(confidence);
    if (!(c > 0 && c <= 1)) throw new Error(`${at}: confidence ${confidence} is not in (0, 1]`);
    const line = Number(at.split(':').pop());
    const asRule: FingerprintRule = {
      id: at, file, line, source: ROLE_SOURCE, fact: 'device_role', kind: 'exact', pattern: id!, regex: null,
      outputs: [{ attribute: 'category', value: category!, confidence: c }], ref: `role:${id}`, refText: basis!,
    };
    out.push({ id: id!, terms, category: category!, confidence: c, basis: basis!, at, asRule });
  }
  return out;
}

let cached: RoleRule[] | null = null;

/** Loads (once) data/fingerprints/roles.tsv. @throws Error `file:line: reason`. */
export function loadRoleRules(): RoleRule[] {
  cached ??= parseRoleRules(readFileSync(ROLES_FILE, 'utf8'));
  return cached;
}

/** Adds one sighting of `signal` (`origin`: the device's fact `f` stands for, recorded in `from`). */
function note(signals: RoleSignals, signal: string, f: Fact, peer: string | null, origin: Fact = f): void {
  let s = signals.get(signal);
  if (s === undefined) signals.set(signal, (s = { strength: 0, peers: new Set(), first: f.first, last: f.last, from: [] }));
  s.from.push(origin);
  s.strength = Math.max(s.strength, f.confidence);
  if (peer !== null) s.peers.add(peer);
  s.first = Math.min(s.first, f.first);
  s.last = Math.max(s.last, f.last);
}

/** Adds the signals of a `service_port` fact (`server tcp/9100`) or a `service_peer` fact (`server tcp/9100 <ip>`). */
function serviceSignals(signals: RoleSignals, f: Fact): void {
  const m = /^(server|client) (tcp|udp)\/([0-9]{1,5})(?: (\S+))?$/.exec(f.value);
  if (m === null || (f.name === 'service_peer') !== (m[4] !== undefined)) return;
  const ip = m[4];
  const withPort = `${m[2]}:${m[1]}:${m[3]}`;
  const any = `${m[2]}:${m[1]}`;
  if (ip === undefined) {
    note(signals, withPort, f, null);
    note(signals, any, f, null);
  } else {
    peerOf(signals, withPort, ip);
    peerOf(signals, any, ip);
  }
}

/** `os:<family>` signals from the fingerprint rules' os claims (strength: their combined confidence). */
function osSignals(signals: RoleSignals, claims: readonly Claim[]): void {
  const byOs = new Map<string, Claim[]>();
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!;
    if (c.attribute !== 'os') continue;
    const k = `os:${c.value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    appendTo(byOs, k, c);
  }
  for (const [signal, list] of byOs) {
    const strength = combinedConfidence(list);
    for (const c of list) note(signals, signal, { ...c.fact, confidence: strength }, null, c.fact);
  }
}

/** The fact names roleSignals reads (every other fact leaves a device's role signals unchanged). */
export const ROLE_FACT_NAMES: readonly string[] = [
  'service_port', 'service_peer', 'ntp_mode', 'dhcp_server', 'dicom_sop_class', 'hl7_role', 'poct1a_role', 'dicom_peer', 'hl7_peer',
  'hl7_observation_kind',
];

/**
 * The role signals of one device's facts.
 * @param osClaims the fingerprint rules' claims over the same facts (only `os` ones are used): the `os:` signals
 */
export function roleSignals(facts: readonly Fact[], dicom: DicomKnowledge, osClaims: readonly Claim[] = []): RoleSignals {
  const signals: RoleSignals = new Map();
  osSignals(signals, osClaims);
  for (let i = 0; i < facts.length; i++) { // indexed: no iterator result per fact in code that runs cold
    const f = facts[i]!;
    if (f.name === 'service_port' || f.name === 'service_peer') serviceSignals(signals, f);
    else if (f.name === 'ntp_mode' && f.value === 'server') note(signals, 'ntp:server', f, null);
    else if (f.name === 'dhcp_server') note(signals, 'dhcp:server', f, null);
    else if (f.name === 'hl7_observation_kind' && /^[a-z_]+$/.test(f.value)) note(signals, `hl7:observations:${f.value}`, f, null);
    else if (f.name === 'dicom_sop_class') {
      const [role, uid] = f.value.split(':') as [string, string | undefined];
      const sop = uid === undefined ? null : dicom.sopClass(uid);
      if ((role !== 'scu' && role !== 'scp') || sop === null) continue;
      note(signals, `dicom:${role}:${sop.service}`, f, null);
      if (sop.service === 'storage' && sop.device_category !== null) note(signals, `dicom:${role}:storage:${sop.device_category}`, f, null);
    } else if (f.name === 'hl7_role' || f.name === 'poct1a_role') {
      const [role, type] = f.value.split(' ') as [string, string | undefined];
      if ((role !== 'sender' && role !== 'receiver') || type === undefined) continue;
      const proto = f.name === 'hl7_role' ? 'hl7' : 'poct1a';
      note(signals, `${proto}:${role}:${type}`, f, null);
      if (proto === 'hl7' && !type.startsWith('ACK')) note(signals, `hl7:${role}`, f, null);
    } else if (f.name === 'dicom_peer') {
      const [role, service, ip] = f.value.split(' ');
      if (ip !== undefined) peerOf(signals, `dicom:${role}:${service}`, ip);
    } else if (f.name === 'hl7_peer') {
      const [role, ip] = f.value.split(' ');
      if (ip !== undefined) peerOf(signals, `hl7:${role}`, ip);
    }
  }
  return signals;
}

/** Records a peer of a signal (peer facts come in any order relative to the role facts). */
function peerOf(signals: RoleSignals, signal: string, ip: string): void {
  let s = signals.get(signal);
  if (s === undefined) signals.set(signal, (s = { strength: 0, peers: new Set(), first: Number.MAX_SAFE_INTEGER, last: 0, from: [] }));
  s.peers.add(ip);
}

/** The strength of a term that holds, or null. */
function termHolds(t: RoleTerm, signals: RoleSignals): number | null {
  const s = signals.get(t.signal);
  const present = s !== undefined && s.strength > 0 && (t.minPeers <= 1 || s.peers.size >= t.minPeers);
  if (t.negated) return present ? null : 1;
  return present ? s!.strength : null;
}

/** Per rule list: the positions of the rules by the signal of their first positive term. */
const rulesBySignal = new WeakMap<readonly RoleRule[], Map<string, number[]>>();

/**
 * The rules that may hold for these signals, in rule order: those whose first positive term's signal is present (a
 * rule holds only when every positive term's signal is; each condition has one).
 */
function candidateRules(signals: RoleSignals, rules: readonly RoleRule[]): RoleRule[] {
  let index = rulesBySignal.get(rules);
  if (index === undefined) {
    index = new Map();
    rules.forEach((r, i) => appendTo(index!, r.terms.find((t) => !t.negated)!.signal, i));
    rulesBySignal.set(rules, index);
  }
  const at: number[] = [];
  signals.forEach((_, signal) => {
    const list = index!.get(signal);
    if (list !== undefined) for (let i = 0; i < list.length; i++) at.push(list[i]!);
  });
  return at.sort((a, b) => a - b).map((i) => rules[i]!);
}

/**
 * The device's facts each role claim's synthetic fact rests on (those that noted its positive terms' signals): its
 * time span is theirs (first: their earliest first, last: their latest last). Kept aside so the claims keep their shape.
 */
const roleFactOrigins = new WeakMap<Fact, readonly Fact[]>();

/** The device's facts a role claim's synthetic `device_role` fact rests on; undefined for any other fact. */
export function roleFactOriginsOf(fact: Fact): readonly Fact[] | undefined {
  return roleFactOrigins.get(fact);
}

/** Category claims of the rules whose condition holds for these signals. */
export function roleClaims(signals: RoleSignals, rules: readonly RoleRule[] = loadRoleRules()): Claim[] {
  const out: Claim[] = [];
  if (signals.size === 0) return out; // every condition has a positive term, which needs a signal
  const candidates = candidateRules(signals, rules);
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!;
    let strength = 1;
    let holds = true;
    for (let j = 0; j < r.terms.length; j++) {
      const s = termHolds(r.terms[j]!, signals);
      if (s === null) { holds = false; break; }
      strength = Math.min(strength, s);
    }
    if (!holds) continue;
    const used = r.terms.filter((t) => !t.negated).map((t) => signals.get(t.signal)!);
    const described = r.terms.map((t) => {
      if (t.negated) return `no ${t.signal}${t.minPeers > 1 ? `>=${t.minPeers}` : ''}`;
      const n = signals.get(t.signal)!.peers.size;
      return n > 0 ? `${t.signal} (${n} peer${n === 1 ? '' : 's'})` : t.signal;
    }).join(' & ');
    const fact: Fact = {
      source: ROLE_SOURCE, name: 'device_role', value: `${r.id}: ${described}`, confidence: strength, evidence: r.basis,
      first: Math.min(...used.map((u) => u.first)), last: Math.max(...used.map((u) => u.last)),
    };
    roleFactOrigins.set(fact, used.flatMap((u) => u.from));
    const confidence = Math.round(r.confidence * strength * 10_000) / 10_000;
    out.push({ attribute: 'category', value: r.category, confidence, rule: r.asRule, fact, together: { category: r.category } });
  }
  return out;
}

/**
 * Role claims of one device's facts with the bundled rules and DICOM knowledge.
 * @param osClaims the fingerprint rules' claims over the same facts (for the `os:` signals)
 */
export function deviceRoleClaims(facts: readonly Fact[], osClaims: readonly Claim[] = []): Claim[] {
  return roleClaims(roleSignals(facts, DicomKnowledge.bundled(), osClaims));
}
