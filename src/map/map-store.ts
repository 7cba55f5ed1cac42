/**
 * Read queries over the network map (migration 5): edges with their application protocol and findings, names seen
 * for addresses, external endpoints, zones with their device and edge counts. The typed entry points for the CLI
 * (`medtap map`, `zones`, `device`) and for other modules (exposure facts, risk): they read the store, never the
 * ingest's internals.
 *
 * Stored `app_proto` '' is presented as null; `encrypted` 0/1 as false/true; JSON kind lists as arrays.
 */
import type Database from 'better-sqlite3';
import { addressClass, type AddressClass } from './address-class.js';
import { isoFromUs, protoName } from '../inventory/sqlite-store.js';
import { isMedicalCategory, MEDICAL_CATEGORIES } from './zones.js';

/** Name of the SQL function `medtap_address_class(ip)` registered by `registerMapFunctions`. */
export const ADDRESS_CLASS_SQL_FUNCTION = 'medtap_address_class';

/** One edge: a client device talking to a server (device or bare address) with one protocol, port and application protocol. */
export interface MapEdge {
  id: number;
  client_device_id: number | null;
  /** null when the server address is no device (a multicast group, a broadcast address). */
  server_device_id: number | null;
  server_ip: string;
  server_address_class: AddressClass;
  proto: string;
  proto_number: number;
  /** null for protocols without ports (ICMP, ESP, …). */
  server_port: number | null;
  /** Application protocol the analyzers recognised (dicom, hl7, tls, …), null when none. */
  app_proto: string | null;
  /** true encrypted, false cleartext (at least one connection in clear), null unknown. */
  encrypted: boolean | null;
  /** PHI kinds carried (`hl7:PID:name`, `dicom:patient_birth_date`, …); never values. */
  phi_kinds: string[];
  /** Credential kinds seen in clear (`telnet`, `ftp`, `http-basic`, `snmp-community:public`, `dicom-user-identity`); never secrets. */
  cleartext_credentials: string[];
  flows: number;
  connections: number;
  packets: number;
  bytes: number;
  first_seen: string | null;
  last_seen: string | null;
}

/** A raw `edges` row. */
export interface EdgeRow {
  id: number;
  client_device_id: number;
  server_device_id: number;
  server_ip: string;
  proto: number;
  server_port: number;
  app_proto: string;
  flows: number;
  connections: number;
  packets: number;
  bytes: number;
  first_us: number;
  last_us: number;
  encrypted: number | null;
  phi_kinds: string;
  cleartext_credentials: string;
}

/** A name seen for an address. */
export interface EndpointNameRecord {
  name: string;
  source: string;
  first_seen: string | null;
  last_seen: string | null;
}

/** An address outside the organisation's networks that devices talk with. */
export interface ExternalEndpoint {
  ip: string;
  address_class: AddressClass;
  /** The inventory device keyed by this address (hosts behind a router are keyed by IP), or null. */
  device_id: number | null;
  names: string[];
  /** Distinct inventory devices talking with it (as clients, or as servers it connects to). */
  peers: number;
  /** Edges from inventory devices to it (outbound) and from it to inventory devices (inbound). */
  outbound_edges: number;
  inbound_edges: number;
  app_protos: string[];
  bytes: number;
  first_seen: string | null;
  last_seen: string | null;
}

/** A zone with its device counts and edges. */
export interface ZoneSummary {
  id: number;
  name: string;
  vlan: number | null;
  cidr: string | null;
  purpose: string | null;
  source: string;
  confidence: number;
  evidence: string;
  devices: number;
  medical_devices: number;
  it_devices: number;
  /** Edges with both ends in the zone. */
  internal_edges: number;
  /** Edges from the zone's devices to devices of other zones, and from other zones into it. */
  edges_out: number;
  edges_in: number;
  /** Edges from the zone's devices to peers in no zone (the internet, multicast groups, unzoned devices). */
  edges_to_unzoned: number;
}

/** Edges between two different zones (client zone → server zone). */
export interface InterZoneEdges {
  from: string;
  to: string;
  edges: number;
  bytes: number;
}

/** The zone a device was assigned to. */
export interface DeviceZone {
  name: string;
  vlan: number | null;
  cidr: string | null;
  purpose: string | null;
  source: string;
  basis: 'vlan' | 'cidr';
}

