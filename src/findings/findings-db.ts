/**
 * All SQLite access of the findings engine, in one module so the schema it reads can be adapted in one place:
 * - the context pass (every device's weaknesses and zones, a few small rows per device);
 * - per-device views (device row, VLANs, IPs, facts, edges with their peers), one device at a time: memory is
 *   bounded by the largest device (edges capped at MAX_EDGES_PER_DEVICE, busiest first), not by the inventory;
 * - the writer (one device's findings: insert new, update still found, resolve no longer found) and the listing.
 * Edges carry the communication map's columns (migration 5): `app_proto` (stored '' when none), `encrypted`,
 * `phi_kinds`, `cleartext_credentials`; destinations are named from its `endpoint_names` table.
 */
import type Database from 'better-sqlite3';
import { isInternetAddress } from '../map/address-class.js';
import type { FindingsData } from './data-files.js';
import {
  type AssessmentContext, type DeviceView, type EdgeView, type FactView, FINDING_CLASS, type FindingDraft, type ZoneMember,
} from './device-view.js';
import { OS_TEXT_FACT_NAMES } from './eol.js';
import { zoneKeys } from './exposure-rules.js';
import { IT_CATEGORIES, WEAKNESS_FACT_NAMES, weaknessesOf } from './rules.js';
import { categoryDefaults } from '../knowledge/categories.js';
import { isoFromUs } from '../inventory/sqlite-store.js';

/** Most edges read per device (the busiest by bytes). */
export const MAX_EDGES_PER_DEVICE = 20_000;
/** Devices read per page. */
const DEVICE_PAGE = 1000;
/** Most IPs read per peer device. */
const MAX_PEER_IPS = 4;
/** Most IT devices listed per zone in the context (the count is what matters; the list is evidence). */
const MAX_ZONE_MEMBERS = 50;

/** One devices row: the view's own columns and the key kind. */
type DeviceRow = Pick<DeviceView, 'id' | 'key' | 'category' | 'vendor' | 'model' | 'os' | 'os_version' | 'first_us' | 'last_us'> & { key_kind: string };

