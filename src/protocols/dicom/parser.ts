/**
 * DICOM upper layer (DUL) message parsers: one PDU, or one DIMSE command set, from bytes → a flat record. Pure: no
 * state, no I/O, never throws, never reads outside b[off, off+len). The per-connection framing (PDUs split across
 * TCP segments, P-DATA fragments, data sets streamed without buffering) is in analyzer.ts; data-set scanning for
 * patient attributes is in dataset-scan.ts.
 *
 * Specs (DICOM 2024 edition; section numbers unchanged since 2008):
 * - PS3.8 §9.3.1 PDU header (type, reserved, 4-byte big-endian length); §9.3.2 A-ASSOCIATE-RQ and its items:
 *   §9.3.2.1 application context (10H), §9.3.2.2 presentation context (20H) with abstract syntax (30H) and transfer
 *   syntax (40H) sub-items, §9.3.2.3 user information (50H); §9.3.3 A-ASSOCIATE-AC (presentation context 21H with
 *   its result, Table 9-18); §9.3.4 A-ASSOCIATE-RJ (Table 9-21 result/source/reason); §9.3.5 P-DATA-TF and its
 *   presentation-data-value items (Annex E.2 message control header); §9.3.6/9.3.7 A-RELEASE-RQ/RP; §9.3.8 A-ABORT
 *   (Table 9-26 source/reason).
 * - PS3.8 Annex D.1 maximum length (51H); PS3.7 Annex D.3.3.2 implementation class UID (52H) and version name (55H),
 *   D.3.3.3 asynchronous operations window (53H), D.3.3.4 SCP/SCU role selection (54H), D.3.3.5 SOP class extended
 *   negotiation (56H), D.3.3.6 SOP class common extended negotiation (57H), D.3.3.7 user identity negotiation
 *   (58H request, 59H response).
 * - PS3.7 §6.3.1 and §9.3/§10.3 DIMSE command sets: group 0000, always implicit VR little endian; Annex E command
 *   dictionary (command field values, status classes of Annex C).
 * - PS3.5 §9.1 UID encoding (digits and dots, at most 64 bytes; an odd length padded with one NUL), §6.2 AE VR
 *   (16 bytes, leading and trailing spaces not significant).
 *
 * User identity fields (user name, passcode, Kerberos ticket, SAML assertion, JWT) are never decoded or kept: only
 * the identity type and the field lengths are. Instance UIDs of the command set are not kept either.
 */
import { decodeWireText } from '../wire-text.js';
import { isDefaultPasswordBytes, MAX_CHECKED_PASSWORD_BYTES } from '../default-credential-check.js';

/** PDU types (PS3.8 §9.3.1 Table 9-1 … §9.3.8). */
export const PDU_TYPE = {
  ASSOCIATE_RQ: 0x01,
  ASSOCIATE_AC: 0x02,
  ASSOCIATE_RJ: 0x03,
  P_DATA_TF: 0x04,
  RELEASE_RQ: 0x05,
  RELEASE_RP: 0x06,
  ABORT: 0x07,
} as const;

/** PDU type → name as PS3.8 writes it. */
export const PDU_NAMES: Readonly<Record<number, string>> = {
  1: 'A-ASSOCIATE-RQ',
  2: 'A-ASSOCIATE-AC',
  3: 'A-ASSOCIATE-RJ',
  4: 'P-DATA-TF',
  5: 'A-RELEASE-RQ',
  6: 'A-RELEASE-RP',
  7: 'A-ABORT',
};

/** Bytes of a PDU header: type, reserved, 32-bit length (PS3.8 §9.3.1). */
export const PDU_HEADER_BYTES = 6;
/** Longest PDU accepted (any type). PS3.8 allows 2^32-1; implementations negotiate ≤ a few MiB (DCMTK's cap is 128 KiB by default, dcm4che 16 KiB–1 MiB). */
export const MAX_DICOM_PDU = 16 * 1024 * 1024;
/** Longest association PDU (RQ/AC) buffered and parsed; a few hundred presentation contexts fit in 64 KiB. */
export const MAX_ASSOCIATE_PDU = 256 * 1024;
/** Longest RJ / release / abort PDU accepted (their length is 4). */
export const MAX_SHORT_PDU = 64;
/** Most presentation contexts kept per PDU (context IDs are odd numbers 1–255, so 128 at most). */
export const MAX_PRESENTATION_CONTEXTS = 128;
/** Most transfer syntaxes kept per presentation context. */
export const MAX_TRANSFER_SYNTAXES = 64;
/** Most SCP/SCU role selections and extended negotiations kept per PDU. */
export const MAX_NEGOTIATIONS = 128;
/** Longest UID (PS3.5 §9.1). */
export const MAX_UID_BYTES = 64;
/** Longest implementation version name (SH VR: 16 bytes, PS3.7 D.3.3.2.3). */
export const MAX_VERSION_NAME_BYTES = 16;
/** Longest command set parsed (a command set is ~100–300 bytes). */
export const MAX_COMMAND_SET = 64 * 1024;
/** The DICOM application context name (PS3.7 Annex A.2.1). */
export const DICOM_APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and detail (the item type in
 * hex, or the field), e.g. `unknown_item:0x60`, `bad_uid:abstract_syntax`.
 */
