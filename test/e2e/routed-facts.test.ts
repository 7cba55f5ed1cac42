/**
 * Routed identity facts, end to end: a capture built from the specifications in which one router MAC carries the
 * traffic of five hosts behind it (enough for the endpoint accumulator to call it a router, ROUTER_MIN_IPV4) and a
 * DICOM association, an HL7 ORU^R01, an HTTP exchange, a TLS 1.2 handshake with a certificate and an SNMP response
 * cross it. Ingested through the real CLI into SQLite, each fact about a host behind the router must land on that
 * host's IP-keyed device, never on the router's; the on-link peers keep theirs on their MAC-keyed devices, and the
 * router keeps what it says about itself (an SNMP response from its own, ARP-claimed, address). HTTP's two rules: an
 * internet server gets no HTTP fact, and a gateway fronting two web servers (too few for the ingest to call it a
 * router) gets none of theirs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeRows, dicomStore, ingestFrames, snmpSysDescr, webExchange } from './conversations.js';
import { arpFrame, ip4, mac, tcpSession, type TcpEndpoint, type TimedFrame } from '../../src/synth/frames.js';
import { tlsClientHello } from '../../src/synth/payloads.js';
import * as D from '../../src/synth/dicom-pdus.js';
import { hl7Ack, hl7Message, mllpBlock, msh, segment } from '../../src/synth/hl7-messages.js';
import { certificate, name, OID, utf8 } from '../../src/protocols/tls/test-der.js';
import { ROUTER_MIN_IPV4 } from '../../src/inventory/endpoint-accumulator.js';

const START = Date.UTC(2026, 2, 2, 9, 0, 0) * 1000;
const ROUTER_MAC = '02:52:00:00:00:01';
const ROUTER_IP = '10.1.0.1';

/** An on-link host of the capture's segment: its own MAC. */
const onLink = (n: number, port: number): TcpEndpoint => ({ mac: mac(`02:4c:00:00:00:${n.toString(16).padStart(2, '0')}`), ip: ip4(`10.1.0.${n}`), port });
/** A host on another subnet, seen behind the router's MAC with a decremented TTL. */
const remote = (n: number, port: number): TcpEndpoint => ({ mac: mac(ROUTER_MAC), ip: ip4(`10.2.0.${n}`), port, ttl: 63 });

const MODALITY = onLink(10, 40001);
const WORKSTATION = onLink(11, 40002);
const NMS = onLink(12, 40003);
const ENGINE = onLink(13, 2575);
const PACS = remote(20, 104);
const LIS = remote(21, 40004);
const WEB = remote(22, 80);
const TLS_SERVER = remote(23, 443);
const AGENT = remote(24, 161);
/** An internet web server behind the router. */
const INTERNET_WEB: TcpEndpoint = { mac: mac(ROUTER_MAC), ip: ip4('93.184.216.34'), port: 80, ttl: 50 };
/** A second gateway, fronting two web servers only: no router to the ingest (ROUTER_MIN_IPV4). */
const GATEWAY_MAC = '02:52:00:00:00:02';
const hidden = (n: number): TcpEndpoint => ({ mac: mac(GATEWAY_MAC), ip: ip4(`10.3.0.${n}`), port: 80, ttl: 63 });

/** An ORU^R01 from the laboratory system behind the router to the on-link interface engine, acknowledged. */
function hl7(start: number): TimedFrame[] {
  const head = { sendingApp: 'LIS_APP', sendingFacility: 'LAB', receivingApp: 'ENGINE_APP', receivingFacility: 'HOSP', time: '20260302090000', controlId: 'MSG1', version: '2.5' };
  const oru = hl7Message([msh({ ...head, type: ['ORU', 'R01', 'ORU_R01'] }), segment('OBR', ['1']),
    segment('OBX', ['1', 'NM', 'HR', '', '72', '', '', '', '', '', 'F', '', '', '', '', '', '', 'ANALYZER_7'])]);
  const ack = hl7Ack({ sendingApp: 'ENGINE_APP', sendingFacility: 'HOSP', receivingApp: 'LIS_APP', receivingFacility: 'LAB', time: '20260302090001', controlId: 'ACK1', version: '2.5', trigger: 'R01' }, 'MSG1');
  return tcpSession({ client: LIS, server: ENGINE, start, exchanges: [{ request: mllpBlock(oru), response: mllpBlock(ack) }] });
}

