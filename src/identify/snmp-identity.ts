/**
 * Identity facts from SNMP (RFC 1157, RFC 3416, RFC 3412/3414), keyed by the agent's Ethernet MAC and kept as seen:
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
 */
import type { Observation, PacketContext, SnmpObservation } from '../observe/observation.js';
import type { SnmpMessage } from '../protocols/snmp/parser.js';
import { DEFAULT_SNMP_COMMUNITIES } from '../knowledge/default-credentials.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

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
    const mac = o.ctx.src_mac;
    if (!isDeviceMac(mac)) return;
    const ts = o.ctx.ts_us;
    const what = `SNMP ${m.version_name ?? `version ${m.version}`} ${m.pdu} from ${o.ctx.src_ip}`;
    if (m.version_name !== null) this.facts.add(mac, 'snmp', 'snmp_version', m.version_name, 1, `${what}: message version`, ts);
    if (m.community !== null) {
      this.facts.add(mac, 'snmp', 'snmp_community', m.community === '' ? EMPTY_COMMUNITY_FACT : m.community, 1,
        `${what}: community ${m.community_well_known ? 'is a well-known default' : `not a well-known default (${m.community_length} octets, not recorded)`}`, ts);
      if (DEFAULT_SNMP_COMMUNITIES.has(m.community)) this.facts.add(mac, 'snmp', 'default_credential', `snmp:${m.community}`, 1, `${what}: the agent uses the factory default community`, ts);
    }
    this.systemGroup(mac, m, what, ts);
  }

  /** sysDescr, sysObjectID, sysContact, sysName, sysLocation varbinds of an agent-sent message. */
  private systemGroup(mac: string, m: SnmpMessage, what: string, ts: number): void {
    for (const v of m.varbinds) {
      const s = SNMP_SYSTEM_FACTS[v.oid];
      if (s === undefined || v.value === null || v.value === '') continue;
      const fits = s.oidValue ? v.type === 'oid' : v.type === 'octet_string' && !v.hex;
      if (fits) this.facts.add(mac, 'snmp', s.fact, v.value, 1, `${what}: ${s.label} (${v.oid})`, ts);
    }
  }

  /** The authoritative engine's ID, on the MAC of the side that is authoritative. */
  private engineId(o: SnmpObservation): void {
    const m = o.msg;
    if (m.engine_id === null || m.engine_id === '') return;
    const side = authoritativeSide(m, o.ctx);
    if (side === null) return;
    const mac = side === 'src' ? o.ctx.src_mac : o.ctx.dst_mac;
    if (!isDeviceMac(mac)) return;
    const ip = side === 'src' ? o.ctx.src_ip : o.ctx.dst_ip;
    const what = m.pdu === null ? 'encrypted SNMPv3 message' : `SNMPv3 ${m.pdu}`;
    this.facts.add(mac, 'snmp', 'snmp_engine_id', m.engine_id, 1, `${what} ${side === 'src' ? 'from' : 'to'} ${ip}: msgAuthoritativeEngineID`, o.ctx.ts_us);
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
