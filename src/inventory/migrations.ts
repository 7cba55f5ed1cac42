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
  {
    version: 4,
    name: 'vulnerability feeds: NVD/CVE 5 records with CPE configurations, affected product ranges, KEV, CSAF advisories, CVSS vectors, provenance',
    sql: `
CREATE TABLE vuln_imports (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  inputs TEXT NOT NULL,
  seconds REAL NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  stats TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE vuln_files (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES vuln_imports(id),
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  feed_date TEXT,
  records INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  stale INTEGER NOT NULL DEFAULT 0,
  malformed INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

CREATE TABLE vulnerabilities (
  id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('nvd', 'cve5')),
  status TEXT,
  published TEXT,
  last_modified TEXT NOT NULL,
  description TEXT,
  cwes TEXT NOT NULL,
  cisa_exploit_add TEXT,
  file_id INTEGER NOT NULL REFERENCES vuln_files(id),
  record_index INTEGER NOT NULL,
  PRIMARY KEY (id, source)
) WITHOUT ROWID;

CREATE TABLE vuln_configurations (
  vuln_id TEXT NOT NULL,
  config_index INTEGER NOT NULL,
  operator TEXT NOT NULL CHECK (operator IN ('AND', 'OR')),
  negate INTEGER NOT NULL,
  PRIMARY KEY (vuln_id, config_index)
) WITHOUT ROWID;

CREATE TABLE vuln_config_nodes (
  vuln_id TEXT NOT NULL,
  config_index INTEGER NOT NULL,
  node_index INTEGER NOT NULL,
  operator TEXT NOT NULL CHECK (operator IN ('AND', 'OR')),
  negate INTEGER NOT NULL,
  PRIMARY KEY (vuln_id, config_index, node_index)
) WITHOUT ROWID;

CREATE TABLE vuln_cpe_matches (
  vuln_id TEXT NOT NULL,
  config_index INTEGER NOT NULL,
  node_index INTEGER NOT NULL,
  match_index INTEGER NOT NULL,
  vulnerable INTEGER NOT NULL,
  criteria TEXT NOT NULL,
  part TEXT,
  vendor TEXT,
  product TEXT,
  version_start_including TEXT,
  version_start_excluding TEXT,
  version_end_including TEXT,
  version_end_excluding TEXT,
  match_criteria_id TEXT,
  PRIMARY KEY (vuln_id, config_index, node_index, match_index)
) WITHOUT ROWID;
CREATE INDEX vuln_cpe_matches_product ON vuln_cpe_matches(vendor, product);

CREATE TABLE vuln_affected (
  vuln_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('cve5', 'csaf')),
  advisory_id TEXT NOT NULL DEFAULT '',
  seq INTEGER NOT NULL,
  product_ref TEXT NOT NULL,
  status TEXT NOT NULL,
  vendor TEXT,
  product TEXT,
  full_name TEXT,
  version_raw TEXT,
  less_than TEXT,
  less_than_or_equal TEXT,
  version_type TEXT,
  default_status TEXT,
  cpes TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (vuln_id, source, advisory_id, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_affected_advisory ON vuln_affected(advisory_id);

CREATE TABLE kev_entries (
  cve_id TEXT PRIMARY KEY,
  vendor_project TEXT NOT NULL,
  product TEXT NOT NULL,
  vulnerability_name TEXT,
  date_added TEXT NOT NULL,
  short_description TEXT,
  required_action TEXT,
  due_date TEXT,
  known_ransomware_campaign_use TEXT,
  notes TEXT,
  cwes TEXT NOT NULL,
  feed_date TEXT,
  file_id INTEGER NOT NULL REFERENCES vuln_files(id),
  record_index INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  publisher TEXT,
  initial_release_date TEXT,
  current_release_date TEXT NOT NULL,
  revision TEXT,
  summary TEXT,
  file_id INTEGER NOT NULL REFERENCES vuln_files(id)
) WITHOUT ROWID;

CREATE TABLE advisory_products (
  advisory_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  vendor TEXT,
  product_name TEXT,
  version_raw TEXT,
  version_category TEXT,
  full_name TEXT NOT NULL,
  cpe TEXT,
  PRIMARY KEY (advisory_id, product_id)
) WITHOUT ROWID;

CREATE TABLE advisory_vulns (
  advisory_id TEXT NOT NULL,
  vuln_id TEXT NOT NULL,
  title TEXT,
  cwe TEXT,
  notes TEXT NOT NULL,
  product_status TEXT NOT NULL,
  remediations TEXT NOT NULL,
  PRIMARY KEY (advisory_id, vuln_id)
) WITHOUT ROWID;
CREATE INDEX advisory_vulns_vuln ON advisory_vulns(vuln_id);

CREATE TABLE cvss_vectors (
  vuln_id TEXT NOT NULL,
  origin TEXT NOT NULL,
  scorer TEXT NOT NULL DEFAULT '',
  type TEXT,
  version TEXT NOT NULL,
  vector TEXT NOT NULL,
  base_score REAL,
  base_severity TEXT,
  product_ids TEXT,
  PRIMARY KEY (vuln_id, origin, scorer, vector)
) WITHOUT ROWID;
CREATE INDEX cvss_vectors_origin ON cvss_vectors(origin);
`,
  },
  {
    version: 5,
    name: 'network map: edges per application protocol with connections, encryption, PHI kinds and cleartext credential kinds; endpoint names; zones and device zones',
    sql: `
-- Edges are rebuilt with app_proto in their key: a DICOM and a TLS conversation on the same server port are two
-- edges. app_proto is '' (not NULL, so the UNIQUE key holds) when no analyzer recognised the connection; readers
-- present '' as null (src/map/map-store.ts). encrypted: 1 encrypted, 0 cleartext (0 wins when connections differ),
-- NULL unknown. phi_kinds / cleartext_credentials: JSON arrays of kinds ("hl7:PID:name", "telnet"), never values.
-- connections: flows that carried a conversation (TCP: answered or picked up mid-stream; other protocols: every flow).
CREATE TABLE edges_v5 (
  id INTEGER PRIMARY KEY,
  client_device_id INTEGER NOT NULL,
  server_device_id INTEGER NOT NULL,
  server_ip TEXT NOT NULL,
  proto INTEGER NOT NULL,
  server_port INTEGER NOT NULL,
  app_proto TEXT NOT NULL DEFAULT '',
  flows INTEGER NOT NULL,
  connections INTEGER NOT NULL DEFAULT 0,
  packets INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  encrypted INTEGER CHECK (encrypted IN (0, 1)),
  phi_kinds TEXT NOT NULL DEFAULT '[]',
  cleartext_credentials TEXT NOT NULL DEFAULT '[]',
  UNIQUE (client_device_id, server_device_id, server_ip, proto, server_port, app_proto)
);
INSERT INTO edges_v5 (id, client_device_id, server_device_id, server_ip, proto, server_port, app_proto, flows, connections, packets, bytes, first_us, last_us)
  SELECT id, client_device_id, server_device_id, server_ip, proto, server_port, '', flows, flows, packets, bytes, first_us, last_us FROM edges;
DROP TABLE edges;
ALTER TABLE edges_v5 RENAME TO edges;
CREATE INDEX edges_server ON edges(server_device_id);
CREATE INDEX edges_server_ip ON edges(server_ip);

-- Names seen for an address: DNS/mDNS/LLMNR A and AAAA answers, TLS SNI, HTTP Host (at most MAX_NAMES_PER_IP each).
CREATE TABLE endpoint_names (
  ip TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  PRIMARY KEY (ip, name, source)
) WITHOUT ROWID;
CREATE INDEX endpoint_names_name ON endpoint_names(name);

-- Zones: VLANs and subnets, learned (vlan: a VLAN id seen; dhcp: a DHCP subnet mask and router; inferred: devices'
-- addresses grouped by /24 or /64) or imported (medtap import zones). file/line: the imported row.
CREATE TABLE zones (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  vlan INTEGER,
  cidr TEXT,
  purpose TEXT,
  source TEXT NOT NULL CHECK (source IN ('vlan', 'dhcp', 'inferred', 'import')),
  confidence REAL NOT NULL,
  evidence TEXT NOT NULL,
  first_us INTEGER,
  last_us INTEGER,
  file TEXT,
  line INTEGER
);

-- The zone of each device (by VLAN, then by longest matching CIDR), recomputed after each ingest and zone import.
CREATE TABLE device_zones (
  device_id INTEGER PRIMARY KEY,
  zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
  basis TEXT NOT NULL CHECK (basis IN ('vlan', 'cidr')),
  ip TEXT
);
CREATE INDEX device_zones_zone ON device_zones(zone_id);
`,
  },
  {
    version: 6,
    name: 'findings: exposure facts and misconfigurations per device, each with its evidence',
    sql: `
-- One row per (device, kind, subject): e.g. (12, 'cleartext_credentials', 'telnet'), (12, 'eol_os', 'Windows 7'),
-- (12, 'internet_exposure', '203.0.113.7'). evidence: JSON array of {source, detail, first_us?, last_us?} items —
-- never a secret, never a patient data value. status: 'open' while the latest assessment still finds it, 'resolved'
-- once an assessment no longer does (kept: the scorecard's history).
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  class TEXT NOT NULL CHECK (class IN ('exposure', 'misconfiguration')),
  severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  title TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '[]',
  first_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  assessed_at TEXT NOT NULL,
  UNIQUE (device_id, kind, subject)
);
CREATE INDEX findings_kind ON findings(kind);
`,
  },
  {
    version: 7,
    name: 'risk snapshots: one row per assessment run and one per device and run (the scorecard timeline)',
    sql: `
-- One row per 'medtap assess' (or risk run): when, the acceptable-risk threshold used, how many devices were
-- assessed and how many were above it, and the feeds/findings it saw. The formula version names the constants of
-- src/risk/risk-index.ts so that a timeline spanning a formula change can say so.
CREATE TABLE assessment_runs (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  formula TEXT NOT NULL,
  devices INTEGER NOT NULL,
  above INTEGER NOT NULL,
  max_index INTEGER NOT NULL,
  mean_index REAL NOT NULL,
  vuln_matches INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  seconds REAL NOT NULL
);

-- One row per device and run: the index, the three impacts, likelihood, FDA tier, counts, and the whole device
-- risk record (schemas/device-risk.schema.json: components with evidence, per-vulnerability vectors, remediation).
CREATE TABLE device_risk (
  run_id INTEGER NOT NULL REFERENCES assessment_runs(id),
  device_id INTEGER NOT NULL REFERENCES devices(id),
  risk_index INTEGER NOT NULL,
  above INTEGER NOT NULL,
  patient_safety TEXT NOT NULL,
  privacy TEXT NOT NULL,
  service_disruption TEXT NOT NULL,
  likelihood REAL NOT NULL,
  tier INTEGER NOT NULL,
  vulns INTEGER NOT NULL,
  kev INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (run_id, device_id)
) WITHOUT ROWID;
CREATE INDEX device_risk_device ON device_risk(device_id, run_id);
`,
  },
];
