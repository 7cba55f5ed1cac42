/**
 * Philips IntelliVue Data Export message parser: one UDP payload (24005 Connect Indication, 24105 association and
 * data export) → a flat `IntellivueMessage` record. Pure: no state, no I/O, never throws, never reads outside
 * b[off, off+len).
 *
 * Spec: Philips "IntelliVue Patient Monitor Data Export Interface Programming Guide" (the "guide"):
 * - "Connect Indication": Nomenclature (4 bytes), ROapdus (ROIV), ROIVapdu (CMD_EVENT_REPORT), EventReportArgument
 *   (NOM_NOTI_CONN_INDIC), ConnectIndInfo (an AttributeList: System Type, Production Specification, System
 *   Localization, Protocol Support, IP Address Information, …), broadcast by the monitor;
 * - "Definition of the Association Control Protocol": a Session Header (type CN/AC/RF/FN/DN/AB_SPDU_SI and an LI:
 *   one byte, or 0xFF and two bytes), session and presentation data (ASN.1 BER), and in the association request and
 *   response the user data MDSEUserInfoStd (protocol version, nomenclature version, functional units, system type,
 *   startup mode, option list, supported application profiles: Poll Profile Support and its Poll Profile Extensions);
 *   the user data is the octet-aligned [1] encoding of the EXTERNAL in the user-information [30] element;
 * - "Definition of the Data Export Protocol": SPpdu (session_id 0xE100, p_context_id), ROapdus (ROIV, RORS, ROER,
 *   ROLRS), ROIVapdu / RORSapdu / ROERapdu / ROLRSapdu, the command types (CMD_EVENT_REPORT, CMD_CONFIRMED_EVENT_REPORT,
 *   CMD_GET, CMD_SET, CMD_CONFIRMED_SET, CMD_CONFIRMED_ACTION), EventReportArgument / EventReportResult,
 *   GetArgument / GetResult, SetArgument / SetResult, ActionArgument / ActionResult;
 * - "MDS Create Event" (MdsCreateInfo: managed object and its AttributeList), "Single Poll Data Request/Result"
 *   (PollMdibDataReq / PollMdibDataReply), "Extended Poll Data Request/Result" (…Ext, with sequence_no);
 * - attribute types in attributes.ts.
 *
 * The message kind is recognised from the first byte: 0xE1 data export, a session header type, else a Connect
 * Indication (nomenclature then ro_type ROIV). Decoding stops at the level of message kinds, operations, poll object
 * types and counts, MDS identity attributes, and the KINDS of patient demographics present — never a patient value or a
 * measurement.
 */
import { emptySystem, hex32, type IntellivueSystem, patientAttributeKind, readSystemAttribute, u16, u32, walkAttributeList } from './attributes.js';

export type { IntellivueProdSpec, IntellivueProtocolEntry, IntellivueSystem } from './attributes.js';

/** Largest payload parsed; longer input is cut here. */
export const MAX_INTELLIVUE_MESSAGE_BYTES = 65_535;
/** Most naming contexts walked in one poll result. */
export const MAX_INTELLIVUE_POLL_CONTEXTS = 64;
/** Most observation objects walked in one poll result (all contexts). */
export const MAX_INTELLIVUE_POLL_OBJECTS = 1024;
/** Most bytes searched for the user-information element of an association message. */
export const MAX_INTELLIVUE_PRESENTATION_BYTES = 1024;