export const DICOM_ANOMALIES = {
  /** The PDU length field does not match the bytes given (the PDU is cut, or followed by other bytes). */
  pdu_length_mismatch: 'PDU length differs from the bytes available',
  /** Protocol version without bit 0 set (PS3.8 §9.3.2: version 1 is bit 0). */
  bad_protocol_version: 'protocol version other than 0x0001',
  /** A reserved field that shall be zero is not (":field"). */
  reserved_not_zero: 'reserved field not zero',
  /** An AE title with bytes other than printable ASCII (":called" / ":calling"). */
  bad_ae_title: 'AE title with non-printable bytes',
  /** An item or sub-item whose length runs past its container (":0xTT"); the rest of the container is not read. */
  item_overrun: 'item length past the end of its container',
  /** An item type this parser does not know, skipped (":0xTT"). */
  unknown_item: 'unknown item type skipped',
  /** An item allowed once appears again (":0xTT"); the first one is kept. */
  duplicate_item: 'item repeated',
  /** An item of the wrong size for its type (":0xTT"). */
  bad_item_length: 'item length wrong for its type',
  /** A UID that is empty, longer than 64 bytes or not digits and dots (":field"). */
  bad_uid: 'UID not valid per PS3.5 §9.1',
  /** A UID ending in NUL or space padding (PS3.8 §9.3.2.2.1: no padding in PDU items), removed (":field"). */
  padded_uid: 'UID padded with NUL or space',
  /** The application context is not 1.2.840.10008.3.1.1.1. */
  unknown_application_context: 'application context other than the DICOM one',
  /** No application context / presentation context / user information item (":0xTT"). */
  missing_item: 'mandatory item absent',
  /** A presentation context without an abstract syntax (RQ) or with no or several transfer syntaxes (":id"). */
  bad_presentation_context: 'presentation context with missing or extra syntaxes',
  /** An even or zero presentation context ID (PS3.8 §9.3.2.2: odd 1–255) (":id"). */
  bad_context_id: 'presentation context ID not odd',
  /** More presentation contexts, transfer syntaxes or negotiation items than kept. */
  too_many_items: 'more items than kept',
  /** A result or reason code outside the table of PS3.8 (":field"). */
  unknown_code: 'result, source or reason code not in PS3.8',
  /** A user identity type other than 1–5 (PS3.7 D.3.3.7.1). */
  unknown_identity_type: 'user identity type other than 1–5',
  /** A presentation-data-value item shorter than its 2-byte header or running past the PDU. */
  bad_pdv_length: 'PDV item length too short or past the PDU',
  /** A P-DATA-TF PDU with no PDV item. */
  empty_pdata: 'P-DATA-TF without any PDV',
  /** A PDV fragment of odd length (values and elements have even lengths, PS3.5 §7.1; tshark flags it too). */
  odd_pdv_length: 'PDV fragment of odd length',
  /** Reserved bits 2–7 of a PDV message control header set. */
  bad_pdv_flags: 'message control header with reserved bits set',
  /** A command set element outside group 0000, or one whose length runs past the set (":gggg,eeee"). */
  bad_command_element: 'command set element outside group 0000 or cut',
  /** A command set element of the wrong size for its VR (":gggg,eeee"). */
  bad_command_value: 'command set value of the wrong length',
  /** No (0000,0100) Command Field in a command set. */
  missing_command_field: 'command set without Command Field',
  /** A command field value not in PS3.7 Annex E. */
  unknown_command: 'command field value not in PS3.7',
  /** (0000,0000) Command Group Length differs from the bytes after it. */
  group_length_mismatch: 'command group length differs from the command set',
} as const;

/** An anomaly name. */
export type DicomAnomaly = keyof typeof DICOM_ANOMALIES;

/** Result of a parser: the value, or why the bytes are not that message. */
export type DicomParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Code tables

/** Presentation context results (PS3.8 §9.3.3.2 Table 9-18). */
export const CONTEXT_RESULTS: Readonly<Record<number, string>> = {
  0: 'acceptance',
  1: 'user-rejection',
  2: 'no-reason',
  3: 'abstract-syntax-not-supported',
  4: 'transfer-syntaxes-not-supported',
};

