/**
 * Unit tests of the IntelliVue Data Export parser from annotated byte arrays, each following a section of the Philips
 * "IntelliVue Patient Monitor Data Export Interface Programming Guide" (the guide), plus truncation at every byte and
 * random mutations of every message of the spec-built capture (scripts/make-intellivue-captures.ts). No public capture
 * and no tshark dissector exist for this protocol: these byte-level tests are its conformance suite.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../../synth/prng.js';
import * as IV from '../../synth/intellivue-messages.js';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes } from '../test-bytes.js';
import { MAX_INTELLIVUE_ATTRIBUTES } from './attributes.js';
import { INTELLIVUE_ANOMALIES, type IntellivueMessage, MAX_INTELLIVUE_MESSAGE_BYTES, parseIntellivue } from './parser.js';

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length - off): IntellivueMessage {
  const r = parseIntellivue(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** An AVAType: attribute_id, length, value. */
const ava = (id: number, value: number[]): number[] => [...be16(id), ...be16(value.length), ...value];
/** An AttributeList of AVAs: count, length, entries. */
const attrs = (...list: number[][]): number[] => [...be16(list.length), ...be16(list.flat().length), ...list.flat()];

test('Connect Indication (guide "Connect Indication"): Nomenclature, ROIV EventReport NOM_NOTI_CONN_INDIC, ConnectIndInfo', () => {
  const info = attrs(
    ava(0x0986, [...be16(1), ...be16(4301)]), // NOM_ATTR_SYS_TYPE: TYPE {NOM_PART_OBJ, MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS}
    ava(0x092d, [...be16(2), ...be16(22), // NOM_ATTR_ID_PROD_SPECN: ProductionSpec count 2, length 22
      ...be16(1), ...be16(0x0008), ...be16(10), ...ascii('DE12345678'), // SERIAL_NUMBER, ID_COMP_PRODUCT, "DE12345678"
      ...be16(4), ...be16(0x0058), ...be16(0), // SW_REVISION, ID_COMP_APPL_SW, empty label
    ]),
    ava(0x0937, [...be32(0x01000200), ...be16(2), ...be16(11)]), // NOM_ATTR_LOCALIZN: catalog revision, GERMAN, STRFMT_UNICODE_NT
    ava(0xf101, [...be16(2), ...be16(16), ...be16(1), ...be16(1), ...be16(24105), ...be16(0), // NOM_ATTR_PCOL_SUPPORT: AP_ID_ACSE/UDP/24105
      ...be16(5), ...be16(1), ...be16(24106), ...be16(0x8000)]), // AP_ID_DATA_OUT/UDP/24106, P_OPT_WIRELESS
    ava(0xf100, [0x00, 0x09, 0xfb, 0x01, 0x02, 0x03, 172, 16, 5, 9, 255, 255, 0, 0]), // NOM_ATTR_NET_ADDR_INFO: MAC, IP, mask
  );
  const event = [...be16(35), ...be16(0), ...be16(0), ...be32(0), ...be16(0x0d17), ...be16(info.length), ...info]; // EventReportArgument
  const m = ok(bytes(
    be32(0x00010000), // Nomenclature
    be16(1), be16(event.length + 6), // ROapdus: ROIV_APDU, length
    be16(0), be16(0), be16(event.length), // ROIVapdu: invoke_id 0, CMD_EVENT_REPORT, length
    event,
  ));
  assert.equal(m.message, 'connect_indication');
  assert.equal(m.nomenclature, '00010000');
  assert.equal(m.ro_type, 'invoke');
  assert.equal(m.command, 'event_report');
  assert.equal(m.object_class, 35);
  assert.equal(m.operation, 'connect_indication');
  const s = m.system!;
  assert.equal(s.system_type, '1:4301');
  assert.equal(s.serial_number, 'DE12345678');
  assert.equal(s.sw_revision, null); // an empty label does not set the summary field
  assert.deepEqual(s.production_spec, [{ spec_type: 'serial_number', component_id: 8, value: 'DE12345678' }, { spec_type: 'sw_revision', component_id: 0x58, value: '' }]);
  assert.equal(s.language, 'german');
  assert.equal(s.text_catalog_revision, '01000200');
  assert.equal(s.data_export_port, 24106);
  assert.deepEqual(s.protocols[1], { appl_proto: 5, trans_proto: 1, port: 24106, wireless: true });
  assert.equal(s.mac_address, '00:09:fb:01:02:03');
  assert.equal(s.ip_address, '172.16.5.9');
  assert.equal(s.subnet_mask, '255.255.0.0');
  assert.deepEqual(m.anomalies, []);
});

