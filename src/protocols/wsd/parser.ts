/**
 * WS-Discovery message parser (SOAP-over-UDP, port 3702): one datagram → a flat `WsdMessage` record, with the
 * IEEE 11073-20701 (SDC) discovery scopes decoded. Pure: no state, no I/O, never throws, never reads outside
 * b[off, off+len); built on the bounded XML element tree (../xml/tree.ts).
 *
 * Specs:
 * - OASIS WS-Discovery 1.1 (2009) §4.1 Hello, §4.2 Bye, §5.2 Probe, §5.3 Probe Match, §6.1 Resolve, §6.2 Resolve
 *   Match, §7 AppSequence (InstanceId, SequenceId, MessageNumber), §5.1 Types / Scopes / MatchBy, XAddrs,
 *   MetadataVersion; the April 2005 draft (namespace schemas.xmlsoap.org/ws/2005/04/discovery, Windows WSD) has
 *   the same messages;
 * - SOAP-over-UDP 1.1 (OASIS 2009) §3 (one envelope per datagram), SOAP 1.2 Part 1 §5 (Envelope, Header, Body);
 * - WS-Addressing 1.0 Core §2 (EndpointReference, Address), §3 (MessageID, RelatesTo, To, Action) and the 2004/08
 *   submission (same elements);
 * - IEEE 11073-20701-2018 §9.3 (SDC discovery scopes): `sdc.ctxt.loc:` location context (query items fac, bldng,
 *   flr, poc, rm, bed), `sdc.ctxt.pat:` / `sdc.ctxt.opr:` / `sdc.ctxt.wfl:` … other context scopes,
 *   `sdc.mds.pkp:` participant key purpose, `sdc.cdc.type:` component type; IEEE 11073-20702-2016 §5 (MDPWS
 *   `mdpws:MedicalDevice` type);
 * - RFC 3986 §2.1 (percent-encoding in scope URIs).
 *
 * PHI: a patient, operator or workflow context scope identifies a person or an order; its value is never kept —
 * only its kind is listed in `phi_kinds`. Location scopes (where the device stands) are kept.
 */
import { childElement, childElements, type XmlElement, parseXmlTree, resolveQName, trimmedText, XML_TREE_ANOMALIES } from '../xml/tree.js';
import { MDPWS_MEDICAL_DEVICE, SOAP_NS, WSA_NS, WSD_11_NS, WSD_2005_NS, WSD_NS } from './namespaces.js';

/** Largest datagram parsed (SOAP-over-UDP 1.1 §3.1: a message fits one UDP datagram, ≤ 65 507 bytes). */
export const MAX_WSD_BYTES = 65536;
/** Items kept per list (types, scopes, XAddrs, matches); more → `long_list`. */
export const MAX_WSD_LIST = 32;
/** Longest value kept, in characters; longer → `long_value`, cut. */
export const MAX_WSD_VALUE = 512;

/** Anomaly names (the part before any ":"); the XML tree's are reported too. */
export const WSD_ANOMALIES = {
  ...XML_TREE_ANOMALIES,
  /** The datagram was longer than MAX_WSD_BYTES and was cut. */
  oversized_message: 'datagram longer than MAX_WSD_BYTES, cut',
  /** A SOAP envelope without a Header or a Body. */
  missing_header: 'SOAP envelope without Header',
  missing_body: 'SOAP envelope without Body',
  /** The Body's element is not a WS-Discovery message. */
  unknown_body: 'Body element is not a WS-Discovery message',
  /** The Action header does not match the Body's element (":action"). */
  action_mismatch: 'Action header not the Body message\'s action',
  /** A QName in Types whose prefix is not declared (kept as written in types_raw only). */
  unresolved_type: 'type QName with an undeclared prefix',
  /** A list longer than MAX_WSD_LIST (":field"). */
  long_list: 'more items than MAX_WSD_LIST',
  /** A value longer than MAX_WSD_VALUE (":field"), cut. */
  long_value: 'value longer than MAX_WSD_VALUE, cut',
  /** An AppSequence attribute that is not an unsigned integer (":attribute"). */
  bad_number: 'AppSequence or MetadataVersion not an unsigned integer',
  /** A required element is missing (":element"), e.g. the EndpointReference of a Hello. */
  missing_element: 'required element missing',
} as const;

