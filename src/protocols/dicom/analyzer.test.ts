/**
 * The DICOM stream analyzer on associations built from the standard (src/synth/dicom-pdus.ts; each PDU follows the
 * PS3.8 section cited there): PDUs cut at every byte, several PDVs per PDU and commands split over PDVs, C-STORE data
 * sets in each encoding with patient attributes (whose values must never appear in the record), rejection, abort,
 * release, TLS, gaps, and content detection (`sniffDicom`).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DicomObservation, Observation, PacketContext } from '../../observe/observation.js';
import { Prng } from '../../synth/prng.js';
import * as S from '../../synth/dicom-pdus.js';
import { mutate } from '../mutation-harness.js';
import { StreamStatus } from '../stream.js';
import type { DicomAssociation } from './association.js';
import { DICOM_ANALYZER, sniffDicom } from './analyzer.js';

const CTX: PacketContext = { ts_us: 1_000_000, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 40000, dst_port: 104, vlan: null };

/** One side's bytes. */
interface Chunk {
  client: boolean;
  bytes: Uint8Array;
}

/** Feeds the chunks (each cut into pieces of at most `piece` bytes) and ends the connection; returns the records and the last status. */
function run(chunks: readonly Chunk[], piece = Infinity): { records: DicomAssociation[]; status: StreamStatus; error: string | null; others: Observation[] } {
  const out: Observation[] = [];
  const p = DICOM_ANALYZER.open({ base: CTX, at: (t) => ({ ...CTX, ts_us: t }) }, (o) => out.push(o));
  let status: StreamStatus = StreamStatus.More;
  let ts = CTX.ts_us;
  for (const c of chunks) {
    for (let o = 0; o < c.bytes.length && status === StreamStatus.More; o += piece) {
      const n = Math.min(piece, c.bytes.length - o);
      status = p.data(c.client, c.bytes, o, n, ts++);
    }
  }
  if (status !== StreamStatus.Failed) p.end(ts);
  return { records: out.filter((o): o is DicomObservation => o.kind === 'dicom').map((o) => o.msg), status, error: p.error, others: out.filter((o) => o.kind !== 'dicom') };
}

/** The one record of a run. */
function one(chunks: readonly Chunk[], piece = Infinity): DicomAssociation {
  const r = run(chunks, piece);
  assert.equal(r.records.length, 1, `status ${r.status} error ${r.error}`);
  return r.records[0]!;
}

const c = (bytes: Uint8Array): Chunk => ({ client: true, bytes });
const s = (bytes: Uint8Array): Chunk => ({ client: false, bytes });

const RQ = S.associateRq('PACS_ARCHIVE', 'GE_CT01', [
  { id: 1, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] },
  { id: 3, abstractSyntax: S.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [S.TS.EXPLICIT_LE, S.TS.IMPLICIT_LE] },
  { id: 5, abstractSyntax: S.SOP.MR_IMAGE_STORAGE, transferSyntaxes: [S.TS.EXPLICIT_BE] },
  { id: 7, abstractSyntax: S.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [S.TS.DEFLATED] },
  { id: 9, abstractSyntax: S.SOP.STUDY_ROOT_FIND, transferSyntaxes: [S.TS.IMPLICIT_LE] },
], { maxPdu: 16384, implementationClassUid: '1.2.840.113619.6.286', implementationVersion: 'CT_HD_4.2' });

