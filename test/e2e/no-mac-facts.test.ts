/**
 * Identity facts of hosts without a link-layer address, end to end: the same conversations (an SSH identification
 * exchange over IPv4 and over IPv6, an HTTP exchange, an SNMP sysDescr response, a DICOM association and an mDNS
 * announcement) recorded as a raw-IP capture (LINKTYPE_RAW: no MAC at all) and as a Linux loopback-style Ethernet
 * capture whose MACs are all zero (no interface). Ingested through the real CLI into SQLite, the hosts are keyed by IP
 * (src/inventory/endpoint-accumulator.ts) and each protocol fact must land on the `ip:` device of the host it describes
 * (identity-collector.ts factMac): none is lost for want of a MAC, none lands on another host, the mDNS group address
 * gets nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeRows, dicomStore, ingestFrames, snmpSysDescr, sshIdentification, webExchange } from './conversations.js';
import { DNS_TYPE, dnsMessage, ip4, ip6, rawIpPacket, udpFrame, ZERO_MAC, type TcpEndpoint, type TimedFrame } from '../../src/synth/frames.js';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../../src/synth/pcap-writer.js';

const START = Date.UTC(2026, 3, 7, 9, 0, 0) * 1000;

/** A host of the capture: no MAC (the all-zero one, dropped in the raw-IP capture). */
const host = (ip: string, port: number): TcpEndpoint => ({ mac: ZERO_MAC, ip: ip.includes(':') ? ip6(ip) : ip4(ip), port });

const WORKSTATION = '10.9.0.10';
const SSH_SERVER = '10.9.0.20';
const WEB = '10.9.0.21';
const AGENT = '10.9.0.30';
const PACS = '10.9.0.40';
const ANNOUNCER = '10.9.0.50';
const SSH6_CLIENT = 'fd00:9::10';
const SSH6_SERVER = 'fd00:9::20';

/** An mDNS announcement (RFC 6762 §8.3) from `ip`: its host name and a DNS-SD service type it offers. */
function mdnsAnnouncement(ip: string, at: number): TimedFrame {
  const message = dnsMessage({ id: 0, response: true, authoritative: true, rd: false, questions: [], answers: [
    { name: 'infusion-7.local', type: DNS_TYPE.A, ttl: 120, data: ip4(ip) },
    { name: '_ipp._tcp.local', type: DNS_TYPE.PTR, ttl: 4500, data: 'infusion-7._ipp._tcp.local' },
  ] });
  return { ts: at, frame: udpFrame({ src: ZERO_MAC, dst: ZERO_MAC }, { src: ip4(ip), dst: ip4('224.0.0.251'), ttl: 255 }, 5353, 5353, message) };
}

/** The conversations, as Ethernet frames with all-zero MACs. */
function frames(): TimedFrame[] {
  const s = 1_000_000;
  return [
    ...sshIdentification(host(WORKSTATION, 40001), host(SSH_SERVER, 22), 'SSH-2.0-OpenSSH_9.6', 'SSH-2.0-OpenSSH_8.4p1 Debian-5', START),
    ...sshIdentification(host(SSH6_CLIENT, 40002), host(SSH6_SERVER, 22), 'SSH-2.0-PuTTY_Release_0.80', 'SSH-2.0-dropbear_2022.83', START + s),
    ...webExchange(host(WORKSTATION, 40003), host(WEB, 80), 'intranet.example', 'Apache/2.4.57 (Unix)', START + 2 * s),
    ...snmpSysDescr(host(WORKSTATION, 40004), host(AGENT, 161), 'UPS Network Card v3', START + 3 * s),
    ...dicomStore(host(WORKSTATION, 40005), host(PACS, 104), START + 4 * s),
    mdnsAnnouncement(ANNOUNCER, START + 5 * s),
  ].sort((a, b) => a.ts - b.ts);
}

/** The facts expected, "device key | name | value": every fact of these names, each on the host it describes. */
const EXPECTED = [
  `ip:${SSH_SERVER} | ssh_server_software | OpenSSH_8.4p1 Debian-5`,
  `ip:${WORKSTATION} | ssh_client_software | OpenSSH_9.6`,
  `ip:${SSH6_SERVER} | ssh_server_software | dropbear_2022.83`,
  `ip:${SSH6_CLIENT} | ssh_client_software | PuTTY_Release_0.80`,
  `ip:${WEB} | http_server | Apache/2.4.57 (Unix)`,
  `ip:${WEB} | http_host | intranet.example`,
  `ip:${WORKSTATION} | http_user_agent | Mozilla/5.0 (Workstation)`,
  `ip:${AGENT} | snmp_sys_descr | UPS Network Card v3`,
  `ip:${PACS} | dicom_ae_title | PACS_AE`,
  `ip:${PACS} | dicom_implementation_class_uid | 1.2.3.4.2`,
  `ip:${WORKSTATION} | dicom_ae_title | CT_AE`,
  `ip:${WORKSTATION} | dicom_implementation_class_uid | 1.2.3.4.1`,
  `ip:${ANNOUNCER} | hostname | infusion-7`,
  `ip:${ANNOUNCER} | mdns_service | _ipp._tcp`,
];
const NAMES = new Set(EXPECTED.map((f) => f.split(' | ')[1]));

/** Ingests the capture (Ethernet with zero MACs, or raw IP) and reads its devices and protocol facts. */
function ingest(linktype: number): { facts: string[]; devices: string[] } {
  const sql = ingestFrames(frames(), linktype, linktype === LINKTYPE_RAW ? rawIpPacket : undefined);
  const facts = attributeRows(sql, "a.source NOT IN ('oui', 'traffic', 'tcp_fingerprint', 'service')");
  const devices = (sql.prepare('SELECT key FROM devices').all() as { key: string }[]).map((d) => d.key);
  sql.close();
  return { facts, devices };
}

for (const [label, linktype] of [['raw IP (LINKTYPE_RAW)', LINKTYPE_RAW], ['Ethernet with all-zero MACs', LINKTYPE_ETHERNET]] as const) {
  test(`${label}: every protocol fact lands on the IP-keyed device of the host it describes`, () => {
    const run = ingest(linktype);
    assert.deepEqual(run.devices.filter((k) => !k.startsWith('ip:')), [], 'no device is keyed by a MAC');
    assert.ok(!run.devices.includes('ip:224.0.0.251'), 'the mDNS group address is no device');
    const got = run.facts.filter((f) => NAMES.has(f.split(' | ')[1]!));
    assert.deepEqual([...new Set(got)].sort(), [...EXPECTED].sort());
    const hosts = new Set([WORKSTATION, SSH_SERVER, WEB, AGENT, PACS, ANNOUNCER, SSH6_CLIENT, SSH6_SERVER].map((ip) => `ip:${ip}`));
    assert.deepEqual(run.facts.filter((f) => !hosts.has(f.split(' | ')[0]!)), [], 'every fact is on one of the hosts');
  });
}
