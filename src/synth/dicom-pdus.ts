/**
 * Builders of DICOM upper-layer PDUs, DIMSE command sets and data sets, written from the standard for the DICOM
 * analyzer's unit tests and for scripts/make-dicom-captures.ts. Every builder follows the section cited on it; no
 * byte comes from a capture. Test and capture-generation support only: no analyzer imports it.
 */

/** Transfer syntax UIDs (PS3.6 Annex A). */
export const TS = {
  IMPLICIT_LE: '1.2.840.10008.1.2',
  EXPLICIT_LE: '1.2.840.10008.1.2.1',
  EXPLICIT_BE: '1.2.840.10008.1.2.2',
  DEFLATED: '1.2.840.10008.1.2.1.99',
  JPEG_BASELINE: '1.2.840.10008.1.2.4.50',
} as const;

/** SOP class UIDs used by the tests (PS3.4 Annex B, C, A; PS3.6 Annex A). */
export const SOP = {
  VERIFICATION: '1.2.840.10008.1.1',
  CT_IMAGE_STORAGE: '1.2.840.10008.5.1.4.1.1.2',
  MR_IMAGE_STORAGE: '1.2.840.10008.5.1.4.1.1.4',
  STUDY_ROOT_FIND: '1.2.840.10008.5.1.4.1.2.2.1',
  STUDY_ROOT_GET: '1.2.840.10008.5.1.4.1.2.2.3',
  STUDY_ROOT_MOVE: '1.2.840.10008.5.1.4.1.2.2.2',
  MODALITY_WORKLIST_FIND: '1.2.840.10008.5.1.4.31',
  MPPS: '1.2.840.10008.3.1.2.3.3',
  STORAGE_COMMITMENT: '1.2.840.10008.1.20.1',
} as const;

/** The DICOM application context name (PS3.7 Annex A.2.1). */
export const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';

const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];

/** An item or sub-item: type, reserved 00H, 2-byte length, body (PS3.8 §9.3.2.1 Table 9-12 and alike). */
function item(type: number, body: readonly number[]): number[] {
  return [type, 0, ...be16(body.length), ...body];
}

/** A PDU: type, reserved 00H, 4-byte length, body (PS3.8 §9.3.1). */
export function pdu(type: number, body: readonly number[]): Uint8Array {
  return Uint8Array.from([type, 0, ...be32(body.length), ...body]);
}

/** A 16-byte AE title field, space padded (PS3.8 §9.3.2 Table 9-11, PS3.5 §6.2 AE). */
function aeField(s: string): number[] {
  return ascii(s.padEnd(16, ' ').slice(0, 16));
}

/** A proposed presentation context. */
export interface ProposedContext {
  id: number;
  abstractSyntax: string;
  transferSyntaxes: string[];
}

/** An answered presentation context (result per PS3.8 Table 9-18). */
export interface AnsweredContext {
  id: number;
  result: number;
  transferSyntax: string;
}

/** An SCP/SCU role selection (PS3.7 D.3.3.4). */
export interface RoleSpec {
  sopClass: string;
  scu: number;
  scp: number;
}

/** The user information fields of an A-ASSOCIATE-RQ/AC (PS3.8 §9.3.2.3, PS3.7 Annex D.3.3). */
export interface UserInfoSpec {
  maxPdu?: number;
  implementationClassUid: string;
  implementationVersion?: string;
  asyncOps?: [number, number];
  roles?: RoleSpec[];
  /** Extended negotiation (56H): SOP class and application information bytes. */
  extended?: { sopClass: string; info: number[] }[];
  /** User identity request (58H): type, positive response requested, primary and secondary fields. */
  userIdentity?: { type: number; positiveResponse: boolean; primary: string; secondary?: string };
  /** User identity acceptance (59H): the server response. */
  userIdentityResponse?: string;
}

