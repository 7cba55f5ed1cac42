/**
 * Unit tests of the DNS / mDNS / LLMNR parser from annotated byte arrays (RFC 1035 §4.1 layout, §4.1.4 compression,
 * RFC 6762 class bits, RFC 2782 SRV, RFC 6891 OPT, RFC 4034 NSEC), plus random-mutation robustness. Corpus-wide
 * agreement with tshark is in test/conformance/dns/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  DNS_ANOMALIES,
  DNS_HEADER_BYTES,
  type DnsMessage,
  dnsText,
  ipv6Text,
  MAX_DNS_MESSAGE_BYTES,
  MAX_NSEC_TYPES,
  MAX_OPT_OPTIONS,
  MAX_POINTER_JUMPS,
  MAX_RAW_RDATA_BYTES,
  MAX_RECORDS,
  MAX_TXT_STRINGS,
  parseDns,
} from './parser.js';
import { ascii, be16, be32, bytes } from '../test-bytes.js';

/** An uncompressed name: each label length-prefixed, then the root label. */
const name = (...labels: (string | number[])[]): number[] => [
  ...labels.flatMap((l) => (typeof l === 'string' ? [l.length, ...ascii(l)] : [l.length, ...l])),
  0,
];
/** A compression pointer to message offset `o`. */
const ptr = (o: number): number[] => [0xc0 | (o >> 8), o & 0xff];
/** Header: id, flags, then the four counts. */
const header = (id: number, flags: number, qd: number, an: number, ns: number, ar: number): number[] =>
  [...be16(id), ...be16(flags), ...be16(qd), ...be16(an), ...be16(ns), ...be16(ar)];