/** Registers `medtap_address_class(ip)` on the connection (idempotent per connection object). */
export function registerMapFunctions(db: Database.Database): void {
  db.function(ADDRESS_CLASS_SQL_FUNCTION, { deterministic: true }, (ip: unknown) => addressClass(String(ip)));
}

/** The output record of an `edges` row. */
export function edgeRecord(r: EdgeRow): MapEdge {
  const hasPorts = r.proto === 6 || r.proto === 17 || r.proto === 132;
  return {
    id: r.id,
    client_device_id: r.client_device_id || null,
    server_device_id: r.server_device_id || null,
    server_ip: r.server_ip,
    server_address_class: addressClass(r.server_ip),
    proto: protoName(r.proto),
    proto_number: r.proto,
    server_port: hasPorts ? r.server_port : null,
    app_proto: r.app_proto === '' ? null : r.app_proto,
    encrypted: r.encrypted === null ? null : r.encrypted === 1,
    phi_kinds: JSON.parse(r.phi_kinds) as string[],
    cleartext_credentials: JSON.parse(r.cleartext_credentials) as string[],
    flows: r.flows,
    connections: r.connections,
    packets: r.packets,
    bytes: r.bytes,
    first_seen: isoFromUs(r.first_us),
    last_seen: isoFromUs(r.last_us),
  };
}

/** Every edge of a device, either direction, busiest first. */
export function edgesOfDevice(db: Database.Database, deviceId: number, limit = 10_000): MapEdge[] {
  const rows = db.prepare(`SELECT * FROM edges WHERE client_device_id = ? UNION ALL SELECT * FROM edges WHERE server_device_id = ? AND client_device_id <> ?
    ORDER BY bytes DESC, id LIMIT ?`).all(deviceId, deviceId, deviceId, limit) as EdgeRow[];
  return rows.map(edgeRecord);
}

/** A service a device answered on: protocol, port and application protocol, with who used it. */
export interface ExposedService {
  proto: string;
  server_port: number | null;
  app_proto: string | null;
  /** null when no connection showed whether it was encrypted. */
  encrypted: boolean | null;
  /** Distinct client devices, and how many of them have a public address (internet hosts keyed by IP). */
  clients: number;
  internet_clients: number;
  connections: number;
  cleartext_credentials: string[];
  first_seen: string | null;
  last_seen: string | null;
}

/** The services a device answered on (it was the server of edges with connections), by protocol, port and application protocol. */
export function exposedServices(db: Database.Database, deviceId: number): ExposedService[] {
  registerMapFunctions(db);
  const rows = db.prepare(`SELECT e.proto, e.server_port, e.app_proto, MIN(e.encrypted) AS enc, COUNT(DISTINCT e.client_device_id) AS clients,
      COUNT(DISTINCT CASE WHEN c.key_kind = 'ip' AND ${ADDRESS_CLASS_SQL_FUNCTION}(substr(c.key, 4)) = 'public' THEN c.id END) AS internet,
      SUM(e.connections) AS connections, MIN(e.first_us) AS f, MAX(e.last_us) AS l,
      (SELECT json_group_array(DISTINCT k.value) FROM edges x, json_each(x.cleartext_credentials) k WHERE x.server_device_id = e.server_device_id
        AND x.proto = e.proto AND x.server_port = e.server_port AND x.app_proto = e.app_proto) AS creds
    FROM edges e LEFT JOIN devices c ON c.id = e.client_device_id
    WHERE e.server_device_id = ? AND e.connections > 0 GROUP BY e.proto, e.server_port, e.app_proto ORDER BY e.proto, e.server_port, e.app_proto`)
    .all(deviceId) as { proto: number; server_port: number; app_proto: string; enc: number | null; clients: number; internet: number; connections: number;
      f: number; l: number; creds: string }[];
  return rows.map((r) => ({
    proto: protoName(r.proto), server_port: r.proto === 6 || r.proto === 17 || r.proto === 132 ? r.server_port : null,
    app_proto: r.app_proto === '' ? null : r.app_proto, encrypted: r.enc === null ? null : r.enc === 1, clients: r.clients,
    internet_clients: r.internet, connections: r.connections, cleartext_credentials: (JSON.parse(r.creds) as string[]).sort(),
    first_seen: isoFromUs(r.f), last_seen: isoFromUs(r.l),
  }));
}

