// Purpose: write samples/hospital.pcap, a small deterministic synthetic hospital capture (clinical, IT and
// management VLANs; ~30 devices over 10 minutes). Usage: node dist/scripts/make-sample.js <out.pcap> [--markdown]

import { pathToFileURL } from 'node:url';
import {
  arpFrame, BROADCAST_MAC, dhcpMessage, dnsQuery, dnsResponse, DNS_TYPE, icmpEchoFrame, icmpv6Frame, ip4, ip6,
  ipv6MulticastMac, lldpFrame, mac, macToString, ndpAdvertBody, ndpSolicitBody, solicitedNode, tcpSession, udpExchange,
  udpFrame, type DhcpSpec, type Endpoint, type TcpExchange, type TcpOsProfile, type TimedFrame,
} from '../src/synth/frames.js';
import {
  filler, hl7Ack, hl7PlaceholderOru,
  httpGet, httpResponse, mllp, ntpPacket, pjlJob, smb2Echo, smb2NegotiateRequest, smb2NegotiateResponse, tlsAppData,
  tlsClientHello, tlsServerHello,
} from '../src/synth/payloads.js';
import * as IV from '../src/synth/intellivue-messages.js';
import { ivAssociationOpening, ivConnectAttributes, type IvMonitorIdentity } from '../src/synth/intellivue-session.js';
import { dpwsGet, dpwsGetResponse, type DpwsDeviceMetadata, type SdcProvider, wsdHello, wsdProbe, wsdProbeMatches } from '../src/synth/sdc-messages.js';
import { openPcapWriter } from '../src/synth/pcap-writer.js';
import { Prng } from '../src/synth/prng.js';
import type { DeviceCategory } from '../src/knowledge/vocabulary.js';
import { clinicalTraffic, echoExchanges } from './sample-clinical.js';

/** Capture start: 2026-03-02T08:00:00Z in microseconds. */
export const SAMPLE_START = Date.UTC(2026, 2, 2, 8, 0, 0) * 1000;
const SEC = 1_000_000;
const DURATION = 600 * SEC;

/** The SDC provider vent-01: its discovery endpoint (location scope only: no patient context scope) and DPWS metadata. */
const VENT_SDC: SdcProvider = {
  epr: 'urn:uuid:5d0c2a1e-3b4f-4c6d-8e7f-90a1b2c3d4e5', types: 'dpws:Device mdpws:MedicalDevice',
  scopes: ['sdc.ctxt.loc:/sdc.ctxt.loc.detail/HOSP1%2F%2F%2FICU%2F%2FBed03?fac=HOSP1&poc=ICU&bed=Bed03', 'sdc.mds.pkp:1.2.840.10004.20701.1.1'],
  xaddrs: 'http://10.10.0.30:6464/sdc/device', metadataVersion: 1, instanceId: 1772438400,
};
const VENT_METADATA: DpwsDeviceMetadata = {
  manufacturer: 'Drägerwerk AG & Co. KGaA', manufacturerUrl: 'https://www.draeger.com', modelName: 'Evita V800', modelNumber: '8422000',
  modelUrl: 'https://www.draeger.com/evita', presentationUrl: 'http://10.10.0.30/', friendlyName: 'ICU vent Bed03', firmwareVersion: '2.51',
  serialNumber: 'ASYN-0001', hosted: [{ address: 'http://10.10.0.30:6464/sdc/get', types: 'sdc:GetService sdc:ContainmentTreeService', serviceId: 'GetService' }],
};

/** Bedside monitors the central station associates with (IntelliVue Data Export): icu-bed-01 and icu-bed-02. */
const IV_ASSOCIATED = 2;
/** The monitors' IntelliVue product number (866062) and the model name the knowledge (data/fingerprints/intellivue.fp)
 * gives it: the MX450 of the CMMS export (samples/hospital-assets.csv), whose serials the monitors report too. */
const IV_MODEL = { number: '866062', name: 'IntelliVue MX450' } as const;

/** The MDS identity of bedside monitor icu-bed-0`n` (made-up serials; bed labels are locations, not patient data). */
function monitorIdentity(n: number): IvMonitorIdentity {
  return {
    manufacturer: 'Philips', model: IV_MODEL.number, serial: `MX450-SN-100${n}`, part: '453564020961', hwRevision: 'A.01',
    swRevision: 'L.01.52', fwRevision: 'B.00.07', protocolRevision: 'PR.03', bedLabel: `ICU-BED0${n}`,
  };
}

/** One device of the synthetic network. VLAN 1 is the native (untagged) VLAN of the trunk. */
export interface SampleHost {
  name: string;
  role: string;
  vendor: string;
  mac: string;
  ip: string;
  vlan: number;
  os: TcpOsProfile;
  ttl: number;
  dhcp?: boolean;
  /**
   * The ground truth the generator knows (what the host IS, not what medtap infers): DESIGN §3 category, canonical
   * vendor (the spellings of data/fingerprints/: the device maker; null when nothing on the wire can name it), model
   * when the traffic states one, and whether it is a medical device. The golden test (test/e2e/golden-sample.test.ts)
   * compares medtap's inventory with it.
   */
  truth: HostTruth;
}