/** What a WS-Discovery message is, from its Body element. */
export type WsdMessageType = 'hello' | 'bye' | 'probe' | 'probe_matches' | 'resolve' | 'resolve_matches' | 'fault' | 'other';

/** The decoded SDC location context of a `sdc.ctxt.loc:` scope (IEEE 11073-20701 §9.3; LocationDetail of 10207). */
export interface SdcLocation {
  /** Facility, building, floor, point of care, room, bed: the query items fac, bldng, flr, poc, rm, bed. */
  facility: string | null;
  building: string | null;
  floor: string | null;
  point_of_care: string | null;
  room: string | null;
  bed: string | null;
}

/** One endpoint described by a Hello, Bye, ProbeMatch or ResolveMatch (or asked for by a Resolve). */
export interface WsdEndpoint {
  /** EndpointReference/Address (usually `urn:uuid:…`). */
  address: string | null;
  /** Types, resolved to `{namespace}local` (QNames whose prefix is undeclared are left out). */
  types: string[];
  /** Types as written. */
  types_raw: string | null;
  /** Scopes (URIs), except those withheld as PHI. */
  scopes: string[];
  /** XAddrs: transport addresses (URLs). */
  xaddrs: string[];
  /** MetadataVersion. */
  metadata_version: number | null;
}

/** One decoded WS-Discovery message. */
export interface WsdMessage {
  /** The message type from the Body element. */
  message_type: WsdMessageType;
  /** The Body element's local name as sent. */
  body_element: string | null;
  /** WS-Discovery version by namespace: '1.1' (OASIS 2009) or '2005' (April 2005 draft); null if neither. */
  wsd_version: '1.1' | '2005' | null;
  /** SOAP version by envelope namespace. */
  soap_version: '1.2' | '1.1' | null;
  /** WS-Addressing headers. */
  action: string | null;
  message_id: string | null;
  relates_to: string | null;
  to: string | null;
  /** AppSequence header (Hello, Bye, matches). */
  app_instance_id: number | null;
  app_sequence_id: string | null;
  app_message_number: number | null;
  /** The endpoints described: one for Hello, Bye, ResolveMatches, Resolve; one per ProbeMatch. */
  endpoints: WsdEndpoint[];
  /** Probe: the types and scopes searched for, and the scope matching rule. */
  probe_types: string[];
  /** Probe: the Types as written. */
  probe_types_raw: string | null;
  probe_scopes: string[];
  probe_match_by: string | null;
  /** Some endpoint or probe names the MDPWS MedicalDevice type (IEEE 11073-20702). */
  medical_device: boolean;
  /** SDC location contexts decoded from `sdc.ctxt.loc:` scopes (at most MAX_WSD_LIST). */
  sdc_locations: SdcLocation[];
  /** SDC participant key purposes (`sdc.mds.pkp:` scopes: the OID after the prefix). */
  sdc_key_purposes: string[];
  /** SDC component types (`sdc.cdc.type:` scopes, as written after the prefix). */
  sdc_component_types: string[];
  /** Kinds of personal data present in scopes and withheld: patient_context, operator_context, workflow_context. */
  phi_kinds: string[];
  /** Anomaly names (WSD_ANOMALIES), some followed by ":detail". */
  anomalies: string[];
}

/** Result of parseWsd. */
export type WsdParseResult = { ok: true; value: WsdMessage } | { ok: false; error: string };

/** Body element local name → message type and the action suffix. */
const BODY_TYPES: Readonly<Record<string, WsdMessageType>> = {
  Hello: 'hello', Bye: 'bye', Probe: 'probe', ProbeMatches: 'probe_matches', Resolve: 'resolve', ResolveMatches: 'resolve_matches',
};

/**
 * Context scope markers whose values identify a person or an order (IEEE 11073-20701 §9.3; 10207 contexts). A scope
 * is withheld when the marker appears anywhere in it (`sdc.ctxt.pat:` starts it, `sdc.ctxt.pat.detail` is in its
 * path), so that a scope damaged in one place still does not leak.
 */
