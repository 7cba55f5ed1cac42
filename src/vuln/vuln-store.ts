/**
 * The vulnerability side of the inventory database (tables of migration 2): import runs and per-file provenance,
 * NVD/CVE 5 records with their CPE configurations and affected products, KEV entries, CSAF advisories with their
 * products and per-vulnerability status/remediations, and every published CVSS vector with who scored it.
 *
 * Upserts are incremental: a vulnerability (id + source) or an advisory (id) replaces the stored one only when its
 * lastModified / current_release_date is newer ("updated"); the same date is "unchanged", an older one "stale"
 * (both skipped). A KEV entry is replaced when its content differs, unless the stored catalog date is newer.
 * Children (configurations, affected rows, CVSS vectors) are deleted and re-inserted with their parent.
 */
import type Database from 'better-sqlite3';
import { prepared } from '../inventory/prepared.js';
import { parseCpe23, cpeText } from './cpe.js';
import type { AffectedRecord, CsafAdvisory, CvssVectorRecord, KevRecord, VulnRecord } from './feed-records.js';

/** What an upsert did. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'stale';

/** Per-file counters (also the columns of vuln_files). */
export interface FileCounts {
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  malformed: number;
}

/** Milliseconds of an ISO-8601 time (no zone = UTC), or NaN. */
function timeOf(s: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`);
}

/** Orders two feed timestamps (-1, 0, 1); falls back to text order when either does not parse. */
export function compareFeedTimes(a: string, b: string): number {
  const x = timeOf(a);
  const y = timeOf(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a < b ? -1 : a > b ? 1 : 0;
  return Math.sign(x - y);
}

/** Access to the vulnerability tables of an open inventory database. */
export class VulnStore {
  constructor(readonly db: Database.Database) {}

  /** A prepared statement, prepared once per connection. */
  private stmt(sql: string): Database.Statement {
    return prepared(this.db, sql);
  }

  /** Opens an import run; returns its id. */
  startImport(inputs: string[]): number {
    return Number(this.stmt("INSERT INTO vuln_imports (started_at, inputs, status) VALUES (?, ?, 'running')")
      .run(new Date().toISOString(), JSON.stringify(inputs)).lastInsertRowid);
  }

  /** Closes an import run with its status and totals. */
  finishImport(id: number, status: string, seconds: number, stats: object): void {
    this.stmt('UPDATE vuln_imports SET status = ?, seconds = ?, stats = ? WHERE id = ?').run(status, seconds, JSON.stringify(stats), id);
  }

  /** Records a file of an import (provenance); returns its id. */
  addFile(importId: number, path: string, format: string, feedDate: string | null): number {
    return Number(this.stmt('INSERT INTO vuln_files (import_id, path, format, feed_date) VALUES (?, ?, ?, ?)').run(importId, path, format, feedDate).lastInsertRowid);
  }

  /** Updates a file's counters, feed date and error. */
  finishFile(fileId: number, c: FileCounts, feedDate: string | null, error: string | null): void {
    this.stmt(`UPDATE vuln_files SET records = ?, inserted = ?, updated = ?, unchanged = ?, stale = ?, malformed = ?,
      feed_date = COALESCE(?, feed_date), error = ? WHERE id = ?`).run(c.records, c.inserted, c.updated, c.unchanged, c.stale, c.malformed, feedDate, error, fileId);
  }

  /** Inserts or replaces a vulnerability record by (id, source) and lastModified. */
  upsertVulnerability(v: VulnRecord, fileId: number, recordIndex: number): UpsertOutcome {
    const old = this.stmt('SELECT last_modified FROM vulnerabilities WHERE id = ? AND source = ?').get(v.id, v.source) as { last_modified: string } | undefined;
    if (old !== undefined) {
      const c = compareFeedTimes(v.last_modified, old.last_modified);
      if (c === 0) return 'unchanged';
      if (c < 0) return 'stale';
      this.deleteVulnerabilityChildren(v.id, v.source);
    }
    this.stmt(`INSERT OR REPLACE INTO vulnerabilities (id, source, status, published, last_modified, description, cwes, cisa_exploit_add, file_id, record_index)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(v.id, v.source, v.status, v.published, v.last_modified, v.description, JSON.stringify(v.cwes),
      v.cisa_exploit_add, fileId, recordIndex);
    this.insertConfigurations(v);
    this.insertAffected(v.id, 'cve5', '', v.affected);
    this.insertCvss(v.id, v.source, v.cvss.map((vector) => ({ vector, product_ids: null })));
    return old === undefined ? 'inserted' : 'updated';
  }

  private deleteVulnerabilityChildren(id: string, source: 'nvd' | 'cve5'): void {
    if (source === 'nvd') {
      for (const t of ['vuln_configurations', 'vuln_config_nodes', 'vuln_cpe_matches']) this.stmt(`DELETE FROM ${t} WHERE vuln_id = ?`).run(id);
    } else {
      this.stmt("DELETE FROM vuln_affected WHERE vuln_id = ? AND source = 'cve5'").run(id);
    }
    this.stmt('DELETE FROM cvss_vectors WHERE vuln_id = ? AND origin = ?').run(id, source);
  }

  private insertConfigurations(v: VulnRecord): void {
    const cfg = this.stmt('INSERT INTO vuln_configurations (vuln_id, config_index, operator, negate) VALUES (?, ?, ?, ?)');
    const node = this.stmt('INSERT INTO vuln_config_nodes (vuln_id, config_index, node_index, operator, negate) VALUES (?, ?, ?, ?, ?)');
    const match = this.stmt(`INSERT INTO vuln_cpe_matches (vuln_id, config_index, node_index, match_index, vulnerable, criteria, part, vendor, product,
      version_start_including, version_start_excluding, version_end_including, version_end_excluding, match_criteria_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    v.configurations.forEach((c, ci) => {
      cfg.run(v.id, ci, c.operator, c.negate ? 1 : 0);
      c.nodes.forEach((n, ni) => {
        node.run(v.id, ci, ni, n.operator, n.negate ? 1 : 0);
        n.matches.forEach((m, mi) => {
          const p = parseCpe23(m.criteria);
          const text = (k: 'part' | 'vendor' | 'product'): string | null => (p.ok ? cpeText(p.value[k]) : null);
          match.run(v.id, ci, ni, mi, m.vulnerable ? 1 : 0, m.criteria, text('part'), text('vendor'), text('product'),
            m.version_start_including, m.version_start_excluding, m.version_end_including, m.version_end_excluding, m.match_criteria_id);
        });
      });
    });
  }

  private insertAffected(vulnId: string, source: 'cve5' | 'csaf', advisoryId: string, rows: AffectedRecord[]): void {
    const ins = this.stmt(`INSERT INTO vuln_affected (vuln_id, source, advisory_id, seq, product_ref, status, vendor, product, full_name, version_raw,
      less_than, less_than_or_equal, version_type, default_status, cpes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    rows.forEach((a, i) => ins.run(vulnId, source, advisoryId, i, a.product_ref, a.status, a.vendor, a.product, a.full_name, a.version_raw,
      a.less_than, a.less_than_or_equal, a.version_type, a.default_status, JSON.stringify(a.cpes)));
  }

  private insertCvss(vulnId: string, origin: string, list: { vector: CvssVectorRecord; product_ids: string[] | null }[]): void {
    const ins = this.stmt(`INSERT OR IGNORE INTO cvss_vectors (vuln_id, origin, scorer, type, version, vector, base_score, base_severity, product_ids)
      VALUES (?,?,?,?,?,?,?,?,?)`);
    for (const { vector: c, product_ids } of list) {
      ins.run(vulnId, origin, c.scorer ?? '', c.type, c.version, c.vector, c.base_score, c.base_severity, product_ids === null ? null : JSON.stringify(product_ids));
    }
  }

  /** Inserts or replaces a KEV entry (by CVE id). */
  upsertKev(k: KevRecord, feedDate: string | null, fileId: number, recordIndex: number): UpsertOutcome {
    const old = this.stmt('SELECT * FROM kev_entries WHERE cve_id = ?').get(k.cve_id) as Record<string, unknown> | undefined;
    const values = [k.vendor_project, k.product, k.vulnerability_name, k.date_added, k.short_description, k.required_action, k.due_date,
      k.known_ransomware_campaign_use, k.notes, JSON.stringify(k.cwes)];
    if (old !== undefined) {
      const oldDate = old['feed_date'] as string | null;
      if (oldDate !== null && feedDate !== null && compareFeedTimes(feedDate, oldDate) < 0) return 'stale';
      const cols = ['vendor_project', 'product', 'vulnerability_name', 'date_added', 'short_description', 'required_action', 'due_date',
        'known_ransomware_campaign_use', 'notes', 'cwes'];
      if (cols.every((c, i) => old[c] === values[i])) return 'unchanged';
    }
    this.stmt(`INSERT OR REPLACE INTO kev_entries (cve_id, vendor_project, product, vulnerability_name, date_added, short_description, required_action,
      due_date, known_ransomware_campaign_use, notes, cwes, feed_date, file_id, record_index) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
      .run(k.cve_id, ...values, feedDate, fileId, recordIndex);
    return old === undefined ? 'inserted' : 'updated';
  }

  /** Inserts or replaces a CSAF advisory (by tracking id) with its products, vulnerabilities and affected rows. */
  upsertAdvisory(a: CsafAdvisory, fileId: number): UpsertOutcome {
    const old = this.stmt('SELECT current_release_date, revision FROM advisories WHERE id = ?').get(a.id) as { current_release_date: string; revision: string | null } | undefined;
    if (old !== undefined) {
      const c = compareFeedTimes(a.current_release_date, old.current_release_date);
      if (c < 0) return 'stale';
      if (c === 0) return 'unchanged';
      for (const t of ['advisory_products', 'advisory_vulns']) this.stmt(`DELETE FROM ${t} WHERE advisory_id = ?`).run(a.id);
      this.stmt("DELETE FROM vuln_affected WHERE source = 'csaf' AND advisory_id = ?").run(a.id);
      this.stmt('DELETE FROM cvss_vectors WHERE origin = ?').run(`csaf:${a.id}`);
    }
    this.stmt(`INSERT OR REPLACE INTO advisories (id, title, publisher, initial_release_date, current_release_date, revision, summary, file_id)
      VALUES (?,?,?,?,?,?,?,?)`).run(a.id, a.title, a.publisher, a.initial_release_date, a.current_release_date, a.revision, a.summary, fileId);
    const prod = this.stmt(`INSERT OR REPLACE INTO advisory_products (advisory_id, product_id, vendor, product_name, version_raw, version_category, full_name, cpe)
      VALUES (?,?,?,?,?,?,?,?)`);
    const byId = new Map(a.products.map((p) => [p.product_id, p]));
    for (const p of a.products) prod.run(a.id, p.product_id, p.vendor, p.product_name, p.version_raw, p.version_category, p.full_name, p.cpe);
    const vuln = this.stmt(`INSERT OR REPLACE INTO advisory_vulns (advisory_id, vuln_id, title, cwe, notes, product_status, remediations)
      VALUES (?,?,?,?,?,?,?)`);
    for (const v of a.vulnerabilities) {
      vuln.run(a.id, v.vuln_id, v.title, v.cwe, JSON.stringify(v.notes), JSON.stringify(v.product_status), JSON.stringify(v.remediations));
      const rows: AffectedRecord[] = [];
      for (const [status, ids] of Object.entries(v.product_status)) {
        for (const id of ids) {
          const p = byId.get(id)!;
          rows.push({ vendor: p.vendor ?? 'n/a', product: p.product_name ?? p.full_name, full_name: p.full_name, product_ref: id, status,
            version_raw: p.version_raw, less_than: null, less_than_or_equal: null, version_type: p.version_category, default_status: null,
            cpes: p.cpe === null ? [] : [p.cpe] });
        }
      }
      this.stmt("DELETE FROM vuln_affected WHERE vuln_id = ? AND source = 'csaf' AND advisory_id = ?").run(v.vuln_id, a.id);
      this.insertAffected(v.vuln_id, 'csaf', a.id, rows);
      this.insertCvss(v.vuln_id, `csaf:${a.id}`, v.cvss);
    }
    return old === undefined ? 'inserted' : 'updated';
  }

  /** Row counts of the vulnerability tables. */
  counts(): Record<string, number> {
    const n = (t: string): number => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      vulnerabilities_nvd: (this.db.prepare("SELECT COUNT(*) AS n FROM vulnerabilities WHERE source = 'nvd'").get() as { n: number }).n,
      vulnerabilities_cve5: (this.db.prepare("SELECT COUNT(*) AS n FROM vulnerabilities WHERE source = 'cve5'").get() as { n: number }).n,
      cpe_matches: n('vuln_cpe_matches'),
      affected: n('vuln_affected'),
      kev_entries: n('kev_entries'),
      advisories: n('advisories'),
      advisory_products: n('advisory_products'),
      advisory_vulns: n('advisory_vulns'),
      cvss_vectors: n('cvss_vectors'),
    };
  }
}
