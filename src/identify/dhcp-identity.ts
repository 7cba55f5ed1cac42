/**
 * Identity facts from DHCP observations (RFC 2131/2132), per client MAC (chaddr):
 * - hostname (option 12) and client FQDN (option 81) → `hostname` attributes;
 * - vendor class (60), parameter request list order (55, the classic DHCP fingerprint), client identifier (61) and
 *   user class (77) → raw `dhcp_*` attributes, the evidence later fingerprint rules match on;
 * - a server ACK binds chaddr ↔ yiaddr for the lease (an IP binding with source `dhcp`).
 * Values are kept as seen; nothing here decides what a device is.
 */
import type { Observation } from '../observe/observation.js';

/** Confidence of each DHCP-derived fact. */
export const DHCP_CONFIDENCE = {
  /** The client names itself (option 12) — usually the configured hostname. */
  hostname: 0.7,
  /** The client's FQDN option. */
  fqdn: 0.7,
  /** Raw values copied from the wire: certain as facts (their meaning is for the fingerprint rules). */
  raw: 1,
  /** A server's ACK assigning yiaddr to chaddr. */
  binding: 0.95,
} as const;

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
}

/** A DHCP lease binding. */
export interface DhcpBinding {
  mac: string;
  ip: string;
  first: number;
  last: number;
  leaseSeconds: number | null;
}

/** Something that turns observations into per-MAC facts during an ingest. */
export interface IdentityCollector {
  observe(o: Observation): void;
  allFacts(): MacFact[];
  allBindings(): DhcpBinding[];
}

/** Collects DHCP identity facts during an ingest. */
export class DhcpIdentityCollector implements IdentityCollector {
  private readonly facts = new Map<string, MacFact>();
  private readonly bindings = new Map<string, DhcpBinding>();

  private fact(mac: string, name: string, value: string, confidence: number, evidence: string, ts: number): void {
    const key = `${mac}\u0000${name}\u0000${value}`;
    const f = this.facts.get(key);
    if (f) {
      if (ts < f.first) f.first = ts;
      if (ts > f.last) f.last = ts;
    } else this.facts.set(key, { mac, source: 'dhcp', name, value, confidence, evidence, first: ts, last: ts });
  }

  /** Consumes one observation (others than DHCP are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'dhcp') return;
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const mac = m.chaddr;
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) || mac === '00:00:00:00:00:00') return;
    const type = m.msg_type_name ?? `type ${m.msg_type ?? '?'}`;
    const isClient = m.op === 1;
    if (isClient) {
      const ev = (opt: string): string => `DHCP ${type} from ${mac}, ${opt}`;
      if (m.hostname) this.fact(mac, 'hostname', m.hostname, DHCP_CONFIDENCE.hostname, ev('option 12 (host name)'), ts);
      if (m.client_fqdn?.name) this.fact(mac, 'hostname', m.client_fqdn.name, DHCP_CONFIDENCE.fqdn, ev('option 81 (client FQDN)'), ts);
      if (m.vendor_class) this.fact(mac, 'dhcp_vendor_class', m.vendor_class, DHCP_CONFIDENCE.raw, ev('option 60 (vendor class)'), ts);
      if (m.param_list && m.param_list.length > 0) {
        this.fact(mac, 'dhcp_parameter_list', m.param_list.join(','), DHCP_CONFIDENCE.raw, ev('option 55 (parameter request list, wire order)'), ts);
      }
      if (m.user_class && m.user_class.length > 0) this.fact(mac, 'dhcp_user_class', m.user_class.join(','), DHCP_CONFIDENCE.raw, ev('option 77 (user class)'), ts);
      if (m.client_id) this.fact(mac, 'dhcp_client_id', `${m.client_id.type}:${m.client_id.value}`, DHCP_CONFIDENCE.raw, ev('option 61 (client identifier)'), ts);
    } else if (m.msg_type === 5 && m.yiaddr && m.yiaddr !== '0.0.0.0') {
      const key = `${mac}|${m.yiaddr}`;
      const b = this.bindings.get(key);
      if (b) {
        if (ts < b.first) b.first = ts;
        if (ts > b.last) b.last = ts;
        if (m.lease_time !== null && m.lease_time !== undefined) b.leaseSeconds = m.lease_time;
      } else this.bindings.set(key, { mac, ip: m.yiaddr, first: ts, last: ts, leaseSeconds: m.lease_time ?? null });
    }
  }

  /** Attribute facts per MAC. */
  allFacts(): MacFact[] {
    return [...this.facts.values()];
  }

  /** ACK bindings. */
  allBindings(): DhcpBinding[] {
    return [...this.bindings.values()];
  }
}
