/** Store write path tests: bulk writes with their secondary indexes built afterwards (withIndexesAfter). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FlowInsert, SqliteStore } from './sqlite-store.js';

/** The definitions of a table's secondary indexes, by name. */
const indexes = (store: SqliteStore, table: string): string[] =>
  (store.db.prepare("SELECT name || ': ' || sql AS d FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")
    .pluck().all(table) as string[]);

/** A flow row between two devices. */
const flow = (client: number, server: number, port: number): FlowInsert => [
  6, 4, null, null, '10.0.0.1', 40000 + port, '10.0.0.2', port, null, null, 1, 60, 1, 60, 1e6, 2e6, 'syn', 'established', 'fin', 0, null, null,
  client, server,
];

/** Runs `f` on a store in a fresh database inside a transaction. */
function withStore(f: (store: SqliteStore) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-store-'));
  const store = new SqliteStore(join(dir, 'db'));
  try {
    store.begin();
    f(store);
    store.commit();
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a bulk write into an empty table gets the same indexes back, and the by-device queries use them', () => {
  withStore((store) => {
    const before = indexes(store, 'flows');
    assert.equal(before.length, 2);
    let during: string[] = [];
    store.withIndexesAfter('flows', () => {
      during = indexes(store, 'flows');
      store.insertFlows(1, [flow(1, 2, 80), flow(3, 2, 443), flow(1, 3, 22)]);
    });
    assert.deepEqual(during, []);
    assert.deepEqual(indexes(store, 'flows'), before);
    assert.deepEqual(store.flows({ deviceId: 3 }).map((r) => r.server_port).sort(), [22, 443]);
    const plan = (store.db.prepare('EXPLAIN QUERY PLAN SELECT id FROM flows WHERE client_device_id = ? OR server_device_id = ?').all(3, 3) as
      { detail: string }[]).map((p) => p.detail).join('; ');
    assert.match(plan, /USING INDEX flows_client_device/);
    assert.match(plan, /USING INDEX flows_server_device/);
  });
});

test('a table that already holds rows keeps its indexes during a bulk write', () => {
  withStore((store) => {
    store.insertFlows(1, [flow(1, 2, 80)]);
    const before = indexes(store, 'flows');
    let during: string[] = [];
    store.withIndexesAfter('flows', () => {
      during = indexes(store, 'flows');
      store.insertFlows(2, [flow(4, 5, 53)]);
    });
    assert.deepEqual(during, before);
    assert.deepEqual(indexes(store, 'flows'), before);
    assert.equal(store.flows({ deviceId: 5 }).length, 1);
  });
});
