/**
 * POCT1-A device messaging layer (DML) reader: XML messages (one root element each: HEL.R01, DST.R01, OBS.R01,
 * EOT.R01, ACK.R01, END.R01, …) → flat `Poct1aMessage` records. Values are read from the `V` attribute of the DML
 * elements of the header, device, capabilities, acknowledgment, status, end-of-topic, directive, request and
 * termination objects only; patient and operator data are counted, never read: for PT.* elements only their names
 * (the PHI kinds present) are kept. Built on the bounded XML tokenizer (xml.ts).
 *
 * Spec: CLSI POCT1-A2 "Point-of-Care Connectivity; Approved Standard — Second Edition" (2006), Device Messaging
 * Layer: the message types (Hello HEL.R01, Device Status DST.R01, Observations OBS.R01 patient / OBS.R02 non-patient,
 * End of Topic EOT.R01, Acknowledgment ACK.R01, Terminate END.R01, Directive DTV.R01/R02, Request REQ.R01, Operator
 * List OPL.R01/R02, Events EVS.R01, Keep-alive KPA.R01), the objects and their elements (HDR control_id,
 * version_id, creation_dttm; DEV device_id, vendor_id, model_id, serial_id, manufacturer_name, hw_version,
 * sw_version, device_name; DCP application_timeout; DSC connection_profile_cd, topics_supported_cd,
 * directives_supported_cd, max_message_sz; ACK type_cd, ack_control_id; DST condition_cd, new_observations_qty,
 * new_events_qty; EOT topic_cd; DTV command_cd; REQ request_cd; TRM reason_cd; SVC, PT, OBS, OPR), and the value
 * convention (each element's value in attribute V). Element names are those of the DML XML schemas as published in
 * vendor interface manuals (e.g. Quidel Sofia POCT1-A interface specification; Roche cobas Liat Host Interface Manual
 * POCT1-A (DML)); the variants ACK.type_id and ACK.control_id seen there are accepted too.
 */
import { type XmlHandler, XmlTokenizer, XML_ANOMALIES } from '../xml/tokenizer.js';

/** Depth of element nesting tracked. */
export const MAX_DEPTH = 32;
/** Longest value kept, in characters (`long_value:<element>` when cut). */
export const MAX_VALUE_CHARS = 256;
/** Items kept in each list (topics, directives). */
export const MAX_LIST = 32;

/** Anomaly names (the part before any ":"); the tokenizer's (XML_ANOMALIES) are reported too. */
export const POCT1A_ANOMALIES = {
  ...XML_ANOMALIES,
  /** Non-blank text outside a message's root element (before it, or between messages). */
  text_outside_root: 'text outside the root element',
  /** An end tag that does not close the open element (":name"). */
  mismatched_end_tag: 'end tag not matching the open element',
  /** Elements nested deeper than MAX_DEPTH. */
  too_deep: 'nesting deeper than MAX_DEPTH',
  /** An element read twice (":name"); the first is kept. */
  duplicate_field: 'element of interest repeated, first kept',
  /** A value longer than MAX_VALUE_CHARS (":name"), cut. */
  long_value: 'value longer than MAX_VALUE_CHARS, cut',
  /** A quantity that is not a decimal number (":name"). */
  bad_number: 'quantity not a decimal number',
  /** More than MAX_LIST items in a list (":name"). */
  long_list: 'more list items than MAX_LIST',
  /** The root element is not a DML message name (TOPIC.Rnn or TOPIC.VENDOR.X). */
  unknown_root: 'root element is not a POCT1-A message name',
  /** The input ended (or a gap came) before the root element was closed. */
  unterminated_message: 'message not closed',
  /** Bytes of the connection were not captured inside this message. */
  truncated_by_gap: 'message cut by a capture gap',
  /** An XML declaration inside a message. */
  misplaced_declaration: 'XML declaration inside an element',
} as const;

