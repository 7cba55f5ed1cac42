// Purpose: write samples/medical/sdc-discovery.pcap, a small deterministic capture of IEEE 11073 SDC discovery and
// metadata exchange built from the specifications (no public SDC capture exists): an SDC provider's Hello, a
// consumer's Probe and the ProbeMatches, Resolve / ResolveMatches, the DPWS Get / GetResponse over cleartext HTTP
// (chunked), and the provider's Bye. The patient context scope is made up (`phi` lists what must never appear in
// medtap's output). Messages from src/synth/sdc-messages.ts; frames and pcap writing as for the other medical
// samples (scripts/make-medical-captures.ts).
// Usage: node dist/scripts/make-sdc-captures.js [out-dir]   (default samples/medical)

import { pathToFileURL } from 'node:url';
import { ip4, mac, tcpSession, type TimedFrame, udpFrame } from '../src/synth/frames.js';
import {
  dpwsGet, dpwsGetResponse, type DpwsDeviceMetadata, type SdcProvider, wsdBye, wsdHello, wsdProbe, wsdProbeMatches, wsdResolve, wsdResolveMatches,
} from '../src/synth/sdc-messages.js';
import { type MedicalCapture, writeCaptureFiles } from './make-medical-captures.js';

/** 2026-03-02T09:10:00Z in µs. */
const START = Date.UTC(2026, 2, 2, 9, 10, 0) * 1000;
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** The SDC provider (a patient monitor) and consumer (a central station), locally administered MACs. */
const PROVIDER = { mac: mac('02:4d:54:00:00:3c'), ip: ip4('10.30.0.60') };
const CONSUMER = { mac: mac('02:4d:54:00:00:3d'), ip: ip4('10.30.0.61') };
/** WS-Discovery's IPv4 multicast group and its MAC (WS-Discovery 1.1 §2.4; RFC 1112 §6.4). */
const GROUP = { mac: mac('01:00:5e:7f:ff:fa'), ip: ip4('239.255.255.250') };
const WSD_PORT = 3702;
const CONSUMER_PORT = 50370;
const METADATA_PORT = 6464;

/** A made-up patient identifier in a patient context scope: must never be output. */
const PATIENT_SCOPE_ID = 'ZZPATID-4711';

const EPR = 'urn:uuid:0b6f1e2a-5c3d-4e7f-9a1b-2c3d4e5f6a7b';
const PROVIDER_INFO: SdcProvider = {
  epr: EPR,
  types: 'dpws:Device mdpws:MedicalDevice',
  scopes: [
    'sdc.ctxt.loc:/sdc.ctxt.loc.detail/HOSP1%2FB2%2F3%2FICU3%2FR12%2FBed07?fac=HOSP1&bldng=B2&flr=3&poc=ICU3&rm=R12&bed=Bed07',
    `sdc.ctxt.pat:/sdc.ctxt.pat.detail/${PATIENT_SCOPE_ID}`,
    'sdc.mds.pkp:1.2.840.10004.20701.1.1',
    'sdc.cdc.type:///69837',
  ],
  xaddrs: `http://10.30.0.60:${METADATA_PORT}/sdc/device`,
  metadataVersion: 3,
  instanceId: 1772442600,
};
const METADATA: DpwsDeviceMetadata = {
  manufacturer: 'Drägerwerk AG & Co. KGaA',
  manufacturerUrl: 'https://www.draeger.com',
  modelName: 'Example SDC Monitor',
  modelNumber: 'EX-100',
  modelUrl: 'https://example.org/sdc-monitor',
  presentationUrl: 'http://10.30.0.60/',
  friendlyName: 'ICU3 Bed07 monitor',
  firmwareVersion: '2.4.1',
  serialNumber: 'ZZSN-000123',
  hosted: [
    { address: `http://10.30.0.60:${METADATA_PORT}/sdc/get`, types: 'sdc:GetService sdc:ContainmentTreeService', serviceId: 'GetService' },
    { address: `http://10.30.0.60:${METADATA_PORT}/sdc/set`, types: 'sdc:SetService sdc:ContextService', serviceId: 'SetService' },
  ],
};

