/**
 * Versioned schema migrations for the inventory store. Append only: never edit a migration that has shipped;
 * add a new one. Times are integer microseconds since the Unix epoch (UTC); MACs are 48-bit integers.
 */

/** One schema step. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'discovery core: captures, devices with addresses and attributes, flows, edges',
    sql: `
CREATE TABLE captures (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT UNIQUE,
  quick_key TEXT,
  format TEXT,
  bytes INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  first_us INTEGER,
  last_us INTEGER,
  ingested_at TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT
);
CREATE INDEX captures_quick_key ON captures(quick_key);

CREATE TABLE ingest_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  inputs TEXT NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  flows INTEGER NOT NULL,
  seconds REAL NOT NULL,
  status TEXT NOT NULL,
  anomalies TEXT NOT NULL,
  stats TEXT NOT NULL
);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  key_kind TEXT NOT NULL CHECK (key_kind IN ('mac', 'ip')),
  is_router INTEGER NOT NULL DEFAULT 0,
  behind_router INTEGER NOT NULL DEFAULT 0,
  locally_administered INTEGER NOT NULL DEFAULT 0,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  packets INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE device_macs (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  mac INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (device_id, mac)
) WITHOUT ROWID;
CREATE INDEX device_macs_mac ON device_macs(mac);

CREATE TABLE device_ips (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  ip TEXT NOT NULL,
  ip_version INTEGER NOT NULL,
  source TEXT NOT NULL,
  confidence REAL NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (device_id, ip, source)
) WITHOUT ROWID;
CREATE INDEX device_ips_ip ON device_ips(ip);

CREATE TABLE device_vlans (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  vlan INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (device_id, vlan)
) WITHOUT ROWID;

CREATE TABLE attributes (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  source TEXT NOT NULL,
  confidence REAL NOT NULL,
  evidence TEXT,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (device_id, name, value, source)
) WITHOUT ROWID;

CREATE TABLE flows (
  id INTEGER PRIMARY KEY,
  capture_run INTEGER NOT NULL,
  proto INTEGER NOT NULL,
  ip_version INTEGER NOT NULL,
  vlan INTEGER,
  inner_vlan INTEGER,
  client_ip TEXT NOT NULL,
  client_port INTEGER NOT NULL,
  server_ip TEXT NOT NULL,
  server_port INTEGER NOT NULL,
  client_mac INTEGER,
  server_mac INTEGER,
  client_device_id INTEGER,
  server_device_id INTEGER,
  client_to_server_packets INTEGER NOT NULL,
  client_to_server_bytes INTEGER NOT NULL,
  server_to_client_packets INTEGER NOT NULL,
  server_to_client_bytes INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  client_basis TEXT NOT NULL,
  tcp_state TEXT,
  end_reason TEXT NOT NULL,
  tunnel_depth INTEGER NOT NULL DEFAULT 0,
  client_syn TEXT,
  server_syn_ack TEXT
);
CREATE INDEX flows_client_device ON flows(client_device_id);
CREATE INDEX flows_server_device ON flows(server_device_id);

CREATE TABLE edges (
  id INTEGER PRIMARY KEY,
  client_device_id INTEGER NOT NULL,
  server_device_id INTEGER NOT NULL,
  server_ip TEXT NOT NULL,
  proto INTEGER NOT NULL,
  server_port INTEGER NOT NULL,
  flows INTEGER NOT NULL,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  UNIQUE (client_device_id, server_device_id, server_ip, proto, server_port)
);
CREATE INDEX edges_server ON edges(server_device_id);
`,
  },
  {
    version: 2,
    name: 'identification: winning vendor/model/category/os/os_version per device, evidence trail of derived attributes',
    sql: `
ALTER TABLE devices ADD COLUMN vendor TEXT;
ALTER TABLE devices ADD COLUMN model TEXT;
ALTER TABLE devices ADD COLUMN category TEXT;
ALTER TABLE devices ADD COLUMN os TEXT;
ALTER TABLE devices ADD COLUMN os_version TEXT;

-- One row per (derived value, rule, fact): which fingerprint rule turned which fact into which attribute value.
-- Rewritten for a device each time it is identified (attributes with source 'kb' hold the combined values).
CREATE TABLE attribute_evidence (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence REAL NOT NULL,
  rule TEXT NOT NULL,
  ref TEXT NOT NULL,
  fact_source TEXT NOT NULL,
  fact_name TEXT NOT NULL,
  fact_value TEXT NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (device_id, name, value, rule, fact_source, fact_name, fact_value)
) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'clinical context: asset register imports, assets with provenance, asset <-> device matches with basis',
    sql: `
-- One row per \`medtap import assets\` run.
CREATE TABLE asset_imports (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  records INTEGER NOT NULL,
  added INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  errors TEXT NOT NULL
);

-- One row per asset (keyed by tag, else serial, UDI, MAC, host name, IP); file/line/import_id: the row it was last
-- read from (an unchanged row keeps its first provenance, so re-importing a file changes nothing).
CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  asset_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  row_hash TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  import_id INTEGER NOT NULL REFERENCES asset_imports(id)
);

-- The discovered device an asset was reconciled with, on which basis (mac, serial, udi, hostname, ip), how
-- confidently, why, and the register values that disagree with what was discovered (kept, not overwritten).
CREATE TABLE asset_matches (
  asset_id INTEGER PRIMARY KEY REFERENCES assets(id),
  device_id INTEGER NOT NULL REFERENCES devices(id),
  basis TEXT NOT NULL CHECK (basis IN ('mac', 'serial', 'udi', 'hostname', 'ip')),
  confidence REAL NOT NULL,
  evidence TEXT NOT NULL,
  conflicts TEXT NOT NULL
);
CREATE INDEX asset_matches_device ON asset_matches(device_id);
`,
  },
];
