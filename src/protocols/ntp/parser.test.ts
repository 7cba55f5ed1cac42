/**
 * Unit tests of the NTP parser from annotated byte arrays (RFC 5905 §7.3 header, §7.5 extension fields and MAC,
 * RFC 7822 §3; NTPv1–v3 headers; RFC 9327 mode 6 control messages; ntpd mode 7), plus random-mutation robustness.
 * Corpus-wide agreement with tshark is in test/conformance/ntp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, be32, bytes, zeros } from '../test-bytes.js';
import { MAX_NTP_CONTROL_VARS, MAX_NTP_EXTENSIONS, NTP_ANOMALIES, type NtpMessage, ntpTimestampText, parseNtp, utcSecondText } from './parser.js';

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): NtpMessage {
  const r = parseNtp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** 2019-05-30T20:03:34Z as NTP seconds (era 0: Unix seconds + 2 208 988 800). */
const T0 = 1559246614 + 2208988800;

/** A 48-byte NTPv4 server response: stratum 2, poll 6, precision -24, reference ID 10.1.2.3. */
function serverHeader(first = 0x24): number[] {
  return [
    first, // LI 0, VN 4, mode 4 (server)
    2, // stratum 2 (secondary)
    6, // poll 2^6 = 64 s
    0xe8, // precision -24 (signed)
    ...be32(0x00010000), // root delay 1.0 s (16.16)
    ...be32(0x00008000), // root dispersion 0.5 s
    10, 1, 2, 3, // reference ID: upstream server 10.1.2.3
    ...be32(T0 - 60), ...be32(0), // reference timestamp, fraction 0
    ...be32(T0), ...be32(0x80000000), // origin timestamp, fraction 0.5 s
    ...be32(T0), ...be32(0x40000000), // receive timestamp, fraction 0.25 s
    ...be32(T0), ...be32(0x00000001), // transmit timestamp, fraction 2^-32 s (0.23 ns: 0 ns truncated)
  ];
}

test('NTPv4 server response: every header field', () => {
  const m = ok(bytes(serverHeader()));
  assert.equal(m.leap, 0);
  assert.equal(m.version, 4);
  assert.equal(m.mode, 4);
  assert.equal(m.mode_name, 'server');
  assert.equal(m.stratum, 2);
  assert.equal(m.poll, 6);
  assert.equal(m.precision, -24);
  assert.equal(m.root_delay, 1);
  assert.equal(m.root_dispersion, 0.5);
  assert.equal(m.ref_id, '10.1.2.3');
  assert.equal(m.ref_id_raw, '0a010203');
  assert.equal(m.reference_time, '2019-05-30T20:02:34.000000000Z');
  assert.equal(m.origin_time, '2019-05-30T20:03:34.500000000Z');
  assert.equal(m.receive_time, '2019-05-30T20:03:34.250000000Z');
  assert.equal(m.transmit_time, '2019-05-30T20:03:34.000000000Z');
  assert.deepEqual(m.extensions, []);
  assert.equal(m.key_id, null);
  assert.equal(m.mac_length, 0);
  assert.equal(m.control, null);
  assert.equal(m.private, null);
  assert.deepEqual(m.anomalies, []);
});

test('SNTP client request: zero timestamps are null, stratum 0 reference ID is ASCII (empty here)', () => {
  const m = ok(bytes(
    [0x1b], // LI 0, VN 3, mode 3 (client)
    zeros(39), // stratum … receive timestamp all zero
    be32(T0), be32(0), // transmit timestamp
  ));
  assert.equal(m.version, 3);
  assert.equal(m.mode_name, 'client');
  assert.equal(m.stratum, 0);
  assert.equal(m.ref_id, '');
  assert.equal(m.reference_time, null);
  assert.equal(m.origin_time, null);
  assert.equal(m.receive_time, null);
  assert.equal(m.transmit_time, '2019-05-30T20:03:34.000000000Z');
});

