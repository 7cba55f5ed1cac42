/**
 * IntelliVue Data Export attribute decoding (Philips "IntelliVue Patient Monitor Data Export Interface Programming
 * Guide", sections "Attribute Data Types and Constants Used", "Attribute IDs", "Object Classes"): the AttributeList /
 * AVAType walk, the MDS identity attributes (System Model, System ID, Production Specification, Bed Label, Protocol
 * Support, IP Address Information, …) and the patient demographics attributes — of which only the KIND is kept
 * (never a value). Pure: no state, no I/O, never throws, never reads outside the range it is given.
 */
import { escapeCodePoint, decodeWireText, hexText, ipv4Text, macText, trimTrailingNuls } from '../wire-text.js';

/** Most attributes walked in one AttributeList; the rest are skipped. */
export const MAX_INTELLIVUE_ATTRIBUTES = 256;
/** Most entries kept from a Production Specification, Protocol Support or System Specification list. */
export const MAX_INTELLIVUE_LIST_ENTRIES = 32;
/** Longest label or string kept (bytes on the wire); a longer one is cut. */
export const MAX_INTELLIVUE_LABEL_BYTES = 128;

/** Attribute ids of the Object Oriented partition (guide: "Attribute IDs"). */
export const ATTR = {
  ALTITUDE: 0x090c,
  AREA_APPL: 0x090d,
  ID_BED_LABEL: 0x091e,
  ID_MODEL: 0x0928,
  ID_PROD_SPECN: 0x092d,
  LINE_FREQ: 0x0935,
  LOCALIZN: 0x0937,
  MODE_OP: 0x0946,
  NOM_VERS: 0x0948,
  SYS_ID: 0x0984,
  SYS_SPECN: 0x0985,
  SYS_TYPE: 0x0986,
  VMS_MDS_STAT: 0x09a7,
  NET_ADDR_INFO: 0xf100,
  PCOL_SUPPORT: 0xf101,
} as const;

/** Patient demographics attribute ids → the PHI kind recorded for them (guide: "Patient Demographics" object). */
export const PATIENT_ATTRIBUTE_KINDS: ReadonlyMap<number, string> = new Map([
  [0x095c, 'name'], // NOM_ATTR_PT_NAME_FAMILY
  [0x095d, 'name'], // NOM_ATTR_PT_NAME_GIVEN
  [0x095a, 'id'], // NOM_ATTR_PT_ID
  [0xf001, 'internal_id'], // NOM_ATTR_PT_ID_INT
  [0x0958, 'birth_date'], // NOM_ATTR_PT_DOB
  [0x0961, 'sex'], // NOM_ATTR_PT_SEX
  [0x09d8, 'age'], // NOM_ATTR_PT_AGE
  [0x09dc, 'height'], // NOM_ATTR_PT_HEIGHT
  [0x09df, 'weight'], // NOM_ATTR_PT_WEIGHT
  [0x0956, 'bsa'], // NOM_ATTR_PT_BSA
  [0x0962, 'patient_type'], // NOM_ATTR_PT_TYPE
  [0x0a1e, 'paced_mode'], // NOM_ATTR_PT_PACED_MODE
  [0xf129, 'notes'], // NOM_ATTR_PT_NOTES1
  [0xf12a, 'notes'], // NOM_ATTR_PT_NOTES2
]);

/** Production Specification spec_type codes (guide: ProdSpecEntry). */
export const SPEC_TYPE_NAMES: readonly string[] = ['unspecified', 'serial_number', 'part_number', 'hw_revision', 'sw_revision', 'fw_revision', 'protocol_revision'];

/** Component id of the overall product (ID_COMP_PRODUCT): its entries are the device's own serial, part number, … */
export const ID_COMP_PRODUCT = 0x0008;

/** Language codes of the System Localization attribute (guide: SystemLocal.language), index = code. */
const LANGUAGES: readonly string[] = [
  'unspecified', 'english', 'german', 'french', 'italian', 'spanish', 'dutch', 'swedish', 'finnish', 'norwegian', 'danish',
  'japanese', 'chinese_taiwan', 'chinese_prc', 'portuguese', 'russian', 'byelorussian', 'ukrainian', 'croatian', 'serbian',
  'macedonian', 'bulgarian', 'greek', 'polish', 'czech', 'slovak', 'slovenian', 'hungarian', 'romanian', 'turkish', 'latvian',
  'lithuanian', 'estonian', 'korean',
];

/** Operating Mode bits (guide: NOM_ATTR_MODE_OP), most significant first. */
const OPERATING_MODES: readonly [number, string][] = [[0x8000, 'unspecified'], [0x4000, 'monitoring'], [0x2000, 'demo'], [0x1000, 'service'], [0x0002, 'standby'], [0x0001, 'config']];

