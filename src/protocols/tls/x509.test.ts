/**
 * Unit tests of the X.509 parser from certificates built field by field (test-der.ts; RFC 5280 §4.1), checked against
 * the RFCs and, where it reads the same thing, Node's own certificate parser (OpenSSL); plus DER edge cases and
 * random-mutation robustness. Corpus-wide agreement with tshark's X.509 dissector is in test/conformance/tls/.
 */
import { strict as assert } from 'node:assert';
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  algorithm, atv, bitString, bool, certificate, ctx, extension, generalizedTime, ia5, int, name, nul, OID, octets, oid, printable,
  rsaKey, seq, set, tlv, utcTime, utf8,
} from './test-der.js';
import { MAX_ALT_NAMES, parseCertificate, X509_ANOMALIES, type X509Certificate } from './x509.js';

/** Parses and asserts success. */
function ok(der: Uint8Array): X509Certificate {
  const r = parseCertificate(der, 0, der.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** A subjectAltName extension value: GeneralNames of [tag, bytes] entries. */
const altNames = (...names: [number, number[]][]): number[] => seq(...names.map(([t, v]) => tlv(t, v)));
const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];

const FULL = certificate({
  serial: int('00f28ea84bc03a07066940ceeaf61efefb'), // positive, leading 00 kept as sent
  extensions: [
    extension(OID.BASIC_CONSTRAINTS, seq(), true), // cA absent → false
    extension(OID.SAN, altNames(
      [0x82, text('pump.example')], // [2] dNSName
      [0x82, text('*.pump.example')],
      [0x87, [10, 1, 2, 3]], // [7] iPAddress IPv4
      [0x87, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]], // IPv6 2001:db8::1
      [0x81, text('biomed@example.org')], // [1] rfc822Name
      [0x86, text('urn:uuid:1234')], // [6] uniformResourceIdentifier
      [0xa4, name([OID.CN, utf8('dir')])], // [4] directoryName: not kept
    )),
  ],
});

test('a v3 RSA certificate: every field, and the same values as Node\'s parser', () => {
  const c = ok(FULL);
  assert.equal(c.version, 3);
  assert.equal(c.serial, '00f28ea84bc03a07066940ceeaf61efefb');
  assert.equal(c.signature_algorithm, 'sha256WithRSAEncryption');
  assert.equal(c.signature_algorithm_oid, OID.SHA256_RSA);
  assert.equal(c.issuer, 'CN=Example Root,O=Example CA,C=US'); // RFC 4514: last RDN first
  assert.equal(c.subject, 'CN=pump.example');
  assert.equal(c.not_before, '2024-01-01T00:00:00Z');
  assert.equal(c.not_after, '2025-01-01T00:00:00Z');
  assert.equal(c.public_key_algorithm, 'rsa');
  assert.equal(c.public_key_bits, 2048);
  assert.equal(c.public_key_curve, null);
  assert.deepEqual(c.san_dns, ['pump.example', '*.pump.example']);
  assert.deepEqual(c.san_ip, ['10.1.2.3', '2001:db8::1']);
  assert.deepEqual(c.san_email, ['biomed@example.org']);
  assert.deepEqual(c.san_uri, ['urn:uuid:1234']);
  assert.equal(c.ca, false);
  assert.equal(c.self_issued, false);
  assert.equal(c.length, FULL.length);
  assert.equal(c.sha256, createHash('sha256').update(FULL).digest('hex'));
  assert.deepEqual(c.anomalies, []);

  const node = new NodeX509(FULL);
  assert.equal(node.serialNumber.toLowerCase().replace(/^0+/, ''), c.serial.replace(/^0+/, ''));
  assert.equal(new Date(node.validTo).toISOString().replace('.000', ''), c.not_after);
  assert.equal(node.issuer.split('\n').reverse().join(','), c.issuer);
  assert.match(node.subjectAltName ?? '', /DNS:pump\.example, DNS:\*\.pump\.example, IP Address:10\.1\.2\.3/);
});

