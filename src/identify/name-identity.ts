/**
 * Identity facts a host announces about itself in multicast DNS (RFC 6762/6763) and LLMNR (RFC 4795) responses:
 * - an A/AAAA record whose address is the responder's own source address names the host → `hostname`
 *   (the `.local` suffix removed);
 * - DNS-SD: PTR records of service types it offers → `mdns_service`; TXT key=value pairs of its service instances
 *   (`model=`, `md=`, `ty=`, `usb_MDL=`, …) → `mdns_txt`; HINFO → `mdns_hinfo`.
 * Facts are keyed by the responder's Ethernet source MAC; values are kept as seen. Both protocols are link-local
 * (RFC 6762 §11, RFC 4795 §2.5: responders answer only on-link queries, routers do not forward them), so the source
 * MAC is the responder's own even when it answers in unicast: no fact carries an IP (MacFact.ip), unless the responder
 * has no MAC (raw IP, loopback captures: factMac), when its source IP is the only handle.
 */
import type { Observation } from '../observe/observation.js';
import type { DnsRecord } from '../protocols/dns/parser.js';
import { factMac, FactBook, type IdentityCollector, linkLocalSenderIp, type MacFact } from './identity-collector.js';

/** Confidence of name facts. */
export const NAME_CONFIDENCE = { mdns_hostname: 0.8, llmnr_hostname: 0.7, raw: 1 } as const;

/** Most TXT strings kept per record (DNS-SD records can be long). */
const MAX_TXT_FACTS = 32;

function stripDot(n: string): string {
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Collects mDNS / LLMNR self-announcements during an ingest. */
export class NameIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['dns'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'dns') return;
    const m = o.msg;
    if (!m.qr || m.service === 'dns') return;
    const mac = factMac(o.ctx.src_mac, o.ctx.src_ip);
    if (mac === null) return;
    const ip = linkLocalSenderIp(mac, o.ctx.src_ip);
    const ts = o.ctx.ts_us;
    const src = m.service;
    const records: DnsRecord[] = [...m.answers, ...m.additionals];
    for (const r of records) {
      if (r.name === null) continue;
      const name = stripDot(r.name);
      if ((r.type_name === 'A' || r.type_name === 'AAAA') && r.rdata === o.ctx.src_ip) {
        const host = src === 'mdns' ? name.replace(/\.local$/i, '') : name;
        if (host !== '') {
          this.facts.add(mac, src, 'hostname', host, src === 'mdns' ? NAME_CONFIDENCE.mdns_hostname : NAME_CONFIDENCE.llmnr_hostname,
            `${src} response from ${o.ctx.src_ip}: ${r.type_name} record ${name} -> its own address`, ts, ip);
        }
      } else if (src === 'mdns' && r.type_name === 'PTR' && typeof r.rdata === 'string' && /^_[^.]+\._(tcp|udp)\.local$/i.test(name)) {
        this.facts.add(mac, src, 'mdns_service', name.replace(/\.local$/i, ''), NAME_CONFIDENCE.raw, `mDNS response: PTR ${name} -> ${stripDot(r.rdata)}`, ts, ip);
      } else if (src === 'mdns' && r.type_name === 'TXT' && Array.isArray(r.rdata)) {
        for (const t of r.rdata.slice(0, MAX_TXT_FACTS)) {
          if (!/^[A-Za-z0-9_.-]{1,32}=./.test(t)) continue;
          this.facts.add(mac, src, 'mdns_txt', t, NAME_CONFIDENCE.raw, `mDNS response: TXT of ${name}`, ts, ip);
        }
      } else if (src === 'mdns' && r.type_name === 'HINFO' && typeof r.rdata === 'object' && r.rdata !== null && 'cpu' in r.rdata) {
        this.facts.add(mac, src, 'mdns_hinfo', `${r.rdata.cpu} / ${r.rdata.os}`, NAME_CONFIDENCE.raw, `mDNS response: HINFO of ${name}`, ts, ip);
      }
    }
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

}