/** One Production Specification entry: spec type (name or number), component id and the text. */
export interface IntellivueProdSpec {
  spec_type: string;
  component_id: number;
  value: string;
}

/** One Protocol Support entry (guide: ProtoSupportEntry): application protocol, transport, port, wireless option. */
export interface IntellivueProtocolEntry {
  /** 1 ACSE (association control), 5 data export. */
  appl_proto: number;
  /** 1 UDP. */
  trans_proto: number;
  port: number;
  wireless: boolean;
}

/**
 * The identity attributes of an IntelliVue monitor's MDS (Medical Device System) object, from a Connect Indication,
 * the MDS Create Event, or a poll / get of the MDS object. Every field null when its attribute was absent.
 */
export interface IntellivueSystem {
  /** System Model: manufacturer (VariableLabel, trailing NULs dropped). */
  manufacturer: string | null;
  /** System Model: model number. */
  model_number: string | null;
  /** System ID: the MDS's unique id (its MAC address, aa:bb:cc:dd:ee:ff when 6 bytes; else hex). */
  system_id: string | null;
  /** System Type: the nomenclature code (partition:code). */
  system_type: string | null;
  /** Nomenclature Version, 8 hex digits. */
  nomenclature_version: string | null;
  /** System Localization: language name (or its number) and text catalog revision (8 hex digits). */
  language: string | null;
  text_catalog_revision: string | null;
  /** Production Specification: the ID_COMP_PRODUCT entry of each kind, else the first entry of that kind. */
  serial_number: string | null;
  part_number: string | null;
  hw_revision: string | null;
  sw_revision: string | null;
  fw_revision: string | null;
  protocol_revision: string | null;
  /** Every Production Specification entry, at most MAX_INTELLIVUE_LIST_ENTRIES. */
  production_spec: IntellivueProdSpec[];
  /** Bed Label (a location label, not patient data). */
  bed_label: string | null;
  /** Line Frequency: 50, 60, or 0 (unspecified). */
  line_frequency: number | null;
  /** Altitude, metres. */
  altitude_m: number | null;
  /** Operating Mode names (monitoring, demo, service, standby, config). */
  operating_mode: string[] | null;
  /** Application Area (0 unspecified, 1 operating room, 2 ICU, 3 NICU, 4 cardiology). */
  application_area: number | null;
  /** MDS Status (0 disconnected, 1 unassociated, 6 operating). */
  mds_status: number | null;
  /** System Specification: the component capability ids listed. */
  system_spec_components: number[];
  /** Protocol Support entries; the data export port is the UDP entry of application protocol 5. */
  protocols: IntellivueProtocolEntry[];
  data_export_port: number | null;
  /** IP Address Information: MAC, IPv4 address and subnet mask of the monitor's interface. */
  mac_address: string | null;
  ip_address: string | null;
  subnet_mask: string | null;
}

/** A fresh system record with every field absent. */
export function emptySystem(): IntellivueSystem {
  return {
    manufacturer: null, model_number: null, system_id: null, system_type: null, nomenclature_version: null, language: null,
    text_catalog_revision: null, serial_number: null, part_number: null, hw_revision: null, sw_revision: null, fw_revision: null,
    protocol_revision: null, production_spec: [], bed_label: null, line_frequency: null, altitude_m: null, operating_mode: null,
    application_area: null, mds_status: null, system_spec_components: [], protocols: [], data_export_port: null,
    mac_address: null, ip_address: null, subnet_mask: null,
  };
}

/** Big-endian 16-bit value at o. */
export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Big-endian 32-bit value at o. */
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** 8 lower-case hex digits of a 32-bit value. */
export function hex32(v: number): string {
  return v.toString(16).padStart(8, '0');
}

/** Where an anomaly is reported: the record's list (names are the parser's INTELLIVUE_ANOMALIES keys). */
export type AnomalySink = (name: string) => void;

/**
 * Walks an AttributeList (count, length, AVAType*) at b[p, end): calls `each(id, valueStart, valueEnd)` for every
 * attribute whose value lies inside the list. Reports `bad_attribute_list` when the list or an attribute runs past its
 * bounds or the count disagrees with the entries found, `too_many_attributes` past MAX_INTELLIVUE_ATTRIBUTES.
 * @returns the offset after the list (its declared end, clamped to `end`), or -1 when not even count/length fit.
 */
