/**
 * Identity facts from POCT1-A messages, per Ethernet MAC (source `poct1a`). Values are kept as seen.
 *
 * - A Hello (HEL.R01) is the device describing itself (POCT1-A2 DML: the device opens the conversation with HEL), so
 *   its DEV object goes on the sender's MAC: DEV.device_id → `poct1a_device_id`, DEV.vendor_id →
 *   `poct1a_vendor_id`, DEV.model_id → `poct1a_model_id`, DEV.serial_id → `device_serial`, DEV.manufacturer_name →
 *   `poct1a_manufacturer`, DEV.sw_version → `poct1a_sw_version`, DEV.hw_version → `poct1a_hw_version`,
 *   DEV.device_name → `poct1a_device_name`. Confidence POCT1A_CONFIDENCE.hello: self-described, but a device that
 *   reaches the network through a docking station or access point (POCT1-A's device/access-point layer) lends that
 *   station's MAC to the connection.
 * - `poct1a_role` = "sender OBS.R01" / "receiver ACK.R01" …, with the message counts per peer in the evidence;
 *   `poct1a_peer` = "sender 10.1.2.3" per peer of a message other than an ACK.
 * - `phi_kind` on sender and receiver: the PHI kinds an observation carried (never values).
 * POCT1-A runs over TCP and crosses routers: every fact carries its side's IP (MacFact.ip), so a device or data
 * manager behind a router gets its facts on its own (IP-keyed) device rather than the router's.
 * Patient and operator data never reach this module (the parser keeps none).
 */
import type { Observation } from '../observe/observation.js';
import type { Poct1aRecord } from '../protocols/poct1a/analyzer.js';
import { forEachFieldFact, type FieldFact } from './field-facts.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';
import { MessageRoleTally } from './message-roles.js';

/** Confidence of each POCT1-A-derived fact. */
export const POCT1A_CONFIDENCE = {
  /** The HEL.R01 DEV object, on the sender's MAC. */
  hello: 0.9,
  /** Message roles: seen directly. */
  role: 1,
} as const;

/** The DEV elements kept, by fact name. */
const HELLO_FACTS: readonly FieldFact<Poct1aRecord>[] = [
  ['device_id', 'poct1a_device_id', 'DEV.device_id'],
  ['vendor_id', 'poct1a_vendor_id', 'DEV.vendor_id'],
  ['model_id', 'poct1a_model_id', 'DEV.model_id'],
  ['serial_id', 'device_serial', 'DEV.serial_id'],
  ['manufacturer_name', 'poct1a_manufacturer', 'DEV.manufacturer_name'],
  ['sw_version', 'poct1a_sw_version', 'DEV.sw_version'],
  ['hw_version', 'poct1a_hw_version', 'DEV.hw_version'],
  ['device_name', 'poct1a_device_name', 'DEV.device_name'],
];

/** Collects POCT1-A identity facts during an ingest. */
export class Poct1aIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['poct1a'] as const;
  private readonly facts = new FactBook();
  private readonly roles = new MessageRoleTally('poct1a', 'poct1a_role', 'POCT1-A', POCT1A_CONFIDENCE.role, 'poct1a_peer');

  /** Consumes one observation (others than POCT1-A are ignored). */
  observe(o: Observation): void {
    if (o.kind !== 'poct1a') return;
    const m = o.msg;
    const c = o.ctx;
    const ts = c.ts_us;
    const where = (): string => `POCT1-A ${m.message_type} from ${c.src_ip} to ${c.dst_ip}:${c.dst_port}`;
    const phi = (mac: string, ip: string): void => {
      for (const k of m.phi_kinds) this.facts.add(mac, 'poct1a', 'phi_kind', k, POCT1A_CONFIDENCE.role, () => `${where()}, patient elements (kinds only)`, ts, ip);
    };
    const receiver = factMac(c.dst_mac, c.dst_ip);
    if (receiver !== null) {
      phi(receiver, c.dst_ip);
      this.roles.add(receiver, c.dst_ip, 'receiver', m.message_type, c.src_ip, ts);
    }
    const mac = factMac(c.src_mac, c.src_ip);
    if (mac === null) return;
    phi(mac, c.src_ip);
    this.roles.add(mac, c.src_ip, 'sender', m.message_type, c.dst_ip, ts);
    if (m.topic !== 'HEL') return;
    forEachFieldFact(m, HELLO_FACTS, (name, v, element) => this.facts.add(mac, 'poct1a', name, v, POCT1A_CONFIDENCE.hello, () => `${where()}, ${element}`, ts, c.src_ip));
  }

  /** Attribute facts per (MAC, IP). */
  allFacts(): MacFact[] {
    return [...this.facts.all(), ...this.roles.facts()];
  }
}