/** Edges carrying PHI kinds (optionally of one device), busiest first. */
export function phiEdges(db: Database.Database, deviceId?: number): MapEdge[] {
  const cond = deviceId === undefined ? '' : 'AND (client_device_id = @d OR server_device_id = @d)';
  return (db.prepare(`SELECT * FROM edges WHERE phi_kinds <> '[]' ${cond} ORDER BY bytes DESC, id`)
    .all(deviceId === undefined ? {} : { d: deviceId }) as EdgeRow[]).map(edgeRecord);
}

/** Edges on which credentials were seen in clear (optionally of one device). */
export function cleartextCredentialEdges(db: Database.Database, deviceId?: number): MapEdge[] {
  const cond = deviceId === undefined ? '' : 'AND (client_device_id = @d OR server_device_id = @d)';
  return (db.prepare(`SELECT * FROM edges WHERE cleartext_credentials <> '[]' ${cond} ORDER BY bytes DESC, id`)
    .all(deviceId === undefined ? {} : { d: deviceId }) as EdgeRow[]).map(edgeRecord);
}

/** Names seen for an address, most recent first. */
export function namesOf(db: Database.Database, ip: string): EndpointNameRecord[] {
  return (db.prepare('SELECT name, source, first_us, last_us FROM endpoint_names WHERE ip = ? ORDER BY last_us DESC, name, source').all(ip) as
    { name: string; source: string; first_us: number; last_us: number }[])
    .map((r) => ({ name: r.name, source: r.source, first_seen: isoFromUs(r.first_us), last_seen: isoFromUs(r.last_us) }));
}

/** Addresses a name was seen for (e.g. every address of `dicom.vendor.example`). */
export function addressesNamed(db: Database.Database, name: string): string[] {
  return (db.prepare('SELECT DISTINCT ip FROM endpoint_names WHERE name = ? ORDER BY ip').all(name.toLowerCase()) as { ip: string }[]).map((r) => r.ip);
}

/**
 * Public addresses devices talk with (outbound: an edge's server address; inbound: an IP-keyed client device with a
 * public address), with their names, peers and application protocols; optionally for one device only.
 */
export function externalEndpoints(db: Database.Database, deviceId?: number): ExternalEndpoint[] {
  registerMapFunctions(db);
  const f = ADDRESS_CLASS_SQL_FUNCTION;
  const dev = deviceId === undefined ? '' : 'AND (e.client_device_id = @d OR e.server_device_id = @d)';
  const rows = db.prepare(`
    WITH ext AS (
      SELECT e.server_ip AS ip, e.server_device_id AS ext_device, e.client_device_id AS peer, 'out' AS dir, e.app_proto, e.bytes, e.first_us, e.last_us
        FROM edges e WHERE ${f}(e.server_ip) = 'public' ${dev}
      UNION ALL
      SELECT substr(c.key, 4), c.id, e.server_device_id, 'in', e.app_proto, e.bytes, e.first_us, e.last_us
        FROM edges e JOIN devices c ON c.id = e.client_device_id
        WHERE c.key_kind = 'ip' AND ${f}(substr(c.key, 4)) = 'public' AND e.server_device_id <> 0 ${dev})
    SELECT ip, MAX(ext_device) AS device_id, COUNT(DISTINCT peer) AS peers, SUM(dir = 'out') AS outbound, SUM(dir = 'in') AS inbound,
      json_group_array(DISTINCT NULLIF(app_proto, '')) AS protos, SUM(bytes) AS bytes, MIN(first_us) AS f, MAX(last_us) AS l,
      (SELECT json_group_array(DISTINCT name) FROM endpoint_names n WHERE n.ip = ext.ip) AS names
    FROM ext GROUP BY ip ORDER BY bytes DESC, ip`).all(deviceId === undefined ? {} : { d: deviceId }) as {
    ip: string; device_id: number | null; peers: number; outbound: number; inbound: number; protos: string; bytes: number; f: number; l: number; names: string;
  }[];
  return rows.map((r) => ({
    ip: r.ip, address_class: addressClass(r.ip), device_id: r.device_id || null,
    names: (JSON.parse(r.names) as string[]).sort(), peers: r.peers, outbound_edges: r.outbound, inbound_edges: r.inbound,
    app_protos: (JSON.parse(r.protos) as (string | null)[]).filter((p): p is string => p !== null).sort(),
    bytes: r.bytes, first_seen: isoFromUs(r.f), last_seen: isoFromUs(r.l),
  }));
}

