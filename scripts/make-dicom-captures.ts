/**
 * Writes test/conformance/dicom/synth-dicom.pcap: DICOM associations built from the standard (src/synth/dicom-pdus.ts,
 * each PDU after the PS3.8 / PS3.7 section cited there) over synthetic TCP sessions, for the tshark conformance
 * suite and the end-to-end PHI test. Deterministic: the same bytes on every run.
 *
 * Connections (client → server):
 * 1. CT scanner → PACS, TCP 104: A-ASSOCIATE-RQ/AC, C-ECHO, release (PS3.4 Annex A verification).
 * 2. CT scanner → PACS, TCP 11112, MSS 200 so every PDU spans several TCP segments: C-STORE of two CT images with
 *    fake patient attributes ("DOE^JANE", "ROE^RICHARD"), one implicit VR LE in one PDV, one explicit VR LE split over
 *    three PDVs of two P-DATA-TF PDUs; C-STORE-RSP success and warning; release.
 * 3. Workstation → PACS, TCP 104: A-ASSOCIATE-RJ (permanent, service user, called AE not recognized).
 * 4. Workstation → Orthanc, TCP 4242: association accepted, then A-ABORT from the server (service provider,
 *    unexpected PDU).
 * 5. Workstation → archive on TCP 5678 (found by content): user identity username+passcode, Study Root C-FIND with
 *    a query for "DOE*" and two pending responses carrying names, then success; C-GET with SCP role selection and a
 *    C-STORE sub-operation sent by the archive to the workstation; release.
 * 6. Workstation → PACS, TCP 2762: a TLS ClientHello (DICOM over TLS).
 *
 * Usage: node dist/scripts/make-dicom-captures.js [out.pcap]
 */
import { ip4, mac, tcpSession, type TcpEndpoint, type TimedFrame } from '../src/synth/frames.js';
import * as S from '../src/synth/dicom-pdus.js';
import { tlsClientHello } from '../src/synth/payloads.js';
import { openPcapWriter } from '../src/synth/pcap-writer.js';

/** Capture start: 2026-03-02T09:00:00Z in microseconds. */
const START = Date.UTC(2026, 2, 2, 9, 0, 0) * 1000;
const SEC = 1_000_000;

const CT: TcpEndpoint = { mac: mac('00:00:5e:00:53:10'), ip: ip4('192.0.2.10'), port: 50110 };
const WS: TcpEndpoint = { mac: mac('00:00:5e:00:53:20'), ip: ip4('192.0.2.20'), port: 50120, os: 'windows' };
const PACS = (port: number): TcpEndpoint => ({ mac: mac('00:00:5e:00:53:99'), ip: ip4('192.0.2.99'), port });

const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const cmd = (context: number, spec: S.CommandSpec): Uint8Array => S.pData([{ context, command: true, last: true, bytes: S.commandSet(spec) }]);

const CT_IMPL = { implementationClassUid: '1.2.840.113619.6.286', implementationVersion: 'CT_HD_4_2' };
const PACS_IMPL = { implementationClassUid: '1.2.276.0.7230010.3.0.3.6.8', implementationVersion: 'OFFIS_DCMTK_368' };

/** A CT image's attributes with fake patient values (PS3.3 A.3 CT Image IOD, a few modules). */
function ctImage(name: string, id: string, birth: string, sex: string): S.ElementSpec[] {
  return [
    { tag: 0x00080016, vr: 'UI', value: S.SOP.CT_IMAGE_STORAGE }, // SOP Class UID
    { tag: 0x00080018, vr: 'UI', value: `2.25.${id.replace(/\D/g, '')}1` }, // SOP Instance UID
    { tag: 0x00080020, vr: 'DA', value: '20260302' }, // Study Date
    { tag: 0x00080050, vr: 'SH', value: `ACC${id}` }, // Accession Number
    { tag: 0x00080060, vr: 'CS', value: 'CT' }, // Modality
    { tag: 0x00080090, vr: 'PN', value: 'HOUSE^GREGORY' }, // Referring Physician's Name
    { tag: 0x00100010, vr: 'PN', value: name }, // Patient's Name
    { tag: 0x00100020, vr: 'LO', value: id }, // Patient ID
    { tag: 0x00100030, vr: 'DA', value: birth }, // Patient's Birth Date
    { tag: 0x00100040, vr: 'CS', value: sex }, // Patient's Sex
    { tag: 0x00180050, vr: 'DS', value: '1.25' }, // Slice Thickness
    { tag: 0x00280010, vr: 'US', value: [0x40, 0] }, // Rows 64
    { tag: 0x00280011, vr: 'US', value: [0x40, 0] }, // Columns 64
    { tag: 0x7fe00010, vr: 'OW', value: new Array<number>(64 * 64 * 2).fill(0x10) }, // Pixel Data
  ];
}

