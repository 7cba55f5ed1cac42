/**
 * The shape shared by identity collectors: each consumes observations during an ingest and yields per-MAC facts
 * (attribute values with source, confidence and evidence) and address bindings, applied to the devices once the
 * run's devices are known. A side without a MAC (raw IP, loopback, all-zero MAC) is keyed by its IP instead: its facts
 * have the MAC text '' and carry the IP (factMac), and reach the IP-keyed device the ingest made for it.
 */
import type { Observation, PacketContext } from '../observe/observation.js';
import { isGroupMac, isNonHostIpv4, parseMac } from '../decode/address.js';
import { parseIpv4 } from '../map/ip-text.js';
import { remembered } from '../memo/bounded-memo.js';

/** One attribute fact for a MAC. */
export interface MacFact {
  mac: string;
  /** What produced it (the attribute's `source`): dhcp, mdns, llmnr, … */
  source: string;
  name: string;
  value: string;
  confidence: number;
  evidence: string;
  first: number;
  last: number;
  /**
   * The sender's IP address, for a fact taken from routed unicast traffic (NTP, …): the fact describes the host that
   * sent from this IP through this MAC, so it goes to the device that (MAC, IP) endpoint resolves to — the MAC's own
   * device, or the host behind it when the MAC is a router forwarding for that IP. Absent: the MAC's device.
   */
  ip?: string;
  /**
   * Set by a collector that saw this MAC carry the addresses of several hosts in its protocol (HTTP: more than one IPv4
   * address): the routed fact is kept only when the ingest detected the MAC as a router (it then goes to the host
   * behind it); otherwise the MAC is a gateway the ingest did not detect, and which host the fact describes is unknown.
   */
  sharedMac?: boolean;
}

/** An IP address bound to a MAC by a protocol (e.g. a DHCP lease), stored as an IP binding with `source`. */
export interface AddressBinding {
  mac: string;
  ip: string;
  version: 4 | 6;
  /** The IP binding's source (dhcp, …); its confidence comes from IP_BINDING_CONFIDENCE. */
  source: string;
  first: number;
  last: number;
  leaseSeconds: number | null;
}

/** Something that turns observations into per-MAC facts during an ingest. */
export interface IdentityCollector {
  /** The observation kinds it reads: the ingest hands it only those (CollectorRouter). Absent: every observation. */
  readonly kinds?: readonly Observation['kind'][];
  observe(o: Observation): void;
  allFacts(): MacFact[];
  /** Address bindings, for collectors whose protocol assigns addresses. */
  allBindings?(): AddressBinding[];
  /**
   * False when the facts describe inventory only: a routed fact that resolves to an internet peer (an IP-keyed device
   * with a public address: README "Internet hosts ... are peers, not inventory") is dropped. Absent: kept.
   */
  readonly factsForInternetPeers?: boolean;
}


/** Hands each observation to the collectors that read its kind (IdentityCollector.kinds), in their order. */
export class CollectorRouter {
  private readonly byKind = new Map<string, readonly IdentityCollector[]>();

  constructor(private readonly collectors: readonly IdentityCollector[]) {}

  /** Feeds `o` to its collectors. */
  observe(o: Observation): void {
    let list = this.byKind.get(o.kind);
    if (list === undefined) {
      list = this.collectors.filter((c) => c.kinds === undefined || c.kinds.includes(o.kind));
      this.byKind.set(o.kind, list);
    }
    for (let i = 0; i < list.length; i++) list[i]!.observe(o);
  }
}

/**
 * The facts of one (MAC, IP, source) by name: the fact itself while the name has one value (most names), a map value →
 * fact once it has several.
 */
type FactsByName = Map<string, MacFact | Map<string, MacFact>>;

/** De-duplicates facts (MAC, IP, source, name, value), widening their time span. */
export class FactBook {
  /** "mac NUL ip NUL source" ('' for no ip; address texts and sources hold no NUL) -> name -> fact(s) */
  private readonly facts = new Map<string, FactsByName>();
  /** Every fact, in the order first seen. */
  private readonly list: MacFact[] = [];
  /** The names of the last add's (mac, ip, source): an observation's facts usually share them. */
  private lastMac = '';
  private lastIp = '';
  private lastSource = '';
  private lastNames: FactsByName | null = null;

  /**
   * Records one sighting of a fact at time `ts` (µs). `evidence` may be given as a function: it is called only when
   * the fact is new (sightings of a known fact only widen its span).
   * @param ip the sender's IP address when the fact comes from routed unicast traffic (see MacFact.ip).
   */
  add(mac: string, source: string, name: string, value: string, confidence: number, evidence: string | (() => string), ts: number, ip?: string): void {
    const ipKey = ip ?? '';
    let names = this.lastNames;
    if (names === null || mac !== this.lastMac || ipKey !== this.lastIp || source !== this.lastSource) {
      const key = `${mac}\u0000${ipKey}\u0000${source}`;
      let found = this.facts.get(key);
      if (found === undefined) {
        found = new Map();
        this.facts.set(key, found);
      }
      names = found;
      this.lastNames = names;
      this.lastMac = mac;
      this.lastIp = ipKey;
      this.lastSource = source;
    }
    const known = names.get(name);
    let f: MacFact | undefined;
    if (known === undefined) {
      names.set(name, this.made(mac, source, name, value, confidence, evidence, ts, ip));
      return;
    }
    if (known instanceof Map) f = known.get(value);
    else if (known.value === value) f = known;
    if (f !== undefined) {
      if (ts < f.first) f.first = ts;
      if (ts > f.last) f.last = ts;
      return;
    }
    const fact = this.made(mac, source, name, value, confidence, evidence, ts, ip);
    if (known instanceof Map) known.set(value, fact);
    else names.set(name, new Map([[known.value, known], [value, fact]]));
  }

