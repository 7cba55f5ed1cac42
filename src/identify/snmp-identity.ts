/**
 * Identity facts from SNMP (RFC 1157, RFC 3416, RFC 3412/3414), keyed by the agent's Ethernet MAC and IP, kept as seen:
 * - what an agent says about itself in the MIB-2 system group (RFC 3418 §2) of a response, trap or notification it
 *   sends: sysDescr.0 → `snmp_sys_descr`, sysObjectID.0 → `snmp_sys_object_id`, sysContact.0 → `snmp_sys_contact`
 *   (staff contact details, not patient data), sysName.0 → `snmp_sys_name`, sysLocation.0 → `snmp_sys_location`;
 * - the version it answers or notifies with → `snmp_version` (v1, v2c, v3), and for v1/v2c the community it accepts
 *   or sends → `snmp_community`: the well-known default itself (`public`, `private`, `<empty>`, …) or `<other>`
 *   (the parser never passes any other community on);
 * - SNMPv3: the authoritative engine's msgAuthoritativeEngineID → `snmp_engine_id` (hex), on the side that is
 *   authoritative (RFC 3412 §6.4 / RFC 3414 §1.5.1: the receiver of a request or inform, the sender of a response,
 *   report or trap; for an encrypted message, whose PDU is unknown, the side on UDP 161).
 * An agent is the sender of a response, Trap-PDU, SNMPv2-Trap, InformRequest or Report. Nothing here decides what
 * a device is.
 * SNMP crosses routers (a manager polls agents on every subnet): every fact carries the agent's IP (MacFact.ip), so an
 * agent behind a router gets its facts on its own (IP-keyed) device. A router answering for itself answers from its
 * own address, which resolves to the router's device when the router claims it in ARP (endpoint-accumulator.ts).
 */
import type { Observation, PacketContext, SnmpObservation } from '../observe/observation.js';
import type { SnmpMessage } from '../protocols/snmp/parser.js';
import { DEFAULT_SNMP_COMMUNITIES } from '../knowledge/default-credentials.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** MIB-2 system group scalars (RFC 3418 §2, 1.3.6.1.2.1.1.x.0) → the fact they give, and whether the value is an OID. */
export const SNMP_SYSTEM_FACTS: Readonly<Record<string, { fact: string; label: string; oidValue: boolean }>> = {
  '1.3.6.1.2.1.1.1.0': { fact: 'snmp_sys_descr', label: 'sysDescr.0', oidValue: false },
  '1.3.6.1.2.1.1.2.0': { fact: 'snmp_sys_object_id', label: 'sysObjectID.0', oidValue: true },
  '1.3.6.1.2.1.1.4.0': { fact: 'snmp_sys_contact', label: 'sysContact.0', oidValue: false },
  '1.3.6.1.2.1.1.5.0': { fact: 'snmp_sys_name', label: 'sysName.0', oidValue: false },
  '1.3.6.1.2.1.1.6.0': { fact: 'snmp_sys_location', label: 'sysLocation.0', oidValue: false },
};

/** PDUs an agent (or notification originator) sends. */
const AGENT_SENT = new Set(['response', 'trap', 'snmpv2_trap', 'inform_request', 'report']);
/** PDUs whose receiver is the authoritative SNMP engine (RFC 3412 §6.4). */
const RECEIVER_AUTHORITATIVE = new Set(['get_request', 'get_next_request', 'set_request', 'get_bulk_request', 'inform_request']);

/** The SNMP agent port. */
const AGENT_PORT = 161;

/** How the empty community is named in a fact. */
const EMPTY_COMMUNITY_FACT = '<empty>';

/** Collects what SNMP agents say about themselves during an ingest. */
export class SnmpIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['snmp'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'snmp') return;
    const m = o.msg;
    this.engineId(o);
    if (m.pdu === null || !AGENT_SENT.has(m.pdu)) return;
    const ip = o.ctx.src_ip;
    const mac = factMac(o.ctx.src_mac, ip);
    if (mac === null) return;
    const ts = o.ctx.ts_us;
    const what = `SNMP ${m.version_name ?? `version ${m.version}`} ${m.pdu} from ${ip}`;
    const add = (name: string, value: string, evidence: string): void => this.facts.add(mac, 'snmp', name, value, 1, evidence, ts, ip);
    if (m.version_name !== null) add('snmp_version', m.version_name, `${what}: message version`);
    if (m.community !== null) {
      add('snmp_community', m.community === '' ? EMPTY_COMMUNITY_FACT : m.community,
        `${what}: community ${m.community_well_known ? 'is a well-known default' : `not a well-known default (${m.community_length} octets, not recorded)`}`);
      if (DEFAULT_SNMP_COMMUNITIES.has(m.community)) add('default_credential', `snmp:${m.community}`, `${what}: the agent uses the factory default community`);
    }
    this.systemGroup(add, m, what);
  }

  /** sysDescr, sysObjectID, sysContact, sysName, sysLocation varbinds of an agent-sent message, given to `add`. */
  private systemGroup(add: (name: string, value: string, evidence: string) => void, m: SnmpMessage, what: string): void {
    for (const v of m.varbinds) {
      const s = SNMP_SYSTEM_FACTS[v.oid];
      if (s === undefined || v.value === null || v.value === '') continue;
      const fits = s.oidValue ? v.type === 'oid' : v.type === 'octet_string' && !v.hex;
      if (fits) add(s.fact, v.value, `${what}: ${s.label} (${v.oid})`);
    }
  }

  /** The authoritative engine's ID, on the side (MAC and IP) that is authoritative. */
  private engineId(o: SnmpObservation): void {
    const m = o.msg;
    if (m.engine_id === null || m.engine_id === '') return;
    const side = authoritativeSide(m, o.ctx);
    if (side === null) return;
    const ip = side === 'src' ? o.ctx.src_ip : o.ctx.dst_ip;
    const mac = factMac(side === 'src' ? o.ctx.src_mac : o.ctx.dst_mac, ip);
    if (mac === null) return;
    const what = m.pdu === null ? 'encrypted SNMPv3 message' : `SNMPv3 ${m.pdu}`;
    this.facts.add(mac, 'snmp', 'snmp_engine_id', m.engine_id, 1, `${what} ${side === 'src' ? 'from' : 'to'} ${ip}: msgAuthoritativeEngineID`, o.ctx.ts_us, ip);
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}

/** Which side of a v3 message holds the authoritative engine, or null when it cannot be told. */
function authoritativeSide(m: SnmpMessage, ctx: PacketContext): 'src' | 'dst' | null {
  if (m.pdu !== null) return RECEIVER_AUTHORITATIVE.has(m.pdu) ? 'dst' : 'src';
  if (ctx.src_port === AGENT_PORT) return 'src';
  if (ctx.dst_port === AGENT_PORT) return 'dst';
  return null;
}