/** Anomaly names. An entry of `anomalies` is one of these. */
export const INTELLIVUE_ANOMALIES = {
  /** The payload was longer than MAX_INTELLIVUE_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_INTELLIVUE_MESSAGE_BYTES, cut',
  /** A length field (session LI, ROapdus, command header, argument) runs past the payload; decoding stops there. */
  truncated: 'a declared length runs past the payload',
  /** Bytes after the length a header declares. */
  trailing_bytes: 'bytes after the declared message length',
  /** A data export message whose session_id is not 0xE100. */
  bad_session_id: 'session_id is not 0xE100',
  /** ro_type not 1, 2, 3 or 5. */
  unknown_ro_type: 'unknown remote operation type',
  /** command_type not 0, 1, 3, 4, 5 or 7. */
  unknown_command: 'unknown command type',
  /** An AttributeList whose count or length disagrees with its entries, or runs past its container. */
  bad_attribute_list: 'attribute list count/length inconsistent',
  /** More than MAX_INTELLIVUE_ATTRIBUTES attributes in one list. */
  too_many_attributes: 'more than MAX_INTELLIVUE_ATTRIBUTES attributes',
  /** An attribute value shorter than its type needs, or a list inside it that overruns. */
  bad_attribute_value: 'attribute value malformed',
  /** An association request/response whose user data cannot be found or decoded. */
  bad_user_data: 'association user data missing or malformed',
  /** A poll result whose poll info list is malformed, or larger than the MAX_INTELLIVUE_POLL_* limits. */
  bad_poll_list: 'poll info list malformed or over limits',
} as const;

/** An anomaly name. */
export type IntellivueAnomaly = keyof typeof INTELLIVUE_ANOMALIES;

/** Session header types (guide: SessionHeader.type) → message kind. */
export const INTELLIVUE_SPDU_TYPES: Readonly<Record<number, string>> = {
  0x0d: 'association_request', // CN_SPDU_SI
  0x0e: 'association_response', // AC_SPDU_SI
  0x0c: 'refuse', // RF_SPDU_SI
  0x09: 'release_request', // FN_SPDU_SI
  0x0a: 'release_response', // DN_SPDU_SI
  0x19: 'abort', // AB_SPDU_SI
};

/** ro_type → name (guide: ROapdus). */
const RO_TYPES: Readonly<Record<number, string>> = { 1: 'invoke', 2: 'result', 3: 'error', 5: 'linked_result' };
/** command_type → name (guide: CMDType). */
const COMMANDS: Readonly<Record<number, string>> = { 0: 'event_report', 1: 'confirmed_event_report', 3: 'get', 4: 'set', 5: 'confirmed_set', 7: 'confirmed_action' };
/** RorlsId.state → name. */
const LINKED_STATES: Readonly<Record<number, string>> = { 1: 'first', 2: 'not_first_not_last', 3: 'last' };

/** Event and action types (guide: NOM_NOTI_*, NOM_ACT_*). */
const NOM_NOTI_MDS_CREAT = 0x0d06;
const NOM_NOTI_CONN_INDIC = 0x0d17;
const NOM_ACT_POLL_MDIB_DATA = 0x0c16;
const NOM_ACT_POLL_MDIB_DATA_EXT = 0xf13b;

/** Object classes of the MDS (NOM_MOC_VMS_MDS, …_COMPOS_SINGLE_BED, …_SIMP): their attributes describe the monitor. */
const MDS_CLASSES: ReadonlySet<number> = new Set([33, 35, 37]);
/** Polled object types (guide: PollMdibDataReq.polled_obj_type, partition NOM_PART_OBJ) → name. */
const POLL_OBJECT_TYPES: Readonly<Record<number, string>> = { 6: 'numeric', 9: 'wave', 54: 'alarm', 42: 'patient_demographics', 33: 'mds', 5: 'enumeration' };

/** A poll request or result (single or extended). Counts are null in a request. */
export interface IntellivuePoll {
  /** 'poll' (NOM_ACT_POLL_MDIB_DATA) or 'poll_ext' (NOM_ACT_POLL_MDIB_DATA_EXT). */
  action: string;
  poll_number: number;
  /** Extended poll results only. */
  sequence_no: number | null;
  /** numeric, wave, alarm, patient_demographics, mds, enumeration, or `other`. */
  obj_type: string;
  /** The polled object class code (partition 1). */
  obj_code: number;
  /** The attribute group polled (0 all). */
  attr_group: number;
  contexts: number | null;
  objects: number | null;
  attributes: number | null;
}

