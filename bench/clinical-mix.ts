// Purpose: the DICOM/HL7-heavy event mix of the ingest benchmark (`--mix clinical`, issue 4 item 8): modalities
// sending images to a PACS in bulk C-STORE associations (DICOM transfers are bulk, so MB/s matters), HL7 v2 over
// MLLP from monitoring gateways, analyzers and the EHR to an interface engine, and C-ECHO / worklist queries. Built
// with the specification-based builders of src/synth/ (PDU layouts per PS3.8 §9.3, DIMSE per PS3.7, HL7 v2.5.1);
// patient elements carry placeholders only. Pixel data are opaque bytes from the generator's pool.

import type { TcpExchange } from '../src/synth/frames.js';
import * as D from '../src/synth/dicom-pdus.js';
import { hl7Ack, hl7Message, mllpBlock, msh, pid, segment } from '../src/synth/hl7-messages.js';
import type { Prng } from '../src/synth/prng.js';

/** What the generator lends the mix. */
export interface ClinicalMixHelpers {
  rnd: Prng;
  /** Opaque bytes (a view into the generator's pool). */
  slice(n: number): Uint8Array;
}

/** One TCP session to generate: server port and exchanges. */
export interface ClinicalSession {
  service: 'dicom-store' | 'dicom-echo' | 'dicom-worklist' | 'hl7';
  port: number;
  exchanges: TcpExchange[];
}

/** Largest PDU the associations negotiate (and so the P-DATA fragment size): 16 KiB, a common default. */
const MAX_PDU = 16384;
const PATIENT = { mrn: 'TEST000000', family: 'PLACEHOLDER', given: 'TEST', dob: '19000101', sex: 'U', street: 'PLACEHOLDER STREET 0', phone: '000-0000' };
const MODALITIES = [
  { sop: D.SOP.CT_IMAGE_STORAGE, modality: 'CT', impl: { implementationClassUid: '1.2.840.113619.6.286', implementationVersion: 'CT_HD_4_2' } },
  { sop: D.SOP.MR_IMAGE_STORAGE, modality: 'MR', impl: { implementationClassUid: '1.3.46.670589.11.0.0.51.4.56.1', implementationVersion: 'PMS_R5.6.1' } },
  { sop: '1.2.840.10008.5.1.4.1.1.6.1', modality: 'US', impl: { implementationClassUid: '1.2.826.0.1.3680043.9.3811.2.0.2', implementationVersion: 'PYNETDICOM_202' } },
] as const;
const PACS_IMPL = { implementationClassUid: '1.2.276.0.7230010.3.0.3.6.8', implementationVersion: 'OFFIS_DCMTK_368' };

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const cmd = (context: number, spec: D.CommandSpec): Uint8Array => D.pData([{ context, command: true, last: true, bytes: D.commandSet(spec) }]);

/** An image data set: a small header (implicit VR LE) then Pixel Data (7FE0,0010) of `pixels` opaque bytes. */
function imageDataSet(h: ClinicalMixHelpers, sop: string, modality: string, n: number, pixels: number): Uint8Array {
  const head = D.dataSet([
    { tag: 0x00080016, vr: 'UI', value: sop },
    { tag: 0x00080018, vr: 'UI', value: `2.25.${n}` },
    { tag: 0x00080060, vr: 'CS', value: modality },
    { tag: 0x00100010, vr: 'PN', value: `${PATIENT.family}^${PATIENT.given}` },
    { tag: 0x00100020, vr: 'LO', value: PATIENT.mrn },
    { tag: 0x00280010, vr: 'US', value: [0, 2] },
    { tag: 0x00280011, vr: 'US', value: [0, 2] },
  ], 'implicit_le');
  const len = pixels & ~1;
  const pixelHeader = Uint8Array.of(0xe0, 0x7f, 0x10, 0x00, len & 0xff, (len >>> 8) & 0xff, (len >>> 16) & 0xff, (len >>> 24) & 0xff);
  return cat(head, pixelHeader, h.slice(len));
}

/** A data set as P-DATA-TF PDUs of at most MAX_PDU bytes, the last fragment flagged (PS3.8 §9.3.5.1, Annex E.2). */
function fragments(context: number, ds: Uint8Array): Uint8Array {
  const step = MAX_PDU - 6;
  const parts: Uint8Array[] = [];
  for (let o = 0; o < ds.length; o += step) parts.push(D.pDataBulk(context, false, o + step >= ds.length, ds.subarray(o, o + step)));
  return cat(...parts);
}

/** A modality's storage association: 1–6 images of 64 KiB–1.5 MiB each. */
function storeSession(h: ClinicalMixHelpers): ClinicalSession {
  const m = h.rnd.pick(MODALITIES);
  const rq = D.associateRq('PACS_ARCHIVE', `${m.modality}_MOD`, [{ id: 1, abstractSyntax: m.sop, transferSyntaxes: [D.TS.IMPLICIT_LE] }], { maxPdu: MAX_PDU, ...m.impl });
  const ac = D.associateAc('PACS_ARCHIVE', `${m.modality}_MOD`, [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: MAX_PDU, ...PACS_IMPL });
  const exchanges: TcpExchange[] = [{ request: rq, response: ac }];
  const images = h.rnd.int(1, 6);
  for (let k = 1; k <= images; k++) {
    const ds = imageDataSet(h, m.sop, m.modality, k, h.rnd.int(64 << 10, 1536 << 10));
    const store = cmd(1, { commandField: 0x0001, affectedSopClass: m.sop, messageId: k, priority: 0, dataSet: true, affectedSopInstance: `2.25.${k}` });
    exchanges.push({ request: cat(store, fragments(1, ds)), response: cmd(1, { commandField: 0x8001, affectedSopClass: m.sop, respondedTo: k, dataSet: false, status: 0 }), thinkTime: h.rnd.int(1000, 50_000) });
  }
  exchanges.push({ request: D.release(false), response: D.release(true) });
  return { service: 'dicom-store', port: 104, exchanges };
}

