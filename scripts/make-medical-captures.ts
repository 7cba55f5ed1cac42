// Purpose: write samples/medical/*.pcap, small deterministic captures of HL7 v2 and POCT1-A traffic built from the
// specifications (few public captures exist). Each capture's `spec` says which sections it follows; its patient data
// is made up (`phi` lists the strings that must never appear in medtap's output).
// Usage: node dist/scripts/make-medical-captures.js [out-dir]   (default samples/medical)

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ip4, mac, tcpSession, type TcpExchange, type TimedFrame } from '../src/synth/frames.js';
import { type Hl7Encoding, type Hl7Patient, hl7Ack, hl7Message, mllpBlock, msh, type MshSpec, pid, segment } from '../src/synth/hl7-messages.js';
import { ackR01, dstR01, dtvR01, endR01, eotR01, helloR01, obsR01, oplR01 } from '../src/synth/poct1a-messages.js';
import { openPcapWriter } from '../src/synth/pcap-writer.js';

/** One synthetic capture. */
export interface MedicalCapture {
  file: string;
  title: string;
  /** The specification sections it follows. */
  spec: string[];
  frames: TimedFrame[];
  /** Made-up patient/operator strings that medtap must never output. */
  phi: string[];
}

/** 2026-03-02T09:00:00Z in µs. */
const START = Date.UTC(2026, 2, 2, 9, 0, 0) * 1000;
const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const cat = (...parts: (Uint8Array | string)[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : p)));

/** A host of the synthetic network (locally administered MACs: no vendor is implied). */
const host = (n: number, port: number): { mac: Uint8Array; ip: Uint8Array; port: number } => ({
  mac: mac(`02:4d:54:00:00:${n.toString(16).padStart(2, '0')}`), ip: ip4(`10.30.0.${n}`), port,
});

const PATIENT_A: Hl7Patient = { mrn: 'ZZMRN-100234', family: 'ZZTESTPATIENT', given: 'QQALPHA', dob: '19450317', sex: 'F', street: '17 Placeholder Road', phone: '555-0142' };
const PATIENT_B: Hl7Patient = { mrn: 'ZZMRN-100987', family: 'ZZSAMPLEPERSON', given: 'QQBRAVO', dob: '19881202', sex: 'M', street: '3 Nowhere Close', phone: '555-0199' };
const phiOf = (p: Hl7Patient): string[] => [p.mrn, p.family, p.given, p.dob, p.street, p.phone];

/** IHE PCD-01 (Communicate PCD Data): a Device Observation Reporter sends ORU^R01 with OBX-18 EUI-64s; the consumer acknowledges. */
function pcd01(): MedicalCapture {
  const dor = { sendingApp: ['DOR_GATEWAY', '0A0B0C0D0E0F1011', 'EUI-64'], sendingFacility: 'ICU3', receivingApp: ['DOC', '1.2.3.4', 'ISO'], receivingFacility: 'HOSP', version: '2.6' };
  const oru = (n: number, p: Hl7Patient, eui: string, hr: string): string => hl7Message([
    msh({ ...dor, time: `2026030209000${n}`, type: ['ORU', 'R01', 'ORU_R01'], controlId: `PCD-${n}` }),
    pid(p),
    segment('PV1', ['1', 'I', ['ICU3', '', `BED${n}`]]),
    segment('OBR', ['1', '', `OBR-${n}`, ['69837', 'MDC_DEV_METER_PHYSIO_MULTI_PARAM_MDS', 'MDC'], '', '', `2026030209000${n}`]),
    segment('OBX', ['1', 'NM', ['147842', 'MDC_ECG_HEART_RATE', 'MDC'], '1.0.1.1', hr, ['264864', 'MDC_DIM_BEAT_PER_MIN', 'MDC'], '', '', '', '', 'R', '', '', `2026030209000${n}`, '', '', '', [`MONITOR-${n}`, '', eui, 'EUI-64']]),
    segment('OBX', ['2', 'NM', ['150456', 'MDC_PULS_OXIM_SAT_O2', 'MDC'], '1.0.1.2', '97', ['262688', 'MDC_DIM_PERCENT', 'MDC'], '', '', '', '', 'R', '', '', '', '', '', '', [`MONITOR-${n}`, '', eui, 'EUI-64']]),
  ]);
  const ackFrom = { sendingApp: ['DOC', '1.2.3.4', 'ISO'], sendingFacility: 'HOSP', receivingApp: 'DOR_GATEWAY', receivingFacility: 'ICU3', version: '2.6', trigger: 'R01' };
  const exchanges: TcpExchange[] = [
    { request: mllpBlock(oru(1, PATIENT_A, '0012340000000001', '72')), response: mllpBlock(hl7Ack({ ...ackFrom, time: '20260302090001', controlId: 'A-1' }, 'PCD-1')) },
    { request: mllpBlock(oru(2, PATIENT_B, '0012340000000002', '88')), response: mllpBlock(hl7Ack({ ...ackFrom, time: '20260302090002', controlId: 'A-2' }, 'PCD-2')), thinkTime: 1_000_000 },
  ];
  return {
    file: 'hl7-pcd01-oru.pcap',
    title: 'IHE PCD-01: a gateway reports two monitors (OBX-18 EUI-64), MLLP on 2575, original-mode ACKs',
    spec: ['IHE PCD TF-2 §3.1 (PCD-01) and Appendix B OBX-18', 'HL7 v2.6 §7.3.1 ORU^R01, §7.4.2 OBX', 'HL7 v2.5.1 §2.9.2 original-mode acknowledgment, §2.14.8 MSA', 'HL7 v2.5.1 Appendix C §C.4 MLLP'],
    frames: tcpSession({ client: { ...host(20, 49500), os: 'linux', isn: 1000 }, server: { ...host(5, 2575), os: 'linux', isn: 5000 }, start: START, exchanges }),
    phi: [...phiOf(PATIENT_A), ...phiOf(PATIENT_B)],
  };
}

