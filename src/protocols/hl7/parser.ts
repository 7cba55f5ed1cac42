/**
 * HL7 v2 message parser: one message (MSH up to its last segment, without MLLP framing) → a flat `Hl7Message`
 * record. Pure: no state, no I/O, never throws, never reads outside b[off, off+len).
 *
 * What is kept: the header (MSH-1 … MSH-12, MSH-18: system names, message type, control and processing IDs,
 * version), the segment IDs in order with their counts, the acknowledgment code (MSA-1, MSA-2), the number of
 * observations (OBX), what was observed (OBX-3: only the identifier and coding-system name of its primary and
 * alternate triplets, identifiers only for the standard systems LN, MDC and SCT, never the text components), device
 * identity from OBX-18 and PRT (PRT-4, PRT-10, PRT-16 … PRT-22), and which kinds of PHI the PID, PV1, NK1, GT1 and
 * IN1 segments carry (phi.ts). No value of a patient segment, of OBX-5 or of any other field is read or kept.
 *
 * Specs: HL7 v2.5.1 Chapter 2 §2.5 (message construction), §2.5.4 (delimiters), §2.7 (escape sequences), §2.14.9
 * MSH (Message Header; MSH-1 is the field separator itself, so MSH-n is the (n-1)th field after the segment ID),
 * §2.14.8 MSA (Message Acknowledgment; acknowledgment codes of HL7 table 0008: AA, AE, AR, CA, CE, CR); Chapter 7
 * §7.4.2 OBX (OBX-3 Observation Identifier, CWE/CE: identifier ^ text ^ name of coding system ^ alternate identifier
 * ^ alternate text ^ name of alternate coding system, §7.4.2.3; coding-system names of HL7 table 0396: LN LOINC, MDC
 * ISO/IEEE 11073-10101, SCT SNOMED CT; OBX-18 Equipment Instance Identifier, EI: "the equipment … responsible for the production of the
 * observation"); v2.8.2/v2.9 §7.4.4 PRT (Participation Information: PRT-4 participation, PRT-10 participation device
 * (EI; the UDI when PRT-4 is EQUIP), PRT-16 UDI device identifier, PRT-17 manufacture date, PRT-18 expiry date,
 * PRT-19 lot number, PRT-20 serial number, PRT-21 donation identification, PRT-22 device type (CNE)); Chapter 2A
 * data types EI (entity identifier^namespace ID^universal ID^universal ID type), HD, MSG, PT, VID, CNE.
 */
import { type Udi, parseUdi } from '../udi.js';
import { decodeWireText } from '../wire-text.js';
import {
  component, forEachSegment, hasValue, type Hl7Delimiters, readDelimiters, repetitions, splitFields, unescapeBytes,
} from './encoding.js';
import { PHI_FIELDS, phiKind } from './phi.js';

/** Largest message parsed; the stream framer never hands over more (longer input is cut: `oversized_message`). */
export const MAX_HL7_MESSAGE = 1 << 20;
/** Segment IDs kept in order in `segments` (all are counted). */
export const MAX_SEGMENT_LIST = 256;
/** Distinct segment IDs counted in `segment_counts`. */
export const MAX_SEGMENT_IDS = 64;
/** Fields split per segment (PHI presence beyond it is not examined). */
export const MAX_FIELDS = 256;
/** Longest value kept, in bytes before escape decoding (a longer one is cut: `long_value:<field>`). */
export const MAX_VALUE_BYTES = 256;
/** Device entries kept per message (OBX segments with OBX-18, PRT segments with device fields). */
export const MAX_DEVICES = 32;
/** Repetitions of OBX-18 / PRT-10 kept per segment. */
export const MAX_IDENTIFIERS = 4;
/** Distinct observation identifiers (OBX-3 system + code) kept per message (all OBX are still counted). */
export const MAX_OBSERVATION_CODES = 32;

