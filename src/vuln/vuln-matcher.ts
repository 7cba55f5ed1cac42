/**
 * matchDevice(attributes) → VulnMatch[]: the vulnerabilities in the store that a device may have, each with the
 * reasons (which attribute, which candidate CPE or product name, which criteria CPE or advisory product, which
 * version range and how the version compared) and how sure the match is.
 *
 * Three sources are consulted:
 * 1. NVD configurations (nvd-match.ts) against candidate CPE names: from the os/software/product alias rules,
 *    and from comparing the device's model with the NVD product names of its CPE vendors.
 * 2. CVE 5 `affected` products, only for CVEs whose NVD record has no configuration (NVD `Received`/`Awaiting
 *    Analysis`, or no NVD record at all): vendor by alias, product by name, version by cve5VersionSpec.
 * 3. CSAF advisories: product_status products (known_affected, …) by vendor, product name and the branch's
 *    version expression; a matching `fixed`/`known_not_affected` product at a matching version cancels them.
 *
 * certainty `confirmed` = some source holds with the device's version inside the range (or all versions);
 * `possible` = the product matches but the version (or a platform, or an update level) is unknown or not
 * comparable. confidence (0..1) = alias rule × attribute confidence × name score, × 0.6 when possible.
 */
import type Database from 'better-sqlite3';
import { prepared } from '../inventory/prepared.js';
import { formatCpe23 } from './cpe.js';
import { foldText, loadCpeAliases, matchAliases, type AliasTable } from './cpe-aliases.js';
import { scoreCvss } from './cvss.js';
import {
  ATTRIBUTE_ROLES, deviceVersion, productCandidate, productNameScore, productWords, ruleCandidates, vendorCandidates, vendorWordsOf,
  type CpeCandidate, type DeviceAttribute, type VendorCandidate,
} from './device-candidates.js';
import type { ConfigurationRecord, CpeMatchRecord } from './feed-records.js';
import { configConfidence, evaluateConfiguration, indexCandidates, type ConfigResult } from './nvd-match.js';
import { cve5VersionSpec, matchVersionSpec, parseVersionSpec, type VersionSpec } from './version-spec.js';

/** One reason a vulnerability was matched. */
export interface MatchReason {
  /** `nvd`, `cve5` or `csaf`. */
  source: 'nvd' | 'cve5' | 'csaf';
  advisory_id: string | null;
  /** The device attribute that led here, with its provenance. */
  attribute: string;
  value: string;
  attribute_source: string | null;
  /** The candidate CPE name (NVD) or the device text compared (CVE 5, CSAF). */
  candidate: string;
  /** The criteria CPE (NVD) or the record's product (full name). */
  matched: string;
  /** NVD: whether this entry is the vulnerable part (false = running-on platform). */
  vulnerable: boolean | null;
  /** The record's version range or expression ('' = none). */
  range: string;
  /** How the device's version compared. */
  version_check: string;
  /** Alias rule or name comparison that produced the candidate. */
  rule: string | null;
  state: 'match' | 'possible';
  notes: string[];
}

/** The best published CVSS vector of a vulnerability, scored. */
export interface MatchCvss {
  version: string;
  vector: string;
  base_score: number;
  severity: string;
  origin: string;
  scorer: string;
}

/** A vulnerability a device may have. */
export interface VulnMatch {
  vuln_id: string;
  certainty: 'confirmed' | 'possible';
  confidence: number;
  kev: boolean;
  /** `nvd`, `cve5`, `csaf:<advisory>` — every source that matched. */
  sources: string[];
  description: string | null;
  cvss: MatchCvss | null;
  why: MatchReason[];
}

const AFFECTED = new Set(['affected', 'known_affected', 'first_affected', 'last_affected', 'under_investigation']);
const NOT_AFFECTED = new Set(['unaffected', 'fixed', 'first_fixed', 'known_not_affected']);
/** Vulnerabilities whose parsed configurations are kept (then the cache starts over): bounds memory at NVD scale. */
const MAX_CACHED_CONFIGURATIONS = 20_000;
/** Products of one CPE vendor compared with a model at most (the best-scoring ones are kept). */
const MAX_PRODUCT_CANDIDATES = 24;

interface AffectedRow {
  vuln_id: string;
  source: 'cve5' | 'csaf';
  advisory_id: string;
  status: string;
  vendor: string | null;
  product: string | null;
  full_name: string | null;
  version_raw: string | null;
  less_than: string | null;
  less_than_or_equal: string | null;
  default_status: string | null;
  product_ref: string;
}

