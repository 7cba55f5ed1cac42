/**
 * All SQLite access of the findings engine, in one module so the schema it reads can be adapted in one place:
 * - the context pass (every device's weaknesses and zones, a few small rows per device);
 * - per-device views (device row, VLANs, IPs, the facts the rules read, edges with their peers) of the devices the
 *   context pass found assessed (not external), read a page of them at a time (a few set-based queries per page, not
 *   per device): memory is bounded by the assessed devices' rows, a page's rows and the address lists, not by the
 *   inventory's edges (edges capped at MAX_EDGES_PER_DEVICE per device, busiest first);
 * - the writer (one device's findings: insert new, update still found, resolve no longer found) and the listing.
 * Edges carry the communication map's columns (migration 5): `app_proto` (stored '' when none), `encrypted`,
 * `phi_kinds`, `cleartext_credentials`; destinations are named from its `endpoint_names` table.
 */
import type Database from 'better-sqlite3';
import { isInternetPeer } from '../map/address-class.js';
import type { FindingsData } from './data-files.js';
import {
  type AssessmentContext, type DeviceView, type EdgeView, type FactView, FINDING_CLASS, type FindingDraft, type ZoneMember,
} from './device-view.js';
import { OS_TEXT_FACT_NAMES } from './eol.js';
import { appendTo } from '../memo/map-lists.js';
import { zoneKeys } from './exposure-rules.js';
import { IT_CATEGORIES, VIEW_FACT_NAMES, WEAKNESS_FACT_NAMES, weaknessesOf } from './rules.js';
import { categoryDefaults } from '../knowledge/categories.js';
import { isoFromUs } from '../inventory/sqlite-store.js';

/**
 * The empty list the views share (the view's lists are read-only: most edges have no names, PHI or credential kinds,
 * and peers without addresses would otherwise each get an empty array). Address and name lists of the reader's
 * caches are shared the same way.
 */
const NONE: readonly string[] = Object.freeze([]);

/** Most edges read per device (the busiest by bytes). */
export const MAX_EDGES_PER_DEVICE = 20_000;
/** Devices read per page (their facts, edges and served TCP ports are read together, a few queries per page). */
const DEVICE_PAGE = 1000;
/** Most IPs read per peer device. */
const MAX_PEER_IPS = 4;
/** Most IT devices listed per zone in the context (the count is what matters; the list is evidence). */
const MAX_ZONE_MEMBERS = 50;

/** One devices row: the view's own columns and the key kind. */
type DeviceRow = Pick<DeviceView, 'id' | 'key' | 'category' | 'vendor' | 'model' | 'os' | 'os_version' | 'first_us' | 'last_us'> & { key_kind: string };


/** What the views of one page of devices read (only for the devices assessed: not the external ones), grouped by device. */
interface Page {
  rows: readonly DeviceRow[];
  facts: Map<number, FactView[]>;
  /** Edges the device is the client of, in the unique index's order; then those it serves (from another device), by id. */
  asClient: Map<number, EdgeRow[]>;
  asServer: Map<number, EdgeRow[]>;
  /**
   * Per device with stored TCP flows as the server: the `client|port` pairs (client device id, 0 for none) of which a
   * connection was accepted.
   */
  accepted: Map<number, Set<string>>;
}

/** The columns of an edge row (empty kind lists read as NULL: no string to make and parse). */
const EDGE_COLUMNS = `client_device_id, server_device_id, server_ip, proto, server_port, flows, packets, bytes, first_us, last_us,
  NULLIF(app_proto, '') AS app_proto, encrypted, NULLIF(phi_kinds, '[]') AS phi_kinds, NULLIF(cleartext_credentials, '[]') AS cleartext_credentials`;

/**
 * Reads the store for the findings engine, set-based: every device in pages of DEVICE_PAGE ids for the context pass
 * (which keeps the rows of the devices assessed), then the assessed devices' views in pages of DEVICE_PAGE, each
 * page's facts, edges and served ports in one query each; every device's addresses and VLANs once (one small entry
 * per address); names per address once.
 */