test('EC, Ed25519 and unknown key algorithms; v1 certificate without version or extensions', () => {
  const point = [0x04, ...new Array<number>(64).fill(7)];
  const ec = ok(certificate({ spki: seq(algorithm(OID.EC, oid(OID.P256)), bitString(point)), signature: algorithm(OID.ECDSA_SHA256, []) }));
  assert.equal(ec.public_key_algorithm, 'ec');
  assert.equal(ec.public_key_curve, 'secp256r1');
  assert.equal(ec.public_key_bits, 256);
  assert.equal(ec.signature_algorithm, 'ecdsa-with-SHA256');
  const otherCurve = ok(certificate({ spki: seq(algorithm(OID.EC, oid('1.2.3.4')), bitString(point)) }));
  assert.equal(otherCurve.public_key_curve, '1.2.3.4');
  assert.equal(otherCurve.public_key_bits, 256); // from the uncompressed point length
  const ed = ok(certificate({ spki: seq(seq(oid(OID.ED25519)), bitString(new Array<number>(32).fill(1))) }));
  assert.deepEqual([ed.public_key_algorithm, ed.public_key_bits], ['ed25519', 256]);
  const unknown = ok(certificate({ spki: seq(algorithm('1.2.3.99'), bitString([1])) }));
  assert.deepEqual([unknown.public_key_algorithm, unknown.public_key_bits, unknown.anomalies], ['1.2.3.99', null, []]);
  const v1 = ok(certificate({ version: null }));
  assert.equal(v1.version, 1);
  assert.equal(v1.ca, null);
  assert.deepEqual(v1.san_dns, []);
});

test('RFC 4514 text: escapes, multi-valued RDNs, dotted OIDs with #hex, string types', () => {
  const subject = seq(
    set(atv(OID.C, printable('DE'))),
    set(atv(OID.O, utf8('Müller, Söhne + Co <Med>; "Pumps"\\'))), // , + < > ; " \ escaped with a backslash
    set(atv(OID.OU, utf8('#1 ')), atv(OID.CN, utf8(' lead'))), // multi-valued RDN joined with +; leading #/space, trailing space
    set(atv(OID.CN, utf8('a\u0000b\u0007c'))), // NUL and controls as \hh
    set(atv('1.3.6.1.4.1.311.60.2.1.3', printable('US'))), // no short name: dotted OID, #hex of the BER value
    set(atv(OID.EMAIL, ia5('biomed@example.org'))),
    set(atv(OID.CN, tlv(0x1e, [0x00, 0x41, 0x04, 0x10]))), // BMPString "AА"
    set(atv(OID.CN, tlv(0x14, [0x43, 0x61, 0x66, 0xe9]))), // TeletexString read as Latin-1: "Café"
  );
  const c = ok(certificate({ subject }));
  assert.equal(c.subject, [
    'CN=Café', 'CN=AА', 'emailAddress=biomed@example.org', '1.3.6.1.4.1.311.60.2.1.3=#13025553', 'CN=a\\00b\\07c',
    'OU=\\#1\\ +CN=\\ lead', 'O=Müller\\, Söhne \\+ Co \\<Med\\>\\; \\"Pumps\\"\\\\', 'C=DE',
  ].join(','));
  assert.deepEqual(c.anomalies, []);
  const bad = ok(certificate({ subject: name([OID.CN, printable('caf\u00e9')]) })); // non-ASCII in a PrintableString
  assert.equal(bad.subject, 'CN=café');
  assert.deepEqual(bad.anomalies, ['bad_string']);
});