type Scored = { state: 'match' | 'possible'; confidence: number; reasons: MatchReason[]; source: string };

/** A product name to look up in advisories, under which vendors, at which version. */
interface Probe {
  attribute: DeviceAttribute;
  text: string;
  vendors: VendorCandidate[];
  version: { name: string; value: string } | null;
}

/** Matches devices against the vulnerability tables of an inventory database. */
export class VulnMatcher {
  private readonly productsByVendor = new Map<string, { product: string; part: string }[]>();
  private readonly configs = new Map<string, ConfigurationRecord[]>();
  private affectedIndex: Map<string, AffectedRow[]> | null = null;

  constructor(private readonly db: Database.Database, private readonly aliases: AliasTable = loadCpeAliases()) {}

  /** A prepared statement, prepared once per connection. */
  private stmt(sql: string): Database.Statement {
    return prepared(this.db, sql);
  }

  /** The vulnerabilities matching a device described by its attributes, most certain and most severe first. */
  matchDevice(attributes: readonly DeviceAttribute[]): VulnMatch[] {
    const vendors = vendorCandidates(attributes, this.aliases);
    const found = new Map<string, Scored[]>();
    const add = (id: string, s: Scored): void => {
      const a = found.get(id);
      if (a) a.push(s);
      else found.set(id, [s]);
    };
    this.matchNvd(attributes, vendors, add);
    this.matchAffected(attributes, vendors, add);
    return [...found].map(([id, list]) => this.summarise(id, list))
      .sort((a, b) => Number(b.certainty === 'confirmed') - Number(a.certainty === 'confirmed') || Number(b.kev) - Number(a.kev)
        || (b.cvss?.base_score ?? 0) - (a.cvss?.base_score ?? 0) || b.confidence - a.confidence || (a.vuln_id < b.vuln_id ? -1 : 1));
  }

  /** The attributes of a stored device: every attribute row plus the devices-table facts. */
  deviceAttributes(deviceId: number): DeviceAttribute[] {
    return (this.stmt('SELECT name, value, source, confidence FROM attributes WHERE device_id = ? ORDER BY name, confidence DESC').all(deviceId) as
      { name: string; value: string; source: string; confidence: number }[]).map((r) => ({ name: r.name, value: r.value, source: r.source, confidence: r.confidence }));
  }

  // ---------------------------------------------------------------- NVD

  private vendorProducts(vendor: string): { product: string; part: string }[] {
    let list = this.productsByVendor.get(vendor);
    if (list === undefined) {
      list = this.stmt('SELECT DISTINCT product, part FROM vuln_cpe_matches WHERE vendor = ? AND product IS NOT NULL').all(vendor) as { product: string; part: string }[];
      this.productsByVendor.set(vendor, list);
    }
    return list;
  }

  /** Candidates from the model text compared with the NVD product names of each CPE vendor of the device. */
  private modelCandidates(attributes: readonly DeviceAttribute[], vendors: VendorCandidate[]): CpeCandidate[] {
    const out: CpeCandidate[] = [];
    const vendorWords = vendorWordsOf(attributes, vendors);
    const version = deviceVersion(attributes);
    const hw = deviceVersion(attributes, 'hardware_version');
    for (const model of attributes.filter((a) => (ATTRIBUTE_ROLES.product as readonly string[]).includes(a.name))) {
      for (const v of vendors) {
        const scored = this.vendorProducts(v.cpeVendor)
          .map((p) => ({ ...p, score: productNameScore(model.value, p.product, vendorWords) }))
          .filter((p): p is { product: string; part: string; score: number } => p.score !== null)
          .sort((a, b) => b.score - a.score).slice(0, MAX_PRODUCT_CANDIDATES);
        for (const p of scored) {
          const c = productCandidate(v, p.product, p.score, model, p.part === 'h' ? hw : version, p.part === 'h');
          c.cpe.part = { kind: 'value', text: p.part, lead: { star: false, q: 0 }, trail: { star: false, q: 0 } };
          out.push(c);
        }
      }
    }
    return out;
  }

