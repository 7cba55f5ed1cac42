/**
 * Unit tests of the SNMP parser from annotated BER messages (RFC 1157 §4 v1 message and Trap-PDU, RFC 1901 v2c,
 * RFC 3416 §3 PDUs and values, RFC 3412 §6 / RFC 3414 §2.4 v3 with USM), the community redaction, every anomaly,
 * and random-mutation robustness. Corpus-wide agreement with tshark and Zeek is in test/conformance/snmp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, bytes } from '../test-bytes.js';
import {
  isDisplayText,
  MAX_OCTETS_RENDERED,
  MAX_VARBINDS,
  OTHER_COMMUNITY,
  parseSnmp,
  SNMP_ANOMALIES,
  SNMP_WELL_KNOWN_COMMUNITIES,
  type SnmpMessage,
} from './parser.js';

/** One BER TLV: the tag, the definite length (short form below 128, else long form), the contents. */
function tlv(tag: number, ...contents: (number[] | Uint8Array)[]): number[] {
  const c = Array.from(bytes(...contents));
  const n = c.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...len, ...c];
}
/** SEQUENCE. */
const seq = (...c: number[][]): number[] => tlv(0x30, ...c);
/** INTEGER (minimal two's complement). */
function int(v: number): number[] {
  const out: number[] = [];
  let x = v;
  do { out.unshift(x & 0xff); x = Math.floor(x / 256); } while (x !== 0 && x !== -1);
  if (v >= 0 && (out[0]! & 0x80) !== 0) out.unshift(0);
  if (v < 0 && (out[0]! & 0x80) === 0) out.unshift(0xff);
  return tlv(0x02, out);
}
/** OCTET STRING of ASCII text. */
const str = (s: string): number[] => tlv(0x04, ascii(s));
/** OBJECT IDENTIFIER from dotted text (arcs below 2^28). */
function oid(dotted: string): number[] {
  const a = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const v of [a[0]! * 40 + a[1]!, ...a.slice(2)]) {
    const g: number[] = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) g.unshift((x & 0x7f) | 0x80);
    out.push(...g);
  }
  return tlv(0x06, out);
}
const NULL = [0x05, 0x00];
/** One VarBind: SEQUENCE { name, value }. */
const vb = (name: string, value: number[]): number[] => seq(oid(name), value);
/** A v1/v2c message: SEQUENCE { version, community, pdu }. */
const communityMessage = (version: number, community: number[], pdu: number[]): Uint8Array => Uint8Array.from(seq(int(version), community, pdu));

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): SnmpMessage {
  const r = parseSnmp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

const GET_REQUEST_V1 = Uint8Array.from([
  0x30, 0x26, //                                       Message SEQUENCE, 38 octets
  0x02, 0x01, 0x00, //                                 version 0 (v1)
  0x04, 0x06, ...ascii('public'), //                   community "public"
  0xa0, 0x19, //                                       GetRequest-PDU [0], 25 octets
  0x02, 0x01, 0x26, //                                 request-id 38
  0x02, 0x01, 0x00, //                                 error-status 0
  0x02, 0x01, 0x00, //                                 error-index 0
  0x30, 0x0e, //                                       VarBindList
  0x30, 0x0c, //                                       VarBind
  0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, // name 1.3.6.1.2.1.1.2.0 (sysObjectID.0)
  0x05, 0x00, //                                       value NULL
]);

test('v1 GetRequest: version, well-known community, PDU header, one NULL varbind', () => {
  const m = ok(GET_REQUEST_V1);
  assert.equal(m.version, 0);
  assert.equal(m.version_name, 'v1');
  assert.equal(m.community, 'public');
  assert.equal(m.community_length, 6);
  assert.equal(m.community_well_known, true);
  assert.equal(m.pdu_type, 0);
  assert.equal(m.pdu, 'get_request');
  assert.equal(m.request_id, 38);
  assert.equal(m.error_status, 0);
  assert.equal(m.error_status_name, 'noError');
  assert.equal(m.error_index, 0);
  assert.equal(m.varbind_count, 1);
  assert.deepEqual(m.varbinds, [{ oid: '1.3.6.1.2.1.1.2.0', type: 'null', tag: 0x05, value: null, hex: false }]);
  assert.equal(m.msg_id, null);
  assert.equal(m.engine_id, null);
  assert.deepEqual(m.anomalies, []);
});

test('v2c Response: every value type of RFC 2578 §7.1 and RFC 3416 §3', () => {
  const m = ok(communityMessage(1, str('private'), tlv(0xa2, //           Response-PDU [2]
    int(0x12345678), int(0), int(0), //                                  request-id, error-status, error-index
    seq(
      vb('1.3.6.1.2.1.1.1.0', str('Linux pump 4.4 x86_64\r\n')), //     sysDescr: text with CR LF
      vb('1.3.6.1.2.1.1.2.0', oid('1.3.6.1.4.1.8072.3.2.10')), //       sysObjectID: an OID
      vb('1.3.6.1.2.1.1.3.0', tlv(0x43, [0x04, 0x92, 0x6f, 0xa4])), //  sysUpTime: TimeTicks 76705700
      vb('1.3.6.1.2.1.2.2.1.6.1', tlv(0x04, [0x08, 0x00, 0x37, 0x15, 0xe6, 0xbc])), // ifPhysAddress: binary → hex
      vb('1.3.6.1.2.1.4.20.1.1.10.0.0.1', tlv(0x40, [10, 0, 0, 1])), // IpAddress
      vb('1.3.6.1.2.1.2.2.1.10.1', tlv(0x41, [0x00, 0xff, 0xff, 0xff, 0xff])), // Counter32 2^32 - 1
      vb('1.3.6.1.2.1.2.2.1.5.1', tlv(0x42, [0x05, 0xf5, 0xe1, 0x00])), // Gauge32 100000000
      vb('1.3.6.1.2.1.31.1.1.1.6.1', tlv(0x46, [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), // Counter64 2^64 - 1
      vb('1.3.6.1.4.1.9.9.1', int(-5)), //                               negative INTEGER
      vb('1.3.6.1.4.1.9.9.2', tlv(0x44, [0x9f, 0x78, 0x04])), //        Opaque → hex
      vb('1.3.6.1.4.1.9.9.3', [0x80, 0x00]), //                         noSuchObject
      vb('1.3.6.1.4.1.9.9.4', [0x81, 0x00]), //                         noSuchInstance
      vb('1.3.6.1.4.1.9.9.5', [0x82, 0x00]), //                         endOfMibView
      vb('1.3.6.1.4.1.9.9.6', tlv(0x04, [0xc3, 0xa9, 0x74, 0xc3, 0xa9])), // UTF-8 "été": text
      vb('1.3.6.1.4.1.9.9.7', tlv(0x04, [])), //                        empty OCTET STRING: text ''
      vb('1.3.6.1.4.1.9.9.8', tlv(0x47, [0x07])), //                    UInteger32 (RFC 1442)
      vb('1.3.6.1.4.1.9.9.9', tlv(0x45, [0x01, 0x02])), //              NsapAddress → hex
      vb('1.3.6.1.4.1.9.9.10', tlv(0x48, [0xab])), //                   unknown application tag → hex
    ),
  )));
  assert.equal(m.version_name, 'v2c');
  assert.equal(m.community, 'private');
  assert.equal(m.pdu, 'response');
  assert.equal(m.request_id, 0x12345678);
  const v = (i: number) => [m.varbinds[i]!.type, m.varbinds[i]!.value, m.varbinds[i]!.hex];
  assert.deepEqual(v(0), ['octet_string', 'Linux pump 4.4 x86_64\\x0d\\x0a', false]);
  assert.deepEqual(v(1), ['oid', '1.3.6.1.4.1.8072.3.2.10', false]);
  assert.deepEqual(v(2), ['timeticks', '76705700', false]);
  assert.deepEqual(v(3), ['octet_string', '08003715e6bc', true]);
  assert.deepEqual(v(4), ['ip_address', '10.0.0.1', false]);
  assert.deepEqual(v(5), ['counter32', '4294967295', false]);
  assert.deepEqual(v(6), ['gauge32', '100000000', false]);
  assert.deepEqual(v(7), ['counter64', '18446744073709551615', false]);
  assert.deepEqual(v(8), ['integer', '-5', false]);
  assert.deepEqual(v(9), ['opaque', '9f7804', true]);
  assert.deepEqual(v(10), ['no_such_object', null, false]);
  assert.deepEqual(v(11), ['no_such_instance', null, false]);
  assert.deepEqual(v(12), ['end_of_mib_view', null, false]);
  assert.deepEqual(v(13), ['octet_string', 'été', false]);
  assert.deepEqual(v(14), ['octet_string', '', false]);
  assert.deepEqual(v(15), ['uinteger32', '7', false]);
  assert.deepEqual(v(16), ['nsap_address', '0102', true]);
  assert.deepEqual(v(17), ['unknown', 'ab', true]);
  assert.equal(m.varbinds[17]!.tag, 0x48);
  assert.equal(m.varbind_count, 18);
  assert.deepEqual(m.anomalies, []);
});

test('a community that is not well known is never in the record: only <other> and its length', () => {
  const secret = 'S3cr3t-c0mmunity!';
  for (const version of [0, 1]) {
    const m = ok(communityMessage(version, str(secret), tlv(0xa0, int(1), int(0), int(0), seq())));
    assert.equal(m.community, OTHER_COMMUNITY);
    assert.equal(m.community_length, secret.length);
    assert.equal(m.community_well_known, false);
    const json = JSON.stringify(m);
    for (const part of ['S3cr3t', 'c0mmunity', Buffer.from(secret).toString('hex').slice(0, 12)]) assert.ok(!json.includes(part), part);
  }
  // Communities are compared octet for octet: a case variant of a default is not the default.
  assert.equal(ok(communityMessage(1, str('Public'), tlv(0xa0, int(1), int(0), int(0), seq()))).community, OTHER_COMMUNITY);
  assert.equal(ok(communityMessage(1, str('public '), tlv(0xa0, int(1), int(0), int(0), seq()))).community, OTHER_COMMUNITY);
});

test('every well-known community is recorded as sent, the empty one included', () => {
  for (const c of SNMP_WELL_KNOWN_COMMUNITIES) {
    const m = ok(communityMessage(1, str(c), tlv(0xa1, int(7), int(0), int(0), seq(vb('1.3.6.1.2.1', NULL)))));
    assert.equal(m.community, c);
    assert.equal(m.community_length, c.length);
    assert.equal(m.community_well_known, true);
    assert.equal(m.pdu, 'get_next_request');
  }
});

test('v2c GetBulkRequest: non-repeaters and max-repetitions in place of error-status and error-index', () => {
  const m = ok(communityMessage(1, str('public'), tlv(0xa5, int(1817072941), int(1), int(10), seq(vb('1.3.6.1.2.1.1.5.0', NULL)))));
  assert.equal(m.pdu, 'get_bulk_request');
  assert.equal(m.pdu_type, 5);
  assert.equal(m.request_id, 1817072941);
  assert.equal(m.non_repeaters, 1);
  assert.equal(m.max_repetitions, 10);
  assert.equal(m.error_status, null);
  assert.equal(m.error_index, null);
  assert.deepEqual(m.anomalies, []);
});

test('v2c SetRequest and a Response with an error status', () => {
  const set = ok(communityMessage(1, str('private'), tlv(0xa3, int(5), int(0), int(0), seq(vb('1.3.6.1.2.1.1.5.0', str('pump-07'))))));
  assert.equal(set.pdu, 'set_request');
  assert.equal(set.varbinds[0]!.value, 'pump-07');
  const err = ok(communityMessage(1, str('public'), tlv(0xa2, int(5), int(17), int(1), seq(vb('1.3.6.1.2.1.1.5.0', str('pump-07'))))));
  assert.equal(err.error_status, 17);
  assert.equal(err.error_status_name, 'notWritable');
  assert.equal(err.error_index, 1);
  const odd = ok(communityMessage(1, str('public'), tlv(0xa2, int(5), int(99), int(0), seq())));
  assert.equal(odd.error_status_name, null);
});

const TRAP_V1 = Uint8Array.from([
  0x30, 0x38, //                                       Message
  0x02, 0x01, 0x00, //                                 version 0
  0x04, 0x06, ...ascii('public'), //                   community
  0xa4, 0x2b, //                                       Trap-PDU [4] (RFC 1157 §4.1.6)
  0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x04, 0x01, 0x02, 0x15, // enterprise 1.3.6.1.4.1.4.1.2.21
  0x40, 0x04, 0x7f, 0x00, 0x00, 0x01, //               agent-addr IpAddress 127.0.0.1
  0x02, 0x01, 0x03, //                                 generic-trap 3 (linkUp)
  0x02, 0x01, 0x00, //                                 specific-trap 0
  0x43, 0x01, 0x01, //                                 time-stamp TimeTicks 1
  0x30, 0x0f, 0x30, 0x0d, //                           VarBindList, VarBind
  0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x01, 0x00, // ifNumber.0
  0x02, 0x01, 0x21, //                                 INTEGER 33
]);

test('v1 Trap-PDU: enterprise, agent-addr, generic and specific trap, time-stamp, varbinds', () => {
  const m = ok(TRAP_V1);
  assert.equal(m.pdu, 'trap');
  assert.equal(m.pdu_type, 4);
  assert.equal(m.enterprise, '1.3.6.1.4.1.4.1.2.21');
  assert.equal(m.agent_addr, '127.0.0.1');
  assert.equal(m.generic_trap, 3);
  assert.equal(m.generic_trap_name, 'linkUp');
  assert.equal(m.specific_trap, 0);
  assert.equal(m.time_stamp, 1);
  assert.equal(m.request_id, null);
  assert.deepEqual(m.varbinds, [{ oid: '1.3.6.1.2.1.2.1.0', type: 'integer', tag: 0x02, value: '33', hex: false }]);
  assert.deepEqual(m.anomalies, []);
});

test('v1 Trap-PDU sent with the high-tag-number form bf 04: decoded, flagged long_form_tag', () => {
  const evasive = Uint8Array.from([0x30, 0x39, ...TRAP_V1.subarray(2, 13), 0xbf, 0x04, ...TRAP_V1.subarray(14)]);
  const m = ok(evasive);
  assert.equal(m.pdu, 'trap');
  assert.equal(m.enterprise, '1.3.6.1.4.1.4.1.2.21');
  assert.deepEqual(m.anomalies, ['long_form_tag:pdu']);
});

test('SNMPv2-Trap and InformRequest: snmpTrapOID.0 from the second varbind (RFC 3416 §4.2.6)', () => {
  const binds = seq(
    vb('1.3.6.1.2.1.1.3.0', tlv(0x43, [0x03, 0x3f, 0xc5])), //  sysUpTime.0 212933
    vb('1.3.6.1.6.3.1.1.4.1.0', oid('1.3.6.1.6.3.1.1.5.3')), // snmpTrapOID.0 = linkDown
    vb('1.3.6.1.2.1.2.2.1.1.2', int(2)), //                    ifIndex.2
  );
  for (const [tag, name] of [[0xa7, 'snmpv2_trap'], [0xa6, 'inform_request']] as const) {
    const m = ok(communityMessage(1, str('public'), tlv(tag, int(23), int(0), int(0), binds)));
    assert.equal(m.pdu, name);
    assert.equal(m.trap_oid, '1.3.6.1.6.3.1.1.5.3');
    assert.deepEqual(m.anomalies, []);
  }
  const noTrapOid = ok(communityMessage(1, str('public'), tlv(0xa7, int(23), int(0), int(0), seq(vb('1.3.6.1.2.1.1.3.0', tlv(0x43, [1]))))));
  assert.equal(noTrapOid.trap_oid, null);
  assert.deepEqual(noTrapOid.anomalies, ['missing_trap_oid']);
});

test('PDUs a version does not define are decoded and flagged (RFC 3584 §2)', () => {
  const bulkInV1 = ok(communityMessage(0, str('public'), tlv(0xa5, int(1), int(0), int(5), seq())));
  assert.equal(bulkInV1.pdu, 'get_bulk_request');
  assert.deepEqual(bulkInV1.anomalies, ['pdu_not_in_version']);
  const trapInV2 = ok(Uint8Array.from([0x30, 0x38, 0x02, 0x01, 0x01, ...TRAP_V1.subarray(5)]));
  assert.equal(trapInV2.pdu, 'trap');
  assert.deepEqual(trapInV2.anomalies, ['pdu_not_in_version']);
});

/** USM security parameters (RFC 3414 §2.4) wrapped in their OCTET STRING. */
function usm(engineId: number[], boots: number, time: number, user: string, auth: number[] = [], priv: number[] = []): number[] {
  return tlv(0x04, seq(tlv(0x04, engineId), int(boots), int(time), str(user), tlv(0x04, auth), tlv(0x04, priv)));
}
const ENGINE_ID = [0x80, 0x00, 0x1f, 0x88, 0x80, 0xa9, 0x49, 0x8e, 0x5e, 0x3a, 0x2c, 0x30, 0x43];

test('v3 plaintext: msgGlobalData, USM parameters, scoped PDU', () => {
  const m = ok(Uint8Array.from(seq(
    int(3), //                                                      msgVersion 3
    seq(int(544943986), int(16384), tlv(0x04, [0x05]), int(3)), //  msgID, msgMaxSize, msgFlags auth+reportable, USM
    usm(ENGINE_ID, 221, 86400, 'monitor', new Array<number>(12).fill(0xaa)), // engine, boots, time, user, HMAC
    seq(tlv(0x04, ENGINE_ID), str('ctx1'), //                       ScopedPDU: contextEngineID, contextName
      tlv(0xa1, int(7), int(0), int(0), seq(vb('1.3.6.1.2.1.1.6.0', NULL)))), // GetNextRequest
  )));
  assert.equal(m.version, 3);
  assert.equal(m.version_name, 'v3');
  assert.equal(m.community, null);
  assert.equal(m.community_length, null);
  assert.equal(m.msg_id, 544943986);
  assert.equal(m.msg_max_size, 16384);
  assert.equal(m.msg_flags, 5);
  assert.equal(m.auth, true);
  assert.equal(m.priv, false);
  assert.equal(m.reportable, true);
  assert.equal(m.security_model, 3);
  assert.equal(m.engine_id, '80001f8880a9498e5e3a2c3043');
  assert.equal(m.engine_boots, 221);
  assert.equal(m.engine_time, 86400);
  assert.equal(m.user_name, 'monitor');
  assert.equal(m.encrypted, false);
  assert.equal(m.context_engine_id, '80001f8880a9498e5e3a2c3043');
  assert.equal(m.context_name, 'ctx1');
  assert.equal(m.pdu, 'get_next_request');
  assert.equal(m.request_id, 7);
  assert.equal(m.varbinds[0]!.oid, '1.3.6.1.2.1.1.6.0');
  assert.ok(!JSON.stringify(m).includes('aaaaaaaa')); // the HMAC is not copied
  assert.deepEqual(m.anomalies, []);
});

test('v3 encrypted: header and USM decoded, the encryptedPDU not (no PDU fields)', () => {
  const m = ok(Uint8Array.from(seq(
    int(3),
    seq(int(37321), int(2048), tlv(0x04, [0x07]), int(3)), //       auth + priv + reportable
    usm([0x00, 0x00, 0x39, 0xe7, 0x00, 0x00, 0x00, 0xa1, 0xc0, 0xa8, 0x1d, 0xa0], 752, 196071, 'admin', [1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11]),
    tlv(0x04, [0x14, 0x09, 0x4a, 0x43, 0x80, 0x4d]), //             encryptedPDU
  )));
  assert.equal(m.encrypted, true);
  assert.equal(m.priv, true);
  assert.equal(m.engine_id, '000039e7000000a1c0a81da0');
  assert.equal(m.user_name, 'admin');
  assert.equal(m.pdu, null);
  assert.equal(m.pdu_type, null);
  assert.equal(m.varbind_count, null);
  assert.equal(m.context_engine_id, null);
  assert.deepEqual(m.anomalies, []);
});

test('v3 discovery (empty engine ID and user) and an engine boots sent with its sign bit set', () => {
  const m = ok(Uint8Array.from(seq(
    int(3),
    seq(int(1), int(1500), tlv(0x04, [0x04]), int(3)),
    tlv(0x04, seq(tlv(0x04, []), [0x02, 0x01, 0xdd], [0x02, 0x01, 0xdd], str(''), tlv(0x04, []), tlv(0x04, []))), // boots/time 02 01 dd
    seq(tlv(0x04, []), str(''), tlv(0xa0, int(1), int(0), int(0), seq())),
  )));
  assert.equal(m.engine_id, '');
  assert.equal(m.user_name, '');
  assert.equal(m.engine_boots, 221); // read as unsigned, as tshark and Zeek do
  assert.equal(m.engine_time, 221);
  assert.deepEqual(m.anomalies, ['unsigned_sign_bit:engine_boots', 'unsigned_sign_bit:engine_time']);
});

test('v3: privacy without authentication and a msgFlags of two octets are bad_msg_flags (RFC 3412 §7.2)', () => {
  const msg = (flags: number[]): SnmpMessage => ok(Uint8Array.from(seq(
    int(3), seq(int(1), int(1500), tlv(0x04, flags), int(3)), usm([], 0, 0, ''), tlv(0x04, [0]),
  )));
  assert.deepEqual(msg([0x02]).anomalies, ['bad_msg_flags']);
  assert.deepEqual(msg([0x01, 0x00]).anomalies, ['bad_msg_flags']);
  assert.equal(msg([0x01, 0x00]).msg_flags, 1);
});

test('v3 with another security model: USM fields stay null', () => {
  const m = ok(Uint8Array.from(seq(
    int(3), seq(int(9), int(1500), tlv(0x04, [0x04]), int(4)), tlv(0x04, []), //  TSM (RFC 5591): empty parameters
    seq(tlv(0x04, []), str(''), tlv(0xa0, int(9), int(0), int(0), seq())),
  )));
  assert.equal(m.security_model, 4);
  assert.equal(m.engine_id, null);
  assert.equal(m.pdu, 'get_request');
  assert.deepEqual(m.anomalies, []);
});

test('failures: bounds, empty, not a SEQUENCE, no version INTEGER', () => {
  const b = GET_REQUEST_V1;
  assert.deepEqual(parseSnmp(b, -1, 4), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseSnmp(b, 0, b.length + 1), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseSnmp(b, 0, 0), { ok: false, error: 'empty' });
  assert.deepEqual(parseSnmp(Uint8Array.from([0x31, 0x03, 0x02, 0x01, 0x00]), 0, 5), { ok: false, error: 'not_a_sequence' });
  assert.deepEqual(parseSnmp(Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x00, 0, 0]), 0, 7), { ok: false, error: 'message_indefinite_length' });
  assert.deepEqual(parseSnmp(Uint8Array.from([0x30, 0x05, 0x02, 0x01]), 0, 4), { ok: false, error: 'message_truncated' });
  assert.deepEqual(parseSnmp(Uint8Array.from([0x30, 0x03, 0x04, 0x01, 0x00]), 0, 5), { ok: false, error: 'no_version' });
  assert.deepEqual(parseSnmp(Uint8Array.from([0x30, 0x02, 0x02, 0x00]), 0, 4), { ok: false, error: 'bad_version' });
  assert.deepEqual(parseSnmp(new Uint8Array(70_000), 0, 70_000), { ok: false, error: 'oversized_message' });
});

test('a message inside a larger buffer is read from [off, off+len) only', () => {
  const framed = bytes([0x30, 0x7f, 0x02], GET_REQUEST_V1, [0x30, 0x05]);
  assert.deepEqual(ok(framed, 3, GET_REQUEST_V1.length), ok(GET_REQUEST_V1));
});

test('unknown version: the version is recorded, nothing after it', () => {
  const m = ok(communityMessage(2, str('public'), tlv(0xa0, int(1), int(0), int(0), seq())));
  assert.equal(m.version, 2);
  assert.equal(m.version_name, null);
  assert.equal(m.community, null);
  assert.deepEqual(m.anomalies, ['unknown_version']);
});

test('malformed structure: anomalies name the field, decoding stops there, what came before is kept', () => {
  // The VarBindList announces more octets than the PDU holds.
  const cut = Array.from(GET_REQUEST_V1);
  cut[cut.length - 15] = 0x20; // VarBindList length 0x0e → 0x20
  const a = ok(Uint8Array.from(cut));
  assert.equal(a.request_id, 38);
  assert.equal(a.varbind_count, null);
  assert.deepEqual(a.anomalies, ['truncated:varbinds']);
  // The request-id is an OCTET STRING.
  const b = ok(communityMessage(1, str('public'), tlv(0xa0, str('x'), int(0), int(0), seq())));
  assert.equal(b.pdu, 'get_request');
  assert.equal(b.request_id, null);
  assert.deepEqual(b.anomalies, ['wrong_tag:request_id']);
  // No PDU at all; an unknown PDU tag; an empty INTEGER.
  assert.deepEqual(ok(Uint8Array.from(seq(int(1), str('public')))).anomalies, ['missing:pdu']);
  assert.deepEqual(ok(communityMessage(1, str('public'), tlv(0xa9, int(1)))).anomalies, ['unknown_pdu_type']);
  assert.deepEqual(ok(communityMessage(1, str('public'), tlv(0xa0, [0x02, 0x00], int(0), int(0), seq()))).anomalies, ['bad_integer:request_id']);
  // A varbind whose name is not an OID is counted, not listed; the next one is read.
  const c = ok(communityMessage(1, str('public'), tlv(0xa2, int(1), int(0), int(0), seq(seq(str('x'), NULL), vb('1.3.6.1', int(1))))));
  assert.equal(c.varbind_count, 2);
  assert.deepEqual(c.varbinds.map((v) => v.oid), ['1.3.6.1']);
  assert.deepEqual(c.anomalies, ['wrong_tag:varbind_name']);
});

test('value anomalies: bad OID, bad IpAddress, non-empty NULL, bad INTEGER, unsigned sign bit, non-minimal OID', () => {
  const m = ok(communityMessage(1, str('public'), tlv(0xa2, int(1), int(0), int(0), seq(
    vb('1.3.6.1.1', tlv(0x06, [0x2b, 0x86])), //           OID ending inside a sub-identifier
    vb('1.3.6.1.2', tlv(0x40, [10, 0, 0])), //             IpAddress of 3 octets
    vb('1.3.6.1.3', [0x05, 0x01, 0x00]), //                NULL with a content octet
    vb('1.3.6.1.4', [0x02, 0x00]), //                      INTEGER without content octets
    vb('1.3.6.1.5', tlv(0x41, [0xff, 0xff, 0xff, 0xff])), // Counter32 without its leading zero
    vb('1.3.6.1.6', tlv(0x06, [0x2b, 0x80, 0x06])), //     OID with a redundant 0x80
  ))));
  assert.deepEqual(m.varbinds.map((v) => [v.type, v.value, v.hex]), [
    ['oid', null, false], ['ip_address', '0a0000', true], ['null', null, false], ['integer', null, false],
    ['counter32', '4294967295', false], ['oid', '1.3.6', false],
  ]);
  assert.deepEqual(m.anomalies, ['bad_oid:value', 'bad_ip_address:value', 'non_empty_null', 'bad_integer:value', 'unsigned_sign_bit:value', 'non_minimal_oid:value']);
});

test('extra elements: after the message, in the PDU, in a varbind; data after the message SEQUENCE', () => {
  const pdu = tlv(0xa0, int(1), int(0), int(0), seq(seq(oid('1.3.6.1'), NULL, NULL)), int(9));
  const m = ok(Uint8Array.from([...seq(int(1), str('public'), pdu, int(0)), 0x00, 0x00]));
  assert.deepEqual(m.anomalies, ['extra_data:pdu', 'extra_data:varbind', 'extra_data:message', 'extra_data:datagram']);
});

test(`at most MAX_VARBINDS (${MAX_VARBINDS}) varbinds kept, all counted`, () => {
  const many = Array.from({ length: MAX_VARBINDS + 10 }, (_, i) => vb(`1.3.6.1.2.1.2.2.1.1.${i}`, NULL));
  const m = ok(communityMessage(1, str('public'), tlv(0xa0, int(1), int(0), int(0), seq(...many))));
  assert.equal(m.varbinds.length, MAX_VARBINDS);
  assert.equal(m.varbind_count, MAX_VARBINDS + 10);
  assert.deepEqual(m.anomalies, ['too_many_varbinds']);
});

test(`an OCTET STRING longer than MAX_OCTETS_RENDERED (${MAX_OCTETS_RENDERED}) is cut`, () => {
  const long = 'x'.repeat(MAX_OCTETS_RENDERED + 5);
  const m = ok(communityMessage(1, str('public'), tlv(0xa2, int(1), int(0), int(0), seq(vb('1.3.6.1.2.1.1.1.0', str(long))))));
  assert.equal(m.varbinds[0]!.value, 'x'.repeat(MAX_OCTETS_RENDERED));
  assert.deepEqual(m.anomalies, ['long_value:value']);
});

test('isDisplayText: printable ASCII, HT/LF/CR and UTF-8 are text; NUL, other controls, C1 and bad UTF-8 are not', () => {
  const t = (...x: number[]): boolean => isDisplayText(Uint8Array.from(x), 0, x.length);
  assert.equal(t(...ascii('Chandra\'s cube')), true);
  assert.equal(t(0x41, 0x09, 0x42, 0x0d, 0x0a), true);
  assert.equal(t(0xc3, 0xa9), true); // é
  assert.equal(t(), true);
  assert.equal(t(0x41, 0x00), false); // NUL-terminated: binary
  assert.equal(t(0x1b, 0x5b), false); // ESC
  assert.equal(t(0x7f), false); // DEL
  assert.equal(t(0xc2, 0x85), false); // U+0085 NEL (C1)
  assert.equal(t(0xc0), false); // Latin-1 À alone: not UTF-8
});

test('random mutations: no throw, no read outside the view, documented anomalies, bounded output', () => {
  const bases = [
    GET_REQUEST_V1,
    TRAP_V1,
    communityMessage(1, str('community-x'), tlv(0xa7, int(23), int(0), int(0), seq(
      vb('1.3.6.1.2.1.1.3.0', tlv(0x43, [1, 2])), vb('1.3.6.1.6.3.1.1.4.1.0', oid('1.3.6.1.6.3.1.1.5.3')),
      vb('1.3.6.1.2.1.2.2.1.2.2', str('Ethernet0/1')), vb('1.3.6.1.4.1.9.1', tlv(0x46, [1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ))),
    Uint8Array.from(seq(
      int(3), seq(int(544943986), int(16384), tlv(0x04, [0x05]), int(3)),
      usm(ENGINE_ID, 221, 86400, 'monitor', new Array<number>(12).fill(0xaa)),
      seq(tlv(0x04, ENGINE_ID), str(''), tlv(0xa2, int(7), int(0), int(0), seq(vb('1.3.6.1.2.1.1.5.0', str('pump'))))),
    )),
  ];
  const okCount = runMutations({
    seed: 0x5e1d,
    bases,
    count: 20_000,
    special: [0x00, 0x02, 0x04, 0x05, 0x06, 0x30, 0x40, 0x43, 0x46, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xa2, 0xa4, 0xbf, 0xff],
    parse: parseSnmp,
    anomalyNames: SNMP_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.varbinds.length <= MAX_VARBINDS);
      for (const v of m.varbinds) assert.ok(v.value === null || v.value.length <= 4 * 6 * MAX_OCTETS_RENDERED);
      assert.ok(m.community === null || m.community === OTHER_COMMUNITY || SNMP_WELL_KNOWN_COMMUNITIES.includes(m.community));
      assert.ok(!JSON.stringify(m).includes('community-x'));
    },
  });
  assert.ok(okCount > 5_000, `${okCount} mutations parsed`);
});
