/**
 * SNMP message parser: one UDP payload (port 161 or 162) → a flat `SnmpMessage` record. Pure: no state, no I/O,
 * never throws, never reads outside b[off, off+len). BER decoding in ber.ts.
 *
 * Specs:
 * - RFC 1157 §4 (SNMPv1 Message: version 0, community, PDUs; §4.1.6 Trap-PDU: enterprise, agent-addr,
 *   generic-trap, specific-trap, time-stamp);
 * - RFC 1901 (SNMPv2c: version 1, community) and RFC 3416 §3 (PDUs: GetRequest [0] … Report [8], GetBulkRequest's
 *   non-repeaters / max-repetitions, VarBind values incl. noSuchObject, noSuchInstance, endOfMibView; §4.2.6–4.2.7
 *   the snmpTrapOID.0 second varbind of SNMPv2-Trap and InformRequest); RFC 3584 §2 (Trap-PDU only in v1);
 * - RFC 3412 §6 (SNMPv3Message: msgGlobalData msgID, msgMaxSize, msgFlags, msgSecurityModel; msgSecurityParameters;
 *   ScopedPduData = plaintext ScopedPDU (contextEngineID, contextName, data) | encryptedPDU);
 * - RFC 3414 §2.4 (UsmSecurityParameters: msgAuthoritativeEngineID, -Boots, -Time, msgUserName,
 *   msgAuthenticationParameters, msgPrivacyParameters);
 * - RFC 2578 §7.1 / RFC 1155 §3.2.3 (application types IpAddress, Counter32, Gauge32/Unsigned32, TimeTicks, Opaque,
 *   Counter64; NsapAddress and UInteger32 of RFC 1442);
 * - RFC 3417 §8 and ITU-T X.690 (BER, definite lengths only).
 *
 * Secrets: a community string is never put in the record unless it is one of SNMP_WELL_KNOWN_COMMUNITIES (vendor
 * defaults anyone can look up); any other community is recorded as "<other>" with its length. Authentication and
 * privacy parameters (HMACs, salts) and encrypted PDUs are not decoded or copied.
 *
 * Only a payload that is not a BER SEQUENCE starting with an INTEGER (the version) fails; anything malformed after
 * that is recorded in `anomalies` (names below) and the fields not reached stay null.
 */
import { BER_TAG, type BerError, readBigInteger, readInteger, readOid, readTlv, type Tlv } from './ber.js';
import { decodeWireText, hexText, ipv4Text, utf8CodePointAt, utf8Length } from '../wire-text.js';

/** Largest payload parsed (the largest UDP payload); longer input fails. */
export const MAX_SNMP_MESSAGE_BYTES = 65_535;
/** Most variable bindings kept per PDU; the rest are counted in `varbind_count` only. */
export const MAX_VARBINDS = 256;
/** Most octets of an OCTET STRING (or other byte value) rendered; a longer one is cut (anomaly `long_value`). */
export const MAX_OCTETS_RENDERED = 1024;

/**
 * Community strings recorded as they are, because they are published defaults rather than secrets (README §Community):
 * the empty community, `public` and `private` (the read-only and read-write defaults of most agents), and Cisco IOS's
 * undocumented `ILMI` and `cable-docsis` (Cisco advisories cisco-sa-20010227-ios-snmp-ilmi and
 * cisco-sa-20010228-ios-snmp-community). Compared octet for octet (communities are case-sensitive).
 */
export const SNMP_WELL_KNOWN_COMMUNITIES: readonly string[] = ['', 'public', 'private', 'ILMI', 'cable-docsis'];

/** What `community` holds for a community that is not well known. */
export const OTHER_COMMUNITY = '<other>';

/** snmpTrapOID.0 (RFC 3418): the second varbind of an SNMPv2-Trap or InformRequest (RFC 3416 §4.2.6). */
export const SNMP_TRAP_OID_OID = '1.3.6.1.6.3.1.1.4.1.0';

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and the field it concerns,
 * e.g. `truncated:varbinds`, `wrong_tag:request_id`.
 */