export class FindingsReader {
  private readonly st: Record<'someFacts' | 'facts' | 'asClient' | 'asServer' | 'accepted', Database.Statement>;
  /** Names per IP from the communication map's endpoint_names table. */
  private readonly names: Database.Statement;
  private readonly nameCache = new Map<string, string[]>();
  private ipMap: Map<number, string[]> | null = null;
  private vlanMap: Map<number, number[]> | null = null;
  /** Key and category of the devices read so far (every device once the context pass is done), for edges' peers. */
  private readonly known = new Map<number, { key: string; category: string | null } | null>();
  private readonly one: Database.Statement;
  /** The devices the context pass found assessed (not external), in id order. */
  private assessedRows: DeviceRow[] = [];
  /** The page of assessed devices devices() is yielding, and what their views read. */
  private page: Page | null = null;

  constructor(private readonly db: Database.Database) {
    const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(',');
    const ids = 'IN (SELECT value FROM json_each(?))'; // a JSON array of device ids: one statement per page
    // `+name`: one key seek per device, its rows' names tested (not one seek per device and name)
    const factCols = `SELECT device_id, name, value, source, evidence, first_us, last_us FROM attributes WHERE device_id ${ids}`;
    this.st = {
      facts: db.prepare(`${factCols} AND +name IN (${quoted(VIEW_FACT_NAMES)}) ORDER BY device_id, name, value, source`),
      someFacts: db.prepare(`${factCols} AND +name IN (${quoted([...OS_TEXT_FACT_NAMES, ...WEAKNESS_FACT_NAMES])}) ORDER BY device_id, name, value, source`),
      // a device's edges in the order of the per-device OR query they replace (client index, then server index), sorted by bytes later;
      // `edges.app_proto` (the column, '' first) is the unique index's order, which NULLIF(app_proto, '') (NULL first) keeps: no sort
      asClient: db.prepare(`SELECT ${EDGE_COLUMNS} FROM edges
        WHERE client_device_id ${ids} ORDER BY client_device_id, server_device_id, server_ip, proto, server_port, edges.app_proto`),
      asServer: db.prepare(`SELECT ${EDGE_COLUMNS} FROM edges WHERE server_device_id ${ids} AND client_device_id <> server_device_id
        ORDER BY server_device_id, id`),
      accepted: db.prepare(`SELECT server_device_id, IFNULL(client_device_id, 0), server_port, MAX(tcp_state NOT IN ('rejected', 'attempt'))
        FROM flows WHERE server_device_id ${ids} AND proto = 6 GROUP BY server_device_id, client_device_id, server_port`),
    };
    this.one = db.prepare('SELECT key, category FROM devices WHERE id = ?');
    this.names = db.prepare(`SELECT ip, name FROM endpoint_names WHERE ip ${ids} ORDER BY ip, name`);
  }

  /** Every device row in id order, a page of DEVICE_PAGE rows at a time. */
  private *pages(): Generator<DeviceRow[]> {
    const page = this.db.prepare(`SELECT id, key, key_kind, category, vendor, model, os, os_version, first_us, last_us FROM devices
      WHERE id > ? ORDER BY id LIMIT ${DEVICE_PAGE}`);
    for (let last = 0; ;) {
      const rows = page.all(last) as DeviceRow[];
      if (rows.length === 0) return;
      for (const r of rows) this.known.set(r.id, { key: r.key, category: r.category });
      yield rows;
      last = rows[rows.length - 1]!.id;
    }
  }

  /** The devices assessed (found by context(), which runs first), in id order; their views are read a page at a time. */
  *devices(): Generator<DeviceRow> {
    for (let i = 0; i < this.assessedRows.length; i += DEVICE_PAGE) {
      const rows = this.assessedRows.slice(i, i + DEVICE_PAGE);
      this.page = this.read(rows);
      yield* rows;
    }
  }

  /** True for an internet endpoint keyed by IP (a host behind the router with only public addresses): not assessed. */
  isExternal(d: DeviceRow): boolean {
    return d.key_kind === 'ip' && isInternetPeer(true, this.ips(d.id, MAX_PEER_IPS));
  }

