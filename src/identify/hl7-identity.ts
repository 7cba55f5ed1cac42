/**
 * Identity facts from HL7 v2 messages, per Ethernet MAC (source `hl7`). Values are kept as seen; nothing here
 * decides what a device is.
 *
 * - The sender's MAC (src_mac of the message) gets MSH-3 → `hl7_sending_application` and MSH-4 →
 *   `hl7_sending_facility`; the receiver's MAC gets MSH-5 → `hl7_receiving_application` and MSH-6 →
 *   `hl7_receiving_facility`. An interface engine that relays messages may keep the original MSH-3/4 of the system it
 *   relays for, hence less than certainty (HL7_CONFIDENCE).
 * - Both get `hl7_role` = "sender ADT^A01" / "receiver ADT^A01" with the message counts per peer in the evidence,
 *   and `hl7_peer` = "sender 10.1.2.3" / "receiver 10.1.2.3" per peer of a message other than an ACK.
 * - Both get `phi_kind` = the PHI kind a message carried ("PID:patient_name", phi.ts) — the kind, never a value:
 *   sender and receiver both handle that patient data (privacy impact, DESIGN §4).
 * - Device identity carried in the messages (OBX-18, PRT-10, PRT-16, PRT-20, PRT-22) is attributed to the SENDER's
 *   MAC: `udi` (the UDI carrier as sent), `udi_device_identifier` (its DI, or PRT-16), `device_serial` (the UDI's
 *   serial or PRT-20), `device_type` (PRT-22 text or code), `hl7_equipment_identifier` (OBX-18 / PRT-10 that is not
 *   a UDI). OBX-18 names the equipment that produced the observation; when that equipment sends its own messages
 *   (a bedside monitor, an analyzer talking HL7 directly) the sender is the device. But a gateway (IHE PCD Device
 *   Observation Reporter, a monitoring central station, a middleware) reports for many devices: so device facts get
 *   HL7_CONFIDENCE.device_single when the sender's MAC reported one device identity only during the run, and
 *   HL7_CONFIDENCE.device_gateway when it reported several (then it is a gateway, and the facts say which devices
 *   it speaks for rather than what it is). Evidence names the message, the field and the segment position.
 * - The sender of ORU messages gets `hl7_observation_kind` = `vital_signs` / `laboratory` when the OBX-3 codes it sent
 *   (LN, MDC, SCT identifiers kept by the parser) are of that kind in data/fingerprints/hl7-observations.tsv
 *   (hl7-observation-kinds.ts); the evidence counts the codes per coding system and names the lines used. A sender
 *   of both kinds gets both facts; one whose codes are all local (or absent) gets none.
 * HL7 (MLLP over TCP) crosses routers: every fact carries its side's IP (MacFact.ip: the sender's source address, the
 * receiver's destination address), so a system behind a router gets its facts on its own (IP-keyed) device rather
 * than the router's; "one device identity per sender" is counted per (MAC, IP) for the same reason.
 * Patient data never reaches this module (the parser keeps none).
 */
import type { Observation } from '../observe/observation.js';
import type { Hl7Record } from '../protocols/hl7/analyzer.js';
import type { Hl7Device } from '../protocols/hl7/parser.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';
import { Hl7ObservationKinds, type ObservationKind } from './hl7-observation-kinds.js';
import { MessageRoleTally } from './message-roles.js';

/** Confidence of each HL7-derived fact. */
export const HL7_CONFIDENCE = {
  /** MSH-3/4 on the sender: usually its own names; relaying engines may keep another system's. */
  sending: 0.8,
  /** MSH-5/6 on the receiver: what the sender addresses; the peer may be an engine routing onwards. */
  receiving: 0.6,
  /** Message roles: seen directly. */
  role: 1,
  /** Device identity from a sender that reported a single device identity in the run. */
  device_single: 0.6,
  /** Device identity from a sender that reported several (a gateway speaking for them). */
  device_gateway: 0.3,
  /** Observation kind vital_signs: listed LOINC vital signs or MDC partition 2 codes. */
  vital_signs: 0.9,
  /** Observation kind laboratory: a LOINC code not on the vital-signs list (LOINC also names documents and surveys). */
  laboratory: 0.7,
} as const;

/** The OBX-3 codes of one kind one sender's ORU messages carried. */
interface KindRow {
  mac: string;
  /** The sender's IP address (MacFact.ip). */
  ip: string;
  kind: ObservationKind;
  /** Codes counted per coding system. */
  bySystem: Map<string, number>;
  peers: Set<string>;
  /** The data lines that classified them (`file:line`). */
  rules: Set<string>;
  first: number;
  last: number;
}

/** Tallies the observation kinds each sender's ORU messages named (OBX-3 codes classified by hl7-observations.tsv). */
class ObservationKindTally {
  private readonly rows = new Map<string, KindRow>();

  constructor(private readonly table: Hl7ObservationKinds) {}

