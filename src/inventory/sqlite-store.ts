/**
 * The inventory store on SQLite (better-sqlite3): schema migrations, the ingest write path (flows streamed as they
 * end, devices/edges merged at the end of an ingest, all inside one transaction) and the read queries behind the
 * CLI. Device records are assembled here in the documented output shape (schemas/device.schema.json).
 */
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import { type DeviceDraft, type EndpointEdge } from './endpoint-accumulator.js';
import { macToString } from '../decode/address.js';
import { synFromText } from '../flow/flow-table.js';
import type { Fact } from '../knowledge/knowledge-base.js';
import { isDerivedAttribute, isDeviceCategory, SINGLE_VALUED_ATTRIBUTES, type SingleValuedAttribute } from '../knowledge/vocabulary.js';
import { splitSoftware } from '../knowledge/software-version.js';
import { type ClinicalFields, clinicalFields } from './clinical-fields.js';
import { prepared } from './prepared.js';

/** Default database path (relative to the working directory). */
export const DEFAULT_DB_PATH = './medtap.db';

/** Resolves the database path: --db, then MEDTAP_DB, then ./medtap.db. */
export function resolveDbPath(flag?: string): string {
  return flag ?? process.env['MEDTAP_DB'] ?? DEFAULT_DB_PATH;
}

/** ISO-8601 UTC text of a microsecond timestamp (null stays null). */
export function isoFromUs(us: number | bigint | null | undefined): string | null {
  if (us === null || us === undefined) return null;
  const n = typeof us === 'bigint' ? Number(us) : us;
  return new Date(Math.floor(n / 1000)).toISOString();
}

/** Attribute with provenance, as stored. */
export interface AttributeRow {
  name: string;
  value: string;
  source: string;
  confidence: number;
  evidence: string | null;
  first_seen: string | null;
  last_seen: string | null;
}

/** Attribute source of the values the fingerprint knowledge base derives (src/identify/classify.ts). */
export const DERIVED_SOURCE = 'kb';

/** One software item of a device: `software` attribute values (`name/version`) split, the version normalised. */
export interface SoftwareRecord {
  name: string;
  /** Normalised version (see normalizeVersion), null when none was seen. */
  version: string | null;
  /** The version as seen. */
  version_raw: string | null;
  /** Source of the fact it was derived from (ssdp, dhcp, …), or of the attribute when stated directly. */
  source: string;
  confidence: number;
}

