/**
 * Reconciliation of asset register rows with discovered devices (pure: works on an index built by the store).
 * Bases are tried in order of how surely they name one device — MAC, then serial number, then UDI, then host name,
 * then IP address — and the first basis that names exactly one device wins. An IP may have been held by several
 * devices over time: the device holding it most recently wins, at a lower confidence, and the others are named in
 * the evidence. Register values that disagree with what traffic showed for the matched device (another MAC, IP,
 * host name, vendor, model or serial) are returned as conflicts: kept, never used to overwrite anything.
 */
import type { AssetValues } from './asset-fields.js';

/** A basis of a match, strongest first. */
export const MATCH_BASES = ['mac', 'serial', 'udi', 'hostname', 'ip'] as const;

/** One basis. */
export type MatchBasis = (typeof MATCH_BASES)[number];

/**
 * Confidence that the asset is the device, by basis: a MAC is the device's own interface (but can be replaced with
 * a NIC); serials and UDIs are unique per device but seen in traffic rarely; host names get reused; an IP is the
 * weakest (DHCP reassigns it), weaker still when several devices held it.
 */
export const MATCH_CONFIDENCE: Record<MatchBasis | 'ip_shared' | 'hostname_short', number> = {
  mac: 0.95, serial: 0.9, udi: 0.9, hostname: 0.75, hostname_short: 0.65, ip: 0.6, ip_shared: 0.4,
};

/** A discovered value of a device with where it came from (a fact source, or an IP binding source) and its time span. */
export interface Seen {
  deviceId: number;
  value: string;
  source: string;
  first: number;
  last: number;
}

/** What discovery knows, indexed for matching. Keys: lower-case MAC / IP / host name, upper-case serial / UDI. */
export interface DeviceIndex {
  mac: Map<string, Seen[]>;
  serial: Map<string, Seen[]>;
  udi: Map<string, Seen[]>;
  hostname: Map<string, Seen[]>;
  /** Host names by their first label (`pump-03` for `pump-03.example.local`). */
  hostShort: Map<string, Seen[]>;
  ip: Map<string, Seen[]>;
  /**
   * Vendor and model values traffic gave each device (stated by a fact, or derived by a rule from a fact), whatever
   * the register said: the register's own claims may have become the winners, and must not hide a disagreement.
   */
  described: Map<number, { vendor: Set<string>; model: Set<string> }>;
}

/** A register value that disagrees with discovery for the matched device. */
export interface Conflict {
  field: string;
  register: string;
  discovered: string[];
}

/** The outcome of reconciling one asset. */
export interface Reconciliation {
  deviceId: number;
  basis: MatchBasis;
  confidence: number;
  evidence: string;
  conflicts: Conflict[];
}

/** An empty index. */
export function emptyIndex(): DeviceIndex {
  return { mac: new Map(), serial: new Map(), udi: new Map(), hostname: new Map(), hostShort: new Map(), ip: new Map(), described: new Map() };
}