  /** The OBX-3 codes of one ORU message sent by `mac` from `ip` to `peer`. */
  add(mac: string, ip: string, m: Hl7Record, peer: string, ts: number): void {
    for (const oc of m.observation_codes) {
      const match = oc.code === null ? null : this.table.kindOf(oc.system, oc.code);
      if (match === null) continue;
      const key = `${mac}\u0000${ip}\u0000${match.kind}`;
      let r = this.rows.get(key);
      if (r === undefined) this.rows.set(key, (r = { mac, ip, kind: match.kind, bySystem: new Map(), peers: new Set(), rules: new Set(), first: ts, last: ts }));
      r.bySystem.set(oc.system, (r.bySystem.get(oc.system) ?? 0) + oc.count);
      r.peers.add(peer);
      r.rules.add(match.rule);
      r.first = Math.min(r.first, ts);
      r.last = Math.max(r.last, ts);
    }
  }

  /** One `hl7_observation_kind` fact per (MAC, IP, kind), the counts per coding system in its evidence. */
  facts(): MacFact[] {
    return [...this.rows.values()].map((r) => {
      const systems = [...r.bySystem].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const total = systems.reduce((n, [, k]) => n + k, 0);
      const peers = [...r.peers].sort();
      const evidence = `${total} OBX-3 code${total === 1 ? '' : 's'} of ${r.kind.replace('_', ' ')} (${systems.map(([s, n]) => `${s} ${n}`).join(', ')}) ` +
        `in HL7 ORU messages to ${peers.slice(0, 4).join(', ')}${peers.length > 4 ? ` +${peers.length - 4} more` : ''}; ${[...r.rules].sort().join(', ')}`;
      return { mac: r.mac, source: 'hl7', name: 'hl7_observation_kind', value: r.kind, confidence: HL7_CONFIDENCE[r.kind], evidence, first: r.first, last: r.last, ip: r.ip };
    });
  }
}

/** A device fact waiting for the per-sender count of distinct device identities. */
interface DeviceFact {
  mac: string;
  /** The sender's IP address (MacFact.ip). */
  ip: string;
  name: string;
  value: string;
  evidence: string;
  first: number;
  last: number;
  /** The device identity it belongs to (to count distinct identities per sender). */
  identity: string;
}

/** The message type as "TYPE^TRIGGER" (or "TYPE"), "?" when MSH-9 is empty. */
export function hl7TypeOf(m: Hl7Record): string {
  if (m.message_type === null) return '?';
  return m.trigger_event === null ? m.message_type : `${m.message_type}^${m.trigger_event}`;
}

/** The facts one device entry gives, with the identity it names. */
function deviceFacts(d: Hl7Device): { name: string; value: string; field: string }[] {
  const out: { name: string; value: string; field: string }[] = [];
  const idField = d.segment === 'OBX' ? 'OBX-18' : 'PRT-10';
  for (const id of d.identifiers) {
    if (id.udi !== null && id.entity_id !== null) {
      out.push({ name: 'udi', value: id.entity_id, field: `${idField} (${id.udi.issuer} UDI)` });
      out.push({ name: 'udi_device_identifier', value: id.udi.device_identifier, field: `${idField} (${id.udi.issuer} UDI DI)` });
      if (id.udi.serial !== null) out.push({ name: 'device_serial', value: id.udi.serial, field: `${idField} (${id.udi.issuer} UDI serial)` });
    } else {
      const v = id.entity_id ?? id.universal_id;
      if (v !== null) out.push({ name: 'hl7_equipment_identifier', value: v, field: idField });
    }
  }
  if (d.udi_device_identifier !== null) out.push({ name: 'udi_device_identifier', value: d.udi_device_identifier, field: 'PRT-16' });
  if (d.serial_number !== null) out.push({ name: 'device_serial', value: d.serial_number, field: 'PRT-20' });
  const type = d.device_type_text ?? d.device_type;
  if (type !== null) out.push({ name: 'device_type', value: type, field: 'PRT-22' });
  return out;
}

/** One message as its ends' facts need it: the record, its type, its evidence maker and time. */
interface MessageAt {
  m: Hl7Record;
  /** hl7TypeOf(m). */
  type: string;
  /** Evidence text naming the message and `field`. */
  ev: (field: string) => string;
  /** Evidence of its PHI kinds ('' when it carried none). */
  phiEvidence: string;
  ts: number;
}

/** The MSH names each end of a message gets: fact names, confidence and fields (application, facility). */
const END_FACTS = {
  sender: { application: 'hl7_sending_application', facility: 'hl7_sending_facility', confidence: HL7_CONFIDENCE.sending, fields: ['MSH-3', 'MSH-4'] },
  receiver: { application: 'hl7_receiving_application', facility: 'hl7_receiving_facility', confidence: HL7_CONFIDENCE.receiving, fields: ['MSH-5', 'MSH-6'] },
} as const;