const PHI_SCOPES: readonly [string, string][] = [
  ['ctxt.pat', 'patient_context'],
  ['ctxt.opr', 'operator_context'],
  ['ctxt.wfl', 'workflow_context'],
];

/** A white-space delimited token holding a PHI marker, anywhere in a text. */
const PHI_TOKEN = /[^\s<>]*ctxt\.(pat|opr|wfl)[^\s<>]*/gi;
const PHI_KIND: Readonly<Record<string, string>> = { pat: 'patient_context', opr: 'operator_context', wfl: 'workflow_context' };

/**
 * Withholds, in every text of the record, a token carrying a personal context marker — a damaged message can put a
 * scope's text into another element (Types, XAddrs, …); the kinds found are added to `phi_kinds`.
 */
function scrubPhi(m: WsdMessage): void {
  const scrub = (v: string): string => v.replace(PHI_TOKEN, (_t, k: string) => {
    const kind = PHI_KIND[k.toLowerCase()]!;
    if (!m.phi_kinds.includes(kind)) m.phi_kinds.push(kind);
    return `<withheld:${kind}>`;
  });
  const walk = (o: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'phi_kinds') continue;
      if (typeof v === 'string') o[k] = scrub(v);
      else if (Array.isArray(v)) v.forEach((x, i) => { if (typeof x === 'string') v[i] = scrub(x); else if (x !== null && typeof x === 'object') walk(x as Record<string, unknown>); });
      else if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
    }
  };
  walk(m as unknown as Record<string, unknown>);
}

/** Location query items → SdcLocation fields. */
const LOCATION_ITEMS: Readonly<Record<string, keyof SdcLocation>> = {
  fac: 'facility', bldng: 'building', flr: 'floor', poc: 'point_of_care', rm: 'room', bed: 'bed',
};

/** Accumulates anomalies without repeats. */
class Notes {
  readonly list: string[] = [];
  add(a: string): void {
    if (!this.list.includes(a)) this.list.push(a);
  }
}

/** A value cut to MAX_WSD_VALUE (noting `long_value:field`). */
function bounded(v: string | null, field: string, n: Notes): string | null {
  if (v === null || v.length <= MAX_WSD_VALUE) return v;
  n.add(`long_value:${field}`);
  return v.slice(0, MAX_WSD_VALUE);
}

/** A white-space separated list (Types, Scopes, XAddrs), bounded. */
function listOf(el: XmlElement | undefined, field: string, n: Notes): string[] {
  const t = trimmedText(el);
  if (t === null || t === '') return [];
  const items = t.split(/[ \t\r\n]+/);
  if (items.length > MAX_WSD_LIST) n.add(`long_list:${field}`);
  return items.slice(0, MAX_WSD_LIST).map((s) => bounded(s, field, n)!);
}

/** An unsigned integer (xs:unsignedInt / unsignedLong kept as a JS number when exact), or null noting bad_number. */
function unsigned(v: string | null | undefined, field: string, n: Notes): number | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  if (/^[0-9]{1,15}$/.test(t)) return Number(t);
  n.add(`bad_number:${field}`);
  return null;
}

/** Decodes percent-escapes (RFC 3986 §2.1) of a scope component; malformed escapes are kept as written. */
function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

/** The location context of a `sdc.ctxt.loc:` scope: its query items (IEEE 11073-20701 §9.3). */
export function parseSdcLocation(scope: string): SdcLocation {
  const loc: SdcLocation = { facility: null, building: null, floor: null, point_of_care: null, room: null, bed: null };
  const q = scope.indexOf('?');
  if (q < 0) return loc;
  for (const item of scope.slice(q + 1).split('&')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const field = LOCATION_ITEMS[item.slice(0, eq)];
    if (field !== undefined && loc[field] === null) loc[field] = percentDecode(item.slice(eq + 1)).slice(0, MAX_WSD_VALUE);
  }
  return loc;
}