  private configurations(vulnId: string): ConfigurationRecord[] {
    let list = this.configs.get(vulnId);
    if (list !== undefined) return list;
    const cfgs = this.stmt('SELECT config_index, operator, negate FROM vuln_configurations WHERE vuln_id = ? ORDER BY config_index').all(vulnId) as { config_index: number; operator: 'AND' | 'OR'; negate: number }[];
    const nodes = this.stmt('SELECT config_index, node_index, operator, negate FROM vuln_config_nodes WHERE vuln_id = ? ORDER BY config_index, node_index').all(vulnId) as { config_index: number; node_index: number; operator: 'AND' | 'OR'; negate: number }[];
    const matches = this.stmt('SELECT * FROM vuln_cpe_matches WHERE vuln_id = ? ORDER BY config_index, node_index, match_index').all(vulnId) as (Omit<CpeMatchRecord, 'vulnerable'> & { config_index: number; node_index: number; vulnerable: number })[];
    list = cfgs.map((c) => ({
      operator: c.operator,
      negate: c.negate === 1,
      nodes: nodes.filter((n) => n.config_index === c.config_index).map((n) => ({
        operator: n.operator,
        negate: n.negate === 1,
        matches: matches.filter((m) => m.config_index === c.config_index && m.node_index === n.node_index).map((m) => ({ ...m, vulnerable: m.vulnerable === 1 })),
      })),
    }));
    if (this.configs.size >= MAX_CACHED_CONFIGURATIONS) this.configs.clear();
    this.configs.set(vulnId, list);
    return list;
  }

  private matchNvd(attributes: readonly DeviceAttribute[], vendors: VendorCandidate[], add: (id: string, s: Scored) => void): void {
    const candidates = [...ruleCandidates(attributes, this.aliases), ...this.modelCandidates(attributes, vendors)];
    if (candidates.length === 0) return;
    const index = indexCandidates(candidates);
    const platformKnown = attributes.some((a) => a.name === 'os' && a.value.trim() !== '');
    const ids = new Set<string>();
    const q = this.stmt('SELECT DISTINCT vuln_id FROM vuln_cpe_matches WHERE vendor = ? AND product = ?');
    for (const key of index.keys()) {
      const colon = key.indexOf(':');
      for (const r of q.all(key.slice(0, colon), key.slice(colon + 1)) as { vuln_id: string }[]) ids.add(r.vuln_id);
    }
    for (const id of ids) {
      let best: ConfigResult | null = null;
      let bestConf = 0;
      for (const cfg of this.configurations(id)) {
        const r = evaluateConfiguration(cfg, index, platformKnown);
        const c = configConfidence(r);
        if (r.state === 'no') continue;
        if (best === null || (r.state === 'match' && best.state !== 'match') || (r.state === best.state && c > bestConf)) {
          best = r;
          bestConf = c;
        }
      }
      if (best === null || best.state === 'no') continue;
      const reasons = best.evidence.map((e): MatchReason => ({
        source: 'nvd', advisory_id: null, attribute: e.candidate.attribute.name, value: e.candidate.attribute.value,
        attribute_source: e.candidate.attribute.source ?? null, candidate: formatCpe23(e.candidate.cpe), matched: e.criteria,
        vulnerable: e.vulnerable, range: e.range, version_check: e.version_check, rule: e.candidate.rule, state: e.state,
        notes: [...e.notes, ...(e.candidate.versionFrom ? [`device version from ${e.candidate.versionFrom}`] : [])],
      }));
      for (const p of best.unknown_platforms) {
        reasons.push({ source: 'nvd', advisory_id: null, attribute: 'os', value: '', attribute_source: null, candidate: '', matched: p, vulnerable: false,
          range: '', version_check: 'device OS unknown', rule: null, state: 'possible', notes: ['running-on platform not identified'] });
      }
      add(id, { state: best.state, confidence: bestConf, reasons, source: 'nvd' });
    }
  }

  // ---------------------------------------------------------------- CVE 5 and CSAF products

  /** CVE 5 rows of CVEs without NVD configurations, and CSAF rows, indexed by their product words. */
  private affected(): Map<string, AffectedRow[]> {
    if (this.affectedIndex !== null) return this.affectedIndex;
    const rows = this.stmt(`SELECT vuln_id, source, advisory_id, status, vendor, product, full_name, version_raw, less_than, less_than_or_equal,
      default_status, product_ref FROM vuln_affected a WHERE source = 'csaf' OR NOT EXISTS (SELECT 1 FROM vuln_configurations c WHERE c.vuln_id = a.vuln_id)`).all() as AffectedRow[];
    const index = new Map<string, AffectedRow[]>();
    for (const r of rows) {
      for (const w of productWords(`${r.product ?? ''}`)) {
        const a = index.get(w);
        if (a) a.push(r);
        else index.set(w, [r]);
      }
    }
    this.affectedIndex = index;
    return index;
  }