/** HL7 v2.9 PRT device participation with UDIs of the three issuing agencies; one message is refused (AE). */
function prtUdi(): MedicalCapture {
  const ehr = { sendingApp: 'EHR', sendingFacility: ['MAIN', '2.16.840.1.113883.19.5', 'ISO'], receivingApp: 'ASSETS', receivingFacility: 'MAIN', version: '2.9' };
  const prt = (udi: string, di: string, serial: string, type: string[]): string =>
    segment('PRT', ['1', 'AD', '', ['EQUIP', 'Equipment', 'HL70912'], '', '', '', '', '', [udi, '', '2.16.840.1.113883.3.3719', 'ISO'], '', '', '', '', '', [di, '', '', ''], '', '', '', serial, '', type]);
  const adt = hl7Message([
    msh({ ...ehr, time: '20260302090100', type: ['ADT', 'A01', 'ADT_A01'], controlId: 'EHR-77' }),
    segment('EVN', ['', '20260302090100']),
    pid(PATIENT_A),
    segment('PV1', ['1', 'I', ['W2', '', '12']]),
    prt('(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234', '51022222233336', '1234', ['INFPUMP', 'Infusion pump', 'LOCAL']),
  ]);
  const oru = hl7Message([
    msh({ ...ehr, time: '20260302090105', type: ['ORU', 'R01', 'ORU_R01'], controlId: 'EHR-78' }),
    pid(PATIENT_B),
    segment('OBR', ['1', '', 'OBR-9', ['X', 'Implant record']]),
    segment('OBX', ['1', 'ST', ['X', 'Note'], '', 'free text not stored']),
    prt('+A123BJC5D6E71/$$3260302LOT77/S9Z9Z9G', // check character G: sum of the values mod 43 (ANSI/HIBC 2.6 App. C)
      'A123BJC5D6E71', '9Z9Z9', ['IMPLANT', 'Implant', 'LOCAL']),
    prt('=/1AB370000007JC89=,000042=>029365', '1AB370000007JC89', '000042', ['GRAFT', 'Tissue graft', 'LOCAL']),
  ]);
  const back = { sendingApp: 'ASSETS', sendingFacility: 'MAIN', receivingApp: 'EHR', receivingFacility: 'MAIN', version: '2.9' };
  const exchanges: TcpExchange[] = [
    { request: mllpBlock(adt), response: mllpBlock(hl7Ack({ ...back, time: '20260302090101', controlId: 'AS-1', trigger: 'A01' }, 'EHR-77')) },
    { request: mllpBlock(oru), response: mllpBlock(hl7Ack({ ...back, time: '20260302090106', controlId: 'AS-2', trigger: 'R01' }, 'EHR-78', 'AE')) },
  ];
  return {
    file: 'hl7-prt-udi.pcap',
    title: 'HL7 v2.9 PRT (EQUIP) with GS1, HIBCC and ICCBBA UDIs in PRT-10, DI in PRT-16, serial PRT-20, type PRT-22; MLLP on 6661; AA and AE',
    spec: ['HL7 v2.9 §7.4.4 PRT (PRT-4, -10, -16, -20, -22)', 'FDA UDI (21 CFR 830.3, 830.20); GS1 GenSpecs §3.2; ANSI/HIBC 2.6 §2.2–2.5; ICCBBA ST-011', 'HL7 v2.5.1 §2.14.8 MSA (AE)', 'HL7 v2.5.1 Appendix C §C.4 MLLP'],
    frames: tcpSession({ client: { ...host(30, 49600), os: 'windows', isn: 2000 }, server: { ...host(6, 6661), os: 'linux', isn: 6000 }, start: START + 60_000_000, exchanges }),
    phi: [...phiOf(PATIENT_A), ...phiOf(PATIENT_B), 'free text not stored'],
  };
}