export const SNMP_ANOMALIES = {
  /** A TLV runs past its enclosing element or the datagram (":field"); decoding of that part stops. */
  truncated: 'element runs past its container',
  /** The indefinite length form, which SNMP forbids (RFC 3417 §8) (":field"). */
  indefinite_length: 'indefinite length',
  /** A long-form length with more than 4 octets (":field"). */
  length_too_long: 'length of more than 4 octets',
  /** A tag number of 31 or more, which no SNMP element has (":field"). */
  high_tag_number: 'high tag number',
  /** A tag below 31 sent in the high-tag-number form, which X.690 §8.1.2.2 forbids (":field"); decoded anyway. */
  long_form_tag: 'tag number below 31 in the high-tag-number form',
  /** An expected element is absent (":field"). */
  missing: 'element missing',
  /** An element has another type than the field requires (":field"). */
  wrong_tag: 'element of the wrong type',
  /** An INTEGER without content octets or longer than 9 octets, or out of the safe range (":field"). */
  bad_integer: 'INTEGER empty or too long',
  /** An OBJECT IDENTIFIER that cannot be decoded (":field"). */
  bad_oid: 'OBJECT IDENTIFIER malformed',
  /** A sub-identifier starting with a redundant 0x80 octet (X.690 §8.19.2) (":field"); decoded anyway. */
  non_minimal_oid: 'OID sub-identifier with a leading 0x80 octet',
  /** Elements after the last one the structure defines (":field"); ignored. */
  extra_data: 'data after the last element',
  /** A version other than 0 (v1), 1 (v2c) or 3 (v3); nothing after it is decoded. */
  unknown_version: 'version not 0, 1 or 3',
  /** A PDU tag outside [0] … [8] (RFC 3416 §3); the PDU is not decoded. */
  unknown_pdu_type: 'PDU tag not one of RFC 3416',
  /** A PDU the version does not define: GetBulk/Inform/SNMPv2-Trap/Report in v1, Trap-PDU in v2c/v3 (RFC 3584 §2). */
  pdu_not_in_version: 'PDU type not defined for this SNMP version',
  /** More than MAX_VARBINDS variable bindings; the rest are counted, not kept. */
  too_many_varbinds: 'more than MAX_VARBINDS variable bindings',
  /** An OCTET STRING (or byte value) longer than MAX_OCTETS_RENDERED, cut (":field"). */
  long_value: 'value longer than MAX_OCTETS_RENDERED, cut',
  /** An IpAddress or agent-addr not 4 octets long (rendered as hex) (":field"). */
  bad_ip_address: 'IpAddress not 4 octets',
  /** NULL, noSuchObject, noSuchInstance or endOfMibView with content octets. */
  non_empty_null: 'NULL-like value with contents',
  /**
   * An unsigned type (Counter32, Gauge32, TimeTicks, Counter64) or a field with a non-negative range (":field") whose
   * first octet has the sign bit set; read as unsigned.
   */
  unsigned_sign_bit: 'unsigned value encoded with the sign bit set',
  /** msgFlags not one octet, or privacy without authentication (RFC 3412 §7.2 step 5). */
  bad_msg_flags: 'msgFlags malformed or an invalid combination',
  /** An SNMPv2-Trap or InformRequest whose second varbind is not snmpTrapOID.0 with an OID value (RFC 3416 §4.2.6). */
  missing_trap_oid: 'notification without snmpTrapOID.0 as second varbind',
} as const;

/** An anomaly name. */
export type SnmpAnomaly = keyof typeof SNMP_ANOMALIES;

/** Version names by the version INTEGER (RFC 1157, RFC 1901, RFC 3412). */
export const SNMP_VERSION_NAMES: Readonly<Record<number, string>> = { 0: 'v1', 1: 'v2c', 3: 'v3' };

/** PDU names by the context tag number [0] … [8] (RFC 1157 §4, RFC 3416 §3). */
export const SNMP_PDU_NAMES: readonly string[] = [
  'get_request', 'get_next_request', 'response', 'set_request', 'trap',
  'get_bulk_request', 'inform_request', 'snmpv2_trap', 'report',
];

/** error-status names (RFC 3416 §3; 0–5 are those of RFC 1157). */
export const SNMP_ERROR_STATUS_NAMES: readonly string[] = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength',
  'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed',
  'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName',
];

/** generic-trap names (RFC 1157 §4.1.6). */
export const SNMP_GENERIC_TRAP_NAMES: readonly string[] = [
  'coldStart', 'warmStart', 'linkDown', 'linkUp', 'authenticationFailure', 'egpNeighborLoss', 'enterpriseSpecific',
];