  /** Whether a record's vendor (or, when the vendor is a placeholder, its product text) names one of the device's CPE vendors. */
  private vendorMatches(row: AffectedRow, vendors: VendorCandidate[]): VendorCandidate | null {
    const names = new Set<string>();
    for (const text of [row.vendor ?? '', row.product ?? '']) {
      for (const r of matchAliases(this.aliases, 'vendor', text)) for (const v of r.vendors) names.add(v);
      if (names.size > 0) break;
    }
    if (names.size === 0 && row.vendor) names.add(foldText(row.vendor).split(' ')[0] ?? '');
    return vendors.find((v) => names.has(v.cpeVendor)) ?? null;
  }

  private versionCheck(row: AffectedRow, version: { name: string; value: string } | null): { state: 'match' | 'possible' | 'no'; check: string; range: string } {
    const spec: VersionSpec | null = row.source === 'cve5'
      ? cve5VersionSpec(row.version_raw, row.less_than, row.less_than_or_equal)
      : row.version_raw === null ? { raw: '', clauses: [{ kind: 'all' }], unparsed: null } : parseVersionSpec(row.version_raw);
    const range = spec?.raw ?? row.version_raw ?? '';
    if (spec === null) return { state: 'possible', check: `version text '${row.version_raw ?? ''}' not readable`, range };
    if (spec.clauses.length === 1 && spec.clauses[0]!.kind === 'all' && spec.unparsed === null) return { state: 'match', check: 'all versions', range };
    if (version === null) return { state: 'possible', check: 'device version unknown', range };
    const r = matchVersionSpec(version.value.trim(), spec);
    return { state: r.result === true ? 'match' : r.result === false ? 'no' : 'possible', check: r.reason, range };
  }