/** Bare HL7 (no MLLP) on a non-HL7 port with non-default delimiters; found by content. */
function bareCustom(): MedicalCapture {
  const e: Hl7Encoding = { field: '*', component: '!', repetition: '%', escape: '$', subcomponent: '#' };
  const lab = { sendingApp: ['ANALYZER', '7'], sendingFacility: 'LAB', receivingApp: 'LIS', receivingFacility: 'LAB', version: '2.5.1' };
  const oul = (n: number): string => hl7Message([
    msh({ ...lab, time: `2026030209020${n}`, type: ['ORU', 'R01', 'ORU_R01'], controlId: `LAB$F$${n}` }, e),
    pid(n === 1 ? PATIENT_A : PATIENT_B, e),
    segment('OBX', ['1', 'NM', ['GLU', 'Glucose'], '', '5.4321', 'mmol/L', '', '', '', '', 'F', '', '', '', '', '', '', ['ANALYZER-SN-5501']], e),
  ]);
  const back = { sendingApp: 'LIS', sendingFacility: 'LAB', receivingApp: 'ANALYZER', receivingFacility: 'LAB', version: '2.5.1' };
  const exchanges: TcpExchange[] = [
    // two messages in one write, then one more: the analyzer splits bare streams at each MSH
    { request: enc(oul(1) + oul(2)), response: enc(hl7Ack({ ...back, time: '20260302090203', controlId: 'L-1' }, 'LAB$F$1', 'CA', e)) },
    { request: enc(oul(3)), response: enc(hl7Ack({ ...back, time: '20260302090204', controlId: 'L-2' }, 'LAB$F$3', 'AR', e)) },
  ];
  return {
    file: 'hl7-bare-custom-delimiters.pcap',
    title: 'Bare HL7 (no MLLP) on TCP 5555 with delimiters *!%$# (escape $F$ in MSH-10); commit accept CA and reject AR',
    spec: ['HL7 v2.5.1 §2.5.4 delimiters from MSH-1/MSH-2, §2.7.1 escape \\F\\', 'HL7 v2.5.1 §2.14.8 MSA (CA, AR)'],
    frames: tcpSession({ client: { ...host(70, 49700), os: 'windows', isn: 3000 }, server: { ...host(7, 5555), os: 'linux', isn: 7000 }, start: START + 120_000_000, exchanges }),
    phi: [...phiOf(PATIENT_A), ...phiOf(PATIENT_B), '5.4321'],
  };
}