const AC = S.associateAc('PACS_ARCHIVE', 'GE_CT01', [
  { id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE },
  { id: 3, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
  { id: 5, result: 0, transferSyntax: S.TS.EXPLICIT_BE },
  { id: 7, result: 0, transferSyntax: S.TS.DEFLATED },
  { id: 9, result: 3, transferSyntax: S.TS.IMPLICIT_LE },
], { maxPdu: 32768, implementationClassUid: '1.2.40.0.13.1.3', implementationVersion: 'dcm4che-5.31.0' });

/** A command alone in one PDV. */
const cmdPdu = (context: number, spec: S.CommandSpec): Uint8Array => S.pData([{ context, command: true, last: true, bytes: S.commandSet(spec) }]);

const ECHO_RQ = cmdPdu(1, { commandField: 0x0030, affectedSopClass: S.SOP.VERIFICATION, messageId: 1, dataSet: false });
const ECHO_RSP = cmdPdu(1, { commandField: 0x8030, affectedSopClass: S.SOP.VERIFICATION, respondedTo: 1, dataSet: false, status: 0 });

/** A patient's attributes (fake values), the study attributes, a sequence holding a name, pixel data. */
function ctDataSet(): S.ElementSpec[] {
  return [
    { tag: 0x00080016, vr: 'UI', value: S.SOP.CT_IMAGE_STORAGE }, // SOP Class UID
    { tag: 0x00080020, vr: 'DA', value: '20260302' }, // Study Date
    { tag: 0x00080050, vr: 'SH', value: 'ACC0042' }, // Accession Number
    { tag: 0x00080060, vr: 'CS', value: 'CT' }, // Modality
    { tag: 0x00080090, vr: 'PN', value: 'HOUSE^GREGORY' }, // Referring Physician's Name
    { tag: 0x00081110, vr: 'SQ', undefinedLength: true, items: [[{ tag: 0x00100010, vr: 'PN', value: 'NESTED^NAME' }]] }, // a sequence (skipped)
    { tag: 0x00100010, vr: 'PN', value: 'DOE^JANE' }, // Patient's Name
    { tag: 0x00100020, vr: 'LO', value: 'MRN123456' }, // Patient ID
    { tag: 0x00100030, vr: 'DA', value: '19700101' }, // Patient's Birth Date
    { tag: 0x00100040, vr: 'CS', value: 'F' }, // Patient's Sex
    { tag: 0x00101040, vr: 'LO', value: '1 MAIN ST' }, // Patient's Address
    { tag: 0x00102000, vr: 'LO', value: 'ALLERGY' }, // Medical Alerts: another patient attribute
    { tag: 0x00180050, vr: 'DS', value: '1.25' }, // Slice Thickness: not of interest
    { tag: 0x7fe00010, vr: 'OW', value: new Array<number>(4000).fill(0x5a) }, // Pixel Data
  ];
}

/** A C-STORE-RQ on `context` with its data set in `enc`, the data set split into `pieces` PDVs. */
function storeRq(context: number, id: number, enc: S.Encoding, pieces = 1): Uint8Array[] {
  const ds = S.dataSet(ctDataSet(), enc);
  const pdus = [cmdPdu(context, { commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: id, priority: 0, dataSet: true, affectedSopInstance: `1.2.3.${id}` })];
  const step = Math.ceil(ds.length / pieces);
  for (let o = 0; o < ds.length; o += step) pdus.push(S.pData([{ context, command: false, last: o + step >= ds.length, bytes: ds.subarray(o, o + step) }]));
  return pdus;
}

const storeRsp = (context: number, id: number, status: number): Uint8Array => cmdPdu(context, { commandField: 0x8001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, respondedTo: id, dataSet: false, status });

/** A whole association: echo, three C-STOREs in the three encodings, one deflated, release. */
function session(): Chunk[] {
  return [
    c(RQ), s(AC), c(ECHO_RQ), s(ECHO_RSP),
    ...storeRq(3, 2, 'explicit_le', 3).map(c), s(storeRsp(3, 2, 0)),
    ...storeRq(1, 3, 'implicit_le').map(c), s(storeRsp(1, 3, 0xb000)),
    ...storeRq(5, 4, 'explicit_be', 2).map(c), s(storeRsp(5, 4, 0)),
    ...storeRq(7, 5, 'explicit_le').map(c), s(storeRsp(7, 5, 0xa700)),
    c(S.release(false)), s(S.release(true)),
  ];
}

test('an association end to end: contexts with results, implementation identity, DIMSE counts and statuses, release', () => {
  const r = run(session());
  assert.equal(r.status, StreamStatus.Done);
  assert.equal(r.records.length, 1);
  const a = r.records[0]!;
  assert.equal(a.state, 'accepted');
  assert.equal(a.ended_by, 'release');
  assert.equal(a.release, 'completed');
  assert.equal(a.called_ae, 'PACS_ARCHIVE');
  assert.equal(a.calling_ae, 'GE_CT01');
  assert.deepEqual(a.presentation_contexts.map((p) => [p.id, p.abstract_syntax, p.result, p.transfer_syntax]), [
    [1, S.SOP.VERIFICATION, 'acceptance', S.TS.IMPLICIT_LE],
    [3, S.SOP.CT_IMAGE_STORAGE, 'acceptance', S.TS.EXPLICIT_LE],
    [5, S.SOP.MR_IMAGE_STORAGE, 'acceptance', S.TS.EXPLICIT_BE],
    [7, S.SOP.CT_IMAGE_STORAGE, 'acceptance', S.TS.DEFLATED],
    [9, S.SOP.STUDY_ROOT_FIND, 'abstract-syntax-not-supported', null],
  ]);
  assert.deepEqual([a.requestor_max_pdu_length, a.requestor_implementation_class_uid, a.requestor_implementation_version], [16384, '1.2.840.113619.6.286', 'CT_HD_4.2']);
  assert.deepEqual([a.acceptor_max_pdu_length, a.acceptor_implementation_class_uid, a.acceptor_implementation_version], [32768, '1.2.40.0.13.1.3', 'dcm4che-5.31.0']);
  assert.deepEqual(a.dimse.map((o) => [o.command, o.sop_class, o.sender, o.count, o.statuses.map((x) => `${x.status}:${x.category}:${x.count}`)]), [
    ['C-ECHO-RQ', S.SOP.VERIFICATION, 'client', 1, []],
    ['C-ECHO-RSP', S.SOP.VERIFICATION, 'server', 1, ['0x0000:success:1']],
    ['C-STORE-RQ', S.SOP.CT_IMAGE_STORAGE, 'client', 4, []],
    ['C-STORE-RSP', S.SOP.CT_IMAGE_STORAGE, 'server', 4, ['0x0000:success:2', '0xb000:warning:1', '0xa700:failure:1']],
  ]);
  assert.equal(a.dimse_messages, 10);
  assert.equal(a.datasets, 4);
  assert.equal(a.phi_datasets_scanned, 3);
  assert.equal(a.phi_datasets_unscanned, 1); // the deflated one
  assert.deepEqual(a.phi, [
    { kind: 'study_date', datasets: 3 },
    { kind: 'accession_number', datasets: 3 },
    { kind: 'referring_physician_name', datasets: 3 },
    { kind: 'patient_name', datasets: 3 },
    { kind: 'patient_id', datasets: 3 },
    { kind: 'patient_birth_date', datasets: 3 },
    { kind: 'patient_sex', datasets: 3 },
    { kind: 'patient_address', datasets: 3 },
    { kind: 'other_patient_attribute', datasets: 3 },
  ]);
  assert.deepEqual(a.anomalies, []);
});

test('no patient value, instance UID or physician name of the data sets appears in the record', () => {
  const text = JSON.stringify(one(session()));
  for (const v of ['DOE', 'JANE', 'NESTED', 'HOUSE', 'MRN123456', '19700101', 'ACC0042', 'MAIN ST', 'ALLERGY', '1.2.3.2']) assert.ok(!text.includes(v), v);
});

test('PDUs cut at every byte, or in random pieces, give the same record', () => {
  const whole = one(session());
  assert.deepEqual(one(session(), 1), whole);
  const rng = new Prng(7);
  for (let i = 0; i < 20; i++) assert.deepEqual(one(session(), rng.int(2, 700)), whole);
});

test('several PDVs in one P-DATA-TF; a command split over two PDVs; a data set split over PDVs of one PDU', () => {
  const cmd = S.commandSet({ commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: 9, priority: 0, dataSet: true });
  const ds = S.dataSet(ctDataSet(), 'implicit_le');
  const pdu = S.pData([
    { context: 1, command: true, last: false, bytes: cmd.subarray(0, 20) },
    { context: 1, command: true, last: true, bytes: cmd.subarray(20) },
    { context: 1, command: false, last: false, bytes: ds.subarray(0, 32) },
    { context: 1, command: false, last: false, bytes: ds.subarray(32, 34) },
    { context: 1, command: false, last: true, bytes: ds.subarray(34) },
  ]);
  const a = one([c(RQ), s(AC), c(pdu), s(storeRsp(1, 9, 0)), c(S.release(false)), s(S.release(true))]);
  assert.deepEqual(a.dimse.map((o) => [o.command, o.count]), [['C-STORE-RQ', 1], ['C-STORE-RSP', 1]]);
  assert.equal(a.datasets, 1);
  assert.equal(a.dataset_bytes, ds.length);
  assert.equal(a.phi.find((k) => k.kind === 'patient_name')?.datasets, 1);
  assert.deepEqual(a.anomalies, []);
});

test('A-ASSOCIATE-RJ ends the association with its result, source and reason', () => {
  const r = run([c(RQ), s(S.associateRj(1, 1, 7))]);
  assert.equal(r.status, StreamStatus.Done);
  const a = r.records[0]!;
  assert.equal(a.state, 'rejected');
  assert.equal(a.ended_by, 'reject');
  assert.deepEqual([a.reject_result, a.reject_source, a.reject_reason], ['rejected-permanent', 'service-user', 'called-ae-title-not-recognized']);
});

test('A-ABORT from the server, mid-transfer', () => {
  const [cmd, data] = storeRq(3, 2, 'explicit_le');
  const a = one([c(RQ), s(AC), c(cmd!), c(data!.subarray(0, 40)), s(S.abort(2, 2))]);
  assert.equal(a.ended_by, 'abort');
  assert.deepEqual([a.abort_source, a.abort_reason, a.aborted_by], ['service-provider', 'unexpected-pdu', 'server']);
});

test('the connection ending mid data set still gives the record, the data set counted as not scanned', () => {
  const [cmd, data] = storeRq(3, 2, 'explicit_le');
  const a = one([c(RQ), s(AC), c(cmd!), c(data!.subarray(0, 200))]);
  assert.equal(a.ended_by, 'connection_end');
  assert.equal(a.datasets, 1);
  assert.equal(a.phi_datasets_unscanned, 1);
});

test('user identity: type and the cleartext-credential fact, never the user name or passcode', () => {
  const rq = S.associateRq('PACS', 'WS1', [{ id: 1, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] }], {
    implementationClassUid: '1.2.826.0.1.3680043.9.3811.2.0.0', implementationVersion: 'PYNETDICOM_200',
    userIdentity: { type: 2, positiveResponse: true, primary: 'radiologist7', secondary: 'Winter2026!' },
    roles: [{ sopClass: S.SOP.CT_IMAGE_STORAGE, scu: 0, scp: 1 }],
  });
  const ac = S.associateAc('PACS', 'WS1', [{ id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE }], {
    implementationClassUid: '1.2.3.4', userIdentityResponse: '', roles: [{ sopClass: S.SOP.CT_IMAGE_STORAGE, scu: 0, scp: 1 }],
  });
  const a = one([c(rq), s(ac)]);
  assert.equal(a.user_identity_type, 'username-passcode');
  assert.equal(a.user_identity_positive_response_requested, true);
  assert.equal(a.user_identity_server_response, true);
  assert.equal(a.cleartext_credentials, true);
  assert.deepEqual(a.role_selections, [{ sop_class: S.SOP.CT_IMAGE_STORAGE, requested_scu: 0, requested_scp: 1, accepted_scu: 0, accepted_scp: 1 }]);
  const text = JSON.stringify(a);
  assert.ok(!text.includes('radiologist7') && !text.includes('Winter2026'));
});