/** The type of a varbind value, from its BER tag. */
export type SnmpValueType =
  | 'integer' | 'octet_string' | 'null' | 'oid' | 'ip_address' | 'counter32' | 'gauge32' | 'timeticks' | 'opaque'
  | 'nsap_address' | 'counter64' | 'uinteger32' | 'no_such_object' | 'no_such_instance' | 'end_of_mib_view'
  | 'unknown';

/** Value types by tag (X.690 universal, RFC 2578 §7.1 application, RFC 3416 §3 context exceptions). */
const VALUE_TYPES: Readonly<Record<number, SnmpValueType>> = {
  0x02: 'integer', 0x04: 'octet_string', 0x05: 'null', 0x06: 'oid',
  0x40: 'ip_address', 0x41: 'counter32', 0x42: 'gauge32', 0x43: 'timeticks', 0x44: 'opaque',
  0x45: 'nsap_address', 0x46: 'counter64', 0x47: 'uinteger32',
  0x80: 'no_such_object', 0x81: 'no_such_instance', 0x82: 'end_of_mib_view',
};

/** Value types that are unsigned integers. */
const UNSIGNED_TYPES: ReadonlySet<SnmpValueType> = new Set(['counter32', 'gauge32', 'timeticks', 'counter64', 'uinteger32']);
/** Value types with no value. */
const EMPTY_TYPES: ReadonlySet<SnmpValueType> = new Set(['null', 'no_such_object', 'no_such_instance', 'end_of_mib_view']);

/** One variable binding. */
export interface SnmpVarbind {
  /** The object name, dotted. */
  oid: string;
  /** The value's type. */
  type: SnmpValueType;
  /** The value's BER identifier octet as sent (e.g. 0x04). */
  tag: number;
  /**
   * The value as text: a decimal number (integer and unsigned types), a dotted OID, a dotted quad (IpAddress), the
   * text of an OCTET STRING that is displayable text (see `hex`), else lower-case hex of the octets; null for NULL,
   * the exceptions and a value that could not be decoded.
   */
  value: string | null;
  /** True when `value` is the hex of the octets (a non-text OCTET STRING, Opaque, NsapAddress, unknown types). */
  hex: boolean;
}

/**
 * One decoded SNMP message. Fields that do not apply to its version or PDU, or were not reached, are null.
 */