/** A-ASSOCIATE-RJ results (PS3.8 §9.3.4 Table 9-21). */
export const REJECT_RESULTS: Readonly<Record<number, string>> = { 1: 'rejected-permanent', 2: 'rejected-transient' };
/** A-ASSOCIATE-RJ sources (Table 9-21). */
export const REJECT_SOURCES: Readonly<Record<number, string>> = {
  1: 'service-user',
  2: 'service-provider-acse',
  3: 'service-provider-presentation',
};
/** A-ASSOCIATE-RJ reasons by source (Table 9-21). */
export const REJECT_REASONS: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: { 1: 'no-reason-given', 2: 'application-context-name-not-supported', 3: 'calling-ae-title-not-recognized', 7: 'called-ae-title-not-recognized' },
  2: { 1: 'no-reason-given', 2: 'protocol-version-not-supported' },
  3: { 1: 'temporary-congestion', 2: 'local-limit-exceeded' },
};
/** A-ABORT sources (PS3.8 §9.3.8 Table 9-26). */
export const ABORT_SOURCES: Readonly<Record<number, string>> = { 0: 'service-user', 2: 'service-provider' };
/** A-ABORT reasons when the source is the service provider (Table 9-26). */
export const ABORT_REASONS: Readonly<Record<number, string>> = {
  0: 'reason-not-specified',
  1: 'unrecognized-pdu',
  2: 'unexpected-pdu',
  4: 'unrecognized-pdu-parameter',
  5: 'unexpected-pdu-parameter',
  6: 'invalid-pdu-parameter-value',
};
/** User identity types (PS3.7 D.3.3.7.1 Table D.3-14). */
export const USER_IDENTITY_TYPES: Readonly<Record<number, string>> = {
  1: 'username',
  2: 'username-passcode',
  3: 'kerberos',
  4: 'saml',
  5: 'jwt',
};

/** DIMSE command field values (PS3.7 Annex E, Tables E.1-1 and E.2-1). */
export const COMMAND_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'C-STORE-RQ', 0x8001: 'C-STORE-RSP',
  0x0010: 'C-GET-RQ', 0x8010: 'C-GET-RSP',
  0x0020: 'C-FIND-RQ', 0x8020: 'C-FIND-RSP',
  0x0021: 'C-MOVE-RQ', 0x8021: 'C-MOVE-RSP',
  0x0030: 'C-ECHO-RQ', 0x8030: 'C-ECHO-RSP',
  0x0100: 'N-EVENT-REPORT-RQ', 0x8100: 'N-EVENT-REPORT-RSP',
  0x0110: 'N-GET-RQ', 0x8110: 'N-GET-RSP',
  0x0120: 'N-SET-RQ', 0x8120: 'N-SET-RSP',
  0x0130: 'N-ACTION-RQ', 0x8130: 'N-ACTION-RSP',
  0x0140: 'N-CREATE-RQ', 0x8140: 'N-CREATE-RSP',
  0x0150: 'N-DELETE-RQ', 0x8150: 'N-DELETE-RSP',
  0x0fff: 'C-CANCEL-RQ',
};

/** The class of a DIMSE status (PS3.7 Annex C): success, pending, cancel, warning or failure. */
export function statusCategory(status: number): 'success' | 'pending' | 'cancel' | 'warning' | 'failure' {
  if (status === 0x0000) return 'success';
  if (status === 0xff00 || status === 0xff01) return 'pending';
  if (status === 0xfe00) return 'cancel';
  if (status === 0x0001 || status === 0x0107 || status === 0x0116 || (status >= 0xb000 && status <= 0xbfff)) return 'warning';
  return 'failure';
}

// ---------------------------------------------------------------------------------------------------------------
// Byte helpers

const be16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const be32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
const le16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + ((b[o + 3]! << 24) >>> 0);
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** A PDU header: its type and the length of what follows it. */
export interface PduHeader {
  type: number;
  length: number;
}

/** The PDU header at b[off] (at least PDU_HEADER_BYTES must be available; the caller checks). */
export function readPduHeader(b: Uint8Array, off: number): PduHeader {
  return { type: b[off]!, length: be32(b, off + 2) };
}

/**
 * A UID of b[start, end): trailing NUL/space padding removed (`padded_uid:<field>`), checked against PS3.5 §9.1
 * (`bad_uid:<field>`), text-escaped.
 */
function readUid(b: Uint8Array, start: number, end: number, field: string, anomalies: string[], element = false): string {
  let e = end;
  // In a data element (command set) an odd-length UID is padded with one NUL (PS3.5 §9.1): not an anomaly there.
  if (element && (end - start) % 2 === 0 && e > start && b[e - 1] === 0) e--;
  const unpadded = e;
  while (e > start && (b[e - 1] === 0 || b[e - 1] === 0x20)) e--;
  if (e !== unpadded) anomalies.push(`padded_uid:${field}`);
  const s = decodeWireText(b, start, Math.min(e, start + 4 * MAX_UID_BYTES));
  if (e - start === 0 || e - start > MAX_UID_BYTES || !/^[0-9]+(\.[0-9]+)*$/.test(s)) anomalies.push(`bad_uid:${field}`);
  return s;
}

/** An AE title (16 bytes, PS3.5 §6.2 AE): leading and trailing spaces (and NUL padding) removed, text-escaped. */
function readAeTitle(b: Uint8Array, start: number, field: string, anomalies: string[]): string {
  let s = start;
  let e = start + 16;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if ((c < 0x20 || c > 0x7e) && c !== 0) {
      anomalies.push(`bad_ae_title:${field}`);
      break;
    }
  }
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
  while (s < e && b[s] === 0x20) s++;
  return decodeWireText(b, s, e);
}

// ---------------------------------------------------------------------------------------------------------------
// A-ASSOCIATE-RQ / -AC