  /**
   * What to look for among advisory products: the model (under the device's vendors, at its firmware/software
   * version) and each OS / software named by an alias rule (under that rule's CPE vendor, at the version written
   * in the attribute, with the version taken out of the name: "VxWorks 6.9.4.11" is looked up as "VxWorks").
   */
  private probes(attributes: readonly DeviceAttribute[], vendors: VendorCandidate[]): Probe[] {
    const out: Probe[] = [];
    const version = deviceVersion(attributes);
    for (const a of attributes.filter((x) => (ATTRIBUTE_ROLES.product as readonly string[]).includes(x.name))) {
      if (vendors.length > 0) out.push({ attribute: a, text: a.value, vendors, version: version ? { name: version.name, value: version.value.trim() } : null });
    }
    for (const c of ruleCandidates(attributes, this.aliases)) {
      if (c.attribute.name === 'model' || (ATTRIBUTE_ROLES.product as readonly string[]).includes(c.attribute.name)) continue;
      const v = c.cpe.version.kind === 'value' && c.versionFrom !== 'rule' ? c.cpe.version.text : null;
      const text = v === null ? c.attribute.value : c.attribute.value.replace(new RegExp(`v?${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'), ' ');
      const vendor = { cpeVendor: c.cpe.vendor.kind === 'value' ? c.cpe.vendor.text : '', confidence: c.confidence, attribute: c.attribute, rule: c.rule };
      out.push({ attribute: c.attribute, text, vendors: [vendor], version: v === null ? null : { name: `${c.attribute.name} text`, value: v } });
    }
    return out;
  }

  private matchAffected(attributes: readonly DeviceAttribute[], vendors: VendorCandidate[], add: (id: string, s: Scored) => void): void {
    const index = this.affected();
    const vendorWords = vendorWordsOf(attributes, vendors);
    const hits = new Map<string, { row: AffectedRow; scored: Scored; name: number }[]>(); // by vuln + source + advisory
    for (const probe of this.probes(attributes, vendors)) {
      const rows = new Set<AffectedRow>();
      for (const w of productWords(probe.text, vendorWords)) for (const r of index.get(w) ?? []) rows.add(r);
      for (const row of rows) {
        const hit = this.affectedHit(row, probe, vendorWords);
        if (hit === null) continue;
        const key = `${row.vuln_id}\t${row.source}\t${row.advisory_id}`;
        const list = hits.get(key) ?? [];
        list.push({ row, scored: hit.scored, name: hit.name });
        hits.set(key, list);
      }
    }
    for (const [key, list] of hits) {
      const affected = list.filter((h) => AFFECTED.has(h.row.status)).sort((a, b) => Number(b.scored.state === 'match') - Number(a.scored.state === 'match') || b.scored.confidence - a.scored.confidence);
      if (affected.length === 0) continue;
      // a product the record calls fixed / not affected, named at least as closely and at a version it names, overrides
      const bestName = Math.max(...affected.map((h) => h.name));
      if (list.some((h) => NOT_AFFECTED.has(h.row.status) && h.scored.state === 'match' && h.name >= bestName)) continue;
      add(key.split('\t')[0]!, affected[0]!.scored);
    }
  }

  /** One advisory product against one probe: name, vendor and version; null when it does not apply. */
  private affectedHit(row: AffectedRow, probe: Probe, vendorWords: Set<string>): { scored: Scored; name: number } | null {
    const score = productNameScore(probe.text, row.product ?? '', vendorWords);
    if (score === null) return null;
    const vendor = this.vendorMatches(row, probe.vendors);
    if (vendor === null) return null;
    const v = this.versionCheck(row, probe.version);
    if (v.state === 'no' || !(AFFECTED.has(row.status) || NOT_AFFECTED.has(row.status))) return null;
    const state = row.status === 'under_investigation' ? 'possible' : v.state;
    const a = probe.attribute;
    const reason: MatchReason = {
      source: row.source, advisory_id: row.advisory_id || null, attribute: a.name, value: a.value, attribute_source: a.source ?? null,
      candidate: `${vendor.cpeVendor} / ${probe.text.trim()}${probe.version ? ` ${probe.version.value}` : ''}`, matched: row.full_name ?? `${row.vendor} ${row.product}`,
      vulnerable: null, range: v.range, version_check: v.check, rule: `product name score ${score.toFixed(2)}, vendor via ${vendor.rule ?? `'${vendor.attribute.value}'`}`,
      state, notes: [`status ${row.status}${row.source === 'csaf' ? ` (product ${row.product_ref})` : ''}`, ...(probe.version ? [`device version from ${probe.version.name}`] : [])],
    };
    const confidence = vendor.confidence * score * (a.confidence ?? 1) * (state === 'possible' ? 0.6 : 1);
    return { scored: { state, confidence, reasons: [reason], source: row.source === 'csaf' ? `csaf:${row.advisory_id}` : 'cve5' }, name: score };
  }

  // ---------------------------------------------------------------- summary

  private bestCvss(id: string): MatchCvss | null {
    const rows = this.stmt('SELECT origin, scorer, type, version, vector FROM cvss_vectors WHERE vuln_id = ?').all(id) as { origin: string; scorer: string; type: string | null; version: string; vector: string }[];
    const rank = (r: (typeof rows)[number]): number => (r.version.startsWith('3') ? 40 : r.version === '4.0' ? 30 : 10) + (r.version === '3.1' ? 5 : 0)
      + (r.origin === 'nvd' ? 4 : r.origin === 'cve5' ? 2 : 0) + (r.type === 'Primary' ? 1 : 0);
    for (const r of rows.sort((a, b) => rank(b) - rank(a))) {
      const s = scoreCvss(r.vector);
      if (s.ok) return { version: s.value.version, vector: r.vector, base_score: s.value.base, severity: s.value.severity, origin: r.origin, scorer: r.scorer };
    }
    return null;
  }

  private summarise(id: string, list: Scored[]): VulnMatch {
    const confirmed = list.some((s) => s.state === 'match');
    const description = (this.stmt("SELECT description FROM vulnerabilities WHERE id = ? ORDER BY source = 'nvd' DESC LIMIT 1").get(id) as { description: string | null } | undefined)?.description
      ?? (this.stmt('SELECT title FROM advisory_vulns WHERE vuln_id = ? LIMIT 1').get(id) as { title: string | null } | undefined)?.title ?? null;
    return {
      vuln_id: id,
      certainty: confirmed ? 'confirmed' : 'possible',
      confidence: Math.round(Math.max(...list.map((s) => s.confidence)) * 1000) / 1000,
      kev: this.stmt('SELECT 1 FROM kev_entries WHERE cve_id = ?').get(id) !== undefined,
      sources: [...new Set(list.map((s) => s.source))],
      description: description === null ? null : description.length > 300 ? `${description.slice(0, 299)}…` : description,
      cvss: this.bestCvss(id),
      why: list.flatMap((s) => s.reasons),
    };
  }
}
