/**
 * Unit tests of the DHCPv4 parser from annotated byte arrays (RFC 2131 §2 header layout, RFC 2132 options), plus
 * random-mutation robustness. Corpus-wide agreement with tshark is in test/conformance/dhcp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  DHCP_ANOMALIES,
  DHCP_FIXED_HEADER_BYTES,
  DHCP_OPTIONS_OFFSET,
  type DhcpMessage,
  decodeDhcpText,
  MAX_DHCP_OPTIONS,
  parseDhcp,
} from './parser.js';
import { ascii, bytes, zeros } from '../test-bytes.js';

/** A NUL-padded fixed field (sname 64, file 128). */
const padded = (s: string, n: number): number[] => [...ascii(s), ...zeros(n - s.length)];

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): DhcpMessage {
  const r = parseDhcp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** A client's fixed header: BOOTREQUEST from 00:0c:29:1f:74:06, xid 0x06e32864, broadcast flag, 10 s elapsed. */
const CLIENT_HEADER = bytes(
  [0x01], // op: 1 BOOTREQUEST
  [0x01], // htype: 1 Ethernet
  [0x06], // hlen: 6
  [0x00], // hops: 0
  [0x06, 0xe3, 0x28, 0x64], // xid: 0x06e32864
  [0x00, 0x0a], // secs: 10
  [0x80, 0x00], // flags: broadcast bit
  [0, 0, 0, 0], // ciaddr: 0.0.0.0
  [0, 0, 0, 0], // yiaddr: 0.0.0.0
  [0, 0, 0, 0], // siaddr: 0.0.0.0
  [0, 0, 0, 0], // giaddr: 0.0.0.0
  [0x00, 0x0c, 0x29, 0x1f, 0x74, 0x06], // chaddr: 00:0c:29:1f:74:06 …
  zeros(10), // … padded to 16 bytes
  zeros(64), // sname: empty
  zeros(128), // file: empty
);
const MAGIC = [0x63, 0x82, 0x53, 0x63]; // magic cookie 99.130.83.99

/** A server's fixed header: BOOTREPLY via relay 10.0.0.1 giving 10.0.0.42, next server 10.0.0.5 with a boot file. */
const SERVER_HEADER = bytes(
  [0x02], // op: 2 BOOTREPLY
  [0x01], // htype: Ethernet
  [0x06], // hlen: 6
  [0x01], // hops: 1 (relayed)
  [0xde, 0xad, 0xbe, 0xef], // xid: 0xdeadbeef (above 2^31: must stay unsigned)
  [0x00, 0x00], // secs: 0
  [0x00, 0x00], // flags: unicast
  [0, 0, 0, 0], // ciaddr: 0.0.0.0
  [10, 0, 0, 42], // yiaddr: 10.0.0.42
  [10, 0, 0, 5], // siaddr: 10.0.0.5
  [10, 0, 0, 1], // giaddr: 10.0.0.1
  [0x00, 0x0c, 0x29, 0x1f, 0x74, 0x06], // chaddr: 00:0c:29:1f:74:06 …
  zeros(10), // … padded
  padded('boot.example', 64), // sname: "boot.example"
  padded('pxelinux.0', 128), // file: "pxelinux.0"
);

test('DHCPDISCOVER: fixed header and client options', () => {
  const m = ok(bytes(
    CLIENT_HEADER,
    MAGIC,
    [53, 1, 1], // 53 message type: 1 DISCOVER
    [61, 7, 0x01, 0x00, 0x0c, 0x29, 0x1f, 0x74, 0x06], // 61 client id: type 1 + MAC
    [50, 4, 192, 168, 1, 4], // 50 requested address: 192.168.1.4
    [12, 8, ...ascii('pump-01'), 0], // 12 host name "pump-01" + a trailing NUL (common, dropped)
    [60, 8, ...ascii('MSFT 5.0')], // 60 vendor class
    [55, 7, 1, 28, 2, 3, 15, 6, 12], // 55 parameter request list (wire order kept)
    [57, 2, 0x05, 0xdc], // 57 max message size: 1500
    [77, 14, 6, ...ascii('infusn'), 6, ...ascii('ward-3')], // 77 user class, RFC 3004: two instances
    [81, 13, 0x05, 0, 0, 4, ...ascii('pump'), 3, ...ascii('icu'), 0], // 81 FQDN: flags S|E, rcodes, "pump.icu" wire form
    [0, 0], // two pad options
    [255], // end
    zeros(4), // padding after end
  ));
  assert.equal(m.op, 1);
  assert.equal(m.htype, 1);
  assert.equal(m.hlen, 6);
  assert.equal(m.hops, 0);
  assert.equal(m.xid, 0x06e32864);
  assert.equal(m.secs, 10);
  assert.equal(m.flags_broadcast, true);
  assert.equal(m.ciaddr, '0.0.0.0');
  assert.equal(m.chaddr, '00:0c:29:1f:74:06');
  assert.equal(m.sname, null);
  assert.equal(m.file, null);
  assert.equal(m.magic_ok, true);
  assert.deepEqual(m.options, [53, 61, 50, 12, 60, 55, 57, 77, 81]);
  assert.equal(m.truncated_options, false);
  assert.equal(m.msg_type, 1);
  assert.equal(m.msg_type_name, 'discover');
  assert.deepEqual(m.client_id, { type: 1, value: '000c291f7406' });
  assert.equal(m.client_id_mac, '00:0c:29:1f:74:06');
  assert.equal(m.requested_addr, '192.168.1.4');
  assert.equal(m.hostname, 'pump-01');
  assert.equal(m.vendor_class, 'MSFT 5.0');
  assert.deepEqual(m.param_list, [1, 28, 2, 3, 15, 6, 12]);
  assert.equal(m.max_msg_size, 1500);
  assert.deepEqual(m.user_class, ['infusn', 'ward-3']);
  assert.deepEqual(m.client_fqdn, { flags: 5, name: 'pump.icu' });
  assert.deepEqual(m.anomalies, []);
  assert.doesNotThrow(() => JSON.stringify(m));
});

test('DHCPACK: server options, relay agent information, domain search with compression', () => {
  const m = ok(bytes(
    SERVER_HEADER,
    MAGIC,
    [53, 1, 5], // 53 message type: 5 ACK
    [54, 4, 10, 0, 0, 2], // 54 server identifier: 10.0.0.2
    [51, 4, 0x00, 0x01, 0x51, 0x80], // 51 lease time: 86400
    [58, 4, 0x00, 0x00, 0xa8, 0xc0], // 58 renewal (T1): 43200
    [59, 4, 0x00, 0x01, 0x27, 0x50], // 59 rebinding (T2): 75600
    [1, 4, 255, 255, 255, 0], // 1 subnet mask
    [3, 8, 10, 0, 0, 1, 10, 0, 0, 254], // 3 routers: two
    [6, 4, 10, 0, 0, 53], // 6 DNS servers: one
    [15, 8, ...ascii('hosp.lan')], // 15 domain name
    [42, 4, 10, 0, 0, 123], // 42 NTP servers
    [43, 3, 0x01, 0x01, 0xff], // 43 vendor specific: kept as hex
    // 119 domain search (RFC 3397): "icu.hosp.lan", then "lab" + pointer to offset 4 ("hosp.lan")
    [119, 20, 3, ...ascii('icu'), 4, ...ascii('hosp'), 3, ...ascii('lan'), 0, 3, ...ascii('lab'), 0xc0, 4],
    [82, 12, 1, 4, 0x00, 0x01, 0x00, 0x2a, 2, 2, 0xbe, 0xef, 9, 0], // 82 relay agent: circuit, remote, sub-option 9 empty
    [255], // end
  ));
  assert.equal(m.op, 2);
  assert.equal(m.hops, 1);
  assert.equal(m.xid, 0xdeadbeef);
  assert.equal(m.flags_broadcast, false);
  assert.equal(m.yiaddr, '10.0.0.42');
  assert.equal(m.siaddr, '10.0.0.5');
  assert.equal(m.giaddr, '10.0.0.1');
  assert.equal(m.sname, 'boot.example');
  assert.equal(m.file, 'pxelinux.0');
  assert.equal(m.msg_type_name, 'ack');
  assert.equal(m.server_id, '10.0.0.2');
  assert.equal(m.lease_time, 86400);
  assert.equal(m.renewal_time, 43200);
  assert.equal(m.rebinding_time, 75600);
  assert.equal(m.subnet_mask, '255.255.255.0');
  assert.deepEqual(m.routers, ['10.0.0.1', '10.0.0.254']);
  assert.deepEqual(m.dns_servers, ['10.0.0.53']);
  assert.equal(m.domain_name, 'hosp.lan');
  assert.deepEqual(m.ntp_servers, ['10.0.0.123']);
  assert.equal(m.vendor_specific, '0101ff');
  assert.deepEqual(m.domain_search, ['icu.hosp.lan', 'lab.hosp.lan']);
  assert.deepEqual(m.relay_agent, { circuit_id: '0001002a', remote_id: 'beef', suboptions: [1, 2, 9] });
  assert.equal(m.client_id, null);
  assert.deepEqual(m.anomalies, []);
});

test('option overload (RFC 2132 §9.3): file then sname hold options; RFC 3396 concatenation across areas', () => {
  const sname = bytes(
    [12, 4, ...ascii('name')], // 12 host name, second part (sname is read last)
    [255], // end
    zeros(64 - 7),
  );
  const file = bytes(
    [15, 3, ...ascii('lan')], // 15 domain name
    [12, 4, ...ascii('-01-')], // 12 host name, middle part
    [255], // end
    zeros(128 - 12),
  );
  const m = ok(bytes(
    CLIENT_HEADER.subarray(0, 44), // op … chaddr
    sname, // sname: options
    file, // file: options
    MAGIC,
    [53, 1, 3], // 53 message type: REQUEST
    [12, 4, ...ascii('host')], // 12 host name, first part
    [52, 1, 3], // 52 overload: 3 = file and sname
    [255], // end
  ));
  assert.equal(m.option_overload, 3);
  assert.deepEqual(m.options, [53, 12, 52, 15, 12, 12]); // options field, then file, then sname
  assert.equal(m.hostname, 'host-01-name');
  assert.equal(m.domain_name, 'lan');
  assert.equal(m.sname, null);
  assert.equal(m.file, null);
  assert.deepEqual(m.anomalies, []);
});

test('option overload of sname only; missing end inside it; bad overload value', () => {
  const m = ok(bytes(
    CLIENT_HEADER.subarray(0, 44), // op … chaddr
    [6, 4, 10, 0, 0, 53], zeros(58), // sname: option 6, no end option
    padded('boot.bin', 128), // file: a real file name
    MAGIC,
    [53, 1, 2], // 53: OFFER
    [52, 1, 2], // 52 overload: 2 = sname
    [255], // end
  ));
  assert.deepEqual(m.dns_servers, ['10.0.0.53']);
  assert.equal(m.sname, null);
  assert.equal(m.file, 'boot.bin');
  assert.deepEqual(m.anomalies, ['overload_end_missing:sname']);

  const bad = ok(bytes(CLIENT_HEADER, MAGIC, [52, 1, 7], [255])); // 52 overload: 7 is not defined
  assert.deepEqual(bad.anomalies, ['bad_overload']);
  assert.equal(bad.option_overload, 7);
});

test('truncated options area: no end, length overrun, code without length', () => {
  const noEnd = ok(bytes(CLIENT_HEADER, MAGIC, [53, 1, 1], [55, 2, 1, 3])); // 53 DISCOVER, 55 list; no end
  assert.equal(noEnd.truncated_options, true);
  assert.equal(noEnd.msg_type, 1);
  assert.deepEqual(noEnd.param_list, [1, 3]);
  assert.deepEqual(noEnd.anomalies, ['end_option_missing']);

  const overrun = ok(bytes(CLIENT_HEADER, MAGIC, [53, 1, 1], [12, 40, ...ascii('cut')])); // 12 claims 40 bytes, 3 left
  assert.equal(overrun.truncated_options, true);
  assert.deepEqual(overrun.options, [53]);
  assert.equal(overrun.hostname, null);
  assert.deepEqual(overrun.anomalies, ['option_length_overrun:12']);

  const noLength = ok(bytes(CLIENT_HEADER, MAGIC, [53, 1, 1], [12])); // 12 with its length byte cut off
  assert.equal(noLength.truncated_options, true);
  assert.deepEqual(noLength.anomalies, ['option_truncated:12']);

  const empty = ok(bytes(CLIENT_HEADER, MAGIC)); // magic, then nothing
  assert.equal(empty.truncated_options, true);
  assert.deepEqual(empty.options, []);
});

test('wrong or missing magic: header kept, options not decoded', () => {
  const m = ok(bytes(CLIENT_HEADER, [0x63, 0x82, 0x53, 0x64], [53, 1, 1], [255])); // magic off by one
  assert.equal(m.magic_ok, false);
  assert.equal(m.chaddr, '00:0c:29:1f:74:06');
  assert.deepEqual(m.options, []);
  assert.equal(m.msg_type, null);
  assert.deepEqual(m.anomalies, ['bad_magic']);

  const zeroVend = ok(bytes(SERVER_HEADER, zeros(64))); // RFC 951 BOOTP: 64-byte vend field, all zero
  assert.equal(zeroVend.magic_ok, false);
  assert.deepEqual(zeroVend.anomalies, [], 'an empty BOOTP vendor area is not a wrong cookie');

  const bootp = ok(bytes(SERVER_HEADER)); // a plain 236-byte BOOTP header
  assert.equal(bootp.magic_ok, false);
  assert.equal(bootp.file, 'pxelinux.0');
  assert.deepEqual(bootp.anomalies, ['truncated_magic']);
});

test('short header and bad bounds fail; an offset into a larger buffer is honoured; nothing past off+len is read', () => {
  assert.equal(parseDhcp(CLIENT_HEADER, 0, DHCP_FIXED_HEADER_BYTES - 1).ok, false);
  assert.equal(parseDhcp(CLIENT_HEADER, 1, DHCP_FIXED_HEADER_BYTES).ok, false); // runs past the buffer
  assert.equal(parseDhcp(CLIENT_HEADER, -1, 10).ok, false);
  assert.equal(parseDhcp(CLIENT_HEADER, 0.5, 10).ok, false);
  const msg = bytes(CLIENT_HEADER, MAGIC, [53, 1, 8]); // INFORM, no end option
  const framed = bytes([0xaa, 0xbb, 0xcc], msg, [255, 0, 0]); // an end option just past the message
  const inner = ok(framed, 3, msg.length);
  assert.equal(inner.msg_type_name, 'inform');
  assert.equal(inner.truncated_options, true, 'the end option after off+len must not be seen');
  assert.deepEqual(inner, ok(msg));
});

test('invalid option lengths leave the field null and name the option', () => {
  const m = ok(bytes(
    CLIENT_HEADER,
    MAGIC,
    [53, 2, 1, 1], // 53 with 2 bytes
    [51, 3, 0, 0, 1], // 51 with 3 bytes
    [3, 5, 10, 0, 0, 1, 9], // 3 routers, 5 bytes (not a multiple of 4)
    [57, 1, 5], // 57 with 1 byte
    [61, 1, 1], // 61 with only a type byte
    [81, 2, 0, 0], // 81 shorter than flags + rcodes
    [255], // end
  ));
  assert.equal(m.msg_type, null);
  assert.equal(m.lease_time, null);
  assert.equal(m.routers, null);
  assert.equal(m.max_msg_size, null);
  assert.equal(m.client_id, null);
  assert.equal(m.client_fqdn, null);
  assert.deepEqual(m.options, [53, 51, 3, 57, 61, 81]);
  assert.deepEqual(m.anomalies, [
    'bad_option_length:53', 'bad_option_length:3', 'bad_option_length:51', 'bad_option_length:57', 'bad_option_length:61', 'bad_option_length:81',
  ]);
  for (const a of m.anomalies) assert.ok(a.split(':')[0]! in DHCP_ANOMALIES, a);
});

test('strings: control characters, backslash, UTF-8, Latin-1 and bidi controls are escaped or decoded safely', () => {
  const text = (...b: number[]): string => decodeDhcpText(Uint8Array.from(b), 0, b.length);
  assert.equal(text(...ascii('plain-host')), 'plain-host');
  assert.equal(text(0x61, 0x0a, 0x62, 0x1b, 0x7f), 'a\\x0ab\\x1b\\x7f'); // newline, ESC, DEL
  assert.equal(text(0x61, 0x5c, 0x62), 'a\\\\b'); // backslash doubled: escapes stay unambiguous
  assert.equal(text(0x63, 0x61, 0x66, 0xc3, 0xa9), 'café'); // valid UTF-8
  assert.equal(text(0x63, 0x61, 0x66, 0xe9), 'café'); // not UTF-8: Latin-1
  assert.equal(text(0x61, 0x85, 0x62), 'a\\x85b'); // Latin-1 C1 control
  assert.equal(text(0xc2, 0x85), '\\x85'); // UTF-8 encoded C1 control
  assert.equal(text(0x61, 0xe2, 0x80, 0xae, 0x62), 'a\\u202eb'); // RIGHT-TO-LEFT OVERRIDE
  assert.equal(text(0xc0, 0xaf), 'À¯'); // overlong UTF-8 is not UTF-8: Latin-1
  assert.equal(text(0xed, 0xa0, 0x80), 'í\u00a0\\x80'); // encoded surrogate is not UTF-8: Latin-1 (0xa0 is NBSP)
  assert.equal(text(0xf0, 0x9f, 0x92, 0x89), '💉'); // 4-byte UTF-8

  const m = ok(bytes(
    CLIENT_HEADER,
    MAGIC,
    [12, 5, ...ascii('ab'), 0, ...ascii('cd')], // 12 host name with an embedded NUL
    [60, 5, ...ascii('v'), 0x0d, 0x0a, 0, 0], // 60 vendor class: CR LF, then two trailing NULs
    [255], // end
  ));
  assert.equal(m.hostname, 'ab\\x00cd');
  assert.equal(m.vendor_class, 'v\\x0d\\x0a');
});

test('client identifier, user class and FQDN variants', () => {
  const m = ok(bytes(
    CLIENT_HEADER,
    MAGIC,
    [61, 5, 0, ...ascii('dev1')], // 61 client id: type 0, a text identifier
    [77, 8, ...ascii('MSFT 5.0')], // 77 user class, Microsoft's non-RFC 3004 form
    [81, 9, 0x01, 0xff, 0xff, ...ascii('pump2'), 0], // 81 FQDN: E clear, ASCII name with trailing NUL
    [255], // end
  ));
  assert.deepEqual(m.client_id, { type: 0, value: '64657631' });
  assert.equal(m.client_id_mac, null);
  assert.deepEqual(m.user_class, ['MSFT 5.0']);
  assert.deepEqual(m.client_fqdn, { flags: 1, name: 'pump2' });

  const wireBad = ok(bytes(
    CLIENT_HEADER,
    MAGIC,
    [81, 8, 0x04, 0, 0, ...ascii('pump2')], // 81 FQDN: E set but the name is ASCII ('p' = 112 > 63: not a label)
    [61, 8, 1, 0, 1, 2, 3, 4, 5, 6], // 61 client id: type 1 but 7 bytes: no client_id_mac
    [77, 3, 2, ...ascii('ab')], // 77 user class: one RFC 3004 instance
    [255], // end
  ));
  assert.deepEqual(wireBad.client_fqdn, { flags: 4, name: 'pump2' });
  assert.equal(wireBad.client_id_mac, null);
  assert.deepEqual(wireBad.client_id, { type: 1, value: '00010203040506' });
  assert.deepEqual(wireBad.user_class, ['ab']);
  assert.deepEqual(wireBad.anomalies, ['bad_fqdn_name']);

  const partial = ok(bytes(CLIENT_HEADER, MAGIC, [81, 8, 0x04, 0, 0, 4, ...ascii('pump')], [255])); // partial name, no root
  assert.deepEqual(partial.client_fqdn, { flags: 4, name: 'pump' });
  assert.deepEqual(partial.anomalies, []);
});

test('chaddr of other hardware types, hlen beyond 16', () => {
  const ib = CLIENT_HEADER.slice();
  ib[1] = 32; // htype: 32 InfiniBand
  ib[2] = 0; // hlen: 0 (RFC 4390: chaddr unused)
  assert.equal(ok(bytes(ib, MAGIC, [255])).chaddr, '');
  const big = CLIENT_HEADER.slice();
  big[2] = 20; // hlen: 20 > 16
  const m = ok(bytes(big, MAGIC, [255]));
  assert.equal(m.chaddr, '000c291f740600000000000000000000');
  assert.deepEqual(m.anomalies, ['bad_hlen']);
  const tr = CLIENT_HEADER.slice();
  tr[1] = 6; // htype: 6 IEEE 802 with hlen 6 is not shown as a MAC (only htype 1 is)
  assert.equal(ok(bytes(tr, MAGIC, [255])).chaddr, '000c291f7406');
});

test('limits: MAX_DHCP_OPTIONS, malformed domain search, non-zero data after end', () => {
  const many: number[] = [];
  for (let i = 0; i < MAX_DHCP_OPTIONS + 45; i++) many.push(224, 0); // 300 empty site-specific options
  const m = ok(bytes(CLIENT_HEADER, MAGIC, many, [255]));
  assert.equal(m.options.length, MAX_DHCP_OPTIONS);
  assert.deepEqual(m.anomalies, ['too_many_options']);
  assert.equal(m.truncated_options, true);

  const loop = ok(bytes(CLIENT_HEADER, MAGIC, [119, 2, 0xc0, 0], [255])); // 119: pointer to itself
  assert.deepEqual(loop.domain_search, []);
  assert.deepEqual(loop.anomalies, ['bad_domain_search']);
  const fwd = ok(bytes(CLIENT_HEADER, MAGIC, [119, 7, 1, ...ascii('a'), 0, 0xc0, 5, 1, 0x62], [255])); // forward pointer
  assert.deepEqual(fwd.domain_search, ['a']);
  assert.deepEqual(fwd.anomalies, ['bad_domain_search']);

  const junk = ok(bytes(CLIENT_HEADER, MAGIC, [53, 1, 1], [255], [0, 0, 7])); // stray byte after end
  assert.deepEqual(junk.anomalies, ['data_after_end']);

  const relay = ok(bytes(CLIENT_HEADER, MAGIC, [82, 5, 1, 2, 0xaa, 0xbb, 2], [255])); // 82: sub-option 2 cut
  assert.deepEqual(relay.relay_agent, { circuit_id: 'aabb', remote_id: null, suboptions: [1] });
  assert.deepEqual(relay.anomalies, ['bad_relay_agent']);
  assert.equal(DHCP_OPTIONS_OFFSET, 240);
});

test('robustness: 20 000 random mutations of a valid message never throw or read past off+len', () => {
  const base = bytes(
    CLIENT_HEADER.subarray(0, 44),
    [12, 3, ...ascii('abc'), 255], zeros(58), // sname: overloaded options
    [15, 2, ...ascii('xy'), 255], zeros(123), // file: overloaded options
    MAGIC,
    [53, 1, 3], [52, 1, 3], [61, 7, 1, 1, 2, 3, 4, 5, 6], [55, 4, 1, 3, 6, 15], [77, 4, 3, ...ascii('abc')],
    [81, 8, 0x04, 0, 0, 3, ...ascii('abc'), 0], [82, 6, 1, 1, 9, 2, 1, 8], [119, 7, 1, ...ascii('a'), 0, 1, ...ascii('b'), 0xc0, 0],
    [43, 2, 1, 2], [3, 4, 1, 2, 3, 4], [255],
  );
  const okCount = runMutations({
    seed: 0x0d1c9,
    bases: [base],
    count: 20_000,
    special: [0, 1, 3, 52, 255, 0xc0, 63, 64],
    parse: parseDhcp,
    anomalyNames: DHCP_ANOMALIES,
    onParsed: (m) => assert.ok(m.options.length <= MAX_DHCP_OPTIONS),
  });
  assert.ok(okCount > 10_000, `most mutations keep a full header (${okCount})`);
});
