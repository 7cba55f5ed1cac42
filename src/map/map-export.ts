/**
 * `medtap map`: the network map exported from the store, streamed. Rows are read with `.iterate()` and written as
 * they come (src/map/map-formats.ts), so memory stays bounded whatever the inventory's size: nodes (devices, then
 * addresses that are no device), then edges in id order.
 *
 * Filters (combined with AND): `zone` (devices assigned to the zone), `category` (devices of the category),
 * `device` (one device) select devices; the edges shown are those touching a selected device, and the nodes are
 * the selected devices plus the peers of those edges. `external` keeps only edges with a public-address end.
 * Without any filter every device is a node, edges or not.
 */
import type Database from 'better-sqlite3';
import { addressClass } from './address-class.js';
import { ADDRESS_CLASS_SQL_FUNCTION, registerMapFunctions } from './map-store.js';
import { isoFromUs, protoName } from '../inventory/sqlite-store.js';
import { graphWriter, type MapFormat, type MapGraphEdge, type MapNode, type TextSink } from './map-formats.js';

/** The map's filters. */
export interface MapFilter {
  zone?: string;
  category?: string;
  device?: number;
  external?: boolean;
}

/** Counts of what an export wrote. */
export interface MapExportCounts {
  nodes: number;
  edges: number;
}

/** SQL of the filter: the device predicate (on alias d) and the edge predicate (on aliases e, c), with parameters. */
function filterSql(f: MapFilter): { devices: string | null; edges: string | null; params: Record<string, unknown> } {
  const conds: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.zone !== undefined) {
    conds.push('d.id IN (SELECT dz.device_id FROM device_zones dz JOIN zones z ON z.id = dz.zone_id WHERE z.name = @zone)');
    params['zone'] = f.zone;
  }
  if (f.category !== undefined) {
    conds.push('d.category = @category');
    params['category'] = f.category;
  }
  if (f.device !== undefined) {
    conds.push('d.id = @device');
    params['device'] = f.device;
  }
  const devices = conds.length === 0 ? null : conds.join(' AND ');
  const edgeConds: string[] = [];
  if (devices !== null) {
    edgeConds.push(f.device !== undefined && conds.length === 1
      ? '(e.client_device_id = @device OR e.server_device_id = @device)'
      : `(e.client_device_id IN (SELECT d.id FROM devices d WHERE ${devices}) OR e.server_device_id IN (SELECT d.id FROM devices d WHERE ${devices}))`);
  }
  if (f.external === true) {
    edgeConds.push(`(${ADDRESS_CLASS_SQL_FUNCTION}(e.server_ip) = 'public' OR (c.key_kind = 'ip' AND ${ADDRESS_CLASS_SQL_FUNCTION}(substr(c.key, 4)) = 'public'))`);
  }
  return { devices, edges: edgeConds.length === 0 ? null : edgeConds.join(' AND '), params };
}

/** A device row of the node query. */
interface DeviceNodeRow {
  id: number;
  key: string;
  key_kind: 'mac' | 'ip';
  category: string | null;
  vendor: string | null;
  model: string | null;
  hostname: string | null;
  zone: string | null;
  vlan: number | null;
  ips: string;
  names: string;
}

const DEVICE_NODE_COLUMNS = `d.id, d.key, d.key_kind, d.category, d.vendor, d.model,
  (SELECT value FROM attributes a WHERE a.device_id = d.id AND a.name = 'hostname' ORDER BY a.confidence DESC, a.last_us DESC LIMIT 1) AS hostname,
  (SELECT z.name FROM device_zones dz JOIN zones z ON z.id = dz.zone_id WHERE dz.device_id = d.id) AS zone,
  (SELECT vlan FROM device_vlans v WHERE v.device_id = d.id ORDER BY v.last_us DESC, v.vlan LIMIT 1) AS vlan,
  (SELECT json_group_array(ip) FROM (SELECT DISTINCT ip FROM device_ips i WHERE i.device_id = d.id LIMIT 32)) AS ips,
  (SELECT json_group_array(name) FROM (SELECT DISTINCT n.name FROM device_ips i JOIN endpoint_names n ON n.ip = i.ip
    WHERE i.device_id = d.id ORDER BY n.name LIMIT 16)) AS names`;

/** The node of a device row. */
function deviceNode(r: DeviceNodeRow): MapNode {
  const ips = JSON.parse(r.ips) as string[];
  const mainIp = r.key_kind === 'ip' ? r.key.slice(3) : ips[0];
  const cls = mainIp === undefined ? null : addressClass(mainIp);
  const vm = [r.vendor, r.model].filter((x) => x !== null).join(' ');
  return {
    id: `d${r.id}`, kind: 'device', device_id: r.id, label: r.hostname ?? (vm === '' ? r.key : vm), category: r.category, zone: r.zone,
    vlan: r.vlan, ips, names: JSON.parse(r.names) as string[], address_class: cls, external: r.key_kind === 'ip' && cls === 'public',
  };
}

