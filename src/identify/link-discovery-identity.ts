/**
 * Identity facts from the link-layer discovery protocols LLDP (IEEE 802.1AB, LLDP-MED ANSI/TIA-1057, RFC 8520) and
 * CDP (Cisco Discovery Protocol), keyed by the frame's source MAC — the MAC of the sending port, which on a switch or
 * a multi-port device is not the chassis MAC (LLDP's chassis id is kept as its own fact for that reason). When the
 * Chassis ID is a MAC address, that MAC is also credited with the system name, description and capabilities.
 *
 * LLDP (source `lldp`): System Name → `lldp_system_name`, System Description → `lldp_system_description`, System
 * Capabilities → `lldp_capabilities` (supported names joined with ",") and `lldp_enabled_capabilities`, Chassis ID →
 * `lldp_chassis_id` (the evidence names its subtype), Management Address TLVs with an IPv4/IPv6 address →
 * `lldp_mgmt_ip`, LLDP-MED device type and inventory → `lldp_med_device_type`, `lldp_med_hardware_revision`,
 * `lldp_med_firmware_revision`, `lldp_med_software_revision`, `lldp_med_serial_number`, `lldp_med_manufacturer`,
 * `lldp_med_model`, `lldp_med_asset_id`, the RFC 8520 MUD URL → `lldp_mud_url`.
 *
 * CDP (source `cdp`): Device ID → `cdp_device_id`, Platform → `cdp_platform`, Software Version →
 * `cdp_software_version`, Capabilities → `cdp_capabilities`, IPv4/IPv6 addresses of the Management Addresses and
 * Addresses TLVs → `cdp_mgmt_ip`.
 *
 * Unspecified addresses (0.0.0.0, ::) name no management interface and are skipped. Values are kept as sent;
 * nothing here decides what a device is. Both protocols are link-layer only (no IP: a router never forwards them),
 * so the source MAC is always the sender's own and no fact carries an IP (MacFact.ip); a frame without a source MAC
 * gives no fact.
 */
import type { CdpObservation, LldpObservation, Observation } from '../observe/observation.js';
import type { LldpMessage } from '../protocols/lldp/parser.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

/** Confidence of LLDP and CDP facts: the device describes itself. */
export const LINK_DISCOVERY_CONFIDENCE = 1;

/** Confidence of the facts credited to a switch's chassis MAC (named in a port's LLDP, not sent from it). */
export const CHASSIS_CONFIDENCE = 0.9;

/** LLDP-MED inventory fields and the fact each becomes (TIA-1057 §10.2.6). */
const MED_INVENTORY = {
  med_hardware_revision: ['lldp_med_hardware_revision', 'hardware revision'],
  med_firmware_revision: ['lldp_med_firmware_revision', 'firmware revision'],
  med_software_revision: ['lldp_med_software_revision', 'software revision'],
  med_serial_number: ['lldp_med_serial_number', 'serial number'],
  med_manufacturer: ['lldp_med_manufacturer', 'manufacturer name'],
  med_model: ['lldp_med_model', 'model name'],
  med_asset_id: ['lldp_med_asset_id', 'asset ID'],
} as const satisfies Partial<Record<keyof LldpMessage, readonly [string, string]>>;

/** True for an IPv4/IPv6 address that can name a management interface. */
const isSpecified = (ip: string): boolean => ip !== '0.0.0.0' && ip !== '::';

/** Records one fact: (name, value, the TLV it came from); empty values are skipped. */
type AddFact = (name: string, value: string, tlv: string) => void;

