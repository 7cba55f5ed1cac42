/**
 * Unit tests of the DHCPv6 parser from annotated byte arrays (RFC 8415 §8–§9 messages and relays, §11 DUIDs, §21
 * options; RFC 3646, 4704, 6355, 6939, 8520), plus random-mutation robustness. Corpus-wide agreement with tshark is
 * in test/conformance/dhcpv6/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes, zeros } from '../test-bytes.js';
import {
  DHCPV6_ANOMALIES,
  type Dhcpv6Message,
  MAX_DHCPV6_OPTIONS,
  MAX_DHCPV6_ORO_CODES,
  MAX_DHCPV6_RELAY_DEPTH,
  parseDhcpv6,
} from './parser.js';

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): Dhcpv6Message {
  const r = parseDhcpv6(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** One option: code, length, value. */
const opt = (code: number, ...value: (number[] | Uint8Array)[]): number[] => {
  const v = [...bytes(...value)];
  return [...be16(code), ...be16(v.length), ...v];
};

/** 2001:db8::<last> as 16 bytes. */
const v6 = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...zeros(10), ...be16(last)];
/** fe80::1 as 16 bytes. */
const LINK_LOCAL = [0xfe, 0x80, ...zeros(13), 1];
/** DUID-LLT: type 1, Ethernet, time, MAC 00:0c:29:5e:77:44. */
const DUID_LLT = [...be16(1), ...be16(1), ...be32(0x1def69bd), 0x00, 0x0c, 0x29, 0x5e, 0x77, 0x44];

const SOLICIT = bytes(
  [1], // msg-type 1 (solicit)
  [0x9d, 0xe0, 0x3f], // transaction id
  opt(1, DUID_LLT), // client identifier
  opt(8, be16(96)), // elapsed time: 0.96 s
  opt(3, be32(0x295e7744), be32(0), be32(0)), // IA_NA: IAID, T1 0, T2 0, no addresses
  opt(39, [0x01], [4], ascii('pump'), [0]), // client FQDN: S flag, complete name "pump" (root label)
  opt(16, be32(311), be16(8), ascii('MSFT 5.0')), // vendor class: enterprise 311, one item
  opt(15, be16(4), ascii('ward'), be16(2), ascii('3a')), // user class: two items
  opt(6, be16(24), be16(23), be16(17), be16(39)), // option request, in this order
  opt(14), // rapid commit
  opt(112, ascii('https://mud.example.com/pump')), // MUD URL
);

test('solicit: header, client DUID-LLT, IA_NA, ORO order, FQDN, vendor and user class, MUD URL', () => {
  const m = ok(SOLICIT);
  assert.equal(m.msg_type, 1);
  assert.equal(m.msg_type_name, 'solicit');
  assert.equal(m.transaction_id, 0x9de03f);
  assert.deepEqual(m.relays, []);
  assert.deepEqual(m.options, [1, 8, 3, 39, 16, 15, 6, 14, 112]);
  assert.deepEqual(m.client_id, {
    duid: '000100011def69bd000c295e7744', type: 1, hw_type: 1, time: 0x1def69bd, link_layer_address: '00:0c:29:5e:77:44', enterprise: null, identifier: null,
  });
  assert.equal(m.server_id, null);
  assert.equal(m.elapsed_time, 96);
  assert.deepEqual(m.ia_na, [{ iaid: 0x295e7744, t1: 0, t2: 0, entries: [], status_code: null, status_message: null, options: [] }]);
  assert.deepEqual(m.client_fqdn, { flags: 1, name: 'pump', complete: true });
  assert.deepEqual(m.vendor_class, [{ enterprise: 311, data: ['MSFT 5.0'] }]);
  assert.deepEqual(m.user_class, ['ward', '3a']);
  assert.deepEqual(m.oro, [24, 23, 17, 39]);
  assert.equal(m.rapid_commit, true);
  assert.equal(m.mud_url, 'https://mud.example.com/pump');
  assert.deepEqual(m.anomalies, []);
});

