// Purpose: write a synthetic inventory for the network-map benchmark straight into a SQLite store (schema by the
// store's migrations): devices on 100 VLANs with addresses, categories (about a quarter medical), host names for
// half of them, 5 % internet hosts keyed by IP with DNS names, and edges between them with application protocols,
// encryption, PHI kinds and cleartext credential kinds; then zones are learned and devices assigned as after an
// ingest. Deterministic (no randomness: every value derives from the row number). Prepared statements, one
// transaction per 50 000 rows.
// Usage (through bench/map-bench.ts): generateMapInventory(dbPath, { devices, edges })

import { SqliteStore } from '../src/inventory/sqlite-store.js';
import { DEVICE_CATEGORIES } from '../src/knowledge/vocabulary.js';
import { learnZones } from '../src/map/zones.js';

/** Sizes of the synthetic inventory. */
export interface MapInventorySize {
  devices: number;
  edges: number;
}

const VLANS = 100;
const ROWS_PER_TRANSACTION = 50_000;
/** (proto, port, app_proto, encrypted, phi kinds, credential kinds) of the edges, used in turn. */
const SERVICES: readonly [number, number, string, number | null, string, string][] = [
  [6, 443, 'tls', 1, '[]', '[]'],
  [6, 104, 'dicom', 0, '["dicom:patient_birth_date","dicom:patient_name"]', '[]'],
  [6, 2575, 'hl7', 0, '["hl7:PID:dob","hl7:PID:mrn","hl7:PID:name"]', '[]'],
  [17, 53, 'dns', 0, '[]', '[]'],
  [6, 80, 'http', 0, '[]', '["http-basic"]'],
  [6, 23, 'telnet', 0, '[]', '["telnet"]'],
  [6, 445, 'smb', null, '[]', '[]'],
  [6, 9100, '', null, '[]', '[]'],
  [17, 161, 'snmp', 0, '[]', '["snmp-community:public"]'],
  [6, 22, 'ssh', 1, '[]', '[]'],
];

/** The IP of synthetic device `i` (1-based): 5 % public internet hosts, the others private on their VLAN's /16. */
function deviceIp(i: number): string {
  if (i % 20 === 0) return `${23 + (i % 150)}.${(i >> 8) & 255}.${i & 255}.${(i >> 16) & 255 || 1}`;
  const vlan = (i % VLANS) + 1;
  return `10.${vlan}.${(i >> 8) & 255}.${i & 255}`;
}

/** Runs `fill(k)` for k in [0, n) in transactions of ROWS_PER_TRANSACTION. */
function inTransactions(store: SqliteStore, n: number, fill: (k: number) => void): void {
  for (let start = 0; start < n; start += ROWS_PER_TRANSACTION) {
    store.db.transaction(() => {
      for (let k = start; k < Math.min(n, start + ROWS_PER_TRANSACTION); k++) fill(k);
    })();
  }
}

/** Writes the synthetic inventory into a new store at `path` (the file must not exist). */
export function generateMapInventory(path: string, size: MapInventorySize): void {
  const store = new SqliteStore(path);
  const db = store.db;
  try {
    const dev = db.prepare('INSERT INTO devices (id, key, key_kind, behind_router, first_us, last_us, packets, bytes, vendor, model, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const ip = db.prepare("INSERT INTO device_ips (device_id, ip, ip_version, source, confidence, first_us, last_us) VALUES (?, ?, 4, 'traffic', 0.8, ?, ?)");
    const vlan = db.prepare('INSERT INTO device_vlans (device_id, vlan, first_us, last_us) VALUES (?, ?, ?, ?)');
    const host = db.prepare("INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us) VALUES (?, 'hostname', ?, 'dhcp', 0.9, NULL, ?, ?)");
    const name = db.prepare("INSERT INTO endpoint_names (ip, name, source, first_us, last_us) VALUES (?, ?, 'dns', ?, ?)");
    const t0 = 1_700_000_000_000_000;
    inTransactions(store, size.devices, (k) => {
      const i = k + 1;
      const a = deviceIp(i);
      const external = i % 20 === 0;
      const category = external ? null : DEVICE_CATEGORIES[i % DEVICE_CATEGORIES.length]!;
      dev.run(i, external ? `ip:${a}` : `mac:02:00:${((i >> 24) & 255).toString(16).padStart(2, '0')}:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
        external ? 'ip' : 'mac', external ? 1 : 0, t0, t0 + i, 100 + i, 10_000 + i, `Vendor${i % 97}`, `Model${i % 13}`, category);
      ip.run(i, a, t0, t0 + i);
      vlan.run(i, (i % VLANS) + 1, t0, t0 + i);
      if (i % 2 === 1 && !external) host.run(i, `host-${i}`, t0, t0 + i);
      if (external) name.run(a, `svc${i % 500}.vendor${i % 37}.example`, t0, t0 + i);
    });
    const edge = db.prepare(`INSERT INTO edges (client_device_id, server_device_id, server_ip, proto, server_port, app_proto, flows, connections, packets,
      bytes, first_us, last_us, encrypted, phi_kinds, cleartext_credentials) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const n = size.devices;
    inTransactions(store, size.edges, (e) => {
      const client = (e % n) + 1;
      const round = Math.floor(e / n);
      const server = ((client + round * 9973 + 1) % n) + 1; // distinct per (client, round) for round < n / 9973
      const [proto, port, app, enc, phi, creds] = SERVICES[(e + round) % SERVICES.length]!;
      edge.run(client, server, deviceIp(server), proto, port, app, 1 + (e % 7), 1 + (e % 7), 10 + (e % 100), 1000 + e, t0 + e, t0 + e + 1000, enc, phi, creds);
    });
    db.transaction(() => learnZones(db, []))();
  } finally {
    store.close();
  }
}