/** The association request exactly as the guide lists it: session header, session data, presentation header, user data. */
const GUIDE_AARQ = bytes(
  [0x0d, 0xec], // SessionHeader: CN_SPDU_SI, LI 236
  [0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02], // session data
  [0xc1, 0xdc, 0x31, 0x80, 0xa0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xa2, 0x80, 0xa0, 0x03, 0x00, 0x00, 0x01, 0xa4, 0x80,
    0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30, 0x80, 0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01,
    0x30, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x60, 0x80, 0xa1, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48,
    0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00], // presentation header (AARQ)
  [0xbe, 0x80, 0x28, 0x80], // user-information [30], EXTERNAL
  [0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01], // direct-reference OID
  [0x02, 0x01, 0x02], // indirect-reference 2
  [0x81, 0x48], // octet-aligned [1], 72 bytes of MDSEUserInfoStd:
  be32(0x80000000), // protocol_version MDDL_VERSION1
  be32(0x40000000), // nomenclature_version NOMEN_VERSION
  be32(0), // functional_units
  be32(0x80000000), // system_type SYST_CLIENT
  be32(0x20000000), // startup_mode COLD_START
  be16(0), be16(0), // option_list: empty
  be16(1), be16(0x2c), // supported_aprofiles: 1 attribute, 44 bytes
  be16(0x0001), be16(0x28), // NOM_POLL_PROFILE_SUPPORT, 40 bytes
  be32(0x80000000), // poll_profile_revision POLL_PROFILE_REV_0
  be32(0x000009c4), // min_poll_period 2500 × 1/8 ms
  be32(0x000009c4), be32(0x000003e8), // max_mtu_rx 2500, max_mtu_tx 1000
  be32(0xffffffff), // max_bw_tx
  be32(0x60000000), // options P_OPT_DYN_CREATE_OBJECTS | P_OPT_DYN_DELETE_OBJECTS
  be16(1), be16(0x0c), be16(0xf001), be16(0x08), be32(0x8c000000), be16(0), be16(0), // optional_packages: NOM_ATTR_POLL_PROFILE_EXT
  new Array<number>(16).fill(0), // presentation trailer (end-of-contents)
);

test('association request (guide "Association Request"): user data found in the EXTERNAL and decoded', () => {
  const m = ok(GUIDE_AARQ);
  assert.equal(m.message, 'association_request');
  assert.deepEqual(m.association, {
    protocol_version: '80000000', nomenclature_version: '40000000', functional_units: '00000000', system_type: 'client', startup_mode: 'cold',
    profiles: ['poll', 'poll_ext'], min_poll_period_ms: 312.5, max_mtu_rx: 2500, max_mtu_tx: 1000, poll_ext_options: '8c000000',
  });
  assert.deepEqual(m.anomalies, []);
});

test('association response, refuse, release, abort (guide "Session Headers"), LI in one and three bytes', () => {
  const resp = ok(IV.associationResponse({ systemType: 'server', startup: 'warm', minPollPeriod: 8000, mtuRx: 1364, mtuTx: 1364, extOptions: null }));
  assert.equal(resp.message, 'association_response');
  assert.equal(resp.association!.system_type, 'server');
  assert.equal(resp.association!.startup_mode, 'warm');
  assert.deepEqual(resp.association!.profiles, ['poll']);
  assert.equal(resp.association!.min_poll_period_ms, 1000);
  assert.equal(resp.association!.poll_ext_options, null);
  assert.equal(ok(bytes([0x0c, 0x02, 0x00, 0x00])).message, 'refuse');
  assert.equal(ok(IV.releaseRequest()).message, 'release_request');
  assert.equal(ok(IV.releaseResponse()).message, 'release_response');
  const abort = ok(bytes([0x19, 0xff, 0x00, 0x02, 0x11, 0x22])); // AB_SPDU_SI, LI 0xFF + 2 bytes
  assert.equal(abort.message, 'abort');
  assert.deepEqual(abort.anomalies, []);
});