test('reply: server DUID-LL, IA_NA address with lifetimes and status, IA_PD prefix, DNS servers, domain list', () => {
  const m = ok(bytes(
    [7], [0x2d, 0x16, 0x03], // reply, transaction id
    opt(2, be16(3), be16(1), [0x00, 0x0c, 0x29, 0x1f, 0xa7, 0x55]), // server id: DUID-LL, Ethernet
    opt(3, be32(7), be32(1800), be32(2880), // IA_NA: IAID 7, T1, T2
      opt(5, v6(0x1002), be32(3600), be32(7500), opt(13, be16(0), ascii('ok'))), // IA Address with a status
      opt(13, be16(0), ascii('Assigned'))), // IA status
    opt(25, be32(9), be32(0), be32(0), // IA_PD
      opt(26, be32(1000), be32(2000), [56], v6(0))), // IA Prefix 2001:db8::/56
    opt(23, v6(0x35), LINK_LOCAL), // DNS servers
    opt(24, [7], ascii('example'), [3], ascii('com'), [0], [3], ascii('lab'), [0]), // domain list
    opt(7, [255]), // preference
  ));
  assert.equal(m.msg_type_name, 'reply');
  assert.deepEqual(m.server_id, { duid: '00030001000c291fa755', type: 3, hw_type: 1, time: null, link_layer_address: '00:0c:29:1f:a7:55', enterprise: null, identifier: null });
  assert.deepEqual(m.ia_na, [{
    iaid: 7, t1: 1800, t2: 2880, status_code: 0, status_message: 'Assigned', options: [5, 13],
    entries: [{ address: '2001:db8::1002', preferred_lifetime: 3600, valid_lifetime: 7500, status_code: 0, status_message: 'ok', options: [13] }],
  }]);
  assert.deepEqual(m.ia_pd[0]!.entries, [{ address: '2001:db8::/56', preferred_lifetime: 1000, valid_lifetime: 2000, status_code: null, status_message: null, options: [] }]);
  assert.deepEqual(m.dns_servers, ['2001:db8::35', 'fe80::1']);
  assert.deepEqual(m.domain_list, ['example.com', 'lab']);
  assert.equal(m.preference, 255);
  assert.deepEqual(m.anomalies, []);
});

test('DUID-EN and DUID-UUID; IA_TA has no T1/T2; status code at message level; vendor options', () => {
  const m = ok(bytes(
    [11], [0, 0, 1], // information-request
    opt(1, be16(2), be32(9), [0xaa, 0xbb]), // DUID-EN: enterprise 9, identifier aabb
    opt(2, be16(4), zeros(15), [1]), // DUID-UUID
    opt(4, be32(5), opt(5, v6(1), be32(1), be32(2))), // IA_TA with one address
    opt(13, be16(2), ascii('NoAddrsAvail')), // status
    opt(17, be32(4491), opt(1, [1, 2]), opt(2)), // vendor options: enterprise 4491, sub-options 1 and 2
  ));
  assert.equal(m.client_id!.enterprise, 9);
  assert.equal(m.client_id!.identifier, 'aabb');
  assert.equal(m.server_id!.type, 4);
  assert.equal(m.server_id!.identifier, `${'00'.repeat(15)}01`);
  assert.equal(m.ia_ta[0]!.t1, null);
  assert.equal(m.ia_ta[0]!.entries[0]!.address, '2001:db8::1');
  assert.equal(m.status_code, 2);
  assert.equal(m.status_message, 'NoAddrsAvail');
  assert.deepEqual(m.vendor_opts, [{ enterprise: 4491, suboptions: [1, 2] }]);
});