/** One step of a device's evidence trail: a claim for a derived attribute value. */
export interface EvidenceRecord {
  attribute: string;
  value: string;
  /** Confidence of this claim alone (the value's combined confidence is in `attributes`, source kb). */
  confidence: number;
  /** Source of the fact behind the claim (dhcp, mdns, oui, …). */
  source: string;
  /** The fact: its attribute name and value. */
  fact: string;
  fact_value: string;
  /** Rule (`file:line` in data/fingerprints/) that derived the value; null when the fact states it directly. */
  rule: string | null;
  /** Where the rule's knowledge comes from. */
  ref: string | null;
  /** Human-readable reason. */
  evidence: string | null;
  /** True when the value is the device's winning value for the attribute (always for software). */
  selected: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

/** A derived attribute value to store (source kb), with its combined confidence: a fact's fields, but no source. */
export type DerivedAttributeRow = Omit<Fact, 'source' | 'evidence'> & { evidence: string };

/** One claim of the evidence trail to store. */
export interface EvidenceRow {
  name: string;
  value: string;
  confidence: number;
  rule: string;
  ref: string;
  factSource: string;
  factName: string;
  factValue: string;
  first: number;
  last: number;
}

/** What a device's identification replaces (SqliteStore.priorIdentification). */
export interface PriorIdentification {
  withAttrs: ReadonlySet<number>;
  withTrail: ReadonlySet<number>;
  /** vendor, model, category, os, os_version per device id; a device absent has none (all null). */
  columns: ReadonlyMap<number, readonly (string | null)[]>;
}

/** The outcome of identifying one device, as stored. */
export interface StoredIdentification {
  attributes: DerivedAttributeRow[];
  evidence: EvidenceRow[];
  /** Winning value per device column. */
  columns: Record<SingleValuedAttribute, string | null>;
}

/** The device record printed by `medtap devices --json` (see schemas/device.schema.json). */
/** The identity part of a device record. */
export interface DeviceBase {
  id: number;
  key: string;
  key_kind: 'mac' | 'ip';
  macs: string[];
  ips: string[];
  vlans: number[];
  vendor: string | null;
  hostname: string | null;
  category: string | null;
  os: string | null;
  /** Winning OS version (a version of the winning os). */
  os_version: string | null;
  model: string | null;
  first_seen: string | null;
  last_seen: string | null;
  packets: number;
  bytes: number;
  is_router: boolean;
  behind_router: boolean;
  locally_administered: boolean;
  /** Every IP binding with its source and confidence (the `ips` list is their distinct addresses). */
  ip_bindings: IpBinding[];
  attributes: AttributeRow[];
  software: SoftwareRecord[];
  /** Every claim behind vendor, model, category, os, os_version and software values. */
  evidence: EvidenceRecord[];
}

/** A device record with its clinical fields (clinical-fields.ts), as printed by `medtap devices --json`. */
export type DeviceRecord = DeviceBase & ClinicalFields;

/** The flow record printed by `medtap flows --json` (see schemas/flow.schema.json). */
export interface FlowOutRecord {
  id: number;
  proto: string;
  proto_number: number;
  ip_version: number;
  vlan: number | null;
  inner_vlan: number | null;
  client_ip: string;
  client_port: number | null;
  server_ip: string;
  server_port: number | null;
  client_mac: string | null;
  server_mac: string | null;
  client_device_id: number | null;
  server_device_id: number | null;
  client_to_server_packets: number;
  client_to_server_bytes: number;
  server_to_client_packets: number;
  server_to_client_bytes: number;
  first_seen: string | null;
  last_seen: string | null;
  duration_s: number;
  client_basis: string;
  tcp_state: string | null;
  end_reason: string;
  tunnel_depth: number;
  client_syn: unknown;
  server_syn_ack: unknown;
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 89: 'ospf', 103: 'pim', 112: 'vrrp', 132: 'sctp' };

/** Lower-case protocol name for an IP protocol number (the number as text when unnamed). */
export function protoName(n: number): string {
  return PROTO_NAMES[n] ?? String(n);
}

/**
 * Columns of a flow row as inserted during ingest, in order (after capture_run). Rows travel as plain arrays in
 * this order: building a 24-field object per flow cost more than everything else done per ended flow.
 */
export const FLOW_INSERT_COLUMNS = [
  'proto', 'ip_version', 'vlan', 'inner_vlan', 'client_ip', 'client_port', 'server_ip', 'server_port', 'client_mac', 'server_mac',
  'client_to_server_packets', 'client_to_server_bytes', 'server_to_client_packets', 'server_to_client_bytes', 'first_us', 'last_us',
  'client_basis', 'tcp_state', 'end_reason', 'tunnel_depth', 'client_syn', 'server_syn_ack', 'client_device_id', 'server_device_id',
] as const;

/** A flow row: values in FLOW_INSERT_COLUMNS order (times in integer µs; unknown = null). */
export type FlowInsert = [
  proto: number, ip_version: number, vlan: number | null, inner_vlan: number | null, client_ip: string, client_port: number,
  server_ip: string, server_port: number, client_mac: number | null, server_mac: number | null, c2s_packets: number, c2s_bytes: number,
  s2c_packets: number, s2c_bytes: number, first_us: number, last_us: number, client_basis: string, tcp_state: string | null,
  end_reason: string, tunnel_depth: number, client_syn: string | null, server_syn_ack: string | null, client_device_id: number | null,
  server_device_id: number | null,
];
/** Index of client_device_id in a FlowInsert (server_device_id follows). */
export const FLOW_CLIENT_DEVICE_INDEX = 22;


/** The flow row INSERT: capture_run, then the FLOW_INSERT_COLUMNS. */
const FLOW_INSERT = `INSERT INTO flows (capture_run, ${FLOW_INSERT_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(FLOW_INSERT_COLUMNS.length)})`;

/**
 * Confidence of an IP ↔ device binding by its source: a DHCP server's ACK (DHCPv4) or Reply (DHCPv6, an IA_NA
 * address) assigning the address to the device's MAC; a host claiming the address in ARP; the address as IP source
 * with the device's MAC as Ethernet source; the address only seen as a destination behind the device's MAC.
 */
export const IP_BINDING_CONFIDENCE: Record<string, number> = { dhcp: 0.95, dhcpv6: 0.95, arp: 0.9, traffic: 0.8, traffic_destination: 0.5 };

/** One IP ↔ device binding with its provenance. */
export interface IpBinding {
  ip: string;
  source: string;
  confidence: number;
  first_seen: string | null;
  last_seen: string | null;
}

/** The counters and annotations of one ingest's edge, added to the stored edge of the same key. */
export type EdgeUpsert = Pick<EndpointEdge, 'proto' | 'serverPort' | 'appProto' | 'flows' | 'connections' | 'packets' | 'bytes' | 'first' | 'last'
  | 'encrypted' | 'phiKinds' | 'credentials'>;

/*
 * Bulk writes run one single-row statement per row with the values as arguments: on better-sqlite3 12 this measured
 * cheaper than multi-row INSERT … VALUES (…), (…) statements (their parameters had to be gathered into one array,
 * which the binding then reads element by element through the V8 API), e.g. the bench's edges ~610 M -> ~425 M
 * instructions.
 */

/** The attribute upsert: a repeated observation widens the span, keeps the highest confidence and the latest evidence. */
const ATTRIBUTE_UPSERT = `INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, name, value, source) DO UPDATE SET confidence = MAX(confidence, excluded.confidence),
  evidence = excluded.evidence, first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us)`;

/** The IP binding upsert: a known (device, ip, source) widens its span. */
const IP_UPSERT = `INSERT INTO device_ips (device_id, ip, ip_version, source, confidence, first_us, last_us) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (device_id, ip, source) DO UPDATE SET first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us)`;

/** A new device row (its id given: see mergeDevices). */
const DEVICE_INSERT = `INSERT INTO devices (id, key, key_kind, is_router, behind_router, locally_administered, first_us, last_us, packets, bytes)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A known device seen again: spans widen, counters add. */
const DEVICE_UPDATE = `UPDATE devices SET is_router = MAX(is_router, ?), behind_router = ?, first_us = MIN(first_us, ?),
  last_us = MAX(last_us, ?), packets = packets + ?, bytes = bytes + ? WHERE id = ?`;

/** The MAC upsert of a device. */
const MAC_UPSERT = `INSERT INTO device_macs (device_id, mac, first_us, last_us) VALUES (?, ?, ?, ?)
  ON CONFLICT (device_id, mac) DO UPDATE SET first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us)`;

/** The VLAN upsert of a device. */
const VLAN_UPSERT = `INSERT INTO device_vlans (device_id, vlan, first_us, last_us) VALUES (?, ?, ?, ?)
  ON CONFLICT (device_id, vlan) DO UPDATE SET first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us)`;

/** JSON array union of an edge's kind column with the incoming one (sorted, distinct). */
const kindsUnion = (col: string): string =>
  `(SELECT json_group_array(value) FROM (SELECT value FROM json_each(edges.${col}) UNION SELECT value FROM json_each(excluded.${col}) ORDER BY 1))`;

/** The edge upsert (see upsertEdge). */
const EDGE_UPSERT = `INSERT INTO edges (client_device_id, server_device_id, server_ip, proto, server_port, app_proto, flows, connections,
  packets, bytes, first_us, last_us, encrypted, phi_kinds, cleartext_credentials) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (client_device_id, server_device_id, server_ip, proto, server_port, app_proto) DO UPDATE SET
  flows = flows + excluded.flows, connections = connections + excluded.connections, packets = packets + excluded.packets,
  bytes = bytes + excluded.bytes, first_us = MIN(first_us, excluded.first_us), last_us = MAX(last_us, excluded.last_us),
  encrypted = CASE WHEN encrypted IS NULL THEN excluded.encrypted WHEN excluded.encrypted IS NULL THEN encrypted
    ELSE MIN(encrypted, excluded.encrypted) END,
  phi_kinds = ${kindsUnion('phi_kinds')}, cleartext_credentials = ${kindsUnion('cleartext_credentials')}`;

/** A kinds column value: the JSON array of the kinds, sorted ('[]' for none). */
function kindsJson(k: readonly string[] | null): string {
  return k === null || k.length === 0 ? '[]' : JSON.stringify([...k].sort());
}

/**
 * Page size of a database this store creates (SQLite's default is 4096). An ingest writes its pages to the WAL at
 * COMMIT and copies them into the database at the checkpoint, at a cost per page: 16 KiB pages make that ~4x fewer
 * pages for the same bytes (bench: COMMIT + checkpoint 0.14 -> 0.08 s CPU). An existing database keeps its page size.
 */
export const NEW_DATABASE_PAGE_SIZE = 16_384;

/** The winner columns of a device without any (PriorIdentification.columns). */
const NO_COLUMNS: readonly null[] = [null, null, null, null, null];

/** Handle on one SQLite inventory database. */
export class SqliteStore {
  readonly db: Database.Database;

  /** A prepared statement, prepared once per connection. */
  private stmt(sql: string): Database.Statement {
    return prepared(this.db, sql);
  }

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`); // no effect on an existing database
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('cache_size = -65536'); // 64 MiB: most of a run's writes stay in memory until COMMIT
    this.db.pragma('temp_store = MEMORY');
    this.migrate();
  }

  /** Applies pending migrations, each in its own transaction. */
  migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      })();
    }
  }

  /** Current schema version. */
  schemaVersion(): number {
    const r = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return r.v ?? 0;
  }

  close(): void {
    this.db.close();
  }

  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** Capture already ingested with this content hash, if any. */
  findCaptureBySha(sha256: string): { id: number; name: string; ingested_at: string } | undefined {
    return this.db.prepare('SELECT id, name, ingested_at FROM captures WHERE sha256 = ?').get(sha256) as
      { id: number; name: string; ingested_at: string } | undefined;
  }

  /** Captures whose quick key matches (size + head/tail hash): candidates for a full-hash duplicate check. */
  hasQuickKey(quickKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM captures WHERE quick_key = ? LIMIT 1').get(quickKey) !== undefined;
  }

  /** Opens an ingest run row; returns its id. */
  startRun(inputs: string[]): number {
    const r = this.db.prepare(`INSERT INTO ingest_runs (started_at, inputs, packets, bytes, flows, seconds, status, anomalies, stats)
      VALUES (?, ?, 0, 0, 0, 0, 'running', '{}', '{}')`).run(new Date().toISOString(), JSON.stringify(inputs));
    return Number(r.lastInsertRowid);
  }

  finishRun(id: number, v: { packets: number; bytes: number; flows: number; seconds: number; status: string; anomalies: object; stats: object }): void {
    this.db.prepare('UPDATE ingest_runs SET packets=?, bytes=?, flows=?, seconds=?, status=?, anomalies=?, stats=? WHERE id=?')
      .run(v.packets, v.bytes, v.flows, v.seconds, v.status, JSON.stringify(v.anomalies), JSON.stringify(v.stats), id);
  }

  addCapture(v: { name: string; sha256: string | null; quickKey: string | null; format: string | null; bytes: number; packets: number;
    firstUs: number | null; lastUs: number | null; runId: number; status: string; error: string | null }): void {
    this.db.prepare(`INSERT INTO captures (name, sha256, quick_key, format, bytes, packets, first_us, last_us, ingested_at, run_id, status, error)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(v.name, v.sha256, v.quickKey, v.format, v.bytes, v.packets,
      v.firstUs === null ? null : Math.round(v.firstUs), v.lastUs === null ? null : Math.round(v.lastUs), new Date().toISOString(),
      v.runId, v.status, v.error);
  }

  /**
   * Inserts ended flows (device ids, when not known yet, are filled by `linkFlowDevices` at the end of the run).
   * One statement per row with the row spread into arguments: better-sqlite3 reads arguments directly but an array
   * argument element by element through the V8 API (bench, 22.9 k flows: ~940 M instructions in 64-row INSERTs whose
   * parameters were copied into one array, ~800 M binding each row array, ~600 M spread).
   */
  insertFlows(run: number, rows: readonly FlowInsert[]): void {
    const st = this.stmt(FLOW_INSERT);
    for (let i = 0; i < rows.length; i++) st.run(run, ...rows[i]!);
  }

  /**
   * Runs `write`, a bulk write into `table`, with the table's secondary indexes built after it when the table holds no
   * row before: SQLite builds an index from its sorted keys at once for less than it costs to insert the same keys
   * row by row (bench, an ingest into a new database: flows 22.9 k rows, two device indexes, -8 ms; edges 14.7 k rows,
   * two indexes, -7 ms). The indexes are the same ones (their definitions read back from the schema), so every query
   * plan stays; a table that already holds rows keeps its indexes (rebuilding them would cost the whole table).
   */
  withIndexesAfter(table: 'flows' | 'edges', write: () => void): void {
    const db = this.db;
    const empty = db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined;
    const indexes = empty
      ? db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid").all(table) as
        { name: string; sql: string }[]
      : [];
    for (const i of indexes) db.exec(`DROP INDEX "${i.name.replaceAll('"', '""')}"`);
    write();
    for (const i of indexes) db.exec(i.sql);
  }

  /**
   * Merges this run's device drafts into the inventory (by device key): spans widen, counters add, addresses
   * and VLANs upsert. Returns the device id of each key.
   */
  mergeDevices(drafts: Iterable<DeviceDraft>): Map<string, number> {
    const db = this.db;
    const list = [...drafts];
    const stored = new Map<string, number>();
    for (const [key, id] of db.prepare('SELECT key, id FROM devices WHERE key IN (SELECT value FROM json_each(?))').raw()
      .all(JSON.stringify(list.map((d) => d.key))) as [string, number][]) stored.set(key, id);
    const ids = new Map<string, number>();
    // New devices get the ids SQLite would give them one by one (the largest id + 1).
    let next = Number((db.prepare('SELECT IFNULL(MAX(id), 0) AS m FROM devices').get() as { m: number }).m) + 1;
    const insert = this.stmt(DEVICE_INSERT);
    const r = Math.round;
    const updates: [DeviceDraft, number][] = [];
    for (const d of list) {
      const known = stored.get(d.key) ?? ids.get(d.key);
      if (known !== undefined) {
        updates.push([d, known]);
        ids.set(d.key, known);
        continue;
      }
      const id = next++;
      insert.run(id, d.key, d.keyKind, d.isRouter ? 1 : 0, d.behindRouter ? 1 : 0, d.locallyAdministered ? 1 : 0, r(d.first), r(d.last), d.packets, d.bytes);
      ids.set(d.key, id);
    }
    const update = this.stmt(DEVICE_UPDATE);
    for (const [d, id] of updates) update.run(d.isRouter ? 1 : 0, d.behindRouter ? 1 : 0, r(d.first), r(d.last), d.packets, d.bytes, id);
    const upMac = this.stmt(MAC_UPSERT);
    const upVlan = this.stmt(VLAN_UPSERT);
    // forEach rather than for…of over entries: this runs once per ingest, mostly unoptimised, where each entry's
    // [key, value] pair would be allocated
    for (const d of list) {
      const id = ids.get(d.key)!;
      d.macs.forEach((s, mac) => upMac.run(id, mac, r(s.first), r(s.last)));
      d.ips.forEach((e, ip) => e.sources.forEach((s, src) => this.upsertIpBinding(id, ip, e.version, src, s.first, s.last)));
      d.vlans.forEach((s, v) => upVlan.run(id, v, r(s.first), r(s.last)));
    }
    return ids;
  }

  /** Adds (or widens the time span of) an IP binding of a device. */
  upsertIpBinding(deviceId: number, ip: string, version: number, source: string, firstUs: number, lastUs: number): void {
    this.stmt(IP_UPSERT).run(deviceId, ip, version, source, IP_BINDING_CONFIDENCE[source] ?? 0.5, Math.round(firstUs), Math.round(lastUs));
  }

  /** Records an attribute observation; repeated observations widen its time span. */
  upsertAttribute(deviceId: number, name: string, value: string, source: string, confidence: number, evidence: string | null,
    firstUs: number, lastUs: number): void {
    this.stmt(ATTRIBUTE_UPSERT).run(deviceId, name, value, source, confidence, evidence, Math.round(firstUs), Math.round(lastUs));
  }

  /**
   * Records many attribute observations (device id and fact, in order) as `upsertAttribute` would one by one, but
   * with the observations of the same (device, name, value, source) combined in memory first, the way the upsert
   * combines them (highest confidence, the latest evidence, the widest span): one statement per distinct key (bench:
   * the TCP OS facts, 11.8 k observations of 7.4 k keys). The facts given are not modified.
   */
  upsertAttributeFacts(rows: readonly (readonly [deviceId: number, fact: Fact])[]): void {
    const ids: number[] = [];
    const facts: Fact[] = [];
    const copied: boolean[] = [];
    // per device, the positions of its distinct facts so far (a few: the TCP OS facts take a few dozen values at
    // most), compared field by field: no key text to build and hash per observation
    const ofDevice = new Map<number, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const id = rows[i]![0];
      const f = rows[i]![1];
      let mine = ofDevice.get(id);
      if (mine === undefined) ofDevice.set(id, (mine = []));
      let j = -1;
      for (let k = 0; k < mine.length && j < 0; k++) {
        const g = facts[mine[k]!]!;
        if (g.name === f.name && g.value === f.value && g.source === f.source) j = mine[k]!;
      }
      if (j < 0) {
        mine.push(ids.length);
        ids.push(id);
        facts.push(f);
        copied.push(false);
        continue;
      }
      let m = facts[j]!;
      if (!copied[j]) {
        facts[j] = m = { ...m };
        copied[j] = true;
      }
      m.confidence = Math.max(m.confidence, f.confidence);
      m.evidence = f.evidence;
      m.first = Math.min(m.first, f.first);
      m.last = Math.max(m.last, f.last);
    }
    for (let i = 0; i < ids.length; i++) {
      const f = facts[i]!;
      this.upsertAttribute(ids[i]!, f.name, f.value, f.source, f.confidence, f.evidence, f.first, f.last);
    }
  }

  /**
   * The raw facts named `names` of the devices `ids` in one query, grouped by device, each device's in (name, value,
   * source) order, but without their evidence text (null: identification does not read it). Devices
   * without such facts are absent from the map. (`+name`: one primary-key seek per device, the names tested on its
   * rows, rather than one seek per device and name.)
   */
  factsOfDevices(ids: readonly number[], names: readonly string[]): Map<number, Fact[]> {
    const out = new Map<number, Fact[]>();
    const rows = this.stmt(`SELECT device_id, name, value, source, confidence, first_us, last_us FROM attributes
      WHERE device_id IN (SELECT value FROM json_each(?)) AND source <> '${DERIVED_SOURCE}' AND +name IN (SELECT value FROM json_each(?))
      ORDER BY device_id, name, value, source`).raw().all(JSON.stringify(ids), JSON.stringify(names)) as [number, string, string, string, number, number, number][];
    let list: Fact[] = [];
    let at = -1;
    for (let i = 0; i < rows.length; i++) { // indexed: no iterator result per row in code that runs cold
      const r = rows[i]!;
      if (r[0] !== at) out.set((at = r[0]), (list = []));
      list.push({ source: r[3], name: r[1], value: r[2], confidence: r[4], evidence: null, first: r[5], last: r[6] });
    }
    return out;
  }

  /**
   * Stores the identification of many devices (identification is idempotent; `prior`: priorIdentification of at least
   * these devices): their prior derived attributes and evidence trails deleted in one statement per table (only where
   * some exist), the new rows and the changed winner columns written row by row.
   */
  replaceIdentifications(entries: readonly (readonly [deviceId: number, id: StoredIdentification])[], prior: PriorIdentification): void {
    const json = (want: ReadonlySet<number>): string => JSON.stringify(entries.filter(([d]) => want.has(d)).map(([d]) => d));
    const inIds = 'IN (SELECT value FROM json_each(?))';
    if (prior.withAttrs.size > 0) this.stmt(`DELETE FROM attributes WHERE device_id ${inIds} AND source = '${DERIVED_SOURCE}'`).run(json(prior.withAttrs));
    if (prior.withTrail.size > 0) this.stmt(`DELETE FROM attribute_evidence WHERE device_id ${inIds}`).run(json(prior.withTrail));
    const r = Math.round;
    // one statement per row with the values as arguments: cheaper in better-sqlite3 than multi-row statements
    const attr = this.stmt(`INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us)
      VALUES (?, ?, ?, '${DERIVED_SOURCE}', ?, ?, ?, ?)`);
    const ev = this.stmt(`INSERT OR REPLACE INTO attribute_evidence (device_id, name, value, confidence, rule, ref, fact_source, fact_name,
      fact_value, first_us, last_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const cols = this.stmt('UPDATE devices SET vendor = ?, model = ?, category = ?, os = ?, os_version = ? WHERE id = ?');
    for (let i = 0; i < entries.length; i++) { // indexed: no iterator result per row in code that runs cold
      const deviceId = entries[i]![0];
      const id = entries[i]![1];
      for (let j = 0; j < id.attributes.length; j++) {
        const a = id.attributes[j]!;
        attr.run(deviceId, a.name, a.value, a.confidence, a.evidence, r(a.first), r(a.last));
      }
      for (let j = 0; j < id.evidence.length; j++) {
        const e = id.evidence[j]!;
        ev.run(deviceId, e.name, e.value, e.confidence, e.rule, e.ref, e.factSource, e.factName, e.factValue, r(e.first), r(e.last));
      }
      const c = id.columns;
      const was = prior.columns.get(deviceId) ?? NO_COLUMNS;
      if (c.vendor !== was[0] || c.model !== was[1] || c.category !== was[2] || c.os !== was[3] || c.os_version !== was[4]) {
        cols.run(c.vendor, c.model, c.category, c.os, c.os_version, deviceId);
      }
    }
  }

  /**
   * What identification is about to replace for the devices `ids` (one query per table): the devices with derived
   * attributes, those with an evidence trail, and the winner columns of the devices that have any (the devices of a
   * new database have none: no row to read for them).
   */
  priorIdentification(ids: readonly number[]): PriorIdentification {
    const json = JSON.stringify(ids);
    const inIds = 'IN (SELECT value FROM json_each(?))';
    return {
      withAttrs: new Set(this.db.prepare(`SELECT DISTINCT device_id FROM attributes WHERE device_id ${inIds} AND source = '${DERIVED_SOURCE}'`)
        .pluck().all(json) as number[]),
      withTrail: new Set(this.db.prepare(`SELECT DISTINCT device_id FROM attribute_evidence WHERE device_id ${inIds}`).pluck().all(json) as number[]),
      columns: new Map((this.db.prepare(`SELECT id, vendor, model, category, os, os_version FROM devices WHERE id ${inIds}
        AND (vendor IS NOT NULL OR model IS NOT NULL OR category IS NOT NULL OR os IS NOT NULL OR os_version IS NOT NULL)`).raw().all(json) as
        [number, ...(string | null)[]][]).map((r) => [r[0], r.slice(1) as (string | null)[]])),
    };
  }

  /** Ids of every device, in id order. */
  deviceIds(): number[] {
    return (this.db.prepare('SELECT id FROM devices ORDER BY id').all() as { id: number }[]).map((d) => d.id);
  }

  /**
   * Adds an ingest's edge to the stored one of the same key (device ids 0 = no device, e.g. a multicast group;
   * app_proto '' = none recognised): counters add, spans widen, encryption combines (cleartext wins), PHI and
   * credential kinds unite (sorted).
   */
  upsertEdge(clientId: number, serverId: number, serverIp: string, e: EdgeUpsert): void {
    this.stmt(EDGE_UPSERT).run(clientId, serverId, serverIp, e.proto, e.serverPort, e.appProto, e.flows, e.connections, e.packets, e.bytes,
      Math.round(e.first), Math.round(e.last), e.encrypted, kindsJson(e.phiKinds), kindsJson(e.credentials));
  }

  /** Fills flows' device ids for a run from an endpoint → device mapping ((mac or -1, ip) → id). */
  linkFlowDevices(run: number, endpoints: Iterable<{ mac: number; ip: string; deviceId: number }>): void {
    const db = this.db;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS ep_map (mac INTEGER NOT NULL, ip TEXT NOT NULL, device_id INTEGER NOT NULL, PRIMARY KEY (ip, mac))');
    db.exec('DELETE FROM ep_map');
    const ins = db.prepare('INSERT OR REPLACE INTO ep_map (mac, ip, device_id) VALUES (?, ?, ?)');
    for (const e of endpoints) ins.run(e.mac, e.ip, e.deviceId);
    db.prepare(`UPDATE flows SET client_device_id = m.device_id FROM ep_map m
      WHERE flows.capture_run = ? AND m.ip = flows.client_ip AND m.mac = IFNULL(flows.client_mac, -1)`).run(run);
    db.prepare(`UPDATE flows SET server_device_id = m.device_id FROM ep_map m
      WHERE flows.capture_run = ? AND m.ip = flows.server_ip AND m.mac = IFNULL(flows.server_mac, -1)`).run(run);
    db.exec('DELETE FROM ep_map');
  }

  // ---------------------------------------------------------------- reads

  /** All devices (or one), assembled as output records, ordered by id. */
  devices(onlyId?: number): DeviceRecord[] {
    const db = this.db;
    const rows = (onlyId === undefined
      ? db.prepare('SELECT * FROM devices ORDER BY id').all()
      : db.prepare('SELECT * FROM devices WHERE id = ?').all(onlyId)) as ({
      id: number; key: string; key_kind: 'mac' | 'ip'; is_router: number; behind_router: number; locally_administered: number;
      first_us: number; last_us: number; packets: number; bytes: number;
    } & Record<SingleValuedAttribute, string | null>)[];
    const where = onlyId === undefined ? '' : ' WHERE device_id = ?';
    const args = onlyId === undefined ? [] : [onlyId];
    const group = <T extends { device_id: number }>(list: T[]): Map<number, T[]> => {
      const m = new Map<number, T[]>();
      for (const r of list) {
        const a = m.get(r.device_id);
        if (a) a.push(r);
        else m.set(r.device_id, [r]);
      }
      return m;
    };
    const macs = group(db.prepare(`SELECT device_id, mac FROM device_macs${where} ORDER BY first_us`).all(...args) as { device_id: number; mac: number }[]);
    const ips = group(db.prepare(`SELECT device_id, ip, MIN(first_us) AS f FROM device_ips${where} GROUP BY device_id, ip ORDER BY f, ip`).all(...args) as { device_id: number; ip: string }[]);
    const bindings = group(db.prepare(`SELECT device_id, ip, source, confidence, first_us, last_us FROM device_ips${where} ORDER BY first_us, ip, source`)
      .all(...args) as { device_id: number; ip: string; source: string; confidence: number; first_us: number; last_us: number }[]);
    const vlans = group(db.prepare(`SELECT device_id, vlan FROM device_vlans${where} ORDER BY vlan`).all(...args) as { device_id: number; vlan: number }[]);
    const attrs = group(db.prepare(`SELECT device_id, name, value, source, confidence, evidence, first_us, last_us FROM attributes${where}
      ORDER BY name, confidence DESC, last_us DESC`).all(...args) as ({ device_id: number; first_us: number; last_us: number } & Omit<AttributeRow, 'first_seen' | 'last_seen'>)[]);
    const trail = group(db.prepare(`SELECT * FROM attribute_evidence${where} ORDER BY name, value, confidence DESC, rule, fact_source, fact_value`)
      .all(...args) as EvidenceTableRow[]);
    return rows.map((d) => {
      const a = (attrs.get(d.id) ?? []).map((x) => ({ name: x.name, value: x.value, source: x.source, confidence: x.confidence,
        evidence: x.evidence, first_seen: isoFromUs(x.first_us), last_seen: isoFromUs(x.last_us) }));
      const best = (name: string): string | null => a.find((x) => x.name === name)?.value ?? null;
      // Winner columns are set by identification; a device not identified yet shows its best attribute.
      const col = (name: SingleValuedAttribute): string | null => {
        const v = d[name] ?? best(name);
        return name === 'category' && v !== null && !isDeviceCategory(v) ? null : v;
      };
      const evidence = evidenceRecords(a, trail.get(d.id) ?? [], col);
      const category = col('category');
      return {
        id: d.id,
        key: d.key,
        key_kind: d.key_kind,
        macs: (macs.get(d.id) ?? []).map((m) => macToString(m.mac)),
        ips: (ips.get(d.id) ?? []).map((i) => i.ip),
        vlans: (vlans.get(d.id) ?? []).map((v) => v.vlan),
        vendor: col('vendor'),
        hostname: best('hostname'),
        category,
        os: col('os'),
        os_version: col('os_version'),
        model: col('model'),
        first_seen: isoFromUs(d.first_us),
        last_seen: isoFromUs(d.last_us),
        packets: d.packets,
        bytes: d.bytes,
        is_router: d.is_router === 1,
        behind_router: d.behind_router === 1,
        locally_administered: d.locally_administered === 1,
        ip_bindings: (bindings.get(d.id) ?? []).map((b) => ({ ip: b.ip, source: b.source, confidence: b.confidence,
          first_seen: isoFromUs(b.first_us), last_seen: isoFromUs(b.last_us) })),
        attributes: a,
        software: softwareRecords(a, evidence),
        evidence,
        ...clinicalFields(category, a),
      };
    });
  }

  /** Flows, newest run first then by start time; optional limit and device filter. */
  flows(opts: { limit?: number; deviceId?: number } = {}): FlowOutRecord[] {
    const cond = opts.deviceId === undefined ? '' : 'WHERE client_device_id = @d OR server_device_id = @d';
    const lim = opts.limit === undefined ? '' : 'LIMIT @limit';
    const rows = this.db.prepare(`SELECT * FROM flows ${cond} ORDER BY first_us, id ${lim}`).all({
      ...(opts.deviceId === undefined ? {} : { d: opts.deviceId }), ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    }) as Record<string, unknown>[];
    return rows.map((r) => flowRowToRecord(r));
  }

  /** Totals for `medtap stats`. */
  stats(): Record<string, unknown> {
    const one = (sql: string): number => Number((this.db.prepare(sql).get() as { n: number | null }).n ?? 0);
    const runs = this.db.prepare('SELECT anomalies FROM ingest_runs').all() as { anomalies: string }[];
    const anomalies: Record<string, number> = {};
    for (const r of runs) for (const [k, v] of Object.entries(JSON.parse(r.anomalies) as Record<string, number>)) anomalies[k] = (anomalies[k] ?? 0) + v;
    const span = this.db.prepare('SELECT MIN(first_us) AS f, MAX(last_us) AS l FROM captures').get() as { f: number | null; l: number | null };
    return {
      database: this.path,
      schema_version: this.schemaVersion(),
      captures: one('SELECT COUNT(*) AS n FROM captures'),
      ingest_runs: one('SELECT COUNT(*) AS n FROM ingest_runs'),
      packets: one('SELECT SUM(packets) AS n FROM captures'),
      bytes: one('SELECT SUM(bytes) AS n FROM captures'),
      flows: one('SELECT COUNT(*) AS n FROM flows'),
      edges: one('SELECT COUNT(*) AS n FROM edges'),
      devices: one('SELECT COUNT(*) AS n FROM devices'),
      devices_by_mac: one("SELECT COUNT(*) AS n FROM devices WHERE key_kind = 'mac'"),
      devices_by_ip: one("SELECT COUNT(*) AS n FROM devices WHERE key_kind = 'ip'"),
      routers: one('SELECT COUNT(*) AS n FROM devices WHERE is_router = 1'),
      locally_administered_macs: one('SELECT COUNT(*) AS n FROM devices WHERE locally_administered = 1'),
      vlans: one('SELECT COUNT(DISTINCT vlan) AS n FROM device_vlans'),
      zones: one('SELECT COUNT(*) AS n FROM zones'),
      named_addresses: one('SELECT COUNT(DISTINCT ip) AS n FROM endpoint_names'),
      first_seen: isoFromUs(span.f),
      last_seen: isoFromUs(span.l),
      anomalies,
    };
  }
}

/** A row of the attribute_evidence table. */
interface EvidenceTableRow {
  device_id: number;
  name: string;
  value: string;
  confidence: number;
  rule: string;
  ref: string;
  fact_source: string;
  fact_name: string;
  fact_value: string;
  first_us: number;
  last_us: number;
}

/** The evidence trail: rule-derived claims, then the facts that state a derived attribute directly (e.g. oui vendor). */
function evidenceRecords(attrs: readonly AttributeRow[], trail: readonly EvidenceTableRow[], winner: (name: SingleValuedAttribute) => string | null): EvidenceRecord[] {
  const selected = (name: string, value: string): boolean =>
    name === 'software' || (SINGLE_VALUED_ATTRIBUTES as readonly string[]).includes(name) && winner(name as SingleValuedAttribute) === value;
  const out: EvidenceRecord[] = trail.map((t) => ({
    attribute: t.name, value: t.value, confidence: t.confidence, source: t.fact_source, fact: t.fact_name, fact_value: t.fact_value,
    rule: t.rule, ref: t.ref, evidence: `rule ${t.rule} matched ${t.fact_source} ${t.fact_name} ${JSON.stringify(t.fact_value)}`,
    selected: selected(t.name, t.value), first_seen: isoFromUs(t.first_us), last_seen: isoFromUs(t.last_us),
  }));
  for (const a of attrs) {
    if (a.source === DERIVED_SOURCE || !isDerivedAttribute(a.name)) continue;
    out.push({ attribute: a.name, value: a.value, confidence: a.confidence, source: a.source, fact: a.name, fact_value: a.value, rule: null,
      ref: null, evidence: a.evidence, selected: selected(a.name, a.value), first_seen: a.first_seen, last_seen: a.last_seen });
  }
  return out;
}

/** Software of a device: every `software` attribute value, split; derived ones name the source of their strongest fact. */
function softwareRecords(attrs: readonly AttributeRow[], evidence: readonly EvidenceRecord[]): SoftwareRecord[] {
  const out: SoftwareRecord[] = [];
  for (const a of attrs) {
    if (a.name !== 'software') continue;
    const from = a.source === DERIVED_SOURCE
      ? evidence.filter((e) => e.attribute === 'software' && e.value === a.value && e.rule !== null).sort((x, y) => y.confidence - x.confidence)[0]?.source
      : a.source;
    if (a.source === DERIVED_SOURCE || !attrs.some((b) => b.source === DERIVED_SOURCE && b.name === 'software' && b.value === a.value)) {
      out.push({ ...splitSoftware(a.value), source: from ?? a.source, confidence: a.confidence });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name) || (x.version_raw ?? '').localeCompare(y.version_raw ?? ''));
}

/** Converts a flows row into the output record. */
export function flowRowToRecord(r: Record<string, unknown>): FlowOutRecord {
  const n = (k: string): number => Number(r[k]);
  const proto = n('proto');
  const hasPorts = proto === 6 || proto === 17 || proto === 132;
  const mac = (k: string): string | null => (r[k] === null ? null : macToString(Number(r[k])));
  const dev = (k: string): number | null => (r[k] === null || r[k] === 0 ? null : Number(r[k]));
  const json = (k: string): unknown => (r[k] === null ? null : synFromText(String(r[k])));
  return {
    id: n('id'),
    proto: protoName(proto),
    proto_number: proto,
    ip_version: n('ip_version'),
    vlan: r['vlan'] === null ? null : n('vlan'),
    inner_vlan: r['inner_vlan'] === null ? null : n('inner_vlan'),
    client_ip: String(r['client_ip']),
    client_port: hasPorts ? n('client_port') : null,
    server_ip: String(r['server_ip']),
    server_port: hasPorts ? n('server_port') : null,
    client_mac: mac('client_mac'),
    server_mac: mac('server_mac'),
    client_device_id: dev('client_device_id'),
    server_device_id: dev('server_device_id'),
    client_to_server_packets: n('client_to_server_packets'),
    client_to_server_bytes: n('client_to_server_bytes'),
    server_to_client_packets: n('server_to_client_packets'),
    server_to_client_bytes: n('server_to_client_bytes'),
    first_seen: isoFromUs(n('first_us')),
    last_seen: isoFromUs(n('last_us')),
    duration_s: Math.round(n('last_us') - n('first_us')) / 1e6,
    client_basis: String(r['client_basis']),
    tcp_state: r['tcp_state'] === null ? null : String(r['tcp_state']),
    end_reason: String(r['end_reason']),
    tunnel_depth: n('tunnel_depth'),
    client_syn: json('client_syn'),
    server_syn_ack: json('server_syn_ack'),
  };
}