/** A batch in one MLLP block, garbage before a block, an MLLP release 2 commit ACK, messages spanning TCP segments. */
function batchResync(): MedicalCapture {
  const app = { sendingApp: 'MONCENTRAL', sendingFacility: 'ICU', receivingApp: 'ENGINE', receivingFacility: 'HOSP', version: '2.5' };
  const oru = (n: number, p: Hl7Patient): string => hl7Message([
    msh({ ...app, time: `2026030209030${n}`, type: ['ORU', 'R01', 'ORU_R01'], controlId: `B-${n}` }),
    pid(p),
    ...Array.from({ length: 12 }, (_, k) => segment('OBX', [String(k + 1), 'NM', [`P${k}`, `Param ${k}`], '', String(60 + k), 'unit', '', '', '', '', 'F'])),
  ]);
  const batch = hl7Message([segment('FHS', ['MONCENTRAL', 'ICU']), segment('BHS', ['MONCENTRAL', 'ICU'])]) + oru(1, PATIENT_A) + oru(2, PATIENT_B) + hl7Message([segment('BTS', ['2']), segment('FTS', ['1'])]);
  const back = { sendingApp: 'ENGINE', sendingFacility: 'HOSP', receivingApp: 'MONCENTRAL', receivingFacility: 'ICU', version: '2.5' };
  const exchanges: TcpExchange[] = [
    { request: cat('\x00\x00garbage', mllpBlock(batch)), response: cat('\x0b\x06\x1c\r', mllpBlock(hl7Ack({ ...back, time: '20260302090303', controlId: 'E-1' }, 'B-2', 'AR'))) },
    { request: mllpBlock(oru(3, PATIENT_A)), response: mllpBlock(hl7Ack({ ...back, time: '20260302090304', controlId: 'E-2' }, 'B-3')) },
  ];
  return {
    file: 'hl7-batch-resync.pcap',
    title: 'MLLP on 2575: an FHS/BHS batch of two ORU in one block after garbage, a commit ACK (0x06) block, small segments (MSS 256)',
    spec: ['HL7 v2.5.1 §2.10.3 batch protocol (FHS, BHS, BTS, FTS)', 'HL7 MLLP release 2 (commit acknowledgment block)', 'HL7 v2.5.1 Appendix C §C.4 MLLP'],
    frames: tcpSession({ client: { ...host(10, 49800), os: 'linux', isn: 4000 }, server: { ...host(8, 2575), os: 'linux', isn: 8000 }, start: START + 180_000_000, mss: 256, exchanges }),
    phi: [...phiOf(PATIENT_A), ...phiOf(PATIENT_B)],
  };
}

/**
 * Laboratory results (HL7 v2.5.1 §7.3.1 ORU^R01): an analyzer with no laboratory maker's OUI (a locally administered
 * MAC) reports LOINC-coded results to the LIS, which sends them on to two systems. OBX-3 carries a local code with a
 * LOINC alternate, or a LOINC code alone; its text components and OBX-5 are made-up markers that must never be output.
 */
