/**
 * Asset register data in the inventory (migration 3): stores imported rows with their provenance (file, line,
 * import run), reconciles every asset with the discovered devices (reconcile.ts) and writes the asset's
 * descriptive values as device attributes with source `asset_register` and evidence `file:line` — beside the
 * values traffic produced, never over them. Reconciliation is recomputed as a whole (after an import, and before
 * listing), so it follows new ingests and re-importing an unchanged file changes nothing. Given the knowledge base,
 * the devices whose register attributes may have changed are identified again, so their winning vendor / model /
 * category weigh the register's claims (source `asset_register`) with everything else, with the evidence trail.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SqliteStore } from '../inventory/sqlite-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { classifyDevices } from '../identify/classify.js';
import { macToString } from '../decode/address.js';
import { ASSET_FIELDS, type AssetField, type AssetValues } from './asset-fields.js';
import type { AssetFileContent, AssetRowError } from './asset-file.js';
import { addSeen, type Conflict, type DeviceIndex, emptyIndex, MATCH_BASES, type MatchBasis, reconcileAsset } from './reconcile.js';

/** Attribute source of values taken from an asset register. */
export const ASSET_SOURCE = 'asset_register';

/**
 * Confidence of an attribute taken from the register: kept by people who know the device, but often stale (a
 * moved device, a replaced unit), so below what the device says about itself on the wire.
 */
export const ASSET_ATTRIBUTE_CONFIDENCE = 0.7;

/** Device attribute name of each descriptive asset field (identifiers MAC and IP are compared, not copied). */
const ATTRIBUTE_OF: Partial<Record<AssetField, string>> = {
  asset_tag: 'asset_tag', serial: 'serial_number', udi: 'udi', hostname: 'hostname', vendor: 'vendor', model: 'model',
  device_type: 'device_type', department: 'department', room: 'room', site: 'site', owner: 'owner', managed_by: 'managed_by',
  security_access: 'security_team_access', backup: 'backup', fda_class: 'fda_class', clinical_criticality: 'clinical_criticality',
};

/** Summary of one import, as printed by `medtap import assets`. */
export interface ImportSummary {
  file: string;
  import_id: number;
  records: number;
  imported: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: (AssetRowError & { where: string })[];
  ignored_columns: string[];
  matched: Record<MatchBasis, number>;
  unmatched_assets: number;
  devices_missing_from_register: number;
  /** Devices identified again because their register attributes may have changed (0 without a knowledge base). */
  devices_reidentified: number;
}

/** An asset as listed by `medtap assets`. */
export interface AssetRecord {
  id: number;
  key: string;
  fields: AssetValues;
  file: string;
  line: number;
  import_id: number;
  match: { device_id: number; device_key: string; basis: MatchBasis; confidence: number; evidence: string; conflicts: Conflict[] } | null;
}

/** A discovered device no register row matched. */
export interface UnregisteredDevice {
  id: number;
  key: string;
  macs: string[];
  ips: string[];
  hostname: string | null;
  vendor: string | null;
  category: string | null;
}

/**
 * Stores the good rows of a read file (add, update when changed, keep when unchanged), then reconciles (and, given
 * `kb`, identifies the affected devices again), all in one transaction.
 */
export function importAssets(store: SqliteStore, file: string, text: string, content: AssetFileContent, kb: KnowledgeBase | null): ImportSummary {
  const db = store.db;
  return db.transaction((): ImportSummary => {
    const errors = content.errors.map((e) => ({ ...e, where: `${file}:${e.line}` }));
    const importId = Number(db.prepare(`INSERT INTO asset_imports (file, sha256, imported_at, records, added, updated, unchanged, errors)
      VALUES (?, ?, ?, ?, 0, 0, 0, ?)`).run(file, createHash('sha256').update(text).digest('hex'), new Date().toISOString(), content.records,
      JSON.stringify(errors)).lastInsertRowid);
    const find = db.prepare('SELECT id, row_hash FROM assets WHERE asset_key = ?');
    const insert = db.prepare('INSERT INTO assets (asset_key, fields, row_hash, file, line, import_id) VALUES (?, ?, ?, ?, ?, ?)');
    const update = db.prepare('UPDATE assets SET fields = ?, row_hash = ?, file = ?, line = ?, import_id = ? WHERE id = ?');
    const n = { added: 0, updated: 0, unchanged: 0 };
    for (const r of content.rows) {
      const fields = JSON.stringify(r.values, ASSET_FIELDS.filter((f) => r.values[f] !== undefined));
      const hash = createHash('sha256').update(fields).digest('hex');
      const old = find.get(r.key) as { id: number; row_hash: string } | undefined;
      if (old === undefined) {
        insert.run(r.key, fields, hash, file, r.line, importId);
        n.added++;
      } else if (old.row_hash !== hash) {
        update.run(fields, hash, file, r.line, importId, old.id);
        n.updated++;
      } else {
        n.unchanged++;
      }
    }
    db.prepare('UPDATE asset_imports SET added = ?, updated = ?, unchanged = ? WHERE id = ?').run(n.added, n.updated, n.unchanged, importId);
    const rec = reconcileAll(store, kb);
    return { file, import_id: importId, records: content.records, imported: content.rows.length, ...n, errors, ignored_columns: content.ignored_columns,
      ...rec };
  })();
}

