/**
 * Identity facts from WS-Discovery (`sdc` observations, UDP 3702) and DPWS device metadata (HTTP responses whose
 * XML body the HTTP analyzer read as DPWS metadata): IEEE 11073 SDC providers and consumers, Windows WSD devices.
 * Source `sdc`; values kept as seen. Facts carry the describing host's IP (MacFact.ip) so that they land on the
 * device owning that address, not on a router's MAC.
 *
 * - A Hello, ProbeMatch or ResolveMatch describes its sender (WS-Discovery 1.1 §4.1, §5.3, §6.2): each type →
 *   `sdc_types` (`{namespace}local`), the MDPWS MedicalDevice type → `sdc_medical_device` = true and `sdc_role` =
 *   provider, each decoded location scope → `sdc_scope_location` (`fac=…;bldng=…;…`, bounded), each participant
 *   key purpose → `sdc_key_purpose`, the endpoint address → `wsd_endpoint`. Bye messages add nothing.
 * - A Probe for the MedicalDevice type comes from an SDC consumer: `sdc_role` = consumer.
 * - DPWS metadata in an HTTP response describes the server (DPWS 1.1 §5.2): ThisModel Manufacturer →
 *   `sdc_manufacturer`, ModelName → `sdc_model_name`, ModelNumber → `sdc_model_number`; ThisDevice FriendlyName →
 *   `sdc_friendly_name`, FirmwareVersion → `sdc_firmware`, SerialNumber → `sdc_serial`; host types as above.
 * Patient, operator and workflow context scopes never reach this module (the parser keeps only their kinds).
 */
import type { Observation, PacketContext } from '../observe/observation.js';
import type { SdcLocation, WsdMessage } from '../protocols/wsd/parser.js';
import type { DpwsMetadata } from '../protocols/wsd/metadata.js';
import { MDPWS_MEDICAL_DEVICE } from '../protocols/wsd/namespaces.js';
import { forEachFieldFact, type FieldFact } from './field-facts.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** Confidence of the facts: a device's own description of itself. */
export const SDC_CONFIDENCE = 0.9;
/** Longest location fact kept, in characters. */
export const MAX_LOCATION_FACT = 200;

/** The location fact of a decoded location scope: its non-empty items as `key=value` joined by ";", or null. */
export function locationFact(l: SdcLocation): string | null {
  const items: [string, string | null][] = [['fac', l.facility], ['bldng', l.building], ['flr', l.floor], ['poc', l.point_of_care], ['rm', l.room], ['bed', l.bed]];
  const s = items.filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}=${v}`).join(';');
  return s === '' ? null : s.slice(0, MAX_LOCATION_FACT);
}

/** The DPWS metadata fields kept, by fact name. */
const DPWS_FACTS: readonly FieldFact<DpwsMetadata>[] = [
  ['manufacturer', 'sdc_manufacturer', 'ThisModel/Manufacturer'],
  ['model_name', 'sdc_model_name', 'ThisModel/ModelName'],
  ['model_number', 'sdc_model_number', 'ThisModel/ModelNumber'],
  ['friendly_name', 'sdc_friendly_name', 'ThisDevice/FriendlyName'],
  ['firmware_version', 'sdc_firmware', 'ThisDevice/FirmwareVersion'],
  ['serial_number', 'sdc_serial', 'ThisDevice/SerialNumber'],
];

/** Collects SDC / WS-Discovery / DPWS identity facts during an ingest. */
export class SdcIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['sdc', 'http'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind === 'sdc') this.discovery(o.ctx, o.msg);
    else if (o.kind === 'http' && o.msg.xml_metadata?.format === 'dpws') this.metadata(o.ctx, o.msg.xml_metadata);
  }

  /** A fact about the host at (mac, ip). */
  private add(mac: string, ip: string, name: string, value: string, evidence: string, ts: number): void {
    this.facts.add(mac, 'sdc', name, value, SDC_CONFIDENCE, evidence, ts, ip);
  }

  private discovery(c: PacketContext, m: WsdMessage): void {
    const mac = factMac(c.src_mac, c.src_ip);
    if (mac === null) return;
    const ts = c.ts_us;
    const ev = `WS-Discovery ${m.body_element ?? m.message_type} from ${c.src_ip}`;
    if (m.message_type === 'probe') {
      if (m.medical_device) this.add(mac, c.src_ip, 'sdc_role', 'consumer', `${ev}: probes for mdpws:MedicalDevice`, ts);
      return;
    }
    if (m.message_type !== 'hello' && m.message_type !== 'probe_matches' && m.message_type !== 'resolve_matches') return;
    for (const e of m.endpoints) {
      if (e.address) this.add(mac, c.src_ip, 'wsd_endpoint', e.address, `${ev}: EndpointReference`, ts);
      for (const t of e.types) this.add(mac, c.src_ip, 'sdc_types', t, `${ev}: Types`, ts);
    }
    if (m.medical_device) {
      this.add(mac, c.src_ip, 'sdc_medical_device', 'true', `${ev}: Types include mdpws:MedicalDevice`, ts);
      this.add(mac, c.src_ip, 'sdc_role', 'provider', `${ev}: Types include mdpws:MedicalDevice`, ts);
    }
    for (const l of m.sdc_locations) {
      const v = locationFact(l);
      if (v !== null) this.add(mac, c.src_ip, 'sdc_scope_location', v, `${ev}: sdc.ctxt.loc scope`, ts);
    }
    for (const k of m.sdc_key_purposes) this.add(mac, c.src_ip, 'sdc_key_purpose', k, `${ev}: sdc.mds.pkp scope`, ts);
  }

  /** DPWS metadata in an HTTP response: about the server (the context's destination). */
  private metadata(c: PacketContext, d: DpwsMetadata): void {
    const mac = factMac(c.dst_mac, c.dst_ip);
    if (mac === null) return;
    const ts = c.ts_us;
    const ev = `DPWS metadata (HTTP response from ${c.dst_ip}:${c.dst_port})`;
    forEachFieldFact(d, DPWS_FACTS, (name, v, element) => this.add(mac, c.dst_ip, name, v, `${ev}: ${element}`, ts));
    for (const t of d.host_types) this.add(mac, c.dst_ip, 'sdc_types', t, `${ev}: Relationship/Host Types`, ts);
    if (d.host_types.includes(MDPWS_MEDICAL_DEVICE)) {
      this.add(mac, c.dst_ip, 'sdc_medical_device', 'true', `${ev}: Host Types include mdpws:MedicalDevice`, ts);
    }
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}
