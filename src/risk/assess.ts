/**
 * One assessment run over the inventory: for every device, its vulnerability matches (src/vuln/vuln-matcher.ts),
 * its impacts (category defaults, asset register, observed PHI), per-vulnerability base and environmental CVSS
 * vectors, likelihood from exposure findings and KEV, FDA tier, the risk index with every component, and its
 * ranked remediation actions — stored as a snapshot (assessment_runs + device_risk, migration 7).
 */
import type Database from 'better-sqlite3';
import { remembered } from '../memo/bounded-memo.js';
import { parseCpe23 } from '../vuln/cpe.js';
import { VulnMatcher, type MatchReason, type VulnMatch } from '../vuln/vuln-matcher.js';
import { deviceCvss, type DeviceCvss } from './environmental.js';
import { computeImpacts, type Impacts, type RegisterContext } from './impacts.js';
import { planRemediation, type PublishedRemediation, type RankedAction, type VulnFixInfo } from './remediation.js';
import { riskIndex, vulnWeakness, type RiskComponent, type RiskFinding, type RiskInput, type RiskVuln } from './risk-index.js';
import { fdaTier, type FdaTier } from './tier.js';

/** Vulnerabilities kept in a stored device record (KEV first, then by weakness); `medtap vulns` lists them all. */
export const MAX_RECORD_VULNS = 20;
/** Vulnerability ids kept per remediation action in a stored record (`vulns_total` has the count). */
export const MAX_ACTION_VULNS = 50;
/** Attribute profiles (and CVSS vector × impacts) whose results are kept during a run (then the cache starts over). */
const MAX_CACHED_PROFILES = 2_000;

/** Names the formula and its constants (src/risk/README.md); bump when a weight changes. */
export const RISK_FORMULA = 'medtap-risk-1';

/** A matched vulnerability with its device-specific scores. */
export interface DeviceVulnRecord {
  vuln_id: string;
  certainty: 'confirmed' | 'possible';
  confidence: number;
  kev: boolean;
  sources: string[];
  /** Base and environmental vectors and scores (null: no CVSS vector published). */
  cvss: DeviceCvss | null;
  /** Its weakness in the index (0–10). */
  weakness: number;
  /** The first reason of the match: attribute, product, range. */
  why: string;
}

/** The risk record of one device in one run (schemas/device-risk.schema.json). */
export interface DeviceRiskRecord {
  run_id: number;
  assessed_at: string;
  device_id: number;
  device_key: string;
  vendor: string | null;
  model: string | null;
  category: string | null;
  risk_index: number;
  threshold: number;
  above_threshold: boolean;
  impact: number;
  weakness: number;
  likelihood: number;
  formula: string;
  impacts: Impacts;
  tier: FdaTier;
  components: RiskComponent[];
  /** How many vulnerabilities matched, and how many of them are in KEV (the list below keeps MAX_RECORD_VULNS). */
  vulnerabilities_total: number;
  kev_total: number;
  vulnerabilities: DeviceVulnRecord[];
  findings: { kind: string; subject: string; severity: string; title: string }[];
  remediation: RankedAction[];
}

/** The summary of a run (schemas/assessment-summary.schema.json). */
export interface AssessmentSummary {
  run_id: number;
  at: string;
  formula: string;
  threshold: number;
  devices: number;
  above: number;
  max_index: number;
  mean_index: number;
  vuln_matches: number;
  findings: number;
  tier1: number;
  seconds: number;
  /** The devices above the threshold, highest first (id, key, index). */
  work_list: { device_id: number; device_key: string; risk_index: number }[];
}

/** The scored vulnerabilities of one attribute profile under one set of impacts. */
interface ScoredVulns {
  riskVulns: RiskVuln[];
  info: Map<string, VulnFixInfo>;
  /** The records kept in the snapshot (KEV first, then by weakness; at most MAX_RECORD_VULNS). */
  kept: DeviceVulnRecord[];
  total: number;
  kev: number;
}

interface DeviceRow { id: number; key: string; vendor: string | null; model: string | null; category: string | null }

/** Register values per device: the first non-empty value of each field over the assets matched to it. */
function registerContexts(db: Database.Database): Map<number, RegisterContext> {
  const out = new Map<number, RegisterContext>();
  const rows = db.prepare('SELECT m.device_id, a.asset_key, a.fields FROM asset_matches m JOIN assets a ON a.id = m.asset_id ORDER BY m.device_id, m.confidence DESC, a.id').all() as { device_id: number; asset_key: string; fields: string }[];
  for (const r of rows) {
    const f = JSON.parse(r.fields) as Record<string, string>;
    const c = out.get(r.device_id) ?? { asset: r.asset_key };
    for (const k of ['fda_class', 'clinical_criticality', 'backup'] as const) if (c[k] === undefined && f[k]) c[k] = f[k];
    out.set(r.device_id, c);
  }
  return out;
}