test('MDS Create Event (guide "MDS Create Event"): System Model, System ID, Production Specification by component, Bed Label', () => {
  const list = attrs(
    ava(0x0928, [...be16(4), ...ascii('PHIL'), ...be16(6), ...ascii('M8007'), 0]), // NOM_ATTR_ID_MODEL: "PHIL", "M8007\0"
    ava(0x0984, [...be16(6), 0x00, 0x09, 0xfb, 0x0a, 0x0b, 0x0c]), // NOM_ATTR_SYS_ID: VariableLabel of the 6-byte MAC
    ava(0x092d, [...be16(2), ...be16(22), // NOM_ATTR_ID_PROD_SPECN
      ...be16(1), ...be16(0x0050), ...be16(4), ...ascii('MB01'), // SERIAL_NUMBER of ID_COMP_MAIN_BD
      ...be16(1), ...be16(0x0008), ...be16(6), ...ascii('SN0007')]), // SERIAL_NUMBER of ID_COMP_PRODUCT: wins
    ava(0x091e, [...be16(10), 0, 0x42, 0, 0x45, 0, 0x44, 0, 0x37, 0, 0]), // NOM_ATTR_ID_BED_LABEL: String "BED7" UTF-16BE, NUL
    ava(0x0935, be16(2)), // NOM_ATTR_LINE_FREQ: LINE_F_60HZ
    ava(0x090c, be16(0xffce)), // NOM_ATTR_ALTITUDE: -50 m
    ava(0x0946, be16(0x2002)), // NOM_ATTR_MODE_OP: DEMO | STANDBY
    ava(0x0948, be32(0x40000000)), // NOM_ATTR_NOM_VERS
  );
  const info = [...be16(33), ...be16(0), ...be16(0), ...list]; // MdsCreateInfo: managed_object, attribute_list
  const arg = [...be16(33), ...be16(0), ...be16(0), ...be32(0x1000), ...be16(0x0d06), ...be16(info.length), ...info]; // NOM_NOTI_MDS_CREAT
  const m = ok(bytes([0xe1, 0x00], be16(2), be16(1), be16(arg.length + 6), be16(7), be16(1), be16(arg.length), arg));
  assert.equal(m.message, 'data_export');
  assert.equal(m.context_id, 2);
  assert.equal(m.command, 'confirmed_event_report');
  assert.equal(m.invoke_id, 7);
  assert.equal(m.operation, 'mds_create');
  const s = m.system!;
  assert.equal(s.manufacturer, 'PHIL');
  assert.equal(s.model_number, 'M8007');
  assert.equal(s.system_id, '00:09:fb:0a:0b:0c');
  assert.equal(s.serial_number, 'SN0007');
  assert.equal(s.bed_label, 'BED7');
  assert.equal(s.line_frequency, 60);
  assert.equal(s.altitude_m, -50);
  assert.deepEqual(s.operating_mode, ['demo', 'standby']);
  assert.equal(s.nomenclature_version, '40000000');
  assert.deepEqual(m.anomalies, []);
});

/** A poll reply body (PollMdibDataReply) for object code `obj` with one context holding `objects` (handle, attribute list). */
function pollReply(obj: number, objects: number[][], ext = false): number[] {
  const polls = objects.flat();
  const context = [...be16(0), ...be16(objects.length), ...be16(polls.length), ...polls]; // SingleContextPoll
  return [
    ...be16(9), // poll_number
    ...(ext ? be16(3) : []), // sequence_no (extended poll)
    ...be32(0x12345678), // rel_time_stamp
    0x20, 0x26, 0x03, 0x02, 0x10, 0x00, 0x00, 0x00, // abs_time_stamp (BCD)
    ...be16(1), ...be16(obj), // polled_obj_type: NOM_PART_OBJ, code
    ...be16(0), // polled_attr_grp: all
    ...be16(1), ...be16(context.length), ...context, // poll_info_list
  ];
}