/** Sorts scopes: PHI ones withheld (their kinds noted), SDC ones decoded into the message. */
function readScopes(all: string[], m: WsdMessage): string[] {
  const kept: string[] = [];
  for (const s of all) {
    const lower = s.toLowerCase();
    const phi = PHI_SCOPES.find(([p]) => lower.includes(p));
    if (phi !== undefined) {
      if (!m.phi_kinds.includes(phi[1])) m.phi_kinds.push(phi[1]);
      continue;
    }
    kept.push(s);
    if (lower.startsWith('sdc.ctxt.loc:') && m.sdc_locations.length < MAX_WSD_LIST) m.sdc_locations.push(parseSdcLocation(s));
    else if (lower.startsWith('sdc.mds.pkp:') && m.sdc_key_purposes.length < MAX_WSD_LIST) m.sdc_key_purposes.push(s.slice(12));
    else if (lower.startsWith('sdc.cdc.type:') && m.sdc_component_types.length < MAX_WSD_LIST) m.sdc_component_types.push(s.slice(13));
  }
  return kept;
}

/** Types of `el` resolved in its scope. */
function readTypes(el: XmlElement | undefined, n: Notes): string[] {
  const out: string[] = [];
  for (const q of listOf(el, 'types', n)) {
    const r = resolveQName(el!, q);
    if (r === null) n.add('unresolved_type');
    else out.push(r);
  }
  return out;
}

/** The WS-Addressing EndpointReference/Address of `el`. */
function endpointAddress(el: XmlElement | undefined, n: Notes): string | null {
  return bounded(trimmedText(childElement(childElement(el, WSA_NS, 'EndpointReference'), WSA_NS, 'Address')), 'address', n);
}

/** One endpoint description (Hello, Bye, ProbeMatch, ResolveMatch, Resolve). */
function readEndpoint(el: XmlElement, m: WsdMessage, n: Notes): WsdEndpoint {
  const address = endpointAddress(el, n);
  if (address === null) n.add(`missing_element:EndpointReference`);
  const typesEl = childElement(el, WSD_NS, 'Types');
  const types = readTypes(typesEl, n);
  if (types.includes(MDPWS_MEDICAL_DEVICE)) m.medical_device = true;
  const mv = childElement(el, WSD_NS, 'MetadataVersion');
  return {
    address,
    types,
    types_raw: bounded(trimmedText(typesEl), 'types', n),
    scopes: readScopes(listOf(childElement(el, WSD_NS, 'Scopes'), 'scopes', n), m),
    xaddrs: listOf(childElement(el, WSD_NS, 'XAddrs'), 'xaddrs', n),
    metadata_version: unsigned(trimmedText(mv), 'MetadataVersion', n),
  };
}

/** The Body message's content into `m`. */
function readBody(msg: XmlElement, m: WsdMessage, n: Notes): void {
  switch (m.message_type) {
    case 'hello':
    case 'bye':
      m.endpoints.push(readEndpoint(msg, m, n));
      return;
    case 'resolve':
      m.endpoints.push({ address: endpointAddress(msg, n), types: [], types_raw: null, scopes: [], xaddrs: [], metadata_version: null });
      if (m.endpoints[0]!.address === null) n.add('missing_element:EndpointReference');
      return;
    case 'probe_matches':
    case 'resolve_matches': {
      const matches = childElements(msg, WSD_NS, m.message_type === 'probe_matches' ? 'ProbeMatch' : 'ResolveMatch');
      if (matches.length > MAX_WSD_LIST) n.add(`long_list:matches`);
      for (const x of matches.slice(0, MAX_WSD_LIST)) m.endpoints.push(readEndpoint(x, m, n));
      return;
    }
    case 'probe': {
      const typesEl = childElement(msg, WSD_NS, 'Types');
      m.probe_types = readTypes(typesEl, n);
      m.probe_types_raw = bounded(trimmedText(typesEl), 'types', n);
      if (m.probe_types.includes(MDPWS_MEDICAL_DEVICE)) m.medical_device = true;
      const scopes = childElement(msg, WSD_NS, 'Scopes');
      m.probe_scopes = readScopes(listOf(scopes, 'scopes', n), m);
      m.probe_match_by = bounded(scopes?.attrs.get('MatchBy') ?? null, 'MatchBy', n);
      return;
    }
    default:
      return;
  }
}