/** Open findings per device, evidence flattened to text (never a secret or a PHI value: the findings table holds none). */
function openFindings(db: Database.Database): Map<number, RiskFinding[]> {
  const out = new Map<number, RiskFinding[]>();
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'findings'").get();
  if (!exists) return out;
  const rows = db.prepare("SELECT device_id, kind, subject, severity, title, evidence FROM findings WHERE status = 'open' ORDER BY device_id, id").all() as
    { device_id: number; kind: string; subject: string; severity: string; title: string; evidence: string }[];
  for (const r of rows) {
    let evidence = '';
    try {
      const items = JSON.parse(r.evidence) as unknown;
      evidence = Array.isArray(items) ? items.map((i) => (typeof i === 'object' && i !== null ? `${String((i as Record<string, unknown>).source ?? '')}: ${String((i as Record<string, unknown>).detail ?? '')}` : String(i))).join('; ') : '';
    } catch {
      evidence = '(evidence not readable)';
    }
    const list = out.get(r.device_id) ?? [];
    list.push({ kind: r.kind, subject: r.subject, severity: r.severity, title: r.title, evidence });
    out.set(r.device_id, list);
  }
  return out;
}

/** The reason a match is "on": the vulnerable part (NVD), else the first advisory/CVE 5 reason. */
function mainReason(m: VulnMatch): MatchReason | undefined {
  return m.why.find((w) => w.vulnerable === true) ?? m.why.find((w) => w.source !== 'nvd') ?? m.why[0];
}

function productOf(r: MatchReason | undefined): string {
  if (r === undefined) return 'the affected software';
  if (r.source === 'nvd') {
    const p = parseCpe23(r.matched);
    if (p.ok && p.value.vendor.kind === 'value' && p.value.product.kind === 'value') return `${p.value.vendor.text}:${p.value.product.text}`;
  }
  return r.matched;
}

/** Assesses devices with a shared matcher and context; one instance per run. */
export class RiskAssessor {
  private readonly matcher: VulnMatcher;
  private readonly register: Map<number, RegisterContext>;
  private readonly findings: Map<number, RiskFinding[]>;
  private readonly fleet = new Map<string, number>();
  private readonly remediations: Database.Statement;
  /** Matches by attribute profile: fleets of one model/firmware and hosts of one OS build share theirs. */
  private readonly matchCache = new Map<string, VulnMatch[]>();
  private readonly cvssCache = new Map<string, DeviceCvss | null>();
  private readonly scoredCache = new Map<string, ScoredVulns>();

  constructor(db: Database.Database, matcher?: VulnMatcher) {
    this.matcher = matcher ?? new VulnMatcher(db);
    this.register = registerContexts(db);
    this.findings = openFindings(db);
    for (const r of db.prepare('SELECT vendor, model, COUNT(*) AS n FROM devices WHERE vendor IS NOT NULL AND model IS NOT NULL GROUP BY vendor, model').all() as { vendor: string; model: string; n: number }[]) {
      this.fleet.set(`${r.vendor}\t${r.model}`, r.n);
    }
    this.remediations = db.prepare('SELECT remediations FROM advisory_vulns WHERE advisory_id = ? AND vuln_id = ?');
  }