/**
 * Recomputes every asset ↔ device match and the `asset_register` attributes; given `kb`, identifies again every
 * device matched before or after. Returns the counts.
 */
export function reconcileAll(store: SqliteStore, kb: KnowledgeBase | null):
  Pick<ImportSummary, 'matched' | 'unmatched_assets' | 'devices_missing_from_register' | 'devices_reidentified'> {
  const db = store.db;
  const idx = buildDeviceIndex(db);
  const affected = new Set((db.prepare('SELECT DISTINCT device_id FROM asset_matches').all() as { device_id: number }[]).map((r) => r.device_id));
  db.prepare('DELETE FROM asset_matches').run();
  db.prepare('DELETE FROM attributes WHERE source = ?').run(ASSET_SOURCE);
  const assets = db.prepare(`SELECT a.id, a.fields, a.file, a.line, i.imported_at FROM assets a JOIN asset_imports i ON i.id = a.import_id ORDER BY a.id`)
    .all() as { id: number; fields: string; file: string; line: number; imported_at: string }[];
  const ins = db.prepare('INSERT INTO asset_matches (asset_id, device_id, basis, confidence, evidence, conflicts) VALUES (?, ?, ?, ?, ?, ?)');
  const matched = Object.fromEntries(MATCH_BASES.map((b) => [b, 0])) as Record<MatchBasis, number>;
  let unmatched = 0;
  for (const a of assets) {
    const values = JSON.parse(a.fields) as AssetValues;
    const m = reconcileAsset(values, idx);
    if (m === null) {
      unmatched++;
      continue;
    }
    matched[m.basis]++;
    affected.add(m.deviceId);
    ins.run(a.id, m.deviceId, m.basis, m.confidence, m.evidence, JSON.stringify(m.conflicts));
    // The time of the import that last changed the row: re-importing it unchanged rewrites identical attributes.
    const us = Date.parse(a.imported_at) * 1000;
    for (const f of ASSET_FIELDS) {
      const name = ATTRIBUTE_OF[f];
      const v = values[f];
      if (name !== undefined && v !== undefined) {
        store.upsertAttribute(m.deviceId, name, v, ASSET_SOURCE, ASSET_ATTRIBUTE_CONFIDENCE, `${a.file}:${a.line} (${m.basis} match)`, us, us);
      }
    }
  }
  const reidentified = kb === null ? 0 : classifyDevices(store, kb, [...affected].sort((a, b) => a - b)).devices;
  return { matched, unmatched_assets: unmatched, devices_missing_from_register: unregisteredDevices(db).length, devices_reidentified: reidentified };
}