/** Collects HL7 identity facts during an ingest. */
export class Hl7IdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['hl7'] as const;
  private readonly facts = new FactBook();
  private readonly roles = new MessageRoleTally('hl7', 'hl7_role', 'HL7', HL7_CONFIDENCE.role, 'hl7_peer');
  /** Device facts by MAC, name, value and identity (one entry each, its time span widened). */
  private readonly devices = new Map<string, DeviceFact>();
  private readonly observationKinds: ObservationKindTally;

  /** @param kinds the observation-kind table (default: the bundled data/fingerprints/hl7-observations.tsv) */
  constructor(kinds: Hl7ObservationKinds = Hl7ObservationKinds.bundled()) {
    this.observationKinds = new ObservationKindTally(kinds);
  }

  /** Consumes one observation (others than HL7 are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'hl7') return;
    const m = o.msg;
    const c = o.ctx;
    const ts = c.ts_us;
    const type = hl7TypeOf(m);
    const ev = (field: string): string => `HL7 ${type} from ${c.src_ip} to ${c.dst_ip}:${c.dst_port}, ${field}`;
    const at: MessageAt = { m, type, ev, phiEvidence: m.phi_kinds.length === 0 ? '' : ev('patient segments (kinds only)'), ts };
    const sender = factMac(c.src_mac, c.src_ip);
    if (sender !== null) {
      this.end('sender', sender, c.src_ip, c.dst_ip, at);
      if (m.message_type === 'ORU') this.observationKinds.add(sender, c.src_ip, m, c.dst_ip, ts);
      this.senderDevices(sender, c.src_ip, at);
    }
    const receiver = factMac(c.dst_mac, c.dst_ip);
    if (receiver !== null) this.end('receiver', receiver, c.dst_ip, c.src_ip, at);
  }

  /**
   * The facts of one end (`mac`, `ip`) of a message, sender or receiver: its role towards `peer`, the application and
   * facility the message names for that end (MSH-3/4 or MSH-5/6), and the PHI kinds it carried.
   */
  private end(role: 'sender' | 'receiver', mac: string, ip: string, peer: string, at: MessageAt): void {
    const e = END_FACTS[role];
    const { m, ts } = at;
    this.roles.add(mac, ip, role, at.type, peer, ts);
    const application = role === 'sender' ? m.sending_application : m.receiving_application;
    const facility = role === 'sender' ? m.sending_facility : m.receiving_facility;
    if (application) this.facts.add(mac, 'hl7', e.application, application, e.confidence, at.ev(e.fields[0]), ts, ip);
    if (facility) this.facts.add(mac, 'hl7', e.facility, facility, e.confidence, at.ev(e.fields[1]), ts, ip);
    for (const k of m.phi_kinds) this.facts.add(mac, 'hl7', 'phi_kind', k, HL7_CONFIDENCE.role, at.phiEvidence, ts, ip);
  }

  /** The device identities (OBX-18, PRT) the sender (`mac`, `ip`) reported, each kept once with its time span. */
  private senderDevices(mac: string, ip: string, at: MessageAt): void {
    const ts = at.ts;
    for (const d of at.m.devices) {
      const fs = deviceFacts(d);
      const identity = fs[0] === undefined ? '' : `${fs[0].name}=${fs[0].value}`;
      for (const f of fs) {
        const key = `${mac}\u0000${ip}\u0000${f.name}\u0000${f.value}\u0000${identity}`;
        const seen = this.devices.get(key);
        if (seen === undefined) this.devices.set(key, { mac, ip, name: f.name, value: f.value, evidence: at.ev(`${f.field}, segment ${d.segment_index}`), first: ts, last: ts, identity });
        else { seen.first = Math.min(seen.first, ts); seen.last = Math.max(seen.last, ts); }
      }
    }
  }

  /** Attribute facts per (MAC, IP); device facts graded by how many device identities their sender reported. */
  allFacts(): MacFact[] {
    const identities = new Map<string, Set<string>>();
    const senderOf = (d: DeviceFact): string => `${d.mac}\u0000${d.ip}`;
    for (const d of this.devices.values()) {
      let s = identities.get(senderOf(d));
      if (s === undefined) identities.set(senderOf(d), (s = new Set()));
      s.add(d.identity);
    }
    const book = new FactBook();
    for (const d of this.devices.values()) {
      const gateway = identities.get(senderOf(d))!.size > 1;
      const conf = gateway ? HL7_CONFIDENCE.device_gateway : HL7_CONFIDENCE.device_single;
      const note = gateway ? '; this sender reported several devices (a gateway)' : '; the sender may be a gateway for this device';
      book.add(d.mac, 'hl7', d.name, d.value, conf, d.evidence + note, d.first, d.ip);
      book.add(d.mac, 'hl7', d.name, d.value, conf, d.evidence + note, d.last, d.ip);
    }
    return [...this.facts.all(), ...this.roles.facts(), ...this.observationKinds.facts(), ...book.all()];
  }
}