/** Reads the store for the findings engine. */
export class FindingsReader {
  private readonly st: Record<'vlans' | 'ips' | 'facts' | 'someFacts' | 'edges' | 'accepted', Database.Statement>;
  /** Names per IP from the communication map's endpoint_names table. */
  private readonly names: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const factNames = [...OS_TEXT_FACT_NAMES, ...WEAKNESS_FACT_NAMES].map((n) => `'${n}'`).join(',');
    this.st = {
      vlans: db.prepare('SELECT vlan FROM device_vlans WHERE device_id = ? ORDER BY vlan'),
      ips: db.prepare('SELECT DISTINCT ip FROM device_ips WHERE device_id = ? ORDER BY ip LIMIT ?'),
      facts: db.prepare('SELECT name, value, source, evidence, first_us, last_us FROM attributes WHERE device_id = ?'),
      someFacts: db.prepare(`SELECT name, value, source, evidence, first_us, last_us FROM attributes WHERE device_id = ? AND name IN (${factNames})`),
      edges: db.prepare(`SELECT e.client_device_id, e.server_device_id, e.server_ip, e.proto, e.server_port, e.flows, e.packets, e.bytes, e.first_us, e.last_us,
          NULLIF(e.app_proto, '') AS app_proto, e.encrypted, e.phi_kinds, e.cleartext_credentials, p.id AS peer_id, p.key AS peer_key, p.category AS peer_category
        FROM edges e LEFT JOIN devices p ON p.id = CASE WHEN e.client_device_id = @id THEN e.server_device_id ELSE e.client_device_id END
        WHERE e.client_device_id = @id OR e.server_device_id = @id ORDER BY e.bytes DESC LIMIT @limit`),
      accepted: db.prepare(`SELECT client_device_id AS client, server_port AS port, MAX(tcp_state NOT IN ('rejected', 'attempt')) AS ok
        FROM flows WHERE server_device_id = ? AND proto = 6 GROUP BY client_device_id, server_port`),
    };
    this.names = db.prepare('SELECT DISTINCT name FROM endpoint_names WHERE ip = ? LIMIT 8');
  }

  /** Every device row (or only `onlyId`), in id order, read in pages of DEVICE_PAGE rows. */
  *devices(onlyId?: number): Generator<DeviceRow> {
    const sql = 'SELECT id, key, key_kind, category, vendor, model, os, os_version, first_us, last_us FROM devices';
    if (onlyId !== undefined) {
      const r = this.db.prepare(`${sql} WHERE id = ?`).get(onlyId) as DeviceRow | undefined;
      if (r) yield r;
      return;
    }
    const page = this.db.prepare(`${sql} WHERE id > ? ORDER BY id LIMIT ${DEVICE_PAGE}`);
    for (let last = 0; ;) {
      const rows = page.all(last) as DeviceRow[];
      if (rows.length === 0) return;
      yield* rows;
      last = rows[rows.length - 1]!.id;
    }
  }

  /** True for an internet endpoint keyed by IP (a host behind the router with only public addresses): not assessed. */
  isExternal(d: DeviceRow): boolean {
    if (d.key_kind !== 'ip') return false;
    const ips = this.ips(d.id, MAX_PEER_IPS);
    return ips.length > 0 && ips.every(isInternetAddress);
  }

  private ips(id: number, limit: number): string[] {
    return (this.st.ips.all(id, limit) as { ip: string }[]).map((r) => r.ip);
  }

  private vlans(id: number): number[] {
    return (this.st.vlans.all(id) as { vlan: number }[]).map((r) => r.vlan);
  }

  /**
   * The context pass: weaknesses of every device and the IT devices of every zone.
   * Memory: one small entry per weak device and per IT device.
   */
  context(data: FindingsData, nowUs: number): AssessmentContext {
    const weak = new Map<number, { key: string; reasons: string[] }>();
    const zones = new Map<string, ZoneMember[]>();
    for (const d of this.devices()) {
      if (this.isExternal(d)) continue;
      const facts = this.st.someFacts.all(d.id) as FactView[];
      const reasons = weaknessesOf(d.os, d.os_version, facts, data, nowUs);
      if (reasons.length > 0) weak.set(d.id, { key: d.key, reasons });
      if (d.category === null || !IT_CATEGORIES.has(d.category)) continue;
      for (const z of zoneKeys(this.vlans(d.id), this.ips(d.id, 64))) {
        const list = zones.get(z) ?? [];
        if (list.length < MAX_ZONE_MEMBERS) list.push({ id: d.id, key: d.key, category: d.category });
        zones.set(z, list);
      }
    }
    return { now_us: nowUs, data, weak, zones };
  }

  /** The full view of one device. */
  view(d: DeviceRow): DeviceView {
    const facts = this.st.facts.all(d.id) as FactView[];
    const defaults = categoryDefaults(d.category);
    const { edges, truncated } = this.edges(d.id, facts);
    return {
      id: d.id, key: d.key, category: d.category, medical: defaults.medical, critical_care: defaults.life_supporting || defaults.therapy,
      vendor: d.vendor, model: d.model, os: d.os, os_version: d.os_version, first_us: d.first_us, last_us: d.last_us,
      ips: this.ips(d.id, 64), vlans: this.vlans(d.id), facts, edges, edges_truncated: truncated,
    };
  }

  /** Edges of a device with their peers; names of servers from the communication map or this device's SNI / Host facts. */
  private edges(id: number, facts: readonly FactView[]): { edges: EdgeView[]; truncated: boolean } {
    const rows = this.st.edges.all({ id, limit: MAX_EDGES_PER_DEVICE }) as EdgeRow[];
    const sniNames = namesFromFacts(facts);
    // TCP (client, port) pairs the device served; without any stored TCP flow (pruned), every edge counts as answered.
    const accepted = this.st.accepted.all(id) as { client: number | null; port: number; ok: number }[];
    const served = new Set(accepted.filter((a) => a.ok).map((a) => `${a.client ?? 0}|${a.port}`));
    const peerIps = new Map<number, string[]>();
    const edges = rows.map((r): EdgeView => {
      const role = r.client_device_id === id ? 'client' : 'server';
      let ips: string[];
      if (role === 'client') ips = [r.server_ip];
      else if (r.peer_id === null) ips = [];
      else {
        ips = peerIps.get(r.peer_id) ?? this.ips(r.peer_id, MAX_PEER_IPS);
        peerIps.set(r.peer_id, ips);
      }
      const names = role === 'client' ? this.namesOf(r.server_ip, sniNames) : [];
      return {
        role, peer_id: r.peer_id, peer_key: r.peer_key, peer_category: r.peer_category, peer_ips: ips, peer_names: names,
        proto: r.proto, server_ip: r.server_ip, server_port: r.server_port, flows: r.flows, packets: r.packets, bytes: r.bytes,
        first_us: r.first_us, last_us: r.last_us,
        answered: role === 'client' || r.proto !== 6 || accepted.length === 0 || served.has(`${r.client_device_id}|${r.server_port}`), app_proto: r.app_proto, encrypted: r.encrypted === null ? null : Boolean(r.encrypted),
        phi_kinds: jsonList(r.phi_kinds), cleartext_credentials: jsonList(r.cleartext_credentials),
      };
    });
    return { edges, truncated: rows.length >= MAX_EDGES_PER_DEVICE };
  }

  private namesOf(ip: string, fromFacts: ReadonlyMap<string, Set<string>>): string[] {
    const out = new Set(fromFacts.get(ip) ?? []);
    for (const r of this.names.all(ip) as { name: string }[]) out.add(r.name);
    return [...out];
  }
}

/** One edge row as selected. */
interface EdgeRow {
  client_device_id: number;
  server_device_id: number;
  server_ip: string;
  proto: number;
  server_port: number;
  flows: number;
  packets: number;
  bytes: number;
  first_us: number;
  last_us: number;
  app_proto: string | null;
  encrypted: number | null;
  phi_kinds: string | null;
  cleartext_credentials: string | null;
  peer_id: number | null;
  peer_key: string | null;
  peer_category: string | null;
}