test('stratum 1 reference clock and stratum 0 kiss code are ASCII; trailing NULs dropped', () => {
  const h = serverHeader();
  h[1] = 1; // stratum 1
  h.splice(12, 4, ...ascii('GPS'), 0); // "GPS\0"
  assert.equal(ok(bytes(h)).ref_id, 'GPS');
  h[1] = 0; // stratum 0: kiss-o'-death
  h.splice(12, 4, ...ascii('RATE'));
  assert.equal(ok(bytes(h)).ref_id, 'RATE');
  h.splice(12, 4, 0x41, 0x0a, 0x42, 0x43); // control character in a kiss code: escaped
  assert.equal(ok(bytes(h)).ref_id, 'A\\x0aBC');
});

test('leap indicator 3 (unsynchronised) and signed poll/precision extremes', () => {
  const h = serverHeader(0xe4); // LI 3, VN 4, mode 4
  h[2] = 0x11; // poll 17
  h[3] = 0x80; // precision -128
  const m = ok(bytes(h));
  assert.equal(m.leap, 3);
  assert.equal(m.poll, 17);
  assert.equal(m.precision, -128);
});

test('timestamps: era rule of RFC 4330 §3 and exact nanosecond truncation', () => {
  const ts = (secs: number, frac: number): string | null => ntpTimestampText(bytes(be32(secs), be32(frac)), 0);
  assert.equal(ts(0, 0), null);
  assert.equal(ts(0x80000000, 0), '1968-01-20T03:14:08.000000000Z'); // top bit set: era 0
  assert.equal(ts(0, 1), '2036-02-07T06:28:16.000000000Z'); // top bit clear: from 2036-02-07 (era 1)
  assert.equal(ts(0x7fffffff, 0), '2104-02-26T09:42:23.000000000Z');
  assert.equal(ts(T0, 0xffffffff), '2019-05-30T20:03:34.999999999Z'); // 0.99999999976… s truncated
  assert.equal(ts(T0, 0x00000005), '2019-05-30T20:03:34.000000001Z'); // 5 × 2^-32 s = 1.16 ns
});

test('utcSecondText agrees with Date.toISOString over the NTP range (1900-2172): era ends, leap days, century years', () => {
  const lo = -2_208_988_800; // 1900-01-01 (NTP era 0 start)
  const hi = 2 ** 32 - 2_208_988_800 + 2 ** 31; // beyond the last time an NTP timestamp maps to
  const iso = (u: number): string => new Date(u * 1000).toISOString().slice(0, 19);
  const fixed = [lo, lo + 59 * 86_400, -1, 0, 951_782_399, 951_868_799, 4_107_542_399, 2_085_978_496, hi];
  for (const u of fixed) assert.equal(utcSecondText(u), iso(u), String(u));
  for (let u = lo, step = 86_400 * 7 + 3_601; u <= hi; u += step) assert.equal(utcSecondText(u), iso(u), String(u));
});

test('MAC after the header: key id kept, digest length only (MD5 20, SHA-1 24, crypto-NAK 4, longer digests)', () => {
  for (const digest of [16, 20, 0, 28, 60]) {
    const m = ok(bytes(serverHeader(), be32(7), zeros(digest)));
    assert.equal(m.key_id, 7);
    assert.equal(m.mac_length, 4 + digest);
    assert.deepEqual(m.extensions, []);
    assert.deepEqual(m.anomalies, []);
  }
});

test('NTPv4 extension fields then a MAC (RFC 7822 §3)', () => {
  const m = ok(bytes(
    serverHeader(),
    be16(0x0104), be16(36), zeros(32), // NTS Unique Identifier, 36 bytes
    be16(0x0204), be16(16), zeros(12), // NTS Cookie, 16 bytes
    be32(1), zeros(16), // MAC: key id 1, MD5 digest
  ));
  assert.deepEqual(m.extensions, [{ type: 0x0104, length: 36 }, { type: 0x0204, length: 16 }]);
  assert.equal(m.key_id, 1);
  assert.equal(m.mac_length, 20);
});

test('an extension field as the last item (no MAC) is listed when more than 24 bytes remain', () => {
  const m = ok(bytes(serverHeader(), be16(0x0404), be16(28), zeros(24)));
  assert.deepEqual(m.extensions, [{ type: 0x0404, length: 28 }]);
  assert.equal(m.key_id, null);
});

test('extension fields exist only in NTPv4: a v3 trailer is all MAC', () => {
  const h = serverHeader(0x1c); // VN 3, mode 4
  const m = ok(bytes(h, be16(0x0104), be16(36), zeros(32)));
  assert.deepEqual(m.extensions, []);
  assert.equal(m.key_id, 0x01040024);
  assert.equal(m.mac_length, 36);
});

