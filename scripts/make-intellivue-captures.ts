// Purpose: write samples/medical/intellivue-data-export.pcap, a small deterministic capture of Philips IntelliVue Data
// Export traffic built from the "IntelliVue Patient Monitor Data Export Interface Programming Guide" (no public capture
// of it exists: see ../shared/corpus/SOURCES.md). Messages come from src/synth/intellivue-messages.ts; the pcap writer
// is make-medical-captures.ts's. The patient demographics are made up; `phi` lists every such string, which medtap must
// never output.
// Usage: node dist/scripts/make-intellivue-captures.js [out-dir]   (default samples/medical)

import { pathToFileURL } from 'node:url';
import { ip4, mac, type TimedFrame, udpFrame } from '../src/synth/frames.js';
import * as IV from '../src/synth/intellivue-messages.js';
import { type MedicalCapture, writeCaptureFiles } from './make-medical-captures.js';

/** 2026-03-02T10:00:00Z in µs. */
const START = Date.UTC(2026, 2, 2, 10, 0, 0) * 1000;
const { w16, w32 } = IV.ivWords;
const A = IV.IV_ATTR;

/** The monitor (10.30.0.50) and the data export client (10.30.0.60); locally administered MACs imply no vendor. */
const MONITOR = { mac: mac('02:4d:54:00:00:32'), ip: ip4('10.30.0.50') };
const CLIENT = { mac: mac('02:4d:54:00:00:3c'), ip: ip4('10.30.0.60'), port: 50105 };
const BROADCAST = { mac: mac('ff:ff:ff:ff:ff:ff'), ip: ip4('10.30.0.255') };

/** The monitor's identity, as its MDS reports it. */
export const INTELLIVUE_MONITOR = {
  manufacturer: 'Philips', model: 'M8007A', serial: 'DE00000042', part: '453564020961', hwRevision: 'A.01', swRevision: 'L.01.52',
  fwRevision: 'B.00.07', protocolRevision: 'PR.03', bedLabel: 'ICU3-BED07',
} as const;

/** The made-up patient of the demographics poll. */
const PATIENT = { family: 'ZZIVPATIENT', given: 'QQDELTA', id: 'ZZMRN-240105', dob: '1951-04-23' };

/** Production Specification: spec types 1–6 on the product, main board, application software and boot components. */
const PROD_SPEC = IV.productionSpec([
  [1, 0x0008, INTELLIVUE_MONITOR.serial], // SERIAL_NUMBER, ID_COMP_PRODUCT
  [2, 0x0008, INTELLIVUE_MONITOR.part], // PART_NUMBER, ID_COMP_PRODUCT
  [3, 0x0050, INTELLIVUE_MONITOR.hwRevision], // HW_REVISION, ID_COMP_MAIN_BD
  [4, 0x0058, INTELLIVUE_MONITOR.swRevision], // SW_REVISION, ID_COMP_APPL_SW
  [5, 0x0018, INTELLIVUE_MONITOR.fwRevision], // FW_REVISION, ID_COMP_BOOT
  [6, 0x0008, INTELLIVUE_MONITOR.protocolRevision], // PROTOCOL_REVISION, ID_COMP_PRODUCT
]);
const SYS_TYPE: IV.IvAttribute = [A.SYS_TYPE, [...w16(1), ...w16(4301)]]; // NOM_PART_OBJ, MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS (69837 = 1·65536 + 4301)
const LOCALIZATION: IV.IvAttribute = [A.LOCALIZN, [...w32(0x01020301), ...w16(1), ...w16(11)]]; // catalog 1.2, language 3.1, English, STRFMT_UNICODE_NT

/** Connect Indication attributes (guide: "Connect Indication"): the data export and ACSE protocols on UDP 24105. */
function connectAttributes(): IV.IvAttribute[] {
  return [
    SYS_TYPE,
    [A.ID_PROD_SPECN, PROD_SPEC],
    LOCALIZATION,
    [A.PCOL_SUPPORT, IV.protocolSupport([[1, 1, 24105, 0], [5, 1, 24105, 0]])], // AP_ID_ACSE and AP_ID_DATA_OUT over TP_ID_UDP
    [A.NET_ADDR_INFO, IV.ipAddressInfo([...MONITOR.mac], [...MONITOR.ip], [255, 255, 255, 0])],
  ];
}

/** MDS Create Event attributes (guide: "MDS Create Event", System Identification / Production / Application groups). */
function mdsAttributes(): IV.IvAttribute[] {
  return [
    SYS_TYPE,
    [A.ID_MODEL, IV.systemModel(INTELLIVUE_MONITOR.manufacturer, INTELLIVUE_MONITOR.model)],
    [A.SYS_ID, [...w16(6), ...MONITOR.mac]],
    [A.NOM_VERS, w32(0x40000000)],
    LOCALIZATION,
    [A.SYS_SPECN, [...w16(1), ...w16(8), ...w16(0x0001), ...w16(4), ...w16(6), ...w16(9)]], // one entry: component 1, two object codes
    [A.ID_PROD_SPECN, PROD_SPEC],
    [A.ID_BED_LABEL, IV.unicodeString(INTELLIVUE_MONITOR.bedLabel)],
    [A.LINE_FREQ, w16(1)], // LINE_F_50HZ
    [A.ALTITUDE, w16(120)],
    [A.MODE_OP, w16(0x4000)], // MONITORING
  ];
}

/** Numeric objects: heart rate 72 /min and SpO2 97 % (Numeric Observed Value; codes from the SCADA and DIM partitions). */
function numerics(hr: number): IV.IvPolledObject[] {
  return [
    [0x0101, [[A.NU_VAL_OBS, IV.numericValue(0x4182, 0x0aa0, hr)]]], // NOM_ECG_CARD_BEAT_RATE, bpm
    [0x0102, [[A.NU_VAL_OBS, IV.numericValue(0x4bb8, 0x0220, 97)]]], // NOM_PULS_OXIM_SAT_O2, %
  ];
}

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
  const clientInfo: IV.IvUserInfo = { systemType: 'client', startup: 'cold', minPollPeriod: 0x2710, mtuRx: 1000, mtuTx: 1000, extOptions: 0x88000000 };
  const monitorInfo: IV.IvUserInfo = { systemType: 'server', startup: 'warm', minPollPeriod: 0x2710, mtuRx: 1000, mtuTx: 1000, extOptions: 0x88000000 };
  return [
    ['c', IV.associationRequest(clientInfo)],
    ['m', IV.associationResponse(monitorInfo)],
    ['m', IV.mdsCreateEvent(1, 0x00100000, mdsAttributes())],
    ['c', IV.mdsCreateResult(1, 0x00100100)],
    ['c', IV.pollRequest(2, 1, 6, 0x0803)], // numerics, Metric Observed Value group
    ['m', IV.pollResult(2, 1, 6, 0x0803, 0x00101000, numerics(72))],
    ['c', IV.pollRequest(3, 2, 6, 0x0803)],
    ['m', IV.pollResult(3, 2, 6, 0x0803, 0x00102000, numerics(73).slice(0, 1), [1, 1])], // ROLRS first, then the RORS
    ['m', IV.pollResult(3, 2, 6, 0x0803, 0x00102000, numerics(73).slice(1))],
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
  udp(START, 'b', IV.connectIndication(connectAttributes()));
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