function labResults(): MedicalCapture {
  const lab = { sendingApp: ['ANALYZER', 'LAB'], sendingFacility: 'LAB', receivingApp: 'LIS', receivingFacility: 'LAB', version: '2.5.1' };
  const results = [
    // local code ^ text ^ local system ^ LOINC alternate ^ text ^ LN (the corpus tapirx ORU has this layout)
    ['GLU', 'Glucose QQTEXTMARKER', '99ANL', '2345-7', 'Glucose QQALTMARKER', 'LN', '5.8642'],
    ['2823-3', 'Potassium', 'LN', '', '', '', '4.1357'],
    ['2951-2', 'Sodium', 'LN', '', '', '', '139.864'],
    ['718-7', 'Hemoglobin', 'LN', '', '', '', '13.579'],
  ];
  const oru = (n: number, p: Hl7Patient, from: Omit<MshSpec, 'time' | 'type' | 'controlId'>, id: string): string => hl7Message([
    msh({ ...from, time: `2026030209100${n}`, type: ['ORU', 'R01', 'ORU_R01'], controlId: id }),
    pid(p),
    segment('OBR', ['1', '', `SPEC-${n}`, ['24323-8', 'Comprehensive metabolic panel', 'LN']]),
    ...results.map((r, k) => segment('OBX', [String(k + 1), 'NM', r[3] === '' ? r.slice(0, 3) : r.slice(0, 6), '', r[6]!, '', '', '', '', '', 'F'])),
  ]);
  const ackFrom = (app: string, to: string) => ({ sendingApp: app, sendingFacility: 'LAB', receivingApp: to, receivingFacility: 'LAB', version: '2.5.1', trigger: 'R01' });
  const analyzer = { ...host(80, 49900), os: 'windows' as const, isn: 12000 };
  const lis = { ...host(11, 2575), os: 'linux' as const, isn: 12500 };
  const toLis: TcpExchange[] = [
    { request: mllpBlock(oru(1, PATIENT_A, lab, 'ANL-1')), response: mllpBlock(hl7Ack({ ...ackFrom('LIS', 'ANALYZER'), time: '20260302091001', controlId: 'LIS-A1' }, 'ANL-1')) },
    { request: mllpBlock(oru(2, PATIENT_B, lab, 'ANL-2')), response: mllpBlock(hl7Ack({ ...ackFrom('LIS', 'ANALYZER'), time: '20260302091002', controlId: 'LIS-A2' }, 'ANL-2')), thinkTime: 1_000_000 },
  ];
  const lisOut = (dest: string) => ({ sendingApp: 'LIS', sendingFacility: 'LAB', receivingApp: dest, receivingFacility: 'HOSP', version: '2.5.1' });
  const forward = (n: number, dest: string, id: string): TcpExchange[] => [
    { request: mllpBlock(oru(n, n === 1 ? PATIENT_A : PATIENT_B, lisOut(dest), id)), response: mllpBlock(hl7Ack({ ...ackFrom(dest, 'LIS'), time: `2026030209101${n}`, controlId: `${dest}-A${n}` }, id)) },
  ];
  return {
    file: 'hl7-lab-results.pcap',
    title: 'Lab results: an analyzer (no lab OUI) sends two ORU^R01 with LOINC codes to the LIS on 2575; the LIS sends them on to the EHR and a results archive',
    spec: ['HL7 v2.5.1 §7.3.1 ORU^R01, §7.4.1 OBR, §7.4.2 OBX (OBX-3 CWE: identifier, text, coding system and alternate triplet)', 'HL7 table 0396 coding systems (LN = LOINC)', 'HL7 v2.5.1 §2.9.2 original-mode acknowledgment', 'HL7 v2.5.1 Appendix C §C.4 MLLP'],
    frames: [
      ...tcpSession({ client: analyzer, server: lis, start: START + 600_000_000, exchanges: toLis }),
      ...tcpSession({ client: { ...host(11, 50300), os: 'linux', isn: 13000 }, server: { ...host(90, 2575), os: 'linux', isn: 13500 }, start: START + 610_000_000, exchanges: forward(1, 'EHR', 'LIS-F1') }),
      ...tcpSession({ client: { ...host(11, 50301), os: 'linux', isn: 14000 }, server: { ...host(91, 2575), os: 'linux', isn: 14500 }, start: START + 620_000_000, exchanges: forward(2, 'ARCHIVE', 'LIS-F2') }),
    ],
    phi: [...phiOf(PATIENT_A), ...phiOf(PATIENT_B), 'QQTEXTMARKER', 'QQALTMARKER', '5.8642', '4.1357', '139.864', '13.579'],
  };
}

const T = '2026-03-02T10:00:00+01:00';
const METER = {
  deviceId: '02:4d:54:00:00:28', vendorId: 'ACME', modelId: 'GLU-9', serialId: 'SN-0042', manufacturer: 'Acme Diagnostics',
  hwVersion: '1.2', swVersion: '3.4.5', deviceName: 'Ward 3 meter', topics: ['OBS', 'OPL'], directives: ['START_CONTINUOUS'],
};
const POC_PATIENT = { id: 'ZZMRN-555001', name: 'ZZPOCPATIENT, QQCHARLIE', birthDate: '1952-07-09' };

/** POCT1-A2 device messaging layer: the device's basic conversation with its data manager. */
function poctConversation(): MedicalCapture {
  const x = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const exchanges: TcpExchange[] = [
    { request: x(helloR01('1', T, METER)), response: x(ackR01('9001', T, '1')) },
    { request: x(dstR01('2', T, 1)), response: x(ackR01('9002', T, '2')) },
    { request: x(obsR01('3', T, POC_PATIENT, 'ZZOPERATOR-7', [{ analyte: 'GLU', value: '6.1357', unit: 'mmol/L' }, { analyte: 'KET', value: '0.2468', unit: 'mmol/L' }])), response: x(ackR01('9003', T, '3')) },
    { request: x(eotR01('4', T, 'OBS')), response: x(ackR01('9004', T, '4')) },
    { request: new Uint8Array(0), response: x(endR01('9005', T)) },
  ];
  return {
    file: 'poct1a-conversation.pcap',
    title: 'POCT1-A2 DML basic conversation on TCP 7001: HEL, DST, OBS (one patient, two results), EOT, each ACKed; END from the manager',
    spec: ['CLSI POCT1-A2 Device Messaging Layer: Hello (HEL.R01: HDR, DEV, DCP, DSC), Device Status (DST.R01), Observations (OBS.R01: SVC, PT, OBS, OPR), End of Topic (EOT.R01), Acknowledgment (ACK.R01), Terminate (END.R01: TRM)'],
    frames: tcpSession({ client: { ...host(40, 50100), os: 'minimal', isn: 9000 }, server: { ...host(9, 7001), os: 'linux', isn: 9500 }, start: START + 240_000_000, exchanges }),
    phi: [POC_PATIENT.id, 'ZZPOCPATIENT', 'QQCHARLIE', POC_PATIENT.birthDate, 'ZZOPERATOR-7', '6.1357', '0.2468'],
  };
}

