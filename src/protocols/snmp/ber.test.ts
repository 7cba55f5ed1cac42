/**
 * Unit tests of the BER reader (ITU-T X.690 §8.1 identifier and length octets, §8.3 INTEGER, §8.19 OBJECT
 * IDENTIFIER) from annotated byte arrays, including every error it reports and its bounds.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { bytes } from '../test-bytes.js';
import { MAX_OID_ARCS, readBigInteger, readInteger, readOid, readTlv, type Tlv } from './ber.js';

/** Reads a TLV and asserts success. */
function tlv(b: Uint8Array, pos = 0, end = b.length): Tlv {
  const r = readTlv(b, pos, end);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.tlv;
}

/** Reads a TLV and returns its error. */
function tlvError(b: Uint8Array, pos = 0, end = b.length): string {
  const r = readTlv(b, pos, end);
  assert.ok(!r.ok, 'expected an error');
  return r.error;
}

test('readTlv: short-form length (§8.1.3.4)', () => {
  const b = bytes([0x04], [0x03], [0x61, 0x62, 0x63], [0xff]); // OCTET STRING, length 3, "abc", then a stray octet
  assert.deepEqual(tlv(b), { tag: 0x04, longTag: false, start: 2, end: 5 });
});

test('readTlv: long-form lengths of 1 and 2 octets (§8.1.3.5), non-minimal accepted as BER allows', () => {
  const one = bytes([0x30], [0x81, 0x80], new Array<number>(0x80).fill(0)); // SEQUENCE, length 128 in one octet
  assert.deepEqual(tlv(one), { tag: 0x30, longTag: false, start: 3, end: 131 });
  const two = bytes([0x30], [0x82, 0x01, 0x00], new Array<number>(256).fill(0)); // length 256 in two octets
  assert.deepEqual(tlv(two), { tag: 0x30, longTag: false, start: 4, end: 260 });
  const padded = bytes([0x02], [0x82, 0x00, 0x01], [0x05]); // length 1 written in two octets (not DER, valid BER)
  assert.deepEqual(tlv(padded), { tag: 0x02, longTag: false, start: 4, end: 5 });
});

test('readTlv: zero length, and a TLV read at an offset within an end', () => {
  const b = bytes([0xaa], [0x05, 0x00], [0xbb]); // junk, NULL, junk
  assert.deepEqual(tlv(b, 1, 3), { tag: 0x05, longTag: false, start: 3, end: 3 });
});

test('readTlv: errors', () => {
  assert.equal(tlvError(bytes([0x30])), 'truncated'); // no length octet
  assert.equal(tlvError(bytes([0x30], [0x05], [1, 2, 3])), 'truncated'); // 5 content octets announced, 3 present
  assert.equal(tlvError(bytes([0x30], [0x80], [0, 0])), 'indefinite_length'); // §8.1.3.6, forbidden in SNMP
  assert.equal(tlvError(bytes([0x30], [0x85, 0, 0, 0, 0, 1], [0])), 'length_too_long'); // 5 length octets
  assert.equal(tlvError(bytes([0x30], [0x82, 0x01])), 'truncated'); // long form cut
  assert.equal(tlvError(bytes([0x9f], [0x21], [0x00])), 'high_tag_number'); // [33]: no SNMP element has it
  assert.equal(tlvError(bytes([0x9f], [0x81, 0x80, 0x80, 0x80, 0x01], [0x00])), 'high_tag_number'); // tag number too long
  assert.equal(tlvError(bytes([0xbf], [0x84])), 'truncated'); // tag number not finished
  assert.equal(tlvError(bytes([0x02], [0x01], [0x07]), 0, 2), 'truncated'); // the end given cuts the contents
});

test('readTlv: a tag below 31 in the high-tag-number form is read as its one-octet form, flagged', () => {
  const b = bytes([0xbf, 0x04], [0x02], [0x05, 0x00]); // [4] constructed written as bf 04 (X.690 §8.1.2.2 forbids it)
  assert.deepEqual(tlv(b), { tag: 0xa4, longTag: true, start: 3, end: 5 });
  const padded = bytes([0xbf, 0x80, 0x04], [0x00]); // and with a leading 0x80 in the tag number
  assert.deepEqual(tlv(padded), { tag: 0xa4, longTag: true, start: 4, end: 4 });
});

