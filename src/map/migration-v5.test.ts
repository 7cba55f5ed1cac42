/** Migration 5 on an existing inventory: edges keep their counters and get an empty application protocol; new tables exist. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../inventory/migrations.js';
import { SqliteStore } from '../inventory/sqlite-store.js';
import { edgesOfDevice } from './map-store.js';

test('a version 4 database upgrades: edges preserved (app_proto none, connections = flows), map tables created', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-mig5-'));
  try {
    const path = join(dir, 'v4.db');
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00Z');
    }
    old.prepare(`INSERT INTO edges (client_device_id, server_device_id, server_ip, proto, server_port, flows, packets, bytes, first_us, last_us)
      VALUES (1, 2, '10.0.0.2', 6, 104, 3, 30, 3000, 1000000, 2000000)`).run();
    old.close();
    const store = new SqliteStore(path);
    assert.ok(store.schemaVersion() >= 5);
    const [e] = edgesOfDevice(store.db, 1);
    assert.deepEqual([e!.app_proto, e!.flows, e!.connections, e!.packets, e!.bytes, e!.encrypted, e!.phi_kinds], [null, 3, 3, 30, 3000, null, []]);
    // the same key with an application protocol is another edge; the same key again adds up
    store.upsertEdge(1, 2, '10.0.0.2', { proto: 6, serverPort: 104, appProto: 'dicom', flows: 1, connections: 1, packets: 5, bytes: 500, first: 3e6, last: 4e6,
      encrypted: 0, phiKinds: ['dicom:patient_name'], credentials: null });
    store.upsertEdge(1, 2, '10.0.0.2', { proto: 6, serverPort: 104, appProto: 'dicom', flows: 1, connections: 1, packets: 5, bytes: 500, first: 5e6, last: 6e6,
      encrypted: 1, phiKinds: ['dicom:patient_birth_date', 'dicom:patient_name'], credentials: ['dicom-user-identity'] });
    const dicom = edgesOfDevice(store.db, 1).find((x) => x.app_proto === 'dicom')!;
    assert.deepEqual([dicom.flows, dicom.bytes, dicom.encrypted, dicom.phi_kinds, dicom.cleartext_credentials],
      [2, 1000, false, ['dicom:patient_birth_date', 'dicom:patient_name'], ['dicom-user-identity']]);
    assert.equal(edgesOfDevice(store.db, 1).length, 2);
    for (const t of ['endpoint_names', 'zones', 'device_zones']) assert.ok(store.db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(t), t);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
