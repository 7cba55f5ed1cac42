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
   * The IP address of the host the fact is about, when the MAC is the one its packets carried across a link: a TCP
   * server may sit behind a router, whose MAC that then is. The ingest gives such a fact to the device keyed by this
   * IP, and drops it rather than give it to the router.
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
   * @param ip the IP address of the host the fact is about, for facts about a TCP/UDP peer (see MacFact.ip).
   */
  add(mac: string, source: string, name: string, value: string, confidence: number, evidence: string, ts: number, ip?: string): void {
    const key = `${mac}\u0000${ip ?? ''}\u0000${source}\u0000${name}\u0000${value}`;
    const f = this.facts.get(key);
    if (f) {
      if (ts < f.first) f.first = ts;
      if (ts > f.last) f.last = ts;
    } else this.facts.set(key, { mac, source, name, value, confidence, evidence, first: ts, last: ts, ...(ip === undefined ? {} : { ip }) });
  }

  /** Every fact recorded. */
  all(): MacFact[] {
    return [...this.facts.values()];
  }
}

/** True for a unicast, non-zero Ethernet MAC in aa:bb:cc:dd:ee:ff form (a device key candidate). */
export function isDeviceMac(mac: string | null): mac is string {
  if (mac === null || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) return false;
  const m = parseMac(mac)!;
  return m !== 0 && !isGroupMac(m);
}
