/**
 * Zones — the VLANs and subnets devices live in — learned from traffic, and the zone of each device.
 *
 * Learned after every ingest (`learnZones`): one zone per VLAN id seen on devices' traffic (`vlan-<id>`); one per
 * subnet a DHCP server announced (option 1 subnet mask with the address it assigned, RFC 2132 §3.3, and option 3
 * router); and, for devices still outside every zone, one per /24 (IPv4) or /64 (IPv6) group of their addresses,
 * marked `inferred` with a confidence growing with the devices in it. Imported zones (src/map/zone-import.ts)
 * take precedence over learned ones with the same VLAN or block. Devices are assigned (`assignZones`) by VLAN
 * first, then by the longest block containing one of their addresses (highest-confidence address first).
 */
import type Database from 'better-sqlite3';
import type { Observation } from '../observe/observation.js';
import { addressClass, type AddressClass } from './address-class.js';
import { type Cidr, cidrText, maskPrefix, networkOf, parseCidr, parseIp, type ParsedIp } from './ip-text.js';
import { loadCategories } from '../knowledge/categories.js';
import { prepared } from '../inventory/prepared.js';

/** DHCP subnets remembered per ingest. */
export const MAX_DHCP_SUBNETS = 4096;
/** Confidence of a VLAN zone (the tag is on the wire). */
export const VLAN_ZONE_CONFIDENCE = 0.95;
/** Confidence of a subnet a DHCP server announced (mask and router as the server sees them). */
export const DHCP_ZONE_CONFIDENCE = 0.9;
/** Prefix length of inferred IPv4 zones. */
export const INFERRED_PREFIX_V4 = 24;
/** Prefix length of inferred IPv6 zones (RFC 4291 §2.5.4: /64 subnets). */
export const INFERRED_PREFIX_V6 = 64;

/** Medical device categories: those marked medical in data/categories/categories.tsv (DESIGN §3). */
export const MEDICAL_CATEGORIES: readonly string[] = [...loadCategories().values()].filter((d) => d.medical).map((d) => d.category);
const MEDICAL_SET: ReadonlySet<string> = new Set(MEDICAL_CATEGORIES);

/** True for a medical device category; false for IT/IoT ones, `unknown` and null. */
export function isMedicalCategory(c: string | null): boolean {
  return c !== null && MEDICAL_SET.has(c);
}

/** Confidence of an inferred zone holding `devices` devices (more devices sharing a /24 make it likelier a subnet). */
export function inferredConfidence(devices: number): number {
  return Math.min(0.7, Math.round((0.3 + 0.1 * devices) * 100) / 100);
}

/** A subnet a DHCP server announced. */
export interface DhcpSubnet {
  cidr: string;
  router: string | null;
  server: string;
  vlan: number | null;
  first: number;
  last: number;
}

/** Collects the subnets DHCP servers announce (OFFER and ACK with a subnet mask) during one ingest. */
export class DhcpSubnetCollector {
  readonly subnets = new Map<string, DhcpSubnet>();

  /** Feeds one observation. */
  observe(o: Observation): void {
    if (o.kind !== 'dhcp' || (o.msg.msg_type !== 2 && o.msg.msg_type !== 5) || o.msg.subnet_mask === null) return;
    const prefix = maskPrefix(o.msg.subnet_mask);
    const ip = parseIp(o.msg.yiaddr);
    if (prefix === null || prefix === 0 || ip === null || ip.version !== 4 || ip.v4 === 0) return;
    const cidr = cidrText({ ip: networkOf(ip, prefix), prefix });
    const ts = o.ctx.ts_us;
    const s = this.subnets.get(cidr);
    if (s !== undefined) {
      s.first = Math.min(s.first, ts);
      s.last = Math.max(s.last, ts);
    } else if (this.subnets.size < MAX_DHCP_SUBNETS) {
      this.subnets.set(cidr, { cidr, router: o.msg.routers?.[0] ?? null, server: o.ctx.src_ip, vlan: o.ctx.vlan, first: ts, last: ts });
    }
  }
}

/** A zone row as the assignment needs it. */
interface ZoneRow {
  id: number;
  name: string;
  vlan: number | null;
  cidr: string | null;
  source: string;
}

