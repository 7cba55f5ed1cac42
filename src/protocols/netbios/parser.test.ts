/**
 * Unit tests of the NetBIOS name service and datagram service parsers from annotated byte arrays (RFC 1002 §4.2
 * and §4.4 layouts, [MS-CIFS] SMB transaction, [MS-BRWS] browser frames), plus random-mutation robustness.
 * Corpus-wide agreement with tshark is in test/conformance/netbios/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  BROWSER_SERVER_TYPE_BITS,
  decodeNetbiosText,
  formatNetbiosName,
  MAX_NB_ADDRESS_ENTRIES,
  MAX_NBNS_QUESTIONS,
  MAX_NBNS_RECORDS,
  MAX_NBSTAT_NAMES,
  NETBIOS_ANOMALIES,
  type NbnsMessage,
  type NetbiosDatagram,
  parseNbns,
  parseNetbiosDatagram,
} from './parser.js';
import { ascii, be16, be32, bytes, zeros } from '../test-bytes.js';

// ---------------------------------------------------------------------------------------------------------------
// Byte-building helpers

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

/**
 * The first-level encoded label of a NetBIOS name (RFC 1001 §14.1): the 15 name bytes space-padded, the suffix byte,
 * each of the 16 bytes split in two nibbles written as 'A' + nibble; preceded by its length 0x20.
 */
function label(name: number[] | string, suffix: number): number[] {
  const raw = typeof name === 'string' ? ascii(name) : name;
  const sixteen = [...raw, ...new Array<number>(15 - raw.length).fill(0x20), suffix];
  return [0x20, ...sixteen.flatMap((c) => [0x41 + (c >> 4), 0x41 + (c & 0x0f)])];
}
/** An encoded NetBIOS name without scope: the label and the root label. */
const nbName = (name: number[] | string, suffix: number): number[] => [...label(name, suffix), 0x00];
/** The 16 raw bytes of a node status NODE_NAME entry (not encoded). */
const rawName = (name: string, suffix: number): number[] => [...ascii(name), ...new Array<number>(15 - name.length).fill(0x20), suffix];