export interface SnmpMessage {
  /** The version INTEGER: 0 (v1), 1 (v2c), 3 (v3). */
  version: number;
  /** `v1`, `v2c`, `v3`, or null for another version. */
  version_name: string | null;
  /** v1/v2c: the community if it is well known (SNMP_WELL_KNOWN_COMMUNITIES), else `<other>`; null in v3. */
  community: string | null;
  /** v1/v2c: the community's length in octets. */
  community_length: number | null;
  /** v1/v2c: whether the community is one of the well-known defaults. */
  community_well_known: boolean | null;
  /** The PDU's context tag number 0 … 8 (null when not reached, unknown or encrypted). */
  pdu_type: number | null;
  /** The PDU name (SNMP_PDU_NAMES). */
  pdu: string | null;
  request_id: number | null;
  error_status: number | null;
  /** RFC 3416 name of error_status, null when out of range. */
  error_status_name: string | null;
  error_index: number | null;
  /** GetBulkRequest: non-repeaters (in place of error-status). */
  non_repeaters: number | null;
  /** GetBulkRequest: max-repetitions (in place of error-index). */
  max_repetitions: number | null;
  /** v1 Trap-PDU: enterprise OID. */
  enterprise: string | null;
  /** v1 Trap-PDU: agent-addr (dotted quad; hex when not 4 octets). */
  agent_addr: string | null;
  /** v1 Trap-PDU: generic-trap. */
  generic_trap: number | null;
  /** RFC 1157 name of generic_trap. */
  generic_trap_name: string | null;
  /** v1 Trap-PDU: specific-trap. */
  specific_trap: number | null;
  /** v1 Trap-PDU: time-stamp (TimeTicks, hundredths of a second). */
  time_stamp: number | null;
  /** SNMPv2-Trap / InformRequest: the value of snmpTrapOID.0 (the second varbind). */
  trap_oid: string | null;
  /** Variable bindings in wire order (at most MAX_VARBINDS). */
  varbinds: SnmpVarbind[];
  /** Variable bindings in the list on the wire (may exceed varbinds.length); null when the list was not reached. */
  varbind_count: number | null;
  /** v3: msgID. */
  msg_id: number | null;
  /** v3: msgMaxSize. */
  msg_max_size: number | null;
  /** v3: the msgFlags octet. */
  msg_flags: number | null;
  /** v3: authFlag (msgFlags 0x01). */
  auth: boolean | null;
  /** v3: privFlag (msgFlags 0x02): the scoped PDU is encrypted. */
  priv: boolean | null;
  /** v3: reportableFlag (msgFlags 0x04). */
  reportable: boolean | null;
  /** v3: msgSecurityModel (3 = USM). */
  security_model: number | null;
  /** v3 USM: msgAuthoritativeEngineID, lower-case hex ('' during engine discovery). */
  engine_id: string | null;
  /** v3 USM: msgAuthoritativeEngineBoots. */
  engine_boots: number | null;
  /** v3 USM: msgAuthoritativeEngineTime (seconds). */
  engine_time: number | null;
  /** v3 USM: msgUserName (text-escaped). */
  user_name: string | null;
  /** v3: the scoped PDU is an encryptedPDU (not decoded). */
  encrypted: boolean | null;
  /** v3 plaintext scoped PDU: contextEngineID, lower-case hex. */
  context_engine_id: string | null;
  /** v3 plaintext scoped PDU: contextName (text-escaped). */
  context_name: string | null;
  /** Malformed things met (see SNMP_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseSnmp. */
export type SnmpParseResult = { ok: true; value: SnmpMessage } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------

const TAG_IP_ADDRESS = 0x40;
const TAG_TIMETICKS = 0x43;
/** First and last PDU tags: context-specific, constructed, [0] … [8]. */
const PDU_TAG_FIRST = 0xa0;
const PDU_TAG_LAST = 0xa8;
const PDU_TRAP_V1 = 4;
const PDU_GET_BULK = 5;
const PDU_INFORM = 6;
const PDU_V2_TRAP = 7;
/** The USM security model number (RFC 3411 §5 SnmpSecurityModel). */
const SECURITY_MODEL_USM = 3;

/** The elements of one constructed element, read in order. */
interface Cursor {
  m: Uint8Array;
  pos: number;
  end: number;
  anomalies: string[];
}

/** The TLV's error as an anomaly of `field`. */
function berAnomaly(c: Cursor, error: BerError, field: string): void {
  c.anomalies.push(`${error}:${field}`);
}

/**
 * The next element of `c`, advancing past it; null with an anomaly (missing or the BER error, ":field") when there is
 * none or it cannot be read. A tag in the high-tag-number form is noted (`long_form_tag:field`).
 */
function nextAny(c: Cursor, field: string): Tlv | null {
  if (c.pos >= c.end) { c.anomalies.push(`missing:${field}`); return null; }
  const r = readTlv(c.m, c.pos, c.end);
  if (!r.ok) { berAnomaly(c, r.error, field); return null; }
  if (r.tlv.longTag) c.anomalies.push(`long_form_tag:${field}`);
  c.pos = r.tlv.end;
  return r.tlv;
}

/** The next element of `c` when its tag is `tag` (null with a `wrong_tag:field` anomaly otherwise); see nextAny. */
function next(c: Cursor, tag: number, field: string): Tlv | null {
  const t = nextAny(c, field);
  if (t !== null && t.tag !== tag) { c.anomalies.push(`wrong_tag:${field}`); return null; }
  return t;
}

/** A cursor over the contents of `t`. */
function inside(c: Cursor, t: Tlv): Cursor {
  return { m: c.m, pos: t.start, end: t.end, anomalies: c.anomalies };
}

/** Notes elements left in `c` after its last defined one. */
function expectEnd(c: Cursor, field: string): void {
  if (c.pos < c.end) c.anomalies.push(`extra_data:${field}`);
}

/**
 * The next element as an INTEGER number (null with an anomaly when absent or malformed). `unsigned` for fields whose
 * range is non-negative (msgID, engine boots, non-repeaters, …): octets with the sign bit set, which some agents send
 * (e.g. 0xdd for 221), are read as unsigned, as tshark and Zeek read them, with an `unsigned_sign_bit:field` anomaly.
 */
function nextInteger(c: Cursor, field: string, tag: number = BER_TAG.integer, unsigned = false): number | null {
  const t = next(c, tag, field);
  if (t === null) return null;
  if (unsigned && t.end > t.start && (c.m[t.start]! & 0x80) !== 0) c.anomalies.push(`unsigned_sign_bit:${field}`);
  const v = readInteger(c.m, t.start, t.end, unsigned);
  if (v === null) c.anomalies.push(`bad_integer:${field}`);
  return v;
}

/** The next element as OCTET STRING contents [start, end) (null with an anomaly when absent or not one). */
function nextOctets(c: Cursor, field: string): Tlv | null {
  return next(c, BER_TAG.octetString, field);
}

/** b[t.start, t.end) cut at MAX_OCTETS_RENDERED, as hex. */
function limitedHex(c: Cursor, t: Tlv, field: string): string {
  return hexText(c.m, t.start, cutEnd(c, t, field));
}

/** b[t.start, t.end) cut at MAX_OCTETS_RENDERED, as escaped text. */
function limitedText(c: Cursor, t: Tlv, field: string): string {
  return decodeWireText(c.m, t.start, cutEnd(c, t, field));
}

/** The end of t's contents, cut at MAX_OCTETS_RENDERED octets (with a `long_value:field` anomaly). */
function cutEnd(c: Cursor, t: Tlv, field: string): number {
  if (t.end - t.start <= MAX_OCTETS_RENDERED) return t.end;
  c.anomalies.push(`long_value:${field}`);
  return t.start + MAX_OCTETS_RENDERED;
}

/**
 * True if b[start, end) is displayable text: printable ASCII, HT, LF, CR, and well-formed UTF-8 sequences for code
 * points above U+009F. (NUL and other control octets make it binary: a MAC address, an index, a bit string.)
 */
export function isDisplayText(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f) { i++; continue; }
    if (c === 0x09 || c === 0x0a || c === 0x0d) { i++; continue; }
    if (c < 0x80) return false;
    const cp = utf8CodePointAt(b, i, end);
    if (cp < 0xa0) return false; // not UTF-8, or a C1 control
    i += utf8Length(cp);
  }
  return true;
}