/** One presentation context item (20H in a request, 21H in an acceptance). */
export interface PresentationContext {
  /** Presentation context ID (odd, 1–255). */
  id: number;
  /** The abstract syntax (SOP class UID) proposed; null in an A-ASSOCIATE-AC. */
  abstract_syntax: string | null;
  /** Transfer syntaxes proposed (RQ), or the one accepted (AC; none when the context is rejected). */
  transfer_syntaxes: string[];
  /** Result/reason code (AC only, Table 9-18), null in a request. */
  result: number | null;
  /** Its name (`acceptance`, `user-rejection`, …), or null. */
  result_name: string | null;
}

/** One SCP/SCU role selection sub-item (54H, PS3.7 D.3.3.4). */
export interface RoleSelection {
  sop_class: string;
  /** SCU role: in a request 1 = the requestor proposes to act as SCU; in an acceptance 1 = accepted. */
  scu_role: number;
  /** SCP role, likewise. */
  scp_role: number;
}

/** The user identity negotiation sub-item (58H, PS3.7 D.3.3.7.1): type and lengths only, never the fields. */
export interface UserIdentity {
  /** 1 username, 2 username + passcode, 3 Kerberos, 4 SAML, 5 JWT. */
  type: number;
  /** Its name, or null for a type not in the table. */
  type_name: string | null;
  positive_response_requested: boolean;
  /** Bytes of the primary field (user name, ticket, assertion or token). */
  primary_length: number;
  /** Bytes of the secondary field (the passcode of type 2). */
  secondary_length: number;
  /** True when a user name or a passcode travels in clear (types 1 and 2). */
  cleartext: boolean;
  /**
   * Type 2 whose user name and passcode are a pair of the default-credential list (tested when read,
   * src/protocols/default-credential-check.ts): the user name of that public pair, else null. The passcode is never
   * returned.
   */
  default_credential_user: string | null;
}

/** A decoded A-ASSOCIATE-RQ or A-ASSOCIATE-AC PDU. */
export interface AssociatePdu {
  pdu_type: 1 | 2;
  /** Protocol version bit string (0x0001). */
  protocol_version: number;
  /** Called AE title, spaces trimmed (in an AC, the value echoed from the request). */
  called_ae: string;
  /** Calling AE title, spaces trimmed. */
  calling_ae: string;
  application_context: string | null;
  presentation_contexts: PresentationContext[];
  /** Maximum PDU length the sender can receive (51H; 0 = no limit), or null when absent. */
  max_pdu_length: number | null;
  implementation_class_uid: string | null;
  implementation_version: string | null;
  /** Asynchronous operations window (53H): operations invoked / performed, or null when absent. */
  async_ops_invoked: number | null;
  async_ops_performed: number | null;
  role_selections: RoleSelection[];
  /** SOP classes of SOP class extended negotiation sub-items (56H). */
  extended_negotiations: string[];
  /** SOP classes of SOP class common extended negotiation sub-items (57H, requests only). */
  common_extended_negotiations: string[];
  /** User identity negotiation request (58H), or null. */
  user_identity: UserIdentity | null;
  /** Bytes of the server response of a user identity acceptance (59H), or null when absent. */
  user_identity_response_length: number | null;
  anomalies: string[];
}

/** Iterates the items of b[start, end): calls `each(type, bodyStart, bodyEnd)`; an overrun stops with an anomaly. */
function forEachItem(b: Uint8Array, start: number, end: number, anomalies: string[], each: (type: number, s: number, e: number) => void): void {
  let o = start;
  while (o < end) {
    if (end - o < 4) {
      anomalies.push('item_overrun:header');
      return;
    }
    const type = b[o]!;
    const len = be16(b, o + 2);
    if (o + 4 + len > end) {
      anomalies.push(`item_overrun:${hex2(type)}`);
      return;
    }
    each(type, o + 4, o + 4 + len);
    o += 4 + len;
  }
}

/** The body of a request presentation context item (20H, PS3.8 §9.3.2.2). */
function readRqContext(b: Uint8Array, s: number, e: number, anomalies: string[]): PresentationContext {
  const pc: PresentationContext = { id: b[s]!, abstract_syntax: null, transfer_syntaxes: [], result: null, result_name: null };
  forEachItem(b, s + 4, e, anomalies, (t, is, ie) => {
    if (t === 0x30) {
      if (pc.abstract_syntax !== null) anomalies.push(`bad_presentation_context:${pc.id}`);
      else pc.abstract_syntax = readUid(b, is, ie, 'abstract_syntax', anomalies);
    } else if (t === 0x40) {
      if (pc.transfer_syntaxes.length >= MAX_TRANSFER_SYNTAXES) anomalies.push('too_many_items:0x40');
      else pc.transfer_syntaxes.push(readUid(b, is, ie, 'transfer_syntax', anomalies));
    } else anomalies.push(`unknown_item:${hex2(t)}`);
  });
  if (pc.abstract_syntax === null || pc.transfer_syntaxes.length === 0) anomalies.push(`bad_presentation_context:${pc.id}`);
  return pc;
}