/** A data export RORS / ROLRS around an ActionResult with `reply`. */
function actionResult(action: number, reply: number[], linked?: [number, number]): Uint8Array {
  const result = [...be16(33), ...be16(0), ...be16(0), ...be16(action), ...be16(reply.length), ...reply]; // ActionResult
  const ro = linked
    ? [...be16(5), ...be16(result.length + 8), linked[0], linked[1], ...be16(4), ...be16(7), ...be16(result.length)] // ROLRSapdu
    : [...be16(2), ...be16(result.length + 6), ...be16(4), ...be16(7), ...be16(result.length)]; // RORSapdu
  return bytes([0xe1, 0x00], be16(2), ro, result);
}

test('poll request and result (guide "Single Poll Data Request/Result"): object type, group, context/object/attribute counts', () => {
  const req = ok(IV.pollRequest(4, 9, 9, 0x0803));
  assert.deepEqual(req.poll, { action: 'poll', poll_number: 9, sequence_no: null, obj_type: 'wave', obj_code: 9, attr_group: 0x0803, contexts: null, objects: null, attributes: null });
  assert.equal(req.ro_type, 'invoke');
  assert.equal(req.action_type, 0x0c16);
  const nu = [...be16(0x4182), ...be16(0), ...be16(0x0aa0), 0x00, 0x00, 0x00, 0x48]; // NuObsValue HR 72 bpm
  const res = ok(actionResult(0x0c16, pollReply(6, [[...be16(0x0101), ...attrs(ava(0x0950, nu), ava(0x0921, be16(0x0101)))], [...be16(0x0102), ...attrs()]])));
  assert.equal(res.ro_type, 'result');
  assert.equal(res.operation, 'poll');
  assert.deepEqual(res.poll, { action: 'poll', poll_number: 9, sequence_no: null, obj_type: 'numeric', obj_code: 6, attr_group: 0, contexts: 1, objects: 2, attributes: 2 });
  assert.equal(res.system, null);
  assert.deepEqual(res.anomalies, []);
});

test('extended poll result in a linked result (guide "Extended Poll Data Result", ROLRSapdu): sequence_no, state, count', () => {
  const m = ok(actionResult(0xf13b, pollReply(54, [[...be16(1), ...attrs(ava(0x0916, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]))]], true), [2, 5]));
  assert.equal(m.ro_type, 'linked_result');
  assert.equal(m.linked_state, 'not_first_not_last');
  assert.equal(m.linked_count, 5);
  assert.equal(m.operation, 'poll_ext');
  assert.equal(m.poll!.sequence_no, 3);
  assert.equal(m.poll!.obj_type, 'alarm');
  assert.deepEqual(m.anomalies, []);
});

test('MDS poll result: identity attributes decoded from the MDS object', () => {
  const mds = [...be16(0), ...attrs(ava(0x0928, [...be16(2), ...ascii('PH'), ...be16(4), ...ascii('MX80')]))];
  const m = ok(actionResult(0x0c16, pollReply(33, [mds])));
  assert.equal(m.poll!.obj_type, 'mds');
  assert.equal(m.system!.model_number, 'MX80');
});