/**
 * How an OCTET STRING b[start, end) is rendered in a varbind: its text (escaped as src/protocols/wire-text.ts does)
 * when isDisplayText, else lower-case hex. Exported so the conformance tests render the reference's bytes alike.
 */
export function renderOctetString(b: Uint8Array, start: number, end: number): { value: string; hex: boolean } {
  return isDisplayText(b, start, end) ? { value: decodeWireText(b, start, end), hex: false } : { value: hexText(b, start, end), hex: true };
}

/** The community's well-known name, or null: exact octet comparison with SNMP_WELL_KNOWN_COMMUNITIES. */
function wellKnownCommunity(b: Uint8Array, start: number, end: number): string | null {
  for (const w of SNMP_WELL_KNOWN_COMMUNITIES) {
    if (w.length !== end - start) continue;
    let same = true;
    for (let i = 0; i < w.length && same; i++) same = b[start + i] === w.charCodeAt(i);
    if (same) return w;
  }
  return null;
}

/** A new message with every field null. */
function emptyMessage(version: number, anomalies: string[]): SnmpMessage {
  return {
    version,
    version_name: SNMP_VERSION_NAMES[version] ?? null,
    community: null,
    community_length: null,
    community_well_known: null,
    pdu_type: null,
    pdu: null,
    request_id: null,
    error_status: null,
    error_status_name: null,
    error_index: null,
    non_repeaters: null,
    max_repetitions: null,
    enterprise: null,
    agent_addr: null,
    generic_trap: null,
    generic_trap_name: null,
    specific_trap: null,
    time_stamp: null,
    trap_oid: null,
    varbinds: [],
    varbind_count: null,
    msg_id: null,
    msg_max_size: null,
    msg_flags: null,
    auth: null,
    priv: null,
    reportable: null,
    security_model: null,
    engine_id: null,
    engine_boots: null,
    engine_time: null,
    user_name: null,
    encrypted: null,
    context_engine_id: null,
    context_name: null,
    anomalies,
  };
}