/** A JSON array of strings from an optional column; [] when absent or malformed. */
function jsonList(s: string | null): string[] {
  if (s === null || s === '') return [];
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Server names a client used, from its tls_sni / http_host facts whose evidence names the server address ("→ ip:port"). */
export function namesFromFacts(facts: readonly FactView[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of facts) {
    if ((f.name !== 'tls_sni' && f.name !== 'http_host') || !f.evidence) continue;
    const m = /→ \[?([0-9A-Fa-f.:]+?)\]?:\d+\b/.exec(f.evidence);
    if (!m) continue;
    const set = out.get(m[1]!) ?? new Set<string>();
    set.add(f.value);
    out.set(m[1]!, set);
  }
  return out;
}

/** Counts of one refresh. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  reopened: number;
  resolved: number;
}

/** Writes the findings of one device (the caller holds the transaction). */
export class FindingsWriter {
  private readonly existing: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly resolve: Database.Statement;
  readonly counts: WriteCounts = { inserted: 0, updated: 0, reopened: 0, resolved: 0 };

  constructor(db: Database.Database, private readonly assessedAt: string) {
    this.existing = db.prepare('SELECT id, kind, subject, status FROM findings WHERE device_id = ?');
    this.upsert = db.prepare(`INSERT INTO findings (device_id, kind, subject, class, severity, title, evidence, first_us, last_us, status, assessed_at)
      VALUES (@device_id, @kind, @subject, @class, @severity, @title, @evidence, @first_us, @last_us, 'open', @assessed_at)
      ON CONFLICT (device_id, kind, subject) DO UPDATE SET class = excluded.class, severity = excluded.severity, title = excluded.title,
        evidence = excluded.evidence, first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us),
        status = 'open', assessed_at = excluded.assessed_at`);
    this.resolve = db.prepare("UPDATE findings SET status = 'resolved', assessed_at = ? WHERE id = ?");
  }

  /** Replaces the open findings of `deviceId` with `drafts`: new inserted, found again updated, gone resolved. */
  write(deviceId: number, drafts: readonly FindingDraft[]): void {
    const before = new Map((this.existing.all(deviceId) as { id: number; kind: string; subject: string; status: string }[])
      .map((r) => [`${r.kind}\u0000${r.subject}`, r]));
    for (const d of drafts) {
      const k = `${d.kind}\u0000${d.subject}`;
      const old = before.get(k);
      if (!old) this.counts.inserted++;
      else if (old.status === 'resolved') this.counts.reopened++;
      else this.counts.updated++;
      before.delete(k);
      this.upsert.run({ device_id: deviceId, kind: d.kind, subject: d.subject, class: FINDING_CLASS[d.kind], severity: d.severity, title: d.title,
        evidence: JSON.stringify(d.evidence), first_us: d.first_us, last_us: d.last_us, assessed_at: this.assessedAt });
    }
    for (const old of before.values()) {
      if (old.status !== 'open') continue;
      this.resolve.run(this.assessedAt, old.id);
      this.counts.resolved++;
    }
  }
}

/** One stored finding as the CLI prints it (schemas/finding.schema.json). */
export interface FindingRecord {
  id: number;
  device_id: number;
  device_key: string;
  kind: string;
  subject: string;
  class: string;
  severity: string;
  title: string;
  evidence: { source: string; detail: string; first_us?: number; last_us?: number }[];
  first_seen: string;
  last_seen: string;
  status: 'open' | 'resolved';
  assessed_at: string;
}

/** Which findings to list. */
export interface FindingFilter {
  deviceId?: number;
  kind?: string;
  class?: string;
  /** Default 'open'. */
  status?: 'open' | 'resolved' | 'all';
}

/** Stored findings, most severe first, then by device, kind and subject. */
export function listFindings(db: Database.Database, f: FindingFilter = {}): FindingRecord[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.deviceId !== undefined) { where.push('f.device_id = ?'); args.push(f.deviceId); }
  if (f.kind !== undefined) { where.push('f.kind = ?'); args.push(f.kind); }
  if (f.class !== undefined) { where.push('f.class = ?'); args.push(f.class); }
  if ((f.status ?? 'open') !== 'all') { where.push('f.status = ?'); args.push(f.status ?? 'open'); }
  const rows = db.prepare(`SELECT f.*, d.key AS device_key FROM findings f JOIN devices d ON d.id = f.device_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, f.device_id, f.kind, f.subject`)
    .all(...args) as (Omit<FindingRecord, 'evidence' | 'first_seen' | 'last_seen'> & { evidence: string; first_us: number; last_us: number })[];
  return rows.map(({ first_us, last_us, evidence, ...r }) => ({
    ...r, evidence: JSON.parse(evidence) as FindingRecord['evidence'], first_seen: isoFromUs(first_us) ?? '', last_seen: isoFromUs(last_us) ?? '',
  }));
}