/** The zone of a device, or null when it is in none. */
export function deviceZone(db: Database.Database, deviceId: number): DeviceZone | null {
  const r = db.prepare(`SELECT z.name, z.vlan, z.cidr, z.purpose, z.source, dz.basis FROM device_zones dz JOIN zones z ON z.id = dz.zone_id
    WHERE dz.device_id = ?`).get(deviceId) as DeviceZone | undefined;
  return r ?? null;
}

/** SQL list of the medical categories (constant vocabulary, safe to inline). */
const MEDICAL_SQL = MEDICAL_CATEGORIES.map((c) => `'${c}'`).join(', ');

/** Every zone with device counts (medical / IT by device category) and edge counts, by name. */
export function listZones(db: Database.Database): ZoneSummary[] {
  const zones = db.prepare(`SELECT z.id, z.name, z.vlan, z.cidr, z.purpose, z.source, z.confidence, z.evidence,
      COUNT(d.id) AS devices,
      SUM(CASE WHEN d.category IN (${MEDICAL_SQL}) THEN 1 ELSE 0 END) AS medical_devices,
      SUM(CASE WHEN d.category IS NOT NULL AND d.category <> 'unknown' AND d.category NOT IN (${MEDICAL_SQL}) THEN 1 ELSE 0 END) AS it_devices
    FROM zones z LEFT JOIN device_zones dz ON dz.zone_id = z.id LEFT JOIN devices d ON d.id = dz.device_id
    GROUP BY z.id ORDER BY z.name`).all() as Omit<ZoneSummary, 'internal_edges' | 'edges_out' | 'edges_in' | 'edges_to_unzoned'>[];
  const counts = new Map<number, { internal: number; out: number; in: number; unzoned: number }>();
  const get = (id: number): { internal: number; out: number; in: number; unzoned: number } => {
    let c = counts.get(id);
    if (c === undefined) {
      c = { internal: 0, out: 0, in: 0, unzoned: 0 };
      counts.set(id, c);
    }
    return c;
  };
  const pairs = db.prepare(`SELECT zc.zone_id AS a, zs.zone_id AS b, COUNT(*) AS n FROM edges e
    JOIN device_zones zc ON zc.device_id = e.client_device_id LEFT JOIN device_zones zs ON zs.device_id = e.server_device_id
    GROUP BY 1, 2`).all() as { a: number; b: number | null; n: number }[];
  for (const p of pairs) {
    if (p.b === null) get(p.a).unzoned += p.n;
    else if (p.a === p.b) get(p.a).internal += p.n;
    else {
      get(p.a).out += p.n;
      get(p.b).in += p.n;
    }
  }
  return zones.map((z) => {
    const c = counts.get(z.id) ?? { internal: 0, out: 0, in: 0, unzoned: 0 };
    return { ...z, medical_devices: z.medical_devices ?? 0, it_devices: z.it_devices ?? 0, internal_edges: c.internal, edges_out: c.out, edges_in: c.in, edges_to_unzoned: c.unzoned };
  });
}

/** Edge counts between different zones (client zone → server zone), most edges first. */
export function interZoneEdges(db: Database.Database): InterZoneEdges[] {
  return db.prepare(`SELECT za.name AS "from", zb.name AS "to", COUNT(*) AS edges, SUM(e.bytes) AS bytes FROM edges e
    JOIN device_zones zc ON zc.device_id = e.client_device_id JOIN device_zones zs ON zs.device_id = e.server_device_id
    JOIN zones za ON za.id = zc.zone_id JOIN zones zb ON zb.id = zs.zone_id
    WHERE zc.zone_id <> zs.zone_id GROUP BY zc.zone_id, zs.zone_id ORDER BY edges DESC, 1, 2`).all() as InterZoneEdges[];
}

/** True when a device category is medical (re-exported for consumers of the map). */
export { isMedicalCategory };