export function walkAttributeList(b: Uint8Array, p: number, end: number, anomaly: AnomalySink, each: (id: number, vs: number, ve: number) => void): number {
  if (p + 4 > end) {
    anomaly('bad_attribute_list');
    return -1;
  }
  const count = u16(b, p);
  let listEnd = p + 4 + u16(b, p + 2);
  if (listEnd > end) {
    anomaly('bad_attribute_list');
    listEnd = end;
  }
  let q = p + 4;
  let seen = 0;
  while (q + 4 <= listEnd && seen < count) {
    if (seen >= MAX_INTELLIVUE_ATTRIBUTES) {
      anomaly('too_many_attributes');
      return listEnd;
    }
    const ve = q + 4 + u16(b, q + 2);
    if (ve > listEnd) break;
    each(u16(b, q), q + 4, ve);
    seen++;
    q = ve;
  }
  if (seen !== count || q !== listEnd) anomaly('bad_attribute_list');
  return listEnd;
}

/** ASCII text of a VariableLabel (length, bytes) at b[p, end), trailing NULs dropped; null if it does not fit. */
function variableLabel(b: Uint8Array, p: number, end: number): { text: string; next: number } | null {
  if (p + 2 > end) return null;
  const next = p + 2 + u16(b, p);
  if (next > end) return null;
  const stop = trimTrailingNuls(b, p + 2, Math.min(next, p + 2 + MAX_INTELLIVUE_LABEL_BYTES));
  return { text: decodeWireText(b, p + 2, stop), next };
}

/** Text of a String (length in bytes, UTF-16BE code units, NUL-terminated) at b[p, end); null if it does not fit. */
function unicodeString(b: Uint8Array, p: number, end: number): string | null {
  if (p + 2 > end) return null;
  const stop = p + 2 + u16(b, p);
  if (stop > end) return null;
  let out = '';
  for (let i = p + 2; i + 1 < Math.min(stop, p + 2 + MAX_INTELLIVUE_LABEL_BYTES); i += 2) {
    const u = u16(b, i);
    if (u === 0) break;
    out += escapeCodePoint(u) ?? String.fromCharCode(u);
  }
  return out;
}

/** The list header (count, length) of a list attribute at b[vs, ve), and the end of its entries; null when it does not fit. */
function listBounds(b: Uint8Array, vs: number, ve: number, anomaly: AnomalySink): { count: number; end: number } | null {
  if (vs + 4 > ve) {
    anomaly('bad_attribute_value');
    return null;
  }
  const end = vs + 4 + u16(b, vs + 2);
  if (end > ve) anomaly('bad_attribute_value');
  return { count: Math.min(u16(b, vs), MAX_INTELLIVUE_LIST_ENTRIES), end: Math.min(end, ve) };
}

/** Production Specification (count, length, ProdSpecEntry {spec_type, component_id, VariableLabel}*). */
function readProductionSpec(b: Uint8Array, vs: number, ve: number, sys: IntellivueSystem, anomaly: AnomalySink): void {
  const list = listBounds(b, vs, ve, anomaly);
  if (list === null) return;
  let p = vs + 4;
  for (let i = 0; i < list.count; i++) {
    const label = p + 4 <= list.end ? variableLabel(b, p + 4, list.end) : null;
    if (label === null) {
      anomaly('bad_attribute_value');
      return;
    }
    const type = u16(b, p);
    const component = u16(b, p + 2);
    const name = SPEC_TYPE_NAMES[type] ?? String(type);
    if (sys.production_spec.length < MAX_INTELLIVUE_LIST_ENTRIES) sys.production_spec.push({ spec_type: name, component_id: component, value: label.text });
    if (type >= 1 && type <= 6 && label.text !== '') {
      const key = name as 'serial_number' | 'part_number' | 'hw_revision' | 'sw_revision' | 'fw_revision' | 'protocol_revision';
      if (sys[key] === null || component === ID_COMP_PRODUCT) sys[key] = label.text;
    }
    p = label.next;
  }
}

/** Protocol Support (count, length, ProtoSupportEntry {appl_proto, trans_proto, port_number, options}*). */
function readProtocolSupport(b: Uint8Array, vs: number, ve: number, sys: IntellivueSystem, anomaly: AnomalySink): void {
  const list = listBounds(b, vs, ve, anomaly);
  if (list === null) return;
  for (let i = 0, p = vs + 4; i < list.count; i++, p += 8) {
    if (p + 8 > list.end) {
      anomaly('bad_attribute_value');
      return;
    }
    const e: IntellivueProtocolEntry = { appl_proto: u16(b, p), trans_proto: u16(b, p + 2), port: u16(b, p + 4), wireless: (u16(b, p + 6) & 0x8000) !== 0 };
    sys.protocols.push(e);
    if (e.appl_proto === 5 && e.trans_proto === 1 && sys.data_export_port === null) sys.data_export_port = e.port;
  }
}