/** Collects LLDP and CDP self-descriptions during an ingest. */
export class LinkDiscoveryIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['lldp', 'cdp'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'lldp' && o.kind !== 'cdp') return;
    const mac = o.ctx.src_mac;
    if (!isDeviceMac(mac)) return;
    const m = o.msg;
    const port = m.port_id === null ? '' : ` (port ${m.port_id})`;
    const from = `${o.kind === 'lldp' ? 'LLDP' : `CDPv${o.msg.version}`} from ${mac}${port}`;
    const add: AddFact = (name, value, tlv) => {
      if (value !== '') this.facts.add(mac, o.kind, name, value, LINK_DISCOVERY_CONFIDENCE, `${from}: ${tlv}`, o.ctx.ts_us);
    };
    if (o.kind === 'lldp') {
      lldpFacts(o, add);
      this.chassisFacts(o, mac, from);
    } else cdpFacts(o, add);
  }

  /**
   * A switch sends LLDP from each port's MAC, while its chassis MAC (Chassis ID subtype 4, IEEE 802.1AB §8.5.2.2:
   * "MAC address") is the one its own management traffic uses (ARP, NTP, SNMP). That MAC is credited with the
   * system name, description and capabilities the port advertised, at CHASSIS_CONFIDENCE: the chassis is named by
   * the device itself, but not by a frame it sent.
   */
  private chassisFacts(o: LldpObservation, portMac: string, from: string): void {
    const m = o.msg;
    const chassis = m.chassis_id_subtype === 4 ? m.chassis_id : null;
    if (chassis === null || chassis === portMac || !isDeviceMac(chassis)) return;
    const add: AddFact = (name, value, tlv) => {
      if (value !== '') this.facts.add(chassis, 'lldp', name, value, CHASSIS_CONFIDENCE, `${from}: ${tlv}; this MAC is its Chassis ID`, o.ctx.ts_us);
    };
    systemFacts(m, add);
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}

/** The facts of one LLDPDU. */
/** The system TLVs (name, description, capabilities): what a port and its chassis share. */
function systemFacts(m: LldpMessage, add: AddFact): void {
  if (m.system_name !== null) add('lldp_system_name', m.system_name, 'System Name TLV');
  if (m.system_description !== null) add('lldp_system_description', m.system_description, 'System Description TLV');
  if (m.capabilities !== null) add('lldp_capabilities', m.capabilities.join(','), 'System Capabilities TLV (supported)');
  if (m.enabled_capabilities !== null) add('lldp_enabled_capabilities', m.enabled_capabilities.join(','), 'System Capabilities TLV (enabled)');
}

function lldpFacts({ msg: m }: LldpObservation, add: AddFact): void {
  systemFacts(m, add);
  if (m.chassis_id !== null) add('lldp_chassis_id', m.chassis_id, `Chassis ID TLV, subtype ${m.chassis_id_subtype_name ?? m.chassis_id_subtype}`);
  for (const a of m.management_addresses) {
    if ((a.family_name === 'ipv4' || a.family_name === 'ipv6') && isSpecified(a.address)) add('lldp_mgmt_ip', a.address, 'Management Address TLV');
  }
  if (m.med_device_type_name !== null) add('lldp_med_device_type', m.med_device_type_name, 'LLDP-MED Capabilities TLV (device type)');
  for (const [field, [name, what]] of Object.entries(MED_INVENTORY)) {
    const v = m[field as keyof typeof MED_INVENTORY];
    if (v !== null) add(name, v, `LLDP-MED Inventory TLV (${what})`);
  }
  if (m.mud_url !== null) add('lldp_mud_url', m.mud_url, 'MUD URL TLV (RFC 8520)');
}

/** The facts of one CDP PDU. */
function cdpFacts({ msg: m }: CdpObservation, add: AddFact): void {
  if (m.device_id !== null) add('cdp_device_id', m.device_id, 'Device ID TLV');
  if (m.platform !== null) add('cdp_platform', m.platform, 'Platform TLV');
  if (m.software_version !== null) add('cdp_software_version', m.software_version, 'Software Version TLV');
  if (m.capabilities !== null) add('cdp_capabilities', m.capabilities.join(','), 'Capabilities TLV');
  for (const [list, tlv] of [[m.management_addresses, 'Management Addresses TLV'], [m.addresses, 'Addresses TLV']] as const) {
    for (const a of list ?? []) if (a.family !== null && isSpecified(a.address)) add('cdp_mgmt_ip', a.address, tlv);
  }
}