/** The next element as an OID (null with an anomaly when absent or malformed). */
function nextOid(c: Cursor, field: string): string | null {
  const t = next(c, BER_TAG.oid, field);
  return t === null ? null : oidOf(c, t, field);
}

/** t's contents as an OID (null with an anomaly when malformed). */
function oidOf(c: Cursor, t: Tlv, field: string): string | null {
  const r = readOid(c.m, t.start, t.end);
  if (!r.ok) { berAnomaly(c, r.error, field); return null; }
  if (r.nonMinimal) c.anomalies.push(`non_minimal_oid:${field}`);
  return r.text;
}

/** Decodes a varbind value TLV. */
function decodeValue(c: Cursor, t: Tlv): Pick<SnmpVarbind, 'type' | 'value' | 'hex'> {
  const type = VALUE_TYPES[t.tag] ?? 'unknown';
  const m = c.m;
  if (EMPTY_TYPES.has(type)) {
    if (t.end > t.start) c.anomalies.push('non_empty_null');
    return { type, value: null, hex: false };
  }
  if (type === 'integer' || UNSIGNED_TYPES.has(type)) {
    const unsigned = type !== 'integer';
    if (unsigned && t.end > t.start && (m[t.start]! & 0x80) !== 0) c.anomalies.push('unsigned_sign_bit:value');
    const v = readBigInteger(m, t.start, t.end, unsigned);
    if (v === null) c.anomalies.push('bad_integer:value');
    return { type, value: v === null ? null : v.toString(), hex: false };
  }
  if (type === 'oid') return { type, value: oidOf(c, t, 'value'), hex: false };
  if (type === 'ip_address' && t.end - t.start === 4) return { type, value: ipv4Text(m, t.start), hex: false };
  if (type === 'ip_address') c.anomalies.push('bad_ip_address:value');
  if (type === 'octet_string') return { type, ...renderOctetString(m, t.start, cutEnd(c, t, 'value')) };
  return { type, value: limitedHex(c, t, 'value'), hex: true };
}

/** Decodes the VarBindList `t` into msg.varbinds / varbind_count. */
function decodeVarbinds(c: Cursor, t: Tlv, msg: SnmpMessage): void {
  const list = inside(c, t);
  let count = 0;
  while (list.pos < list.end) {
    const vb = next(list, BER_TAG.sequence, 'varbind');
    if (vb === null) break;
    count++;
    if (msg.varbinds.length >= MAX_VARBINDS) {
      if (count === MAX_VARBINDS + 1) c.anomalies.push('too_many_varbinds');
      continue;
    }
    const e = inside(c, vb);
    const nameTlv = next(e, BER_TAG.oid, 'varbind_name');
    const oid = nameTlv === null ? null : oidOf(e, nameTlv, 'varbind_name');
    const valueTlv = nextAny(e, 'varbind_value');
    if (oid === null || valueTlv === null) continue;
    expectEnd(e, 'varbind');
    msg.varbinds.push({ oid, tag: valueTlv.tag, ...decodeValue(e, valueTlv) });
  }
  msg.varbind_count = count;
}

/** The v1 Trap-PDU fields before the bindings (RFC 1157 §4.1.6); false when one is missing or malformed. */
function decodeTrapHeader(p: Cursor, msg: SnmpMessage): boolean {
  msg.enterprise = nextOid(p, 'enterprise');
  if (msg.enterprise === null) return false;
  const addr = next(p, TAG_IP_ADDRESS, 'agent_addr');
  if (addr === null) return false;
  if (addr.end - addr.start === 4) msg.agent_addr = ipv4Text(p.m, addr.start);
  else { p.anomalies.push('bad_ip_address:agent_addr'); msg.agent_addr = limitedHex(p, addr, 'agent_addr'); }
  msg.generic_trap = nextInteger(p, 'generic_trap');
  if (msg.generic_trap === null) return false;
  msg.generic_trap_name = SNMP_GENERIC_TRAP_NAMES[msg.generic_trap] ?? null;
  msg.specific_trap = nextInteger(p, 'specific_trap');
  if (msg.specific_trap === null) return false;
  msg.time_stamp = nextInteger(p, 'time_stamp', TAG_TIMETICKS, true);
  return msg.time_stamp !== null;
}