/** The body of an acceptance presentation context item (21H, PS3.8 §9.3.3.2). */
function readAcContext(b: Uint8Array, s: number, e: number, anomalies: string[]): PresentationContext {
  const result = b[s + 2]!;
  const pc: PresentationContext = { id: b[s]!, abstract_syntax: null, transfer_syntaxes: [], result, result_name: CONTEXT_RESULTS[result] ?? null };
  if (pc.result_name === null) anomalies.push('unknown_code:context_result');
  forEachItem(b, s + 4, e, anomalies, (t, is, ie) => {
    if (t === 0x40) {
      if (pc.transfer_syntaxes.length > 0) anomalies.push(`bad_presentation_context:${pc.id}`);
      else pc.transfer_syntaxes.push(readUid(b, is, ie, 'transfer_syntax', anomalies));
    } else anomalies.push(`unknown_item:${hex2(t)}`);
  });
  if (result === 0 && pc.transfer_syntaxes.length === 0) anomalies.push(`bad_presentation_context:${pc.id}`);
  return pc;
}

/** A 2-byte-length-prefixed UID at b[s] within e: [uid, end of it], or null when cut. */
function lengthPrefixedUid(b: Uint8Array, s: number, e: number, field: string, anomalies: string[]): [string, number] | null {
  if (e - s < 2) return null;
  const n = be16(b, s);
  if (s + 2 + n > e) return null;
  return [readUid(b, s + 2, s + 2 + n, field, anomalies), s + 2 + n];
}

/** The user identity request sub-item (58H): type, flag and lengths (the fields themselves are not read). */
function readUserIdentity(b: Uint8Array, s: number, e: number, anomalies: string[]): UserIdentity | null {
  if (e - s < 4) {
    anomalies.push('bad_item_length:0x58');
    return null;
  }
  const type = b[s]!;
  const primary = be16(b, s + 2);
  let secondary = 0;
  const afterPrimary = s + 4 + primary;
  if (afterPrimary + 2 <= e) secondary = be16(b, afterPrimary);
  if (afterPrimary + 2 > e || afterPrimary + 2 + secondary !== e) anomalies.push('bad_item_length:0x58');
  const name = USER_IDENTITY_TYPES[type] ?? null;
  if (name === null) anomalies.push('unknown_identity_type');
  let defaultUser: string | null = null;
  if (type === 2 && afterPrimary + 2 + secondary === e && primary <= MAX_CHECKED_PASSWORD_BYTES) {
    const user = decodeWireText(b, s + 4, afterPrimary, true);
    if (isDefaultPasswordBytes(user, b, afterPrimary + 2, e)) defaultUser = user;
  }
  return { type, type_name: name, positive_response_requested: b[s + 1] === 1, primary_length: primary, secondary_length: secondary,
    cleartext: type === 1 || type === 2, default_credential_user: defaultUser };
}

/** Reads one user information sub-item into `a`. */
function readUserInfoSubItem(a: AssociatePdu, b: Uint8Array, t: number, s: number, e: number, seen: Set<number>): void {
  const an = a.anomalies;
  const once = (): boolean => {
    if (seen.has(t)) {
      an.push(`duplicate_item:${hex2(t)}`);
      return false;
    }
    seen.add(t);
    return true;
  };
  switch (t) {
    case 0x51:
      if (e - s !== 4) an.push('bad_item_length:0x51');
      else if (once()) a.max_pdu_length = be32(b, s);
      return;
    case 0x52:
      if (once()) a.implementation_class_uid = readUid(b, s, e, 'implementation_class_uid', an);
      return;
    case 0x55:
      if (e - s > MAX_VERSION_NAME_BYTES || e === s) an.push('bad_item_length:0x55');
      if (once()) a.implementation_version = decodeWireText(b, s, Math.min(e, s + 4 * MAX_VERSION_NAME_BYTES)).replace(/[ ]+$/, '');
      return;
    case 0x53:
      if (e - s !== 4) an.push('bad_item_length:0x53');
      else if (once()) {
        a.async_ops_invoked = be16(b, s);
        a.async_ops_performed = be16(b, s + 2);
      }
      return;
    case 0x54: {
      const r = lengthPrefixedUid(b, s, e, 'role_sop_class', an);
      if (r === null || r[1] + 2 !== e) an.push('bad_item_length:0x54');
      else if (a.role_selections.length >= MAX_NEGOTIATIONS) an.push('too_many_items:0x54');
      else a.role_selections.push({ sop_class: r[0], scu_role: b[r[1]]!, scp_role: b[r[1] + 1]! });
      return;
    }
    case 0x56:
    case 0x57: {
      const r = lengthPrefixedUid(b, s, e, 'negotiation_sop_class', an);
      const list = t === 0x56 ? a.extended_negotiations : a.common_extended_negotiations;
      if (r === null) an.push(`bad_item_length:${hex2(t)}`);
      else if (list.length >= MAX_NEGOTIATIONS) an.push(`too_many_items:${hex2(t)}`);
      else list.push(r[0]);
      return;
    }
    case 0x58:
      if (once()) a.user_identity = readUserIdentity(b, s, e, an);
      return;
    case 0x59:
      if (e - s < 2 || s + 2 + be16(b, s) !== e) an.push('bad_item_length:0x59');
      else if (once()) a.user_identity_response_length = be16(b, s);
      return;
    default:
      an.push(`unknown_item:${hex2(t)}`);
  }
}