  /** A new fact, listed. */
  private made(mac: string, source: string, name: string, value: string, confidence: number, evidence: string | (() => string), ts: number, ip?: string): MacFact {
    const fact: MacFact = { mac, source, name, value, confidence, evidence: typeof evidence === 'string' ? evidence : evidence(), first: ts, last: ts };
    if (ip !== undefined) fact.ip = ip;
    this.list.push(fact);
    return fact;
  }

  /** Every fact recorded. */
  all(): MacFact[] {
    return this.list.slice();
  }
}

/** De-duplicates address bindings (MAC, IP), widening their time span and keeping the latest lease time seen. */
export class BindingBook {
  private readonly bindings = new Map<string, AddressBinding>();

  /**
   * Records one sighting of `ip` bound to `mac` by `source` at time `ts` (µs).
   * @param leaseSeconds the lease length the binding carries, null when unknown (an earlier known one is kept).
   */
  add(mac: string, ip: string, version: 4 | 6, source: string, ts: number, leaseSeconds: number | null): void {
    const key = `${mac}|${ip}|${source}`;
    const b = this.bindings.get(key);
    if (b) {
      if (ts < b.first) b.first = ts;
      if (ts > b.last) b.last = ts;
      if (leaseSeconds !== null) b.leaseSeconds = leaseSeconds;
    } else this.bindings.set(key, { mac, ip, version, source, first: ts, last: ts, leaseSeconds });
  }

  /** Every binding recorded. */
  all(): AddressBinding[] {
    return [...this.bindings.values()];
  }
}

/** Most MAC texts whose isDeviceMac answer is remembered (every observation asks it for its addresses). */
const MAX_REMEMBERED_MACS = 65_536;
const deviceMacs = new Map<string, boolean>();

/** The isDeviceMac answer for a MAC text, computed. */
function deviceMacTest(mac: string): boolean {
  const m = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) ? parseMac(mac)! : 0;
  return m !== 0 && !isGroupMac(m);
}

/** True for a unicast, non-zero Ethernet MAC in aa:bb:cc:dd:ee:ff form (a device key candidate). */
export function isDeviceMac(mac: string | null): mac is string {
  return mac !== null && remembered(deviceMacs, MAX_REMEMBERED_MACS, mac, deviceMacTest);
}

/** The all-zero MAC as text: no interface (Linux loopback frames carry it both ways; endpoint-accumulator.ts). */
const ZERO_MAC = '00:00:00:00:00:00';

/**
 * True for an IP address text one host may own: IPv4 by isNonHostIpv4; IPv6 neither unspecified (::) nor multicast
 * (ff00::/8) — unlike isNonHostIpv6, ::1 counts (a loopback capture's one host).
 */
function isHostIpText(ip: string): boolean {
  if (ip.includes(':')) return ip !== '::' && !/^ff/i.test(ip);
  const v4 = parseIpv4(ip);
  return v4 !== null && !isNonHostIpv4(v4);
}

/**
 * The key of a fact about one side of a packet (MacFact.mac): its device MAC; '' when the frame names no interface for
 * it (no link-layer address: raw IP, BSD null / loopback, the destination of a Linux cooked capture; or the all-zero
 * MAC of Linux loopback frames) and `ip` is a host address; null otherwise (a group MAC: broadcast and multicast MACs
 * are never a device; or a group IP address). A fact keyed '' must carry `ip` (MacFact.ip): the ingest gives it to the
 * IP-keyed device of the endpoint (no MAC, ip), as the endpoint accumulator keys such hosts.
 */
export function factMac(mac: string | null, ip: string): string | null {
  if (mac !== null && mac !== ZERO_MAC) return isDeviceMac(mac) ? mac : null;
  return isHostIpText(ip) ? '' : null;
}

/**
 * The IP a fact about the sender of a link-local message carries (MacFact.ip), given its key `mac` (factMac): none when
 * keyed by a device MAC (link-local traffic is never forwarded: the MAC is the sender's own, the fact stays on that
 * MAC's device); the sender's `ip` when it has no MAC ('') — its only handle.
 */
export function linkLocalSenderIp(mac: string, ip: string): string | undefined {
  return mac === '' ? ip : undefined;
}

/**
 * The sender's IP for a fact taken from a datagram (MacFact.ip): `ctx.src_ip` when the frame went to a unicast MAC (it
 * may have crossed a router) or the sender has no MAC (factMac ''), undefined for a broadcast or multicast frame from a
 * device MAC (never forwarded by a router: its source MAC is the sender's own, and the fact stays on that MAC's device).
 */
export function unicastSenderIp(ctx: PacketContext): string | undefined {
  return isDeviceMac(ctx.dst_mac) || factMac(ctx.src_mac, ctx.src_ip) === '' ? ctx.src_ip : undefined;
}
