// Purpose: write samples/medical/intellivue-data-export.pcap, a small deterministic capture of Philips IntelliVue Data
// Export traffic built from the "IntelliVue Patient Monitor Data Export Interface Programming Guide" (no public capture
// of it exists: see ../shared/corpus/SOURCES.md). Messages come from src/synth/intellivue-messages.ts; the pcap writer
// is make-medical-captures.ts's. The patient demographics are made up; `phi` lists every such string, which medtap must
// never output.
// Usage: node dist/scripts/make-intellivue-captures.js [out-dir]   (default samples/medical)

import { pathToFileURL } from 'node:url';
import { ip4, mac, type TimedFrame, udpFrame } from '../src/synth/frames.js';
import * as IV from '../src/synth/intellivue-messages.js';
import { ivAssociationOpening, ivConnectAttributes, ivNumerics, type IvMonitorAddress } from '../src/synth/intellivue-session.js';
import { type MedicalCapture, writeCaptureFiles } from './make-medical-captures.js';

/** 2026-03-02T10:00:00Z in µs. */
const START = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;
const { w16 } = IV.ivWords;
const A = IV.IV_ATTR;

/** The monitor (10.30.0.50) and the data export client (10.30.0.60); locally administered MACs imply no vendor. */
const MONITOR = { mac: mac('02:4d:54:00:00:32'), ip: ip4('10.30.0.50') };
const CLIENT = { mac: mac('02:4d:54:00:00:3c'), ip: ip4('10.30.0.60'), port: 50105 };
const BROADCAST = { mac: mac('ff:ff:ff:ff:ff:ff'), ip: ip4('10.30.0.255') };
const MONITOR_ADDR: IvMonitorAddress = { mac: [...MONITOR.mac], ip: [...MONITOR.ip] };

/** The monitor's identity, as its MDS reports it. */
export const INTELLIVUE_MONITOR = {
  manufacturer: 'Philips', model: 'M8007A', serial: 'DE00000042', part: '453564020961', hwRevision: 'A.01', swRevision: 'L.01.52',
  fwRevision: 'B.00.07', protocolRevision: 'PR.03', bedLabel: 'ICU3-BED07',
} as const;

/** The made-up patient of the demographics poll. */
const PATIENT = { family: 'ZZIVPATIENT', given: 'QQDELTA', id: 'ZZMRN-240105', dob: '1951-04-23' };

/** The patient demographics object with the made-up patient (Strings in UTF-16BE, DOB as BCD AbsoluteTime). */
function demographics(): IV.IvPolledObject[] {
  const [y, m, d] = PATIENT.dob.split('-');
  const bcd = (s: string): number => parseInt(s, 16);
  return [[0x0001, [
    [A.PT_DEMOG_ST, w16(2)], // ADMITTED
    [A.PT_NAME_GIVEN, IV.unicodeString(PATIENT.given)],
    [A.PT_NAME_FAMILY, IV.unicodeString(PATIENT.family)],
    [A.PT_ID, IV.unicodeString(PATIENT.id)],
    [A.PT_DOB, [bcd(y!.slice(0, 2)), bcd(y!.slice(2)), bcd(m!), bcd(d!), 0, 0, 0, 0]],
    [A.PT_SEX, w16(2)], // FEMALE
    [A.PT_TYPE, w16(1)], // ADULT
  ]]];
}

/** The client → monitor (`c`) and monitor → client (`m`) datagrams of the association on UDP 24105, in order. */
function association(): ['c' | 'm', Uint8Array][] {
  return [
    ...ivAssociationOpening(INTELLIVUE_MONITOR, MONITOR_ADDR, [72]),
    ['c', IV.pollRequest(3, 2, 6, 0x0803)],
    ['m', IV.pollResult(3, 2, 6, 0x0803, 0x00102000, ivNumerics(73).slice(0, 1), [1, 1])], // ROLRS first, then the RORS
    ['m', IV.pollResult(3, 2, 6, 0x0803, 0x00102000, ivNumerics(73).slice(1))],
    ['c', IV.pollRequest(4, 3, 54, 0x0801)], // alerts, Alert Monitor group
    ['m', IV.pollResult(4, 3, 54, 0x0801, 0x00103000, [[0x0201, [[0x0916, [...w16(0), ...w16(1), ...w16(0), ...w16(0), ...w16(0)]]]]])], // Device Alert Condition
    ['c', IV.pollRequest(5, 4, 42, 0x0807)], // patient demographics group
    ['m', IV.pollResult(5, 4, 42, 0x0807, 0x00104000, demographics())],
    ['c', IV.releaseRequest()],
    ['m', IV.releaseResponse()],
  ];
}

/** The frames: one Connect Indication broadcast, then the association 2 s later, 100 ms between datagrams. */
function frames(): TimedFrame[] {
  const out: TimedFrame[] = [];
  let id = 0x2000;
  const udp = (ts: number, from: 'c' | 'm' | 'b', payload: Uint8Array): void => {
    const src = from === 'c' ? CLIENT : MONITOR;
    const dst = from === 'c' ? MONITOR : from === 'm' ? CLIENT : BROADCAST;
    const [sport, dport] = from === 'b' ? [24005, 24005] : from === 'c' ? [CLIENT.port, 24105] : [24105, CLIENT.port];
    out.push({ ts, frame: udpFrame({ src: src.mac, dst: dst.mac }, { src: src.ip, dst: dst.ip, id: id++, df: false }, sport, dport, payload) });
  };
  udp(START, 'b', IV.connectIndication(ivConnectAttributes(INTELLIVUE_MONITOR, MONITOR_ADDR)));
  association().forEach(([from, payload], i) => udp(START + 2_000_000 + i * 100_000, from, payload));
  return out;
}

/** Every synthetic IntelliVue capture. */
export function buildIntellivueCaptures(): MedicalCapture[] {
  return [{
    file: 'intellivue-data-export.pcap',
    title: 'IntelliVue Data Export: Connect Indication on UDP 24005; association, MDS Create, numeric/alarm/demographics polls (one linked result), release on UDP 24105',
    spec: [
      'Philips IntelliVue Data Export Interface Programming Guide: Connect Indication; Definition of the Association Control Protocol (Session Headers, MDSEUserInfoStd, PollProfileSupport, Poll Profile Extensions)',
      'Definition of the Data Export Protocol (SPpdu, ROapdus, ROIV/RORS/ROLRS, EventReportArgument/Result, ActionArgument/Result); MDS Create Event; Single Poll Data Request/Result',
      'Attribute Data Types and Constants Used: System Model, System ID, Production Specification, Bed Label, Protocol Support, IP Address Information, Patient Demographics',
    ],
    frames: frames(),
    phi: [PATIENT.family, PATIENT.given, PATIENT.id, PATIENT.dob, PATIENT.dob.replaceAll('-', '')],
  }];
}

function main(argv: string[]): void {
  for (const line of writeCaptureFiles(argv[0] ?? 'samples/medical', buildIntellivueCaptures())) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