/** System Specification (count, length, SystemSpecEntry {component_capab_id, length, value}*): the component ids. */
function readSystemSpec(b: Uint8Array, vs: number, ve: number, sys: IntellivueSystem, anomaly: AnomalySink): void {
  const list = listBounds(b, vs, ve, anomaly);
  if (list === null) return;
  let p = vs + 4;
  for (let i = 0; i < list.count; i++) {
    if (p + 4 > list.end || p + 4 + u16(b, p + 2) > list.end) {
      anomaly('bad_attribute_value');
      return;
    }
    sys.system_spec_components.push(u16(b, p));
    p += 4 + u16(b, p + 2);
  }
}

/** Decoders of the fixed-size identity attributes: minimum value length and what to set. */
const FIXED: ReadonlyMap<number, [number, (b: Uint8Array, v: number, s: IntellivueSystem) => void]> = new Map([
  [ATTR.SYS_TYPE, [4, (b, v, s) => { s.system_type = `${u16(b, v)}:${u16(b, v + 2)}`; }]],
  [ATTR.NOM_VERS, [4, (b, v, s) => { s.nomenclature_version = hex32(u32(b, v)); }]],
  [ATTR.LOCALIZN, [8, (b, v, s) => {
    s.text_catalog_revision = hex32(u32(b, v));
    s.language = LANGUAGES[u16(b, v + 4)] ?? String(u16(b, v + 4));
  }]],
  [ATTR.LINE_FREQ, [2, (b, v, s) => { s.line_frequency = [0, 50, 60][u16(b, v)] ?? null; }]],
  [ATTR.ALTITUDE, [2, (b, v, s) => { s.altitude_m = (u16(b, v) << 16) >> 16; }]],
  [ATTR.MODE_OP, [2, (b, v, s) => { s.operating_mode = OPERATING_MODES.filter(([bit]) => (u16(b, v) & bit) !== 0).map(([, n]) => n); }]],
  [ATTR.AREA_APPL, [2, (b, v, s) => { s.application_area = u16(b, v); }]],
  [ATTR.VMS_MDS_STAT, [2, (b, v, s) => { s.mds_status = u16(b, v); }]],
  [ATTR.NET_ADDR_INFO, [14, (b, v, s) => {
    s.mac_address = macText(b, v);
    s.ip_address = ipv4Text(b, v + 6);
    s.subnet_mask = ipv4Text(b, v + 10);
  }]],
]);

/**
 * Decodes one MDS identity attribute (id, value b[vs, ve)) into `sys`; ignores attributes it does not know.
 * @returns true when the attribute is one of the identity attributes.
 */
export function readSystemAttribute(b: Uint8Array, id: number, vs: number, ve: number, sys: IntellivueSystem, anomaly: AnomalySink): boolean {
  const fixed = FIXED.get(id);
  if (fixed !== undefined) {
    if (ve - vs < fixed[0]) anomaly('bad_attribute_value');
    else fixed[1](b, vs, sys);
    return true;
  }
  switch (id) {
    case ATTR.ID_MODEL: {
      const maker = variableLabel(b, vs, ve);
      const model = maker === null ? null : variableLabel(b, maker.next, ve);
      if (maker === null || model === null) anomaly('bad_attribute_value');
      sys.manufacturer = maker?.text ?? null;
      sys.model_number = model?.text ?? null;
      return true;
    }
    case ATTR.SYS_ID: {
      if (vs + 2 > ve || vs + 2 + u16(b, vs) > ve) anomaly('bad_attribute_value');
      else sys.system_id = u16(b, vs) === 6 ? macText(b, vs + 2) : hexText(b, vs + 2, vs + 2 + Math.min(u16(b, vs), MAX_INTELLIVUE_LABEL_BYTES));
      return true;
    }
    case ATTR.ID_BED_LABEL: {
      const label = unicodeString(b, vs, ve);
      if (label === null) anomaly('bad_attribute_value');
      sys.bed_label = label;
      return true;
    }
    case ATTR.ID_PROD_SPECN: readProductionSpec(b, vs, ve, sys, anomaly); return true;
    case ATTR.PCOL_SUPPORT: readProtocolSupport(b, vs, ve, sys, anomaly); return true;
    case ATTR.SYS_SPECN: readSystemSpec(b, vs, ve, sys, anomaly); return true;
    default: return false;
  }
}

/**
 * The PHI kind of a patient demographics attribute whose value is not blank (some byte non-zero after a String's
 * length field), or null. Only the kind is returned: the value is never read into a string.
 */
export function patientAttributeKind(b: Uint8Array, id: number, vs: number, ve: number): string | null {
  const kind = PATIENT_ATTRIBUTE_KINDS.get(id);
  if (kind === undefined) return null;
  const start = kind === 'name' || kind === 'id' || kind === 'notes' ? vs + 2 : vs;
  for (let i = start; i < ve; i++) if (b[i] !== 0 && !(kind === 'birth_date' && b[i] === 0xff)) return kind;
  return null;
}
