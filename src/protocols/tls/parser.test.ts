/**
 * Unit tests of the TLS message parsers from annotated messages (RFC 8446 §4.1.2 ClientHello, §4.1.3 ServerHello and
 * HelloRetryRequest, RFC 5246 §7.4.2 Certificate, the extensions of RFC 6066 / 7301 / 8422 / 8446, SSL 2.0 hellos of
 * draft-hickman §2.5), plus random-mutation robustness. Corpus-wide agreement with tshark is in test/conformance/tls/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, be16, bytes, zeros } from '../test-bytes.js';
import {
  MAX_CIPHER_SUITES,
  MAX_CERTIFICATES,
  parseCertificateList,
  parseClientHello,
  parseHandshake,
  parseRecordHeader,
  parseServerHello,
  parseSsl2ClientHello,
  parseSsl2ServerHello,
  TLS_ANOMALIES,
  type TlsClientHello,
  type TlsServerHello,
} from './parser.js';
import { certificate } from './test-der.js';
import { TlsSessionBuilder } from './session.js';

const be24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
/** A vector with a 1-, 2- or 3-byte length prefix. */
const vec8 = (...c: number[][]): number[] => { const b = c.flat(); return [b.length, ...b]; };
const vec16 = (...c: number[][]): number[] => { const b = c.flat(); return [...be16(b.length), ...b]; };
const vec24 = (...c: (number[] | Uint8Array)[]): number[] => { const b = c.flatMap((x) => [...x]); return [...be24(b.length), ...b]; };
/** An extension: type, then its body as a 2-byte-length vector. */
const ext = (type: number, ...body: number[][]): number[] => [...be16(type), ...vec16(...body)];
const u16s = (...v: number[]): number[] => v.flatMap(be16);
/** A handshake message: type, 24-bit length, body. */
const handshake = (type: number, body: number[] | Uint8Array): Uint8Array => bytes([type], vec24(body));

