// Purpose: the clinical protocols of the synthetic sample (samples/hospital.pcap, scripts/make-sample.ts): DICOM
// storage, modality worklist, query/retrieve and DICOM-TLS; HL7 v2 ADT, ORU (vitals, lab results with a PRT-10 UDI)
// through the interface engine; a POCT1-A glucose meter talking to its data manager. Built with the
// specification-based builders of src/synth/ (dicom-pdus.ts, hl7-messages.ts, poct1a-messages.ts), each PDU after
// the section cited there. Patient-level values are obvious placeholders (SAMPLE_PLACEHOLDERS): never realistic PHI.

import type { TcpExchange } from '../src/synth/frames.js';
import * as D from '../src/synth/dicom-pdus.js';
import { hl7Ack, type Hl7Patient, hl7Message, mllpBlock, msh, pid, segment } from '../src/synth/hl7-messages.js';
import { ackR01, dstR01, eotR01, helloR01, obsR01 } from '../src/synth/poct1a-messages.js';
import { tlsClientHello, tlsServerHello } from '../src/synth/payloads.js';

/** The placeholder patient of every clinical message of the sample (PID, DICOM patient module, POCT1-A PT). */
export const SAMPLE_PATIENT: Hl7Patient = { mrn: 'TEST000000', family: 'PLACEHOLDER', given: 'TEST', dob: '19000101', sex: 'U', street: 'PLACEHOLDER STREET 0', phone: '000-0000' };
/** Made-up operator of the POCT1-A observation. */
const POC_OPERATOR = 'TESTOPERATOR0';
/** Result values of the sample's POCT1-A observation (must not be stored either). */
const POC_RESULT = '5.5550';

/** Strings of the sample that medtap must never store, log or print (patient and operator placeholders). */
export const SAMPLE_PLACEHOLDERS: readonly string[] = [
  'PLACEHOLDER^TEST', 'TEST000000', '19000101', 'PLACEHOLDER STREET 0', '000-0000', 'ACCTEST0001', POC_OPERATOR, POC_RESULT,
];

/** What the sample generator offers the clinical traffic: a TCP session between two named hosts at a time (µs). */
export interface SampleNetwork {
  tcp(t: number, client: string, server: string, port: number, exchanges: TcpExchange[], opts?: { close?: 'client' | 'server' | 'reset'; mss?: number }): void;
  /** Microseconds since the capture start for `sec` seconds. */
  at(sec: number): number;
  /** Random bytes (the generator's seeded PRNG). */
  bytes(n: number): Uint8Array;
}

/** Implementation identities announced in A-ASSOCIATE-RQ/AC (PS3.7 D.3.3.2). */
const IMPL = {
  ge: { implementationClassUid: '1.2.840.113619.6.286', implementationVersion: 'CT_HD_4_2' },
  philips: { implementationClassUid: '1.3.46.670589.11.0.0.51.4.56.1', implementationVersion: 'PMS_R5.6.1' },
  medison: { implementationClassUid: '1.2.826.0.1.3680043.9.3811.2.0.2', implementationVersion: 'PYNETDICOM_202' },
  dcmtk: { implementationClassUid: '1.2.276.0.7230010.3.0.3.6.8', implementationVersion: 'OFFIS_DCMTK_368' },
  dcm4che: { implementationClassUid: '1.2.40.0.13.1.3', implementationVersion: 'dcm4che-5.31.0' },
  fodicom: { implementationClassUid: '1.3.6.1.4.1.30071.8', implementationVersion: 'fo-dicom 5.1.2' },
} as const;

/** Storage SOP classes not listed in dicom-pdus.ts (PS3.4 B.5). */
const US_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.6.1';

const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const cmd = (context: number, spec: D.CommandSpec): Uint8Array => D.pData([{ context, command: true, last: true, bytes: D.commandSet(spec) }]);

/** Patient-level attributes with the placeholder values (PS3.3 C.7.1.1 Patient Module, C.7.2.1 General Study). */
function patientElements(): D.ElementSpec[] {
  return [
    { tag: 0x00080050, vr: 'SH', value: 'ACCTEST0001' }, // Accession Number
    { tag: 0x00100010, vr: 'PN', value: `${SAMPLE_PATIENT.family}^${SAMPLE_PATIENT.given}` }, // Patient's Name
    { tag: 0x00100020, vr: 'LO', value: SAMPLE_PATIENT.mrn }, // Patient ID
    { tag: 0x00100030, vr: 'DA', value: SAMPLE_PATIENT.dob }, // Patient's Birth Date
    { tag: 0x00100040, vr: 'CS', value: 'O' }, // Patient's Sex (O = other)
  ];
}

