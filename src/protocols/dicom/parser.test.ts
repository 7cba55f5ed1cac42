/**
 * Unit tests of the DICOM upper-layer parsers from annotated PDUs (PS3.8 §9.3, PS3.7 Annex D.3.3 and Annex E), plus
 * random-mutation robustness. Streaming (segmentation, PDV reassembly, data-set scanning) is tested in
 * analyzer.test.ts; corpus-wide agreement with tshark in test/conformance/dicom/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes, zeros } from '../test-bytes.js';
import * as S from '../../synth/dicom-pdus.js';
import {
  type AssociatePdu, DICOM_ANOMALIES, type DimseCommand, MAX_PRESENTATION_CONTEXTS, parseAbort, parseAssociate,
  parseCommandSet, parsePData, parseReject, parseRelease, statusCategory,
} from './parser.js';

/** Parses an association PDU and asserts success. */
function assoc(b: Uint8Array): AssociatePdu {
  const r = parseAssociate(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** Parses a command set and asserts success. */
function command(b: Uint8Array): DimseCommand {
  const r = parseCommandSet(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** An item header: type, reserved, 2-byte length (PS3.8 §9.3.2 Table 9-12). */
const itemHead = (type: number, len: number): number[] => [type, 0x00, ...be16(len)];

// A-ASSOCIATE-RQ written out field by field (PS3.8 §9.3.2, Table 9-11).
const RQ_BODY = bytes(
  be16(0x0001), // protocol-version: bit 0 set
  zeros(2), // reserved
  ascii('PACS_ARCHIVE    '), // called-AE-title, 16 bytes space padded
  ascii('  GE_CT01       '), // calling-AE-title (leading spaces are not significant, PS3.5 AE)
  zeros(32), // reserved
  itemHead(0x10, 21), ascii('1.2.840.10008.3.1.1.1'), // application context item (§9.3.2.1)
  itemHead(0x20, 4 + 4 + 25 + 4 + 17 + 4 + 19), // presentation context item (§9.3.2.2)
  [0x01, 0x00, 0x00, 0x00], // context ID 1, reserved ×3
  itemHead(0x30, 25), ascii('1.2.840.10008.5.1.4.1.1.2'), // abstract syntax: CT Image Storage
  itemHead(0x40, 17), ascii('1.2.840.10008.1.2'), // transfer syntax: implicit VR little endian
  itemHead(0x40, 19), ascii('1.2.840.10008.1.2.1'), // transfer syntax: explicit VR little endian
  itemHead(0x50, 8 + 4 + 27 + 4 + 15 + 4 + 4 + 4 + 31 + 4 + 15), // user information item (§9.3.2.3)
  itemHead(0x51, 4), be32(16384), // maximum length received (D.1)
  itemHead(0x52, 27), ascii('1.2.276.0.7230010.3.0.3.6.4'), // implementation class UID (PS3.7 D.3.3.2)
  itemHead(0x55, 15), ascii('OFFIS_DCMTK_364'), // implementation version name (SH, at most 16 bytes)
  itemHead(0x53, 4), be16(3), be16(1), // asynchronous operations window: 3 invoked, 1 performed (D.3.3.3)
  itemHead(0x54, 31), be16(27), ascii('1.2.840.10008.5.1.4.1.2.2.3'), [0x01, 0x01], // role selection: study root GET, SCU and SCP (D.3.3.4)
  itemHead(0x58, 15), [0x02, 0x01], be16(4), ascii('jdoe'), be16(5), ascii('s3cr3'), // user identity: username+passcode (D.3.3.7.1)
);
const RQ = bytes([0x01, 0x00], be32(RQ_BODY.length), RQ_BODY); // PDU header: type 01H, reserved, length

test('A-ASSOCIATE-RQ: AE titles, application context, presentation context, user information', () => {
  const a = assoc(RQ);
  assert.equal(a.pdu_type, 1);
  assert.equal(a.protocol_version, 1);
  assert.equal(a.called_ae, 'PACS_ARCHIVE');
  assert.equal(a.calling_ae, 'GE_CT01');
  assert.equal(a.application_context, '1.2.840.10008.3.1.1.1');
  assert.deepEqual(a.presentation_contexts, [{
    id: 1, abstract_syntax: '1.2.840.10008.5.1.4.1.1.2', transfer_syntaxes: ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'], result: null, result_name: null,
  }]);
  assert.equal(a.max_pdu_length, 16384);
  assert.equal(a.implementation_class_uid, '1.2.276.0.7230010.3.0.3.6.4');
  assert.equal(a.implementation_version, 'OFFIS_DCMTK_364');
  assert.equal(a.async_ops_invoked, 3);
  assert.equal(a.async_ops_performed, 1);
  assert.deepEqual(a.role_selections, [{ sop_class: '1.2.840.10008.5.1.4.1.2.2.3', scu_role: 1, scp_role: 1 }]);
  assert.deepEqual(a.user_identity, { type: 2, type_name: 'username-passcode', positive_response_requested: true, primary_length: 4, secondary_length: 5, cleartext: true, default_credential_user: null });
  assert.deepEqual(a.anomalies, []);
});

test('A-ASSOCIATE-RQ: the user name and passcode are never in the result', () => {
  const text = JSON.stringify(assoc(RQ));
  assert.ok(!text.includes('jdoe'));
  assert.ok(!text.includes('s3cr3'));
});

test('A-ASSOCIATE-AC: per-context results and the accepted transfer syntax, user identity response', () => {
  const a = assoc(S.associateAc('PACS_ARCHIVE', 'GE_CT01', [
    { id: 1, result: 0, transferSyntax: S.TS.EXPLICIT_LE },
    { id: 3, result: 3, transferSyntax: S.TS.IMPLICIT_LE },
    { id: 5, result: 4, transferSyntax: S.TS.IMPLICIT_LE },
  ], { maxPdu: 0, implementationClassUid: '1.2.40.0.13.1.3', implementationVersion: 'dcm4che-5.31.0', userIdentityResponse: '' }));
  assert.equal(a.pdu_type, 2);
  assert.deepEqual(a.presentation_contexts.map((p) => [p.id, p.result, p.result_name, p.transfer_syntaxes]), [
    [1, 0, 'acceptance', [S.TS.EXPLICIT_LE]],
    [3, 3, 'abstract-syntax-not-supported', [S.TS.IMPLICIT_LE]],
    [5, 4, 'transfer-syntaxes-not-supported', [S.TS.IMPLICIT_LE]],
  ]);
  assert.equal(a.max_pdu_length, 0);
  assert.equal(a.implementation_version, 'dcm4che-5.31.0');
  assert.equal(a.user_identity_response_length, 0);
  assert.deepEqual(a.anomalies, []);
});

test('A-ASSOCIATE-RQ anomalies: padded UID, unknown item, even context ID, odd version, bad AE bytes', () => {
  const body = bytes(
    be16(0x0002), // protocol version without bit 0
    zeros(2),
    ascii('CALLED\x01         '), // a control byte in the called AE title
    ascii('CALLING         '),
    zeros(32),
    itemHead(0x10, 22), ascii('1.2.840.10008.3.1.1.1'), [0x00], // NUL-padded application context
    itemHead(0x20, 4 + 4 + 17 + 4 + 17), [0x02, 0, 0, 0], // even context ID
    itemHead(0x30, 17), ascii('1.2.840.10008.1.1'),
    itemHead(0x40, 17), ascii('1.2.840.10008.1.2'),
    itemHead(0x60, 2), [0xab, 0xcd], // item type 60H is not defined
    itemHead(0x50, 4 + 4), itemHead(0x51, 4), be32(32768),
  );
  const a = assoc(bytes([0x01, 0x00], be32(body.length), body));
  assert.deepEqual(a.anomalies, ['bad_protocol_version', 'bad_ae_title:called', 'padded_uid:application_context', 'bad_context_id:2', 'unknown_item:0x60']);
  assert.equal(a.called_ae, 'CALLED\\x01');
  assert.equal(a.application_context, '1.2.840.10008.3.1.1.1');
});

test('A-ASSOCIATE-RQ: an item running past the PDU stops the items with item_overrun', () => {
  const cut = RQ.slice(0, 74 + 25 + 10); // inside the presentation context item
  const r = parseAssociate(cut, 0, cut.length);
  assert.ok(r.ok);
  assert.ok(r.value.anomalies.includes('pdu_length_mismatch'));
  assert.ok(r.value.anomalies.includes('item_overrun:0x20'));
  assert.ok(r.value.anomalies.includes('missing_item:0x50'));
});

test('A-ASSOCIATE-RQ: not one → error', () => {
  assert.deepEqual(parseAssociate(RQ, 0, 73), { ok: false, error: 'truncated' });
  assert.deepEqual(parseAssociate(S.associateRj(1, 1, 1), 0, 10), { ok: false, error: 'truncated' });
  const wrongType = RQ.slice();
  wrongType[0] = 0x04;
  assert.deepEqual(parseAssociate(wrongType, 0, wrongType.length), { ok: false, error: 'not_associate' });
  assert.deepEqual(parseAssociate(RQ, 10, RQ.length), { ok: false, error: 'bad_bounds' });
});

test('A-ASSOCIATE-RQ: presentation contexts beyond MAX_PRESENTATION_CONTEXTS are counted, not kept', () => {
  const contexts = Array.from({ length: MAX_PRESENTATION_CONTEXTS + 2 }, (_, i) => ({ id: (2 * i + 1) & 0xff, abstractSyntax: S.SOP.VERIFICATION, transferSyntaxes: [S.TS.IMPLICIT_LE] }));
  const a = assoc(S.associateRq('A', 'B', contexts, { implementationClassUid: '1.2.3' }));
  assert.equal(a.presentation_contexts.length, MAX_PRESENTATION_CONTEXTS);
  assert.ok(a.anomalies.includes('too_many_items:0x20'));
});

test('A-ASSOCIATE-RJ (PS3.8 §9.3.4 Table 9-21): result, source and reason by name', () => {
  const r = parseReject(bytes([0x03, 0x00], be32(4), [0x00, 0x01, 0x01, 0x07]), 0, 10); // reserved, permanent, service-user, called AE not recognized
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    result: 1, result_name: 'rejected-permanent', source: 1, source_name: 'service-user', reason: 7, reason_name: 'called-ae-title-not-recognized', anomalies: [],
  });
  const t = parseReject(S.associateRj(2, 3, 1), 0, 10);
  assert.ok(t.ok);
  assert.equal(t.value.reason_name, 'temporary-congestion');
  const u = parseReject(S.associateRj(9, 2, 9), 0, 10);
  assert.ok(u.ok);
  assert.deepEqual(u.value.anomalies, ['unknown_code:reject_result', 'unknown_code:reject_reason']);
});

test('A-ABORT (PS3.8 §9.3.8 Table 9-26): source and provider reason', () => {
  const user = parseAbort(bytes([0x07, 0x00], be32(4), [0x00, 0x00, 0x00, 0x00]), 0, 10); // service-user abort
  assert.ok(user.ok);
  assert.equal(user.value.source_name, 'service-user');
  assert.equal(user.value.reason_name, null);
  const prov = parseAbort(S.abort(2, 2), 0, 10);
  assert.ok(prov.ok);
  assert.deepEqual([prov.value.source_name, prov.value.reason_name], ['service-provider', 'unexpected-pdu']);
  const odd = parseAbort(S.abort(1, 0), 0, 10);
  assert.ok(odd.ok);
  assert.deepEqual(odd.value.anomalies, ['unknown_code:abort_source']);
});

test('A-RELEASE-RQ / -RP (PS3.8 §9.3.6, §9.3.7)', () => {
  assert.deepEqual(parseRelease(S.release(false), 0, 10), { ok: true, value: { pdu_type: 5, anomalies: [] } });
  assert.deepEqual(parseRelease(S.release(true), 0, 10), { ok: true, value: { pdu_type: 6, anomalies: [] } });
  assert.deepEqual(parseRelease(S.release(true), 0, 0), { ok: false, error: 'truncated' });
  assert.deepEqual(parseRelease(S.abort(0, 0), 0, 10), { ok: false, error: 'wrong_pdu_type' });
});

test('P-DATA-TF (PS3.8 §9.3.5): PDV items with context ID and message control header', () => {
  const p = bytes(
    [0x04, 0x00], be32(6 + 4 + 6 + 2), // PDU header
    be32(6), [0x01, 0x03], [1, 2, 3, 4], // PDV: length 6, context 1, command + last, 4 bytes
    be32(4), [0x03, 0x00], [9, 9], // PDV: length 4, context 3, data, not last, 2 bytes
  );
  const r = parsePData(p, 0, p.length);
  assert.ok(r.ok);
  assert.deepEqual(r.value.pdvs, [
    { context_id: 1, command: true, last: true, length: 4, value_offset: 12 },
    { context_id: 3, command: false, last: false, length: 2, value_offset: 22 },
  ]);
  assert.deepEqual(r.value.anomalies, []);
  const bad = bytes([0x04, 0x00], be32(7), be32(1), [0x01, 0xff, 0x00]); // item length 1 < 2
  const rb = parsePData(bad, 0, bad.length);
  assert.ok(rb.ok);
  assert.deepEqual(rb.value.anomalies, ['bad_pdv_length', 'empty_pdata']);
});

test('DIMSE command set (PS3.7 §9.3.5 C-STORE-RQ): command field, SOP class, message ID, priority, data set type', () => {
  const c = command(bytes(
    [0x00, 0x00, 0x00, 0x00], [4, 0, 0, 0], [0x5c, 0, 0, 0], // (0000,0000) UL group length 92
    [0x00, 0x00, 0x02, 0x00], [26, 0, 0, 0], ascii('1.2.840.10008.5.1.4.1.1.2'), [0x00], // (0000,0002) affected SOP class, odd length padded with NUL (PS3.5 §9.1)
    [0x00, 0x00, 0x00, 0x01], [2, 0, 0, 0], [0x01, 0x00], // (0000,0100) command field 0001H C-STORE-RQ
    [0x00, 0x00, 0x10, 0x01], [2, 0, 0, 0], [0x07, 0x00], // (0000,0110) message ID 7
    [0x00, 0x00, 0x00, 0x07], [2, 0, 0, 0], [0x00, 0x00], // (0000,0700) priority medium
    [0x00, 0x00, 0x00, 0x08], [2, 0, 0, 0], [0x00, 0x00], // (0000,0800) data set present
    [0x00, 0x00, 0x00, 0x10], [10, 0, 0, 0], ascii('1.2.3.4.55'), // (0000,1000) affected SOP instance (not kept)
  ));
  assert.equal(c.command, 'C-STORE-RQ');
  assert.equal(c.command_field, 1);
  assert.equal(c.affected_sop_class, '1.2.840.10008.5.1.4.1.1.2');
  assert.equal(c.message_id, 7);
  assert.equal(c.priority, 0);
  assert.equal(c.data_set_type, 0);
  assert.deepEqual(c.anomalies, []);
  assert.ok(!JSON.stringify(c).includes('1.2.3.4.55'));
});

test('DIMSE responses: status, sub-operation counts, move destination; status classes (PS3.7 Annex C)', () => {
  const rsp = command(S.commandSet({ commandField: 0x8021, affectedSopClass: S.SOP.STUDY_ROOT_MOVE, respondedTo: 3, dataSet: false, status: 0xff00 }));
  assert.equal(rsp.command, 'C-MOVE-RSP');
  assert.equal(rsp.responded_to_id, 3);
  assert.equal(rsp.status, 0xff00);
  assert.equal(rsp.data_set_type, 0x0101);
  assert.deepEqual(rsp.anomalies, []);
  const rq = command(S.commandSet({ commandField: 0x0021, affectedSopClass: S.SOP.STUDY_ROOT_MOVE, messageId: 3, moveDestination: 'WORKSTATION1', priority: 0, dataSet: true }));
  assert.equal(rq.move_destination, 'WORKSTATION1');
  assert.deepEqual(['0000', 'ff00', 'ff01', 'fe00', 'b000', '0107', 'a700', 'c000', '0122'].map((s) => statusCategory(parseInt(s, 16))),
    ['success', 'pending', 'pending', 'cancel', 'warning', 'warning', 'failure', 'failure', 'failure']);
});

test('DIMSE command set anomalies: unknown command, wrong value size, group length, other group', () => {
  const u = command(S.commandSet({ commandField: 0x0042, dataSet: false }));
  assert.deepEqual(u.anomalies, ['unknown_command']);
  const bad = bytes(
    [0, 0, 0, 0], [4, 0, 0, 0], [99, 0, 0, 0], // group length 99 (wrong)
    [0, 0, 0, 1], [4, 0, 0, 0], [0x30, 0, 0, 0], // command field with 4 bytes
    [8, 0, 0x18, 0], [2, 0, 0, 0], [0, 0], // (0008,0018): not group 0000
  );
  const c = command(bad);
  assert.deepEqual(c.anomalies, ['bad_command_value:0000,0100', 'bad_command_element:0008,0018', 'group_length_mismatch', 'missing_command_field']);
  assert.deepEqual(parseCommandSet(bytes([8, 0, 0x10, 0], [0, 0, 0, 0]), 0, 8), { ok: false, error: 'not_command_set' });
});

test('mutations: association PDUs, short PDUs, P-DATA and command sets never throw or read outside their bytes', () => {
  const ac = S.associateAc('PACS', 'CT', [{ id: 1, result: 0, transferSyntax: S.TS.IMPLICIT_LE }], {
    maxPdu: 16384, implementationClassUid: '1.2.3.4', implementationVersion: 'X', roles: [{ sopClass: S.SOP.CT_IMAGE_STORAGE, scu: 0, scp: 1 }], userIdentityResponse: 'ok',
  });
  const special = [0x00, 0x01, 0x02, 0x10, 0x20, 0x21, 0x30, 0x40, 0x50, 0x51, 0x52, 0x54, 0x55, 0x58, 0xff];
  const n = runMutations({ seed: 104, bases: [RQ, ac], count: 4000, special, parse: parseAssociate, anomalyNames: DICOM_ANOMALIES });
  assert.ok(n > 1000, `only ${n} mutations parsed`);
  runMutations({ seed: 11112, bases: [S.associateRj(1, 1, 3), S.abort(2, 6)], count: 1000, special, parse: parseReject, anomalyNames: DICOM_ANOMALIES });
  runMutations({ seed: 4242, bases: [S.abort(2, 6)], count: 1000, special, parse: parseAbort, anomalyNames: DICOM_ANOMALIES });
  runMutations({ seed: 2762, bases: [S.release(false), S.release(true)], count: 500, special, parse: parseRelease, anomalyNames: DICOM_ANOMALIES });
  const cmd = S.commandSet({ commandField: 0x0001, affectedSopClass: S.SOP.CT_IMAGE_STORAGE, messageId: 1, priority: 0, dataSet: true, affectedSopInstance: '1.2.3' });
  runMutations({ seed: 1, bases: [S.pData([{ context: 1, command: true, last: true, bytes: cmd }, { context: 1, command: false, last: true, bytes: [1, 2] }])], count: 1000, special, parse: parsePData, anomalyNames: DICOM_ANOMALIES });
  runMutations({ seed: 2, bases: [cmd], count: 2000, special, parse: parseCommandSet, anomalyNames: DICOM_ANOMALIES });
});

test('user identity username+passcode: a default pair of the list is flagged by user name, the passcode never returned', () => {
  const withIdentity = (user: string, pass: string): AssociatePdu => {
    const ui = bytes([0x02, 0x00], be16(user.length), ascii(user), be16(pass.length), ascii(pass)); // D.3.3.7.1
    const body = bytes(be16(1), zeros(2), ascii('PACS_ARCHIVE    '), ascii('MUSE            '), zeros(32),
      itemHead(0x50, 4 + ui.length), itemHead(0x58, ui.length), ui);
    return assoc(bytes([0x01, 0x00], be32(body.length), body));
  };
  const hit = withIdentity('museadmin', 'Muse!Admin'); // GE MUSE, data/findings/default_creds_medical_subset.csv
  assert.equal(hit.user_identity!.default_credential_user, 'museadmin');
  assert.equal(JSON.stringify(hit).includes('Muse!Admin'), false);
  assert.equal(withIdentity('museadmin', 'other').user_identity!.default_credential_user, null);
});