/** Ground truth of one sample host. */
export interface HostTruth {
  category: DeviceCategory;
  vendor: string | null;
  model?: string;
  medical: boolean;
}

const T = (category: DeviceCategory, vendor: string | null, medical: boolean, model?: string): HostTruth => (model === undefined ? { category, vendor, medical } : { category, vendor, medical, model });

/** The device list of the sample (also rendered into samples/README.md with --markdown). */
export const SAMPLE_HOSTS: readonly SampleHost[] = [
  { name: 'core-sw1', role: 'Access/core switch (LLDP, mgmt)', vendor: 'Cisco Systems', mac: '00:1b:54:3a:10:00', ip: '10.0.1.2', vlan: 1, os: 'minimal', ttl: 255, truth: T('network-infrastructure', 'Cisco', false) },
  { name: 'gw-rtr1', role: 'Router / default gateway (.1 on every VLAN), DHCP relay, NTP', vendor: 'Cisco Systems', mac: '2c:31:24:5e:00:01', ip: '10.0.1.1', vlan: 1, os: 'minimal', ttl: 255, truth: T('network-infrastructure', 'Cisco', false) },
  { name: 'piic-central-01', role: 'Patient monitoring central station (Windows; DHCPINFORM)', vendor: 'Philips Medical Systems', mac: '00:09:5c:21:4e:10', ip: '10.10.0.10', vlan: 10, os: 'windows', ttl: 128, truth: T('central-station', 'Philips', true) },
  ...[1, 2, 3, 4, 5, 6].map((i) => ({
    name: `icu-bed-0${i}`, role: 'Patient monitor (bedside)', vendor: 'Philips Patient Monitoring',
    mac: `00:09:fb:4c:1${i}:${(0x20 + i * 7).toString(16)}`, ip: `10.10.0.${20 + i}`, vlan: 10, os: 'minimal' as TcpOsProfile, ttl: 64,
    truth: T('patient-monitor', 'Philips', true, i <= IV_ASSOCIATED ? IV_MODEL.name : undefined), // the model only in the MDS Create of an association
  })),
  { name: 'asm-server', role: 'Infusion pump server (Alaris Systems Manager)', vendor: 'Dell', mac: '18:a9:9b:62:07:c1', ip: '10.10.0.12', vlan: 10, os: 'windows', ttl: 128, truth: T('server', 'Dell', false) },
  ...[1, 2, 3].map((i) => ({
    name: `pump-0${i}`, role: 'Infusion pump (BD Alaris), DHCP client', vendor: 'CareFusion', mac: `f8:c6:78:0e:5${i}:${(0x90 + i).toString(16)}`,
    ip: `10.10.0.${40 + i}`, vlan: 10, os: 'minimal' as TcpOsProfile, ttl: 64, dhcp: true, truth: T('infusion-pump', 'BD', true),
  })),
  { name: 'pump-04', role: 'Infusion pump (BD Alaris), DHCP client', vendor: 'Becton, Dickinson and Company', mac: '9c:c8:ae:1d:77:04', ip: '10.10.0.44', vlan: 10, os: 'minimal', ttl: 64, dhcp: true, truth: T('infusion-pump', 'BD', true) },
  { name: 'ct-01', role: 'CT scanner (DICOM SCU)', vendor: 'GE Healthcare', mac: '44:4b:5d:03:a1:60', ip: '10.10.0.60', vlan: 10, os: 'linux', ttl: 64, truth: T('imaging-ct', 'GE Healthcare', true) },
  { name: 'lab-analyzer-01', role: 'Lab analyzer (HL7 sender)', vendor: 'Siemens Healthcare Diagnostics', mac: '00:18:65:7b:20:31', ip: '10.10.0.70', vlan: 10, os: 'windows', ttl: 128, truth: T('lab-analyzer', 'Siemens Healthineers', true) },
  { name: 'pacs-01', role: 'PACS archive (DICOM SCP, TCP 104)', vendor: 'Dell', mac: 'd4:ae:52:88:01:00', ip: '10.10.0.100', vlan: 10, os: 'linux', ttl: 64, truth: T('pacs', 'Dell', true) },
  { name: 'hl7-engine', role: 'HL7 interface engine (MLLP, TCP 2575)', vendor: 'Hewlett Packard', mac: '3c:4a:92:10:25:75', ip: '10.10.0.101', vlan: 10, os: 'linux', ttl: 64, truth: T('hl7-interface-engine', 'HP', true) },
  { name: 'dc01', role: 'Domain controller: DNS, DHCP, SMB, NTP', vendor: 'Dell', mac: 'b8:ca:3a:5d:00:05', ip: '10.20.0.5', vlan: 20, os: 'windows', ttl: 128, truth: T('server', 'Dell', false) },
  ...[1, 2, 3, 4, 5].map((i) => ({
    name: `ws-dell-0${i}`, role: 'Workstation', vendor: 'Dell', mac: `${['f8:b1:56', 'b8:ca:3a', '6c:2b:59', 'f8:b1:56', 'd4:be:d9'][i - 1]}:3${i}:a0:${(0x10 + i * 3).toString(16)}`,
    ip: `10.20.0.${30 + i}`, vlan: 20, os: 'windows' as TcpOsProfile, ttl: 128, dhcp: i === 5, truth: T('workstation', 'Dell', false),
  })),
  ...[1, 2, 3].map((i) => ({
    name: `ws-hp-0${i}`, role: 'Workstation', vendor: 'HP Inc.', mac: `30:24:a9:7c:4${i}:${(0x50 + i).toString(16)}`,
    ip: `10.20.0.${40 + i}`, vlan: 20, os: 'windows' as TcpOsProfile, ttl: 128, dhcp: i === 2, truth: T('workstation', 'HP', false),
  })),
  { name: 'printer-01', role: 'Network printer (raw TCP 9100)', vendor: 'Hewlett Packard', mac: 'a0:d3:c1:0f:91:00', ip: '10.20.0.60', vlan: 20, os: 'minimal', ttl: 64, truth: T('printer', 'HP', false) },
  { name: 'tablet-ward3', role: 'Clinician tablet, randomized (locally administered) MAC', vendor: '(locally administered)', mac: 'da:7e:3c:91:0b:44', ip: '10.20.0.77', vlan: 20, os: 'linux', ttl: 64, dhcp: true, truth: T('mobile', null, false) },
  // clinical protocols (scripts/sample-clinical.ts)
  { name: 'mr-01', role: 'MR scanner (DICOM MR Image Storage SCU)', vendor: 'Philips Medical Systems', mac: '00:09:5c:4d:52:01', ip: '10.10.0.61', vlan: 10, os: 'linux', ttl: 64, truth: T('imaging-mr', 'Philips', true) },
  { name: 'us-01', role: 'Ultrasound (DICOM US Image Storage SCU)', vendor: 'Medison Co., Ltd.', mac: '00:05:b2:55:53:01', ip: '10.10.0.62', vlan: 10, os: 'linux', ttl: 64, truth: T('imaging-us', 'Samsung Medison', true) },
  { name: 'ris-01', role: 'RIS: Modality Worklist provider (DICOM C-FIND SCP)', vendor: 'Super Micro Computer, Inc.', mac: '00:25:90:52:49:53', ip: '10.10.0.102', vlan: 10, os: 'linux', ttl: 64, truth: T('server', 'Supermicro', false) },
  { name: 'rad-viewer-01', role: 'Radiology reading workstation (DICOM C-FIND/C-MOVE SCU, DICOM-TLS)', vendor: 'HP Inc.', mac: '30:24:a9:7c:52:01', ip: '10.10.0.80', vlan: 10, os: 'windows', ttl: 128, truth: T('imaging-workstation', 'HP', true) },
  { name: 'ehr-01', role: 'EHR / ADT system (HL7 ADT^A01 sender, results receiver)', vendor: 'Dell', mac: 'd4:ae:52:88:02:00', ip: '10.10.0.103', vlan: 10, os: 'linux', ttl: 64, truth: T('server', 'Dell', false) },
  { name: 'poc-meter-01', role: 'POCT1-A glucose meter (HEL.R01, OBS)', vendor: 'Abbott Diagnostics', mac: '00:13:dd:5c:00:31', ip: '10.10.0.90', vlan: 10, os: 'minimal', ttl: 64, truth: T('poc-analyzer', 'Abbott', true, 'GLU-SYNTH-1') },
  { name: 'poc-dm-01', role: 'Point-of-care data manager (POCT1-A receiver)', vendor: 'Dell', mac: 'd4:ae:52:88:03:00', ip: '10.10.0.104', vlan: 10, os: 'windows', ttl: 128, truth: T('medical-other', 'Dell', true) },
  { name: 'vent-01', role: 'Ventilator (IEEE 11073 SDC provider: WS-Discovery Hello/ProbeMatches, DPWS metadata)', vendor: 'Drägerwerk AG & Co. KG aA', mac: 'f0:e5:c3:56:45:01', ip: '10.10.0.30', vlan: 10, os: 'linux', ttl: 64, truth: T('ventilator', 'Dräger', true, VENT_METADATA.modelName) },
];

