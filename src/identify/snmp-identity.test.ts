/**
 * Unit tests of the SNMP identity collector: which side is the agent, which varbinds become facts, the community
 * fact never carrying a secret, and the side of the authoritative engine for SNMPv3 (RFC 3412 §6.4).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PacketContext } from '../observe/observation.js';
import { parseSnmp, type SnmpMessage, type SnmpVarbind } from '../protocols/snmp/parser.js';
import { SnmpIdentityCollector } from './snmp-identity.js';

const MANAGER = { mac: '00:11:22:33:44:55', ip: '10.0.0.5' };
const AGENT = { mac: '00:09:fb:01:02:03', ip: '10.0.0.9' };

/** A parsed v2c Response with community "public" and no varbinds, then given `over`. */
function message(over: Partial<SnmpMessage>): SnmpMessage {
  const b = Uint8Array.from([
    0x30, 0x18, //                                         Message
    0x02, 0x01, 0x01, //                                   version 1 (v2c)
    0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, //     community "public"
    0xa2, 0x0b, //                                         Response-PDU
    0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, // request-id 1, error-status 0, error-index 0
    0x30, 0x00, //                                         VarBindList, empty
  ]);
  const r = parseSnmp(b, 0, b.length);
  assert.ok(r.ok && r.value.anomalies.length === 0 && r.value.pdu === 'response');
  return { ...r.value, ...over };
}

/** Where a message from `from` (UDP port `fromPort`) to `to` (`toPort`) was seen. */
function ctx(from: typeof AGENT, to: typeof AGENT, fromPort: number, toPort: number): PacketContext {
  return { ts_us: 1_000_000, src_mac: from.mac, dst_mac: to.mac, src_ip: from.ip, dst_ip: to.ip, src_port: fromPort, dst_port: toPort, vlan: null };
}

const text = (oid: string, value: string): SnmpVarbind => ({ oid, type: 'octet_string', tag: 0x04, value, hex: false });

/** The facts as "mac name=value", sorted. */
function facts(c: SnmpIdentityCollector): string[] {
  return c.allFacts().map((f) => `${f.mac} ${f.name}=${f.value}`).sort();
}

test('a response gives the agent its system group, version and community', () => {
  const c = new SnmpIdentityCollector();
  c.observe({ kind: 'snmp', ctx: ctx(AGENT, MANAGER, 161, 40000), msg: message({ varbinds: [
    text('1.3.6.1.2.1.1.1.0', 'Infusion pump controller v2.1'),
    { oid: '1.3.6.1.2.1.1.2.0', type: 'oid', tag: 0x06, value: '1.3.6.1.4.1.99999.1', hex: false },
    text('1.3.6.1.2.1.1.4.0', 'Biomed <biomed@hospital.example>'),
    text('1.3.6.1.2.1.1.5.0', 'PUMP-07'),
    text('1.3.6.1.2.1.1.6.0', 'ICU bed 4'),
    text('1.3.6.1.2.1.1.5.1', 'not a scalar instance'), //              wrong instance: ignored
    { oid: '1.3.6.1.2.1.1.1.0', type: 'octet_string', tag: 0x04, value: '00ff', hex: true }, // binary sysDescr: ignored
    { oid: '1.3.6.1.2.1.1.6.0', type: 'null', tag: 0x05, value: null, hex: false }, //         no value: ignored
  ] }) });
  assert.deepEqual(facts(c), [
    `${AGENT.mac} default_credential=snmp:public`, // the factory default community (src/knowledge/default-credentials.ts)
    `${AGENT.mac} snmp_community=public`,
    `${AGENT.mac} snmp_sys_contact=Biomed <biomed@hospital.example>`,
    `${AGENT.mac} snmp_sys_descr=Infusion pump controller v2.1`,
    `${AGENT.mac} snmp_sys_location=ICU bed 4`,
    `${AGENT.mac} snmp_sys_name=PUMP-07`,
    `${AGENT.mac} snmp_sys_object_id=1.3.6.1.4.1.99999.1`,
    `${AGENT.mac} snmp_version=v2c`,
  ]);
});