test('TLS on a DICOM port: one DICOM record marked encrypted; the handshake goes to the TLS analyzer', () => {
  const hello = Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]);
  const r = run([c(hello)]);
  assert.notEqual(r.status, StreamStatus.Failed);
  assert.equal(r.records.length, 1);
  assert.deepEqual([r.records[0]!.encrypted, r.records[0]!.ended_by, r.records[0]!.state], [true, 'tls', 'unknown']);
  assert.ok(r.others.every((o) => o.kind === 'tls'), 'only TLS records besides the DICOM one');
});

test('not DICOM on a DICOM port: failed, no record', () => {
  const r = run([c(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))]);
  assert.equal(r.status, StreamStatus.Failed);
  assert.equal(r.error, 'not_dicom');
  assert.equal(r.records.length, 0);
});

test('gaps: inside data-set bytes the stream goes on; elsewhere the direction stops', () => {
  const out: Observation[] = [];
  const p = DICOM_ANALYZER.open({ base: CTX, at: (t) => ({ ...CTX, ts_us: t }) }, (o) => out.push(o));
  const [cmd, data] = storeRq(3, 2, 'explicit_le');
  p.data(true, RQ, 0, RQ.length, 1);
  p.data(false, AC, 0, AC.length, 2);
  p.data(true, cmd!, 0, cmd!.length, 3);
  p.data(true, data!, 0, 500, 4);
  assert.equal(p.gap(true, 1000, 5), StreamStatus.More); // inside the pixel data
  p.data(true, data!, 1500, data!.length - 1500, 6);
  const rsp = storeRsp(3, 2, 0);
  p.data(false, rsp, 0, rsp.length, 7);
  assert.equal(p.gap(false, 10, 8), StreamStatus.More); // server framing lost
  assert.equal(p.data(true, ECHO_RQ, 0, ECHO_RQ.length, 9), StreamStatus.More);
  p.end(10);
  const a = (out[0] as DicomObservation).msg;
  assert.deepEqual(a.anomalies, ['gap_in_dataset', 'gap']);
  assert.equal(a.datasets, 1);
  assert.equal(a.phi_datasets_unscanned, 1);
  assert.deepEqual(a.dimse.map((o) => [o.command, o.count]), [['C-STORE-RQ', 1], ['C-STORE-RSP', 1], ['C-ECHO-RQ', 1]]);
});