/** POCT1-A2: the manager sends an operator list (OPL.R01 + EOT.R01) and a directive (DTV.R01); small TCP segments. */
function poctManager(): MedicalCapture {
  const x = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const hello = helloR01('1', T, { ...METER, deviceId: '02:4d:54:00:00:29', serialId: 'SN-0043', deviceName: 'ER meter & dock' }).replace('<HEL.R01>', '<!-- hello -->\n<HEL.R01>');
  const exchanges: TcpExchange[] = [
    { request: x(hello), response: x(ackR01('7001', T, '1')) },
    { request: x(dstR01('2', T, 0)), response: x(oplR01('7002', T, [{ id: 'ZZOPERATOR-7', name: 'Zed Zulu' }, { id: 'ZZOPERATOR-8', name: 'Yan Yankee' }])) },
    { request: x(ackR01('3', T, '7002')), response: x(eotR01('7003', T, 'OPL')) },
    { request: x(ackR01('4', T, '7003')), response: x(dtvR01('7004', T, 'START_CONTINUOUS')) },
    { request: x(ackR01('5', T, '7004')) },
  ];
  return {
    file: 'poct1a-operator-list.pcap',
    title: 'POCT1-A2 DML on TCP 7002: Hello with a comment and an entity, then the manager sends an operator list, EOT and a directive; MSS 200',
    spec: ['CLSI POCT1-A2 Device Messaging Layer: Operator List (OPL.R01: OPR, ACC), End of Topic (EOT.R01), Directive (DTV.R01: DTV.command_cd)', 'XML 1.0 §2.5 comments, §4.6 predefined entities'],
    frames: tcpSession({ client: { ...host(41, 50200), os: 'minimal', isn: 11000 }, server: { ...host(9, 7002), os: 'linux', isn: 11500 }, start: START + 300_000_000, mss: 200, exchanges }),
    phi: ['ZZOPERATOR-7', 'ZZOPERATOR-8', 'Zed Zulu', 'Yan Yankee'],
  };
}

/** Every synthetic medical capture, in file order. */
export function buildMedicalCaptures(): MedicalCapture[] {
  return [pcd01(), prtUdi(), bareCustom(), batchResync(), poctConversation(), poctManager(), labResults()];
}

/** The HL7 ports the captures use without the standard ones, for tshark's "decode as" (6661, 5555). */
export const HL7_CAPTURE_PORTS: Readonly<Record<string, number>> = {
  'hl7-pcd01-oru.pcap': 2575, 'hl7-prt-udi.pcap': 6661, 'hl7-bare-custom-delimiters.pcap': 5555, 'hl7-batch-resync.pcap': 2575,
  'hl7-lab-results.pcap': 2575,
};

/** Writes every capture into `dir`; returns one line per file. */
export function writeMedicalCaptures(dir: string): string[] {
  return writeCaptureFiles(dir, buildMedicalCaptures());
}

/** Writes `captures` into `dir` (created if needed) as pcap files; returns one line per file. */
export function writeCaptureFiles(dir: string, captures: readonly MedicalCapture[]): string[] {
  mkdirSync(dir, { recursive: true });
  return captures.map((c) => {
    const w = openPcapWriter(join(dir, c.file));
    for (const f of c.frames) w.write(f.ts, f.frame);
    w.close();
    return `wrote ${join(dir, c.file)}: ${w.packets} packets — ${c.title}`;
  });
}

function main(argv: string[]): void {
  for (const line of writeMedicalCaptures(argv[0] ?? 'samples/medical')) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
