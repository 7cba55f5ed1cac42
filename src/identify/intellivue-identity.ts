/**
 * Identity facts from Philips IntelliVue Data Export messages, per Ethernet MAC (source `intellivue`). Values are kept
 * as seen.
 *
 * - MDS identity attributes describe the sender: only the monitor sends them (its Connect Indication broadcast, its MDS
 *   Create Event, its results of a get or poll of the MDS object). System Model → `intellivue_manufacturer`,
 *   `intellivue_model`; Production Specification → `intellivue_serial`, `intellivue_part_number`,
 *   `intellivue_hw_revision`, `intellivue_sw_revision`, `intellivue_fw_revision`, `intellivue_protocol_revision`;
 *   Bed Label → `intellivue_bed_label` (a location label, not patient data); Protocol Support →
 *   `intellivue_data_export_port`. Confidence INTELLIVUE_CONFIDENCE.system.
 * - The association user data's protocol version bits → `intellivue_protocol_version` on each side.
 * - `intellivue_role` = "monitor" (the sender of a Connect Indication, an association response, an MDS Create or a
 *   poll result) or "data-export client" (the sender of an association request or a poll request).
 * Data export runs over UDP and can be routed (a central station or gateway on another subnet): every fact carries
 * the sender's IP (MacFact.ip), so a monitor behind a router gets its facts on its own (IP-keyed) device; a Connect
 * Indication broadcast comes from the monitor's own MAC, where its IP resolves to its MAC's device.
 * Patient demographics never reach this module (the parser keeps only their kinds).
 */
import type { Observation, PacketContext } from '../observe/observation.js';
import type { IntellivueMessage, IntellivueSystem } from '../protocols/intellivue/parser.js';
import { forEachFieldFact, type FieldFact } from './field-facts.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** Confidence of each IntelliVue-derived fact. */
export const INTELLIVUE_CONFIDENCE = {
  /** MDS attributes: the monitor describing itself, on its own MAC. */
  system: 0.95,
  /** Roles and the negotiated protocol version: seen directly. */
  role: 1,
} as const;

/** The MDS attributes kept, by fact name. */
const SYSTEM_FACTS: readonly FieldFact<IntellivueSystem>[] = [
  ['manufacturer', 'intellivue_manufacturer', 'System Model manufacturer'],
  ['model_number', 'intellivue_model', 'System Model model_number'],
  ['serial_number', 'intellivue_serial', 'Production Specification SERIAL_NUMBER'],
  ['part_number', 'intellivue_part_number', 'Production Specification PART_NUMBER'],
  ['hw_revision', 'intellivue_hw_revision', 'Production Specification HW_REVISION'],
  ['sw_revision', 'intellivue_sw_revision', 'Production Specification SW_REVISION'],
  ['fw_revision', 'intellivue_fw_revision', 'Production Specification FW_REVISION'],
  ['protocol_revision', 'intellivue_protocol_revision', 'Production Specification PROTOCOL_REVISION'],
  ['bed_label', 'intellivue_bed_label', 'Bed Label'],
  ['data_export_port', 'intellivue_data_export_port', 'Protocol Support (AP_ID_DATA_OUT)'],
];

/** The role the sender of a message plays, or null when the message does not tell. */
function senderRole(m: IntellivueMessage): string | null {
  if (m.message === 'connect_indication' || m.message === 'association_response' || m.system !== null) return 'monitor';
  if (m.message === 'association_request') return 'data-export client';
  if (m.operation === 'poll' || m.operation === 'poll_ext') return m.ro_type === 'invoke' ? 'data-export client' : 'monitor';
  if (m.operation === 'mds_create') return m.ro_type === 'invoke' ? 'monitor' : 'data-export client';
  return null;
}

/** How a message is named in evidence. */
function describe(m: IntellivueMessage, c: PacketContext): string {
  const what = m.message === 'data_export' ? `${m.operation ?? m.command ?? 'data export'} ${m.ro_type ?? ''}`.trim() : m.message.replaceAll('_', ' ');
  return `IntelliVue ${what} from ${c.src_ip}:${c.src_port} to ${c.dst_ip}:${c.dst_port}`;
}

/** Collects IntelliVue identity facts during an ingest. */
export class IntellivueIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['intellivue'] as const;
  private readonly facts = new FactBook();

  /** Consumes one observation (others than IntelliVue are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'intellivue') return;
    const m = o.msg;
    const c = o.ctx;
    const mac = factMac(c.src_mac, c.src_ip);
    if (mac === null) return;
    const add = (name: string, value: string, confidence: number, what: string): void =>
      this.facts.add(mac, 'intellivue', name, value, confidence, () => `${describe(m, c)}, ${what}`, c.ts_us, c.src_ip);
    const role = senderRole(m);
    if (role !== null) add('intellivue_role', role, INTELLIVUE_CONFIDENCE.role, 'sender');
    if (m.association !== null) add('intellivue_protocol_version', m.association.protocol_version, INTELLIVUE_CONFIDENCE.role, 'MDSEUserInfoStd protocol_version');
    if (m.system === null) return;
    forEachFieldFact(m.system, SYSTEM_FACTS, (name, value, what) => add(name, value, INTELLIVUE_CONFIDENCE.system, what));
  }

  /** Attribute facts per (MAC, IP). */
  allFacts(): MacFact[] {
    return this.facts.all();
  }
}