/** Builds the matching index from the inventory (values from the register itself are left out). */
export function buildDeviceIndex(db: Database.Database): DeviceIndex {
  const idx = emptyIndex();
  for (const r of db.prepare('SELECT device_id, mac, first_us, last_us FROM device_macs').all() as { device_id: number; mac: number; first_us: number; last_us: number }[]) {
    const mac = macToString(r.mac);
    addSeen(idx.mac, mac, { deviceId: r.device_id, value: mac, source: 'traffic', first: r.first_us, last: r.last_us });
  }
  for (const r of db.prepare('SELECT device_id, ip, source, first_us, last_us FROM device_ips').all() as { device_id: number; ip: string; source: string; first_us: number; last_us: number }[]) {
    addSeen(idx.ip, r.ip.toLowerCase(), { deviceId: r.device_id, value: r.ip, source: r.source, first: r.first_us, last: r.last_us });
  }
  const facts = db.prepare(`SELECT device_id, name, value, source, first_us, last_us FROM attributes WHERE source NOT IN (?, 'kb')
    AND (name = 'hostname' OR name LIKE '%serial%' OR name LIKE '%udi%')`).all(ASSET_SOURCE) as
    { device_id: number; name: string; value: string; source: string; first_us: number; last_us: number }[];
  for (const f of facts) {
    const s = { deviceId: f.device_id, value: f.value, source: `${f.source} ${f.name}`, first: f.first_us, last: f.last_us };
    if (f.name === 'hostname') {
      const h = f.value.toLowerCase().replace(/\.$/, '');
      addSeen(idx.hostname, h, s);
      addSeen(idx.hostShort, h.split('.')[0]!, s);
    } else if (/(^|_)udi($|_)/.test(f.name)) {
      addSeen(idx.udi, f.value.trim().toUpperCase(), s);
    } else if (/serial/.test(f.name)) {
      addSeen(idx.serial, f.value.trim().toUpperCase(), s);
    }
  }
  const described = db.prepare(`SELECT device_id, name, value FROM attributes WHERE name IN ('vendor', 'model') AND source NOT IN (?, 'kb')
    UNION SELECT device_id, name, value FROM attribute_evidence WHERE name IN ('vendor', 'model') AND fact_source <> ?`).all(ASSET_SOURCE, ASSET_SOURCE) as
    { device_id: number; name: 'vendor' | 'model'; value: string }[];
  for (const r of described) {
    let d = idx.described.get(r.device_id);
    if (d === undefined) idx.described.set(r.device_id, d = { vendor: new Set(), model: new Set() });
    d[r.name].add(r.value);
  }
  return idx;
}

/** Every asset with its match (or only those never seen on the network). */
export function listAssets(db: Database.Database, opts: { unmatchedOnly?: boolean; deviceId?: number } = {}): AssetRecord[] {
  const where = opts.deviceId !== undefined ? 'WHERE m.device_id = ?' : opts.unmatchedOnly ? 'WHERE m.asset_id IS NULL' : '';
  const rows = db.prepare(`SELECT a.id, a.asset_key, a.fields, a.file, a.line, a.import_id, m.device_id, d.key AS device_key, m.basis,
    m.confidence, m.evidence, m.conflicts FROM assets a LEFT JOIN asset_matches m ON m.asset_id = a.id LEFT JOIN devices d ON d.id = m.device_id
    ${where} ORDER BY a.id`).all(...(opts.deviceId !== undefined ? [opts.deviceId] : [])) as {
    id: number; asset_key: string; fields: string; file: string; line: number; import_id: number; device_id: number | null; device_key: string | null;
    basis: MatchBasis | null; confidence: number | null; evidence: string | null; conflicts: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id, key: r.asset_key, fields: JSON.parse(r.fields) as AssetValues, file: r.file, line: r.line, import_id: r.import_id,
    match: r.device_id === null ? null : { device_id: r.device_id, device_key: r.device_key ?? '?', basis: r.basis!, confidence: r.confidence!,
      evidence: r.evidence!, conflicts: JSON.parse(r.conflicts!) as Conflict[] },
  }));
}

/**
 * Discovered devices no asset matched. Devices keyed by IP (hosts behind a router, internet peers) are left out:
 * they are not on the monitored LAN, so a register is not expected to hold them.
 */
export function unregisteredDevices(db: Database.Database): UnregisteredDevice[] {
  const rows = db.prepare(`SELECT d.id, d.key, d.vendor, d.category,
      (SELECT GROUP_CONCAT(mac) FROM (SELECT mac FROM device_macs WHERE device_id = d.id ORDER BY first_us)) AS macs,
      (SELECT GROUP_CONCAT(ip) FROM (SELECT DISTINCT ip FROM device_ips WHERE device_id = d.id ORDER BY ip)) AS ips,
      (SELECT value FROM attributes WHERE device_id = d.id AND name = 'hostname' ORDER BY confidence DESC, last_us DESC LIMIT 1) AS hostname
    FROM devices d WHERE d.key_kind = 'mac' AND NOT EXISTS (SELECT 1 FROM asset_matches m WHERE m.device_id = d.id) ORDER BY d.id`).all() as {
    id: number; key: string; vendor: string | null; category: string | null; macs: string | null; ips: string | null; hostname: string | null;
  }[];
  return rows.map((r) => ({ id: r.id, key: r.key, macs: (r.macs ?? '').split(',').filter(Boolean).map((m) => macToString(Number(m))),
    ips: (r.ips ?? '').split(',').filter(Boolean), hostname: r.hostname, vendor: r.vendor, category: r.category }));
}
