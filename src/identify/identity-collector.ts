/**
 * The shape shared by identity collectors: each consumes observations during an ingest and yields per-MAC facts
 * (attribute values with source, confidence and evidence) and address bindings, applied to the devices once the
 * run's devices are known.
 */
import type { Observation } from '../observe/observation.js';
import { isGroupMac, parseMac } from '../decode/address.js';

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
  observe(o: Observation): void;
  allFacts(): MacFact[];
  /** Address bindings, for collectors whose protocol assigns addresses. */
  allBindings?(): AddressBinding[];
}


/** De-duplicates facts (MAC, source, name, value), widening their time span. */
export class FactBook {
  private readonly facts = new Map<string, MacFact>();

  /**
   * Records one sighting of a fact at time `ts` (µs).
   * @param ip the sender's IP address when the fact comes from routed unicast traffic (see MacFact.ip).
   */
  add(mac: string, source: string, name: string, value: string, confidence: number, evidence: string, ts: number, ip?: string): void {
    const key = `${mac}\u0000${ip ?? ''}\u0000${source}\u0000${name}\u0000${value}`;
    const f = this.facts.get(key);
    if (f) {
      if (ts < f.first) f.first = ts;
      if (ts > f.last) f.last = ts;
    } else {
      const fact: MacFact = { mac, source, name, value, confidence, evidence, first: ts, last: ts };
      if (ip !== undefined) fact.ip = ip;
      this.facts.set(key, fact);
    }
  }

  /** Every fact recorded. */
  all(): MacFact[] {
    return [...this.facts.values()];
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

/** True for a unicast, non-zero Ethernet MAC in aa:bb:cc:dd:ee:ff form (a device key candidate). */
export function isDeviceMac(mac: string | null): mac is string {
  if (mac === null) return false;
  let yes = deviceMacs.get(mac);
  if (yes === undefined) {
    if (deviceMacs.size >= MAX_REMEMBERED_MACS) deviceMacs.clear();
    const m = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) ? parseMac(mac)! : 0;
    yes = m !== 0 && !isGroupMac(m);
    deviceMacs.set(mac, yes);
  }
  return yes;
}