/** Inserts or refreshes a learned zone by name (an imported zone of that name is left alone). */
function upsertLearnedZone(db: Database.Database, z: { name: string; vlan: number | null; cidr: string | null; source: string; confidence: number;
  evidence: string; first: number | null; last: number | null }): void {
  db.prepare(`INSERT INTO zones (name, vlan, cidr, source, confidence, evidence, first_us, last_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET confidence = excluded.confidence, evidence = excluded.evidence,
      first_us = MIN(IFNULL(first_us, excluded.first_us), IFNULL(excluded.first_us, first_us)),
      last_us = MAX(IFNULL(last_us, excluded.last_us), IFNULL(excluded.last_us, last_us))
    WHERE zones.source <> 'import'`).run(z.name, z.vlan, z.cidr, z.source, z.confidence, z.evidence, z.first, z.last);
}

/** Learns VLAN and DHCP zones, then infers subnets for the devices still outside every zone and assigns all devices. */
export function learnZones(db: Database.Database, dhcp: Iterable<DhcpSubnet>): void {
  const imported = db.prepare("SELECT vlan, cidr FROM zones WHERE source = 'import'").all() as { vlan: number | null; cidr: string | null }[];
  const importedVlans = new Set(imported.map((z) => z.vlan));
  const importedCidrs = new Set(imported.map((z) => z.cidr));
  const vlans = db.prepare('SELECT vlan, MIN(first_us) AS f, MAX(last_us) AS l, COUNT(DISTINCT device_id) AS n FROM device_vlans GROUP BY vlan ORDER BY vlan')
    .all() as { vlan: number; f: number; l: number; n: number }[];
  for (const v of vlans) {
    if (importedVlans.has(v.vlan)) continue;
    upsertLearnedZone(db, { name: `vlan-${v.vlan}`, vlan: v.vlan, cidr: null, source: 'vlan', confidence: VLAN_ZONE_CONFIDENCE,
      evidence: `802.1Q VLAN ${v.vlan} tag on the traffic of ${v.n} device(s)`, first: v.f, last: v.l });
  }
  for (const s of dhcp) {
    if (importedCidrs.has(s.cidr)) continue;
    upsertLearnedZone(db, { name: s.cidr, vlan: null, cidr: s.cidr, source: 'dhcp', confidence: DHCP_ZONE_CONFIDENCE,
      evidence: `DHCP server ${s.server} assigned an address with this subnet mask${s.router ? `, router ${s.router}` : ''}${s.vlan !== null ? ` (VLAN ${s.vlan})` : ''}`,
      first: Math.round(s.first), last: Math.round(s.last) });
  }
  assignZones(db, true);
}

/** Zones indexed for assignment: by VLAN, and by block per prefix length (longest first). */
class ZoneIndex {
  private readonly byVlan = new Map<number, ZoneRow>();
  private readonly blocks = new Map<string, ZoneRow>();
  private prefixes: { version: 4 | 6; prefix: number }[] = [];

  constructor(zones: readonly ZoneRow[]) {
    // learned first, imported last: an imported zone replaces a learned one with the same VLAN or block
    const ordered = [...zones].sort((a, b) => Number(a.source === 'import') - Number(b.source === 'import') || a.id - b.id);
    for (const z of ordered) {
      if (z.vlan !== null) this.byVlan.set(z.vlan, z);
      const c = z.cidr === null ? null : parseCidr(z.cidr, true);
      if (c !== null) this.addBlock(c, z);
    }
  }

  addBlock(c: Cidr, z: ZoneRow): void {
    this.blocks.set(cidrText(c), z);
    if (!this.prefixes.some((p) => p.version === c.ip.version && p.prefix === c.prefix)) {
      this.prefixes.push({ version: c.ip.version, prefix: c.prefix });
      this.prefixes.sort((a, b) => b.prefix - a.prefix);
    }
  }

  vlan(v: number | null): ZoneRow | undefined {
    return v === null ? undefined : this.byVlan.get(v);
  }

  /** The zone of the longest block containing `ip`. */
  block(ip: ParsedIp): ZoneRow | undefined {
    for (const p of this.prefixes) {
      if (p.version !== ip.version) continue;
      const z = this.blocks.get(cidrText({ ip: networkOf(ip, p.prefix), prefix: p.prefix }));
      if (z !== undefined) return z;
    }
    return undefined;
  }
}

/** A device as the assignment sees it. */
interface DeviceAddresses {
  id: number;
  key: string;
  key_kind: 'mac' | 'ip';
  vlan: number | null;
  ips: string;
}

/** Classes of addresses that can stand for a subnet of the site (multicast, loopback, link-local … cannot). */
const INFERABLE: ReadonlySet<AddressClass> = new Set(['private', 'cgnat', 'public', 'documentation']);