/**
 * The coding systems (HL7 table 0396 names) whose OBX-3 identifiers are kept, each with the form an identifier must
 * have to be kept (anything else may be free text: `bad_observation_code:<system>`, only the system is kept):
 * LN, a LOINC code (1 to 7 digits, "-", a check digit; LOINC Users' Guide §12 C; the check digit is not verified here);
 * MDC, an ISO/IEEE 11073-10101 code (a 32-bit unsigned decimal: partition × 65536 + term code);
 * SCT, a SNOMED CT concept identifier (SCTID, 6 to 18 digits, no leading zero).
 */
export const STANDARD_CODING_SYSTEMS: Readonly<Record<string, RegExp>> = {
  LN: /^[0-9]{1,7}-[0-9]$/,
  MDC: /^[0-9]{1,10}$/,
  SCT: /^[1-9][0-9]{5,17}$/,
};
/**
 * The form of a coding-system name kept from OBX-3 (HL7 table 0396 names: LN, MDC, SCT, 99zzz, L, ISO3166_1, CPT-5,
 * ANS+, …): a short token without spaces. Anything else is not a system name (a sender that misplaces components could
 * put free text there): not kept, `bad_coding_system`.
 */
export const CODING_SYSTEM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,19}$/;
/** An ISO/IEEE 11073-10101 reference identifier (MDC_…): a standard term, kept from the text component of an MDC triplet (IHE PCD TF-2 §B.1). */
const MDC_REFERENCE_ID = /^MDC_[A-Z0-9_]{1,96}$/;

/** Anomaly names; an entry of `anomalies` is one of these, optionally followed by ":" and a field or segment. */
export const HL7_ANOMALIES = {
  /** The message was longer than MAX_HL7_MESSAGE and was cut (the framer also reports it when it skipped the rest). */
  oversized_message: 'message longer than MAX_HL7_MESSAGE, cut',
  /** Blank bytes (CR, LF, SP, HT) before MSH were skipped. */
  leading_whitespace: 'blank bytes before MSH',
  /** MSH-2 has fewer than 4 encoding characters: the missing delimiters are not used. */
  short_encoding_characters: 'MSH-2 shorter than 4 characters',
  /** MSH-2 has more than 5 characters; the first five are used. */
  long_encoding_characters: 'MSH-2 longer than 5 characters',
  /** A segment ended by LF or CRLF instead of CR (accepted). */
  lf_segment_terminator: 'segment terminated by LF or CRLF',
  /** An empty line between segments (skipped). */
  empty_segment: 'empty segment',
  /** A segment whose ID is not 3 upper-case letters/digits followed by the field separator (skipped; ":position"). */
  bad_segment: 'segment without a valid segment ID',
  /** A second MSH inside the message (a batch should be split before parsing). */
  second_msh: 'MSH segment after the first',
  /** More than MAX_SEGMENT_LIST segments: `segments` lists the first ones only. */
  segment_list_truncated: 'more segments than MAX_SEGMENT_LIST',
  /** More than MAX_SEGMENT_IDS distinct segment IDs: the others are not in `segment_counts`. */
  too_many_segment_ids: 'more distinct segment IDs than MAX_SEGMENT_IDS',
  /** A segment with more than MAX_FIELDS fields (":segment"); the rest were not examined. */
  too_many_fields: 'segment with more than MAX_FIELDS fields',
  /** A value longer than MAX_VALUE_BYTES (":field"), cut. */
  long_value: 'value longer than MAX_VALUE_BYTES, cut',
  /** An escape sequence that is not one of §2.7 (kept as written). */
  bad_escape: 'unknown escape sequence',
  /** An escape character without its closing one (kept as written). */
  unterminated_escape: 'escape sequence not closed',
  /** More than MAX_DEVICES device entries; the rest were not kept. */
  too_many_devices: 'more device entries than MAX_DEVICES',
  /** More than MAX_IDENTIFIERS repetitions of OBX-18 or PRT-10 (":field"). */
  too_many_identifiers: 'more identifier repetitions than MAX_IDENTIFIERS',
  /** More than MAX_OBSERVATION_CODES distinct OBX-3 codes; the others are not in `observation_codes`. */
  too_many_observation_codes: 'more distinct observation identifiers than MAX_OBSERVATION_CODES',
  /** An OBX-3 coding-system component that is not a short name (CODING_SYSTEM_NAME): the triplet is not kept. */
  bad_coding_system: 'OBX-3 coding system that is not a coding-system name',
  /** An OBX-3 identifier of LN, MDC or SCT not in that system's form (":system"): only the system is kept. */
  bad_observation_code: 'OBX-3 identifier not in the form of its standard coding system',
  /** MSH-9 is empty. */
  no_message_type: 'MSH-9 empty',
  /** An ACK message (MSH-9.1 ACK) without an MSA segment. */
  ack_without_msa: 'ACK without MSA',
  // Framing (mllp.ts, added by the stream analyzer to the first message of a frame):
  /** Non-blank bytes skipped between frames before this one (":count"). */
  skipped_bytes: 'bytes skipped before the frame (resynchronisation)',
  /** A VT started a new block before this block's FS: this block may be incomplete. */
  missing_end_block: 'block ended by a new VT instead of FS',
  /** Bytes of the connection were not captured inside this frame: it is cut there. */
  truncated_by_gap: 'frame cut by a capture gap',
  /** The connection ended inside an MLLP block (no FS). */
  unterminated_block: 'connection ended inside a block',
  /** The frame held bytes other than batch segments before its first MSH. */
  data_before_msh: 'data before the first MSH of a frame',
} as const;