/**
 * request-id and error-status / error-index, or for GetBulkRequest non-repeaters / max-repetitions (RFC 3416 §3);
 * false when one is missing or malformed.
 */
function decodeRequestHeader(p: Cursor, msg: SnmpMessage, bulk: boolean): boolean {
  msg.request_id = nextInteger(p, 'request_id');
  if (msg.request_id === null) return false;
  const second = nextInteger(p, bulk ? 'non_repeaters' : 'error_status', BER_TAG.integer, bulk);
  if (second === null) return false;
  const third = nextInteger(p, bulk ? 'max_repetitions' : 'error_index', BER_TAG.integer, bulk);
  if (bulk) {
    msg.non_repeaters = second;
    msg.max_repetitions = third;
  } else {
    msg.error_status = second;
    msg.error_status_name = SNMP_ERROR_STATUS_NAMES[second] ?? null;
    msg.error_index = third;
  }
  return third !== null;
}

/** Decodes a PDU (any of RFC 3416 §3 and the v1 Trap-PDU) from the next element of `c`. */
function decodePdu(c: Cursor, msg: SnmpMessage): void {
  const t = nextAny(c, 'pdu');
  if (t === null) return;
  if (t.tag < PDU_TAG_FIRST || t.tag > PDU_TAG_LAST) { c.anomalies.push('unknown_pdu_type'); return; }
  const type = t.tag - PDU_TAG_FIRST;
  msg.pdu_type = type;
  msg.pdu = SNMP_PDU_NAMES[type]!;
  if (msg.version === 0 ? type > PDU_TRAP_V1 : type === PDU_TRAP_V1) c.anomalies.push('pdu_not_in_version');
  const p = inside(c, t);
  const header = type === PDU_TRAP_V1 ? decodeTrapHeader(p, msg) : decodeRequestHeader(p, msg, type === PDU_GET_BULK);
  if (!header) return;
  const list = next(p, BER_TAG.sequence, 'varbinds');
  if (list === null) return;
  expectEnd(p, 'pdu');
  decodeVarbinds(p, list, msg);
  if (type === PDU_V2_TRAP || type === PDU_INFORM) {
    const v = msg.varbinds[1];
    if (v !== undefined && v.oid === SNMP_TRAP_OID_OID && v.type === 'oid' && v.value !== null) msg.trap_oid = v.value;
    else c.anomalies.push('missing_trap_oid');
  }
}

/** v1 / v2c: community and PDU (RFC 1157 §4, RFC 1901 §3). */
function decodeCommunityMessage(c: Cursor, msg: SnmpMessage): void {
  const t = nextOctets(c, 'community');
  if (t === null) return;
  const known = wellKnownCommunity(c.m, t.start, t.end);
  msg.community = known ?? OTHER_COMMUNITY;
  msg.community_length = t.end - t.start;
  msg.community_well_known = known !== null;
  decodePdu(c, msg);
}

/** v3 msgGlobalData (RFC 3412 §6). */
function decodeGlobalData(c: Cursor, msg: SnmpMessage): boolean {
  const t = next(c, BER_TAG.sequence, 'msg_global_data');
  if (t === null) return false;
  const g = inside(c, t);
  msg.msg_id = nextInteger(g, 'msg_id', BER_TAG.integer, true);
  if (msg.msg_id === null) return false;
  msg.msg_max_size = nextInteger(g, 'msg_max_size', BER_TAG.integer, true);
  if (msg.msg_max_size === null) return false;
  const flags = nextOctets(g, 'msg_flags');
  if (flags === null) return false;
  if (flags.end - flags.start !== 1) c.anomalies.push('bad_msg_flags');
  if (flags.end > flags.start) {
    const f = c.m[flags.start]!;
    msg.msg_flags = f;
    msg.auth = (f & 0x01) !== 0;
    msg.priv = (f & 0x02) !== 0;
    msg.reportable = (f & 0x04) !== 0;
    if (msg.priv && !msg.auth) c.anomalies.push('bad_msg_flags');
  }
  msg.security_model = nextInteger(g, 'security_model', BER_TAG.integer, true);
  if (msg.security_model === null) return false;
  expectEnd(g, 'msg_global_data');
  return true;
}