const id = (n: number): string => `urn:uuid:7d1e0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A UDP datagram at `ts` from `src` to `dst`. */
function datagram(ts: number, src: { mac: Uint8Array; ip: Uint8Array }, sport: number, dst: { mac: Uint8Array; ip: Uint8Array }, dport: number, body: string, ipId: number): TimedFrame {
  return { ts, frame: udpFrame({ src: src.mac, dst: dst.mac }, { src: src.ip, dst: dst.ip, ttl: dst === GROUP ? 1 : 64, id: ipId, df: false }, sport, dport, utf8(body)) };
}

/** An HTTP/1.1 message with a chunked body cut in `parts` chunks (RFC 9112 §7.1). */
function chunked(head: string, body: string, parts: number): Uint8Array {
  const b = utf8(body);
  const size = Math.ceil(b.length / parts);
  const chunks: Uint8Array[] = [utf8(`${head}Transfer-Encoding: chunked\r\n\r\n`)];
  for (let o = 0; o < b.length; o += size) {
    const c = b.subarray(o, Math.min(b.length, o + size));
    chunks.push(utf8(`${c.length.toString(16)}\r\n`), c, utf8('\r\n'));
  }
  chunks.push(utf8('0\r\n\r\n'));
  return Buffer.concat(chunks);
}

/** The SDC discovery and metadata capture. */
export function sdcDiscovery(): MedicalCapture {
  const p = PROVIDER_INFO;
  const frames: TimedFrame[] = [
    datagram(START, PROVIDER, WSD_PORT, GROUP, WSD_PORT, wsdHello(p, id(1), 1), 0x100),
    datagram(START + 2_000_000, CONSUMER, CONSUMER_PORT, GROUP, WSD_PORT, wsdProbe(id(2), 'mdpws:MedicalDevice'), 0x200),
    datagram(START + 2_030_000, PROVIDER, WSD_PORT, CONSUMER, CONSUMER_PORT, wsdProbeMatches(p, id(3), id(2), 2), 0x101),
    datagram(START + 2_100_000, CONSUMER, CONSUMER_PORT, GROUP, WSD_PORT, wsdResolve(id(4), EPR), 0x201),
    datagram(START + 2_120_000, PROVIDER, WSD_PORT, CONSUMER, CONSUMER_PORT, wsdResolveMatches(p, id(5), id(4), 3), 0x102),
  ];
  const get = utf8(dpwsGet(id(6), EPR));
  const request = Buffer.concat([utf8(`POST /sdc/device HTTP/1.1\r\nHost: 10.30.0.60:${METADATA_PORT}\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${get.length}\r\n\r\n`), get]);
  const response = chunked('HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\n', dpwsGetResponse(id(7), id(6), p, METADATA), 2);
  frames.push(...tcpSession({
    client: { mac: CONSUMER.mac, ip: CONSUMER.ip, port: 50400, os: 'linux', isn: 20000 },
    server: { mac: PROVIDER.mac, ip: PROVIDER.ip, port: METADATA_PORT, os: 'linux', isn: 30000 },
    start: START + 2_500_000,
    exchanges: [{ request, response }],
  }));
  frames.push(datagram(START + 60_000_000, PROVIDER, WSD_PORT, GROUP, WSD_PORT, wsdBye(p, id(8), 4), 0x103));
  return {
    file: 'sdc-discovery.pcap',
    title: 'IEEE 11073 SDC: a provider (10.30.0.60) says Hello (MedicalDevice, location and patient scopes), a consumer (10.30.0.61) Probes and Resolves, gets the DPWS metadata over HTTP on TCP 6464 (chunked), the provider says Bye',
    spec: [
      'OASIS WS-Discovery 1.1 §4.1 Hello, §4.2 Bye, §5.2 Probe, §5.3 ProbeMatches, §6.1 Resolve, §6.2 ResolveMatches, §7 AppSequence; SOAP-over-UDP 1.1 §3',
      'OASIS DPWS 1.1 §5.1 WS-Transfer Get/GetResponse, §5.2 ThisModel, ThisDevice, Relationship (host, hosted)',
      'IEEE 11073-20702-2016 §5 mdpws:MedicalDevice; IEEE 11073-20701-2018 §9.3 discovery scopes (sdc.ctxt.loc, sdc.ctxt.pat, sdc.mds.pkp, sdc.cdc.type)',
      'RFC 9112 §7.1 chunked transfer coding',
    ],
    frames,
    phi: [PATIENT_SCOPE_ID],
  };
}

/** Every SDC capture. */
export function buildSdcCaptures(): MedicalCapture[] {
  return [sdcDiscovery()];
}

function main(argv: string[]): void {
  for (const line of writeCaptureFiles(argv[0] ?? 'samples/medical', buildSdcCaptures())) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