function echoSession(t: number): TimedFrame[] {
  const rq = S.associateRq('PACS_ARCHIVE', 'GE_CT01', [{ id: 1, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] }], { maxPdu: 16384, ...CT_IMPL });
  const ac = S.associateAc('PACS_ARCHIVE', 'GE_CT01', [{ id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE }], { maxPdu: 16384, ...PACS_IMPL });
  return tcpSession({
    client: CT, server: PACS(104), start: t, exchanges: [
      { request: rq, response: ac },
      { request: cmd(1, { commandField: 0x0030, affectedSopClass: S.SOP.VERIFICATION, messageId: 1, dataSet: false }), response: cmd(1, { commandField: 0x8030, affectedSopClass: S.SOP.VERIFICATION, respondedTo: 1, dataSet: false, status: 0 }) },
      { request: S.release(false), response: S.release(true) },
    ],
  });
}

function storeSession(t: number): TimedFrame[] {
  const rq = S.associateRq('PACS_ARCHIVE', 'GE_CT01', [
    { id: 1, abstractSyntax: S.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [S.TS.IMPLICIT_LE] },
    { id: 3, abstractSyntax: S.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [S.TS.EXPLICIT_LE] },
    { id: 5, abstractSyntax: S.SOP.MR_IMAGE_STORAGE, transferSyntaxes: [S.TS.JPEG_BASELINE] },
  ], { maxPdu: 16384, ...CT_IMPL, asyncOps: [1, 1] });
  const ac = S.associateAc('PACS_ARCHIVE', 'GE_CT01', [
    { id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE },
    { id: 3, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
    { id: 5, result: 4, transferSyntax: S.TS.IMPLICIT_LE },
  ], { maxPdu: 16384, ...PACS_IMPL });
  const store = (ctx: number, id: number): Uint8Array => cmd(ctx, { commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: id, priority: 0, dataSet: true, affectedSopInstance: `2.25.77${id}` });
  const rsp = (ctx: number, id: number, status: number): Uint8Array => cmd(ctx, { commandField: 0x8001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, respondedTo: id, dataSet: false, status });
  const one = S.dataSet(ctImage('DOE^JANE', '4711', '19700101', 'F'), 'implicit_le');
  const two = S.dataSet(ctImage('ROE^RICHARD', '4712', '19650505', 'M'), 'explicit_le');
  const third = Math.floor(two.length / 6) * 2; // fragments of even length (tshark flags odd PDV lengths)
  const twoPdus = cat(
    S.pData([{ context: 3, command: true, last: true, bytes: S.commandSet({ commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: 2, priority: 0, dataSet: true }) }, { context: 3, command: false, last: false, bytes: two.subarray(0, third) }]),
    S.pData([{ context: 3, command: false, last: false, bytes: two.subarray(third, 2 * third) }, { context: 3, command: false, last: true, bytes: two.subarray(2 * third) }]),
  );
  return tcpSession({
    client: CT, server: PACS(11112), start: t, mss: 200, exchanges: [
      { request: rq, response: ac },
      { request: cat(store(1, 1), S.pData([{ context: 1, command: false, last: true, bytes: one }])), response: rsp(1, 1, 0) },
      { request: twoPdus, response: rsp(3, 2, 0xb000) },
      { request: S.release(false), response: S.release(true) },
    ],
  });
}

function rejectSession(t: number): TimedFrame[] {
  const rq = S.associateRq('NOT_HERE', 'WS_RADIOLOGY1', [{ id: 1, abstractSyntax: S.SOP.STUDY_ROOT_FIND, transferSyntaxes: [S.TS.EXPLICIT_LE, S.TS.IMPLICIT_LE] }], { maxPdu: 65536, implementationClassUid: '1.2.40.0.13.1.3', implementationVersion: 'dcm4che-5.31.0' });
  return tcpSession({ client: { ...WS, port: 50121 }, server: PACS(104), start: t, close: 'server', exchanges: [{ request: rq, response: S.associateRj(1, 1, 7) }] });
}

function abortSession(t: number): TimedFrame[] {
  const rq = S.associateRq('ORTHANC', 'WS_RADIOLOGY1', [{ id: 1, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] }], { maxPdu: 0, implementationClassUid: '1.3.6.1.4.1.30071.8', implementationVersion: 'fo-dicom 5.1.2' });
  const ac = S.associateAc('ORTHANC', 'WS_RADIOLOGY1', [{ id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE }], { maxPdu: 16384, ...PACS_IMPL });
  return tcpSession({
    client: { ...WS, port: 50122 }, server: PACS(4242), start: t, close: 'reset', exchanges: [
      { request: rq, response: ac },
      { request: S.pData([{ context: 9, command: true, last: true, bytes: [0, 0] }]), response: S.abort(2, 2) },
    ],
  });
}