  private published(m: VulnMatch): PublishedRemediation[] {
    const out: PublishedRemediation[] = [];
    for (const s of m.sources.filter((x) => x.startsWith('csaf:'))) {
      const id = s.slice(5);
      const row = this.remediations.get(id, m.vuln_id) as { remediations: string } | undefined;
      // only remediations for the advisory products the device matched (the matcher notes them as "(product ID)")
      const refs = new Set(m.why.filter((w) => w.advisory_id === id).flatMap((w) => w.notes.map((n) => /\(product ([^)]+)\)/.exec(n)?.[1] ?? '')).filter(Boolean));
      for (const r of row ? (JSON.parse(row.remediations) as { category: string; details: string; url: string | null; product_ids: string[] }[]) : []) {
        if (r.product_ids.length > 0 && refs.size > 0 && !r.product_ids.some((p) => refs.has(p))) continue;
        out.push({ advisory_id: id, category: r.category, details: r.details, url: r.url });
      }
    }
    return out;
  }

  /** The risk input of a device (impacts, scored vulnerabilities, findings) and what remediation needs. */
  input(d: DeviceRow, profile: { key: string; matches: VulnMatch[] }): { input: RiskInput } & ScoredVulns {
    const findings = this.findings.get(d.id) ?? [];
    const impacts = computeImpacts({
      category: d.category,
      register: this.register.get(d.id) ?? null,
      phi_peers: findings.filter((f) => f.kind === 'phi_flow').map((f) => f.subject),
      phi_in_clear: findings.filter((f) => f.kind === 'phi_in_clear').map((f) => f.subject),
    });
    const key = `${profile.key}|${impacts.privacy.level}|${impacts.patient_safety.level}|${impacts.service_disruption.level}`;
    const scored = remembered(this.scoredCache, MAX_CACHED_PROFILES, key, () => this.scoreVulns(profile.matches, impacts));
    return { input: { impacts, vulns: scored.riskVulns, findings }, ...scored };
  }

  /** Per-vulnerability scores for a set of matches under given impacts (shared by devices of one profile). */
  private scoreVulns(matches: VulnMatch[], impacts: Impacts): ScoredVulns {
    const info = new Map<string, VulnFixInfo>();
    const riskVulns: RiskVuln[] = [];
    const vulns: DeviceVulnRecord[] = [];
    for (const m of matches) {
      const cvss = m.cvss ? this.deviceCvss(m.cvss.vector, impacts) : null;
      const rv: RiskVuln = { vuln_id: m.vuln_id, certainty: m.certainty, kev: m.kev, cvss };
      riskVulns.push(rv);
      const r = mainReason(m);
      info.set(m.vuln_id, { product: productOf(r), range: r?.range ?? '', via_attribute: r?.attribute ?? '', published: this.published(m) });
      vulns.push({ vuln_id: m.vuln_id, certainty: m.certainty, confidence: m.confidence, kev: m.kev, sources: m.sources, cvss, weakness: Math.round(vulnWeakness(rv) * 100) / 100,
        why: r ? `${r.attribute}='${r.value}' → ${r.matched}${r.range ? ` ${r.range}` : ''} (${r.version_check})` : '' });
    }
    const kept = [...vulns].sort((a, b) => Number(b.kev) - Number(a.kev) || b.weakness - a.weakness || (a.vuln_id < b.vuln_id ? -1 : 1)).slice(0, MAX_RECORD_VULNS);
    return { riskVulns, info, kept, total: vulns.length, kev: vulns.filter((v) => v.kev).length };
  }

  /** The device's matches; devices with the same attributes (name, value, confidence) share one matching. */
  private matches(deviceId: number): { key: string; matches: VulnMatch[] } {
    const attrs = this.matcher.deviceAttributes(deviceId);
    const key = JSON.stringify(attrs.map((a) => [a.name, a.value, a.confidence]));
    return { key, matches: remembered(this.matchCache, MAX_CACHED_PROFILES, key, () => this.matcher.matchDevice(attrs)) };
  }

  private deviceCvss(vector: string, impacts: Impacts): DeviceCvss | null {
    const key = `${vector} ${impacts.privacy.level} ${impacts.patient_safety.level} ${impacts.service_disruption.level}`;
    return remembered(this.cvssCache, MAX_CACHED_PROFILES, key, () => deviceCvss(vector, impacts));
  }

  /** The full risk record of one device. */
  assessDevice(d: DeviceRow, runId: number, at: string, threshold: number): DeviceRiskRecord {
    const { input, info, kept, total, kev } = this.input(d, this.matches(d.id));
    const score = riskIndex(input);
    const fleet = d.vendor && d.model ? (this.fleet.get(`${d.vendor}\t${d.model}`) ?? 1) : 1;
    return {
      run_id: runId, assessed_at: at, device_id: d.id, device_key: d.key, vendor: d.vendor, model: d.model, category: d.category,
      risk_index: score.index, threshold, above_threshold: score.index > threshold,
      impact: score.impact, weakness: score.weakness, likelihood: score.likelihood, formula: score.formula,
      impacts: input.impacts, tier: fdaTier({ category: d.category, impacts: input.impacts, fleet }), components: score.components,
      vulnerabilities_total: total, kev_total: kev, vulnerabilities: kept,
      findings: input.findings.map((f) => ({ kind: f.kind, subject: f.subject, severity: f.severity, title: f.title })),
      remediation: planRemediation(input, info).map((a) => (a.vulns.length > MAX_ACTION_VULNS ? { ...a, vulns: a.vulns.slice(0, MAX_ACTION_VULNS) } : a)),
    };
  }
}

/** Running totals of a run (records are stored as they come, not kept). */
class RunTotals {
  devices = 0;
  maxIndex = 0;
  sumIndex = 0;
  vulnMatches = 0;
  findings = 0;
  tier1 = 0;
  readonly above: AssessmentSummary['work_list'] = [];

