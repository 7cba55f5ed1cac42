/**
 * Identity facts from DHCPv6 (RFC 8415), per client MAC, kept as seen:
 * - client messages (solicit, request, confirm, renew, rebind, release, decline, information-request): the client
 *   DUID → `dhcpv6_duid` (hex), the option request list in wire order (a client fingerprint, like DHCPv4 option 55)
 *   → `dhcpv6_oro`, each vendor class → `dhcpv6_vendor_class` (`enterprise:data,data`), the user class →
 *   `dhcpv6_user_class`, the client FQDN → `dhcpv6_fqdn` and `hostname`, the MUD URL (RFC 8520) → `dhcpv6_mud_url`,
 *   and every enterprise number (DUID-EN, vendor class, vendor options) → `dhcpv6_enterprise`;
 * - a server Reply sent straight to a client binds the client's MAC to each address of its IA_NA with a non-zero
 *   valid lifetime and no error status (an IPv6 binding with source `dhcpv6`).
 * The client's MAC is the Ethernet source of a message sent directly; for a relayed message it is the client
 * link-layer address (option 79, RFC 6939) the first relay added, else the Ethernet address inside a DUID-LLT or
 * DUID-LL (facts about a MAC seen nowhere else in the capture are dropped with it). Relayed replies bind nothing
 * (their Ethernet destination is the next relay). Nothing here decides what a device is.
 */
import type { Observation } from '../observe/observation.js';
import type { Dhcpv6Message } from '../protocols/dhcpv6/parser.js';
import { type AddressBinding, BindingBook, FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

/** Confidence of each DHCPv6-derived fact. */
export const DHCPV6_CONFIDENCE = {
  /** The client's FQDN option, as a host name. */
  fqdn: 0.7,
  /** Raw values copied from the wire. */
  raw: 1,
} as const;

/** Message types a client sends (RFC 8415 §7.3). */
const CLIENT_MESSAGES = new Set([1, 3, 4, 5, 6, 8, 9, 11]);
/** REPLY (RFC 8415 §7.3). */
const REPLY = 7;
/** A valid lifetime of all ones: infinite (RFC 8415 §7.7). */
const INFINITE_LIFETIME = 0xffffffff;

/**
 * The client MAC of a client message: the Ethernet source of a direct message; for a relayed one the innermost
 * relay's option 79, else the Ethernet link-layer address of a DUID-LLT / DUID-LL (the client's own interface address
 * when the DUID was made).
 */
function clientMac(m: Dhcpv6Message, srcMac: string | null): { mac: string | null; how: string } {
  if (m.relays.length === 0) return { mac: srcMac, how: '' };
  const fromRelay = m.relays[m.relays.length - 1]!.client_link_layer_address;
  if (fromRelay !== null) return { mac: fromRelay, how: ' (relayed; MAC from option 79)' };
  const d = m.client_id;
  return { mac: d?.hw_type === 1 ? d.link_layer_address : null, how: ' (relayed; MAC from the client DUID)' };
}

/** Every enterprise number of a client message, with where it came from. */
function enterprises(m: Dhcpv6Message): [number, string][] {
  const out: [number, string][] = [];
  if (m.client_id?.enterprise != null) out.push([m.client_id.enterprise, 'client DUID-EN']);
  for (const v of m.vendor_class) out.push([v.enterprise, 'option 16 (vendor class)']);
  for (const v of m.vendor_opts) out.push([v.enterprise, 'option 17 (vendor-specific information)']);
  return out;
}

/** Collects DHCPv6 identity facts and address bindings during an ingest. */
export class Dhcpv6IdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['dhcpv6'] as const;
  private readonly facts = new FactBook();
  private readonly bindings = new BindingBook();

  /** Consumes one observation (others than DHCPv6 are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'dhcpv6') return;
    const m = o.msg;
    if (CLIENT_MESSAGES.has(m.msg_type)) {
      const c = clientMac(m, o.ctx.src_mac);
      this.clientFacts(m, c.mac, c.how, o.ctx.ts_us);
    }
    else if (m.msg_type === REPLY && m.relays.length === 0) this.replyBindings(m, o.ctx.dst_mac, o.ctx.ts_us);
  }

  private clientFacts(m: Dhcpv6Message, mac: string | null, via: string, ts: number): void {
    if (!isDeviceMac(mac)) return;
    const fact = (name: string, value: string, confidence: number, opt: string): void =>
      this.facts.add(mac, 'dhcpv6', name, value, confidence, `DHCPv6 ${m.msg_type_name ?? m.msg_type} from ${mac}${via}, ${opt}`, ts);
    if (m.client_id) fact('dhcpv6_duid', m.client_id.duid, DHCPV6_CONFIDENCE.raw, 'option 1 (client DUID)');
    if (m.oro && m.oro.length > 0) fact('dhcpv6_oro', m.oro.join(','), DHCPV6_CONFIDENCE.raw, 'option 6 (option request, wire order)');
    for (const v of m.vendor_class) fact('dhcpv6_vendor_class', `${v.enterprise}:${v.data.join(',')}`, DHCPV6_CONFIDENCE.raw, 'option 16 (vendor class)');
    if (m.user_class && m.user_class.length > 0) fact('dhcpv6_user_class', m.user_class.join(','), DHCPV6_CONFIDENCE.raw, 'option 15 (user class)');
    if (m.client_fqdn?.name) {
      fact('dhcpv6_fqdn', m.client_fqdn.name, DHCPV6_CONFIDENCE.raw, 'option 39 (client FQDN)');
      fact('hostname', m.client_fqdn.name, DHCPV6_CONFIDENCE.fqdn, 'option 39 (client FQDN)');
    }
    if (m.mud_url) fact('dhcpv6_mud_url', m.mud_url, DHCPV6_CONFIDENCE.raw, 'option 112 (MUD URL)');
    for (const [n, where] of enterprises(m)) fact('dhcpv6_enterprise', String(n), DHCPV6_CONFIDENCE.raw, where);
  }

  private replyBindings(m: Dhcpv6Message, mac: string | null, ts: number): void {
    if (!isDeviceMac(mac)) return;
    for (const ia of m.ia_na) {
      if (ia.status_code !== null && ia.status_code !== 0) continue;
      for (const e of ia.entries) {
        if (e.valid_lifetime === 0 || (e.status_code !== null && e.status_code !== 0)) continue;
        this.bindings.add(mac, e.address, 6, 'dhcpv6', ts, e.valid_lifetime === INFINITE_LIFETIME ? null : e.valid_lifetime);
      }
    }
  }

  /** Attribute facts per MAC. */
  allFacts(): MacFact[] {
    return this.facts.all();
  }

  /** Reply bindings. */
  allBindings(): AddressBinding[] {
    return this.bindings.all();
  }
}