test('patient demographics: only the kinds of non-blank attributes, never a value', () => {
  const name = 'ZZSECRET';
  const utf16 = (s: string): number[] => [...be16(s.length * 2 + 2), ...[...s].flatMap((c) => be16(c.charCodeAt(0))), 0, 0];
  const obj = [...be16(1), ...attrs(
    ava(0x095c, utf16(name)), // NOM_ATTR_PT_NAME_FAMILY
    ava(0x095d, utf16('')), // NOM_ATTR_PT_NAME_GIVEN, blank: not listed
    ava(0x095a, utf16('ZZID-9')), // NOM_ATTR_PT_ID
    ava(0x0958, [0x19, 0x40, 0x01, 0x02, 0, 0, 0, 0]), // NOM_ATTR_PT_DOB (BCD)
    ava(0x0961, be16(1)), // NOM_ATTR_PT_SEX: MALE
    ava(0xf129, utf16('')), // NOM_ATTR_PT_NOTES1, blank
  )];
  const m = ok(actionResult(0x0c16, pollReply(42, [obj])));
  assert.equal(m.poll!.obj_type, 'patient_demographics');
  assert.deepEqual(m.phi_kinds, ['name', 'id', 'birth_date', 'sex']);
  const json = JSON.stringify(m);
  for (const s of [name, 'ZZID-9', '1940']) assert.ok(!json.includes(s), s);
});

test('ROER (guide "Remote Operation Error"), GET request and GET result of the MDS', () => {
  const er = ok(bytes([0xe1, 0x00], be16(2), be16(3), be16(6), be16(11), be16(9), be16(0))); // ROER: invoke 11, NO_SUCH_ACTION
  assert.equal(er.ro_type, 'error');
  assert.equal(er.error_value, 9);
  const getArg = [...be16(33), ...be16(0), ...be16(0), ...be32(0), ...be16(0), ...be16(0)]; // GetArgument: MDS, scope, empty id list
  const get = ok(bytes([0xe1, 0x00], be16(2), be16(1), be16(getArg.length + 6), be16(12), be16(3), be16(getArg.length), getArg));
  assert.equal(get.command, 'get');
  assert.equal(get.operation, 'get');
  const getRes = [...be16(33), ...be16(0), ...be16(0), ...attrs(ava(0x091e, [...be16(4), 0, 0x41, 0, 0]))]; // GetResult: Bed Label "A"
  const res = ok(bytes([0xe1, 0x00], be16(2), be16(2), be16(getRes.length + 6), be16(12), be16(3), be16(getRes.length), getRes));
  assert.equal(res.system!.bed_label, 'A');
});

test('anomalies: truncated, trailing bytes, session id, unknown ro_type and command, attribute lists, user data, poll list', () => {
  const names = (b: Uint8Array): string[] => ok(b).anomalies;
  const poll = IV.pollRequest(1, 1, 6, 0);
  assert.deepEqual(names(poll.subarray(0, poll.length - 2)), ['truncated']);
  assert.deepEqual(names(bytes(poll, [0, 0])), ['trailing_bytes']);
  assert.deepEqual(names(bytes([0xe1, 0x01], poll.subarray(2))), ['bad_session_id']);
  assert.deepEqual(names(bytes([0xe1, 0x00, 0, 2], be16(4), be16(6), be16(1), be16(0), be16(0))), ['unknown_ro_type']);
  assert.deepEqual(names(bytes([0xe1, 0x00, 0, 2], be16(1), be16(6), be16(1), be16(9), be16(0))), ['unknown_command']);
  const badList = [...be16(33), ...be16(0), ...be16(0), ...be16(2), ...be16(4), ...ava(0x1234, [])]; // count 2, one AVA (an unknown attribute)
  assert.deepEqual(names(bytes([0xe1, 0x00, 0, 2], be16(2), be16(badList.length + 6), be16(1), be16(3), be16(badList.length), badList)), ['bad_attribute_list']);
  const badValue = [...be16(33), ...be16(0), ...be16(0), ...attrs(ava(0xf100, [1, 2, 3]))]; // IP Address Information too short
  assert.deepEqual(names(bytes([0xe1, 0x00, 0, 2], be16(2), be16(badValue.length + 6), be16(1), be16(3), be16(badValue.length), badValue)), ['bad_attribute_value']);
  assert.deepEqual(names(bytes([0x0d, 0x04, 0xbe, 0x80, 0x28, 0x80])), ['bad_user_data']);
  assert.deepEqual(names(actionResult(0x0c16, [...pollReply(6, []).slice(0, 20), ...be16(1), ...be16(2), 0, 0])), ['bad_poll_list']);
  const many = Array.from({ length: MAX_INTELLIVUE_ATTRIBUTES + 1 }, () => ava(0x0935, be16(1)));
  const big = [...be16(33), ...be16(0), ...be16(0), ...attrs(...many)];
  assert.deepEqual(names(bytes([0xe1, 0x00, 0, 2], be16(2), be16(big.length + 6), be16(1), be16(3), be16(big.length), big)), ['too_many_attributes']);
  const huge = new Uint8Array(MAX_INTELLIVUE_MESSAGE_BYTES + 10);
  huge.set(poll);
  assert.deepEqual(names(huge), ['oversized_message', 'trailing_bytes']);
});