  /** The first `limit` distinct addresses of a device, in text order. */
  private ips(id: number, limit: number): readonly string[] {
    if (this.ipMap === null) {
      this.ipMap = new Map();
      // all() then an indexed loop: cheaper than a native call per row (iterate) in code that runs once per ingest
      const rows = this.db.prepare('SELECT device_id, ip FROM device_ips GROUP BY device_id, ip ORDER BY device_id, ip').raw().all() as [number, string][];
      for (let i = 0; i < rows.length; i++) appendTo(this.ipMap, rows[i]![0], rows[i]![1]);
    }
    const all = this.ipMap.get(id);
    return all === undefined ? NONE : all.length <= limit ? all : all.slice(0, limit);
  }

  private vlans(id: number): number[] {
    if (this.vlanMap === null) {
      this.vlanMap = new Map();
      const rows = this.db.prepare('SELECT device_id, vlan FROM device_vlans ORDER BY device_id, vlan').raw().all() as [number, number][];
      for (let i = 0; i < rows.length; i++) appendTo(this.vlanMap, rows[i]![0], rows[i]![1]);
    }
    return this.vlanMap.get(id)?.slice() ?? [];
  }

  /** Facts of the devices `ids` (a JSON array; those the view or the context reads), grouped by device in (name, value, source) order. */
  private factsOf(st: Database.Statement, ids: string): Map<number, FactView[]> {
    const out = new Map<number, FactView[]>();
    for (const r of st.raw().all(ids) as [number, string, string, string, string | null, number, number][]) {
      appendTo(out, r[0], { name: r[1], value: r[2], source: r[3], evidence: r[4], first_us: r[5], last_us: r[6] });
    }
    return out;
  }

  /**
   * The context pass: weaknesses of every device and the IT devices of every zone; remembers the devices assessed.
   * Memory: one small entry per weak device and per IT device, the assessed devices' rows.
   */
  context(data: FindingsData, nowUs: number): AssessmentContext {
    const weak = new Map<number, { key: string; reasons: string[] }>();
    const zones = new Map<string, ZoneMember[]>();
    this.assessedRows = [];
    for (const rows of this.pages()) {
      const assessed = rows.filter((d) => !this.isExternal(d));
      for (const d of assessed) this.assessedRows.push(d);
      const facts = this.factsOf(this.st.someFacts, JSON.stringify(assessed.map((d) => d.id)));
      for (const d of assessed) {
        const reasons = weaknessesOf(d.os, d.os_version, facts.get(d.id) ?? [], data, nowUs);
        if (reasons.length > 0) weak.set(d.id, { key: d.key, reasons });
        if (d.category === null || !IT_CATEGORIES.has(d.category)) continue;
        for (const z of zoneKeys(this.vlans(d.id), this.ips(d.id, 64))) {
          const list = zones.get(z) ?? [];
          if (list.length < MAX_ZONE_MEMBERS) list.push({ id: d.id, key: d.key, category: d.category });
          zones.set(z, list);
        }
      }
    }
    return { now_us: nowUs, data, weak, zones };
  }

  /** What the views of the devices `rows` read. */
  private read(rows: readonly DeviceRow[]): Page {
    const ids = JSON.stringify(rows.map((d) => d.id));
    const edges = (st: Database.Statement, by: 0 | 1): Map<number, EdgeRow[]> => {
      const m = new Map<number, EdgeRow[]>();
      const found = st.raw().all(ids) as EdgeRow[];
      for (let i = 0; i < found.length; i++) appendTo(m, found[i]![by], found[i]!);
      return m;
    };
    const accepted = new Map<number, Set<string>>();
    const acc = this.st.accepted.raw().all(ids) as [device: number, client: number, port: number, ok: number | null][];
    for (let i = 0; i < acc.length; i++) {
      const r = acc[i]!;
      let served = accepted.get(r[0]);
      if (served === undefined) accepted.set(r[0], (served = new Set()));
      if (r[3]) served.add(`${r[1]}|${r[2]}`);
    }
    const page = { rows, facts: this.factsOf(this.st.facts, ids), asClient: edges(this.st.asClient, 0), asServer: edges(this.st.asServer, 1), accepted };
    this.loadNames(page);
    return page;
  }

  /** The page a view reads: the one devices() is yielding, or the device's own. */
  private pageOf(d: DeviceRow): Page {
    if (this.page === null || !this.page.rows.includes(d)) this.page = this.read([d]);
    return this.page;
  }

