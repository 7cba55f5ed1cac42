/** Keeps the map benchmark's generator from rotting: a tiny inventory, exported and listed. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { generateMapInventory } from './make-map-inventory.js';
import { exportMap } from '../src/map/map-export.js';
import { listZones } from '../src/map/map-store.js';

test('the synthetic map inventory: devices, edges, zones; a full JSON export names every edge end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-map-gen-'));
  try {
    const path = join(dir, 'g.db');
    generateMapInventory(path, { devices: 400, edges: 2000 });
    const db = new Database(path);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM edges').get() as { n: number }).n, 2000);
    const zones = listZones(db);
    assert.equal(zones.filter((z) => z.source === 'vlan').length, 100);
    let text = '';
    const counts = exportMap(db, {}, 'json', (s) => { text += s; });
    const map = JSON.parse(text) as { nodes: { id: string }[]; edges: { source: string; target: string }[] };
    assert.deepEqual(counts, { nodes: 400, edges: 2000 });
    const ids = new Set(map.nodes.map((n) => n.id));
    for (const e of map.edges) assert.ok(ids.has(e.source) && ids.has(e.target));
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