test('relay-forward: nested relays unwrapped, interface id and client link-layer address kept', () => {
  const inner = bytes([1], [0, 0, 9], opt(1, DUID_LLT));
  const firstHop = bytes([12], [0], v6(1), LINK_LOCAL, opt(79, be16(1), [2, 0, 0, 0, 0, 1]), opt(9, inner), opt(18, be32(8)));
  const m = ok(bytes([12], [1], v6(2), v6(3), opt(9, firstHop)));
  assert.equal(m.msg_type_name, 'solicit');
  assert.equal(m.transaction_id, 9);
  assert.equal(m.relays.length, 2);
  assert.deepEqual(m.relays[0], { msg_type: 12, hop_count: 1, link_address: '2001:db8::2', peer_address: '2001:db8::3', options: [9], interface_id: null, client_link_layer_address: null });
  assert.deepEqual(m.relays[1], { msg_type: 12, hop_count: 0, link_address: '2001:db8::1', peer_address: 'fe80::1', options: [79, 9, 18], interface_id: '00000008', client_link_layer_address: '02:00:00:00:00:01' });
  assert.equal(m.client_id!.link_layer_address, '00:0c:29:5e:77:44');
});

test('relays: a missing or truncated relayed message, and more than MAX_DHCPV6_RELAY_DEPTH levels', () => {
  const noMsg = ok(bytes([13], [0], v6(1), v6(2), opt(18, [1])));
  assert.equal(noMsg.msg_type_name, 'relay-repl');
  assert.equal(noMsg.transaction_id, null);
  assert.deepEqual(noMsg.anomalies, ['relay_message_missing']);
  const short = ok(bytes([12], [0], v6(1), v6(2), opt(9, [1, 0])));
  assert.deepEqual(short.anomalies, ['relay_message_truncated']);
  assert.equal(short.msg_type, 12);
  let msg = bytes([1], [0, 0, 1]);
  for (let i = 0; i <= MAX_DHCPV6_RELAY_DEPTH; i++) msg = bytes([12], [i], v6(1), v6(2), opt(9, msg));
  const deep = ok(msg);
  assert.equal(deep.relays.length, MAX_DHCPV6_RELAY_DEPTH);
  assert.deepEqual(deep.anomalies, ['relay_too_deep']);
});

test('partial FQDN (no root label) and wire-format escaping of a dot inside a label', () => {
  const m = ok(bytes([1], [0, 0, 1], opt(39, [0], [6], ascii('ward.3'), [2], ascii('ab'))));
  assert.deepEqual(m.client_fqdn, { flags: 0, name: 'ward\\.3.ab', complete: false });
});

test('bad lengths are anomalies and leave the field null', () => {
  const m = ok(bytes(
    [1], [0, 0, 1],
    opt(8, [1]), // elapsed time of 1 byte
    opt(6, [0, 23, 0]), // odd ORO
    opt(1, be16(1), be16(1)), // DUID-LLT too short
    opt(3, be32(1)), // IA_NA too short
    opt(23, zeros(15)), // DNS servers not a multiple of 16
    opt(24, [3], ascii('abc')), // domain name without its root label
    opt(39, [0], [9], ascii('ab')), // FQDN label running past the option
    opt(15, be16(9), ascii('x')), // user class item past the option
    opt(16, [0, 0]), // vendor class shorter than its enterprise number
  ));
  assert.equal(m.elapsed_time, null);
  assert.equal(m.oro, null);
  assert.equal(m.client_id, null);
  assert.deepEqual(m.ia_na, []);
  assert.equal(m.dns_servers, null);
  assert.deepEqual(m.domain_list, []);
  assert.equal(m.client_fqdn, null);
  assert.equal(m.user_class, null);
  assert.deepEqual(m.vendor_class, []);
  assert.deepEqual(m.anomalies, [
    'bad_option_length:8', 'bad_option_length:6', 'bad_duid:1', 'bad_option_length:3', 'bad_option_length:23',
    'bad_domain_name:24', 'bad_domain_name:39', 'bad_option_length:15', 'bad_option_length:16',
  ]);
});