/** v3 UsmSecurityParameters inside the msgSecurityParameters OCTET STRING `t` (RFC 3414 §2.4). */
function decodeUsm(c: Cursor, t: Tlv, msg: SnmpMessage): void {
  const wrap = inside(c, t);
  const seq = next(wrap, BER_TAG.sequence, 'usm');
  if (seq === null) return;
  const u = inside(c, seq);
  const engine = nextOctets(u, 'engine_id');
  if (engine === null) return;
  msg.engine_id = limitedHex(u, engine, 'engine_id');
  msg.engine_boots = nextInteger(u, 'engine_boots', BER_TAG.integer, true);
  if (msg.engine_boots === null) return;
  msg.engine_time = nextInteger(u, 'engine_time', BER_TAG.integer, true);
  if (msg.engine_time === null) return;
  const user = nextOctets(u, 'user_name');
  if (user === null) return;
  msg.user_name = limitedText(u, user, 'user_name');
  // Authentication and privacy parameters: checked for shape only, never copied.
  if (nextOctets(u, 'auth_params') === null || nextOctets(u, 'priv_params') === null) return;
  expectEnd(u, 'usm');
}

/** v3: msgGlobalData, security parameters, scoped PDU (RFC 3412 §6). */
function decodeV3Message(c: Cursor, msg: SnmpMessage): void {
  if (!decodeGlobalData(c, msg)) return;
  const sp = nextOctets(c, 'security_parameters');
  if (sp === null) return;
  if (msg.security_model === SECURITY_MODEL_USM) decodeUsm(c, sp, msg);
  const d = nextAny(c, 'msg_data');
  if (d === null) return;
  if (d.tag === BER_TAG.octetString) { msg.encrypted = true; return; }
  if (d.tag !== BER_TAG.sequence) { c.anomalies.push('wrong_tag:msg_data'); return; }
  msg.encrypted = false;
  const s = inside(c, d);
  const ce = nextOctets(s, 'context_engine_id');
  if (ce === null) return;
  msg.context_engine_id = limitedHex(s, ce, 'context_engine_id');
  const cn = nextOctets(s, 'context_name');
  if (cn === null) return;
  msg.context_name = limitedText(s, cn, 'context_name');
  decodePdu(s, msg);
  if (msg.varbind_count !== null) expectEnd(s, 'scoped_pdu');
}

/**
 * Parses one SNMP message from b[off, off+len) (a UDP payload).
 *
 * Fails (`ok: false`) only for bad bounds, a payload longer than MAX_SNMP_MESSAGE_BYTES, or one that is not a BER
 * SEQUENCE whose first element is an INTEGER; everything else malformed is reported in `value.anomalies`. Never throws
 * and never reads outside b[off, off+len).
 */
export function parseSnmp(b: Uint8Array, off: number, len: number): SnmpParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len === 0) return { ok: false, error: 'empty' };
  if (len > MAX_SNMP_MESSAGE_BYTES) return { ok: false, error: 'oversized_message' };
  const m = b.subarray(off, off + len);
  const outer = readTlv(m, 0, m.length);
  if (!outer.ok) return { ok: false, error: `message_${outer.error}` };
  if (outer.tlv.tag !== BER_TAG.sequence) return { ok: false, error: 'not_a_sequence' };
  const anomalies: string[] = [];
  if (outer.tlv.longTag) anomalies.push('long_form_tag:message');
  const top: Cursor = { m, pos: 0, end: m.length, anomalies };
  const c = inside(top, outer.tlv);
  const vt = readTlv(m, c.pos, c.end);
  if (!vt.ok || vt.tlv.tag !== BER_TAG.integer) return { ok: false, error: 'no_version' };
  if (vt.tlv.longTag) anomalies.push('long_form_tag:version');
  const version = readInteger(m, vt.tlv.start, vt.tlv.end);
  if (version === null) return { ok: false, error: 'bad_version' };
  c.pos = vt.tlv.end;
  const msg = emptyMessage(version, anomalies);
  if (version === 0 || version === 1) decodeCommunityMessage(c, msg);
  else if (version === 3) decodeV3Message(c, msg);
  else anomalies.push('unknown_version');
  // Elements after the PDU (or the encrypted PDU), when decoding got that far.
  if (msg.varbind_count !== null || msg.encrypted === true) expectEnd(c, 'message');
  if (outer.tlv.end < m.length) anomalies.push('extra_data:datagram');
  return { ok: true, value: msg };
}
