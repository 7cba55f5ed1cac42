/**
 * Identity facts from DHCP observations (RFC 2131/2132), per client MAC (chaddr):
 * - hostname (option 12) and client FQDN (option 81) → `hostname` attributes;
 * - vendor class (60), parameter request list order (55, the classic DHCP fingerprint), client identifier (61) and
 *   user class (77) → raw `dhcp_*` attributes, the evidence later fingerprint rules match on;
 * - a server ACK binds chaddr ↔ yiaddr for the lease (an IP binding with source `dhcp`);
 * - the sender of an OFFER or ACK whose server identifier (option 54, RFC 2132 §9.7) is its own source address is a
 *   DHCP server → `dhcp_server` (`DHCPOFFER` / `DHCPACK`) on the sender (a relay agent forwarding another server's
 *   reply sends from its own address, so it gets none).
 * Values are kept as seen; nothing here decides what a device is.
 */
import type { DhcpObservation, Observation } from '../observe/observation.js';
import { type AddressBinding, BindingBook, FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

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

/** Collects DHCP identity facts during an ingest. */
export class DhcpIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['dhcp'] as const;
  private readonly facts = new FactBook();
  private readonly bindings = new BindingBook();

  private fact(mac: string, name: string, value: string, confidence: number, evidence: string, ts: number, ip?: string): void {
    this.facts.add(mac, 'dhcp', name, value, confidence, evidence, ts, ip);
  }

  /** `dhcp_server` on the sender of an OFFER or ACK that names itself as the server (see the module comment). */
  private serverReply(o: DhcpObservation): void {
    const m = o.msg;
    const src = o.ctx.src_ip;
    if ((m.msg_type !== 2 && m.msg_type !== 5) || m.server_id !== src || !isDeviceMac(o.ctx.src_mac)) return;
    const type = m.msg_type === 2 ? 'DHCPOFFER' : 'DHCPACK';
    this.fact(o.ctx.src_mac, 'dhcp_server', type, DHCP_CONFIDENCE.raw, `${type} from ${src} to ${m.chaddr}, server identifier (option 54) = its source address`,
      o.ctx.ts_us, src);
  }

  /** Consumes one observation (others than DHCP are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'dhcp') return;
    if (o.msg.op === 2) this.serverReply(o);
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const mac = m.chaddr;
    if (!isDeviceMac(mac)) return;
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
      this.bindings.add(mac, m.yiaddr, 4, 'dhcp', ts, m.lease_time ?? null);
    }
  }

  /** Attribute facts per MAC. */
  allFacts(): MacFact[] {
    return this.facts.all();
  }

  /** ACK bindings. */
  allBindings(): AddressBinding[] {
    return this.bindings.all();
  }
}