/** The user information item (50H) and its sub-items (51H–59H). */
function userInfo(u: UserInfoSpec): number[] {
  const sub: number[] = [];
  if (u.maxPdu !== undefined) sub.push(...item(0x51, be32(u.maxPdu))); // PS3.8 D.1
  sub.push(...item(0x52, ascii(u.implementationClassUid))); // PS3.7 D.3.3.2
  if (u.asyncOps) sub.push(...item(0x53, [...be16(u.asyncOps[0]), ...be16(u.asyncOps[1])])); // D.3.3.3
  for (const r of u.roles ?? []) sub.push(...item(0x54, [...be16(r.sopClass.length), ...ascii(r.sopClass), r.scu, r.scp])); // D.3.3.4
  if (u.implementationVersion !== undefined) sub.push(...item(0x55, ascii(u.implementationVersion))); // D.3.3.2
  for (const e of u.extended ?? []) sub.push(...item(0x56, [...be16(e.sopClass.length), ...ascii(e.sopClass), ...e.info])); // D.3.3.5
  const ui = u.userIdentity;
  if (ui) {
    // D.3.3.7.1: type, positive-response-requested, primary field length + field, secondary field length + field
    const sec = ascii(ui.secondary ?? '');
    sub.push(...item(0x58, [ui.type, ui.positiveResponse ? 1 : 0, ...be16(ui.primary.length), ...ascii(ui.primary), ...be16(sec.length), ...sec]));
  }
  if (u.userIdentityResponse !== undefined) sub.push(...item(0x59, [...be16(u.userIdentityResponse.length), ...ascii(u.userIdentityResponse)])); // D.3.3.7.2
  return item(0x50, sub);
}

/** The fixed part shared by A-ASSOCIATE-RQ and -AC (PS3.8 Tables 9-11 and 9-17): version, reserved, AE titles, 32 reserved bytes, application context. */
function associateHead(called: string, calling: string): number[] {
  return [...be16(1), 0, 0, ...aeField(called), ...aeField(calling), ...new Array<number>(32).fill(0), ...item(0x10, ascii(APPLICATION_CONTEXT))];
}

/** An A-ASSOCIATE-RQ (PS3.8 §9.3.2). */
export function associateRq(called: string, calling: string, contexts: readonly ProposedContext[], u: UserInfoSpec): Uint8Array {
  const pcs = contexts.flatMap((c) => item(0x20, [
    c.id, 0, 0, 0, // §9.3.2.2: context ID, three reserved bytes
    ...item(0x30, ascii(c.abstractSyntax)), // abstract syntax sub-item (§9.3.2.2.1)
    ...c.transferSyntaxes.flatMap((t) => item(0x40, ascii(t))), // transfer syntax sub-items (§9.3.2.2.2)
  ]));
  return pdu(0x01, [...associateHead(called, calling), ...pcs, ...userInfo(u)]);
}

/** An A-ASSOCIATE-AC (PS3.8 §9.3.3). */
export function associateAc(called: string, calling: string, contexts: readonly AnsweredContext[], u: UserInfoSpec): Uint8Array {
  const pcs = contexts.flatMap((c) => item(0x21, [c.id, 0, c.result, 0, ...item(0x40, ascii(c.transferSyntax))])); // §9.3.3.2
  return pdu(0x02, [...associateHead(called, calling), ...pcs, ...userInfo(u)]);
}

/** An A-ASSOCIATE-RJ (PS3.8 §9.3.4): reserved, result, source, reason. */
export function associateRj(result: number, source: number, reason: number): Uint8Array {
  return pdu(0x03, [0, result, source, reason]);
}

/** An A-RELEASE-RQ (PS3.8 §9.3.6) or -RP (§9.3.7): four reserved bytes. */
export function release(reply: boolean): Uint8Array {
  return pdu(reply ? 0x06 : 0x05, [0, 0, 0, 0]);
}

/** An A-ABORT (PS3.8 §9.3.8): two reserved bytes, source, reason/diagnostic. */
export function abort(source: number, reason: number): Uint8Array {
  return pdu(0x07, [0, 0, source, reason]);
}

/** One presentation-data-value item (PS3.8 §9.3.5.1, Annex E.2 message control header). */
export interface PdvSpec {
  context: number;
  command: boolean;
  last: boolean;
  bytes: Uint8Array | readonly number[];
}

/** A P-DATA-TF PDU with its PDV items (PS3.8 §9.3.5). */
export function pData(pdvs: readonly PdvSpec[]): Uint8Array {
  const body: number[] = [];
  for (const p of pdvs) {
    body.push(...be32(p.bytes.length + 2), p.context, (p.command ? 1 : 0) | (p.last ? 2 : 0));
    for (const x of p.bytes) body.push(x);
  }
  return pdu(0x04, body);
}

/**
 * A P-DATA-TF PDU holding one PDV of `bytes` (PS3.8 §9.3.5), built without per-byte copies: for bulk data (image
 * fragments of benchmarks), where {@link pData} would be slow.
 */
export function pDataBulk(context: number, command: boolean, last: boolean, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + bytes.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x04;
  dv.setUint32(2, 6 + bytes.length); // PDU length: PDV length field + PDV
  dv.setUint32(6, 2 + bytes.length); // PDV item length: context id, control header, fragment
  out[10] = context;
  out[11] = (command ? 1 : 0) | (last ? 2 : 0);
  out.set(bytes, 12);
  return out;
}