/** An EI (entity identifier) field repetition: OBX-18 or PRT-10. */
export interface Hl7EntityIdentifier {
  /** EI.1, escape sequences decoded. */
  entity_id: string | null;
  /** EI.2 namespace ID. */
  namespace_id: string | null;
  /** EI.3 universal ID (e.g. an OID, or an EUI-64 in IHE PCD). */
  universal_id: string | null;
  /** EI.4 universal ID type (ISO, EUI-64, …). */
  universal_id_type: string | null;
  /** EI.1 read as a UDI carrier (src/protocols/udi.ts), null when it is not one. */
  udi: Udi | null;
}

/** Device identity carried by one OBX (OBX-18) or PRT segment. PRT-only fields are null for OBX. */
export interface Hl7Device {
  segment: 'OBX' | 'PRT';
  /** 1-based position of the segment in the message (MSH is 1). */
  segment_index: number;
  /** PRT-4.1, the participation (EQUIP for a device). */
  participation: string | null;
  /** OBX-18 or PRT-10 repetitions (at most MAX_IDENTIFIERS). */
  identifiers: Hl7EntityIdentifier[];
  /** PRT-16.1 UDI device identifier. */
  udi_device_identifier: string | null;
  /** PRT-17.1 device manufacture date (DTM as written). */
  manufacture_date: string | null;
  /** PRT-18.1 device expiry date. */
  expiry_date: string | null;
  /** PRT-19 device lot number. */
  lot_number: string | null;
  /** PRT-20 device serial number. */
  serial_number: string | null;
  /** PRT-21.1 device donation identification. */
  donation_id: string | null;
  /** PRT-22.1 device type code. */
  device_type: string | null;
  /** PRT-22.2 its text. */
  device_type_text: string | null;
  /** PRT-22.3 its coding system. */
  device_type_system: string | null;
}

/**
 * One coding system named in OBX-3 (primary or alternate triplet) and, for a standard system, the identifier: what
 * was observed, never its value. The text components are never kept (free text), except an MDC reference ID.
 */
export interface Hl7ObservationCode {
  /** Name of the coding system (CWE.3 or CWE.6, escape sequences decoded), as sent: LN, MDC, SCT, or a local name. */
  system: string;
  /** The identifier (CWE.1 or CWE.4) when `system` is LN, MDC or SCT and it has that system's form; else null. */
  code: string | null;
  /** For MDC: the text component when it is an ISO/IEEE 11073-10101 reference ID (`MDC_…`); else null. */
  mdc_reference_id: string | null;
  /** OBX segments of the message naming it. */
  count: number;
}