/** The MDSEUserInfoStd of an association request or response. */
export interface IntellivueAssociation {
  /** Protocol version bits, 8 hex digits (80000000 = MDDL_VERSION1). */
  protocol_version: string;
  /** Nomenclature version bits, 8 hex digits (40000000 = NOMEN_VERSION). */
  nomenclature_version: string;
  functional_units: string;
  /** 'client' (SYST_CLIENT), 'server' (SYST_SERVER), else the 8 hex digits. */
  system_type: string;
  /** 'hot', 'warm', 'cold', else the 8 hex digits. */
  startup_mode: string;
  /** Supported application profiles: 'poll' (Poll Profile Support), 'poll_ext' (its extensions package), else `0xNNNN`. */
  profiles: string[];
  /** Poll Profile Support: minimum poll period in ms (RelativeTime / 8), MTUs. */
  min_poll_period_ms: number | null;
  max_mtu_rx: number | null;
  max_mtu_tx: number | null;
  /** Poll Profile Extensions options bits, 8 hex digits. */
  poll_ext_options: string | null;
}

/** One decoded IntelliVue message. Fields a message kind does not have are null. */
export interface IntellivueMessage {
  /** connect_indication, association_request, association_response, refuse, release_request, release_response, abort, data_export. */
  message: string;
  /** Connect Indication: the leading Nomenclature, 8 hex digits. */
  nomenclature: string | null;
  /** Data export: p_context_id of the SPpdu. */
  context_id: number | null;
  /** invoke, result, error, linked_result (or the number as text). */
  ro_type: string | null;
  invoke_id: number | null;
  /** event_report, confirmed_event_report, get, set, confirmed_set, confirmed_action (or the number as text). */
  command: string | null;
  /** Linked results: state (first, not_first_not_last, last) and count. */
  linked_state: string | null;
  linked_count: number | null;
  /** ROER error_value. */
  error_value: number | null;
  /** The managed object's class of the argument/result. */
  object_class: number | null;
  event_type: number | null;
  action_type: number | null;
  /** connect_indication, mds_create, poll, poll_ext, get, set, event, action. */
  operation: string | null;
  poll: IntellivuePoll | null;
  association: IntellivueAssociation | null;
  /** MDS identity attributes (Connect Indication, MDS Create, an MDS get/poll); null when none. */
  system: IntellivueSystem | null;
  /** KINDS of non-blank patient demographics attributes present (name, id, birth_date, …), first-seen order; never values. */
  phi_kinds: string[];
  /** Malformed things met (see INTELLIVUE_ANOMALIES). */
  anomalies: string[];
}

/** Result of parseIntellivue. */
export type IntellivueParseResult = { ok: true; value: IntellivueMessage } | { ok: false; error: string };

/** A new record of the given kind, everything else absent. */
function newMessage(message: string): IntellivueMessage {
  return {
    message, nomenclature: null, context_id: null, ro_type: null, invoke_id: null, command: null, linked_state: null,
    linked_count: null, error_value: null, object_class: null, event_type: null, action_type: null, operation: null,
    poll: null, association: null, system: null, phi_kinds: [], anomalies: [],
  };
}

/** Adds an anomaly once. */
function flag(m: IntellivueMessage, name: IntellivueAnomaly): void {
  if (!m.anomalies.includes(name)) m.anomalies.push(name);
}

/** The end of a structure of `declared` bytes at p, clamped to `end` (flagging `truncated` when it runs past). */
function bounded(m: IntellivueMessage, p: number, declared: number, end: number): number {
  if (p + declared <= end) return p + declared;
  flag(m, 'truncated');
  return end;
}

// ---------------------------------------------------------------------------------------------------------------
// Attribute lists of objects