/**
 * Parses an A-ASSOCIATE-RQ or A-ASSOCIATE-AC PDU in b[off, off+len), header included (PS3.8 §9.3.2, §9.3.3).
 * Fails only when the bytes are not one (wrong type, shorter than the 74-byte fixed part); anything malformed in
 * the variable items is an anomaly.
 */
export function parseAssociate(b: Uint8Array, off: number, len: number): DicomParseResult<AssociatePdu> {
  if (off < 0 || len < 0 || off + len > b.length) return { ok: false, error: 'bad_bounds' };
  if (len < 74) return { ok: false, error: 'truncated' };
  const type = b[off]!;
  if (type !== 1 && type !== 2) return { ok: false, error: 'not_associate' };
  const a: AssociatePdu = {
    pdu_type: type,
    protocol_version: be16(b, off + 6),
    called_ae: '',
    calling_ae: '',
    application_context: null,
    presentation_contexts: [],
    max_pdu_length: null,
    implementation_class_uid: null,
    implementation_version: null,
    async_ops_invoked: null,
    async_ops_performed: null,
    role_selections: [],
    extended_negotiations: [],
    common_extended_negotiations: [],
    user_identity: null,
    user_identity_response_length: null,
    anomalies: [],
  };
  const an = a.anomalies;
  const end = off + len;
  if (PDU_HEADER_BYTES + be32(b, off + 2) !== len) an.push('pdu_length_mismatch');
  if ((a.protocol_version & 1) === 0) an.push('bad_protocol_version');
  a.called_ae = readAeTitle(b, off + 10, 'called', an);
  a.calling_ae = readAeTitle(b, off + 26, 'calling', an);
  const seen = new Set<number>();
  forEachItem(b, off + 74, end, an, (t, s, e) => {
    if (t === 0x10) {
      if (seen.has(t)) an.push('duplicate_item:0x10');
      else a.application_context = readUid(b, s, e, 'application_context', an);
      seen.add(t);
    } else if (t === (type === 1 ? 0x20 : 0x21)) {
      if (e - s < 4) an.push(`bad_item_length:${hex2(t)}`);
      else if (a.presentation_contexts.length >= MAX_PRESENTATION_CONTEXTS) an.push(`too_many_items:${hex2(t)}`);
      else {
        const pc = type === 1 ? readRqContext(b, s, e, an) : readAcContext(b, s, e, an);
        if (pc.id % 2 === 0) an.push(`bad_context_id:${pc.id}`);
        a.presentation_contexts.push(pc);
      }
    } else if (t === 0x50) {
      if (seen.has(t)) an.push('duplicate_item:0x50');
      else {
        const sub = new Set<number>();
        forEachItem(b, s, e, an, (st, ss, se) => readUserInfoSubItem(a, b, st, ss, se, sub));
      }
      seen.add(t);
    } else an.push(`unknown_item:${hex2(t)}`);
  });
  if (a.application_context === null) an.push('missing_item:0x10');
  else if (a.application_context !== DICOM_APPLICATION_CONTEXT) an.push('unknown_application_context');
  if (type === 1 && a.presentation_contexts.length === 0) an.push('missing_item:0x20');
  if (!seen.has(0x50)) an.push('missing_item:0x50');
  return { ok: true, value: a };
}

// ---------------------------------------------------------------------------------------------------------------
// A-ASSOCIATE-RJ, A-ABORT, A-RELEASE

/** A decoded A-ASSOCIATE-RJ (PS3.8 §9.3.4). */
export interface RejectPdu {
  result: number;
  result_name: string | null;
  source: number;
  source_name: string | null;
  reason: number;
  reason_name: string | null;
  anomalies: string[];
}

/** A decoded A-ABORT (PS3.8 §9.3.8). */
export interface AbortPdu {
  source: number;
  source_name: string | null;
  /** Reason/diagnostic (meaningful when the source is the service provider). */
  reason: number;
  reason_name: string | null;
  anomalies: string[];
}

/** Checks that b[off, off+len) is an RJ / release / abort PDU of `type` (fixed 4-byte body); its anomalies so far. */
function shortPdu(b: Uint8Array, off: number, len: number, type: number): DicomParseResult<string[]> {
  if (off < 0 || len < 0 || off + len > b.length) return { ok: false, error: 'bad_bounds' };
  if (len < PDU_HEADER_BYTES + 4) return { ok: false, error: 'truncated' };
  if (b[off] !== type) return { ok: false, error: 'wrong_pdu_type' };
  const anomalies: string[] = [];
  if (be32(b, off + 2) !== 4 || len !== PDU_HEADER_BYTES + 4) anomalies.push('pdu_length_mismatch');
  return { ok: true, value: anomalies };
}

