/**
 * Identity facts from NetBIOS (RFC 1001/1002, [MS-BRWS]), keyed by the sender's Ethernet MAC:
 * - a name registration / refresh, or an NBSTAT node-status answer, for the sender's own address: the unique
 *   workstation name (suffix 0x00) → `hostname`, the group name with suffix 0x00 → `netbios_workgroup`;
 * - a domain/workgroup announcement: the workgroup → `netbios_workgroup`, the master browser named in its comment →
 *   `hostname`;
 * - a browser host / local-master announcement: server name → `hostname`, OS version → `netbios_os_version`
 *   (e.g. "6.1", which fingerprint rules map to an OS), server type flags → `netbios_server_type`, comment →
 *   `netbios_comment`.
 * Broadcast NetBIOS (name registration on the segment, browser announcements) never crosses a router: its source MAC
 * is the sender's own (a sender without a MAC, in a raw-IP or loopback capture, is keyed by its IP: factMac). Unicast
 * NetBIOS does (a registration or refresh sent to a WINS server, a node-status answer, an announcement to a domain
 * master browser): its facts carry the sender's IP (MacFact.ip), so a host behind a router gets them on its own
 * (IP-keyed) device (unicastSenderIp).
 */
import type { Observation } from '../observe/observation.js';
import { factMac, FactBook, type IdentityCollector, type MacFact, unicastSenderIp } from './identity-collector.js';

/** Confidence of NetBIOS facts. */
export const NETBIOS_CONFIDENCE = { hostname: 0.7, announced_hostname: 0.75, raw: 1 } as const;

/** Collects NetBIOS self-descriptions during an ingest. */
export class NetbiosIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['nbns', 'nbdgm'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'nbns' && o.kind !== 'nbdgm') return;
    const mac = factMac(o.ctx.src_mac, o.ctx.src_ip);
    if (mac === null) return;
    const ts = o.ctx.ts_us;
    if (o.kind === 'nbns') {
      const ip = unicastSenderIp(o.ctx);
      const m = o.msg;
      const op = m.opcode_name ?? String(m.opcode);
      // Registrations/refreshes (requests) carry the sender's names in the additional section; node-status
      // answers list the names of the responder.
      for (const rr of [...m.additional, ...m.answers]) {
        const own = rr.addresses?.some((a) => a.address === o.ctx.src_ip) ?? false;
        if (own && rr.name.suffix === 0x00) {
          const group = rr.addresses!.some((a) => a.group);
          this.facts.add(mac, 'nbns', group ? 'netbios_workgroup' : 'hostname', rr.name.name, group ? NETBIOS_CONFIDENCE.raw : NETBIOS_CONFIDENCE.hostname,
            `NBNS ${op} from ${o.ctx.src_ip}: name ${rr.name.name}<00> for its own address`, ts, ip);
        }
        if (m.response && rr.node_names) {
          for (const n of rr.node_names) {
            if (n.suffix !== 0x00) continue;
            this.facts.add(mac, 'nbns', n.group ? 'netbios_workgroup' : 'hostname', n.name, n.group ? NETBIOS_CONFIDENCE.raw : NETBIOS_CONFIDENCE.hostname,
              `NBNS node status answer from ${o.ctx.src_ip}: ${n.group ? 'group' : 'unique'} name ${n.name}<00>`, ts, ip);
          }
        }
      }
    } else if (o.kind === 'nbdgm') {
      const ip = unicastSenderIp(o.ctx);
      const b = o.msg.browser;
      if (!b || b.server_name === null) return;
      const what = `browser ${b.opcode_name ?? b.opcode} from ${o.ctx.src_ip}`;
      if (b.opcode === 0x0c) {
        // Domain/workgroup announcement ([MS-BRWS] 2.2.3): ServerName is the workgroup, Comment the master browser.
        this.facts.add(mac, 'netbios_browser', 'netbios_workgroup', b.server_name, NETBIOS_CONFIDENCE.raw, `${what}: workgroup name`, ts, ip);
        if (b.comment) this.facts.add(mac, 'netbios_browser', 'hostname', b.comment, NETBIOS_CONFIDENCE.hostname, `${what}: master browser name`, ts, ip);
        return;
      }
      this.facts.add(mac, 'netbios_browser', 'hostname', b.server_name, NETBIOS_CONFIDENCE.announced_hostname, `${what}: server name`, ts, ip);
      if (b.os_major !== null && b.os_minor !== null) {
        this.facts.add(mac, 'netbios_browser', 'netbios_os_version', `${b.os_major}.${b.os_minor}`, NETBIOS_CONFIDENCE.raw, `${what}: OS version field`, ts, ip);
      }
      if (b.server_type_flags && b.server_type_flags.length > 0) {
        this.facts.add(mac, 'netbios_browser', 'netbios_server_type', b.server_type_flags.join(','), NETBIOS_CONFIDENCE.raw, `${what}: server type flags`, ts, ip);
      }
      if (b.comment) this.facts.add(mac, 'netbios_browser', 'netbios_comment', b.comment, NETBIOS_CONFIDENCE.raw, `${what}: comment`, ts, ip);
    }
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

}