function okNbns(b: Uint8Array, off = 0, len = b.length): NbnsMessage {
  const r = parseNbns(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}
function okDgm(b: Uint8Array, off = 0, len = b.length): NetbiosDatagram {
  const r = parseNetbiosDatagram(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Name service (UDP 137)

test('NBNS name query request (broadcast): header, flags, question name decoded from first-level encoding', () => {
  const m = okNbns(bytes(
    be16(0x8a41), // NAME_TRN_ID
    be16(0x0110), // flags: R 0, OPCODE 0 query, RD, B
    be16(1), // QDCOUNT
    be16(0), // ANCOUNT
    be16(0), // NSCOUNT
    be16(0), // ARCOUNT
    nbName('PUMP-07', 0x20), // QUESTION_NAME: "PUMP-07" <20> (server service), no scope
    be16(0x0020), // QUESTION_TYPE: NB
    be16(0x0001), // QUESTION_CLASS: IN
  ));
  assert.equal(m.transaction_id, 0x8a41);
  assert.equal(m.flags, 0x0110);
  assert.equal(m.response, false);
  assert.equal(m.opcode, 0);
  assert.equal(m.opcode_name, 'query');
  assert.equal(m.authoritative, false);
  assert.equal(m.truncated, false);
  assert.equal(m.recursion_desired, true);
  assert.equal(m.recursion_available, false);
  assert.equal(m.broadcast, true);
  assert.equal(m.rcode, 0);
  assert.deepEqual([m.qd_count, m.an_count, m.ns_count, m.ar_count], [1, 0, 0, 0]);
  assert.deepEqual(m.questions, [{ name: { name: 'PUMP-07', suffix: 0x20, scope: null }, type: 0x20, type_name: 'NB', class: 1 }]);
  assert.equal(formatNetbiosName(m.questions[0]!.name), 'PUMP-07<20>');
  assert.deepEqual(m.answers, []);
  assert.deepEqual(m.anomalies, []);
  assert.doesNotThrow(() => JSON.stringify(m));
});

test('NBNS positive name query response: NB entries with group bit and owner node type', () => {
  const m = okNbns(bytes(
    be16(0x1234), // NAME_TRN_ID
    be16(0x8500), // flags: R, OPCODE 0, AA, RD, RCODE 0
    be16(0), be16(1), be16(0), be16(0), // QD 0, AN 1, NS 0, AR 0
    nbName('WARD3', 0x1c), // RR_NAME: "WARD3" <1c>
    be16(0x0020), // RR_TYPE: NB
    be16(0x0001), // RR_CLASS: IN
    be32(300000), // TTL: 300 000 s
    be16(12), // RDLENGTH: two entries
    be16(0xe000), [10, 1, 2, 3], // NB_FLAGS: G, ONT 11 (H); NB_ADDRESS 10.1.2.3
    be16(0x2000), [10, 1, 2, 4], // NB_FLAGS: unique, ONT 01 (P); NB_ADDRESS 10.1.2.4
  ));
  assert.equal(m.response, true);
  assert.equal(m.authoritative, true);
  assert.equal(m.rcode_name, 'no_error');
  assert.equal(m.answers.length, 1);
  const rr = m.answers[0]!;
  assert.deepEqual(rr.name, { name: 'WARD3', suffix: 0x1c, scope: null });
  assert.equal(rr.type_name, 'NB');
  assert.equal(rr.ttl, 300000);
  assert.equal(rr.rdlength, 12);
  assert.deepEqual(rr.addresses, [
    { flags: 0xe000, group: true, node_type: 'H', address: '10.1.2.3' },
    { flags: 0x2000, group: false, node_type: 'P', address: '10.1.2.4' },
  ]);
  assert.equal(rr.node_names, null);
  assert.deepEqual(m.anomalies, []);
});

test('NBNS name registration request: additional record named by a label string pointer to the question', () => {
  const m = okNbns(bytes(
    be16(0x0047), // NAME_TRN_ID
    be16(0x2910), // flags: OPCODE 5 registration, RD, B
    be16(1), be16(0), be16(0), be16(1), // QD 1, AN 0, NS 0, AR 1
    nbName('INFUSION-12', 0x00), // QUESTION_NAME at offset 12: "INFUSION-12" <00> (workstation)
    be16(0x0020), be16(0x0001), // NB, IN
    [0xc0, 0x0c], // RR_NAME: pointer to offset 12
    be16(0x0020), be16(0x0001), // NB, IN
    be32(300000), // TTL
    be16(6), // RDLENGTH
    be16(0x6000), [10, 20, 30, 40], // NB_FLAGS: unique, ONT 11 (H); NB_ADDRESS
  ));
  assert.equal(m.opcode_name, 'registration');
  assert.equal(m.additional.length, 1);
  assert.deepEqual(m.additional[0]!.name, m.questions[0]!.name);
  assert.deepEqual(m.additional[0]!.name, { name: 'INFUSION-12', suffix: 0, scope: null });
  assert.deepEqual(m.additional[0]!.addresses, [{ flags: 0x6000, group: false, node_type: 'H', address: '10.20.30.40' }]);
  assert.deepEqual(m.anomalies, []);
});

test('NBNS WACK: RDATA is the flags word of the request; release and refresh opcodes are named', () => {
  const m = okNbns(bytes(
    be16(0x0047), // NAME_TRN_ID
    be16(0xbc00), // flags: R, OPCODE 7 WACK, AA
    be16(0), be16(1), be16(0), be16(0), // AN 1
    nbName('INFUSION-12', 0x00), // RR_NAME
    be16(0x0020), be16(0x0001), // NB, IN
    be32(2), // TTL: wait 2 s
    be16(2), // RDLENGTH
    be16(0x2910), // RDATA: the registration request's flags
  ));
  assert.equal(m.opcode_name, 'wack');
  assert.equal(m.answers[0]!.wack_flags, 0x2910);
  assert.equal(m.answers[0]!.addresses, null);
  assert.deepEqual(m.anomalies, []);
  const head = (flags: number): NbnsMessage => okNbns(bytes(be16(1), be16(flags), zeros(8)));
  assert.equal(head(0x3000).opcode_name, 'release'); // OPCODE 6
  assert.equal(head(0x4000).opcode_name, 'refresh'); // OPCODE 8
  assert.equal(head(0x4800).opcode_name, 'refresh_alt'); // OPCODE 9 ([MS-NBTE])
  assert.equal(head(0x7800).opcode_name, 'multihomed_registration'); // OPCODE 15 ([MS-NBTE])
  assert.equal(head(0x1000).opcode_name, null); // OPCODE 2: undefined
  assert.equal(head(0x8207).rcode_name, 'conflict_error'); // R, TC, RCODE 7
  assert.equal(head(0x8207).truncated, true);
});

test('NBNS node status: wildcard request and response with node names and unit id', () => {
  const wildcard = [0x2a, ...zeros(14)]; // "*" then NULs: the wildcard name (RFC 1002 §4.2.17)
  const req = okNbns(bytes(
    be16(0x20a8), be16(0x0000), // NAME_TRN_ID, flags: query, unicast
    be16(1), be16(0), be16(0), be16(0), // QD 1
    nbName(wildcard, 0x00), // QUESTION_NAME: "*" <00>
    be16(0x0021), be16(0x0001), // NBSTAT, IN
  ));
  assert.deepEqual(req.questions[0]!.name, { name: `*${'\\x00'.repeat(14)}`, suffix: 0, scope: null });
  assert.equal(req.questions[0]!.type_name, 'NBSTAT');

  const m = okNbns(bytes(
    be16(0x20a8), be16(0x8400), // NAME_TRN_ID, flags: R, AA
    be16(0), be16(1), be16(0), be16(0), // AN 1
    nbName(wildcard, 0x00), // RR_NAME
    be16(0x0021), be16(0x0001), // NBSTAT, IN
    be32(0), // TTL
    be16(1 + 3 * 18 + 46), // RDLENGTH: NUM_NAMES, 3 NODE_NAMEs, STATISTICS
    [3], // NUM_NAMES
    rawName('MONITOR-ICU3', 0x00), be16(0x0400), // "MONITOR-ICU3" <00>, NAME_FLAGS: ACT
    rawName('WARD3', 0x00), be16(0x8400), // "WARD3" <00>, NAME_FLAGS: G, ACT
    rawName('MONITOR-ICU3', 0x20), be16(0x0600), // "MONITOR-ICU3" <20>, NAME_FLAGS: ACT, PRM
    [0x00, 0x1c, 0xc4, 0x10, 0x79, 0x0f], // STATISTICS: UNIT_ID
    zeros(40), // STATISTICS: jumpers … session data packet size
  ));
  const rr = m.answers[0]!;
  assert.equal(rr.type_name, 'NBSTAT');
  assert.deepEqual(rr.node_names, [
    { name: 'MONITOR-ICU3', suffix: 0x00, group: false, flags: 0x0400 },
    { name: 'WARD3', suffix: 0x00, group: true, flags: 0x8400 },
    { name: 'MONITOR-ICU3', suffix: 0x20, group: false, flags: 0x0600 },
  ]);
  assert.equal(rr.unit_id, '00:1c:c4:10:79:0f');
  assert.deepEqual(m.anomalies, []);

  const noStats = okNbns(bytes(
    be16(1), be16(0x8400), be16(0), be16(1), be16(0), be16(0), // header, AN 1
    nbName(wildcard, 0), be16(0x0021), be16(1), be32(0), // RR_NAME, NBSTAT, IN, TTL
    be16(1 + 18 + 4), [1], rawName('A', 0), be16(0x0400), zeros(4), // RDLENGTH; 1 name; only 4 statistics bytes
  ));
  assert.equal(noStats.answers[0]!.unit_id, null, 'fewer than 6 statistics bytes: no unit id');
  assert.deepEqual(noStats.anomalies, []);
});

test('NBNS negative response (NULL) and redirect response (NS + A records)', () => {
  const neg = okNbns(bytes(
    be16(7), be16(0x8583), // NAME_TRN_ID, flags: R, AA, RD, RA, RCODE 3 name error
    be16(0), be16(1), be16(0), be16(0), // AN 1
    nbName('GHOST', 0x00), // RR_NAME
    be16(0x000a), be16(0x0001), be32(0), be16(0), // NULL, IN, TTL 0, RDLENGTH 0
  ));
  assert.equal(neg.rcode_name, 'name_error');
  assert.equal(neg.recursion_available, true);
  assert.equal(neg.answers[0]!.type_name, 'NULL');
  assert.deepEqual(neg.anomalies, []);

  const nsName = [4, ...ascii('wins'), 4, ...ascii('hosp'), 3, ...ascii('lan'), 0]; // "wins.hosp.lan"
  const redirect = okNbns(bytes(
    be16(8), be16(0x8180), // NAME_TRN_ID, flags: R, RD, RA
    be16(0), be16(0), be16(1), be16(1), // NS 1, AR 1
    nbName('PUMP-07', 0x20), // RR_NAME (offset 12)
    be16(0x0002), be16(0x0001), be32(3600), be16(nsName.length), // NS, IN, TTL, RDLENGTH
    nsName, // NSD_NAME at offset 12 + 34 + 10 = 56
    [0xc0, 56], // RR_NAME: pointer to NSD_NAME
    be16(0x0001), be16(0x0001), be32(3600), be16(4), // A, IN, TTL, RDLENGTH
    [10, 0, 0, 53], // NSD_IP_ADDR
  ));
  assert.equal(redirect.authority[0]!.ns_name, 'wins.hosp.lan');
  assert.deepEqual(redirect.additional[0]!.name, { name: 'wins', suffix: null, scope: 'hosp.lan' });
  assert.equal(redirect.additional[0]!.ns_address, '10.0.0.53');
  // The A record's name is a DNS name, not a first-level encoded one: reported as such.
  assert.deepEqual(redirect.anomalies, ['bad_name_encoding:additional']);
});

test('NBNS scope id and escaped names', () => {
  const m = okNbns(bytes(
    be16(9), be16(0x0100), be16(1), be16(0), be16(0), be16(0), // header, QD 1
    label('PUMP', 0x20), // "PUMP" <20>
    [3, ...ascii('icu'), 4, ...ascii('hosp'), 3, ...ascii('a.b'), 0], // scope labels "icu", "hosp", "a.b"
    be16(0x0020), be16(0x0001), // NB, IN
  ));
  assert.deepEqual(m.questions[0]!.name, { name: 'PUMP', suffix: 0x20, scope: 'icu.hosp.a\\.b' });
  assert.equal(formatNetbiosName(m.questions[0]!.name), 'PUMP<20>.icu.hosp.a\\.b');

  const browse = okNbns(bytes(
    be16(9), be16(0x0110), be16(1), be16(0), be16(0), be16(0), // header, QD 1
    nbName([0x01, 0x02, ...ascii('__MSBROWSE__'), 0x02], 0x01), // "\x01\x02__MSBROWSE__\x02" <01>
    be16(0x0020), be16(0x0001), // NB, IN
  ));
  assert.deepEqual(browse.questions[0]!.name, { name: '\\x01\\x02__MSBROWSE__\\x02', suffix: 1, scope: null });
  assert.equal(formatNetbiosName(browse.questions[0]!.name), '\\x01\\x02__MSBROWSE__\\x02<01>');

  const odd = okNbns(bytes(
    be16(9), be16(0x0110), be16(1), be16(0), be16(0), be16(0), // header, QD 1
    nbName([0x41, 0x5c, 0x0a, 0xe9, 0x20, 0x42], 0x00), // "A\\\nè B": backslash, LF, Latin-1 é, inner space kept
    be16(0x0020), be16(0x0001), // NB, IN
  ));
  assert.equal(odd.questions[0]!.name.name, 'A\\\\\\x0aé B');

  const text = (...b: number[]): string => decodeNetbiosText(Uint8Array.from(b), 0, b.length);
  assert.equal(text(0x63, 0x61, 0x66, 0xc3, 0xa9), 'café'); // valid UTF-8
  assert.equal(text(0x61, 0xe2, 0x80, 0xae, 0x62), 'a\\u202eb'); // RIGHT-TO-LEFT OVERRIDE
  assert.equal(text(0x7f, 0x85), '\\x7f\\x85'); // DEL, Latin-1 C1 control
  assert.equal(decodeNetbiosText(Uint8Array.from(ascii('\\A\\B')), 0, 4, true), '\\A\\B'); // mailslot form
});

test('NBNS malformed names: wrong label length, letters outside A-P, pointers, reserved label types, overlong', () => {
  const header = bytes(be16(1), be16(0x0110), be16(1), be16(0), be16(0), be16(0)); // QD 1
  const tail = bytes(be16(0x0020), be16(0x0001)); // NB, IN

  const short = okNbns(bytes(header, [31, ...ascii('A'.repeat(31)), 0], tail)); // 31-byte label
  assert.deepEqual(short.questions[0]!.name, { name: 'A'.repeat(31), suffix: null, scope: null });
  assert.deepEqual(short.anomalies, ['bad_name_encoding:question']);

  const badLetter = label('X', 0);
  badLetter[1] = 0x5a; // 'Z' is not in 'A'–'P'
  const z = okNbns(bytes(header, badLetter, [0], tail));
  assert.equal(z.questions[0]!.name.suffix, null);
  assert.deepEqual(z.anomalies, ['bad_name_encoding:question']);

  const forward = okNbns(bytes(header, [0xc0, 0x20], tail)); // pointer forwards (to offset 32)
  assert.deepEqual(forward.questions, []);
  assert.deepEqual(forward.anomalies, ['bad_name_pointer:question']);

  const self = okNbns(bytes(header, [0xc0, 0x0c], tail)); // pointer to itself
  assert.deepEqual(self.anomalies, ['bad_name_pointer:question']);

  const reserved = okNbns(bytes(header, [0x40, 0x00], tail)); // label type 01 (reserved)
  assert.deepEqual(reserved.anomalies, ['bad_label_type:question']);

  const cut = okNbns(bytes(header, label('CUT', 0).slice(0, 20))); // name runs past the end
  assert.deepEqual(cut.anomalies, ['name_truncated:question']);

  const scope: number[] = [];
  for (let i = 0; i < 4; i++) scope.push(63, ...new Array<number>(63).fill(0x61)); // 4 × 64 bytes of scope
  const long = okNbns(bytes(header, label('LONG', 0), scope, [0], tail));
  assert.deepEqual(long.anomalies, ['name_too_long:question']);

  const empty = okNbns(bytes(header, [0], tail)); // the root label alone
  assert.deepEqual(empty.questions[0]!.name, { name: '', suffix: null, scope: null });
  assert.deepEqual(empty.anomalies, ['bad_name_encoding:question']);
});

test('NBNS truncated questions and records, bad RDATA lengths, trailing bytes', () => {
  const rrHead = (type: number, rdlength: number): Uint8Array =>
    bytes(nbName('X', 0), be16(type), be16(1), be32(60), be16(rdlength)); // RR_NAME, type, IN, TTL, RDLENGTH

  const q = okNbns(bytes(be16(1), be16(0), be16(1), be16(0), be16(0), be16(0), nbName('X', 0), [0x00])); // type cut
  assert.deepEqual(q.anomalies, ['question_truncated']);

  const r = okNbns(bytes(be16(1), be16(0x8000), be16(0), be16(1), be16(0), be16(0), nbName('X', 0), be16(0x20))); // no class …
  assert.deepEqual(r.anomalies, ['record_truncated']);

  const over = okNbns(bytes(be16(1), be16(0x8000), be16(0), be16(2), be16(0), be16(0), rrHead(0x20, 12), [0, 0, 1, 2, 3, 4]));
  assert.deepEqual(over.answers, []);
  assert.deepEqual(over.anomalies, ['rdata_overrun:nb']);

  const nb8 = okNbns(bytes(be16(1), be16(0x8000), be16(0), be16(1), be16(0), be16(0), rrHead(0x20, 8), be16(0), [1, 2, 3, 4], [9, 9]));
  assert.equal(nb8.answers[0]!.addresses!.length, 1);
  assert.deepEqual(nb8.anomalies, ['bad_rdata_length:nb']);

  const a3 = okNbns(bytes(be16(1), be16(0x8000), be16(0), be16(1), be16(0), be16(0), rrHead(0x01, 3), [1, 2, 3]));
  assert.equal(a3.answers[0]!.ns_address, null);
  assert.deepEqual(a3.anomalies, ['bad_rdata_length:a']);

  const stat = okNbns(bytes(be16(1), be16(0x8400), be16(0), be16(1), be16(0), be16(0), rrHead(0x21, 1 + 18), [2], rawName('ONE', 0), be16(0)));
  assert.equal(stat.answers[0]!.node_names!.length, 1);
  assert.deepEqual(stat.anomalies, ['nbstat_names_overrun']);

  const statEmpty = okNbns(bytes(be16(1), be16(0x8400), be16(0), be16(1), be16(0), be16(0), rrHead(0x21, 0)));
  assert.deepEqual(statEmpty.anomalies, ['bad_rdata_length:nbstat']);

  const wack = okNbns(bytes(be16(1), be16(0xb800), be16(0), be16(1), be16(0), be16(0), rrHead(0x20, 6), zeros(6)));
  assert.deepEqual(wack.anomalies, ['bad_rdata_length:wack']);

  const query = bytes(be16(1), be16(0x0110), be16(1), be16(0), be16(0), be16(0), nbName('X', 0), be16(0x20), be16(1));
  assert.deepEqual(okNbns(bytes(query, zeros(18))).anomalies, [], 'zero padding (Windows XP) is not flagged');
  assert.deepEqual(okNbns(bytes(query, [0, 7])).anomalies, ['trailing_data']);
});

test('NBNS limits: questions, records, NB entries, node status names', () => {
  const q = bytes(nbName('Q', 0), be16(0x20), be16(1)); // one question
  const manyQ: Uint8Array[] = [];
  for (let i = 0; i < MAX_NBNS_QUESTIONS + 1; i++) manyQ.push(q);
  const mq = okNbns(bytes(be16(1), be16(0), be16(0xffff), be16(0), be16(0), be16(0), ...manyQ)); // QDCOUNT 65535
  assert.equal(mq.questions.length, MAX_NBNS_QUESTIONS);
  assert.deepEqual(mq.anomalies, ['too_many_questions']);

  const rr = bytes([0xc0, 0x0c], be16(0x20), be16(1), be32(0), be16(6), be16(0), [1, 1, 1, 1]); // pointer-named NB record
  const manyR: Uint8Array[] = [];
  for (let i = 0; i < MAX_NBNS_RECORDS + 6; i++) manyR.push(rr);
  const mr = okNbns(bytes(be16(1), be16(0x8000), be16(1), be16(MAX_NBNS_RECORDS + 6), be16(0), be16(0), q, ...manyR));
  assert.equal(mr.answers.length, MAX_NBNS_RECORDS);
  assert.deepEqual(mr.anomalies, ['too_many_records']);

  const entries: number[] = [];
  for (let i = 0; i < MAX_NB_ADDRESS_ENTRIES + 1; i++) entries.push(0, 0, 10, 0, 0, i);
  const me = okNbns(bytes(be16(1), be16(0x8000), be16(0), be16(1), be16(0), be16(0), nbName('G', 0x1c), be16(0x20), be16(1), be32(0), be16(entries.length), entries));
  assert.equal(me.answers[0]!.addresses!.length, MAX_NB_ADDRESS_ENTRIES);
  assert.deepEqual(me.anomalies, ['too_many_addresses']);

  const names: number[] = [];
  const count = MAX_NBSTAT_NAMES + 6;
  for (let i = 0; i < count; i++) names.push(...rawName(`N${i}`, 0), 0x04, 0x00);
  const rd = [count, ...names, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01]; // NUM_NAMES, names, UNIT_ID
  const ms = okNbns(bytes(be16(1), be16(0x8400), be16(0), be16(1), be16(0), be16(0), nbName('*', 0), be16(0x21), be16(1), be32(0), be16(rd.length), rd));
  assert.equal(ms.answers[0]!.node_names!.length, MAX_NBSTAT_NAMES);
  assert.equal(ms.answers[0]!.unit_id, '02:00:00:00:00:01', 'the unit id follows all NUM_NAMES entries');
  assert.deepEqual(ms.anomalies, ['too_many_nbstat_names']);
});

test('NBNS bounds: short header and bad bounds fail; an offset into a larger buffer is honoured', () => {
  const msg = bytes(be16(5), be16(0x0110), be16(1), be16(0), be16(0), be16(0), nbName('PUMP', 0x20), be16(0x20), be16(1));
  assert.equal(parseNbns(msg, 0, 11).ok, false);
  assert.equal(parseNbns(msg, 1, msg.length).ok, false);
  assert.equal(parseNbns(msg, -1, 4).ok, false);
  assert.equal(parseNbns(msg, 0, 1.5).ok, false);
  const framed = bytes([0xaa, 0xbb, 0xcc], msg, [0xff, 0xff]);
  assert.deepEqual(okNbns(framed, 3, msg.length), okNbns(msg), 'pointers and limits are message-relative');
  const cut = okNbns(framed, 3, msg.length - 2); // class cut off: must not read the bytes after len
  assert.deepEqual(cut.anomalies, ['question_truncated']);
});

// ---------------------------------------------------------------------------------------------------------------
// Datagram service (UDP 138), SMB mailslot, browser

/**
 * An SMB_COM_TRANSACTION request writing `data` to mailslot `name` ([MS-CIFS] §2.2.4.33.1, [MS-MAIL] §2.2).
 * DataOffset is from the start of the SMB header: 32 (header) + 1 (WordCount) + 34 (17 words) + 2 (ByteCount) +
 * the name.
 */
function smbMailslot(data: number[], opts: { name?: number[]; flags2?: number; wordCount?: number; dataOffset?: number } = {}): number[] {
  const name = opts.name ?? [...ascii('\\MAILSLOT\\BROWSE'), 0];
  const dataOffset = opts.dataOffset ?? 32 + 1 + 34 + 2 + name.length;
  return [
    0xff, ...ascii('SMB'), // Protocol
    0x25, // Command: SMB_COM_TRANSACTION
    ...zeros(4), // Status
    0x00, // Flags
    ...le16(opts.flags2 ?? 0), // Flags2
    ...zeros(12), // PIDHigh, SecurityFeatures, Reserved
    ...zeros(8), // TID, PIDLow, UID, MID
    opts.wordCount ?? 17, // WordCount: 14 + SetupCount
    ...le16(0), // TotalParameterCount
    ...le16(data.length), // TotalDataCount
    ...le16(0), // MaxParameterCount
    ...le16(0), // MaxDataCount
    0, 0, // MaxSetupCount, Reserved1
    ...le16(0), // Flags
    ...le32(0), // Timeout
    ...le16(0), // Reserved2
    ...le16(0), // ParameterCount
    ...le16(dataOffset), // ParameterOffset
    ...le16(data.length), // DataCount
    ...le16(dataOffset), // DataOffset
    3, 0, // SetupCount, Reserved3
    ...le16(1), // Setup[0]: mailslot opcode 1 (write)
    ...le16(1), // Setup[1]: priority
    ...le16(2), // Setup[2]: class 2 (unreliable, broadcast)
    ...le16(name.length + data.length), // ByteCount
    ...name, // Name
    ...data, // Data: the browser frame
  ];
}

/** A browser announcement ([MS-BRWS] §2.2.2 / §2.2.7 / §2.2.10). */
function announcement(a: { opcode: number; serverName: number[]; os: [number, number]; serverType: number; version?: [number, number]; signature?: number; comment: number[]; updateCount?: number; periodicity?: number }): number[] {
  return [
    a.opcode, // Opcode
    a.updateCount ?? 0, // UpdateCount
    ...le32(a.periodicity ?? 720000), // Periodicity (ms)
    ...a.serverName, ...zeros(16 - a.serverName.length), // ServerName[16]
    a.os[0], a.os[1], // OSVersionMajor, OSVersionMinor
    ...le32(a.serverType), // ServerType
    ...(a.version ?? [15, 1]), // BrowserConfigVersionMajor, Minor
    ...le16(a.signature ?? 0xaa55), // Signature
    ...a.comment, // Comment
  ];
}

/** A DIRECT_GROUP datagram (RFC 1002 §4.4.2) from 10.20.1.18:138 carrying `userData`. */
function directGroup(source: number[], destination: number[], userData: number[], opts: { length?: number; offset?: number; flags?: number } = {}): Uint8Array {
  return bytes(
    [0x11], // MSG_TYPE: DIRECT_GROUP
    [opts.flags ?? 0x02], // FLAGS: F (first), SNT 00 (B node)
    be16(0x8c8f), // DGM_ID
    [10, 20, 1, 18], // SOURCE_IP
    be16(138), // SOURCE_PORT
    be16(opts.length ?? source.length + destination.length + userData.length), // DGM_LENGTH
    be16(opts.offset ?? 0), // PACKET_OFFSET
    source, // SOURCE_NAME
    destination, // DESTINATION_NAME
    userData, // USER_DATA
  );
}

const HOST_ANNOUNCEMENT = announcement({
  opcode: 0x01, // HostAnnouncement
  updateCount: 2,
  periodicity: 720000, // 12 minutes
  serverName: ascii('XRAY-WS-04'),
  os: [6, 1], // Windows 7 / Server 2008 R2
  serverType: 0x00011003, // workstation, server, nt_workstation, potential_browser
  comment: [...ascii('Radiology workstation'), 0],
});

test('datagram: host announcement in a mailslot transaction to WORKGROUP<1d>', () => {
  const d = okDgm(directGroup(nbName('XRAY-WS-04', 0x20), nbName('WORKGROUP', 0x1d), smbMailslot(HOST_ANNOUNCEMENT)));
  assert.equal(d.msg_type, 0x11);
  assert.equal(d.msg_type_name, 'direct_group');
  assert.equal(d.flags, 0x02);
  assert.equal(d.first, true);
  assert.equal(d.more, false);
  assert.equal(d.node_type, 'B');
  assert.equal(d.datagram_id, 0x8c8f);
  assert.equal(d.source_ip, '10.20.1.18');
  assert.equal(d.source_port, 138);
  assert.equal(d.datagram_length, 34 + 34 + 86 + HOST_ANNOUNCEMENT.length);
  assert.equal(d.packet_offset, 0);
  assert.deepEqual(d.source_name, { name: 'XRAY-WS-04', suffix: 0x20, scope: null });
  assert.deepEqual(d.destination_name, { name: 'WORKGROUP', suffix: 0x1d, scope: null });
  assert.equal(d.user_data_length, 86 + HOST_ANNOUNCEMENT.length);
  assert.equal(d.smb_command, 0x25);
  assert.equal(d.mailslot, '\\MAILSLOT\\BROWSE');
  assert.deepEqual(d.browser, {
    opcode: 0x01,
    opcode_name: 'host_announcement',
    update_count: 2,
    periodicity_ms: 720000,
    server_name: 'XRAY-WS-04',
    os_major: 6,
    os_minor: 1,
    server_type: 0x00011003,
    server_type_flags: ['workstation', 'server', 'nt_workstation', 'potential_browser'],
    browser_version: '15.1',
    signature: 0xaa55,
    comment: 'Radiology workstation',
  });
  assert.equal(d.error_code, null);
  assert.deepEqual(d.anomalies, []);
  assert.doesNotThrow(() => JSON.stringify(d));
});

test('datagram: local master and domain announcements, every server type bit named', () => {
  const lma = okDgm(directGroup(nbName('SAMBA-NAS', 0x00), nbName('WORKGROUP', 0x1e), smbMailslot(announcement({
    opcode: 0x0f, // LocalMasterAnnouncement
    serverName: ascii('SANJI-LIFEBOOK-L'), // 16 bytes, no NUL (Samba)
    os: [4, 9],
    serverType: 0x00849a03, // as sent by Samba 4.x
    comment: [...ascii('sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)'), 0], // 44 bytes with the NUL
  })), { flags: 0x0a })); // FLAGS: F, SNT 10 (M node)
  assert.equal(lma.node_type, 'M');
  assert.equal(lma.browser!.opcode_name, 'local_master_announcement');
  assert.equal(lma.browser!.server_name, 'SANJI-LIFEBOOK-L');
  assert.deepEqual(lma.browser!.server_type_flags, ['workstation', 'server', 'print_queue', 'xenix', 'nt_workstation', 'nt_server', 'master_browser', 'dfs']);
  assert.equal(lma.browser!.comment, 'sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)');
  assert.deepEqual(lma.anomalies, ['server_name_unterminated']);

  const dom = okDgm(directGroup(nbName('USER-PC', 0x00), nbName([0x01, 0x02, ...ascii('__MSBROWSE__'), 0x02], 0x01), smbMailslot(announcement({
    opcode: 0x0c, // DomainAnnouncement
    periodicity: 60000,
    serverName: ascii('WORKGROUP'), // MachineGroup
    os: [3, 10], // BrowserConfigVersion
    serverType: 0x80001000, // nt_workstation, domain_enum
    version: [0x91, 0xbd], // Windows puts other values here …
    signature: 0x0008, // … and here ([MS-BRWS] §2.2.7: informational)
    comment: [...ascii('USER-PC'), 0], // LocalMasterBrowserName
  }))));
  assert.equal(dom.browser!.opcode_name, 'domain_announcement');
  assert.equal(dom.browser!.server_name, 'WORKGROUP');
  assert.deepEqual(dom.browser!.server_type_flags, ['nt_workstation', 'domain_enum']);
  assert.equal(dom.browser!.browser_version, '145.189');
  assert.equal(dom.browser!.signature, 8);
  assert.equal(dom.browser!.comment, 'USER-PC');
  assert.deepEqual(dom.anomalies, [], 'no signature check on domain announcements');

  const all = okDgm(directGroup(nbName('A', 0), nbName('B', 0), smbMailslot(announcement({
    opcode: 0x01, serverName: ascii('ALL'), os: [0, 0], serverType: 0xffffffff, comment: [0],
  }))));
  assert.deepEqual(all.browser!.server_type_flags, BROWSER_SERVER_TYPE_BITS.map(([, n]) => n));
  assert.equal(all.browser!.server_type, 0xffffffff);
});

test('datagram: other browser opcodes are named only', () => {
  const op = (data: number[]): NetbiosDatagram => okDgm(directGroup(nbName('A', 0x20), nbName('WORKGROUP', 0x1e), smbMailslot(data)));
  const election = op([0x08, 0x01, ...le32(0x20011f0f), ...le32(1000), 0, 0, 0, 0, ...ascii('A'), 0]); // RequestElection
  assert.equal(election.browser!.opcode_name, 'request_election');
  assert.equal(election.browser!.server_name, null);
  assert.equal(election.browser!.server_type_flags, null);
  assert.equal(op([0x02, 0x00, ...ascii('A'), 0]).browser!.opcode_name, 'announcement_request');
  assert.equal(op([0x09, 0x01, ...le32(7)]).browser!.opcode_name, 'get_backup_list_request');
  assert.equal(op([0x0b, ...ascii('A'), 0]).browser!.opcode_name, 'become_backup');
  assert.equal(op([0x42]).browser!.opcode_name, null);
  assert.deepEqual(op([0x42]).anomalies, []);
});

test('datagram: error and query datagrams, unknown type, non-browser user data', () => {
  const err = okDgm(bytes([0x13], [0x02], be16(5), [10, 0, 0, 9], be16(138), [0x82])); // ERROR, code 0x82
  assert.equal(err.msg_type_name, 'error');
  assert.equal(err.error_code, 0x82);
  assert.equal(err.source_name, null);
  assert.deepEqual(err.anomalies, []);

  const query = okDgm(bytes([0x14], [0x02], be16(6), [10, 0, 0, 9], be16(138), nbName('PUMP-07', 0x00))); // QUERY REQUEST
  assert.equal(query.msg_type_name, 'query_request');
  assert.deepEqual(query.destination_name, { name: 'PUMP-07', suffix: 0, scope: null });

  const unknown = okDgm(bytes([0x20], [0x02], be16(6), [10, 0, 0, 9], be16(138)));
  assert.deepEqual(unknown.anomalies, ['unknown_msg_type']);

  const notSmb = okDgm(directGroup(nbName('A', 0), nbName('B', 0), [1, 2, 3, 4, 5]));
  assert.equal(notSmb.smb_command, null);
  assert.equal(notSmb.user_data_length, 5);
  assert.deepEqual(notSmb.anomalies, []);

  const negotiate = smbMailslot(HOST_ANNOUNCEMENT);
  negotiate[4] = 0x72; // Command: SMB_COM_NEGOTIATE
  const neg = okDgm(directGroup(nbName('A', 0), nbName('B', 0), negotiate));
  assert.equal(neg.smb_command, 0x72);
  assert.equal(neg.mailslot, null);
  assert.equal(neg.browser, null);

  const lanman = okDgm(directGroup(nbName('A', 0), nbName('B', 0), smbMailslot(HOST_ANNOUNCEMENT, { name: [...ascii('\\MAILSLOT\\LANMAN'), 0] })));
  assert.equal(lanman.mailslot, '\\MAILSLOT\\LANMAN');
  assert.equal(lanman.browser, null, 'LAN Manager announcements are not decoded');

  // FLAGS2 Unicode: the name is UTF-16LE, aligned to 2 bytes from the SMB header (ByteCount ends at odd offset 69).
  const uname = [0, ...[...'\\mailslot\\browse'].flatMap((c) => le16(c.charCodeAt(0))), 0, 0]; // pad, name, NUL
  const uni = okDgm(directGroup(nbName('A', 0), nbName('B', 0), smbMailslot(HOST_ANNOUNCEMENT, { name: uname, flags2: 0x8000 })));
  assert.equal(uni.mailslot, '\\mailslot\\browse');
  assert.equal(uni.browser!.server_name, 'XRAY-WS-04', 'mailslot names compare case-insensitively');
  assert.deepEqual(uni.anomalies, []);
});

test('datagram: malformed announcements, SMB and lengths', () => {
  const dg = (userData: number[], opts?: { length?: number; offset?: number }): NetbiosDatagram =>
    okDgm(directGroup(nbName('A', 0x20), nbName('WORKGROUP', 0x1d), userData, opts));

  const short = dg(smbMailslot(HOST_ANNOUNCEMENT.slice(0, 20)));
  assert.equal(short.browser!.opcode, 1);
  assert.equal(short.browser!.server_name, null);
  assert.deepEqual(short.anomalies, ['browser_truncated']);

  const badSig = dg(smbMailslot(announcement({ opcode: 0x01, serverName: ascii('S'), os: [5, 1], serverType: 1, signature: 0x1234, comment: [0] })));
  assert.deepEqual(badSig.anomalies, ['bad_browser_signature']);

  const noNul = dg(smbMailslot(announcement({ opcode: 0x0f, serverName: ascii('S'), os: [5, 1], serverType: 1, comment: ascii('open') })));
  assert.equal(noNul.browser!.comment, 'open');
  assert.deepEqual(noNul.anomalies, ['comment_unterminated']);

  const ctl = dg(smbMailslot(announcement({ opcode: 0x01, serverName: [0x41, 0x1b, 0x42], os: [5, 1], serverType: 1, comment: [0x61, 0x0a, 0x5c, 0] })));
  assert.equal(ctl.browser!.server_name, 'A\\x1bB');
  assert.equal(ctl.browser!.comment, 'a\\x0a\\\\');

  const full = smbMailslot(HOST_ANNOUNCEMENT);
  const longer = dg(full, { length: 34 + 34 + full.length + 10 }); // DGM_LENGTH 10 too large
  assert.deepEqual(longer.anomalies, ['datagram_length_overrun']);
  assert.equal(longer.browser!.comment, 'Radiology workstation');
  const shorter = dg([...full, 0xee, 0xee], { length: 34 + 34 + full.length }); // 2 bytes after DGM_LENGTH
  assert.deepEqual(shorter.anomalies, ['datagram_length_short']);
  assert.equal(shorter.user_data_length, full.length);

  const later = dg(full, { offset: 512 }); // a later fragment: its data does not start with the SMB header
  assert.equal(later.smb_command, null);
  assert.equal(later.browser, null);
  assert.deepEqual(later.anomalies, []);

  assert.deepEqual(dg(full.slice(0, 20)).anomalies, ['smb_truncated']);
  assert.deepEqual(dg(full.slice(0, 50)).anomalies, ['smb_truncated']); // words cut
  assert.deepEqual(dg(smbMailslot(HOST_ANNOUNCEMENT, { wordCount: 10 })).anomalies, ['smb_bad_word_count']);
  const overrun = dg(smbMailslot(HOST_ANNOUNCEMENT, { dataOffset: 600 }));
  assert.equal(overrun.browser, null);
  assert.deepEqual(overrun.anomalies, ['smb_data_overrun']);
  const cutData = dg(full.slice(0, full.length - 5)); // DataCount runs past the end
  assert.deepEqual(cutData.anomalies, ['smb_byte_count_overrun', 'smb_data_overrun', 'comment_unterminated']);
  assert.equal(cutData.browser!.comment, 'Radiology worksta'); // "tion" and the NUL cut off
  const noData = dg(smbMailslot([]));
  assert.deepEqual(noData.anomalies, ['browser_empty']);
  const noName = dg(smbMailslot([], { name: ascii('\\MAILSLOT\\BROWSE') })); // name without NUL, nothing after
  assert.deepEqual(noName.anomalies, ['smb_unterminated_name', 'browser_empty']);

  const ptr = okDgm(directGroup([0xc0, 0x0e], nbName('B', 0), [])); // a label pointer: never valid in a datagram
  assert.equal(ptr.source_name, null);
  assert.deepEqual(ptr.anomalies, ['bad_name_pointer:source']);

  const noDest = okDgm(directGroup(nbName('A', 0), [], []));
  assert.deepEqual(noDest.anomalies, ['name_truncated:destination']);

  const head12 = okDgm(bytes([0x11], [0x02], be16(1), [10, 0, 0, 1], be16(138), [0, 0])); // DGM_LENGTH cut
  assert.deepEqual(head12.anomalies, ['datagram_truncated']);
  const err10 = okDgm(bytes([0x13], [0x02], be16(1), [10, 0, 0, 1], be16(138))); // ERROR without its code
  assert.deepEqual(err10.anomalies, ['datagram_truncated']);
  for (const d of [short, badSig, noNul, longer, shorter, overrun, cutData, noData, noName, ptr, noDest, head12, err10]) {
    for (const a of d.anomalies) assert.ok(a.split(':')[0]! in NETBIOS_ANOMALIES, a);
  }
});

test('datagram bounds: short header and bad bounds fail; nothing past off+len is read', () => {
  const msg = directGroup(nbName('A', 0x20), nbName('WORKGROUP', 0x1d), smbMailslot(HOST_ANNOUNCEMENT));
  assert.equal(parseNetbiosDatagram(msg, 0, 9).ok, false);
  assert.equal(parseNetbiosDatagram(msg, 2, msg.length).ok, false);
  assert.equal(parseNetbiosDatagram(msg, 0, Number.NaN).ok, false);
  const framed = bytes([0x11, 0x22], msg, [0x41, 0x42, 0]);
  assert.deepEqual(okDgm(framed, 2, msg.length), okDgm(msg));
  const cut = okDgm(framed, 2, msg.length - 1); // the comment's NUL cut off: must not be found after len
  assert.deepEqual(cut.anomalies, ['datagram_length_overrun', 'smb_byte_count_overrun', 'smb_data_overrun', 'comment_unterminated']);
});

// ---------------------------------------------------------------------------------------------------------------
// Robustness

test('robustness: 20 000 random mutations of name service packets never throw or read past off+len', () => {
  const bases = [
    bytes(be16(1), be16(0x2910), be16(1), be16(0), be16(0), be16(1), nbName('INFUSION-12', 0), be16(0x20), be16(1),
      [0xc0, 0x0c], be16(0x20), be16(1), be32(300000), be16(6), be16(0x6000), [10, 20, 30, 40]),
    bytes(be16(2), be16(0x8400), be16(0), be16(1), be16(0), be16(0), label('*', 0), [3, ...ascii('icu'), 0], be16(0x21), be16(1), be32(0),
      be16(1 + 2 * 18 + 46), [2], rawName('MONITOR', 0), be16(0x0400), rawName('WARD', 0), be16(0x8400), [0, 0x1c, 0xc4, 0x10, 0x79, 0x0f], zeros(40)),
    bytes(be16(3), be16(0x8180), be16(0), be16(0), be16(1), be16(1), nbName('P', 0x20), be16(2), be16(1), be32(1), be16(6),
      [4, ...ascii('wins'), 0], [0xc0, 56], be16(1), be16(1), be32(1), be16(4), [10, 0, 0, 53]),
  ];
  const okCount = runMutations({
    seed: 0x0137,
    bases,
    count: 20_000,
    special: [0, 0x20, 0x21, 0x41, 0x50, 0xc0, 0x0c, 63, 64, 0xff],
    parse: parseNbns,
    anomalyNames: NETBIOS_ANOMALIES,
  });
  assert.ok(okCount > 15_000, `most mutations keep a full header (${okCount})`);
});

test('robustness: 20 000 random mutations of datagrams never throw or read past off+len', () => {
  const bases = [
    directGroup(nbName('XRAY-WS-04', 0x20), nbName('WORKGROUP', 0x1d), smbMailslot(HOST_ANNOUNCEMENT)),
    directGroup(nbName('A', 0), nbName('B', 1), smbMailslot(HOST_ANNOUNCEMENT, { name: [0, ...[...'\\MAILSLOT\\BROWSE'].flatMap((c) => le16(c.charCodeAt(0))), 0, 0], flags2: 0x8000 })),
    bytes([0x14], [0x02], be16(6), [10, 0, 0, 9], be16(138), nbName('PUMP-07', 0x00)),
  ];
  let browsers = 0;
  const okCount = runMutations({
    seed: 0x0138,
    bases,
    count: 20_000,
    special: [0, 0x01, 0x0c, 0x0f, 0x11, 0x13, 0x20, 0x25, 0xc0, 0xff],
    parse: parseNetbiosDatagram,
    anomalyNames: NETBIOS_ANOMALIES,
    onParsed: (d) => {
      if (d.browser !== null) browsers++;
    },
  });
  assert.ok(okCount > 15_000, `most mutations keep a full header (${okCount})`);
  assert.ok(browsers > 2_000, `many mutations still reach the browser decoder (${browsers})`);
});