const RANDOM = zeros(32).map((_, i) => i);
const HRR_RANDOM = [...Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex')];

/** A TLS 1.3 ClientHello as a current browser sends it, GREASE included. */
const CLIENT_HELLO = bytes(
  be16(0x0303), // legacy_version TLS 1.2
  RANDOM, // random (not kept)
  vec8(zeros(32)), // legacy_session_id, 32 bytes
  vec16(u16s(0x5a5a, 0x1301, 0x1302, 0xc02b)), // cipher_suites: GREASE, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, ECDHE-ECDSA-AES128-GCM
  vec8([0]), // compression_methods: null
  vec16(
    ext(0x0a0a), // GREASE extension, empty
    ext(0x0000, vec16([0], vec16(ascii('infusion.example.org')))), // server_name: host_name
    ext(0x000a, vec16(u16s(0x2a2a, 0x001d, 0x0017))), // supported_groups: GREASE, x25519, secp256r1
    ext(0x000b, vec8([0])), // ec_point_formats: uncompressed
    ext(0x000d, vec16(u16s(0x0403, 0x0804))), // signature_algorithms
    ext(0x0010, vec16(vec8(ascii('h2')), vec8(ascii('http/1.1')))), // ALPN
    ext(0x002b, vec8(u16s(0x3a3a, 0x0304, 0x0303))), // supported_versions
    ext(0x0033, vec16(u16s(0x2a2a), vec16([0]), u16s(0x001d), vec16(zeros(32)))), // key_share: GREASE entry, x25519 entry
    ext(0x002d, vec8([1])), // psk_key_exchange_modes: psk_dhe_ke
    ext(0xff01, [0]), // renegotiation_info (not decoded)
  ),
);

/** Parses a ClientHello and asserts success. */
function clientHello(b: Uint8Array): TlsClientHello {
  const r = parseClientHello(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** Parses a ServerHello and asserts success. */
function serverHello(b: Uint8Array): TlsServerHello {
  const r = parseServerHello(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('record header: handshake 0x16, TLS 1.0, length; unknown type, version and oversized length refused', () => {
  assert.deepEqual(parseRecordHeader(Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00]), 0, 5), { ok: true, value: { content_type: 22, version: 0x0301, length: 512 } });
  assert.deepEqual(parseRecordHeader(Uint8Array.from([0x47, 0x45, 0x54, 0x20, 0x2f]), 0, 5), { ok: false, error: 'bad_content_type' }); // "GET /"
  assert.deepEqual(parseRecordHeader(Uint8Array.from([0x16, 0x02, 0x00, 0x00, 0x10]), 0, 5), { ok: false, error: 'bad_record_version' });
  assert.deepEqual(parseRecordHeader(Uint8Array.from([0x17, 0x03, 0x03, 0xff, 0xff]), 0, 5), { ok: false, error: 'oversized_record' });
  assert.deepEqual(parseRecordHeader(Uint8Array.from([0x16, 0x03]), 0, 2), { ok: false, error: 'truncated' });
});

test('ClientHello (TLS 1.3 browser): every list as sent, SNI, ALPN, key share groups, JA3 and JA4', () => {
  const h = clientHello(CLIENT_HELLO);
  assert.equal(h.version, 0x0303);
  assert.equal(h.session_id_length, 32);
  assert.deepEqual(h.cipher_suites, [0x5a5a, 0x1301, 0x1302, 0xc02b]);
  assert.deepEqual(h.compression_methods, [0]);
  assert.deepEqual(h.extensions, [0x0a0a, 0, 10, 11, 13, 16, 43, 51, 45, 0xff01]);
  assert.equal(h.server_name, 'infusion.example.org');
  assert.deepEqual(h.alpn, ['h2', 'http/1.1']);
  assert.deepEqual(h.supported_groups, [0x2a2a, 0x001d, 0x0017]);
  assert.deepEqual(h.ec_point_formats, [0]);
  assert.deepEqual(h.signature_algorithms, [0x0403, 0x0804]);
  assert.deepEqual(h.supported_versions, [0x3a3a, 0x0304, 0x0303]);
  assert.deepEqual(h.key_share_groups, [0x2a2a, 0x001d]);
  assert.deepEqual(h.psk_key_exchange_modes, [1]);
  assert.equal(h.ja3_string, '771,4865-4866-49195,0-10-11-13-16-43-51-45-65281,29-23,0');
  assert.match(h.ja3, /^[0-9a-f]{32}$/);
  assert.match(h.ja4, /^t13d0309h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
  assert.equal(h.ja4_r, 't13d0309h2_1301,1302,c02b_000a,000b,000d,002b,002d,0033,ff01_0403,0804');
  assert.deepEqual(h.anomalies, []);
});

test('ClientHello without extensions (TLS 1.0) and with an empty session id', () => {
  const h = clientHello(bytes(be16(0x0301), RANDOM, vec8([]), vec16(u16s(0x0035, 0x000a)), vec8([1, 0])));
  assert.deepEqual([h.version, h.session_id_length, h.cipher_suites, h.compression_methods, h.extensions], [0x0301, 0, [0x35, 0x0a], [1, 0], []]);
  assert.equal(h.server_name, null);
  assert.equal(h.ja3_string, '769,53-10,,,');
  assert.equal(h.ja4, 't10i020000_' + h.ja4.split('_')[1] + '_000000000000');
  assert.deepEqual(h.anomalies, []);
});

test('ClientHello anomalies: long session id, odd suites, no compression, malformed, repeated and cut extensions', () => {
  const h = clientHello(bytes(
    be16(0x0303), RANDOM,
    vec8(zeros(33)), // session id longer than 32
    vec16([0x13, 0x01, 0x13]), // odd length: last byte ignored
    vec8([]), // no compression method
    vec16(
      ext(0x0000, vec16([1], vec16(ascii('x')), [0], vec16(ascii('y'.repeat(1500))))), // a non-host_name entry, then a long host name
      ext(0x000a, [0x00, 0x03, 0x00]), // supported_groups length not even
      ext(0x0010, vec16(vec8([]), vec8(ascii('h2')))), // an empty ALPN name first
      ext(0x0010, vec16(vec8(ascii('x')))), // ALPN again
    ),
    [0xee], // a byte after the extension block
  ));
  assert.deepEqual(h.cipher_suites, [0x1301]);
  assert.equal(h.server_name, 'y'.repeat(1024));
  assert.deepEqual(h.alpn, ['', 'h2']);
  assert.deepEqual(h.anomalies, ['long_session_id', 'odd_cipher_suites_length', 'no_compression_methods', 'trailing_bytes',
    'unknown_name_type', 'long_value:server_name', 'bad_extension:10', 'empty_alpn_protocol', 'duplicate_extension:16']);
  const ip = clientHello(bytes(be16(0x0303), RANDOM, vec8([]), vec16(u16s(0x1301)), vec8([0]), vec16(ext(0, vec16([0], vec16(ascii('192.168.1.70')))))));
  assert.deepEqual([ip.server_name, ip.anomalies], ['192.168.1.70', ['ip_literal_server_name']]); // RFC 6066 §3: no IP literals
  const cut = clientHello(bytes(be16(0x0303), RANDOM, vec8([]), vec16(u16s(0x1301)), vec8([0]), be16(20), ext(0x0017)));
  assert.deepEqual([cut.extensions, cut.anomalies], [[0x17], ['length_mismatch']]);
  const suites = u16s(...Array.from({ length: MAX_CIPHER_SUITES + 3 }, (_, i) => i));
  const many = clientHello(bytes(be16(0x0303), RANDOM, vec8([]), vec16(suites), vec8([0])));
  assert.deepEqual([many.cipher_suites.length, many.anomalies], [MAX_CIPHER_SUITES, ['too_many:cipher_suites']]);
});

test('ClientHello failures: fixed fields that do not fit', () => {
  const fail = (b: number[] | Uint8Array): string => {
    const r = parseClientHello(Uint8Array.from(b), 0, b.length);
    assert.ok(!r.ok);
    return r.error;
  };
  assert.equal(fail([3, 3, ...RANDOM]), 'truncated'); // no session id length
  assert.equal(fail([3, 3, ...RANDOM, 0]), 'truncated'); // no cipher suites
  assert.equal(fail([3, 3, ...RANDOM, 0, 0, 4, 0x13, 0x01]), 'truncated'); // cipher suites cut
  assert.equal(fail([3, 3, ...RANDOM, 0, 0, 2, 0x13, 0x01]), 'truncated'); // no compression methods
  assert.equal(fail([3, 3, ...RANDOM, 0, 0, 2, 0x13, 0x01, 2, 0]), 'truncated'); // compression methods cut
});

test('ServerHello TLS 1.2 (renegotiation_info, ALPN, ec_point_formats) and TLS 1.3 (supported_versions, key_share)', () => {
  const t12 = serverHello(bytes(be16(0x0303), RANDOM, vec8(zeros(32)), be16(0xc02f), [0], vec16(
    ext(0xff01, [0]), ext(0x0010, vec16(vec8(ascii('http/1.1')))), ext(0x000b, vec8([0])), ext(0x0000),
  )));
  assert.deepEqual([t12.version, t12.session_id_length, t12.cipher_suite, t12.compression_method, t12.extensions], [0x0303, 32, 0xc02f, 0, [0xff01, 16, 11, 0]]);
  assert.equal(t12.alpn, 'http/1.1');
  assert.equal(t12.selected_version, null);
  assert.equal(t12.ja3s_string, '771,49199,65281-16-11-0');
  assert.equal(t12.ja4s_r, 't1204h1_c02f_ff01,0010,000b,0000');
  assert.deepEqual(t12.anomalies, []);
  const t13 = serverHello(bytes(be16(0x0303), RANDOM, vec8(zeros(32)), be16(0x1301), [0], vec16(
    ext(0x002b, be16(0x0304)), ext(0x0033, be16(0x001d), vec16(zeros(32))),
  )));
  assert.deepEqual([t13.selected_version, t13.key_share_group, t13.hello_retry_request], [0x0304, 0x001d, false]);
  assert.equal(t13.ja4s_r, 't130200_1301_002b,0033');
});

test('HelloRetryRequest (RFC 8446 §4.1.3 special random, key_share with the group alone) and an early draft ServerHello', () => {
  const hrr = serverHello(bytes(be16(0x0303), HRR_RANDOM, vec8([]), be16(0x1302), [0], vec16(ext(0x002b, be16(0x0304)), ext(0x0033, be16(0x0017)))));
  assert.deepEqual([hrr.hello_retry_request, hrr.key_share_group, hrr.anomalies], [true, 0x0017, []]);
  // draft-ietf-tls-tls13-18: version, random, cipher_suite, extensions (no session id, no compression)
  const draft = serverHello(bytes(be16(0x7f12), RANDOM, be16(0x1301), vec16(ext(0x0028, zeros(4)))));
  assert.deepEqual([draft.session_id_length, draft.compression_method, draft.cipher_suite, draft.extensions], [null, null, 0x1301, [40]]);
  assert.equal(draft.ja3s_string, '32530,4865,40');
  const badShare = serverHello(bytes(be16(0x0303), RANDOM, vec8([]), be16(0x1301), [0], vec16(ext(0x0033, be16(0x001d), be16(5)))));
  assert.deepEqual(badShare.anomalies, ['bad_extension:51']);
  assert.deepEqual(parseServerHello(Uint8Array.from([3, 3, ...RANDOM, 0, 0x13]), 0, 36), { ok: false, error: 'truncated' });
});

test('Certificate message: two DER certificates, an unparseable one, the MAX_CERTIFICATES bound, a cut list', () => {
  const leaf = certificate();
  const list = parseCertificateList(Uint8Array.from(vec24(vec24(leaf), vec24([0x30, 0x00]))), 0, 3 + 3 + leaf.length + 5);
  assert.ok(list.ok);
  assert.equal(list.value.certificate_count, 2);
  assert.equal(list.value.certificates.length, 1);
  assert.equal(list.value.certificates[0]!.subject, 'CN=pump.example');
  assert.deepEqual(list.value.anomalies, ['bad_certificate:1:bad_certificate']);
  const entries = Array.from({ length: MAX_CERTIFICATES + 2 }, () => vec24(leaf));
  const many = parseCertificateList(Uint8Array.from(vec24(...entries)), 0, 3 + entries.length * (3 + leaf.length));
  assert.ok(many.ok);
  assert.deepEqual([many.value.certificate_count, many.value.certificates.length, many.value.anomalies], [MAX_CERTIFICATES + 2, MAX_CERTIFICATES, ['too_many_certificates']]);
  const cut = Uint8Array.from(vec24(vec24(leaf)).slice(0, 100));
  const r = parseCertificateList(cut, 0, cut.length);
  assert.ok(r.ok);
  assert.deepEqual(r.value.anomalies, ['length_mismatch', 'bad_certificate:0:truncated']);
});

test('parseHandshake: header and dispatch; other types keep only their header; cut and trailing bodies', () => {
  const ch = parseHandshake(handshake(1, CLIENT_HELLO), 0, CLIENT_HELLO.length + 4);
  assert.ok(ch.ok);
  assert.equal(ch.value.msg_type, 1);
  assert.equal(ch.value.client_hello?.server_name, 'infusion.example.org');
  const done = parseHandshake(handshake(14, []), 0, 4);
  assert.deepEqual(done, { ok: true, value: { msg_type: 14, length: 0, client_hello: null, server_hello: null, certificate: null, anomalies: [] } });
  const trailing = parseHandshake(bytes(handshake(14, []), [0]), 0, 5);
  assert.ok(trailing.ok && trailing.value.anomalies[0] === 'trailing_bytes');
  assert.deepEqual(parseHandshake(handshake(1, CLIENT_HELLO), 0, 40), { ok: false, error: 'truncated' });
  assert.deepEqual(parseHandshake(handshake(2, [3, 3]), 0, 6), { ok: false, error: 'truncated' });
});

test('SSL 2.0 CLIENT-HELLO (SSL 2.0 and a TLS client\'s compatible hello) and SERVER-HELLO with its certificate', () => {
  const v2 = parseSsl2ClientHello(Uint8Array.from([
    1, // CLIENT-HELLO
    ...be16(0x0002), // SSL 2.0
    ...be16(6), ...be16(0), ...be16(16), // cipher specs, session id, challenge lengths
    0x07, 0x00, 0xc0, 0x01, 0x00, 0x80, // SSL2_DES_192_EDE3_CBC_WITH_MD5, SSL2_RC4_128_WITH_MD5
    ...zeros(16), // challenge
  ]), 0, 31);
  assert.deepEqual(v2, { ok: true, value: { version: 2, cipher_specs: [0x0700c0, 0x010080], session_id_length: 0, challenge_length: 16, anomalies: [] } });
  const compat = parseSsl2ClientHello(Uint8Array.from([1, 3, 1, 0, 3, 0, 0, 0, 16, 0x00, 0x00, 0x2f, ...zeros(16), 0xaa]), 0, 29);
  assert.ok(compat.ok);
  assert.deepEqual([compat.value.version, compat.value.cipher_specs, compat.value.anomalies], [0x0301, [0x2f], ['ssl2_length_mismatch']]);
  assert.deepEqual(parseSsl2ClientHello(Uint8Array.from([4, 0, 2, 0, 0, 0, 0, 0, 0]), 0, 9), { ok: false, error: 'not_ssl2_client_hello' });
  assert.deepEqual(parseSsl2ClientHello(Uint8Array.from([1, 0, 2, 0, 3, 0, 0, 0, 16, 1]), 0, 10), { ok: false, error: 'truncated' });
  const cert = certificate();
  const sh = parseSsl2ServerHello(Uint8Array.from([
    4, 0, 1, // SERVER-HELLO, session id hit no, certificate type X.509
    ...be16(0x0002), ...be16(cert.length), ...be16(3), ...be16(16), // version, certificate, cipher specs, connection id lengths
    ...cert, 0x07, 0x00, 0xc0, ...zeros(16),
  ]), 0, 11 + cert.length + 3 + 16);
  assert.ok(sh.ok);
  assert.deepEqual([sh.value.version, sh.value.cipher_specs, sh.value.certificate.certificate_count], [2, [0x0700c0], 1]);
  assert.equal(sh.value.certificate.certificates[0]!.issuer, 'CN=Example Root,O=Example CA,C=US');
});

test('20 000 random mutations over five message kinds: no throw, nothing read outside the view, documented anomalies only', () => {
  const special = [0x00, 0x01, 0x02, 0x0b, 0x10, 0x16, 0x2b, 0x33, 0xff, 0x0a, 0x80, 0x30];
  const leaf = certificate();
  const run = { count: 4000, special, anomalyNames: TLS_ANOMALIES };
  runMutations({ ...run, seed: 8446, bases: [CLIENT_HELLO], parse: parseClientHello });
  runMutations({ ...run, seed: 8447, parse: parseServerHello,
    bases: [bytes(be16(0x0303), RANDOM, vec8([]), be16(0x1301), [0], vec16(ext(0x002b, be16(0x0304)), ext(0x0010, vec16(vec8(ascii('h2'))))))] });
  runMutations({ ...run, seed: 8448, bases: [Uint8Array.from(vec24(vec24(leaf), vec24(leaf)))], parse: parseCertificateList });
  runMutations({ ...run, seed: 8449, bases: [handshake(1, CLIENT_HELLO), handshake(11, vec24(vec24(leaf)))], parse: parseHandshake });
  runMutations({ ...run, seed: 8450, bases: [Uint8Array.from([1, 3, 1, 0, 3, 0, 0, 0, 16, 0, 0, 0x2f, ...zeros(16)])], parse: parseSsl2ClientHello });
});

test('the session record takes every field of the hellos (TlsSessionBuilder copies them one by one: a field added to a hello must be added there)', () => {
  const b = new TlsSessionBuilder();
  const ch = clientHello(CLIENT_HELLO);
  b.clientHello(ch);
  const sh = serverHello(bytes(be16(0x0303), RANDOM, vec8(zeros(32)), be16(0x1301), [0], vec16(
    ext(0x002b, be16(0x0304)), ext(0x0033, be16(0x001d), vec16(zeros(32))), ext(0x0010, vec16(vec8(ascii('h2')))),
  )));
  b.serverHello(sh);
  const record: Record<string, unknown> = { ...b.s };
  const clientRenamed: Record<string, string> = { version: 'client_version', session_id_length: 'client_session_id_length', extensions: 'client_extensions', alpn: 'client_alpn' };
  for (const [k, v] of Object.entries(ch)) {
    if (k !== 'anomalies') assert.deepEqual(record[clientRenamed[k] ?? k], v, `ClientHello ${k}`);
  }
  const serverRenamed: Record<string, string> = { version: 'server_version', session_id_length: 'server_session_id_length', extensions: 'server_extensions',
    key_share_group: 'server_key_share_group' };
  for (const [k, v] of Object.entries(sh)) {
    if (k !== 'anomalies' && k !== 'hello_retry_request') assert.deepEqual(record[serverRenamed[k] ?? k], v, `ServerHello ${k}`);
  }
});