  add(r: DeviceRiskRecord): void {
    this.devices++;
    this.maxIndex = Math.max(this.maxIndex, r.risk_index);
    this.sumIndex += r.risk_index;
    this.vulnMatches += r.vulnerabilities_total;
    this.findings += r.findings.length;
    if (r.tier.tier === 1) this.tier1++;
    if (r.above_threshold) this.above.push({ device_id: r.device_id, device_key: r.device_key, risk_index: r.risk_index });
  }

  summary(runId: number, at: string, threshold: number, seconds: number): AssessmentSummary {
    return {
      run_id: runId, at, formula: RISK_FORMULA, threshold, devices: this.devices, above: this.above.length, max_index: this.maxIndex,
      mean_index: this.devices === 0 ? 0 : Math.round((this.sumIndex / this.devices) * 10) / 10,
      vuln_matches: this.vulnMatches, findings: this.findings, tier1: this.tier1, seconds: Math.round(seconds * 1000) / 1000,
      work_list: [...this.above].sort((a, b) => b.risk_index - a.risk_index || a.device_id - b.device_id),
    };
  }
}

/**
 * Runs an assessment of every device and stores the snapshot (in transactions of 2 000 devices; records are not
 * kept in memory, so 100 000 devices cost what one batch costs).
 */
export function runAssessment(db: Database.Database, threshold: number, onProgress?: (done: number, total: number) => void): { summary: AssessmentSummary } {
  const t0 = performance.now();
  const at = new Date().toISOString();
  const devices = db.prepare('SELECT id, key, vendor, model, category FROM devices ORDER BY id').all() as DeviceRow[];
  const assessor = new RiskAssessor(db);
  const runId = Number(db.prepare(`INSERT INTO assessment_runs (at, threshold, formula, devices, above, max_index, mean_index, vuln_matches, findings, seconds)
    VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, 0)`).run(at, threshold, RISK_FORMULA).lastInsertRowid);
  const insert = db.prepare(`INSERT INTO device_risk (run_id, device_id, risk_index, above, patient_safety, privacy, service_disruption, likelihood, tier, vulns, kev, record)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const totals = new RunTotals();
  const store = db.transaction((batch: DeviceRow[]) => {
    for (const d of batch) {
      const r = assessor.assessDevice(d, runId, at, threshold);
      totals.add(r);
      insert.run(runId, r.device_id, r.risk_index, r.above_threshold ? 1 : 0, r.impacts.patient_safety.level, r.impacts.privacy.level, r.impacts.service_disruption.level,
        r.likelihood, r.tier.tier, r.vulnerabilities_total, r.kev_total, JSON.stringify(r));
    }
  });
  for (let i = 0; i < devices.length; i += 2000) {
    store(devices.slice(i, i + 2000));
    onProgress?.(Math.min(i + 2000, devices.length), devices.length);
  }
  const summary = totals.summary(runId, at, threshold, (performance.now() - t0) / 1000);
  db.prepare('UPDATE assessment_runs SET devices = ?, above = ?, max_index = ?, mean_index = ?, vuln_matches = ?, findings = ?, seconds = ? WHERE id = ?')
    .run(summary.devices, summary.above, summary.max_index, summary.mean_index, summary.vuln_matches, summary.findings, summary.seconds, runId);
  return { summary };
}

/** The latest run's id, or null when none was stored. */
export function latestRunId(db: Database.Database): number | null {
  return (db.prepare('SELECT MAX(id) AS id FROM assessment_runs').get() as { id: number | null }).id;
}

/** The device records of a run (optionally one device), highest index first. */
export function runRecords(db: Database.Database, runId: number, deviceId?: number): DeviceRiskRecord[] {
  const rows = (deviceId === undefined
    ? db.prepare('SELECT record FROM device_risk WHERE run_id = ? ORDER BY risk_index DESC, device_id').all(runId)
    : db.prepare('SELECT record FROM device_risk WHERE run_id = ? AND device_id = ?').all(runId, deviceId)) as { record: string }[];
  return rows.map((r) => JSON.parse(r.record) as DeviceRiskRecord);
}

/** The index of a device over every stored run (the timeline). */
export function riskTimeline(db: Database.Database, deviceId: number): { run_id: number; at: string; risk_index: number; threshold: number }[] {
  return db.prepare(`SELECT r.run_id, a.at, r.risk_index, a.threshold FROM device_risk r JOIN assessment_runs a ON a.id = r.run_id
    WHERE r.device_id = ? ORDER BY r.run_id`).all(deviceId) as { run_id: number; at: string; risk_index: number; threshold: number }[];
}