test('a small key id (type 0) is not taken for an extension field; 1-3 trailing bytes are an anomaly', () => {
  const m = ok(bytes(serverHeader(), be32(16), zeros(28))); // key id 16: looks like type 0, length 16
  assert.deepEqual(m.extensions, []);
  assert.equal(m.key_id, 16);
  const t = ok(bytes(serverHeader(), [1, 2]));
  assert.deepEqual(t.anomalies, ['bad_mac_length:2']);
  assert.equal(t.key_id, null);
});

test('more than MAX_NTP_EXTENSIONS extension fields are not all listed', () => {
  const fields: number[] = [];
  for (let i = 0; i < MAX_NTP_EXTENSIONS + 3; i++) fields.push(...be16(0x0200 + i), ...be16(16), ...zeros(12));
  const m = ok(bytes(serverHeader(), fields, zeros(28)));
  assert.equal(m.extensions.length, MAX_NTP_EXTENSIONS);
  assert.ok(m.anomalies.includes('too_many_extensions'));
});

test('NTPv1 (mode 0) is read as the standard header', () => {
  const m = ok(bytes([0x08], zeros(47))); // LI 0, VN 1, no mode
  assert.equal(m.version, 1);
  assert.equal(m.mode, 0);
  assert.equal(m.mode_name, 'reserved');
  assert.equal(m.stratum, 0);
});

test('mode 6 read-variables response: header, status and system variables (quoted values with commas)', () => {
  const data = 'version="ntpd 4.2.8p10@1.3728-o Fri, May 26 2017", processor="x86_64",\r\nsystem="Linux/4.4.79", leap=0, stratum=3,\r\nflag';
  const m = ok(bytes(
    [0x16], // LI 0, VN 2, mode 6
    [0x82], // R=1 E=0 M=0, opcode 2 (read variables)
    be16(68), // sequence
    be16(0x0618), // system status word
    be16(0), // association id 0: the system
    be16(0), // offset
    be16(data.length), // count
    ascii(data),
    zeros((4 - (data.length % 4)) % 4), // padding to 32 bits
  ));
  assert.equal(m.leap, 0);
  assert.equal(m.version, 2);
  assert.equal(m.mode_name, 'control');
  assert.equal(m.stratum, null);
  assert.equal(m.ref_id, null);
  assert.deepEqual({ ...m.control, vars: null }, {
    response: true, error: false, more: false, opcode: 2, sequence: 68, status: 0x0618, association_id: 0, offset: 0,
    count: data.length, associations: null, vars: null,
  });
  assert.deepEqual(m.control!.vars, [
    { name: 'version', value: 'ntpd 4.2.8p10@1.3728-o Fri, May 26 2017' },
    { name: 'processor', value: 'x86_64' },
    { name: 'system', value: 'Linux/4.4.79' },
    { name: 'leap', value: '0' },
    { name: 'stratum', value: '3' },
    { name: 'flag', value: null },
  ]);
  assert.deepEqual(m.anomalies, []);
});

test('mode 6 request: no variables decoded; an error response neither', () => {
  const req = ok(bytes([0x16, 0x02], be16(1), be16(0), be16(0), be16(0), be16(0)));
  assert.equal(req.control!.response, false);
  assert.equal(req.control!.vars, null);
  const err = ok(bytes([0x16, 0xc2], be16(1), be16(0x0500), be16(0), be16(0), be16(4), ascii('a=1,')));
  assert.equal(err.control!.error, true);
  assert.equal(err.control!.vars, null);
});

test('mode 6 read-status response: association list', () => {
  const m = ok(bytes([0x16, 0x81], be16(69), be16(0x0618), be16(0), be16(0), be16(8), be16(48829), be16(0x961a), be16(48828), be16(0x8011)));
  assert.deepEqual(m.control!.associations, [{ id: 48829, status: 0x961a }, { id: 48828, status: 0x8011 }]);
});

