/**
 * Unit tests of the RDP X.224 Connection Request / Confirm parser (RFC 1006 TPKT, X.224 CR/CC, MS-RDPBCGR
 * §2.2.1.1–2.2.1.2 negotiation structures) and of the connection analyzer, from annotated bytes, plus
 * random-mutation robustness. Corpus-wide agreement with tshark and Zeek is in test/conformance/rdp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { onlyMessage, runScriptInPieces } from '../stream-test-harness.js';
import { ascii, bytes } from '../test-bytes.js';
import { openRdpStream, type RdpSession, sniffRdp } from './analyzer.js';
import { parseRdpX224, RDP_ANOMALIES, rdpProtocolName, rdpProtocolNames, type RdpX224 } from './parser.js';

/** A TPKT (RFC 1006 §6) around an X.224 TPDU whose length indicator covers `variable`. */
function tpkt(code: number, variable: number[]): Uint8Array {
  const x224 = [6 + variable.length, code, 0x00, 0x00, 0x12, 0x34, 0x00, ...variable]; // LI, code, DST-REF, SRC-REF, class 0
  return bytes([3, 0], [(x224.length + 4) >> 8, (x224.length + 4) & 0xff], x224);
}

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

/** Client X.224 Connection Request: cookie, RDP_NEG_REQ (SSL | HYBRID | HYBRID_EX), correlation info. */
const REQUEST = tpkt(0xe0, [
  ...ascii('Cookie: mstshash=JOHN-PC  \r\n'), // cookie (MS-RDPBCGR §2.2.1.1), padded as mstsc sends it
  0x01, 0x08, ...le16(8), ...le32(0x0b), // RDP_NEG_REQ: type 1, flags CORRELATION_INFO_PRESENT, length 8, protocols 0x0b
  0x06, 0x00, ...le16(36), ...Array.from({ length: 16 }, (_, i) => i + 1), ...new Array<number>(16).fill(0), // correlation info
]);
/** Server X.224 Connection Confirm with RDP_NEG_RSP selecting HYBRID. */
const CONFIRM = tpkt(0xd0, [0x02, 0x1f, ...le16(8), ...le32(2)]);

