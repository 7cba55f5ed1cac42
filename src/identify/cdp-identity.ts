/**
 * Identity facts from CDP (Cisco Discovery Protocol v1/v2), keyed by the frame's source MAC (the sending port's MAC):
 * Device ID → `cdp_device_id`, Platform → `cdp_platform`, Software Version → `cdp_software_version`, Capabilities →
 * `cdp_capabilities` (names joined with ","), and the IPv4/IPv6 addresses of the Management Addresses and Addresses
 * TLVs (the unspecified address excepted) → `cdp_mgmt_ip`. Values are kept as sent; nothing here decides what a
 * device is.
 */
import type { Observation } from '../observe/observation.js';
import type { CdpAddress } from '../protocols/cdp/parser.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

/** Confidence of CDP facts: the device describes itself. */
export const CDP_CONFIDENCE = 1;

/** Collects CDP self-descriptions during an ingest. */
export class CdpIdentityCollector implements IdentityCollector {
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'cdp') return;
    const mac = o.ctx.src_mac;
    if (!isDeviceMac(mac)) return;
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const port = m.port_id === null ? '' : ` (port ${m.port_id})`;
    const add = (name: string, value: string, tlv: string): void => {
      if (value !== '') this.facts.add(mac, 'cdp', name, value, CDP_CONFIDENCE, `CDPv${m.version} from ${mac}${port}: ${tlv}`, ts);
    };
    if (m.device_id !== null) add('cdp_device_id', m.device_id, 'Device ID TLV');
    if (m.platform !== null) add('cdp_platform', m.platform, 'Platform TLV');
    if (m.software_version !== null) add('cdp_software_version', m.software_version, 'Software Version TLV');
    if (m.capabilities !== null) add('cdp_capabilities', m.capabilities.join(','), 'Capabilities TLV');
    const ips = (list: CdpAddress[] | null, tlv: string): void => {
      for (const a of list ?? []) if (a.family !== null && a.address !== '0.0.0.0' && a.address !== '::') add('cdp_mgmt_ip', a.address, tlv);
    };
    ips(m.management_addresses, 'Management Addresses TLV');
    ips(m.addresses, 'Addresses TLV');
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}