/** The node of an address that is no device. */
function addressNode(ip: string, names: string): MapNode {
  const cls = addressClass(ip);
  return { id: `ip:${ip}`, kind: 'address', device_id: null, label: ip, category: null, zone: null, vlan: null, ips: [ip],
    names: JSON.parse(names) as string[], address_class: cls, external: cls === 'public' };
}

/** Columns of the edge query, read as arrays (raw mode: about half the cost of row objects per row). */
const EDGE_COLUMNS = 'e.id, e.client_device_id, e.server_device_id, e.server_ip, e.proto, e.server_port, e.app_proto, e.encrypted, e.phi_kinds, '
  + 'e.cleartext_credentials, e.flows, e.connections, e.packets, e.bytes, e.first_us, e.last_us';
type EdgeTuple = [number, number, number, string, number, number, string, number | null, string, string, number, number, number, number, number, number];

/** A JSON kind list ('[]' without parsing: most edges carry none). */
function kinds(text: string): string[] {
  return text === '[]' ? [] : JSON.parse(text) as string[];
}

/** The graph edge of an edge query row (EDGE_COLUMNS order). */
function graphEdge(r: EdgeTuple): MapGraphEdge {
  const [id, client, server, serverIp, proto, port, app, enc, phi, creds, flows, connections, packets, bytes, first, last] = r;
  return {
    id: `e${id}`, source: `d${client}`, target: server === 0 ? `ip:${serverIp}` : `d${server}`, proto: protoName(proto),
    server_port: proto === 6 || proto === 17 || proto === 132 ? port : null, app_proto: app === '' ? null : app,
    encrypted: enc === null ? null : enc === 1, phi_kinds: kinds(phi), cleartext_credentials: kinds(creds), flows, connections, packets, bytes,
    first_seen: isoFromUs(first), last_seen: isoFromUs(last),
  };
}

/** Streams the map in `format` to `out`. */
export function exportMap(db: Database.Database, filter: MapFilter, format: MapFormat, out: TextSink): MapExportCounts {
  registerMapFunctions(db);
  const f = filterSql(filter);
  const w = graphWriter(format, out);
  const counts: MapExportCounts = { nodes: 0, edges: 0 };
  const edgeFrom = `FROM edges e${filter.external === true ? ' LEFT JOIN devices c ON c.id = e.client_device_id' : ''}${f.edges === null ? '' : ` WHERE ${f.edges}`}`;
  w.begin({ ...filter });
  // Devices: every one without a filter; else the selected ones (not with --external alone) and the peers of the selected edges.
  let where = '';
  if (f.edges !== null) {
    const peers = `SELECT e.client_device_id ${edgeFrom} UNION SELECT e.server_device_id ${edgeFrom}`;
    where = `WHERE d.id IN (${peers})${f.devices !== null && filter.external !== true ? ` OR (${f.devices})` : ''}`;
  }
  for (const r of db.prepare(`SELECT ${DEVICE_NODE_COLUMNS} FROM devices d ${where} ORDER BY d.id`).iterate(f.params) as IterableIterator<DeviceNodeRow>) {
    w.node(deviceNode(r));
    counts.nodes++;
  }
  const serverFilter = `${f.edges === null ? 'WHERE' : `WHERE ${f.edges} AND`}`;
  if (db.prepare(`SELECT 1 ${edgeFrom}${f.edges === null ? ' WHERE' : ' AND'} e.client_device_id = 0 LIMIT 1`).get(f.params) !== undefined) {
    w.node({ id: 'd0', kind: 'address', device_id: null, label: '(client resolved to no device)', category: null, zone: null, vlan: null,
      ips: [], names: [], address_class: null, external: false });
    counts.nodes++;
  }
  const bare = `SELECT x.ip, (SELECT json_group_array(name) FROM (SELECT DISTINCT n.name FROM endpoint_names n WHERE n.ip = x.ip ORDER BY n.name LIMIT 16)) AS names
    FROM (SELECT DISTINCT e.server_ip AS ip FROM edges e${filter.external === true ? ' LEFT JOIN devices c ON c.id = e.client_device_id' : ''}
      ${serverFilter} e.server_device_id = 0) x ORDER BY x.ip`;
  for (const r of db.prepare(bare).iterate(f.params) as IterableIterator<{ ip: string; names: string }>) {
    w.node(addressNode(r.ip, r.names));
    counts.nodes++;
  }
  w.edgesStart();
  for (const r of db.prepare(`SELECT ${EDGE_COLUMNS} ${edgeFrom} ORDER BY e.id`).raw().iterate(f.params) as IterableIterator<EdgeTuple>) {
    w.edge(graphEdge(r));
    counts.edges++;
  }
  w.end();
  return counts;
}