/** The SOAP/WS-Addressing header fields into `m`. */
function readHeader(header: XmlElement, m: WsdMessage, n: Notes): void {
  const text = (local: string): string | null => bounded(trimmedText(childElement(header, WSA_NS, local)), local, n);
  m.action = text('Action');
  m.message_id = text('MessageID');
  m.relates_to = text('RelatesTo');
  m.to = text('To');
  const seq = childElement(header, WSD_NS, 'AppSequence');
  if (seq !== undefined) {
    m.app_instance_id = unsigned(seq.attrs.get('InstanceId'), 'InstanceId', n);
    m.app_sequence_id = bounded(seq.attrs.get('SequenceId') ?? null, 'SequenceId', n);
    m.app_message_number = unsigned(seq.attrs.get('MessageNumber'), 'MessageNumber', n);
  }
}

/** An empty record. */
function emptyMessage(): WsdMessage {
  return {
    message_type: 'other', body_element: null, wsd_version: null, soap_version: null, action: null, message_id: null,
    relates_to: null, to: null, app_instance_id: null, app_sequence_id: null, app_message_number: null, endpoints: [],
    probe_types: [], probe_types_raw: null, probe_scopes: [], probe_match_by: null, medical_device: false, sdc_locations: [],
    sdc_key_purposes: [], sdc_component_types: [], phi_kinds: [], anomalies: [],
  };
}

/** The Body's message element: its type and WS-Discovery version into `m`; the action it implies is checked. */
function classifyBody(body: XmlElement, m: WsdMessage, n: Notes): XmlElement | undefined {
  const msg = body.children[0];
  if (msg === undefined) return undefined;
  m.body_element = bounded(msg.local, 'body', n);
  if (msg.local === 'Fault' && (SOAP_NS as readonly string[]).includes(msg.ns)) {
    m.message_type = 'fault';
    return msg;
  }
  const t = BODY_TYPES[msg.local];
  if (t === undefined || !(WSD_NS as readonly string[]).includes(msg.ns)) {
    n.add('unknown_body');
    return msg;
  }
  m.message_type = t;
  m.wsd_version = msg.ns === WSD_11_NS ? '1.1' : '2005';
  const expected = `${msg.ns === WSD_2005_NS ? WSD_2005_NS : WSD_11_NS}/${msg.local}`;
  if (m.action !== null && m.action !== expected) n.add(`action_mismatch:${m.action.slice(0, 80)}`);
  return msg;
}

/**
 * Parses one WS-Discovery datagram b[off, off+len). Fails only when the payload is not a SOAP envelope; anything
 * else malformed is an anomaly.
 */
export function parseWsd(b: Uint8Array, off: number, len: number): WsdParseResult {
  off = Math.max(0, Math.min(off, b.length));
  len = Math.max(0, Math.min(len, b.length - off));
  const n = new Notes();
  if (len > MAX_WSD_BYTES) { n.add('oversized_message'); len = MAX_WSD_BYTES; }
  const doc = parseXmlTree(b, off, len);
  const env = doc.root;
  if (env === null || env.local !== 'Envelope' || !(SOAP_NS as readonly string[]).includes(env.ns)) {
    return { ok: false, error: 'not_soap_envelope' };
  }
  for (const a of doc.anomalies) n.add(a);
  const m = emptyMessage();
  m.soap_version = env.ns === SOAP_NS[0] ? '1.2' : '1.1';
  const header = childElement(env, env.ns, 'Header');
  const body = childElement(env, env.ns, 'Body');
  if (header === undefined) n.add('missing_header');
  else readHeader(header, m, n);
  if (body === undefined) n.add('missing_body');
  else {
    const msg = classifyBody(body, m, n);
    if (msg !== undefined) readBody(msg, m, n);
  }
  m.anomalies = n.list;
  scrubPhi(m);
  return { ok: true, value: m };
}