/** A resource record's fixed part after the owner name: type, class, ttl, rdlength. */
const rrFixed = (type: number, cls: number, ttl: number, rdlength: number): number[] => [...be16(type), ...be16(cls), ...be32(ttl), ...be16(rdlength)];

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): DnsMessage {
  const r = parseDns(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('standard query with EDNS0 OPT: header, question, OPT decoded from class/ttl/rdata', () => {
  const m = ok(bytes(
    header(0xbeef, 0x0120, 1, 0, 0, 1), // id 0xbeef; flags: RD, AD; 1 question, 1 additional
    name('pump-01', 'icu', 'hosp', 'lan'), // offset 12: QNAME pump-01.icu.hosp.lan
    be16(1), be16(1), // QTYPE A, QCLASS IN
    [0], // OPT owner: root
    rrFixed(41, 1232, 0x00008000, 12), // type OPT, class = UDP payload 1232, ttl: ext-rcode 0, version 0, DO
    be16(10), be16(8), [1, 2, 3, 4, 5, 6, 7, 8], // option 10 (COOKIE), 8 bytes
  ));
  assert.equal(m.id, 0xbeef);
  assert.equal(m.qr, false);
  assert.equal(m.opcode, 0);
  assert.equal(m.opcode_name, 'QUERY');
  assert.deepEqual([m.aa, m.tc, m.rd, m.ra, m.z, m.ad, m.cd], [false, false, true, false, false, true, false]);
  assert.equal(m.rcode, 0);
  assert.equal(m.rcode_name, 'NOERROR');
  assert.deepEqual([m.qdcount, m.ancount, m.nscount, m.arcount], [1, 0, 0, 1]);
  assert.deepEqual(m.questions, [{ name: 'pump-01.icu.hosp.lan', qtype: 1, qtype_name: 'A', qclass: 1, unicast_response: false }]);
  assert.deepEqual(m.additionals, [{
    name: '.', type: 41, type_name: 'OPT', class: 1232, cache_flush: false, ttl: 0x8000, rdlength: 12,
    rdata: { udp_payload_size: 1232, extended_rcode: 0, version: 0, do: true, options: [{ code: 10, length: 8 }] },
  }]);
  assert.equal(m.truncated, false);
  assert.deepEqual(m.anomalies, []);
  assert.doesNotThrow(() => JSON.stringify(m));
});

test('response with compression (RFC 1035 §4.1.4): A, AAAA, CNAME, MX, NS, SOA, PTR; pointers back and forward', () => {
  // Offsets: header 0–11; QNAME "www.hosp.lan" at 12 ("hosp.lan" at 16, "lan" at 21); QTYPE/QCLASS 26–29.
  const m = ok(bytes(
    header(0x1234, 0x8580, 1, 5, 1, 1), // QR, AA, RD, RA, NOERROR; 1 question, 5 answers, 1 authority, 1 additional
    name('www', 'hosp', 'lan'), be16(255), be16(1), // offset 12: www.hosp.lan, QTYPE ANY, QCLASS IN
    ptr(12), rrFixed(5, 1, 300, 6), [3, ...ascii('web'), ...ptr(16)], // CNAME → web + pointer to "hosp.lan"
    ptr(12), rrFixed(1, 1, 60, 4), [10, 0, 0, 80], // A 10.0.0.80
    ptr(12), rrFixed(28, 1, 60, 16), [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], // AAAA 2001:db8::1:0:0:1
    ptr(16), rrFixed(15, 1, 3600, 4), be16(10), ptr(12), // MX 10 www.hosp.lan
    [2, ...ascii('80'), ...ptr(21)], rrFixed(12, 1, 60, 2), ptr(183), // offset 108: PTR "80.lan" → forward pointer to "ns1"
    ptr(16), rrFixed(6, 1, 900, 34), // offset 125: SOA (authority), rdata 34 bytes:
    [2, ...ascii('ns'), ...ptr(16)], // MNAME ns.hosp.lan (5 bytes)
    [6, ...ascii('ad.min'), ...ptr(16)], // RNAME: the mailbox "ad.min", a label holding a dot, then hosp.lan (9 bytes)
    be32(2024010101), be32(7200), be32(900), be32(1209600), be32(300), // serial refresh retry expire minimum
    ptr(16), rrFixed(2, 1, 86400, 5), [3, ...ascii('ns1'), 0], // offset 171: NS (additional), target "ns1" at 183
  ));
  assert.equal(m.qr, true);
  assert.equal(m.aa, true);
  assert.equal(m.questions[0]!.qtype_name, 'ANY');
  assert.deepEqual(m.answers.map((r) => [r.name, r.type_name, r.ttl, r.rdata]), [
    ['www.hosp.lan', 'CNAME', 300, 'web.hosp.lan'],
    ['www.hosp.lan', 'A', 60, '10.0.0.80'],
    ['www.hosp.lan', 'AAAA', 60, '2001:db8::1:0:0:1'],
    ['hosp.lan', 'MX', 3600, { preference: 10, exchange: 'www.hosp.lan' }],
    ['80.lan', 'PTR', 60, 'ns1'],
  ]);
  assert.deepEqual(m.authorities[0]!.rdata, {
    mname: 'ns.hosp.lan', rname: 'ad\\.min.hosp.lan', serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300,
  });
  assert.equal(m.additionals[0]!.rdata, 'ns1');
  assert.deepEqual(m.anomalies, []);
});

test('mDNS (RFC 6762): QU bit, cache-flush bit, SRV, DNS-SD TXT, NSEC bitmap, HINFO', () => {
  // Offsets: QNAME "_ipp._tcp.local" at 12 ("_tcp.local" at 17, "local" at 22).
  const m = ok(bytes(
    header(0, 0x8400, 1, 3, 0, 3), // id 0 (mDNS), QR + AA
    name('_ipp', '_tcp', 'local'), be16(12), be16(0x8001), // PTR question, class IN with the QU bit
    ptr(12), rrFixed(12, 1, 4500, 10), [7, ...ascii('Pump 7'), 0x2e, ...ptr(12)], // PTR → "Pump 7." label (a dot in it)
    ptr(12), rrFixed(33, 0x8001, 120, 8), be16(0), be16(0), be16(631), ptr(22), // SRV 0 0 631 local, cache flush
    ptr(12), rrFixed(16, 0x8001, 4500, 20), [9, ...ascii('txtvers=1'), 0, 8, ...ascii('ty=Pump'), 0x0a], // TXT: 3 strings
    ptr(22), rrFixed(16, 1, 4500, 1), [0], // TXT of a single zero byte: one empty string (RFC 6763 §6.1)
    ptr(22), rrFixed(47, 0x8001, 120, 8), ptr(22), [0, 4, 0x40, 0, 0, 0x08], // NSEC next "local", window 0: A, AAAA
    ptr(22), rrFixed(13, 0x8001, 120, 12), [4, ...ascii('ARM7'), 6, ...ascii('RTOS 2')], // HINFO
  ));
  assert.deepEqual(m.questions, [{ name: '_ipp._tcp.local', qtype: 12, qtype_name: 'PTR', qclass: 1, unicast_response: true }]);
  assert.equal(m.answers[0]!.rdata, 'Pump 7\\.._ipp._tcp.local');
  assert.equal(m.answers[0]!.cache_flush, false);
  assert.deepEqual(m.answers[1]!.rdata, { priority: 0, weight: 0, port: 631, target: 'local' });
  assert.equal(m.answers[1]!.class, 1);
  assert.equal(m.answers[1]!.cache_flush, true);
  assert.deepEqual(m.answers[2]!.rdata, ['txtvers=1', '', 'ty=Pump\\x0a']);
  assert.deepEqual(m.additionals[0]!.rdata, ['']);
  assert.deepEqual(m.additionals[1]!.rdata, { next: 'local', types: [1, 28] });
  assert.deepEqual(m.additionals[2]!.rdata, { cpu: 'ARM7', os: 'RTOS 2' });
  assert.deepEqual(m.anomalies, []);
});

test('LLMNR (RFC 4795): C and T bits are read where DNS has AA and RD; rcode name; non-existent opcode', () => {
  const q = ok(bytes(header(0x04d2, 0x0500, 1, 0, 0, 0), name('printer'), be16(1), be16(1))); // C + T set
  assert.equal(q.aa, true, 'the LLMNR C (conflict) bit');
  assert.equal(q.rd, true, 'the LLMNR T (tentative) bit');
  const r = ok(bytes(header(7, 0xf803, 0, 0, 0, 0))); // QR, opcode 15, NXDOMAIN
  assert.equal(r.opcode_name, 'OPCODE15');
  assert.equal(r.rcode_name, 'NXDOMAIN');
  const u = ok(bytes(header(7, 0x800c, 0, 0, 0, 0))); // rcode 12, unassigned
  assert.equal(u.rcode_name, 'RCODE12');
});

test('pointer loops: a name pointing at itself, two names pointing at each other; the walk goes on', () => {
  const self = ok(bytes(
    header(1, 0x8000, 2, 0, 0, 0),
    ptr(12), be16(1), be16(1), // offset 12: a pointer to itself
    name('ok'), be16(28), be16(1), // the next question still parses
  ));
  assert.deepEqual(self.questions.map((q) => q.name), [null, 'ok']);
  assert.equal(self.questions[0]!.qtype, 1);
  assert.deepEqual(self.anomalies, ['name_pointer_loop']);
  assert.equal(self.truncated, false);

  const pair = ok(bytes(
    header(1, 0x8000, 2, 0, 0, 0),
    [1, ...ascii('a'), ...ptr(20)], be16(1), be16(1), // offset 12: "a" → 20
    [1, ...ascii('b'), ...ptr(12)], be16(1), be16(1), // offset 20: "b" → 12
  ));
  assert.deepEqual(pair.questions.map((q) => q.name), [null, null]);
  assert.deepEqual(pair.anomalies, ['name_pointer_loop', 'name_pointer_loop'], 'the jump back to "a" is seen at once');

  const late = ok(bytes(
    header(1, 0x8000, 1, 0, 0, 0),
    [50, ...ascii('x'.repeat(50))], [50, ...ascii('y'.repeat(50))], ptr(12), be16(1), be16(1), // 102 bytes, then back to 12
  ));
  assert.deepEqual(late.anomalies, ['name_pointer_loop'], 'a loop, found before the name grows past 255 bytes');

  const shared = ok(bytes(
    header(1, 0x8000, 2, 0, 0, 0),
    name('z'), be16(1), be16(1), // offset 12: "z"
    [1, ...ascii('y'), ...ptr(12)], be16(1), be16(1), // "y" + pointer to "z": two names sharing bytes is not a loop
  ));
  assert.deepEqual(shared.questions.map((q) => q.name), ['z', 'y.z']);
  assert.deepEqual(shared.anomalies, []);

  // A chain of MAX_POINTER_JUMPS pointers is accepted; one more is a loop.
  const chain = (n: number): Uint8Array => {
    const parts: number[][] = [header(1, 0, n + 1, 0, 0, 0), name('x'), be16(1), be16(1)]; // offset 12: "x", 3 bytes
    let prev = 12;
    for (let i = 0; i < n; i++) {
      const at = 12 + 7 + 6 * i;
      parts.push(ptr(prev), be16(1), be16(1)); // each question points at the previous one
      prev = at;
    }
    return bytes(...parts);
  };
  const ok128 = ok(chain(MAX_POINTER_JUMPS));
  assert.equal(ok128.questions[MAX_POINTER_JUMPS]!.name, 'x');
  const ok129 = ok(chain(MAX_POINTER_JUMPS + 1));
  assert.equal(ok129.questions[MAX_POINTER_JUMPS + 1]!.name, null);
  assert.deepEqual(ok129.anomalies, ['name_pointer_loop']);
});

test('name length: 255 wire bytes accepted, 256+ is name_too_long; labels of reserved types', () => {
  const x63 = 'x'.repeat(63);
  const max = ok(bytes(header(1, 0, 1, 0, 0, 0), name(x63, x63, x63, 'y'.repeat(61)), be16(1), be16(1))); // 64·3 + 62 + 1
  assert.equal(max.questions[0]!.name!.length, 63 * 3 + 61 + 3);
  const over = ok(bytes(header(1, 0, 2, 0, 0, 0), name(x63, x63, x63, 'y'.repeat(62)), be16(1), be16(1), name('n'), be16(1), be16(1)));
  assert.deepEqual(over.questions.map((q) => q.name), [null, 'n'], 'the over-long name is walked over');
  assert.deepEqual(over.anomalies, ['name_too_long']);

  const ext = ok(bytes(header(1, 0, 2, 0, 0, 0), name('a'), be16(1), be16(1), [0x41, 0x00], be16(1), be16(1))); // 0x41: binary label
  assert.deepEqual(ext.questions.map((q) => q.name), ['a']);
  assert.equal(ext.truncated, true);
  assert.deepEqual(ext.anomalies, ['bad_label_type:question']);

  const viaPtr = ok(bytes(header(1, 0, 2, 0, 0, 0), [0x80, 0], be16(1), be16(1))); // 0x80 label type as the first byte
  assert.deepEqual(viaPtr.anomalies, ['bad_label_type:question']);
});

test('bad pointers stop the walk: outside the message, into bytes that run past the end', () => {
  const out = ok(bytes(header(1, 0x8000, 1, 1, 0, 0), name('a'), be16(1), be16(1), ptr(0x3fff), rrFixed(1, 1, 5, 4), [1, 2, 3, 4]));
  assert.equal(out.questions.length, 1);
  assert.deepEqual(out.answers, [], 'the record with an undecodable owner is not kept');
  assert.equal(out.truncated, true);
  assert.deepEqual(out.anomalies, ['bad_pointer']);

  // A pointer to the last byte (offset 18), which claims a 5-byte label.
  const past = bytes(header(1, 0x8000, 1, 0, 0, 0), ptr(18), be16(1), be16(1), [5]);
  const m = ok(past);
  assert.deepEqual(m.questions, []);
  assert.deepEqual(m.anomalies, ['bad_name']);
  assert.equal(m.truncated, true);

  // In rdata a bad name only spoils that rdata: kept raw.
  const rd = ok(bytes(header(1, 0x8000, 0, 1, 0, 0), name('c'), rrFixed(5, 1, 5, 2), ptr(0x3fff)));
  assert.deepEqual(rd.answers[0]!.rdata, { raw: 'ffff' });
  assert.deepEqual(rd.anomalies, ['bad_pointer', 'bad_rdata:5']);
  assert.equal(rd.truncated, false);
});

test('truncated messages keep what was read; a record with cut rdata is dropped', () => {
  const full = bytes(
    header(9, 0x8180, 1, 3, 0, 0),
    name('t', 'lan'), be16(1), be16(1), // offset 12, 7 + 4 bytes
    ptr(12), rrFixed(1, 1, 60, 4), [10, 0, 0, 1], // answer 1: offset 23, 16 bytes
    ptr(12), rrFixed(1, 1, 60, 4), [10, 0, 0, 2], // answer 2: offset 39
    ptr(12), rrFixed(1, 1, 60, 4), [10, 0, 0, 3], // answer 3: offset 55, ends at 71
  );
  assert.equal(ok(full).answers.length, 3);
  const cutRdata = ok(full, 0, 69); // answer 3 without its last 2 rdata bytes
  assert.deepEqual(cutRdata.answers.map((r) => r.rdata), ['10.0.0.1', '10.0.0.2']);
  assert.equal(cutRdata.truncated, true);
  assert.deepEqual(cutRdata.anomalies, ['truncated_section:answer']);
  const cutFixed = ok(full, 0, 45); // answer 2 cut inside its fixed part
  assert.equal(cutFixed.answers.length, 1);
  assert.deepEqual(cutFixed.anomalies, ['truncated_section:answer']);
  const cutQuestion = ok(full, 0, 15); // inside the QNAME
  assert.deepEqual(cutQuestion.questions, []);
  assert.deepEqual(cutQuestion.anomalies, ['truncated_section:question']);
  assert.equal(cutQuestion.ancount, 3, 'counts stay as on the wire');
  const header12 = ok(full, 0, DNS_HEADER_BYTES);
  assert.equal(header12.truncated, true);
  assert.equal(header12.id, 9);
});

test('rdata variants: bad lengths kept raw, trailing bytes, TXT overrun, unknown types, raw cap, IPv6 text', () => {
  const m = ok(bytes(
    header(1, 0x8000, 0, 7, 0, 0),
    [0], rrFixed(1, 1, 5, 3), [1, 2, 3], // A with 3 bytes
    [0], rrFixed(5, 1, 5, 4), [1, ...ascii('a'), 0, 0xee], // CNAME "a" + 1 stray byte
    [0], rrFixed(16, 1, 5, 6), [2, ...ascii('ok'), 9, ...ascii('ab')], // TXT: "ok", then a string overrunning rdata
    [0], rrFixed(99, 1, 5, 3), [0xde, 0xad, 0x01], // SPF (not decoded): raw
    [0], rrFixed(16, 1, 5, 0), [], // TXT without strings
    [0], rrFixed(48, 1, 5, 600), new Array<number>(600).fill(0xab), // DNSKEY, 600 bytes: raw cut at 512
    [0], rrFixed(33, 1, 5, 5), [0, 1, 0, 2, 0], // SRV too short for its name
  ));
  const rd = m.answers.map((r) => r.rdata);
  assert.deepEqual(rd[0], { raw: '010203' });
  assert.equal(rd[1], 'a');
  assert.deepEqual(rd[2], ['ok']);
  assert.deepEqual(rd[3], { raw: 'dead01' });
  assert.deepEqual(rd[4], []);
  assert.equal((rd[5] as { raw: string }).raw.length, 2 * MAX_RAW_RDATA_BYTES);
  assert.equal(m.answers[5]!.rdlength, 600);
  assert.equal(m.answers[5]!.type_name, 'DNSKEY');
  assert.deepEqual(rd[6], { raw: '0001000200' });
  assert.deepEqual(m.anomalies, ['bad_rdata:1', 'rdata_trailing_bytes:5', 'bad_rdata:16', 'bad_rdata:33']);
  for (const a of m.anomalies) assert.ok(a.split(':')[0]! in DNS_ANOMALIES, a);

  const v6 = (hex: string): string => ipv6Text(Buffer.from(hex, 'hex'), 0);
  assert.equal(v6('00000000000000000000000000000000'), '::');
  assert.equal(v6('00000000000000000000000000000001'), '::1');
  assert.equal(v6('fe800000000000000000000000000000'), 'fe80::');
  assert.equal(v6('20010db8000000010000000000000001'), '2001:db8:0:1::1', 'the longest zero run is compressed');
  assert.equal(v6('20010db8000000000001000000000001'), '2001:db8::1:0:0:1', 'the first of two equal runs');
  assert.equal(v6('20010db8000100010001000100010001'), '2001:db8:1:1:1:1:1:1');
  assert.equal(v6('20010db8000000010001000100010001'), '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
  assert.equal(v6('00000000000000000000ffffc0000201'), '::ffff:192.0.2.1', 'IPv4-mapped (RFC 5952 §5)');
  assert.equal(v6('0000000000000000000000000a000001'), '::10.0.0.1', 'IPv4-compatible (RFC 4291 §2.5.5.1)');
  assert.equal(v6('000000000000000000000000000a0001'), '::0.10.0.1');
  assert.equal(v6('00000000000000000000000000000002'), '::2', 'a small value is not an embedded IPv4 address');
  assert.equal(v6('000000000000ffff000000000a000001'), '::ffff:0:0:a00:1', 'IPv4-translated (RFC 2765) stays hex');
  assert.equal(v6('20010DB8ABCD00000000000000000000'.toLowerCase()), '2001:db8:abcd::');
});

test('text: escapes in labels and strings are unambiguous and safe to log', () => {
  const t = (label: boolean, ...b: number[]): string => dnsText(Uint8Array.from(b), 0, b.length, label);
  assert.equal(t(true, ...ascii('plain-host_1')), 'plain-host_1');
  assert.equal(t(true, ...ascii('a.b')), 'a\\.b', 'a dot inside a label');
  assert.equal(t(false, ...ascii('a.b')), 'a.b', 'a dot in a TXT string is plain');
  assert.equal(t(true, 0x61, 0x5c, 0x62), 'a\\\\b');
  assert.equal(t(false, 0x00, 0x09, 0x0a, 0x1b, 0x7f), '\\x00\\x09\\x0a\\x1b\\x7f');
  assert.equal(t(true, 0x63, 0x61, 0x66, 0xc3, 0xa9), 'café', 'valid UTF-8');
  assert.equal(t(true, 0x63, 0x61, 0x66, 0xe9), 'caf\\xe9', 'not UTF-8: the byte');
  assert.equal(t(true, 0xc3, 0xa9, 0xe9, 0x41), 'é\\xe9A', 'valid sequences kept beside invalid bytes');
  assert.equal(t(true, 0xe2, 0x80, 0x41), '\\xe2\\x80A', 'a cut sequence: one escape per byte');
  assert.equal(t(true, 0xc2, 0x85), '\\u0085', 'a C1 control from valid UTF-8 (not \\x85, which is a raw byte)');
  assert.equal(t(true, 0xe2, 0x80, 0xae), '\\u202e', 'RIGHT-TO-LEFT OVERRIDE');
  assert.equal(t(true, 0xe2, 0x80, 0x8b), '\\u200b', 'ZERO WIDTH SPACE');
  assert.equal(t(true, 0xef, 0xbb, 0xbf), '\\ufeff', 'BOM');
  assert.equal(t(true, 0xf3, 0xa0, 0x80, 0x81), '\\u{e0001}', 'a tag character beyond the BMP');
  assert.equal(t(true, 0xf0, 0x9f, 0x92, 0x89), '💉');
  assert.equal(t(true, 0xc0, 0xaf), '\\xc0\\xaf', 'overlong form');
  assert.equal(t(true, 0xed, 0xa0, 0x80), '\\xed\\xa0\\x80', 'encoded surrogate');
  assert.equal(t(false, 0xe2, 0x80, 0x99), '’', 'DNS-SD instance names are UTF-8 (RFC 6763 §4.1.3)');

  const m = ok(bytes(header(1, 0, 1, 0, 0, 0), name([0x61, 0x00, 0x62], 'x.y', [0xff]), be16(1), be16(1)));
  assert.equal(m.questions[0]!.name, 'a\\x00b.x\\.y.\\xff');
});

test('limits: MAX_RECORDS per section (later sections still parse), TXT strings, OPT options, NSEC types', () => {
  const qs: number[] = [];
  for (let i = 0; i < MAX_RECORDS + 44; i++) qs.push(...ptr(12), ...be16(1), ...be16(1)); // 300 questions, all → offset 12
  const many = ok(bytes(header(1, 0x8000, MAX_RECORDS + 45, 1, 0, 0), name('q'), be16(1), be16(1), qs, ptr(12), rrFixed(1, 1, 5, 4), [1, 1, 1, 1]));
  assert.equal(many.questions.length, MAX_RECORDS);
  assert.equal(many.qdcount, MAX_RECORDS + 45);
  assert.deepEqual(many.answers.map((r) => r.rdata), ['1.1.1.1'], 'the answer after the skipped questions is read');
  assert.deepEqual(many.anomalies, ['too_many_records:question']);

  const strings: number[] = new Array<number>(MAX_TXT_STRINGS + 10).fill(0); // 266 empty strings
  const txt = ok(bytes(header(1, 0x8000, 0, 1, 0, 0), [0], rrFixed(16, 1, 5, strings.length), strings));
  assert.equal((txt.answers[0]!.rdata as string[]).length, MAX_TXT_STRINGS);
  assert.deepEqual(txt.anomalies, ['too_many_strings']);

  const opts: number[] = [];
  for (let i = 0; i < MAX_OPT_OPTIONS + 1; i++) opts.push(...be16(65001), ...be16(0)); // 65 empty local options
  const opt = ok(bytes(header(1, 0, 0, 0, 0, 1), [0], rrFixed(41, 0x8000 + 512, 0x01020000, opts.length), opts));
  const o = opt.additionals[0]!;
  assert.equal(o.class, 0x8200, 'OPT keeps its whole class (payload size); no cache-flush split');
  assert.equal(o.cache_flush, false);
  assert.deepEqual({ ...(o.rdata as object), options: undefined }, { udp_payload_size: 0x8200, extended_rcode: 1, version: 2, do: false, options: undefined });
  assert.equal((o.rdata as { options: unknown[] }).options.length, MAX_OPT_OPTIONS);
  assert.deepEqual(opt.anomalies, ['too_many_options']);

  const bitmap: number[] = [];
  for (let w = 0; w < 5; w++) bitmap.push(w, 32, ...new Array<number>(32).fill(0xff)); // 5 full windows: 1280 types
  const nsec = ok(bytes(header(1, 0x8000, 0, 1, 0, 0), [0], rrFixed(47, 1, 5, 1 + bitmap.length), [0], bitmap));
  assert.equal((nsec.answers[0]!.rdata as { types: number[] }).types.length, MAX_NSEC_TYPES);
  assert.deepEqual(nsec.anomalies, ['too_many_nsec_types']);
  const badWin = ok(bytes(header(1, 0x8000, 0, 1, 0, 0), [0], rrFixed(47, 1, 5, 7), [0], [1, 1, 0x40], [0, 1, 0x40])); // windows out of order
  assert.deepEqual(badWin.anomalies, ['bad_rdata:47']);
});

test('bounds: short header and bad bounds fail; offset into a larger buffer; trailing bytes; oversized input', () => {
  const msg = bytes(header(5, 0x8180, 1, 0, 0, 0), name('a'), be16(1), be16(1));
  assert.equal(parseDns(msg, 0, DNS_HEADER_BYTES - 1).ok, false);
  assert.equal(parseDns(msg, 1, msg.length).ok, false);
  assert.equal(parseDns(msg, -1, 4).ok, false);
  assert.equal(parseDns(msg, 0.5, 12).ok, false);
  assert.equal(parseDns(msg, 0, Number.NaN).ok, false);
  const framed = bytes([0xaa, 0xbb], msg, ptr(12), rrFixed(1, 1, 1, 4), [1, 2, 3, 4]);
  assert.deepEqual(ok(framed, 2, msg.length), ok(msg), 'bytes after off+len must not be seen');
  const trailing = ok(bytes(msg, [0, 0]));
  assert.deepEqual(trailing.anomalies, ['trailing_bytes']);

  const big = new Uint8Array(MAX_DNS_MESSAGE_BYTES + 100);
  big.set(msg);
  const cut = ok(big);
  assert.deepEqual(cut.anomalies, ['oversized_message', 'trailing_bytes']);
  assert.equal(cut.questions[0]!.name, 'a');
});

test('robustness: 20 000 random mutations never throw or read past off+len', () => {
  const base = bytes(
    header(0x4242, 0x8400, 2, 5, 1, 2),
    name('_svc', '_tcp', 'local'), be16(12), be16(0x8001), // offset 12; "local" at 22
    ptr(12), be16(16), be16(1),
    ptr(12), rrFixed(12, 1, 120, 8), [5, ...ascii('dev-1'), ...ptr(12)],
    ptr(12), rrFixed(33, 0x8001, 120, 8), be16(1), be16(2), be16(80), ptr(22),
    ptr(12), rrFixed(16, 1, 120, 9), [3, ...ascii('a=1'), 0, 3, ...ascii('b.c')],
    ptr(22), rrFixed(1, 0x8001, 120, 4), [10, 0, 0, 9],
    ptr(22), rrFixed(28, 0x8001, 120, 16), new Array<number>(16).fill(0).map((_, i) => (i === 15 ? 1 : 0)),
    ptr(22), rrFixed(6, 1, 60, 24), [1, ...ascii('m'), 0], [0], be32(1), be32(2), be32(3), be32(4), be32(5),
    [0], rrFixed(41, 1440, 0x8000, 4), be16(4), be16(0),
    ptr(22), rrFixed(47, 0x8001, 120, 6), ptr(22), [0, 2, 0x40, 0x08],
  );
  assert.equal(ok(base).anomalies.length, 0, 'the seed message is clean');
  const okCount = runMutations({
    seed: 0xd5d5,
    bases: [base],
    count: 20_000,
    special: [0, 1, 12, 0x3f, 0x40, 0x80, 0xc0, 0xff],
    parse: parseDns,
    anomalyNames: DNS_ANOMALIES,
    onParsed: (v) => {
      for (const list of [v.questions, v.answers, v.authorities, v.additionals]) assert.ok(list.length <= MAX_RECORDS);
      for (const r of [...v.answers, ...v.authorities, ...v.additionals]) {
        if (r.name !== null) assert.ok(r.name.length > 0);
        if (typeof r.rdata === 'object' && 'raw' in r.rdata) assert.ok(r.rdata.raw.length <= 2 * MAX_RAW_RDATA_BYTES);
      }
    },
  });
  assert.ok(okCount > 15_000, `most mutations keep a full header (${okCount})`);
});