test('PDU bounds: an oversized association PDU is skipped, a PDU beyond MAX_DICOM_PDU stops the direction', () => {
  const big = S.pdu(0x01, new Array<number>(300 * 1024).fill(0x41));
  const a = one([c(RQ), c(big), c(ECHO_RQ)]);
  assert.ok(a.anomalies.includes('oversized_pdu:A-ASSOCIATE-RQ'), a.anomalies.join());
  assert.deepEqual(a.dimse.map((o) => o.command), ['C-ECHO-RQ']);
  const huge = Uint8Array.from([0x04, 0x00, 0x7f, 0xff, 0xff, 0xff]);
  const b = one([c(RQ), c(huge), c(ECHO_RQ)]);
  assert.ok(b.anomalies.includes('pdu_too_long:P-DATA-TF'));
  assert.deepEqual(b.dimse, []);
});

test('sniffDicom: an A-ASSOCIATE-RQ from the client, nothing else', () => {
  assert.equal(sniffDicom(true, RQ, 0, RQ.length), true);
  assert.equal(sniffDicom(true, RQ, 0, 42), true); // the AE titles are enough
  assert.equal(sniffDicom(false, RQ, 0, RQ.length), false); // sent by the server
  assert.equal(sniffDicom(true, RQ, 0, 41), false);
  const v2 = RQ.slice();
  v2[7] = 0x02; // protocol version 0002H
  assert.equal(sniffDicom(true, v2, 0, v2.length), false);
  const blank = S.associateRq(' ', 'CT', [{ id: 1, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] }], { implementationClassUid: '1.2' });
  assert.equal(sniffDicom(true, blank, 0, blank.length), false); // called AE all spaces
  const noContext = RQ.slice();
  noContext[74] = 0x20; // first item not the application context
  assert.equal(sniffDicom(true, noContext, 0, noContext.length), false);
  assert.equal(sniffDicom(true, AC, 0, AC.length), false);
  const http = Buffer.from('GET /wado?requestType=WADO&studyUID=1.2.3 HTTP/1.1\r\n\r\n');
  assert.equal(sniffDicom(true, http, 0, http.length), false);
});

test('stream robustness: mutated sessions (P-DATA, commands, data sets included) never throw and give serialisable records', () => {
  const rng = new Prng(2762);
  const base = session();
  for (let i = 0; i < 1500; i++) {
    const chunks = base.map((x) => ({ ...x }));
    for (let k = rng.int(1, 3); k > 0; k--) {
      const at = rng.int(0, chunks.length - 1);
      chunks[at] = { ...chunks[at]!, bytes: mutate(rng, chunks[at]!.bytes, [0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0xff, 0xfe, 0xe0]) };
    }
    const r = run(chunks, rng.int(1, 2000));
    assert.ok(r.records.length <= 1);
    for (const a of r.records) {
      assert.doesNotThrow(() => JSON.stringify(a));
      assert.ok(!JSON.stringify(a).includes('DOE^JANE'));
    }
  }
});