test('times: UTCTime century rule, GeneralizedTime with a fraction, non-DER and unreadable times', () => {
  const t = (nb: number[], na: number[]): X509Certificate => ok(certificate({ notBefore: nb, notAfter: na }));
  const a = t(utcTime('500101000000Z'), utcTime('491231235959Z')); // RFC 5280 §4.1.2.5.1: 50 → 1950, 49 → 2049
  assert.deepEqual([a.not_before, a.not_after], ['1950-01-01T00:00:00Z', '2049-12-31T23:59:59Z']);
  const g = t(generalizedTime('20500101120000Z'), generalizedTime('20991231235959.5Z'));
  assert.deepEqual([g.not_before, g.not_after, g.anomalies], ['2050-01-01T12:00:00Z', '2099-12-31T23:59:59.5Z', ['non_der_time:not_after']]);
  const n = t(utcTime('2401010000Z'), utcTime('250101000000+0100')); // no seconds; an offset
  assert.deepEqual([n.not_before, n.not_after], ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00+01:00']);
  assert.deepEqual(n.anomalies, ['non_der_time:not_before', 'non_der_time:not_after']);
  const bad = t(utcTime('24130100000Z'), printable('soon'));
  assert.deepEqual([bad.not_before, bad.not_after, bad.anomalies], [null, null, ['bad_time:not_before', 'bad_time:not_after']]);
});

test('extensions: basicConstraints cA, self-issued, duplicates, malformed values, alt-name bound', () => {
  const root = ok(certificate({
    subject: name([OID.C, printable('US')], [OID.O, printable('Example CA')], [OID.CN, printable('Example Root')]),
    extensions: [extension(OID.BASIC_CONSTRAINTS, seq(bool(true), int('00')), true), extension(OID.BASIC_CONSTRAINTS, seq())],
  }));
  assert.equal(root.ca, true);
  assert.equal(root.self_issued, true);
  assert.deepEqual(root.anomalies, [`duplicate_extension:${OID.BASIC_CONSTRAINTS}`]);
  const broken = ok(certificate({ extensions: [extension(OID.SAN, [0x04, 0x00]), extension(OID.BASIC_CONSTRAINTS, [0x02, 0x00])] }));
  assert.deepEqual(broken.anomalies, [`bad_extension_value:${OID.SAN}`, `bad_extension_value:${OID.BASIC_CONSTRAINTS}`]);
  const badIp = ok(certificate({ extensions: [extension(OID.SAN, altNames([0x87, [1, 2, 3]]))] }));
  assert.deepEqual([badIp.san_ip, badIp.anomalies], [[], ['bad_alt_name']]);
  const many = Array.from({ length: MAX_ALT_NAMES + 5 }, (_, i): [number, number[]] => [0x82, text(`h${i}.example`)]);
  const big = ok(certificate({ extensions: [extension(OID.SAN, altNames(...many))] }));
  assert.equal(big.san_dns.length, MAX_ALT_NAMES);
  assert.deepEqual(big.anomalies, ['many_alt_names']);
});

test('structural failures and framing anomalies', () => {
  const fail = (b: number[] | Uint8Array, error: string): void => {
    const r = parseCertificate(Uint8Array.from(b), 0, b.length);
    assert.deepEqual(r, { ok: false, error });
  };
  fail(int('01'), 'not_a_certificate');
  fail([0x30, 0x80, 0x00, 0x00], 'not_a_certificate'); // indefinite length (not DER)
  fail(seq(seq(), algorithm(OID.SHA256_RSA)), 'bad_certificate'); // no signature BIT STRING
  fail(seq(seq(int('01')), algorithm(OID.SHA256_RSA), bitString([])), 'bad_tbs_certificate');
  fail(certificate({ serial: tlv(0x02, []) }), 'bad_serial');
  fail(certificate({ outerSignature: seq(nul()) }), 'bad_signature_algorithm');
  const der = certificate({ serial: int('ff'), signature: algorithm(OID.SHA1_RSA), outerSignature: algorithm(OID.SHA256_RSA) });
  const c = ok(Uint8Array.from([...der, 0, 0]));
  assert.deepEqual(c.anomalies, ['trailing_bytes', 'bad_serial', 'signature_algorithm_mismatch']);
  assert.equal(c.length, der.length);
  assert.deepEqual(ok(certificate({ version: ctx(0, int('07')) })).anomalies, ['bad_version:07']);
  assert.deepEqual(parseCertificate(der, 2, der.length), { ok: false, error: 'bad_bounds' });
});

test('20 000 random mutations: no throw, nothing read outside the view, documented anomalies only', () => {
  const bases = [FULL, certificate({ version: null }), certificate({ spki: seq(algorithm(OID.EC, oid(OID.P256)), bitString([4, 1, 2])) })];
  const parsed = runMutations({
    seed: 5280, bases, count: 20_000, special: [0x30, 0x31, 0x02, 0x06, 0x81, 0x82, 0x80, 0x00, 0xff, 0x17, 0x18, 0xa0, 0xa3],
    parse: parseCertificate, anomalyNames: X509_ANOMALIES,
  });
  assert.ok(parsed > 1000, `only ${parsed} mutations parsed`);
});

test('octets() and bool() builders give the DER the parser expects (sanity of the test helpers)', () => {
  assert.deepEqual(octets([1]), [0x04, 0x01, 0x01]);
  assert.deepEqual(bool(false), [0x01, 0x01, 0x00]);
  assert.deepEqual(rsaKey(1024).slice(0, 2), [0x30, 0x81]);
});