/** A TLS 1.2 handshake: the workstation's ClientHello; ServerHello, Certificate, ServerHelloDone in one record. */
function tls(start: number): TimedFrame[] {
  const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
  const be24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  const hs = (type: number, body: number[] | Uint8Array): number[] => [type, ...be24(body.length), ...body];
  const leaf = certificate({ subject: name([OID.CN, utf8('pacs-web.example')]) });
  const renegotiation = [...be16(0xff01), ...be16(1), 0];
  const serverHello = hs(2, [...be16(0x0303), ...new Array<number>(32).fill(7), 0, 0xc0, 0x2f, 0, ...be16(renegotiation.length), ...renegotiation]);
  const flight = [...serverHello, ...hs(11, [...be24(leaf.length + 3), ...be24(leaf.length), ...leaf]), ...hs(14, [])];
  const record = Uint8Array.from([22, ...be16(0x0303), ...be16(flight.length), ...flight]);
  return tcpSession({ client: WORKSTATION, server: TLS_SERVER, start, exchanges: [{ request: tlsClientHello(new Uint8Array(32).fill(3), 'pacs-web.example'), response: record }] });
}

/** The capture: the router's ARP claim of its own address, then the conversations. */
function frames(): TimedFrame[] {
  // a gratuitous ARP (RFC 5227 announcement): the router claims its own address on the segment
  const claim = (m: string, ip: string, at: number): TimedFrame => ({ ts: at, frame: arpFrame({ op: 'request', senderMac: mac(m), senderIp: ip4(ip), targetIp: ip4(ip) }) });
  const s = 1_000_000;
  return [
    claim(ROUTER_MAC, ROUTER_IP, START),
    ...dicomStore(MODALITY, PACS, START + s),
    ...hl7(START + 2 * s),
    ...webExchange(WORKSTATION, WEB, 'intranet.example', 'Apache/2.4.57 (PACS-Web)', START + 3 * s),
    ...webExchange(WORKSTATION, INTERNET_WEB, 'example.com', 'ECS (dcb/7F84)', START + 3 * s + 500_000),
    ...webExchange({ ...WORKSTATION, port: 40006 }, hidden(30), 'lab-a.example', 'LabServer/1.0', START + 3 * s + 600_000),
    ...webExchange({ ...WORKSTATION, port: 40007 }, hidden(31), 'lab-b.example', 'LabServer/2.0', START + 3 * s + 700_000),
    ...tls(START + 4 * s),
    ...snmpSysDescr({ ...NMS, port: 40005 }, AGENT, 'UPS Network Card v3', START + 5 * s),
    ...snmpSysDescr({ ...NMS, port: 40005 }, { mac: mac(ROUTER_MAC), ip: ip4(ROUTER_IP), port: 161 }, 'Router OS 15.2', START + 6 * s),
  ].sort((a, b) => a.ts - b.ts);
}

/** "device key | name | value" of every attribute of the identity sources below, and the devices' router flags. */
function ingest(): { facts: Set<string>; routers: string[] } {
  const sql = ingestFrames(frames());
  const facts = new Set(attributeRows(sql, "a.source IN ('dicom', 'hl7', 'http', 'tls', 'snmp')"));
  const routers = (sql.prepare('SELECT key FROM devices WHERE is_router = 1').all() as { key: string }[]).map((d) => d.key);
  sql.close();
  return { facts, routers };
}

const run = ingest();
const router = `mac:${ROUTER_MAC}`;
const missing = (expected: readonly string[]): string[] => expected.filter((f) => !run.facts.has(f));

test('the capture makes the router MAC a router (it sources more than ROUTER_MIN_IPV4 addresses)', () => {
  assert.ok(5 >= ROUTER_MIN_IPV4);
  assert.deepEqual(run.routers, [router]);
});