test('not IntelliVue: too short, unknown first byte, connect indication without ROIV', () => {
  for (const b of [bytes([0xe1]), bytes(ascii('GET / HTTP/1.1\r\n')), bytes(be32(0x00010000), be16(2), be16(0)), bytes([0xe1, 0x00, 0x00])]) {
    assert.equal(parseIntellivue(b, 0, b.length).ok, false);
  }
});

/** Every datagram of the spec-built capture (Connect Indication, association, MDS Create, polls, release). */
function captureMessages(): Uint8Array[] {
  const u: IV.IvUserInfo = { systemType: 'client', startup: 'cold', minPollPeriod: 8000, mtuRx: 1000, mtuTx: 1000, extOptions: 0x80000000 };
  const demog: IV.IvPolledObject = [1, [[0x095c, IV.unicodeString('ZZNAME')], [0x0958, [0x19, 0x50, 1, 1, 0, 0, 0, 0]]]];
  return [
    IV.connectIndication([[0x092d, IV.productionSpec([[1, 8, 'SN1'], [4, 0x58, 'L.01']])], [0xf101, IV.protocolSupport([[5, 1, 24105, 0]])]]),
    IV.associationRequest(u), IV.associationResponse({ ...u, systemType: 'server' }), GUIDE_AARQ,
    IV.mdsCreateEvent(1, 0, [[0x0928, IV.systemModel('Philips', 'M8007A')], [0x091e, IV.unicodeString('BED1')], [0x0984, [0, 6, 1, 2, 3, 4, 5, 6]]]),
    IV.mdsCreateResult(1, 0), IV.pollRequest(2, 1, 6, 0x0803),
    IV.pollResult(2, 1, 6, 0x0803, 0, [[1, [[0x0950, IV.numericValue(0x4182, 0x0aa0, 72)]]]]),
    IV.pollResult(3, 2, 42, 0x0807, 0, [demog], [1, 1]), IV.releaseRequest(), IV.releaseResponse(),
  ];
}

test('truncation at every byte of every message: no throw, no read outside [off, off+len), same result in a larger buffer', () => {
  const rng = new Prng(24105);
  for (const msg of captureMessages()) {
    for (let cut = 0; cut <= msg.length; cut++) {
      const framed = new Uint8Array(cut + 40);
      for (let i = 0; i < framed.length; i++) framed[i] = rng.int(0, 255);
      framed.set(msg.subarray(0, cut), 20);
      const alone = parseIntellivue(msg, 0, cut);
      assert.deepEqual(parseIntellivue(framed, 20, cut), alone, `cut at ${cut}`);
      if (alone.ok) for (const a of alone.value.anomalies) assert.ok(a in INTELLIVUE_ANOMALIES, a);
    }
  }
});

test('random mutations of every message: never throws, reads only its range, documented anomalies, no patient value', () => {
  const parsed = runMutations({
    seed: 24005, bases: captureMessages(), count: 30_000, special: [0, 1, 2, 5, 7, 0x80, 0x81, 0x82, 0xe1, 0x0d, 0x0e, 0xff, 0xbe, 0x28],
    parse: parseIntellivue, anomalyNames: INTELLIVUE_ANOMALIES,
    onParsed: (v) => assert.ok(!JSON.stringify(v).includes('ZZNAME')),
  });
  assert.ok(parsed > 10_000, `only ${parsed} mutations parsed`);
});