/** One POCT1-A message. Values are as sent (wire text); absent elements are null. */
export interface Poct1aMessage {
  /** The root element: HEL.R01, DST.R01, OBS.R01, EOT.R01, ACK.R01, END.R01, … */
  message_type: string;
  /** Its topic: the part before the first "." (HEL, DST, OBS, …). */
  topic: string;
  /** `encoding` of the XML declaration before the message. */
  xml_encoding: string | null;
  /** HDR.control_id. */
  control_id: string | null;
  /** HDR.version_id (POCT1). */
  version_id: string | null;
  /** HDR.creation_dttm. */
  creation_dttm: string | null;
  /** DEV.device_id (often the device's MAC address). */
  device_id: string | null;
  /** DEV.vendor_id. */
  vendor_id: string | null;
  /** DEV.model_id. */
  model_id: string | null;
  /** DEV.serial_id. */
  serial_id: string | null;
  /** DEV.manufacturer_name. */
  manufacturer_name: string | null;
  /** DEV.hw_version. */
  hw_version: string | null;
  /** DEV.sw_version. */
  sw_version: string | null;
  /** DEV.device_name. */
  device_name: string | null;
  /** DSC.connection_profile_cd (SA, CS, …). */
  connection_profile: string | null;
  /** DSC.topics_supported_cd, each. */
  topics_supported: string[];
  /** DSC.directives_supported_cd, each. */
  directives_supported: string[];
  /** DSC.max_message_sz. */
  max_message_size: number | null;
  /** DCP.application_timeout (seconds). */
  application_timeout: number | null;
  /** ACK.type_cd (AA accepted, AE error). */
  ack_type: string | null;
  /** ACK.ack_control_id: the control ID acknowledged. */
  ack_control_id: string | null;
  /** DST.condition_cd. */
  status_condition: string | null;
  /** DST.new_observations_qty. */
  new_observations_qty: number | null;
  /** DST.new_events_qty. */
  new_events_qty: number | null;
  /** EOT.topic_cd: the topic ended. */
  eot_topic: string | null;
  /** DTV.command_cd. */
  directive: string | null;
  /** REQ.request_cd. */
  request: string | null;
  /** TRM.reason_cd (END.R01). */
  terminate_reason: string | null;
  /** SVC elements (test services). */
  service_count: number;
  /** OBS elements (observations; their values are never read). */
  observation_count: number;
  /** PT elements (patients). */
  patient_count: number;
  /** OPR elements (operators; never read). */
  operator_count: number;
  /** Names of the PT.* elements present with a value (PT.patient_id, PT.name, …): the PHI kinds. Never values. */
  phi_kinds: string[];
  /** Elements in the message. */
  element_count: number;
  /** See POCT1A_ANOMALIES. */
  anomalies: string[];
}

type TextField = 'control_id' | 'version_id' | 'creation_dttm' | 'device_id' | 'vendor_id' | 'model_id' | 'serial_id' |
  'manufacturer_name' | 'hw_version' | 'sw_version' | 'device_name' | 'connection_profile' | 'ack_type' |
  'ack_control_id' | 'status_condition' | 'eot_topic' | 'directive' | 'request' | 'terminate_reason';
type NumberField = 'max_message_size' | 'application_timeout' | 'new_observations_qty' | 'new_events_qty';

/** DML elements whose V is kept as text. */
const TEXT_FIELDS: Readonly<Record<string, TextField>> = {
  'HDR.control_id': 'control_id', 'HDR.version_id': 'version_id', 'HDR.creation_dttm': 'creation_dttm',
  'DEV.device_id': 'device_id', 'DEV.vendor_id': 'vendor_id', 'DEV.model_id': 'model_id', 'DEV.serial_id': 'serial_id',
  'DEV.manufacturer_name': 'manufacturer_name', 'DEV.hw_version': 'hw_version', 'DEV.sw_version': 'sw_version',
  'DEV.device_name': 'device_name', 'DSC.connection_profile_cd': 'connection_profile',
  'ACK.type_cd': 'ack_type', 'ACK.type_id': 'ack_type', 'ACK.ack_control_id': 'ack_control_id', 'ACK.control_id': 'ack_control_id',
  'DST.condition_cd': 'status_condition', 'EOT.topic_cd': 'eot_topic', 'DTV.command_cd': 'directive',
  'REQ.request_cd': 'request', 'TRM.reason_cd': 'terminate_reason', 'END.reason_cd': 'terminate_reason',
};