/** A small image of `sopClass` (modality `modality`): SOP common, patient, study/series and a 32×32 pixel matrix. */
function image(sopClass: string, modality: string, n: number): Uint8Array {
  return D.dataSet([
    { tag: 0x00080016, vr: 'UI', value: sopClass }, // SOP Class UID
    { tag: 0x00080018, vr: 'UI', value: `2.25.1000${n}` }, // SOP Instance UID
    { tag: 0x00080020, vr: 'DA', value: '20260302' }, // Study Date
    ...patientElements().slice(0, 1),
    { tag: 0x00080060, vr: 'CS', value: modality }, // Modality
    ...patientElements().slice(1),
    { tag: 0x00280010, vr: 'US', value: [32, 0] }, // Rows
    { tag: 0x00280011, vr: 'US', value: [32, 0] }, // Columns
    { tag: 0x7fe00010, vr: 'OW', value: new Array<number>(32 * 32 * 2).fill(n & 0xff) }, // Pixel Data
  ], 'implicit_le');
}

/**
 * One storage association (PS3.4 Annex B): A-ASSOCIATE-RQ/AC proposing `sopClass` (and verification), `images`
 * C-STORE-RQ with data sets, each answered by a C-STORE-RSP, then release.
 */
export function storageExchanges(o: { calling: string; called: string; sopClass: string; modality: string; images: number; requestor: D.UserInfoSpec; acceptor: D.UserInfoSpec; image?: (n: number) => Uint8Array }): TcpExchange[] {
  const rq = D.associateRq(o.called, o.calling, [
    { id: 1, abstractSyntax: o.sopClass, transferSyntaxes: [D.TS.IMPLICIT_LE, D.TS.EXPLICIT_LE] },
    { id: 3, abstractSyntax: D.SOP.VERIFICATION, transferSyntaxes: [D.TS.IMPLICIT_LE] },
  ], { maxPdu: 16384, ...o.requestor });
  const ac = D.associateAc(o.called, o.calling, [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }, { id: 3, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: 16384, ...o.acceptor });
  const out: TcpExchange[] = [{ request: rq, response: ac }];
  for (let k = 1; k <= o.images; k++) {
    const ds = (o.image ?? ((n: number) => image(o.sopClass, o.modality, n)))(k);
    const store = cmd(1, { commandField: 0x0001, affectedSopClass: o.sopClass, messageId: k, priority: 0, dataSet: true, affectedSopInstance: `2.25.1000${k}` });
    out.push({ request: cat(store, D.pData([{ context: 1, command: false, last: true, bytes: ds }])), response: cmd(1, { commandField: 0x8001, affectedSopClass: o.sopClass, respondedTo: k, dataSet: false, status: 0 }) });
  }
  out.push({ request: D.release(false), response: D.release(true) });
  return out;
}

/** Verification (PS3.4 A): the CT's C-ECHO `messageId` to the PACS, with both implementation identities. */
export function echoExchanges(calling: string, called: string, messageId: number): TcpExchange[] {
  const rq = D.associateRq(called, calling, [{ id: 1, abstractSyntax: D.SOP.VERIFICATION, transferSyntaxes: [D.TS.IMPLICIT_LE] }], { maxPdu: 16384, ...IMPL.ge });
  const ac = D.associateAc(called, calling, [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: 16384, ...IMPL.dcmtk });
  return [
    { request: rq, response: ac },
    { request: cmd(1, { commandField: 0x0030, affectedSopClass: D.SOP.VERIFICATION, messageId, dataSet: false }), response: cmd(1, { commandField: 0x8030, affectedSopClass: D.SOP.VERIFICATION, respondedTo: messageId, dataSet: false, status: 0 }) },
    { request: D.release(false), response: D.release(true) },
  ];
}

