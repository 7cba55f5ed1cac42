/**
 * Identity facts from SSDP (UPnP Device Architecture §1), keyed by the sender's Ethernet MAC and kept as seen:
 * - NOTIFY announcements and search responses describe the sender: SERVER (OS and UPnP product) → `ssdp_server`,
 *   USN uuid → `upnp_uuid`, LOCATION (its device description URL) → `upnp_location`, device types announced in
 *   NT/ST (`urn:…:device:…`) → `upnp_device_type`;
 * - search requests describe the searching host: USER-AGENT → `ssdp_user_agent`.
 */
import type { Observation } from '../observe/observation.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

/** Collects SSDP self-descriptions during an ingest. */
export class SsdpIdentityCollector implements IdentityCollector {
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'ssdp') return;
    const mac = o.ctx.src_mac;
    if (!isDeviceMac(mac)) return;
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const what = m.kind === 'notify' ? `SSDP NOTIFY ${m.nts ?? ''}`.trim() : m.kind === 'response' ? 'SSDP search response' : 'SSDP M-SEARCH';
    const ev = (h: string): string => `${what} from ${o.ctx.src_ip}: ${h} header`;
    if (m.kind === 'notify' || m.kind === 'response') {
      if (m.nts === 'ssdp:byebye') return;
      if (m.server) this.facts.add(mac, 'ssdp', 'ssdp_server', m.server, 1, ev('SERVER'), ts);
      if (m.uuid) this.facts.add(mac, 'ssdp', 'upnp_uuid', m.uuid, 1, ev('USN'), ts);
      if (m.location) this.facts.add(mac, 'ssdp', 'upnp_location', m.location, 1, ev('LOCATION'), ts);
      const type = m.kind === 'notify' ? m.nt : m.st;
      if (type && /:device:/i.test(type)) this.facts.add(mac, 'ssdp', 'upnp_device_type', type, 1, ev(m.kind === 'notify' ? 'NT' : 'ST'), ts);
    } else if (m.kind === 'search' && m.user_agent) {
      this.facts.add(mac, 'ssdp', 'ssdp_user_agent', m.user_agent, 1, ev('USER-AGENT'), ts);
    }
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

}
