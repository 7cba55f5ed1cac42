/**
 * Unit tests of the hello fingerprints against the worked examples of their specifications: FoxIO JA4.md ("Cipher
 * hash", "Extension hash", "Example", "Raw Output") and JA4S.md, RFC 8701 GREASE values, and the JA3 string layout
 * (Salesforce JA3 README). Corpus-wide agreement with FoxIO's tools and tshark is in test/conformance/tls/.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { alpnChars, type ClientHelloPrint, clientPrints, isGrease, ja3, ja3s, ja4, ja4s, serverPrints } from './fingerprint.js';

const hex = (s: string): number[] => s.split(',').map((x) => parseInt(x, 16));
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** The ClientHello of JA4.md's example: 15 ciphers, 16 extensions (wire order), h2, 8 signature algorithms. */
const SPEC_HELLO: ClientHelloPrint = {
  version: 0x0303,
  cipher_suites: [0x0a0a, ...hex('1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035')], // GREASE first, as Chrome sends
  extensions: [0x1a1a, ...hex('001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015'), 0x2a2a],
  supported_groups: [0x3a3a, 0x001d, 0x0017],
  ec_point_formats: [0],
  signature_algorithms: hex('0403,0804,0401,0503,0805,0501,0806,0601'),
  supported_versions: [0x4a4a, 0x0304, 0x0303],
  alpnFirst: ascii('h2'),
};

test('GREASE values are the sixteen 0x?A?A code points with equal bytes (RFC 8701 §2)', () => {
  const grease = [];
  for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) grease.push(v);
  assert.deepEqual(grease, [0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea, 0xfafa]);
});

test('JA4 of the JA4.md example: t13d1516h2_8daaf6152771_e5627efa2ab1, with its raw and original forms', () => {
  const p = ja4(SPEC_HELLO);
  assert.equal(p.ja4, 't13d1516h2_8daaf6152771_e5627efa2ab1');
  assert.equal(p.ja4_r, 't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_' +
    '0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601');
  assert.equal(p.ja4_ro, 't13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_' +
    '001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601');
  assert.equal(p.ja4_o, 't13d1516h2_acb858a92679_18f69afefd3d');
});

test('JA4: no signature algorithms means no "_" before the hash (JA4.md: ... = 6d807ffa2a79)', () => {
  const p = ja4({ ...SPEC_HELLO, signature_algorithms: [] });
  assert.equal(p.ja4.split('_')[2], '6d807ffa2a79');
  assert.ok(p.ja4_r.endsWith('_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01'));
});

test('JA4: no SNI → "i", no ALPN → "00", legacy version without supported_versions, counts capped at 99, empty lists hash to zeros', () => {
  const p = ja4({ version: 0x0301, cipher_suites: Array.from({ length: 120 }, (_, i) => i + 1), extensions: [], supported_groups: [],
    ec_point_formats: [], signature_algorithms: [], supported_versions: [], alpnFirst: null });
  assert.match(p.ja4, /^t10i990000_[0-9a-f]{12}_000000000000$/);
  assert.equal(ja4({ ...SPEC_HELLO, cipher_suites: [0x0a0a], extensions: [0x0000, 0x0010] }).ja4, 't13d0002h2_000000000000_000000000000');
  assert.equal(ja4({ ...SPEC_HELLO, supported_versions: [], version: 0x0300 }).ja4.slice(0, 3), 'ts3');
  assert.equal(ja4({ ...SPEC_HELLO, supported_versions: [0x7f1c] }).ja4.slice(0, 3), 't00');
});

test('JA4 ALPN characters: alphanumeric ends as is, otherwise the first and last hex digits (JA4.md examples)', () => {
  assert.equal(alpnChars(ascii('http/1.1')), 'h1');
  assert.equal(alpnChars(ascii('h')), 'hh');
  assert.equal(alpnChars(new Uint8Array(0)), '00');
  assert.equal(alpnChars(null), '00');
  assert.equal(alpnChars(Uint8Array.from([0xab])), 'ab');
  assert.equal(alpnChars(Uint8Array.from([0xab, 0xcd])), 'ad');
  assert.equal(alpnChars(Uint8Array.from([0x30, 0xab])), '3b');
  assert.equal(alpnChars(Uint8Array.from([0x30, 0x31, 0xab, 0xcd])), '3d');
  assert.equal(alpnChars(Uint8Array.from([0x30, 0xab, 0xcd, 0x31])), '01');
});

test('JA4S of the JA4S.md example: t120400_c030_4e8089b08790', () => {
  const p = ja4s({ version: 0x0303, cipher_suite: 0xc030, extensions: hex('0005,0017,ff01,0000'), selected_version: null, alpn: null });
  assert.equal(p.ja4s, 't120400_c030_4e8089b08790');
  assert.equal(p.ja4s_r, 't120400_c030_0005,0017,ff01,0000');
  const t13 = ja4s({ version: 0x0303, cipher_suite: 0x1301, extensions: [0x002b, 0x0033], selected_version: 0x0304, alpn: ascii('h2') });
  assert.equal(t13.ja4s_r, 't1302h2_1301_002b,0033');
});

test('JA3: decimal fields joined with "-" and ",", GREASE dropped from ciphers, extensions and groups; JA3S likewise', () => {
  const j = ja3(SPEC_HELLO);
  assert.equal(j.string, '771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,' +
    '27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0');
  assert.equal(j.hash, createHash('md5').update(j.string).digest('hex'));
  assert.equal(ja3({ ...SPEC_HELLO, cipher_suites: [], extensions: [], supported_groups: [], ec_point_formats: [] }).string, '771,,,,');
  const s = ja3s({ version: 0x0303, cipher_suite: 0xc02f, extensions: [0xff01, 0x0b, 0x0a0a], selected_version: null, alpn: null });
  assert.equal(s.string, '771,49199,65281-11');
});

test('remembered prints equal the computed ones, and differ when any value the methods read differs', () => {
  const variants: ClientHelloPrint[] = [
    SPEC_HELLO,
    { ...SPEC_HELLO, alpnFirst: ascii('h3') },
    { ...SPEC_HELLO, alpnFirst: null },
    { ...SPEC_HELLO, signature_algorithms: SPEC_HELLO.signature_algorithms.slice(1) },
    { ...SPEC_HELLO, supported_versions: [0x0303] },
    { ...SPEC_HELLO, ec_point_formats: [] },
    { ...SPEC_HELLO, supported_groups: [0x001d] },
    { ...SPEC_HELLO, cipher_suites: SPEC_HELLO.cipher_suites.slice(0, -1), extensions: [...SPEC_HELLO.extensions, 0x0035] },
  ];
  for (const v of variants) {
    for (let round = 0; round < 2; round++) assert.deepEqual(clientPrints(v), { ja3: ja3(v), ja4: ja4(v) });
  }
  assert.equal(new Set(variants.map((v) => clientPrints(v).ja4.ja4_ro + clientPrints(v).ja3.string)).size, variants.length);
  const server = { version: 0x0303, cipher_suite: 0x1301, extensions: [0x002b, 0x0033], selected_version: 0x0304, alpn: ascii('h2') };
  for (const s of [server, { ...server, selected_version: null }, { ...server, alpn: null }, { ...server, cipher_suite: 0x1302 }]) {
    assert.deepEqual(serverPrints(s), { ja3s: ja3s(s), ja4s: ja4s(s) });
  }
});