test('option walking: an overrun, a partial option header, a repeated single option, too many options', () => {
  const over = ok(bytes([1], [0, 0, 1], opt(8, be16(1)), be16(6), be16(40), [1, 2]));
  assert.deepEqual(over.options, [8]);
  assert.deepEqual(over.anomalies, ['option_length_overrun:6']);
  assert.deepEqual(ok(bytes([1], [0, 0, 1], [0, 8])).anomalies, ['option_truncated']);
  const dup = ok(bytes([1], [0, 0, 1], opt(8, be16(1)), opt(8, be16(2))));
  assert.equal(dup.elapsed_time, 1);
  assert.deepEqual(dup.anomalies, ['duplicate_option:8']);
  const many: number[] = [];
  for (let i = 0; i < MAX_DHCPV6_OPTIONS + 4; i++) many.push(...opt(20));
  const m = ok(bytes([1], [0, 0, 1], many));
  assert.equal(m.options.length, MAX_DHCPV6_OPTIONS);
  assert.deepEqual(m.anomalies, ['too_many_options']);
});

test('ORO longer than MAX_DHCPV6_ORO_CODES is cut', () => {
  const codes: number[] = [];
  for (let i = 0; i < MAX_DHCPV6_ORO_CODES + 10; i++) codes.push(...be16(i));
  const m = ok(bytes([1], [0, 0, 1], opt(6, codes)));
  assert.equal(m.oro!.length, MAX_DHCPV6_ORO_CODES);
  assert.deepEqual(m.anomalies, ['too_many_items:6']);
});

test('text is escaped: control characters in a status message and vendor class data', () => {
  const m = ok(bytes([7], [0, 0, 1], opt(13, be16(1), ascii('bad'), [0x0a], ascii('x')), opt(16, be32(1), be16(3), [0x41, 0x00, 0xff])));
  assert.equal(m.status_message, 'bad\\x0ax');
  assert.deepEqual(m.vendor_class[0]!.data, ['A\\x00ÿ']);
});

test('failures: bad bounds, empty, shorter than the header; unknown types are named null', () => {
  assert.deepEqual(parseDhcpv6(SOLICIT, 0, SOLICIT.length + 1), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseDhcpv6(SOLICIT, 0, 0), { ok: false, error: 'empty' });
  assert.deepEqual(parseDhcpv6(bytes([1, 0, 0]), 0, 3), { ok: false, error: 'truncated_header: 3 of 4 bytes' });
  assert.deepEqual(parseDhcpv6(bytes([12], zeros(32)), 0, 33), { ok: false, error: 'truncated_header: 33 of 34 bytes' });
  const u = ok(bytes([200, 0, 0, 0]));
  assert.equal(u.msg_type, 200);
  assert.equal(u.msg_type_name, null);
  const framed = bytes([0xff], SOLICIT, [0xff, 0xff]);
  assert.deepEqual(ok(framed, 1, SOLICIT.length), ok(SOLICIT));
});

test('20 000 random mutations: never throws, never reads outside the message, only documented anomalies', () => {
  const reply = bytes([7], [0, 0, 2], opt(3, be32(7), be32(1), be32(2), opt(5, v6(2), be32(3), be32(4), opt(13, be16(0)))), opt(24, [1], ascii('a'), [0]), opt(23, v6(5)));
  const relayed = bytes([12], [0], v6(1), LINK_LOCAL, opt(79, be16(1), zeros(6)), opt(9, SOLICIT), opt(18, [1]));
  const parsed = runMutations({
    seed: 0xd6, bases: [SOLICIT, reply, relayed], count: 20_000, special: [0, 1, 2, 3, 5, 9, 12, 13, 16, 25, 26, 39, 0xff],
    parse: parseDhcpv6, anomalyNames: DHCPV6_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.relays.length <= MAX_DHCPV6_RELAY_DEPTH);
      assert.equal(m.transaction_id === null, m.msg_type === 12 || m.msg_type === 13);
    },
  });
  assert.ok(parsed > 10_000, `only ${parsed} mutations parsed`);
});