/** Parses an A-ASSOCIATE-RJ PDU in b[off, off+len), header included. */
export function parseReject(b: Uint8Array, off: number, len: number): DicomParseResult<RejectPdu> {
  const start = shortPdu(b, off, len, PDU_TYPE.ASSOCIATE_RJ);
  if (!start.ok) return start;
  const anomalies = start.value;
  const result = b[off + 7]!;
  const source = b[off + 8]!;
  const reason = b[off + 9]!;
  const v: RejectPdu = {
    result,
    result_name: REJECT_RESULTS[result] ?? null,
    source,
    source_name: REJECT_SOURCES[source] ?? null,
    reason,
    reason_name: REJECT_REASONS[source]?.[reason] ?? null,
    anomalies,
  };
  if (v.result_name === null) anomalies.push('unknown_code:reject_result');
  if (v.source_name === null) anomalies.push('unknown_code:reject_source');
  else if (v.reason_name === null) anomalies.push('unknown_code:reject_reason');
  return { ok: true, value: v };
}

/** Parses an A-ABORT PDU in b[off, off+len), header included. */
export function parseAbort(b: Uint8Array, off: number, len: number): DicomParseResult<AbortPdu> {
  const start = shortPdu(b, off, len, PDU_TYPE.ABORT);
  if (!start.ok) return start;
  const anomalies = start.value;
  const source = b[off + 8]!;
  const reason = b[off + 9]!;
  const v: AbortPdu = {
    source,
    source_name: ABORT_SOURCES[source] ?? null,
    reason,
    reason_name: source === 2 ? (ABORT_REASONS[reason] ?? null) : null,
    anomalies,
  };
  if (v.source_name === null) anomalies.push('unknown_code:abort_source');
  else if (source === 2 && v.reason_name === null) anomalies.push('unknown_code:abort_reason');
  return { ok: true, value: v };
}

/** A decoded A-RELEASE-RQ or A-RELEASE-RP (PS3.8 §9.3.6, §9.3.7): nothing but anomalies. */
export interface ReleasePdu {
  pdu_type: 5 | 6;
  anomalies: string[];
}

/** Parses an A-RELEASE-RQ or -RP PDU in b[off, off+len), header included. */
export function parseRelease(b: Uint8Array, off: number, len: number): DicomParseResult<ReleasePdu> {
  if (off < 0 || len < 1 || off + len > b.length) return { ok: false, error: len === 0 ? 'truncated' : 'bad_bounds' };
  const type = b[off];
  if (type !== 5 && type !== 6) return { ok: false, error: 'wrong_pdu_type' };
  const start = shortPdu(b, off, len, type);
  if (!start.ok) return start;
  return { ok: true, value: { pdu_type: type, anomalies: start.value } };
}

// ---------------------------------------------------------------------------------------------------------------
// P-DATA-TF

/** Bytes of a PDV item header: 4-byte length, context ID, message control header (PS3.8 §9.3.5.1). */
export const PDV_HEADER_BYTES = 6;

/** One presentation-data-value item of a P-DATA-TF. */
export interface Pdv {
  context_id: number;
  /** Message control header bit 0: a command fragment (else a data-set fragment). */
  command: boolean;
  /** Bit 1: the last fragment of its command or data set. */
  last: boolean;
  /** Bytes of the fragment (the item length less the 2-byte header). */
  length: number;
  /** Where the fragment starts, counted from the start of the PDU. */
  value_offset: number;
}

/** A decoded P-DATA-TF PDU (parsed whole; the analyzer streams instead). */
export interface PDataPdu {
  pdvs: Pdv[];
  anomalies: string[];
}

/**
 * The PDV item header at b[o] (PDV_HEADER_BYTES available): the item length, context ID and control bits.
 * Exported for the analyzer's streaming reader.
 */
export function readPdvHeader(b: Uint8Array, o: number): { itemLength: number; contextId: number; control: number } {
  return { itemLength: be32(b, o), contextId: b[o + 4]!, control: b[o + 5]! };
}

/** Parses a whole P-DATA-TF PDU in b[off, off+len), header included (PS3.8 §9.3.5). */
export function parsePData(b: Uint8Array, off: number, len: number): DicomParseResult<PDataPdu> {
  if (off < 0 || len < 0 || off + len > b.length) return { ok: false, error: 'bad_bounds' };
  if (len < PDU_HEADER_BYTES) return { ok: false, error: 'truncated' };
  if (b[off] !== PDU_TYPE.P_DATA_TF) return { ok: false, error: 'wrong_pdu_type' };
  const anomalies: string[] = [];
  if (PDU_HEADER_BYTES + be32(b, off + 2) !== len) anomalies.push('pdu_length_mismatch');
  const pdvs: Pdv[] = [];
  const end = off + len;
  let o = off + PDU_HEADER_BYTES;
  while (o < end) {
    if (end - o < PDV_HEADER_BYTES) {
      anomalies.push('bad_pdv_length');
      break;
    }
    const h = readPdvHeader(b, o);
    if (h.itemLength < 2 || o + 4 + h.itemLength > end) {
      anomalies.push('bad_pdv_length');
      break;
    }
    if (h.control & 0xfc) anomalies.push('bad_pdv_flags');
    if (h.itemLength % 2) anomalies.push('odd_pdv_length');
    pdvs.push({ context_id: h.contextId, command: (h.control & 1) !== 0, last: (h.control & 2) !== 0, length: h.itemLength - 2, value_offset: o + PDV_HEADER_BYTES - off });
    o += 4 + h.itemLength;
  }
  if (pdvs.length === 0) anomalies.push('empty_pdata');
  return { ok: true, value: { pdvs, anomalies } };
}