test('readInteger / readBigInteger: two\'s complement and unsigned reading (§8.3)', () => {
  const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
  assert.equal(readInteger(b(0x00), 0, 1), 0);
  assert.equal(readInteger(b(0x7f), 0, 1), 127);
  assert.equal(readInteger(b(0x80), 0, 1), -128);
  assert.equal(readInteger(b(0x00, 0x80), 0, 2), 128);
  assert.equal(readInteger(b(0xff, 0xff), 0, 2), -1);
  assert.equal(readInteger(b(0xdd), 0, 1, true), 221); // the sign bit ignored when read as unsigned
  assert.equal(readInteger(b(0x20, 0x7b, 0x2f, 0x72), 0, 4), 544943986);
  assert.equal(readInteger(b(0x80, 0, 0, 0), 0, 4), -2147483648);
  assert.equal(readInteger(b(0x00, 0xff, 0xff, 0xff, 0xff), 0, 5), 4294967295);
  assert.equal(readInteger(b(0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, 7), Number.MAX_SAFE_INTEGER);
  assert.equal(readInteger(b(0x20, 0, 0, 0, 0, 0, 0), 0, 7), null); // 2^53: not a safe integer
  assert.equal(readInteger(b(), 0, 0), null); // no content octets
  const max64 = b(0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); // Counter64 2^64 - 1 with its leading zero
  assert.equal(readBigInteger(max64, 0, 9), 18446744073709551615n);
  assert.equal(readBigInteger(max64, 1, 9, true), 18446744073709551615n); // without the zero, read as unsigned
  assert.equal(readBigInteger(max64, 1, 9), -1n);
  assert.equal(readBigInteger(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 0, 10), null); // 10 octets
});

test('readOid: dotted text, first two arcs from the first sub-identifier (§8.19.4)', () => {
  const oid = (...x: number[]) => readOid(Uint8Array.from(x), 0, x.length);
  assert.deepEqual(oid(0x2b, 6, 1, 2, 1, 1, 1, 0), { ok: true, text: '1.3.6.1.2.1.1.1.0', nonMinimal: false }); // sysDescr.0
  assert.deepEqual(oid(0x01), { ok: true, text: '0.1', nonMinimal: false }); // itu-t 1
  assert.deepEqual(oid(0x28, 0xc4, 0x62, 1, 1, 1, 1, 1, 1, 0), { ok: true, text: '1.0.8802.1.1.1.1.1.1.0', nonMinimal: false }); // LLDP-MIB
  assert.deepEqual(oid(0x88, 0x37, 0x01), { ok: true, text: '2.999.1', nonMinimal: false }); // 0x88 0x37 = 1079 = 80 + 999
  assert.deepEqual(oid(0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f), { ok: true, text: '1.3.4294967295', nonMinimal: false });
  assert.deepEqual(oid(0x2b, 0x80, 0x01), { ok: true, text: '1.3.1', nonMinimal: true }); // redundant leading 0x80 (§8.19.2)
  assert.deepEqual(oid(), { ok: false, error: 'bad_oid' }); // empty
  assert.deepEqual(oid(0x2b, 0x86), { ok: false, error: 'bad_oid' }); // ends inside a sub-identifier
  assert.deepEqual(oid(0x2b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), { ok: false, error: 'bad_oid' }); // arc > 2^53
});

test('readOid: at most MAX_OID_ARCS arcs (RFC 2578 §3.5)', () => {
  const at = (arcs: number) => readOid(Uint8Array.from([0x2b, ...new Array<number>(arcs - 2).fill(1)]), 0, arcs - 1);
  assert.ok(at(MAX_OID_ARCS).ok);
  assert.deepEqual(at(MAX_OID_ARCS + 1), { ok: false, error: 'bad_oid' });
});

test('readOid: never reads outside [start, end)', () => {
  const b = Uint8Array.from([0x86, 0x2b, 0x06, 0x01, 0x86]); // continuation octets either side
  assert.deepEqual(readOid(b, 1, 4), { ok: true, text: '1.3.6.1', nonMinimal: false });
});