/** Adds one seen value under `key` (before the index is used: lookups by device are cached on first use). */
export function addSeen(map: Map<string, Seen[]>, key: string, s: Seen): void {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

const distinctDevices = (list: readonly Seen[]): number[] => [...new Set(list.map((s) => s.deviceId))];
const iso = (us: number): string => new Date(Math.floor(us / 1000)).toISOString().replace('.000Z', 'Z');
const describe = (s: Seen): string => `${s.source} ${JSON.stringify(s.value)}`;

/** One basis tried on an asset: the device it names, or null (absent value, no device, or ambiguous). */
function tryBasis(a: AssetValues, basis: MatchBasis, idx: DeviceIndex): Omit<Reconciliation, 'conflicts'> | null {
  if (basis === 'ip') return tryIp(a, idx);
  if (basis === 'hostname') return tryHostname(a, idx);
  const v = a[basis];
  if (v === undefined) return null;
  const list = idx[basis].get(basis === 'mac' ? v : v.toUpperCase()) ?? [];
  const ids = distinctDevices(list);
  if (ids.length !== 1) return null;
  const what = basis === 'mac' ? 'MAC' : basis === 'udi' ? 'UDI' : 'serial';
  const seen = list.filter((s) => s.deviceId === ids[0]).map(describe).join(', ');
  return { deviceId: ids[0]!, basis, confidence: MATCH_CONFIDENCE[basis], evidence: `register ${what} ${v} = device ${basis === 'mac' ? 'MAC' : seen}` };
}

function tryHostname(a: AssetValues, idx: DeviceIndex): Omit<Reconciliation, 'conflicts'> | null {
  const v = a.hostname;
  if (v === undefined) return null;
  const exact = distinctDevices(idx.hostname.get(v) ?? []);
  if (exact.length === 1) {
    const s = idx.hostname.get(v)!.find((x) => x.deviceId === exact[0])!;
    return { deviceId: exact[0]!, basis: 'hostname', confidence: MATCH_CONFIDENCE.hostname, evidence: `register host name ${v} = ${describe(s)}` };
  }
  if (exact.length > 1) return null;
  const short = v.split('.')[0]!;
  const list = idx.hostShort.get(short) ?? [];
  const ids = distinctDevices(list);
  if (ids.length !== 1) return null;
  return { deviceId: ids[0]!, basis: 'hostname', confidence: MATCH_CONFIDENCE.hostname_short,
    evidence: `register host name ${v}: first label matches ${describe(list.find((x) => x.deviceId === ids[0])!)}` };
}

function tryIp(a: AssetValues, idx: DeviceIndex): Omit<Reconciliation, 'conflicts'> | null {
  const v = a.ip;
  if (v === undefined) return null;
  const list = idx.ip.get(v) ?? [];
  if (list.length === 0) return null;
  const latest = list.reduce((b, s) => (s.last > b.last ? s : b));
  const others = distinctDevices(list).filter((d) => d !== latest.deviceId);
  const span = `${iso(latest.first)} .. ${iso(latest.last)}`;
  const note = others.length === 0 ? '' : `; also held earlier by device ${others.map((d) => `#${d}`).join(', ')}`;
  return { deviceId: latest.deviceId, basis: 'ip', confidence: others.length === 0 ? MATCH_CONFIDENCE.ip : MATCH_CONFIDENCE.ip_shared,
    evidence: `register IP ${v} = device address (${latest.source}) ${span}, the latest holder${note}` };
}

/** Reconciles one asset with the discovered devices; null when no basis names a device. */
export function reconcileAsset(a: AssetValues, idx: DeviceIndex): Reconciliation | null {
  for (const basis of MATCH_BASES) {
    const m = tryBasis(a, basis, idx);
    if (m) return { ...m, conflicts: conflictsOf(a, m.deviceId, idx) };
  }
  return null;
}

/** Per index map, its keys by device (built once per map, so conflict checks stay linear in the inventory). */
const KEYS_BY_DEVICE = new WeakMap<Map<string, Seen[]>, Map<number, string[]>>();

/** Values of the device under one index map, sorted. */
function valuesOf(map: Map<string, Seen[]>, deviceId: number): string[] {
  let byDevice = KEYS_BY_DEVICE.get(map);
  if (byDevice === undefined) {
    byDevice = new Map();
    for (const [k, list] of map) {
      for (const id of distinctDevices(list)) {
        const keys = byDevice.get(id);
        if (keys) keys.push(k);
        else byDevice.set(id, [k]);
      }
    }
    for (const keys of byDevice.values()) keys.sort();
    KEYS_BY_DEVICE.set(map, byDevice);
  }
  return byDevice.get(deviceId) ?? [];
}

/** Same text, or one contains the other ("Philips" vs "Philips Medical Systems"), ignoring case. */
function agrees(register: string, seen: string): boolean {
  const r = register.toLowerCase();
  const s = seen.toLowerCase();
  return r.includes(s) || s.includes(r);
}

/** Register values that disagree with what discovery shows for the device (only where discovery saw something). */
export function conflictsOf(a: AssetValues, deviceId: number, idx: DeviceIndex): Conflict[] {
  const out: Conflict[] = [];
  const check = (field: string, register: string | undefined, discovered: string[], same: (r: string, s: string) => boolean): void => {
    if (register !== undefined && discovered.length > 0 && !discovered.some((s) => same(register, s))) out.push({ field, register, discovered });
  };
  const eq = (r: string, s: string): boolean => r === s;
  check('mac', a.mac, valuesOf(idx.mac, deviceId), eq);
  check('ip', a.ip, valuesOf(idx.ip, deviceId), eq);
  check('hostname', a.hostname, valuesOf(idx.hostname, deviceId), (r, s) => r === s || r.split('.')[0] === s.split('.')[0]);
  check('serial', a.serial?.toUpperCase(), valuesOf(idx.serial, deviceId), eq);
  check('udi', a.udi?.toUpperCase(), valuesOf(idx.udi, deviceId), eq);
  const seen = idx.described.get(deviceId);
  check('vendor', a.vendor, [...(seen?.vendor ?? [])].sort(), agrees);
  check('model', a.model, [...(seen?.model ?? [])].sort(), agrees);
  return out;
}