/** DML elements whose V is a quantity. */
const NUMBER_FIELDS: Readonly<Record<string, NumberField>> = {
  'DSC.max_message_sz': 'max_message_size', 'DCP.application_timeout': 'application_timeout',
  'DST.new_observations_qty': 'new_observations_qty', 'DST.new_events_qty': 'new_events_qty',
};

/** DML elements that repeat into a list. */
const LIST_FIELDS: Readonly<Record<string, 'topics_supported' | 'directives_supported'>> = {
  'DSC.topics_supported_cd': 'topics_supported', 'DSC.directives_supported_cd': 'directives_supported',
};

/** Counted objects. */
const COUNTED: Readonly<Record<string, 'service_count' | 'observation_count' | 'patient_count' | 'operator_count'>> = {
  SVC: 'service_count', OBS: 'observation_count', PT: 'patient_count', OPR: 'operator_count',
};

/** A DML message name: TOPIC.Rnn, or a vendor extension TOPIC.VENDOR.NAME (e.g. DTV.SIEM.DVCMD). */
const MESSAGE_NAME = /^[A-Z]{3}\.[A-Z0-9_]+(?:\.[A-Z0-9_]+)?$/;

/** A new record for the root element `name`. */
function newMessage(name: string, encoding: string | null): Poct1aMessage {
  return {
    message_type: name, topic: name.split('.')[0]!, xml_encoding: encoding, control_id: null, version_id: null,
    creation_dttm: null, device_id: null, vendor_id: null, model_id: null, serial_id: null, manufacturer_name: null,
    hw_version: null, sw_version: null, device_name: null, connection_profile: null, topics_supported: [],
    directives_supported: [], max_message_size: null, application_timeout: null, ack_type: null, ack_control_id: null,
    status_condition: null, new_observations_qty: null, new_events_qty: null, eot_topic: null, directive: null,
    request: null, terminate_reason: null, service_count: 0, observation_count: 0, patient_count: 0, operator_count: 0,
    phi_kinds: [], element_count: 0, anomalies: [],
  };
}

/**
 * Reads consecutive DML messages from one direction of a connection, in chunks; `onMessage` gets each message when
 * its root element closes (or, cut, at a gap or the end).
 */
export class Poct1aReader implements XmlHandler {
  private tok: XmlTokenizer;
  private msg: Poct1aMessage | null = null;
  private stack: string[] = [];
  /** Depth beyond MAX_DEPTH (not in `stack`). */
  private extraDepth = 0;
  private encoding: string | null = null;
  /** Anomalies met between messages, given to the next one. */
  private pending: string[] = [];
  /** Messages handed over. */
  messages = 0;
  /** Non-blank characters seen outside any message. */
  outsideBytes = 0;

  constructor(private readonly onMessage: (m: Poct1aMessage) => void) {
    this.tok = new XmlTokenizer(this);
  }

  /** True once the tokenizer stopped on input it cannot read (a tag longer than MAX_TOKEN_BYTES). */
  get failed(): boolean {
    return this.tok.failed;
  }

  /** Bytes b[off, off+len), in order. */
  feed(b: Uint8Array, off: number, len: number): void {
    this.tok.feed(b, off, len);
  }

  /** Bytes are missing: the open message is handed over cut, and reading starts afresh. */
  gap(): void {
    this.finish('truncated_by_gap');
    this.tok = new XmlTokenizer(this);
  }

  /** The input ended: an open message is handed over cut. */
  close(): void {
    this.finish('unterminated_message');
  }

  private finish(anomaly: string): void {
    if (this.msg === null) return;
    this.note(anomaly);
    this.complete();
  }

  /** Records an anomaly once on the open message, or for the next one. */
  private note(a: string): void {
    const list = this.msg !== null ? this.msg.anomalies : this.pending;
    if (!list.includes(a)) list.push(a);
  }

  private complete(): void {
    const m = this.msg!;
    this.msg = null;
    this.stack = [];
    this.extraDepth = 0;
    this.encoding = null;
    this.messages++;
    this.onMessage(m);
  }