function parse(b: Uint8Array): RdpX224 {
  const r = parseRdpX224(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('Connection Request: cookie, requested protocols, flags, correlation id', () => {
  const r = parse(REQUEST);
  assert.equal(r.kind, 'request');
  assert.equal(r.tpkt_length, REQUEST.length);
  assert.equal(r.length_indicator, REQUEST.length - 5);
  assert.equal(r.src_ref, 0x1234);
  assert.equal(r.token, 'Cookie: mstshash=JOHN-PC  ');
  assert.equal(r.cookie, 'JOHN-PC  ');
  assert.equal(r.routing_token, false);
  assert.equal(r.neg_type, 1);
  assert.equal(r.neg_flags, 0x08);
  assert.equal(r.requested_protocols, 0x0b);
  assert.equal(r.correlation_id, '0102030405060708090a0b0c0d0e0f10');
  assert.deepEqual(r.anomalies, []);
  assert.deepEqual(rdpProtocolNames(0x0b), ['SSL', 'HYBRID', 'HYBRID_EX']);
  assert.deepEqual(rdpProtocolNames(0), ['RDP']);
  assert.deepEqual(rdpProtocolNames(0x41), ['SSL', '0x40']);
});

test('Connection Request: routing token, no negotiation, odd structures', () => {
  const routed = parse(tpkt(0xe0, [...ascii('Cookie: msts=3640205228.15629.0000\r\n'), 0x01, 0x00, ...le16(8), ...le32(0)]));
  assert.equal(routed.routing_token, true);
  assert.equal(routed.cookie, null);
  assert.equal(routed.token, 'Cookie: msts=3640205228.15629.0000');
  assert.equal(routed.requested_protocols, 0);
  const bare = parse(tpkt(0xe0, [...ascii('Cookie: mstshash=A70067\r\n')])); // old clients: no RDP_NEG_REQ
  assert.equal(bare.neg_type, null);
  assert.equal(bare.requested_protocols, null);
  assert.deepEqual(parse(tpkt(0xe0, [...ascii('Cookie: mstshash=x')])).anomalies, ['unterminated_token']);
  assert.deepEqual(parse(tpkt(0xe0, [0x01, 0x08, ...le16(8), ...le32(1)])).anomalies, ['missing_correlation_info']);
  assert.deepEqual(parse(tpkt(0xe0, [0x01, 0x00, ...le16(9), ...le32(1)])).anomalies, ['bad_negotiation_length']);
  assert.deepEqual(parse(tpkt(0xe0, [0x01, 0x00, ...le16(8)])).anomalies, ['truncated_negotiation']);
  assert.deepEqual(parse(tpkt(0xe0, [0x07, 1, 2])).anomalies, ['unknown_negotiation_type:07']);
  assert.deepEqual(parse(tpkt(0xe0, [0x02, 0, ...le16(8), ...le32(1)])).anomalies, ['misplaced_negotiation']);
  const long = parse(tpkt(0xe0, [...ascii(`Cookie: mstshash=${'u'.repeat(600)}\r\n`)]));
  assert.deepEqual(long.anomalies, ['long_token']);
  assert.equal(long.token!.length, 512);
});

test('Connection Confirm: RDP_NEG_RSP, RDP_NEG_FAILURE, none', () => {
  const c = parse(CONFIRM);
  assert.equal(c.kind, 'confirm');
  assert.equal(c.selected_protocol, 2);
  assert.equal(c.neg_flags, 0x1f);
  assert.equal(rdpProtocolName(2), 'HYBRID');
  assert.equal(rdpProtocolName(0), 'RDP');
  assert.equal(parse(tpkt(0xd0, [0x03, 0x00, ...le16(8), ...le32(5)])).failure_code, 5);
  assert.equal(parse(tpkt(0xd0, [])).neg_type, null);
});

test('not TPKT / not CR or CC; lengths that disagree', () => {
  for (const [b, error] of [
    [Uint8Array.from([0x16, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0]), 'not_tpkt'],
    [Uint8Array.from([3, 0, 0, 11, 6, 0xf0, 0, 0, 0, 0, 0]), 'not_connection_request_or_confirm'],
    [Uint8Array.from([3, 0, 0, 11, 2, 0xe0, 0, 0, 0, 0, 0]), 'bad_length_indicator'],
    [Uint8Array.from([3, 0, 0, 5]), 'not_tpkt'],
  ] as const) assert.deepEqual(parseRdpX224(b, 0, b.length), { ok: false, error });
  const short = bytes(REQUEST, [0, 0]); // two bytes more than the TPKT says: ignored
  assert.deepEqual(parse(short).anomalies, ['tpkt_length_mismatch']);
  assert.equal(parse(short).requested_protocols, 0x0b);
});

test('analyzer: request then confirm in any segmentation; failure; not RDP', () => {
  const run = runScriptInPieces(openRdpStream, [
    { client: true, bytes: REQUEST },
    { client: false, bytes: CONFIRM },
    { client: true, bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x10]) }, // TLS: not read
  ], 3389);
  assert.equal(run.stepsFed, 2);
  const s = onlyMessage<RdpSession>(run);
  assert.equal(s.cookie, 'JOHN-PC  ');
  assert.deepEqual(s.requested_protocol_names, ['SSL', 'HYBRID', 'HYBRID_EX']);
  assert.equal(s.request_flags, 8);
  assert.equal(s.confirmed, true);
  assert.equal(s.selected_protocol_name, 'HYBRID');
  assert.equal(s.response_flags, 0x1f);
  assert.deepEqual(s.anomalies, []);

  const failed = onlyMessage<RdpSession>(runScriptInPieces(openRdpStream, [
    { client: true, bytes: REQUEST }, { client: false, bytes: tpkt(0xd0, [0x03, 0x00, ...le16(8), ...le32(2)]) },
  ], 3389));
  assert.equal(failed.failure_name, 'SSL_NOT_ALLOWED_BY_SERVER');
  assert.equal(failed.selected_protocol, null);

  const noConfirm = onlyMessage<RdpSession>(runScriptInPieces(openRdpStream, [
    { client: true, bytes: REQUEST }, { client: false, bytes: Uint8Array.from([0x15, 0x03, 0x01, 0x00, 0x02, 2, 40]) },
  ], 3389));
  assert.equal(noConfirm.confirmed, false);
  assert.deepEqual(noConfirm.anomalies, ['not_x224:server']);

  const notRdp = runScriptInPieces(openRdpStream, [{ client: true, bytes: Uint8Array.from(ascii('GET / HTTP/1.1\r\n\r\n')) }], 3389);
  assert.equal(notRdp.observations.length, 0);
  assert.equal(notRdp.error, 'not_x224_connection_request');
});

test('sniff: an X.224 CR from the client with a cookie or RDP_NEG_REQ', () => {
  assert.equal(sniffRdp(true, REQUEST, 0, REQUEST.length), true);
  const negOnly = tpkt(0xe0, [0x01, 0x00, ...le16(8), ...le32(3)]);
  assert.equal(sniffRdp(true, negOnly, 0, negOnly.length), true);
  const s7 = tpkt(0xe0, [0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x02, 0xc0, 0x01, 0x0a]); // ISO-TSAP parameters (S7comm)
  assert.equal(sniffRdp(true, s7, 0, s7.length), false);
  assert.equal(sniffRdp(false, REQUEST, 0, REQUEST.length), false);
});

test('20 000 random mutations of requests and confirms: no throw, no read outside the bounds', () => {
  const ok = runMutations({
    seed: 0x3389, bases: [REQUEST, CONFIRM, tpkt(0xe0, [...ascii('Cookie: msts=1.2.3\r\n')])], count: 20_000,
    special: [0x03, 0x00, 0xe0, 0xd0, 0x01, 0x02, 0x06, 0x08, 0x0d, 0x0a, 0xff], parse: parseRdpX224, anomalyNames: RDP_ANOMALIES,
  });
  assert.ok(ok > 4000);
});