/** Modality Worklist C-FIND (PS3.4 K.6): the modality asks its scheduled procedures, one match comes back. */
function worklistExchanges(calling: string, called: string, requestor: D.UserInfoSpec, acceptor: D.UserInfoSpec): TcpExchange[] {
  const mwl = D.SOP.MODALITY_WORKLIST_FIND;
  const rq = D.associateRq(called, calling, [{ id: 1, abstractSyntax: mwl, transferSyntaxes: [D.TS.IMPLICIT_LE] }], { maxPdu: 16384, ...requestor });
  const ac = D.associateAc(called, calling, [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: 16384, ...acceptor });
  const query = D.dataSet([{ tag: 0x00080060, vr: 'CS', value: 'CT' }, { tag: 0x00100010, vr: 'PN', value: '' }, { tag: 0x00100020, vr: 'LO', value: '' }], 'implicit_le');
  const match = D.dataSet([{ tag: 0x00080060, vr: 'CS', value: 'CT' }, ...patientElements().slice(1, 3)], 'implicit_le');
  const rsp = (status: number, ds: Uint8Array | null): Uint8Array => D.pData([
    { context: 1, command: true, last: true, bytes: D.commandSet({ commandField: 0x8020, affectedSopClass: mwl, respondedTo: 1, dataSet: ds !== null, status }) },
    ...(ds ? [{ context: 1, command: false, last: true, bytes: ds }] : []),
  ]);
  return [
    { request: rq, response: ac },
    { request: D.pData([{ context: 1, command: true, last: true, bytes: D.commandSet({ commandField: 0x0020, affectedSopClass: mwl, messageId: 1, priority: 0, dataSet: true }) }, { context: 1, command: false, last: true, bytes: query }]),
      response: cat(rsp(0xff00, match), rsp(0x0000, null)) },
    { request: D.release(false), response: D.release(true) },
  ];
}

/** Study Root C-FIND then C-MOVE to the viewer itself (PS3.4 C.4.1, C.4.2): what a reading workstation does. */
function viewerQueryExchanges(requestor: D.UserInfoSpec, acceptor: D.UserInfoSpec): TcpExchange[] {
  const find = D.SOP.STUDY_ROOT_FIND;
  const move = D.SOP.STUDY_ROOT_MOVE;
  const rq = D.associateRq('PACS_ARCHIVE', 'RAD_VIEWER1', [
    { id: 1, abstractSyntax: find, transferSyntaxes: [D.TS.IMPLICIT_LE] },
    { id: 3, abstractSyntax: move, transferSyntaxes: [D.TS.IMPLICIT_LE] },
  ], { maxPdu: 32768, ...requestor });
  const ac = D.associateAc('PACS_ARCHIVE', 'RAD_VIEWER1', [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }, { id: 3, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: 32768, ...acceptor });
  const key = D.dataSet([{ tag: 0x00080052, vr: 'CS', value: 'STUDY' }, { tag: 0x00100020, vr: 'LO', value: SAMPLE_PATIENT.mrn }, { tag: 0x0020000d, vr: 'UI', value: '' }], 'implicit_le');
  const found = D.dataSet([{ tag: 0x00080052, vr: 'CS', value: 'STUDY' }, { tag: 0x00100020, vr: 'LO', value: SAMPLE_PATIENT.mrn }, { tag: 0x0020000d, vr: 'UI', value: '2.25.1000' }], 'implicit_le');
  const request = (ctx: number, field: number, sop: string, id: number, ds: Uint8Array, dest?: string): Uint8Array => D.pData([
    { context: ctx, command: true, last: true, bytes: D.commandSet({ commandField: field, affectedSopClass: sop, messageId: id, priority: 0, dataSet: true, ...(dest ? { moveDestination: dest } : {}) }) },
    { context: ctx, command: false, last: true, bytes: ds },
  ]);
  const findRsp = (status: number, ds: Uint8Array | null): Uint8Array => D.pData([
    { context: 1, command: true, last: true, bytes: D.commandSet({ commandField: 0x8020, affectedSopClass: find, respondedTo: 1, dataSet: ds !== null, status }) },
    ...(ds ? [{ context: 1, command: false, last: true, bytes: ds }] : []),
  ]);
  return [
    { request: rq, response: ac },
    { request: request(1, 0x0020, find, 1, key), response: cat(findRsp(0xff00, found), findRsp(0, null)) },
    { request: request(3, 0x0021, move, 2, D.dataSet([{ tag: 0x00080052, vr: 'CS', value: 'STUDY' }, { tag: 0x0020000d, vr: 'UI', value: '2.25.1000' }], 'implicit_le'), 'RAD_VIEWER1'),
      response: cmd(3, { commandField: 0x8021, affectedSopClass: move, respondedTo: 2, dataSet: false, status: 0 }) },
    { request: D.release(false), response: D.release(true) },
  ];
}