/** A value for an element: a string (padded to even length with `pad`) or raw bytes. */
type ElementValue = string | readonly number[];

/** Even-length bytes of a value (PS3.5 §7.1: values have even length; UIDs pad with NUL, text with space). */
function valueBytes(v: ElementValue, pad: number): number[] {
  const b = typeof v === 'string' ? ascii(v) : [...v];
  if (b.length % 2) b.push(pad);
  return b;
}

/** A command set element, implicit VR little endian (PS3.7 §6.3.1): tag, 4-byte length, value. */
function commandElement(element: number, v: ElementValue, pad = 0): number[] {
  const b = valueBytes(v, pad);
  return [0, 0, ...le16(element), ...le32(b.length), ...b];
}

/** The fields of a DIMSE command (PS3.7 Annex E); undefined fields are omitted. */
export interface CommandSpec {
  commandField: number;
  affectedSopClass?: string;
  requestedSopClass?: string;
  messageId?: number;
  respondedTo?: number;
  moveDestination?: string;
  priority?: number;
  /** True when a data set follows (Command Data Set Type ≠ 0101H). */
  dataSet: boolean;
  status?: number;
  affectedSopInstance?: string;
}

/** A DIMSE command set (group 0000 with its group length first, elements in ascending order; PS3.7 §9.3, §10.3). */
export function commandSet(c: CommandSpec): Uint8Array {
  const e: number[] = [];
  if (c.affectedSopClass) e.push(...commandElement(0x0002, c.affectedSopClass));
  if (c.requestedSopClass) e.push(...commandElement(0x0003, c.requestedSopClass));
  e.push(...commandElement(0x0100, le16(c.commandField)));
  if (c.messageId !== undefined) e.push(...commandElement(0x0110, le16(c.messageId)));
  if (c.respondedTo !== undefined) e.push(...commandElement(0x0120, le16(c.respondedTo)));
  if (c.moveDestination) e.push(...commandElement(0x0600, c.moveDestination, 0x20));
  if (c.priority !== undefined) e.push(...commandElement(0x0700, le16(c.priority)));
  e.push(...commandElement(0x0800, le16(c.dataSet ? 0x0000 : 0x0101)));
  if (c.status !== undefined) e.push(...commandElement(0x0900, le16(c.status)));
  if (c.affectedSopInstance) e.push(...commandElement(0x1000, c.affectedSopInstance));
  return Uint8Array.from([...commandElement(0x0000, le32(e.length)), ...e]);
}

/** A data set encoding. */
export type Encoding = 'implicit_le' | 'explicit_le' | 'explicit_be';

/** One data element: tag as (group << 16 | element), VR, value; an SQ takes items (each a list of elements). */
export interface ElementSpec {
  tag: number;
  vr: string;
  value?: ElementValue;
  items?: ElementSpec[][];
  /** Encode an SQ and its items with undefined length and delimiters (PS3.5 §7.5.1). */
  undefinedLength?: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** Encodes elements in `enc` (PS3.5 §7.1.2 explicit VR, §7.1.3 implicit VR, §7.3 byte order, §7.5 sequences). */
export function dataSet(elements: readonly ElementSpec[], enc: Encoding): Uint8Array {
  return Uint8Array.from(encodeElements(elements, enc));
}

function encodeElements(elements: readonly ElementSpec[], enc: Encoding): number[] {
  const out: number[] = [];
  const u16 = enc === 'explicit_be' ? be16 : le16;
  const u32 = enc === 'explicit_be' ? be32 : le32;
  const tag = (t: number): number[] => [...u16(t >>> 16), ...u16(t & 0xffff)];
  for (const el of elements) {
    let value: number[];
    if (el.vr === 'SQ') {
      value = [];
      for (const it of el.items ?? []) {
        const body = encodeElements(it, enc);
        if (el.undefinedLength) value.push(...tag(0xfffee000), ...u32(0xffffffff), ...body, ...tag(0xfffee00d), ...u32(0));
        else value.push(...tag(0xfffee000), ...u32(body.length), ...body);
      }
      if (el.undefinedLength) value.push(...tag(0xfffee0dd), ...u32(0));
    } else value = valueBytes(el.value ?? [], el.vr === 'UI' ? 0 : 0x20);
    const length = el.vr === 'SQ' && el.undefinedLength ? 0xffffffff : value.length;
    out.push(...tag(el.tag));
    if (enc === 'implicit_le') out.push(...u32(length));
    else if (LONG_VRS.has(el.vr)) out.push(...ascii(el.vr), 0, 0, ...u32(length));
    else out.push(...ascii(el.vr), ...u16(length));
    out.push(...value);
  }
  return out;
}