  /** Reads the stored names (at most 8 distinct, in text order) of every server address of the page not read yet. */
  private loadNames(page: Page): void {
    const ips = new Set<string>();
    for (const list of page.asClient.values()) for (let i = 0; i < list.length; i++) if (!this.nameCache.has(list[i]![2])) ips.add(list[i]![2]);
    for (const ip of ips) this.nameCache.set(ip, []);
    if (ips.size === 0) return;
    for (const r of this.names.raw().all(JSON.stringify([...ips])) as [string, string][]) {
      const list = this.nameCache.get(r[0])!;
      if (list.length < 8 && list[list.length - 1] !== r[1]) list.push(r[1]);
    }
  }

  /** Key and category of a device, null when there is none with this id (0: no device). */
  private peer(id: number): { key: string; category: string | null } | null {
    let p = this.known.get(id);
    if (p === undefined) {
      p = (this.one.get(id) as { key: string; category: string | null } | undefined) ?? null;
      this.known.set(id, p);
    }
    return p;
  }

  /** The full view of one device. */
  view(d: DeviceRow): DeviceView {
    const page = this.pageOf(d);
    const facts = page.facts.get(d.id) ?? [];
    const defaults = categoryDefaults(d.category);
    const { edges, truncated } = this.edges(d.id, facts, page);
    return {
      id: d.id, key: d.key, category: d.category, medical: defaults.medical, critical_care: defaults.life_supporting || defaults.therapy,
      vendor: d.vendor, model: d.model, os: d.os, os_version: d.os_version, first_us: d.first_us, last_us: d.last_us,
      ips: this.ips(d.id, 64), vlans: this.vlans(d.id), facts, edges, edges_truncated: truncated,
    };
  }

  /**
   * Edges of a device with their peers, busiest first (ties in the order of the page's rows: as client, then as
   * server), at most MAX_EDGES_PER_DEVICE; names of servers from the communication map or this device's SNI / Host facts.
   */
  private edges(id: number, facts: readonly FactView[], page: Page): { edges: EdgeView[]; truncated: boolean } {
    const all = [...page.asClient.get(id) ?? [], ...page.asServer.get(id) ?? []].sort((a, b) => b[7] - a[7]); // stable
    const rows = all.length > MAX_EDGES_PER_DEVICE ? all.slice(0, MAX_EDGES_PER_DEVICE) : all;
    const sniNames = namesFromFacts(facts);
    // TCP (client, port) pairs the device served; without any stored TCP flow (pruned), every edge counts as answered.
    const served = page.accepted.get(id);
    const edges: EdgeView[] = [];
    for (let i = 0; i < rows.length; i++) edges.push(this.edgeView(id, rows[i]!, served, sniNames));
    return { edges, truncated: rows.length >= MAX_EDGES_PER_DEVICE };
  }

  /** One edge row seen from device `id` (indexed reads: no destructuring iterator in code that runs cold). */
  private edgeView(id: number, r: EdgeRow, served: ReadonlySet<string> | undefined, sniNames: ReadonlyMap<string, Set<string>>): EdgeView {
    const client = r[0];
    const serverIp = r[2];
    const proto = r[3];
    const port = r[4];
    const encrypted = r[11];
    const role = client === id ? 'client' : 'server';
    const other = role === 'client' ? r[1] : client;
    const peer = this.peer(other);
    let ips: readonly string[];
    if (role === 'client') ips = [serverIp];
    else if (peer === null) ips = NONE;
    else ips = this.ips(other, MAX_PEER_IPS);
    const names = role === 'client' ? this.namesOf(serverIp, sniNames) : NONE;
    return {
      role, peer_id: peer === null ? null : other, peer_key: peer?.key ?? null, peer_category: peer?.category ?? null, peer_ips: ips, peer_names: names,
      proto, server_ip: serverIp, server_port: port, flows: r[5], packets: r[6], bytes: r[7], first_us: r[8], last_us: r[9],
      answered: role === 'client' || proto !== 6 || served === undefined || served.has(`${client}|${port}`), app_proto: r[10],
      encrypted: encrypted === null ? null : Boolean(encrypted), phi_kinds: jsonList(r[12]), cleartext_credentials: jsonList(r[13]),
    };
  }