test('requests say nothing about either side (a manager may try any community)', () => {
  const c = new SnmpIdentityCollector();
  for (const pdu of ['get_request', 'get_next_request', 'set_request', 'get_bulk_request']) {
    c.observe({ kind: 'snmp', ctx: ctx(MANAGER, AGENT, 40000, 161), msg: message({ pdu, varbinds: [text('1.3.6.1.2.1.1.5.0', 'NEW-NAME')] }) });
  }
  assert.deepEqual(facts(c), []);
});

test('traps and notifications describe their sender; other and empty communities are named, never shown', () => {
  const c = new SnmpIdentityCollector();
  c.observe({ kind: 'snmp', ctx: ctx(AGENT, MANAGER, 1025, 162), msg: message({ pdu: 'snmpv2_trap', community: '<other>', community_length: 9, community_well_known: false }) });
  c.observe({ kind: 'snmp', ctx: ctx(AGENT, MANAGER, 1025, 162), msg: message({ version: 0, version_name: 'v1', pdu: 'trap', community: '', community_length: 0 }) });
  assert.deepEqual(facts(c), [
    `${AGENT.mac} snmp_community=<empty>`,
    `${AGENT.mac} snmp_community=<other>`,
    `${AGENT.mac} snmp_version=v1`,
    `${AGENT.mac} snmp_version=v2c`,
  ]);
  assert.ok(c.allFacts().find((f) => f.value === '<other>')!.evidence.includes('9 octets, not recorded'));
});

test('SNMPv3 engine ID goes to the authoritative side: receiver of requests and informs, sender of responses and reports', () => {
  const v3 = (over: Partial<SnmpMessage>): SnmpMessage =>
    message({ version: 3, version_name: 'v3', community: null, community_length: null, community_well_known: null, engine_id: '80001f8880a9498e5e3a2c3043', ...over });
  const cases: [string, SnmpMessage, PacketContext, string | null][] = [
    ['get to the agent', v3({ pdu: 'get_request' }), ctx(MANAGER, AGENT, 40000, 161), AGENT.mac],
    ['report from the agent', v3({ pdu: 'report' }), ctx(AGENT, MANAGER, 161, 40000), AGENT.mac],
    ['trap from the agent', v3({ pdu: 'snmpv2_trap' }), ctx(AGENT, MANAGER, 1025, 162), AGENT.mac],
    ['inform to the manager', v3({ pdu: 'inform_request' }), ctx(AGENT, MANAGER, 1025, 162), MANAGER.mac],
    ['encrypted, agent on 161', v3({ pdu: null, pdu_type: null, encrypted: true }), ctx(AGENT, MANAGER, 161, 40000), AGENT.mac],
    ['encrypted, to 161', v3({ pdu: null, pdu_type: null, encrypted: true }), ctx(MANAGER, AGENT, 40000, 161), AGENT.mac],
    ['encrypted on 162: unknown', v3({ pdu: null, pdu_type: null, encrypted: true }), ctx(AGENT, MANAGER, 1025, 162), null],
    ['discovery: empty engine ID', v3({ pdu: 'get_request', engine_id: '' }), ctx(MANAGER, AGENT, 40000, 161), null],
  ];
  for (const [what, msg, where, mac] of cases) {
    const c = new SnmpIdentityCollector();
    c.observe({ kind: 'snmp', ctx: where, msg });
    const engine = c.allFacts().filter((f) => f.name === 'snmp_engine_id');
    assert.deepEqual(engine.map((f) => f.mac), mac === null ? [] : [mac], what);
  }
});

test('group MACs get no facts; an agent without a MAC (raw IP, loopback) gets them keyed by its IP alone', () => {
  const c = new SnmpIdentityCollector();
  c.observe({ kind: 'snmp', ctx: { ...ctx(AGENT, MANAGER, 161, 40000), src_mac: '01:00:5e:00:00:01' }, msg: message({}) });
  assert.deepEqual(facts(c), []);
  c.observe({ kind: 'snmp', ctx: { ...ctx(AGENT, MANAGER, 161, 40000), src_mac: null }, msg: message({}) });
  assert.ok(c.allFacts().length > 0);
  assert.deepEqual([...new Set(c.allFacts().map((f) => `${f.mac}|${f.ip}`))], [`|${AGENT.ip}`]);
});