/** C-ECHO (PS3.4 A) or a Modality Worklist C-FIND (PS3.4 K.6) with a few matches. */
function querySession(h: ClinicalMixHelpers): ClinicalSession {
  const worklist = h.rnd.chance(0.5);
  const sop = worklist ? D.SOP.MODALITY_WORKLIST_FIND : D.SOP.VERIFICATION;
  const rq = D.associateRq('RIS_MWL', 'MODALITY', [{ id: 1, abstractSyntax: sop, transferSyntaxes: [D.TS.IMPLICIT_LE] }], { maxPdu: MAX_PDU, ...MODALITIES[0].impl });
  const ac = D.associateAc('RIS_MWL', 'MODALITY', [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { maxPdu: MAX_PDU, ...PACS_IMPL });
  const op: TcpExchange = worklist
    ? {
      request: D.pData([{ context: 1, command: true, last: true, bytes: D.commandSet({ commandField: 0x0020, affectedSopClass: sop, messageId: 1, priority: 0, dataSet: true }) },
        { context: 1, command: false, last: true, bytes: D.dataSet([{ tag: 0x00080060, vr: 'CS', value: 'CT' }, { tag: 0x00100010, vr: 'PN', value: '' }], 'implicit_le') }]),
      response: cat(...Array.from({ length: h.rnd.int(1, 4) }, () => D.pData([
        { context: 1, command: true, last: true, bytes: D.commandSet({ commandField: 0x8020, affectedSopClass: sop, respondedTo: 1, dataSet: true, status: 0xff00 }) },
        { context: 1, command: false, last: true, bytes: D.dataSet([{ tag: 0x00100010, vr: 'PN', value: `${PATIENT.family}^${PATIENT.given}` }, { tag: 0x00100020, vr: 'LO', value: PATIENT.mrn }], 'implicit_le') },
      ])), cmd(1, { commandField: 0x8020, affectedSopClass: sop, respondedTo: 1, dataSet: false, status: 0 })),
    }
    : { request: cmd(1, { commandField: 0x0030, affectedSopClass: sop, messageId: 1, dataSet: false }), response: cmd(1, { commandField: 0x8030, affectedSopClass: sop, respondedTo: 1, dataSet: false, status: 0 }) };
  return { service: worklist ? 'dicom-worklist' : 'dicom-echo', port: 104, exchanges: [{ request: rq, response: ac }, op, { request: D.release(false), response: D.release(true) }] };
}

/** An MLLP connection carrying 1–20 ORU^R01 (vitals or results, 5–40 OBX) or ADT^A01 messages, each ACKed. */
function hl7Session(h: ClinicalMixHelpers, t: number): ClinicalSession {
  const app = h.rnd.pick(['MONCENTRAL', 'LABANALYZER', 'SYNTH_EHR']);
  const time = new Date(t / 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const exchanges: TcpExchange[] = [];
  const n = h.rnd.int(1, 20);
  for (let k = 0; k < n; k++) {
    const id = `${app}${t % 1_000_000}${k}`;
    const adt = app === 'SYNTH_EHR';
    const body = adt
      ? [segment('EVN', ['A01', time]), pid(PATIENT), segment('PV1', ['1', 'I', ['SYNTH-WARD', '000', '0']])]
      : [pid(PATIENT), segment('OBR', ['1', '', id, ['TEST', 'PLACEHOLDER']]),
        ...Array.from({ length: h.rnd.int(5, 40) }, (_, i) => segment('OBX', [String(i + 1), 'NM', [`P${i}`, `Param ${i}`, 'LOCAL'], '', String(h.rnd.int(1, 200)), 'unit', '', '', '', '', 'F']))];
    const type = adt ? ['ADT', 'A01', 'ADT_A01'] : ['ORU', 'R01', 'ORU_R01'];
    const head = { sendingApp: app, sendingFacility: 'SYNTH_HOSP', receivingApp: 'HL7ENGINE', receivingFacility: 'SYNTH_HOSP', time, version: '2.5' };
    exchanges.push({
      request: mllpBlock(hl7Message([msh({ ...head, type, controlId: id }), ...body])),
      response: mllpBlock(hl7Ack({ ...head, sendingApp: 'HL7ENGINE', receivingApp: app, controlId: `A${id}`, trigger: type[1] }, id)),
      thinkTime: k === 0 ? 1000 : h.rnd.int(100_000, 2_000_000),
    });
  }
  return { service: 'hl7', port: 2575, exchanges };
}

/** The next clinical session, by the mix's shares: 45 % image storage, 45 % HL7, 10 % echo/worklist. */
export function clinicalSession(h: ClinicalMixHelpers, t: number): ClinicalSession {
  const r = h.rnd.next();
  if (r < 0.45) return storeSession(h);
  if (r < 0.9) return hl7Session(h, t);
  return querySession(h);
}