/** Walks an object's AttributeList at b[p, end): identity attributes when `mds`, PHI kinds always; returns how many attributes. */
function readObjectAttributes(b: Uint8Array, p: number, end: number, mds: boolean, m: IntellivueMessage): number {
  let n = 0;
  walkAttributeList(b, p, end, (a) => flag(m, a as IntellivueAnomaly), (id, vs, ve) => {
    n++;
    if (mds) {
      m.system ??= emptySystem();
      readSystemAttribute(b, id, vs, ve, m.system, (a) => flag(m, a as IntellivueAnomaly));
    }
    const kind = patientAttributeKind(b, id, vs, ve);
    if (kind !== null && !m.phi_kinds.includes(kind)) m.phi_kinds.push(kind);
  });
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Poll requests and results

/** The poll record of a request or result: TYPE (partition, code) at t, attribute group at t+4. */
function pollRecord(b: Uint8Array, action: number, pollNumber: number, sequence: number | null, t: number): IntellivuePoll {
  const code = u16(b, t + 2);
  return {
    action: action === NOM_ACT_POLL_MDIB_DATA ? 'poll' : 'poll_ext', poll_number: pollNumber, sequence_no: sequence,
    obj_type: u16(b, t) === 1 ? POLL_OBJECT_TYPES[code] ?? 'other' : 'other', obj_code: code, attr_group: u16(b, t + 4),
    contexts: null, objects: null, attributes: null,
  };
}

/** PollInfoList at b[p, end): counts contexts, objects and attributes; decodes MDS identity and PHI kinds. */
function readPollInfoList(b: Uint8Array, p: number, end: number, poll: IntellivuePoll, m: IntellivueMessage): void {
  poll.contexts = 0;
  poll.objects = 0;
  poll.attributes = 0;
  if (p + 4 > end) return flag(m, 'bad_poll_list');
  const count = u16(b, p);
  const listEnd = Math.min(end, p + 4 + u16(b, p + 2));
  if (p + 4 + u16(b, p + 2) > end || count > MAX_INTELLIVUE_POLL_CONTEXTS) flag(m, 'bad_poll_list');
  let q = p + 4;
  for (let c = 0; c < Math.min(count, MAX_INTELLIVUE_POLL_CONTEXTS); c++) {
    if (q + 6 > listEnd) return flag(m, 'bad_poll_list');
    const objects = u16(b, q + 2);
    const ctxEnd = q + 6 + u16(b, q + 4);
    if (ctxEnd > listEnd) return flag(m, 'bad_poll_list');
    poll.contexts++;
    let o = q + 6;
    for (let i = 0; i < objects; i++) {
      if (poll.objects >= MAX_INTELLIVUE_POLL_OBJECTS || o + 6 > ctxEnd) return flag(m, 'bad_poll_list');
      poll.objects++;
      poll.attributes += readObjectAttributes(b, o + 2, ctxEnd, poll.obj_type === 'mds', m);
      o = Math.min(ctxEnd, o + 6 + u16(b, o + 4));
    }
    q = ctxEnd;
  }
}

/** ActionArgument body of a poll request (PollMdibDataReq / …Ext) at b[p, end). */
function readPollRequest(b: Uint8Array, p: number, end: number, action: number, m: IntellivueMessage): void {
  if (p + 8 > end) return flag(m, 'truncated');
  m.poll = pollRecord(b, action, u16(b, p), null, p + 2);
}

/** ActionResult body of a poll result (PollMdibDataReply / …Ext) at b[p, end). */
function readPollResult(b: Uint8Array, p: number, end: number, action: number, m: IntellivueMessage): void {
  const ext = action === NOM_ACT_POLL_MDIB_DATA_EXT ? 2 : 0;
  // poll_number, [sequence_no], rel_time_stamp (4), abs_time_stamp (8), polled_obj_type (4), polled_attr_grp (2)
  if (p + 20 + ext > end) return flag(m, 'truncated');
  m.poll = pollRecord(b, action, u16(b, p), ext ? u16(b, p + 2) : null, p + 14 + ext);
  readPollInfoList(b, p + 20 + ext, end, m.poll, m);
}

// ---------------------------------------------------------------------------------------------------------------
// Remote operations

/** The operation name of an event type. */
function eventOperation(type: number): string {
  return type === NOM_NOTI_MDS_CREAT ? 'mds_create' : type === NOM_NOTI_CONN_INDIC ? 'connect_indication' : 'event';
}

/** The operation name of an action type. */
function actionOperation(type: number): string {
  return type === NOM_ACT_POLL_MDIB_DATA ? 'poll' : type === NOM_ACT_POLL_MDIB_DATA_EXT ? 'poll_ext' : 'action';
}

/** The managed object's class at b[p] (a command body starts with its 6-byte managed_object); null when truncated. */
function readObjectClass(b: Uint8Array, p: number, end: number, m: IntellivueMessage): number | null {
  if (p + 6 > end) {
    flag(m, 'truncated');
    return null;
  }
  m.object_class = u16(b, p);
  return m.object_class;
}

/** An EventReport argument/result's event type (after managed_object and a 4-byte time), needing b[p, need); false when truncated. */
function readEventType(b: Uint8Array, p: number, need: number, end: number, m: IntellivueMessage): boolean {
  if (need > end) {
    flag(m, 'truncated');
    return false;
  }
  m.event_type = u16(b, p + 10);
  m.operation = eventOperation(m.event_type);
  return true;
}

/** A ROIV command body (argument) at b[p, end). */
function readInvoke(b: Uint8Array, cmd: number, p: number, end: number, m: IntellivueMessage): void {
  if (readObjectClass(b, p, end, m) === null) return;
  if (cmd === 0 || cmd === 1) {
    // EventReportArgument: managed_object (6), event_time (4), event_type, length
    if (!readEventType(b, p, p + 14, end, m)) return;
    const body = p + 14;
    const bodyEnd = bounded(m, body, u16(b, p + 12), end);
    if (m.event_type === NOM_NOTI_MDS_CREAT) readObjectAttributes(b, body + 6, bodyEnd, true, m); // MdsCreateInfo: managed_object, attribute_list
    else if (m.event_type === NOM_NOTI_CONN_INDIC) readObjectAttributes(b, body, bodyEnd, true, m); // ConnectIndInfo
  } else if (cmd === 3 || cmd === 4 || cmd === 5) {
    m.operation = cmd === 3 ? 'get' : 'set';
  } else if (cmd === 7) {
    // ActionArgument: managed_object (6), scope (4), action_type, length
    if (p + 14 > end) return flag(m, 'truncated');
    m.action_type = u16(b, p + 10);
    m.operation = actionOperation(m.action_type);
    const bodyEnd = bounded(m, p + 14, u16(b, p + 12), end);
    if (m.operation !== 'action') readPollRequest(b, p + 14, bodyEnd, m.action_type, m);
  }
}

/** A RORS / ROLRS command body (result) at b[p, end). */
function readResult(b: Uint8Array, cmd: number, p: number, end: number, m: IntellivueMessage): void {
  const objectClass = readObjectClass(b, p, end, m);
  if (objectClass === null) return;
  if (cmd === 0 || cmd === 1) {
    // EventReportResult: managed_object (6), current_time (4), event_type, length
    readEventType(b, p, p + 14, end, m);
  } else if (cmd === 3 || cmd === 5) {
    // GetResult / SetResult: managed_object (6), attribute_list
    m.operation = cmd === 3 ? 'get' : 'set';
    readObjectAttributes(b, p + 6, end, MDS_CLASSES.has(objectClass), m);
  } else if (cmd === 7) {
    // ActionResult: managed_object (6), action_type, length
    if (p + 10 > end) return flag(m, 'truncated');
    m.action_type = u16(b, p + 6);
    m.operation = actionOperation(m.action_type);
    const bodyEnd = bounded(m, p + 10, u16(b, p + 8), end);
    if (m.operation !== 'action') readPollResult(b, p + 10, bodyEnd, m.action_type, m);
  }
}

/** The command name, flagging an unknown one. */
function commandName(m: IntellivueMessage, cmd: number): string {
  const name = COMMANDS[cmd];
  if (name !== undefined) return name;
  flag(m, 'unknown_command');
  return String(cmd);
}

/**
 * ROapdus and what follows, at b[p, end) (p is where ro_type starts). Needs the 4-byte ROapdus; everything after is
 * decoded as far as it goes.
 */
function readRemoteOperation(b: Uint8Array, p: number, end: number, m: IntellivueMessage): void {
  const ro = u16(b, p);
  const roEnd = bounded(m, p + 4, u16(b, p + 2), end);
  if (roEnd < end) flag(m, 'trailing_bytes');
  m.ro_type = RO_TYPES[ro] ?? String(ro);
  let q = p + 4;
  if (ro === 5) {
    if (q + 2 > roEnd) return flag(m, 'truncated');
    m.linked_state = LINKED_STATES[b[q]!] ?? String(b[q]);
    m.linked_count = b[q + 1]!;
    q += 2;
  }
  if (!(ro in RO_TYPES)) return flag(m, 'unknown_ro_type');
  if (q + 6 > roEnd) return flag(m, 'truncated');
  m.invoke_id = u16(b, q);
  const bodyEnd = bounded(m, q + 6, u16(b, q + 4), roEnd);
  if (ro === 3) {
    m.error_value = u16(b, q + 2);
    return;
  }
  const cmd = u16(b, q + 2);
  m.command = commandName(m, cmd);
  if (!(cmd in COMMANDS)) return;
  if (ro === 1) readInvoke(b, cmd, q + 6, bodyEnd, m);
  else readResult(b, cmd, q + 6, bodyEnd, m);
}

// ---------------------------------------------------------------------------------------------------------------
// Association control

/** A BER length at b[p, end): value and bytes used (short form, or long form of 1–2 bytes); null otherwise. */
function berLength(b: Uint8Array, p: number, end: number): { value: number; size: number } | null {
  if (p >= end) return null;
  const l = b[p]!;
  if (l < 0x80) return { value: l, size: 1 };
  if (l === 0x81 && p + 2 <= end) return { value: b[p + 1]!, size: 2 };
  if (l === 0x82 && p + 3 <= end) return { value: u16(b, p + 1), size: 3 };
  return null;
}

/**
 * The user data of an association message in b[p, end): the user-information element ([30] constructed, indefinite:
 * BE 80) holding an EXTERNAL (28 80) whose direct-reference (OID), indirect-reference (INTEGER) and descriptor are
 * skipped up to its octet-aligned [1] encoding (81 + BER length). Returns [start, end) or null.
 */
function findUserData(b: Uint8Array, p: number, end: number): [number, number] | null {
  const stop = Math.min(end, p + MAX_INTELLIVUE_PRESENTATION_BYTES) - 4;
  let q = p;
  while (q <= stop && !(b[q] === 0xbe && b[q + 1] === 0x80 && b[q + 2] === 0x28 && b[q + 3] === 0x80)) q++;
  if (q > stop) return null;
  q += 4;
  for (let i = 0; i < 4 && q < end; i++) {
    const tag = b[q]!;
    const len = berLength(b, q + 1, end);
    if (len === null) return null;
    const start = q + 1 + len.size;
    if (tag === 0x81) return start + len.value <= end ? [start, start + len.value] : null;
    if (tag !== 0x06 && tag !== 0x02 && tag !== 0x07) return null;
    q = start + len.value;
  }
  return null;
}

/** A named single bit of a 32-bit field, else its 8 hex digits. */
function bitName(v: number, names: Readonly<Record<number, string>>): string {
  return names[v] ?? hex32(v);
}

/** Poll Profile Support (guide: PollProfileSupport) at b[vs, ve) into `a`. */
function readPollProfile(b: Uint8Array, vs: number, ve: number, a: IntellivueAssociation, m: IntellivueMessage): void {
  if (vs + 24 > ve) return flag(m, 'bad_user_data');
  a.min_poll_period_ms = u32(b, vs + 4) / 8;
  a.max_mtu_rx = u32(b, vs + 8);
  a.max_mtu_tx = u32(b, vs + 12);
  walkAttributeList(b, vs + 24, ve, () => flag(m, 'bad_user_data'), (id, ps, pe) => {
    if (id !== 0xf001) return; // NOM_ATTR_POLL_PROFILE_EXT
    a.profiles.push('poll_ext');
    if (ps + 4 <= pe) a.poll_ext_options = hex32(u32(b, ps));
  });
}

/** MDSEUserInfoStd at b[s, e). */
function readUserInfo(b: Uint8Array, s: number, e: number, m: IntellivueMessage): void {
  if (s + 20 > e) return flag(m, 'bad_user_data');
  const a: IntellivueAssociation = {
    protocol_version: hex32(u32(b, s)), nomenclature_version: hex32(u32(b, s + 4)), functional_units: hex32(u32(b, s + 8)),
    system_type: bitName(u32(b, s + 12), { 0x80000000: 'client', 0x00800000: 'server' }),
    startup_mode: bitName(u32(b, s + 16), { 0x80000000: 'hot', 0x40000000: 'warm', 0x20000000: 'cold' }),
    profiles: [], min_poll_period_ms: null, max_mtu_rx: null, max_mtu_tx: null, poll_ext_options: null,
  };
  m.association = a;
  const afterOptions = walkAttributeList(b, s + 20, e, () => flag(m, 'bad_user_data'), () => undefined);
  if (afterOptions < 0) return;
  walkAttributeList(b, afterOptions, e, () => flag(m, 'bad_user_data'), (id, vs, ve) => {
    if (id === 0x0001) { // NOM_POLL_PROFILE_SUPPORT
      a.profiles.push('poll');
      readPollProfile(b, vs, ve, a, m);
    } else a.profiles.push(`0x${id.toString(16).padStart(4, '0')}`);
  });
}

/** A message starting with a Session Header at b[off, end). */
function readSession(b: Uint8Array, off: number, end: number, m: IntellivueMessage): IntellivueParseResult {
  const long = b[off + 1] === 0xff;
  if (long && off + 4 > end) return { ok: false, error: 'session header truncated' };
  const header = long ? 4 : 2;
  const bodyEnd = bounded(m, off + header, long ? u16(b, off + 2) : b[off + 1]!, end);
  if (bodyEnd < end) flag(m, 'trailing_bytes');
  if (m.message === 'association_request' || m.message === 'association_response') {
    const ud = findUserData(b, off + header, bodyEnd);
    if (ud === null) flag(m, 'bad_user_data');
    else readUserInfo(b, ud[0], ud[1], m);
  }
  return { ok: true, value: m };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/**
 * True if b[off, off+len) starts like one of the three message kinds: 0xE1 (data export), a session header type, or a
 * Connect Indication (at least 8 bytes, ro_type ROIV after the 4-byte Nomenclature). Anything else on UDP 24005/24105
 * (ports IANA has not registered for IntelliVue) is taken for another application's datagram.
 */
export function looksLikeIntellivue(b: Uint8Array, off: number, len: number): boolean {
  if (len < 2) return false;
  const first = b[off]!;
  return first === 0xe1 || INTELLIVUE_SPDU_TYPES[first] !== undefined || (len >= 8 && u16(b, off + 4) === 1);
}

/** Parses one IntelliVue Data Export UDP payload b[off, off+len). */
export function parseIntellivue(b: Uint8Array, off: number, len: number): IntellivueParseResult {
  const cut = len > MAX_INTELLIVUE_MESSAGE_BYTES;
  const end = off + Math.min(Math.max(len, 0), MAX_INTELLIVUE_MESSAGE_BYTES);
  if (end - off < 2) return { ok: false, error: 'payload too short for an IntelliVue message' };
  const first = b[off]!;
  const spdu = INTELLIVUE_SPDU_TYPES[first];
  let r: IntellivueParseResult;
  if (spdu !== undefined) {
    r = readSession(b, off, end, newMessage(spdu));
  } else if (first === 0xe1) {
    if (end - off < 8) return { ok: false, error: 'data export message shorter than SPpdu + ROapdus' };
    const m = newMessage('data_export');
    if (b[off + 1] !== 0x00) flag(m, 'bad_session_id');
    m.context_id = u16(b, off + 2);
    readRemoteOperation(b, off + 4, end, m);
    r = { ok: true, value: m };
  } else {
    // Connect Indication: Nomenclature, then ROapdus with ro_type ROIV
    if (end - off < 8 || u16(b, off + 4) !== 1) return { ok: false, error: 'not an IntelliVue session, data export or connect indication message' };
    const m = newMessage('connect_indication');
    m.nomenclature = hex32(u32(b, off));
    readRemoteOperation(b, off + 4, end, m);
    r = { ok: true, value: m };
  }
  if (r.ok && cut) r.value.anomalies.unshift('oversized_message');
  return r;
}