/** One decoded HL7 v2 message. Fields are null when absent or empty (or the HL7 null `""`). */
export interface Hl7Message {
  /** MSH-1. */
  field_separator: string;
  /** MSH-2 as sent (component, repetition, escape, subcomponent [, truncation] characters). */
  encoding_characters: string;
  /** MSH-3 sending application (HD), the whole field as sent. System names, not PHI. */
  sending_application: string | null;
  /** MSH-4 sending facility (HD), as sent. */
  sending_facility: string | null;
  /** MSH-5 receiving application (HD), as sent. */
  receiving_application: string | null;
  /** MSH-6 receiving facility (HD), as sent. */
  receiving_facility: string | null;
  /** MSH-7.1 date/time of message, as written. */
  message_datetime: string | null;
  /** MSH-9.1 message code (ADT, ORU, ACK, …). */
  message_type: string | null;
  /** MSH-9.2 trigger event (A01, R01, …). */
  trigger_event: string | null;
  /** MSH-9.3 message structure (ADT_A01, …). */
  message_structure: string | null;
  /** MSH-10 message control ID. */
  control_id: string | null;
  /** MSH-11.1 processing ID (P production, D debugging, T training). */
  processing_id: string | null;
  /** MSH-12.1 version ID (2.3, 2.5.1, …). */
  version: string | null;
  /** MSH-18, first repetition: character set (ASCII, 8859/1, UNICODE UTF-8, …). */
  character_set: string | null;
  /** Segment IDs in message order (at most MAX_SEGMENT_LIST). */
  segments: string[];
  /** Number of segments (with a valid ID). */
  segment_count: number;
  /** Segments per ID. */
  segment_counts: Record<string, number>;
  /** MSA-1 acknowledgment code (AA, AE, AR, CA, CE, CR). */
  ack_code: string | null;
  /** MSA-2 control ID of the message acknowledged. */
  ack_control_id: string | null;
  /** PHI kinds present, "SEGMENT:kind" (phi.ts), in first-seen order, each once. Never values. */
  phi_kinds: string[];
  /** Number of OBX segments (observation values are never read). */
  observation_count: number;
  /** Distinct OBX-3 coding systems and standard identifiers, in first-seen order (at most MAX_OBSERVATION_CODES). */
  observation_codes: Hl7ObservationCode[];
  /** Device identity from OBX-18 and PRT (at most MAX_DEVICES). */
  devices: Hl7Device[];
  /** Malformed things met (HL7_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseHl7Message. */
export type Hl7ParseResult = { ok: true; value: Hl7Message } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

/** Per-message parse state. */
interface Ctx {
  m: Uint8Array;
  d: Hl7Delimiters;
  msg: Hl7Message;
  anomalies: string[];
  phi: Set<string>;
}

/** Fields of one segment: bounds of field n (field 0 is the segment ID). */
interface Fields {
  f: number[];
  count: number;
}

/** Bounds of field `n`, or null when the segment has fewer fields. */
function fieldAt(fs: Fields, n: number): [number, number] | null {
  return n < fs.count ? [fs.f[2 * n]!, fs.f[2 * n + 1]!] : null;
}

/** m[s, e) cut at MAX_VALUE_BYTES (`long_value:<what>` when cut). */
function cut(c: Ctx, s: number, e: number, what: string): number {
  if (e - s <= MAX_VALUE_BYTES) return e;
  c.anomalies.push(`long_value:${what}`);
  return s + MAX_VALUE_BYTES;
}

/** Text of m[s, e) as sent (no escape decoding), null when empty or `""`. */
function rawText(c: Ctx, r: [number, number] | null, what: string): string | null {
  if (r === null || !hasValue(c.m, r[0], r[1])) return null;
  return decodeWireText(c.m, r[0], cut(c, r[0], r[1], what));
}

/** Bytes of m[s, e) with escape sequences decoded, null when empty or `""`. */
function valueBytes(c: Ctx, r: [number, number] | null, what: string): Uint8Array | null {
  if (r === null || !hasValue(c.m, r[0], r[1])) return null;
  return unescapeBytes(c.m, r[0], cut(c, r[0], r[1], what), c.d, c.anomalies);
}

/** Text of m[s, e) with escape sequences decoded, null when empty or `""`. */
function valueText(c: Ctx, r: [number, number] | null, what: string): string | null {
  const b = valueBytes(c, r, what);
  return b === null ? null : decodeWireText(b, 0, b.length);
}

/** Component `n` of the first repetition of field range `r`. */
function comp(c: Ctx, r: [number, number] | null, n: number): [number, number] | null {
  if (r === null) return null;
  const first = repetitions(c.m, r[0], r[1], c.d, 1)[0]!;
  return component(c.m, first[0], first[1], c.d, n);
}

/** Text of component `n` of field range `r` (first repetition), escape sequences decoded. */
function compText(c: Ctx, r: [number, number] | null, n: number, what: string): string | null {
  return valueText(c, comp(c, r, n), what);
}

/** Splits the segment m[s, e) into fields (`too_many_fields:<id>` beyond MAX_FIELDS). */
function fieldsOf(c: Ctx, s: number, e: number, id: string): Fields {
  const f = splitFields(c.m, s, e, c.d.field, MAX_FIELDS);
  if (f[f.length - 1]! < e) c.anomalies.push(`too_many_fields:${id}`);
  return { f, count: f.length / 2 };
}

// ---------------------------------------------------------------------------------------------------------------

/** MSH-n as a field index: MSH-1 is the separator itself, so MSH-n is field n-1 after the segment ID. */
const msh = (fs: Fields, n: number): [number, number] | null => fieldAt(fs, n - 1);

/** Reads the header fields of the MSH segment. */
function readMsh(c: Ctx, fs: Fields): void {
  const msg = c.msg;
  msg.sending_application = rawText(c, msh(fs, 3), 'MSH-3');
  msg.sending_facility = rawText(c, msh(fs, 4), 'MSH-4');
  msg.receiving_application = rawText(c, msh(fs, 5), 'MSH-5');
  msg.receiving_facility = rawText(c, msh(fs, 6), 'MSH-6');
  msg.message_datetime = compText(c, msh(fs, 7), 1, 'MSH-7');
  msg.message_type = compText(c, msh(fs, 9), 1, 'MSH-9');
  msg.trigger_event = compText(c, msh(fs, 9), 2, 'MSH-9');
  msg.message_structure = compText(c, msh(fs, 9), 3, 'MSH-9');
  msg.control_id = valueText(c, msh(fs, 10), 'MSH-10');
  msg.processing_id = compText(c, msh(fs, 11), 1, 'MSH-11');
  msg.version = compText(c, msh(fs, 12), 1, 'MSH-12');
  const cs = msh(fs, 18);
  msg.character_set = cs === null ? null : valueText(c, repetitions(c.m, cs[0], cs[1], c.d, 1)[0]!, 'MSH-18');
  if (msg.message_type === null) c.anomalies.push('no_message_type');
}

/** Notes the PHI kinds of every non-empty field of a PHI segment. */
function readPhi(c: Ctx, id: string, fs: Fields): void {
  for (let n = 1; n < fs.count; n++) {
    if (!hasValue(c.m, fs.f[2 * n]!, fs.f[2 * n + 1]!)) continue;
    const kind = phiKind(id, n);
    if (kind !== null) c.phi.add(`${id}:${kind}`);
  }
}

/** The EI repetitions of field range `r` (OBX-18, PRT-10), each with its UDI reading. */
function entityIdentifiers(c: Ctx, r: [number, number] | null, what: string): Hl7EntityIdentifier[] {
  if (r === null || !hasValue(c.m, r[0], r[1])) return [];
  const reps = repetitions(c.m, r[0], r[1], c.d, MAX_IDENTIFIERS + 1);
  if (reps.length > MAX_IDENTIFIERS) {
    c.anomalies.push(`too_many_identifiers:${what}`);
    reps.length = MAX_IDENTIFIERS;
  }
  const out: Hl7EntityIdentifier[] = [];
  for (const [s, e] of reps) {
    const part = (n: number): [number, number] | null => component(c.m, s, e, c.d, n);
    const idBytes = valueBytes(c, part(1), what);
    const id: Hl7EntityIdentifier = {
      entity_id: idBytes === null ? null : decodeWireText(idBytes, 0, idBytes.length),
      namespace_id: valueText(c, part(2), what),
      universal_id: valueText(c, part(3), what),
      universal_id_type: valueText(c, part(4), what),
      // The UDI is read from the bytes themselves (a GS separator would be escaped in the display text).
      udi: idBytes === null ? null : parseUdi(String.fromCharCode(...idBytes)),
    };
    if (id.entity_id !== null || id.namespace_id !== null || id.universal_id !== null || id.universal_id_type !== null) out.push(id);
  }
  return out;
}

/** An empty device entry for a segment. */
function newDevice(segment: 'OBX' | 'PRT', index: number): Hl7Device {
  return {
    segment, segment_index: index, participation: null, identifiers: [], udi_device_identifier: null,
    manufacture_date: null, expiry_date: null, lot_number: null, serial_number: null, donation_id: null,
    device_type: null, device_type_text: null, device_type_system: null,
  };
}

/** Notes `anomaly` unless the message has it already (anomalies that may recur within one message). */
function noteOnce(c: Ctx, anomaly: string): void {
  if (!c.anomalies.includes(anomaly)) c.anomalies.push(anomaly);
}

/** Adds a device entry unless MAX_DEVICES are kept already. */
function addDevice(c: Ctx, dev: Hl7Device): void {
  if (c.msg.devices.length >= MAX_DEVICES) {
    noteOnce(c, 'too_many_devices');
    return;
  }
  c.msg.devices.push(dev);
}

/** The coding system and kept identifier of one OBX-3 triplet starting at component `base` (1 or 4) of `rep`, or null. */
function observationCode(c: Ctx, rep: [number, number], base: number): Hl7ObservationCode | null {
  const part = (n: number): [number, number] | null => component(c.m, rep[0], rep[1], c.d, base + n);
  const system = valueText(c, part(2), 'OBX-3');
  if (system === null) return null;
  if (!CODING_SYSTEM_NAME.test(system)) {
    noteOnce(c, 'bad_coding_system');
    return null;
  }
  const form = STANDARD_CODING_SYSTEMS[system];
  if (form === undefined) return { system, code: null, mdc_reference_id: null, count: 1 };
  const id = valueText(c, part(0), 'OBX-3');
  let code: string | null = null;
  if (id !== null && form.test(id) && (system !== 'MDC' || Number(id) <= 0xffffffff)) code = id;
  else noteOnce(c, `bad_observation_code:${system}`);
  // The text component is read only for MDC, and kept only when it is a reference ID (a standard term, not free text).
  const ref = system === 'MDC' ? valueText(c, part(1), 'OBX-3') : null;
  return { system, code, mdc_reference_id: ref !== null && MDC_REFERENCE_ID.test(ref) ? ref : null, count: 1 };
}

/** OBX-3: counts the primary and alternate coding systems (and standard identifiers) once per OBX. */
function readObservationId(c: Ctx, r: [number, number] | null): void {
  if (r === null || !hasValue(c.m, r[0], r[1])) return;
  const rep = repetitions(c.m, r[0], r[1], c.d, 1)[0]!;
  const a = observationCode(c, rep, 1);
  const b = observationCode(c, rep, 4);
  const codes = c.msg.observation_codes;
  for (const oc of b !== null && a !== null && sameCode(a, b) ? [a] : [a, b]) {
    if (oc === null) continue;
    const seen = codes.find((x) => sameCode(x, oc));
    if (seen !== undefined) seen.count++;
    else if (codes.length < MAX_OBSERVATION_CODES) codes.push(oc);
    else noteOnce(c, 'too_many_observation_codes');
  }
}

/** True when two observation codes name the same thing. */
function sameCode(a: Hl7ObservationCode, b: Hl7ObservationCode): boolean {
  return a.system === b.system && a.code === b.code && a.mdc_reference_id === b.mdc_reference_id;
}

/** OBX: counts the observation, reads OBX-3 (what), keeps OBX-18 (the equipment that produced it). OBX-5 is never read. */
function readObx(c: Ctx, fs: Fields, index: number): void {
  c.msg.observation_count++;
  readObservationId(c, fieldAt(fs, 3));
  const ids = entityIdentifiers(c, fieldAt(fs, 18), 'OBX-18');
  if (ids.length === 0) return;
  const dev = newDevice('OBX', index);
  dev.identifiers = ids;
  addDevice(c, dev);
}

/** PRT: keeps its device fields (PRT-10, PRT-16 … PRT-22) when it has any; persons and organisations are not read. */
function readPrt(c: Ctx, fs: Fields, index: number): void {
  const dev = newDevice('PRT', index);
  dev.identifiers = entityIdentifiers(c, fieldAt(fs, 10), 'PRT-10');
  dev.udi_device_identifier = compText(c, fieldAt(fs, 16), 1, 'PRT-16');
  dev.manufacture_date = compText(c, fieldAt(fs, 17), 1, 'PRT-17');
  dev.expiry_date = compText(c, fieldAt(fs, 18), 1, 'PRT-18');
  dev.lot_number = valueText(c, fieldAt(fs, 19), 'PRT-19');
  dev.serial_number = valueText(c, fieldAt(fs, 20), 'PRT-20');
  dev.donation_id = compText(c, fieldAt(fs, 21), 1, 'PRT-21');
  dev.device_type = compText(c, fieldAt(fs, 22), 1, 'PRT-22');
  dev.device_type_text = compText(c, fieldAt(fs, 22), 2, 'PRT-22');
  dev.device_type_system = compText(c, fieldAt(fs, 22), 3, 'PRT-22');
  const any = dev.identifiers.length > 0 || dev.udi_device_identifier !== null || dev.manufacture_date !== null ||
    dev.expiry_date !== null || dev.lot_number !== null || dev.serial_number !== null || dev.donation_id !== null ||
    dev.device_type !== null || dev.device_type_text !== null;
  if (!any) return;
  dev.participation = compText(c, fieldAt(fs, 4), 1, 'PRT-4');
  addDevice(c, dev);
}

/** MSA (first one): acknowledgment code and the control ID acknowledged. */
function readMsa(c: Ctx, fs: Fields): void {
  if (c.msg.ack_code !== null || c.msg.ack_control_id !== null) return;
  c.msg.ack_code = compText(c, fieldAt(fs, 1), 1, 'MSA-1');
  c.msg.ack_control_id = valueText(c, fieldAt(fs, 2), 'MSA-2');
}

/** The segment ID of m[s, e): 3 upper-case letters or digits (the first a letter) then the field separator or the end. */
function segmentId(c: Ctx, s: number, e: number): string | null {
  if (e - s < 3 || (e > s + 3 && c.m[s + 3] !== c.d.field)) return null;
  const a = c.m[s]!, b1 = c.m[s + 1]!, b2 = c.m[s + 2]!;
  const upper = (x: number): boolean => x >= 0x41 && x <= 0x5a;
  const alnum = (x: number): boolean => upper(x) || (x >= 0x30 && x <= 0x39);
  return upper(a) && alnum(b1) && alnum(b2) ? String.fromCharCode(a, b1, b2) : null;
}

/** Counts a segment in `segments` and `segment_counts`. */
function countSegment(c: Ctx, id: string): void {
  const msg = c.msg;
  msg.segment_count++;
  if (msg.segments.length < MAX_SEGMENT_LIST) msg.segments.push(id);
  else if (msg.segments.length === MAX_SEGMENT_LIST && msg.segment_count === MAX_SEGMENT_LIST + 1) c.anomalies.push('segment_list_truncated');
  if (msg.segment_counts[id] !== undefined) msg.segment_counts[id]++;
  else if (Object.keys(msg.segment_counts).length < MAX_SEGMENT_IDS) msg.segment_counts[id] = 1;
  else noteOnce(c, 'too_many_segment_ids');
}

/** Reads one segment m[s, e) after MSH. */
function readSegment(c: Ctx, s: number, e: number, position: number): void {
  const id = segmentId(c, s, e);
  if (id === null) {
    c.anomalies.push(`bad_segment:${position}`);
    return;
  }
  countSegment(c, id);
  const index = c.msg.segment_count;
  if (id === 'MSH') c.anomalies.push('second_msh');
  else if (id === 'MSA') readMsa(c, fieldsOf(c, s, e, id));
  else if (id === 'OBX') readObx(c, fieldsOf(c, s, e, id), index);
  else if (id === 'PRT') readPrt(c, fieldsOf(c, s, e, id), index);
  else if (PHI_FIELDS[id] !== undefined) readPhi(c, id, fieldsOf(c, s, e, id));
}

/** A record with every header field null, for the delimiters `d`. */
function emptyMessage(m: Uint8Array, s: number, msh2End: number, d: Hl7Delimiters, anomalies: string[]): Hl7Message {
  return {
    field_separator: String.fromCharCode(d.field), encoding_characters: decodeWireText(m, s + 4, msh2End),
    sending_application: null, sending_facility: null, receiving_application: null, receiving_facility: null,
    message_datetime: null, message_type: null, trigger_event: null, message_structure: null, control_id: null,
    processing_id: null, version: null, character_set: null, segments: [], segment_count: 0, segment_counts: {},
    ack_code: null, ack_control_id: null, phi_kinds: [], observation_count: 0, observation_codes: [], devices: [],
    anomalies,
  };
}

/**
 * Parses one HL7 v2 message from b[off, off+len): it must start with "MSH" (after optional blank bytes). Fails only
 * for bad bounds, a missing MSH, or unusable delimiters (MSH-1/MSH-2 not visible non-alphanumeric characters, or two
 * the same); everything else malformed is an anomaly. Never throws and never reads outside b[off, off+len).
 */
export function parseHl7Message(b: Uint8Array, off: number, len: number): Hl7ParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const anomalies: string[] = [];
  if (len > MAX_HL7_MESSAGE) {
    anomalies.push('oversized_message');
    len = MAX_HL7_MESSAGE;
  }
  const m = b.subarray(off, off + len);
  let s = 0;
  while (s < m.length && (m[s] === 0x0d || m[s] === 0x0a || m[s] === 0x20 || m[s] === 0x09)) s++;
  if (s > 0) anomalies.push('leading_whitespace');
  if (m.length - s < 4 || m[s] !== 0x4d || m[s + 1] !== 0x53 || m[s + 2] !== 0x48) return { ok: false, error: 'no_msh' };
  let first = -1;
  forEachSegment(m, s, m.length, (_a, end) => { first = end; return false; });
  const dr = readDelimiters(m, s, first);
  if (!dr.ok) return dr;
  anomalies.push(...dr.anomalies);
  const d = dr.value;
  let msh2End = s + 4;
  while (msh2End < first && m[msh2End] !== d.field) msh2End++;
  const c: Ctx = { m, d, msg: emptyMessage(m, s, msh2End, d, anomalies), anomalies, phi: new Set() };
  let lastContent = m.length - 1;
  while (lastContent >= s && (m[lastContent] === 0x0d || m[lastContent] === 0x0a)) lastContent--;
  let position = 0;
  let lfNoted = false;
  let emptyNoted = false;
  forEachSegment(m, s, m.length, (a, e, lf) => {
    if (lf && !lfNoted) { lfNoted = true; anomalies.push('lf_segment_terminator'); }
    if (e === a) {
      // Trailing terminators after the last segment are normal (MLLP: "…CR FS CR"); an empty line between segments is not.
      if (!emptyNoted && a < lastContent) { emptyNoted = true; anomalies.push('empty_segment'); }
      return true;
    }
    position++;
    if (position === 1) {
      countSegment(c, 'MSH');
      readMsh(c, fieldsOf(c, a, e, 'MSH'));
    } else readSegment(c, a, e, position);
    return true;
  });
  c.msg.phi_kinds = [...c.phi];
  if (c.msg.message_type === 'ACK' && c.msg.segment_counts.MSA === undefined) anomalies.push('ack_without_msa');
  return { ok: true, value: c.msg };
}