test('facts of the hosts behind the router land on their IP-keyed devices', () => {
  assert.deepEqual(missing([
    'ip:10.2.0.20 | dicom_ae_title | PACS_AE',
    'ip:10.2.0.20 | dicom_implementation_class_uid | 1.2.3.4.2',
    'ip:10.2.0.20 | dicom_role | scp',
    `ip:10.2.0.20 | dicom_sop_class | scp:${D.SOP.CT_IMAGE_STORAGE}`,
    'ip:10.2.0.20 | dicom_peer | scp storage 10.1.0.10',
    'ip:10.2.0.21 | hl7_sending_application | LIS_APP',
    'ip:10.2.0.21 | hl7_receiving_application | LIS_APP',
    'ip:10.2.0.21 | hl7_role | sender ORU^R01',
    'ip:10.2.0.21 | hl7_role | receiver ACK^R01',
    'ip:10.2.0.21 | hl7_peer | sender 10.1.0.13',
    'ip:10.2.0.21 | hl7_equipment_identifier | ANALYZER_7',
    'ip:10.2.0.22 | http_server | Apache/2.4.57 (PACS-Web)',
    'ip:10.2.0.22 | http_host | intranet.example',
    'ip:10.2.0.23 | tls_cert_subject | CN=pacs-web.example',
    'ip:10.2.0.24 | snmp_sys_descr | UPS Network Card v3',
    'ip:10.2.0.24 | snmp_community | public',
  ]), []);
});

test('the router gets none of them, and keeps what it says about itself', () => {
  const onRouter = [...run.facts].filter((f) => f.startsWith(`${router} |`)).sort();
  assert.deepEqual(onRouter, [
    `${router} | default_credential | snmp:public`,
    `${router} | snmp_community | public`,
    `${router} | snmp_sys_descr | Router OS 15.2`,
    `${router} | snmp_version | v2c`,
  ]);
});

test('the on-link peers keep their facts on their MAC-keyed devices', () => {
  assert.deepEqual(missing([
    'mac:02:4c:00:00:00:0a | dicom_ae_title | CT_AE',
    'mac:02:4c:00:00:00:0a | dicom_implementation_class_uid | 1.2.3.4.1',
    'mac:02:4c:00:00:00:0a | dicom_role | scu',
    `mac:02:4c:00:00:00:0a | dicom_sop_class | scu:${D.SOP.CT_IMAGE_STORAGE}`,
    'mac:02:4c:00:00:00:0a | dicom_peer | scu storage 10.2.0.20',
    'mac:02:4c:00:00:00:0d | hl7_receiving_application | ENGINE_APP',
    'mac:02:4c:00:00:00:0d | hl7_sending_application | ENGINE_APP',
    'mac:02:4c:00:00:00:0d | hl7_role | receiver ORU^R01',
    'mac:02:4c:00:00:00:0d | hl7_peer | receiver 10.2.0.21',
    'mac:02:4c:00:00:00:0b | http_user_agent | Mozilla/5.0 (Workstation)',
  ]), []);
  const tlsClient = [...run.facts].filter((f) => f.startsWith('mac:02:4c:00:00:00:0b | tls_'));
  assert.ok(tlsClient.some((f) => f.includes('| tls_ja4 |')) && tlsClient.some((f) => f.includes('| tls_sni | pacs-web.example')), tlsClient.join('\n'));
  // nothing of the conversations is credited to a device it does not describe
  // HTTP: the internet server and the gateway that is no router get none (the gateway's hosts share its MAC's device)
  const keys = new Set([...run.facts].map((f) => f.split(' | ')[0]));
  assert.deepEqual([...keys].sort(), [router, 'ip:10.2.0.20', 'ip:10.2.0.21', 'ip:10.2.0.22', 'ip:10.2.0.23', 'ip:10.2.0.24',
    'mac:02:4c:00:00:00:0a', 'mac:02:4c:00:00:00:0b', 'mac:02:4c:00:00:00:0d'].sort());
});