function queryRetrieveSession(t: number): TimedFrame[] {
  const rq = S.associateRq('ARCHIVE2', 'WS_RADIOLOGY1', [
    { id: 1, abstractSyntax: S.SOP.STUDY_ROOT_FIND, transferSyntaxes: [S.TS.EXPLICIT_LE, S.TS.IMPLICIT_LE] },
    { id: 3, abstractSyntax: S.SOP.STUDY_ROOT_GET, transferSyntaxes: [S.TS.EXPLICIT_LE] },
    { id: 5, abstractSyntax: S.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [S.TS.EXPLICIT_LE] },
  ], {
    maxPdu: 32768, implementationClassUid: '1.2.826.0.1.3680043.9.3811.2.0.2', implementationVersion: 'PYNETDICOM_202',
    roles: [{ sopClass: S.SOP.CT_IMAGE_STORAGE, scu: 0, scp: 1 }],
    userIdentity: { type: 2, positiveResponse: true, primary: 'radiologist7', secondary: 'Winter2026!' },
  });
  const ac = S.associateAc('ARCHIVE2', 'WS_RADIOLOGY1', [
    { id: 1, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
    { id: 3, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
    { id: 5, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
  ], { maxPdu: 32768, ...PACS_IMPL, roles: [{ sopClass: S.SOP.CT_IMAGE_STORAGE, scu: 0, scp: 1 }], userIdentityResponse: '' });
  const query = S.dataSet([
    { tag: 0x00080052, vr: 'CS', value: 'STUDY' }, // Query/Retrieve Level
    { tag: 0x00100010, vr: 'PN', value: 'DOE*' }, // Patient's Name matching key
    { tag: 0x00100020, vr: 'LO', value: '' }, // Patient ID return key (empty)
    { tag: 0x0020000d, vr: 'UI', value: '' }, // Study Instance UID return key
  ], 'explicit_le');
  const match = (name: string, id: string): Uint8Array => S.dataSet([
    { tag: 0x00080052, vr: 'CS', value: 'STUDY' },
    { tag: 0x00100010, vr: 'PN', value: name },
    { tag: 0x00100020, vr: 'LO', value: id },
    { tag: 0x0020000d, vr: 'UI', value: `2.25.9${id}` },
  ], 'explicit_le');
  const findRsp = (status: number, ds: Uint8Array | null): Uint8Array => S.pData([
    { context: 1, command: true, last: true, bytes: S.commandSet({ commandField: 0x8020, affectedSopClass: S.SOP.STUDY_ROOT_FIND, respondedTo: 1, dataSet: ds !== null, status }) },
    ...(ds ? [{ context: 1, command: false, last: true, bytes: ds }] : []),
  ]);
  const getRq = S.pData([
    { context: 3, command: true, last: true, bytes: S.commandSet({ commandField: 0x0010, affectedSopClass: S.SOP.STUDY_ROOT_GET, messageId: 2, priority: 0, dataSet: true }) },
    { context: 3, command: false, last: true, bytes: S.dataSet([{ tag: 0x00080052, vr: 'CS', value: 'STUDY' }, { tag: 0x0020000d, vr: 'UI', value: '2.25.94711' }], 'explicit_le') },
  ]);
  const subStore = S.pData([
    { context: 5, command: true, last: true, bytes: S.commandSet({ commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: 7, priority: 0, dataSet: true }) },
    { context: 5, command: false, last: true, bytes: S.dataSet(ctImage('DOE^JANE', '4711', '19700101', 'F').slice(0, 10), 'explicit_le') },
  ]);
  return tcpSession({
    client: { ...WS, port: 50123 }, server: PACS(5678), start: t, exchanges: [
      { request: rq, response: ac },
      { request: S.pData([{ context: 1, command: true, last: true, bytes: S.commandSet({ commandField: 0x0020, affectedSopClass: S.SOP.STUDY_ROOT_FIND, messageId: 1, priority: 0, dataSet: true }) }, { context: 1, command: false, last: true, bytes: query }]),
        response: cat(findRsp(0xff00, match('DOE^JANE', '4711')), findRsp(0xff00, match('DOE^JOHN', '4713')), findRsp(0x0000, null)) },
      { request: getRq, response: subStore },
      { request: cmd(5, { commandField: 0x8001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, respondedTo: 7, dataSet: false, status: 0 }), response: cmd(3, { commandField: 0x8010, affectedSopClass: S.SOP.STUDY_ROOT_GET, respondedTo: 2, dataSet: false, status: 0 }) },
      { request: S.release(false), response: S.release(true) },
    ],
  });
}

function tlsSession(t: number): TimedFrame[] {
  const random = Uint8Array.from({ length: 32 }, (_, i) => i);
  return tcpSession({ client: { ...WS, port: 50124 }, server: PACS(2762), start: t, close: 'reset', exchanges: [{ request: tlsClientHello(random, 'pacs.example') }] });
}

/** Every frame of the capture, in time order. */
export function dicomCaptureFrames(): TimedFrame[] {
  const sessions = [echoSession, storeSession, rejectSession, abortSession, queryRetrieveSession, tlsSession];
  return sessions.flatMap((f, i) => f(START + i * SEC)).sort((a, b) => a.ts - b.ts);
}

function main(): void {
  const out = process.argv[2] ?? 'test/conformance/dicom/synth-dicom.pcap';
  const w = openPcapWriter(out);
  for (const f of dicomCaptureFrames()) w.write(f.ts, f.frame);
  w.close();
  process.stdout.write(`${out}: ${w.packets} packets\n`);
}

main();