/** The HL7 v2.5 messages of the sample (HL7 v2.5.1 §3.3.1 ADT^A01, §7.3.1 ORU^R01; v2.9 §7.4.4 PRT). */
function hl7(type: readonly string[], app: string, to: string, controlId: string, time: string, body: readonly string[]): string {
  return hl7Message([msh({ sendingApp: app, sendingFacility: 'SYNTH_HOSP', receivingApp: to, receivingFacility: 'SYNTH_HOSP', time, type, controlId, version: '2.5' }), ...body]);
}

/** An original-mode ACK (HL7 v2.5.1 §2.9.2) from `app` of message `id`. */
function ack(app: string, to: string, id: string, time: string, trigger: string): Uint8Array {
  return mllpBlock(hl7Ack({ sendingApp: app, sendingFacility: 'SYNTH_HOSP', receivingApp: to, receivingFacility: 'SYNTH_HOSP', time, controlId: `ACK${id}`, version: '2.5', trigger }, id));
}

/** HL7 timestamp (TS, §2.A.74) of `sec` seconds after 2026-03-02 08:00:00. */
function hl7Time(sec: number): string {
  return new Date(Date.UTC(2026, 2, 2, 8, 0, 0) + sec * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The GS1 UDI of the lab analyzer (the FDA's public GS1 example: DI 51022222233336, serial SYNTH0001). */
export const SAMPLE_LAB_UDI = '(01)51022222233336(21)SYNTH0001';

/** The POCT1-A glucose meter's self-description (HEL.R01 DEV). */
export const SAMPLE_POC_METER = {
  deviceId: '00:13:dd:5c:00:31', vendorId: 'ABT', modelId: 'GLU-SYNTH-1', serialId: 'SYNTHSN0031', manufacturer: 'Abbott',
  hwVersion: '2.0', swVersion: '4.1.7', deviceName: 'Ward 3 glucose meter', topics: ['OBS'], directives: ['START_CONTINUOUS'],
} as const;

/** Adds the clinical traffic of the sample. */
export function clinicalTraffic(net: SampleNetwork): void {
  const { tcp, at } = net;
  // CT: worklist query to the RIS, then a CT series to the PACS (PS3.4 K.6, B.5), every 5 minutes
  for (const [k, t] of [60, 360].entries()) {
    tcp(at(t), 'ct-01', 'ris-01', 104, worklistExchanges('GE_CT01', 'RIS_MWL', IMPL.ge, IMPL.dcm4che), { close: 'client' });
    tcp(at(t + 30), 'ct-01', 'pacs-01', 104, storageExchanges({ calling: 'GE_CT01', called: 'PACS_ARCHIVE', sopClass: D.SOP.CT_IMAGE_STORAGE, modality: 'CT', images: 4 + k, requestor: IMPL.ge, acceptor: IMPL.dcmtk }), { close: 'client' });
  }
  // MR and ultrasound send their images to the same PACS
  tcp(at(150), 'mr-01', 'pacs-01', 104, storageExchanges({ calling: 'PMS_MR01', called: 'PACS_ARCHIVE', sopClass: D.SOP.MR_IMAGE_STORAGE, modality: 'MR', images: 3, requestor: IMPL.philips, acceptor: IMPL.dcmtk }), { close: 'client' });
  tcp(at(210), 'us-01', 'pacs-01', 104, storageExchanges({ calling: 'US_ROOM2', called: 'PACS_ARCHIVE', sopClass: US_IMAGE_STORAGE, modality: 'US', images: 2, requestor: IMPL.medison, acceptor: IMPL.dcmtk }), { close: 'client' });
  // the radiology viewer queries and moves a study; the PACS stores it at the viewer (C-STORE sub-operations)
  tcp(at(420), 'rad-viewer-01', 'pacs-01', 104, viewerQueryExchanges(IMPL.fodicom, IMPL.dcmtk), { close: 'client' });
  tcp(at(421), 'pacs-01', 'rad-viewer-01', 104, storageExchanges({ calling: 'PACS_ARCHIVE', called: 'RAD_VIEWER1', sopClass: D.SOP.CT_IMAGE_STORAGE, modality: 'CT', images: 2, requestor: IMPL.dcmtk, acceptor: IMPL.fodicom }), { close: 'client' });
  // DICOM over TLS (PS3.15 B.1, port 2762): the viewer's secure association to the PACS
  const random = net.bytes(32);
  tcp(at(480), 'rad-viewer-01', 'pacs-01', 2762, [{ request: tlsClientHello(random, 'pacs-01.synth-hospital.local'), response: tlsServerHello(net.bytes(32), random) }], { close: 'client' });

  // HL7: the EHR admits a patient (ADT^A01) through the engine; the engine forwards results to the EHR
  const pv1 = segment('PV1', ['1', 'I', ['SYNTH-WARD', '000', '0']]);
  tcp(at(90), 'ehr-01', 'hl7-engine', 2575, [{
    request: mllpBlock(hl7('ADT^A01^ADT_A01'.split('^'), 'SYNTH_EHR', 'HL7ENGINE', 'EHR0001', hl7Time(90), [segment('EVN', ['A01', hl7Time(90)]), pid(SAMPLE_PATIENT), pv1])),
    response: ack('HL7ENGINE', 'SYNTH_EHR', 'EHR0001', hl7Time(90), 'A01'),
  }], { close: 'client' });
  const forwards: TcpExchange[] = [0, 1, 2].map((k) => {
    const id = `ENG${String(k + 1).padStart(4, '0')}`;
    return {
      request: mllpBlock(hl7(['ORU', 'R01', 'ORU_R01'], 'HL7ENGINE', 'SYNTH_EHR', id, hl7Time(120 + k * 150), [pid(SAMPLE_PATIENT), segment('OBX', ['1', 'NM', ['8867-4', 'Heart rate', 'LN'], '', '0', '/min', '', '', '', '', 'F'])])),
      response: ack('SYNTH_EHR', 'HL7ENGINE', id, hl7Time(120 + k * 150), 'R01'),
      thinkTime: k === 0 ? 1000 : 150_000_000,
    };
  });
  tcp(at(120), 'hl7-engine', 'ehr-01', 2575, forwards, { close: 'client' });
  // the lab analyzer identifies itself in PRT (HL7 v2.9 §7.4.4: PRT-10 UDI, PRT-16 DI, PRT-20 serial, PRT-22 type)
  const prt = segment('PRT', ['1', 'AD', '', ['EQUIP', 'Equipment', 'HL70912'], '', '', '', '', '', [SAMPLE_LAB_UDI, '', '2.16.840.1.113883.3.3719', 'ISO'], '', '', '', '', '', '51022222233336', '', '', '', 'SYNTH0001', '', ['LABANALYZER', 'Chemistry analyzer', 'LOCAL']]);
  tcp(at(300), 'lab-analyzer-01', 'hl7-engine', 2575, [{
    request: mllpBlock(hl7(['ORU', 'R01', 'ORU_R01'], 'SYNTH_LAB', 'HL7ENGINE', 'LABPRT0001', hl7Time(300), [pid(SAMPLE_PATIENT), segment('OBR', ['1', '', 'SYNTH0002', ['2345-7', 'Glucose', 'LN']]), segment('OBX', ['1', 'NM', ['2345-7', 'Glucose', 'LN'], '', '0', 'mg/dL', '', '', '', '', 'F']), prt])),
    response: ack('HL7ENGINE', 'SYNTH_LAB', 'LABPRT0001', hl7Time(300), 'R01'),
  }], { close: 'client' });

  // POCT1-A2 DML: the glucose meter's conversation with its data manager (HEL, DST, OBS, EOT, each ACKed)
  const T = '2026-03-02T08:04:00+00:00';
  const x = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  tcp(at(240), 'poc-meter-01', 'poc-dm-01', 7001, [
    { request: x(helloR01('1', T, { ...SAMPLE_POC_METER, topics: [...SAMPLE_POC_METER.topics], directives: [...SAMPLE_POC_METER.directives] })), response: x(ackR01('901', T, '1')) },
    { request: x(dstR01('2', T, 1)), response: x(ackR01('902', T, '2')) },
    { request: x(obsR01('3', T, { id: SAMPLE_PATIENT.mrn, name: `${SAMPLE_PATIENT.family}, ${SAMPLE_PATIENT.given}`, birthDate: '1900-01-01' }, POC_OPERATOR, [{ analyte: 'GLU', value: POC_RESULT, unit: 'mmol/L' }])), response: x(ackR01('903', T, '3')) },
    { request: x(eotR01('4', T, 'OBS')), response: x(ackR01('904', T, '4')) },
  ], { close: 'client' });
}
