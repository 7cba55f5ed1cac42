/**
 * Identity facts from SSDP (UPnP Device Architecture §1), keyed by the sender's Ethernet MAC and kept as seen:
 * - NOTIFY announcements and search responses describe the sender: SERVER (OS and UPnP product) → `ssdp_server`,
 *   USN uuid → `upnp_uuid`, LOCATION (its device description URL) → `upnp_location`, device types announced in
 *   NT/ST (`urn:…:device:…`) → `upnp_device_type`;
 * - search requests describe the searching host: USER-AGENT → `ssdp_user_agent`;
 * - a UPnP device description (UDA 1.1 §2.3) read from an HTTP response (the document at LOCATION) describes the
 *   HTTP server: manufacturer → `upnp_manufacturer`, modelName → `upnp_model_name`, modelNumber →
 *   `upnp_model_number`, serialNumber → `upnp_serial`, friendlyName → `upnp_friendly_name`, deviceType (and embedded
 *   device types) → `upnp_device_type`, UDN → `upnp_uuid`, modelDescription → `upnp_model_description`. These carry
 *   the server's IP (MacFact.ip): a description fetched across a router lands on the device owning that IP.
 * The SSDP messages themselves stay keyed by the sender's MAC: NOTIFY and M-SEARCH go to the link's multicast group
 * (not forwarded by routers) and a search response answers such a search, so its sender is on the link too; a sender
 * without a MAC (raw IP, loopback captures: factMac) is keyed by its source IP instead.
 */
import type { Observation, PacketContext } from '../observe/observation.js';
import type { UpnpDescription } from '../protocols/ssdp/description.js';
import { forEachFieldFact, type FieldFact } from './field-facts.js';
import { factMac, FactBook, type IdentityCollector, linkLocalSenderIp, type MacFact } from './identity-collector.js';

/** Confidence of facts from a device description: the device describing itself. */
const DESCRIPTION_CONFIDENCE = 0.9;

/** The description fields kept, by fact name. */
const DESCRIPTION_FACTS: readonly FieldFact<UpnpDescription>[] = [
  ['manufacturer', 'upnp_manufacturer', 'manufacturer'],
  ['model_name', 'upnp_model_name', 'modelName'],
  ['model_number', 'upnp_model_number', 'modelNumber'],
  ['model_description', 'upnp_model_description', 'modelDescription'],
  ['serial_number', 'upnp_serial', 'serialNumber'],
  ['friendly_name', 'upnp_friendly_name', 'friendlyName'],
  ['device_type', 'upnp_device_type', 'deviceType'],
];

/** Collects SSDP self-descriptions during an ingest. */
export class SsdpIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['http', 'ssdp'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind === 'http' && o.msg.xml_metadata?.format === 'upnp') this.description(o.ctx, o.msg.xml_metadata);
    if (o.kind !== 'ssdp') return;
    const mac = factMac(o.ctx.src_mac, o.ctx.src_ip);
    if (mac === null) return;
    const ip = linkLocalSenderIp(mac, o.ctx.src_ip);
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const what = m.kind === 'notify' ? `SSDP NOTIFY ${m.nts ?? ''}`.trim() : m.kind === 'response' ? 'SSDP search response' : 'SSDP M-SEARCH';
    const ev = (h: string): string => `${what} from ${o.ctx.src_ip}: ${h} header`;
    if (m.kind === 'notify' || m.kind === 'response') {
      if (m.nts === 'ssdp:byebye') return;
      if (m.server) this.facts.add(mac, 'ssdp', 'ssdp_server', m.server, 1, ev('SERVER'), ts, ip);
      if (m.uuid) this.facts.add(mac, 'ssdp', 'upnp_uuid', m.uuid, 1, ev('USN'), ts, ip);
      if (m.location) this.facts.add(mac, 'ssdp', 'upnp_location', m.location, 1, ev('LOCATION'), ts, ip);
      const type = m.kind === 'notify' ? m.nt : m.st;
      if (type && /:device:/i.test(type)) this.facts.add(mac, 'ssdp', 'upnp_device_type', type, 1, ev(m.kind === 'notify' ? 'NT' : 'ST'), ts, ip);
    } else if (m.kind === 'search' && m.user_agent) {
      this.facts.add(mac, 'ssdp', 'ssdp_user_agent', m.user_agent, 1, ev('USER-AGENT'), ts, ip);
    }
  }

  /** A UPnP device description in an HTTP response: about the server (the context's destination). */
  private description(c: PacketContext, d: UpnpDescription): void {
    const mac = factMac(c.dst_mac, c.dst_ip);
    if (mac === null) return;
    const ev = (element: string): string => `UPnP device description (HTTP response from ${c.dst_ip}:${c.dst_port}): ${element}`;
    const add = (name: string, value: string | null, element: string): void => {
      if (value) this.facts.add(mac, 'ssdp', name, value, DESCRIPTION_CONFIDENCE, ev(element), c.ts_us, c.dst_ip);
    };
    forEachFieldFact(d, DESCRIPTION_FACTS, add);
    if (d.udn?.toLowerCase().startsWith('uuid:')) add('upnp_uuid', d.udn.slice(5), 'UDN');
    for (const t of d.embedded_device_types) add('upnp_device_type', t, 'deviceList/device/deviceType');
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

}