interface Host extends SampleHost {
  macB: Uint8Array;
  ipB: Uint8Array;
}

/** A public (internet) server reached through the router. */
interface Remote {
  name: string;
  ip: Uint8Array;
  ttl: number;
}

/** Build every frame of the sample, sorted by timestamp. */
export function buildSample(seed = 20260302): TimedFrame[] {
  const rnd = new Prng(seed);
  const out: TimedFrame[] = [];
  const push = (frames: readonly TimedFrame[]): void => {
    for (const f of frames) if (f.ts < SAMPLE_START + DURATION) out.push(f);
  };
  const hosts = new Map<string, Host>(SAMPLE_HOSTS.map((h) => [h.name, { ...h, macB: mac(h.mac), ipB: ip4(h.ip) }]));
  const H = (name: string): Host => hosts.get(name)!;
  const router = H('gw-rtr1');
  const vlansOf = (h: { vlan: number }) => (h.vlan === 1 ? undefined : [h.vlan]);
  const gwIp = (vlan: number) => ip4(vlan === 1 ? '10.0.1.1' : `10.${vlan}.0.1`);
  const at = (sec: number) => SAMPLE_START + Math.round(sec * SEC);
  const jitter = (maxSec: number) => Math.round(rnd.next() * maxSec * SEC);

  // ---------- ARP: the initiator resolves the peer (or its gateway) once every 5 minutes
  const arpSeen = new Map<string, number>();
  const arp = (t: number, from: Host, targetIp: Uint8Array, targetMac: Uint8Array): void => {
    const key = `${from.name}>${targetIp.join('.')}`;
    const last = arpSeen.get(key);
    if (last !== undefined && t - last < 300 * SEC) return;
    arpSeen.set(key, t);
    const vlans = vlansOf(from);
    push([
      { ts: t - 3000, frame: arpFrame({ op: 'request', senderMac: from.macB, senderIp: from.ipB, targetIp, vlans }) },
      { ts: t - 2600, frame: arpFrame({ op: 'reply', senderMac: targetMac, senderIp: targetIp, targetMac: from.macB, targetIp: from.ipB, vlans }) },
    ]);
  };
  const peerOf = (t: number, from: Host, to: Host | Remote): { mac: Uint8Array; ip: Uint8Array; ttl: number } => {
    if ('macB' in to) {
      arp(t, from, to.ipB, to.macB);
      return { mac: to.macB, ip: to.ipB, ttl: to.ttl };
    }
    arp(t, from, gwIp(from.vlan), router.macB);
    return { mac: router.macB, ip: to.ip, ttl: to.ttl };
  };
  let ephemeral = 49152;
  const tcp = (t: number, client: Host, server: Host | Remote, port: number, exchanges: TcpExchange[], extra: { close?: 'client' | 'server' | 'reset'; refused?: boolean; serverOs?: TcpOsProfile; mss?: number } = {}): void => {
    const p = peerOf(t, client, server);
    push(tcpSession({
      client: { mac: client.macB, ip: client.ipB, port: ephemeral++, ttl: client.ttl, os: client.os, isn: rnd.u32(), ipId: rnd.int(0, 65535) },
      server: { mac: p.mac, ip: p.ip, port, ttl: p.ttl, os: extra.serverOs ?? ('os' in server ? server.os : 'linux'), isn: rnd.u32(), ipId: rnd.int(0, 65535) },
      vlans: vlansOf(client),
      start: t,
      rtt: 'macB' in server ? 300 + rnd.int(0, 400) : 15_000 + rnd.int(0, 25_000),
      exchanges,
      close: extra.close,
      refused: extra.refused,
      mss: extra.mss,
    }));
  };
  const udp = (t: number, client: Host, server: Host | Remote, sport: number, dport: number, exchanges: { request: Uint8Array; response?: Uint8Array }[], interval = SEC): void => {
    const p = peerOf(t, client, server);
    const c: Endpoint = { mac: client.macB, ip: client.ipB, port: sport, ttl: client.ttl };
    const s: Endpoint = { mac: p.mac, ip: p.ip, port: dport, ttl: p.ttl };
    push(udpExchange({ client: c, server: s, vlans: vlansOf(client), start: t, interval, exchanges, rtt: 'macB' in server ? 400 : 20_000, ipId: rnd.int(0, 65535) }));
  };
  /** IntelliVue association of the data export client `client` with monitor `n` (`mon`), 100 ms between datagrams. */
  const ivAssociation = (t: number, client: Host, mon: Host, n: number, ipId: number): void => {
    const p = peerOf(t, client, mon);
    const sport = 50104 + n;
    ivAssociationOpening(monitorIdentity(n), { mac: [...mon.macB], ip: [...mon.ipB] }, [70 + n, 71 + n]).forEach(([side, payload], k) => {
      const [a, b] = side === 'c' ? [client, mon] : [mon, client];
      const [dstMac, sp, dp] = side === 'c' ? [p.mac, sport, 24105] : [client.macB, 24105, sport];
      push([{ ts: t + k * 100_000, frame: udpFrame({ src: a.macB, dst: dstMac, vlans: vlansOf(a) }, { src: a.ipB, dst: b.ipB, ttl: a.ttl, df: false, id: (ipId + k) & 0xffff }, sp, dp, payload) }]);
    });
  };
  const ping = (t: number, from: Host, to: Host | Remote, count: number): void => {
    const p = peerOf(t, from, to);
    const id = rnd.int(1, 65535);
    const l2 = { src: from.macB, dst: p.mac, vlans: vlansOf(from) };
    const back = { src: p.mac, dst: from.macB, vlans: vlansOf(from) };
    const data = filler(32);
    for (let i = 0; i < count; i++) {
      const ts = t + i * SEC;
      push([
        { ts, frame: icmpEchoFrame(l2, { src: from.ipB, dst: p.ip, ttl: from.ttl, df: false, id: rnd.int(0, 65535) }, { id, seq: i + 1, data }) },
        { ts: ts + ('macB' in to ? 350 : 18_000), frame: icmpEchoFrame(back, { src: p.ip, dst: from.ipB, ttl: p.ttl, df: false, id: rnd.int(0, 65535) }, { reply: true, id, seq: i + 1, data }) },
      ]);
    }
  };

  // ---------- internet: fictitious names resolved to public addresses behind the router
  const names = ['www.example.com', 'portal.example.org', 'cdn1.example.net', 'update.example.com', 'mail.example.com', 'api.example.net',
    'news.example.org', 'weather.example.com', 'docs.example.org', 'video.example.net', 'login.example.com', 'files.example.org'];
  const blocks = [[23, 45], [34, 117], [52, 84], [93, 184], [104, 18], [151, 101], [185, 199], [142, 250], [13, 107], [20, 190]];
  const remotes: Remote[] = [];
  for (let i = 0; i < 36; i++) {
    const [a, b] = blocks[i % blocks.length]!;
    remotes.push({ name: names[i % names.length]!, ip: Uint8Array.of(a!, b!, rnd.int(0, 255), rnd.int(1, 254)), ttl: rnd.pick([50, 52, 54, 56, 113, 116, 118]) });
  }
  const dc = H('dc01');
  let dnsId = 0x2a00;
  const resolve = (t: number, client: Host, name: string, answerIp: Uint8Array | null): void => {
    const id = dnsId++;
    const answers = answerIp ? [{ name, type: DNS_TYPE.A, ttl: 300, data: answerIp }] : [];
    udp(t, client, dc, 50000 + rnd.int(0, 15000), 53, [{ request: dnsQuery(id, name), response: dnsResponse(id, name, DNS_TYPE.A, answers, answerIp ? 0 : 3) }]);
  };
  const https = (t: number, client: Host, server: Host | Remote, sni: string, responseBytes: number, port = 443): void => {
    const cr = rnd.bytes(32);
    tcp(t + 6000, client, server, port, [
      { request: tlsClientHello(cr, sni), response: concatBytes(tlsServerHello(rnd.bytes(32), cr), tlsAppData(rnd.int(1800, 3200), rnd.bytes(64))), serverTime: 3000 },
      { request: tlsAppData(rnd.int(300, 700), rnd.bytes(64)), response: tlsAppData(responseBytes, rnd.bytes(64)), thinkTime: 2000, serverTime: 20_000 },
    ], { close: 'client' });
  };

  // ---------- DHCP (DORA, or INFORM from a host with a static address); VLAN 10 goes through the router's relay
  // agent, VLAN 20 is served directly by dc01. Parameter request lists per client family (option 55 order), as
  // real clients send them (see data/fingerprints/dhcp.fp for the captures they were observed in).
  const WINDOWS_10_PRL = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
  const ANDROID_PRL = [1, 3, 6, 15, 26, 28, 51, 58, 59, 43];
  const EMBEDDED_PRL = [1, 3, 6, 12, 15, 28, 42]; // a minimal embedded client (synthetic)
  const dhcp = (t: number, h: Host, vendorClass: string, params: readonly number[], inform = false): void => {
    const xid = rnd.u32();
    const relayed = h.vlan !== dc.vlan;
    const gw = gwIp(h.vlan);
    const base = { xid, clientMac: h.macB, hostname: h.name, vendorClass };
    const lease = { serverId: dc.ipB, leaseTime: 86400, subnetMask: ip4('255.255.255.0'), router: gw, dns: [dc.ipB], domainName: 'synth-hospital.local' };
    const client = (ts: number, d: DhcpSpec): TimedFrame => ({
      ts, frame: udpFrame({ src: h.macB, dst: BROADCAST_MAC, vlans: vlansOf(h) }, { src: ip4('0.0.0.0'), dst: ip4('255.255.255.255'), ttl: 64, df: false }, 68, 67, dhcpMessage(d)),
    });
    const server = (ts: number, d: DhcpSpec, asked: DhcpSpec): TimedFrame[] => {
      if (!relayed) {
        return [{ ts, frame: udpFrame({ src: dc.macB, dst: h.macB, vlans: vlansOf(h) }, { src: dc.ipB, dst: d.yiaddr!, ttl: 128, df: false }, 67, 68, dhcpMessage(d)) }];
      }
      const relayIp = gwIp(dc.vlan);
      const toServer = dhcpMessage({ ...asked, giaddr: gw, hops: 1 });
      const fromServer = dhcpMessage({ ...d, giaddr: gw, hops: 1 });
      return [
        { ts: ts - 1500, frame: udpFrame({ src: router.macB, dst: dc.macB, vlans: vlansOf(dc) }, { src: relayIp, dst: dc.ipB, ttl: 255, df: false }, 67, 67, toServer) },
        { ts: ts - 700, frame: udpFrame({ src: dc.macB, dst: router.macB, vlans: vlansOf(dc) }, { src: dc.ipB, dst: relayIp, ttl: 128, df: false }, 67, 67, fromServer) },
        { ts, frame: udpFrame({ src: router.macB, dst: h.macB, vlans: vlansOf(h) }, { src: gw, dst: h.ipB, ttl: 255, df: false }, 67, 68, dhcpMessage({ ...d, giaddr: gw })) },
      ];
    };
    if (inform) {
      // RFC 2131 §3.4: a client with an externally configured address asks for other parameters only
      const ask: DhcpSpec = { ...base, type: 'inform', ciaddr: h.ipB, paramList: params };
      const { leaseTime: _lease, ...options } = lease;
      push([
        { ts: t, frame: udpFrame({ src: h.macB, dst: BROADCAST_MAC, vlans: vlansOf(h) }, { src: h.ipB, dst: ip4('255.255.255.255'), ttl: 128, df: false }, 68, 67, dhcpMessage(ask)) },
        ...server(t + 4000, { ...base, type: 'ack', ciaddr: h.ipB, ...options }, ask),
      ]);
      return;
    }
    const discover: DhcpSpec = { ...base, type: 'discover', paramList: params };
    const request: DhcpSpec = { ...base, type: 'request', paramList: params, requestedIp: h.ipB, serverId: dc.ipB };
    push([
      client(t, discover),
      ...server(t + 4000, { ...base, type: 'offer', yiaddr: h.ipB, siaddr: relayed ? undefined : dc.ipB, ...lease }, discover),
      client(t + 9000, request),
      ...server(t + 13000, { ...base, type: 'ack', yiaddr: h.ipB, siaddr: relayed ? undefined : dc.ipB, ...lease }, request),
    ]);
    // gratuitous ARP announcing the new address
    push([{ ts: t + 20000, frame: arpFrame({ op: 'request', senderMac: h.macB, senderIp: h.ipB, targetIp: h.ipB, vlans: vlansOf(h) }) }]);
  };
  dhcp(at(1.4), H('piic-central-01'), 'MSFT 5.0', WINDOWS_10_PRL, true);
  [1, 2, 3].forEach((i) => dhcp(at(2.1 + i * 0.55), H(`pump-0${i}`), 'BD-Alaris-PCU', EMBEDDED_PRL));
  dhcp(at(4.2), H('pump-04'), 'BD-Alaris-PCU', EMBEDDED_PRL);
  dhcp(at(7.9), H('ws-dell-05'), 'MSFT 5.0', WINDOWS_10_PRL);
  dhcp(at(11.3), H('ws-hp-02'), 'MSFT 5.0', WINDOWS_10_PRL);
  dhcp(at(15.6), H('tablet-ward3'), 'android-dhcp-14', ANDROID_PRL);

  // ---------- management VLAN: LLDP from two switch ports every 30 s, NTP to the router
  const sw = H('core-sw1');
  for (let t = 0; t < 600; t += 30) {
    [['Gi1/0/1', 'uplink to gw-rtr1', 1], ['Gi1/0/48', 'trunk to clinical/IT access', 48]].forEach(([port, desc, n], i) => {
      const src = sw.macB.slice();
      src[5] = Number(n);
      push([{
        ts: at(t + i * 0.01),
        frame: lldpFrame({
          src, chassisMac: sw.macB, portId: String(port), portDescription: String(desc), ttl: 120, systemName: 'core-sw1.synth-hospital.local',
          systemDescription: 'Cisco IOS Software, C9300 Software (CAT9K_IOSXE), Version 17.9.4 (synthetic)',
          capabilities: { system: 0x0014, enabled: 0x0004 }, mgmtIp: sw.ipB, mgmtIfIndex: Number(n),
        }),
      }]);
    });
  }
  for (let t = 20; t < 600; t += 120) {
    const ts = at(t) + jitter(1);
    udp(ts, sw, gwHost(1), 123, 123, [{ request: ntpPacket(false, ts), response: ntpPacket(true, ts + 400, ts) }]);
  }

  // ---------- clinical VLAN 10
  const central = H('piic-central-01');
  const monitors = [1, 2, 3, 4, 5, 6].map((i) => H(`icu-bed-0${i}`));
  monitors.forEach((m, i) => {
    // IntelliVue Data Export Connect Indication broadcast every 10 s (scripts/make-intellivue-captures.ts's messages)
    const connect = IV.connectIndication(ivConnectAttributes(monitorIdentity(i + 1), { mac: [...m.macB], ip: [...m.ipB] }));
    for (let t = 2 + i * 0.37; t < 600; t += 10) {
      push([{ ts: at(t), frame: udpFrame({ src: m.macB, dst: BROADCAST_MAC, vlans: [10] }, { src: m.ipB, dst: ip4('10.10.0.255'), ttl: 64, df: false, id: rnd.int(0, 65535) }, 24005, 24005, connect) }]);
    }
    // the central station (data export client) associates with the first two monitors on UDP 24105; the id drawn
    // for the others keeps the PRNG sequence, hence the rest of the sample, unchanged
    const ipId = rnd.int(0, 65535);
    if (i < IV_ASSOCIATED) ivAssociation(at(3 + i * 0.21), central, m, i + 1, ipId);
    // NTP to the gateway every 5 minutes
    for (let t = 30 + i; t < 600; t += 300) {
      const ts = at(t);
      udp(ts, m, gwHost(10), 123, 123, [{ request: ntpPacket(false, ts), response: ntpPacket(true, ts + 400, ts) }]);
    }
  });
  // central station pings each monitor once a minute
  for (let t = 10; t < 600; t += 60) monitors.forEach((m, i) => ping(at(t + i * 0.05), central, m, 1));
  // central station sends HL7 ORU (placeholder) to the interface engine every 30 s on one MLLP connection
  const engine = H('hl7-engine');
  const oru = (sender: Host, count: number, every: number, start: number): void => {
    const ex: TcpExchange[] = [];
    for (let k = 0; k < count; k++) {
      const id = `${sender.name.toUpperCase().replace(/-/g, '')}${String(k + 1).padStart(5, '0')}`;
      const ms = (SAMPLE_START + (start + k * every) * SEC) / 1000;
      ex.push({ request: mllp(hl7PlaceholderOru(id, ms, sender.name.toUpperCase())), response: mllp(hl7Ack(id, ms)), thinkTime: k === 0 ? 1000 : every * SEC - 5000, serverTime: 4000 });
    }
    tcp(at(start), sender, engine, 2575, ex, { close: 'client' });
  };
  oru(central, 19, 30, 5);
  oru(H('lab-analyzer-01'), 9, 60, 40);
  // CT verifies the PACS association every 2 minutes (DICOM C-ECHO; images: scripts/sample-clinical.ts)
  const ct = H('ct-01');
  const pacs = H('pacs-01');
  for (let t = 25, n = 1; t < 600; t += 120, n++) {
    tcp(at(t) + jitter(2), ct, pacs, 104, echoExchanges('GE_CT01', 'PACS_ARCHIVE', n), { close: 'client' });
  }
  // infusion pumps report to the pump server over TLS once a minute
  const asm = H('asm-server');
  [1, 2, 3, 4].forEach((i) => {
    const pump = H(`pump-0${i}`);
    for (let t = 20 + i * 3; t < 600; t += 60) https(at(t) + jitter(1), pump, asm, 'asm.synth-hospital.local', rnd.int(300, 900));
    for (let t = 50 + i; t < 600; t += 300) {
      const ts = at(t);
      udp(ts, pump, gwHost(10), 123, 123, [{ request: ntpPacket(false, ts), response: ntpPacket(true, ts + 400, ts) }]);
    }
  });

  // ---------- IT VLAN 20
  const workstations = [...[1, 2, 3, 4, 5].map((i) => H(`ws-dell-0${i}`)), ...[1, 2, 3].map((i) => H(`ws-hp-0${i}`))];
  const printer = H('printer-01');
  const tablet = H('tablet-ward3');
  workstations.forEach((w, i) => {
    const boot = w.dhcp ? 20 : 1 + i * 0.6;
    // logon: DNS for the DC, SMB negotiate + echoes to the DC
    resolve(at(boot + 1), w, 'dc01.synth-hospital.local', dc.ipB);
    tcp(at(boot + 1.2), w, dc, 445, [
      { request: smb2NegotiateRequest(rnd.bytes(16)), response: smb2NegotiateResponse(rnd.bytes(16), (SAMPLE_START + (boot + 1.2) * SEC) / 1000) },
      ...[1, 2, 3].map((k) => ({ request: smb2Echo(k, false), response: smb2Echo(k, true), thinkTime: 60 * SEC })),
    ], { close: 'client' });
    udp(at(boot + 2), w, dc, 123, 123, [{ request: ntpPacket(false, at(boot + 2)), response: ntpPacket(true, at(boot + 2) + 400, at(boot + 2)) }]);
    // web browsing: a few HTTPS sessions and one plain HTTP request to fictitious public servers
    for (let k = 0; k < 7; k++) {
      const t = at(boot + 30 + k * 75 + rnd.next() * 40);
      const r = rnd.pick(remotes);
      resolve(t, w, r.name, r.ip);
      https(t, w, r, r.name, rnd.int(1000, 9000));
    }
    const r = rnd.pick(remotes);
    const t = at(boot + 200 + rnd.next() * 100);
    resolve(t, w, r.name, r.ip);
    tcp(t + 5000, w, r, 80, [{ request: httpGet(r.name, '/index.html', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) synthetic'), response: httpResponse(200, rnd.int(800, 4000)) }]);
    // an unknown name (NXDOMAIN)
    resolve(at(boot + 100 + i), w, `wpad.synth-hospital.local`, null);
  });
  // print jobs
  [[0, 120], [5, 260], [6, 430]].forEach(([wi, t]) => {
    tcp(at(t!), workstations[wi!]!, printer, 9100, [{ request: pjlJob(`job-${t}`, rnd.int(8000, 20000)) }], { close: 'client' });
  });
  ping(at(118), workstations[0]!, printer, 4);
  ping(at(300), workstations[1]!, remotes[3]!, 4);
  // a refused connection attempt (nothing listens on 3389 at the printer)
  tcp(at(333), workstations[2]!, printer, 3389, [], { refused: true });
  // tablet: DNS + HTTPS to the internet
  for (let k = 0; k < 6; k++) {
    const t = at(40 + k * 90 + rnd.next() * 30);
    const r = rnd.pick(remotes);
    resolve(t, tablet, r.name, r.ip);
    https(t, tablet, r, r.name, rnd.int(2000, 12000));
  }
  // IPv6 neighbor discovery on VLAN 20: two workstations resolve the router's link-local address
  const rtrLl = ip6('fe80::2e31:24ff:fe5e:1');
  [workstations[0]!, workstations[5]!].forEach((w, i) => {
    const ll = eui64LinkLocal(w.macB);
    const ts = at(3 + i);
    push([
      { ts, frame: icmpv6Frame({ src: w.macB, dst: ipv6MulticastMac(solicitedNode(rtrLl)), vlans: [20] }, { src: ll, dst: solicitedNode(rtrLl), ttl: 255 }, 135, 0, ndpSolicitBody(rtrLl, w.macB)) },
      { ts: ts + 500, frame: icmpv6Frame({ src: router.macB, dst: w.macB, vlans: [20] }, { src: rtrLl, dst: ll, ttl: 255 }, 136, 0, ndpAdvertBody(rtrLl, router.macB, { router: true, solicited: true })) },
    ]);
  });

  // ---------- clinical protocols: DICOM, HL7, POCT1-A (scripts/sample-clinical.ts)
  clinicalTraffic({
    tcp: (t, client, server, port, exchanges, opts = {}) => tcp(t + jitter(1), H(client), H(server), port, exchanges, opts),
    at,
    bytes: (n) => rnd.bytes(n),
  });

  // ---------- IEEE 11073 SDC (after the rest, so the PRNG sequence above is unchanged): vent-01 says Hello, the
  // central station probes for medical devices every 5 minutes and reads the ventilator's DPWS metadata once
  const vent = H('vent-01');
  const wsd = (t: number, from: Host, to: Host | null, sport: number, dport: number, body: string): void => {
    const dst = to === null ? { mac: WSD_GROUP_MAC, ip: ip4('239.255.255.250') } : { mac: to.macB, ip: to.ipB };
    push([{ ts: t, frame: udpFrame({ src: from.macB, dst: dst.mac, vlans: [10] }, { src: from.ipB, dst: dst.ip, ttl: to === null ? 1 : from.ttl, df: false, id: rnd.int(0, 65535) }, sport, dport, utf8(body)) }]);
  };
  const sdcId = (n: number): string => `urn:uuid:5d0c1a2b-3c4d-4e5f-8a6b-${n.toString(16).padStart(12, '0')}`;
  wsd(at(12), vent, null, 3702, 3702, wsdHello(VENT_SDC, sdcId(1), 1));
  [14, 314].forEach((t, k) => {
    wsd(at(t), central, null, 50370, 3702, wsdProbe(sdcId(10 + 2 * k), 'mdpws:MedicalDevice'));
    wsd(at(t) + 30_000, vent, central, 3702, 50370, wsdProbeMatches(VENT_SDC, sdcId(11 + 2 * k), sdcId(10 + 2 * k), 2 + k));
  });
  const get = utf8(dpwsGet(sdcId(20), VENT_SDC.epr));
  const metadata = utf8(dpwsGetResponse(sdcId(21), sdcId(20), VENT_SDC, VENT_METADATA));
  const soap = 'Content-Type: application/soap+xml; charset=utf-8\r\n';
  tcp(at(15), central, vent, 6464, [{
    request: concatBytes(utf8(`POST /sdc/device HTTP/1.1\r\nHost: 10.10.0.30:6464\r\n${soap}Content-Length: ${get.length}\r\n\r\n`), get),
    response: concatBytes(utf8(`HTTP/1.1 200 OK\r\n${soap}Content-Length: ${metadata.length}\r\n\r\n`), metadata),
  }], { close: 'client' });

  out.sort((a, b) => a.ts - b.ts);
  return out;

  function gwHost(vlan: number): Host {
    return { ...router, ip: `10.${vlan}.0.1`, ipB: gwIp(vlan), vlan };
  }
}

/** WS-Discovery's IPv4 multicast group 239.255.255.250 as a MAC (RFC 1112 §6.4). */
const WSD_GROUP_MAC = mac('01:00:5e:7f:ff:fa');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** fe80:: link-local address derived from a MAC (modified EUI-64). */
function eui64LinkLocal(m: Uint8Array): Uint8Array {
  const a = ip6('fe80::');
  a.set([m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!], 8);
  return a;
}

/** Markdown table of the sample's devices. */
export function sampleHostsMarkdown(): string {
  const rows = SAMPLE_HOSTS.map((h) => `| ${h.name} | ${h.role} | \`${macToString(mac(h.mac))}\` | ${h.ip}${h.dhcp ? ' (DHCP)' : ''} | ${h.vlan} | ${h.vendor} |`);
  return ['| host | role | MAC | IP | VLAN | vendor (IEEE OUI owner) |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function main(argv: string[]): void {
  if (argv.includes('--markdown')) {
    process.stdout.write(`${sampleHostsMarkdown()}\n`);
    return;
  }
  const path = argv.find((a) => !a.startsWith('--')) ?? 'samples/hospital.pcap';
  const frames = buildSample();
  const w = openPcapWriter(path);
  for (const f of frames) w.write(f.ts, f.frame);
  w.close();
  process.stdout.write(`wrote ${path}: ${w.packets} packets, ${w.bytes} bytes, ${SAMPLE_HOSTS.length} devices\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