// ---------------------------------------------------------------------------------------------------------------
// DIMSE command set

/** The fields of a DIMSE command set that describe the operation (PS3.7 §9.3, §10.3, Annex E). */
export interface DimseCommand {
  /** (0000,0100) Command Field. */
  command_field: number | null;
  /** Its name (`C-STORE-RQ`, …), or null. */
  command: string | null;
  /** (0000,0002) Affected SOP Class UID. */
  affected_sop_class: string | null;
  /** (0000,0003) Requested SOP Class UID (N-GET/N-SET/N-ACTION/N-DELETE requests). */
  requested_sop_class: string | null;
  /** (0000,0110) Message ID. */
  message_id: number | null;
  /** (0000,0120) Message ID Being Responded To. */
  responded_to_id: number | null;
  /** (0000,0700) Priority. */
  priority: number | null;
  /** (0000,0800) Command Data Set Type; 0x0101 means no data set follows. */
  data_set_type: number | null;
  /** (0000,0900) Status (responses). */
  status: number | null;
  /** (0000,0600) Move Destination AE title (C-MOVE requests). */
  move_destination: string | null;
  /** (0000,1020…1023) sub-operation counters (C-GET/C-MOVE responses). */
  remaining: number | null;
  completed: number | null;
  failed: number | null;
  warning: number | null;
  anomalies: string[];
}

/** US (2-byte) command elements by element number → DimseCommand field. */
const US_ELEMENTS: Readonly<Record<number, keyof DimseCommand>> = {
  0x0100: 'command_field',
  0x0110: 'message_id',
  0x0120: 'responded_to_id',
  0x0700: 'priority',
  0x0800: 'data_set_type',
  0x0900: 'status',
  0x1020: 'remaining',
  0x1021: 'completed',
  0x1022: 'failed',
  0x1023: 'warning',
};

/** Stores the value of command element (0000,`el`) at b[s, e) in `c`. */
function readCommandElement(c: DimseCommand, b: Uint8Array, el: number, s: number, e: number): void {
  const us = US_ELEMENTS[el];
  if (us !== undefined) {
    if (e - s !== 2) c.anomalies.push(`bad_command_value:0000,${hex4(el)}`);
    else (c as unknown as Record<string, number>)[us] = le16(b, s);
  } else if (el === 0x0002) c.affected_sop_class = readUid(b, s, e, 'affected_sop_class', c.anomalies, true);
  else if (el === 0x0003) c.requested_sop_class = readUid(b, s, e, 'requested_sop_class', c.anomalies, true);
  else if (el === 0x0600) c.move_destination = decodeWireText(b, s, Math.min(e, s + 16)).trim();
}

/**
 * Parses a DIMSE command set (a whole reassembled command: every command fragment of one message) in
 * b[off, off+len): implicit VR little-endian elements of group 0000 (PS3.7 §6.3.1). Fails on bytes that are not a
 * command set (empty, or no element of group 0000 first).
 */
export function parseCommandSet(b: Uint8Array, off: number, len: number): DicomParseResult<DimseCommand> {
  if (off < 0 || len < 0 || off + len > b.length) return { ok: false, error: 'bad_bounds' };
  if (len < 8 || le16(b, off) !== 0) return { ok: false, error: 'not_command_set' };
  const c: DimseCommand = {
    command_field: null, command: null, affected_sop_class: null, requested_sop_class: null, message_id: null,
    responded_to_id: null, priority: null, data_set_type: null, status: null, move_destination: null,
    remaining: null, completed: null, failed: null, warning: null, anomalies: [],
  };
  const end = off + Math.min(len, MAX_COMMAND_SET);
  let groupLength: number | null = null;
  let groupStart = off;
  let o = off;
  while (o < end) {
    if (end - o < 8) {
      c.anomalies.push('bad_command_element:header');
      break;
    }
    const group = le16(b, o);
    const el = le16(b, o + 2);
    const vl = le32(b, o + 4);
    if (group !== 0 || vl > end - o - 8) {
      c.anomalies.push(`bad_command_element:${hex4(group)},${hex4(el)}`);
      break;
    }
    if (el === 0x0000) {
      if (vl === 4) groupLength = le32(b, o + 8);
      else c.anomalies.push('bad_command_value:0000,0000');
      groupStart = o + 8 + vl;
    } else readCommandElement(c, b, el, o + 8, o + 8 + vl);
    o += 8 + vl;
  }
  if (groupLength !== null && groupLength !== end - groupStart) c.anomalies.push('group_length_mismatch');
  if (c.command_field === null) c.anomalies.push('missing_command_field');
  else {
    c.command = COMMAND_NAMES[c.command_field] ?? null;
    if (c.command === null) c.anomalies.push('unknown_command');
  }
  return { ok: true, value: c };
}