test('mode 6: a count past the payload is an anomaly; an unterminated quote ends the variables', () => {
  const m = ok(bytes([0x16, 0x82], be16(1), be16(0), be16(0), be16(0), be16(100), ascii('a=1, b="open')));
  assert.ok(m.anomalies.includes('bad_control_count'));
  assert.ok(m.anomalies.includes('bad_control_vars'));
  assert.deepEqual(m.control!.vars, [{ name: 'a', value: '1' }]);
});

test('mode 6: more than MAX_NTP_CONTROL_VARS variables are not all kept', () => {
  const data = Array.from({ length: MAX_NTP_CONTROL_VARS + 5 }, (_, i) => `v${i}=1`).join(',').slice(0, 468);
  const m = ok(bytes([0x16, 0x82], be16(1), be16(0), be16(0), be16(0), be16(data.length), ascii(data)));
  assert.equal(m.control!.vars!.length, MAX_NTP_CONTROL_VARS);
  assert.ok(m.anomalies.includes('too_many_control_vars'));
});

test('mode 7 private (monlist request): ntpd header fields; leap is null (those bits are R and M)', () => {
  const m = ok(bytes(
    [0x17], // R=0 M=0, VN 2, mode 7
    [0x00], // A=0, sequence 0
    [3], // implementation 3 (xntpd)
    [42], // request code 42 (MON_GETLIST_1)
    be16(0x0000), // error 0, 0 items
    be16(0x0000), // item size 0
    zeros(40), // request data
  ));
  assert.equal(m.mode_name, 'private');
  assert.equal(m.leap, null);
  assert.deepEqual(m.private, { response: false, more: false, auth: false, sequence: 0, implementation: 3, request_code: 42, error: 0, item_count: 0, item_size: 0 });
  const r = ok(bytes([0xd7, 0x81, 3, 42], be16(0x3006), be16(0x0048), zeros(8))); // response, more, auth, seq 1, error 3, 6 items of 72 bytes
  assert.deepEqual(r.private, { response: true, more: true, auth: true, sequence: 1, implementation: 3, request_code: 42, error: 3, item_count: 6, item_size: 72 });
  assert.deepEqual(r.anomalies, ['bad_private_items']);
});

test('failures: bad bounds, empty, a header shorter than its mode needs', () => {
  const h = bytes(serverHeader());
  assert.deepEqual(parseNtp(h, -1, 10), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseNtp(h, 10, h.length), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseNtp(h, 0, 0), { ok: false, error: 'empty' });
  assert.match((parseNtp(h, 0, 47) as { error: string }).error, /^truncated_header: 47 of 48/);
  assert.match((parseNtp(bytes([0x16], zeros(10)), 0, 11) as { error: string }).error, /of 12 bytes \(mode 6\)/);
  assert.ok(parseNtp(bytes([0x17], zeros(7)), 0, 8).ok);
});

test('version 0 and 5-7 are anomalies; a message inside a larger buffer reads only its bytes', () => {
  assert.deepEqual(ok(bytes(serverHeader(0x3c))).anomalies, ['unknown_version']); // VN 7
  const framed = bytes([0xff, 0xff], serverHeader(), [0xff, 0xff, 0xff]);
  assert.deepEqual(ok(framed, 2, 48), ok(bytes(serverHeader())));
});

test('20 000 random mutations: never throws, never reads outside the message, only documented anomalies', () => {
  const bases = [
    bytes(serverHeader()),
    bytes(serverHeader(), be16(0x0104), be16(36), zeros(32), be32(1), zeros(16)),
    bytes([0x16, 0x82], be16(68), be16(0x0618), be16(0), be16(0), be16(22), ascii('version="x", system=y,')),
    bytes([0x16, 0x81], be16(69), be16(0x0618), be16(0), be16(0), be16(4), be16(1), be16(2)),
    bytes([0xd7, 0x81, 3, 42], be16(0x0001), be16(0x0004), zeros(4)),
  ];
  const parsed = runMutations({
    seed: 0x7e57, bases, count: 20_000, special: [0, 4, 6, 7, 16, 20, 24, 0x22, 0x2c, 0x3d, 0xff], parse: parseNtp, anomalyNames: NTP_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.version >= 0 && m.version <= 7);
      if (m.mode < 6) assert.ok(m.stratum !== null && m.control === null && m.private === null);
    },
  });
  assert.ok(parsed > 10_000, `only ${parsed} mutations parsed`);
});
