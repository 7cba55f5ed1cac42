/** Store write path tests: bulk writes with their secondary indexes built afterwards (withIndexesAfter). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FlowInsert, SqliteStore } from './sqlite-store.js';
import type { DeviceDraft } from './endpoint-accumulator.js';
import type { Fact } from '../knowledge/knowledge-base.js';

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

test('upsertAttributeFacts stores what upsertAttribute one observation at a time stores, and leaves the facts alone', () => {
  const obs = (value: string, confidence: number, evidence: string | null, first: number, last: number): Fact =>
    ({ source: 'tcp_fp', name: 'tcp_os', value, confidence, evidence, first, last });
  const rows: [number, Fact][] = [
    [1, obs('Linux', 0.5, 'a', 10.4, 20)], [2, obs('Linux', 0.6, 'b', 5, 6)], [1, obs('Windows', 0.4, 'c', 1, 2)],
    [1, obs('Linux', 0.7, null, 30, 40.6)], [1, obs('Linux', 0.3, 'd', 2, 8)], [2, { ...obs('Linux', 0.2, 'e', 1, 9), name: 'tcp_os_class' }],
    [2, obs('Linux', 0.6, 'f', 7, 7)],
  ];
  const copies = JSON.stringify(rows);
  const stored = (write: (store: SqliteStore) => void): unknown[] => {
    let out: unknown[] = [];
    withStore((store) => {
      store.mergeDevices([1, 2].map((i) => ({ key: `ip:10.0.0.${i}`, keyKind: 'ip', isRouter: false, behindRouter: false, locallyAdministered: false,
        first: 0, last: 0, packets: 0, bytes: 0, macs: new Map(), ips: new Map(), vlans: new Map() }) as unknown as DeviceDraft));
      store.upsertAttribute(1, 'tcp_os', 'Linux', 'tcp_fp', 0.65, 'earlier', 3, 50); // an earlier observation of one key
      write(store);
      out = store.db.prepare('SELECT * FROM attributes ORDER BY device_id, name, value, source').all();
    });
    return out;
  };
  const oneByOne = stored((s) => { for (const [id, f] of rows) s.upsertAttribute(id, f.name, f.value, f.source, f.confidence, f.evidence, f.first, f.last); });
  assert.equal(oneByOne.length, 4);
  assert.deepEqual(stored((s) => s.upsertAttributeFacts(rows)), oneByOne);
  assert.equal(JSON.stringify(rows), copies);
});