  private namesOf(ip: string, fromFacts: ReadonlyMap<string, Set<string>>): readonly string[] {
    const stored = this.nameCache.get(ip) ?? NONE;
    const sni = fromFacts.get(ip);
    if (sni === undefined) return stored;
    const out = new Set(sni);
    for (const n of stored) out.add(n);
    return [...out];
  }
}

/** One edge row as selected (raw: the columns of EDGE_COLUMNS in order). */
type EdgeRow = [client_device_id: number, server_device_id: number, server_ip: string, proto: number, server_port: number, flows: number,
  packets: number, bytes: number, first_us: number, last_us: number, app_proto: string | null, encrypted: number | null, phi_kinds: string | null,
  cleartext_credentials: string | null];

/** A JSON array of strings from an optional column; none when absent or malformed. */
function jsonList(s: string | null): readonly string[] {
  if (s === null || s === '') return NONE;
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

/** A stored finding as the writer compares it. */
interface StoredFinding {
  id: number;
  kind: string;
  subject: string;
  status: string;
}

/** Writes the findings of one device (the caller holds the transaction). */
export class FindingsWriter {
  private readonly existing: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly resolve: Database.Statement;
  readonly counts: WriteCounts = { inserted: 0, updated: 0, reopened: 0, resolved: 0 };

  constructor(db: Database.Database, private readonly assessedAt: string) {
    this.existing = db.prepare('SELECT device_id, id, kind, subject, status FROM findings WHERE device_id >= ? AND device_id < ?');
    this.upsert = db.prepare(`INSERT INTO findings (device_id, kind, subject, class, severity, title, evidence, first_us, last_us, status, assessed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
      ON CONFLICT (device_id, kind, subject) DO UPDATE SET class = excluded.class, severity = excluded.severity, title = excluded.title,
        evidence = excluded.evidence, first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us),
        status = 'open', assessed_at = excluded.assessed_at`);
    this.resolve = db.prepare("UPDATE findings SET status = 'resolved', assessed_at = ? WHERE id = ?");
  }

  /** Stored findings of the device ids in [lo, lo + DEVICE_PAGE), read at once (devices are written in id order). */
  private window = { lo: 0, hi: 0, rows: new Map<number, StoredFinding[]>() };

  /** The stored findings of a device, by kind and subject; undefined when it has none (e.g. every device of a new database). */
  private existingOf(deviceId: number): Map<string, StoredFinding> | undefined {
    if (deviceId < this.window.lo || deviceId >= this.window.hi) {
      const rows = new Map<number, StoredFinding[]>();
      for (const r of this.existing.iterate(deviceId, deviceId + DEVICE_PAGE) as IterableIterator<StoredFinding & { device_id: number }>) {
        appendTo(rows, r.device_id, { id: r.id, kind: r.kind, subject: r.subject, status: r.status });
      }
      this.window = { lo: deviceId, hi: deviceId + DEVICE_PAGE, rows };
    }
    const stored = this.window.rows.get(deviceId);
    return stored === undefined ? undefined : new Map(stored.map((r) => [`${r.kind}\u0000${r.subject}`, r]));
  }

  /** Replaces the open findings of `deviceId` with `drafts`: new inserted, found again updated, gone resolved. */
  write(deviceId: number, drafts: readonly FindingDraft[]): void {
    const before = this.existingOf(deviceId); // undefined: nothing stored, every draft is new (no key text to make)
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i]!;
      let old: StoredFinding | undefined;
      if (before !== undefined) {
        const k = `${d.kind}\u0000${d.subject}`;
        old = before.get(k);
        before.delete(k);
      }
      if (!old) this.counts.inserted++;
      else if (old.status === 'resolved') this.counts.reopened++;
      else this.counts.updated++;
      this.upsert.run(deviceId, d.kind, d.subject, FINDING_CLASS[d.kind], d.severity, d.title, JSON.stringify(d.evidence), d.first_us, d.last_us,
        this.assessedAt);
    }
    if (before === undefined) return;
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