/** The /24 or /64 block an unzoned device's address suggests, or null (IP-keyed hosts with public addresses are the internet). */
function inferredBlock(keyKind: 'mac' | 'ip', ip: string): string | null {
  const cls = addressClass(ip);
  if (!INFERABLE.has(cls) || (keyKind === 'ip' && (cls === 'public' || cls === 'documentation'))) return null;
  const p = parseIp(ip)!;
  const prefix = p.version === 4 ? INFERRED_PREFIX_V4 : INFERRED_PREFIX_V6;
  return cidrText({ ip: networkOf(p, prefix), prefix });
}

/**
 * True for a host keyed by an address outside the organisation's networks (an internet host seen behind the
 * router): it carries the router's VLAN tag but lives in no zone of the site.
 */
function isOutsideHost(d: DeviceAddresses): boolean {
  if (d.key_kind !== 'ip') return false;
  const c = addressClass(d.key.slice(3));
  return c !== 'private' && c !== 'cgnat' && c !== 'link-local';
}

/**
 * Recomputes `device_zones` for every device; with `infer`, first creates the inferred zones of devices outside
 * every zone (and drops inferred zones left empty). Run inside the caller's transaction.
 */
export function assignZones(db: Database.Database, infer: boolean): void {
  const allZones = db.prepare('SELECT id, name, vlan, cidr, source FROM zones');
  // inferred zones are recomputed from scratch: the devices they would hold are those outside every other zone
  let index = new ZoneIndex((allZones.all() as ZoneRow[]).filter((z) => !infer || z.source !== 'inferred'));
  const devices = db.prepare(`SELECT d.id, d.key, d.key_kind,
      (SELECT vlan FROM device_vlans v WHERE v.device_id = d.id ORDER BY v.last_us DESC, v.vlan LIMIT 1) AS vlan,
      (SELECT json_group_array(ip) FROM (SELECT ip FROM device_ips i WHERE i.device_id = d.id GROUP BY ip
        ORDER BY MAX(confidence) DESC, MAX(last_us) DESC)) AS ips
    FROM devices d ORDER BY d.id`);
  // read once for both passes (the zones written in between do not change them), addresses parsed once
  const all = (devices.all() as DeviceAddresses[]).map((d) => ({ ...d, list: JSON.parse(d.ips) as string[] }));
  if (infer) {
    const groups = new Map<string, number>();
    for (const d of all) {
      if (isOutsideHost(d) || index.vlan(d.vlan) !== undefined) continue;
      const ips = d.list;
      if (ips.some((ip) => { const p = parseIp(ip); return p !== null && index.block(p) !== undefined; })) continue;
      const block = ips.map((ip) => inferredBlock(d.key_kind, ip)).find((b) => b !== null);
      if (block === undefined || block === null) continue;
      groups.set(block, (groups.get(block) ?? 0) + 1);
    }
    const keep = new Set(groups.keys());
    for (const z of db.prepare("SELECT id, name FROM zones WHERE source = 'inferred'").all() as { id: number; name: string }[]) {
      if (!keep.has(z.name)) db.prepare('DELETE FROM zones WHERE id = ?').run(z.id);
    }
    for (const [cidr, n] of groups) {
      upsertLearnedZone(db, { name: cidr, vlan: null, cidr, source: 'inferred', confidence: inferredConfidence(n),
        evidence: `${n} device(s) with addresses in ${cidr} and no VLAN, DHCP subnet or imported zone covering them; /${cidr.endsWith('/24') ? INFERRED_PREFIX_V4 : INFERRED_PREFIX_V6} assumed`,
        first: null, last: null });
    }
    index = new ZoneIndex(allZones.all() as ZoneRow[]);
  }
  // collect the assignments, then write them
  const rows: [number, number, string, string | null][] = [];
  for (const d of all) {
    if (isOutsideHost(d)) continue;
    const byVlan = index.vlan(d.vlan);
    if (byVlan !== undefined) {
      rows.push([d.id, byVlan.id, 'vlan', null]);
      continue;
    }
    for (const ip of d.list) {
      const p = parseIp(ip);
      const z = p === null ? undefined : index.block(p);
      if (z !== undefined) {
        rows.push([d.id, z.id, 'cidr', ip]);
        break;
      }
    }
  }
  db.prepare('DELETE FROM device_zones').run();
  const insert = prepared(db, 'INSERT INTO device_zones (device_id, zone_id, basis, ip) VALUES (?, ?, ?, ?)');
  for (const [device, zone, basis, ip] of rows) insert.run(device, zone, basis, ip);
}