  start(name: string, attrs: ReadonlyMap<string, string>, selfClosing: boolean): void {
    if (this.msg === null) {
      this.msg = newMessage(name, this.encoding);
      this.msg.anomalies.push(...this.pending);
      this.pending = [];
      if (!MESSAGE_NAME.test(name)) this.note('unknown_root');
    }
    const m = this.msg;
    m.element_count++;
    this.element(m, name, attrs.get('V'));
    if (selfClosing) {
      if (this.stack.length === 0 && this.extraDepth === 0) this.complete();
      return;
    }
    if (this.stack.length < MAX_DEPTH) this.stack.push(name);
    else { this.extraDepth++; this.note('too_deep'); }
  }

  /** Reads one element of interest. */
  private element(m: Poct1aMessage, name: string, v: string | undefined): void {
    const counted = COUNTED[name];
    if (counted !== undefined) m[counted]++;
    if (v === undefined || v === '') return;
    if (name.startsWith('PT.')) {
      // PHI: only that this kind of patient data is present.
      const kind = /^PT\.[A-Za-z0-9_]{1,40}$/.test(name) ? name : 'PT.other';
      if (!m.phi_kinds.includes(kind)) m.phi_kinds.push(kind);
      return;
    }
    const value = v.length > MAX_VALUE_CHARS ? (this.note(`long_value:${name}`), v.slice(0, MAX_VALUE_CHARS)) : v;
    const text = TEXT_FIELDS[name];
    if (text !== undefined) {
      if (m[text] === null) m[text] = value;
      else this.note(`duplicate_field:${name}`);
      return;
    }
    const num = NUMBER_FIELDS[name];
    if (num !== undefined) {
      if (m[num] !== null) { this.note(`duplicate_field:${name}`); return; }
      if (/^\s*\d{1,9}\s*$/.test(value)) m[num] = Number(value);
      else this.note(`bad_number:${name}`);
      return;
    }
    const list = LIST_FIELDS[name];
    if (list !== undefined) {
      if (m[list].length < MAX_LIST) m[list].push(value);
      else this.note(`long_list:${name}`);
    }
  }

  end(name: string): void {
    if (this.msg === null) { this.note(`mismatched_end_tag:${name.slice(0, 40)}`); return; }
    if (this.extraDepth > 0) { this.extraDepth--; return; }
    const top = this.stack[this.stack.length - 1];
    if (top !== name) {
      this.note(`mismatched_end_tag:${name.slice(0, 40)}`);
      const at = this.stack.lastIndexOf(name);
      if (at < 0) return; // a stray end tag: ignored
      this.stack.length = at + 1;
    }
    this.stack.pop();
    if (this.stack.length === 0) this.complete();
  }

  declaration(attrs: ReadonlyMap<string, string>): void {
    if (this.msg !== null) { this.note('misplaced_declaration'); return; }
    const enc = attrs.get('encoding');
    this.encoding = enc === undefined ? null : enc.slice(0, MAX_VALUE_CHARS);
  }

  text(_bytes: number, nonBlank: number): void {
    if (this.msg !== null || nonBlank === 0) return;
    this.outsideBytes += nonBlank;
    this.note('text_outside_root');
  }

  anomaly(name: string, _fatal: boolean): void {
    this.note(name);
  }
}

/** Result of parsePoct1aMessage. */
export type Poct1aParseResult = { ok: true; value: Poct1aMessage } | { ok: false; error: string };

/**
 * Parses the first POCT1-A message in b[off, off+len) (what follows it is ignored). Fails for bad bounds, or when no
 * root element starts (`no_message`); a message not closed by the end is returned with `unterminated_message`.
 * Never throws and never reads outside b[off, off+len).
 */
export function parsePoct1aMessage(b: Uint8Array, off: number, len: number): Poct1aParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const found: Poct1aMessage[] = [];
  const reader = new Poct1aReader((m) => { if (found.length === 0) found.push(m); });
  reader.feed(b.subarray(off, off + len), 0, len);
  reader.close();
  const first = found[0];
  return first === undefined ? { ok: false, error: reader.failed ? 'token_too_long' : 'no_message' } : { ok: true, value: first };
}
