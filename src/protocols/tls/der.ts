/**
 * A bounded reader of ASN.1 DER (ITU-T X.690 §8 BER encoding rules with the §10 DER restrictions), the encoding of
 * X.509 certificates (RFC 5280 §4.1). Pure functions over byte views: a TLV is read from b[start, end) and never
 * beyond; malformed input gives null, never a throw.
 *
 * Covered: identifier octets (§8.1.2, multi-byte tag numbers), definite lengths in short and long form (§8.1.3;
 * indefinite length, forbidden in DER §10.1, is refused), OBJECT IDENTIFIER to dotted text (§8.19), INTEGER to hex
 * and to a bit length (§8.3), UTCTime / GeneralizedTime to ISO 8601 (§11.7, §11.8; RFC 5280 §4.1.2.5).
 */
import { hexText } from '../wire-text.js';

/** Longest length field accepted (4 bytes: a TLV of up to 4 GiB, more than any bounded input here). */
const MAX_LENGTH_OCTETS = 4;
/** Most arcs of an OBJECT IDENTIFIER rendered (longer ones are refused). */
export const MAX_OID_ARCS = 32;

/** Universal tags used by X.509 (X.680 §8.4). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One TLV: its identifier octet (`tag`, the first octet as sent), content b[start, end), and where the next TLV begins. */
export interface Tlv {
  /** The first identifier octet (class, constructed bit and tag number, or 0x1f-form marker). */
  tag: number;
  /** The tag number (decoded from the following octets when the low five bits are all ones). */
  number: number;
  /** True for the constructed form. */
  constructed: boolean;
  /** Where the TLV began (its identifier octet). */
  at: number;
  start: number;
  end: number;
}

/**
 * The TLV at b[p] that must end within `end`, or null (truncated, indefinite length, a length field longer than
 * MAX_LENGTH_OCTETS, or content running past `end`). Non-minimal length encodings (not DER) are accepted.
 */
export function readTlv(b: Uint8Array, p: number, end: number): Tlv | null {
  const at = p;
  if (p >= end) return null;
  const tag = b[p++]!;
  let number = tag & 0x1f;
  if (number === 0x1f) {
    number = 0;
    for (let k = 0; ; k++) {
      if (p >= end || k >= 4) return null;
      const o = b[p++]!;
      number = number * 128 + (o & 0x7f);
      if ((o & 0x80) === 0) break;
    }
  }
  if (p >= end) return null;
  let len = b[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > MAX_LENGTH_OCTETS || p + n > end) return null; // 0: indefinite form (not DER)
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if (len > end - p) return null;
  return { tag, number, constructed: (tag & 0x20) !== 0, at, start: p, end: p + len };
}

/** The children of a constructed TLV, in order; null if one is malformed or they do not fill the content exactly. */
export function children(b: Uint8Array, t: Tlv, max: number): Tlv[] | null {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end) {
    if (out.length >= max) return null;
    const c = readTlv(b, p, t.end);
    if (c === null) return null;
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Dotted-decimal text of OBJECT IDENTIFIER content b[start, end) (X.690 §8.19), or null if malformed. */
export function oidText(b: Uint8Array, start: number, end: number): string | null {
  if (start >= end || b[end - 1]! & 0x80) return null;
  const arcs: number[] = [];
  let v = 0;
  let octets = 0;
  for (let i = start; i < end; i++) {
    const o = b[i]!;
    if (octets === 0 && o === 0x80) return null; // leading 0x80: not minimal (§8.19.2)
    v = v * 128 + (o & 0x7f);
    octets++;
    if (v > Number.MAX_SAFE_INTEGER / 128) return null;
    if ((o & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      if (arcs.length > MAX_OID_ARCS) return null;
      v = 0;
      octets = 0;
    }
  }
  return arcs.join('.');
}

/** Lower-case hex of INTEGER content b[start, end), as sent (a leading 00 of a positive number kept). */
export function integerHex(b: Uint8Array, start: number, end: number): string {
  return hexText(b, start, end);
}

/** Bit length of the unsigned magnitude of INTEGER content b[start, end) (leading zero octets ignored). */
export function integerBits(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && b[i] === 0) i++;
  if (i === end) return 0;
  return (end - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

const DIGITS = /^[0-9]+$/;

/**
 * ISO 8601 text (`YYYY-MM-DDTHH:MM:SSZ`; a fraction kept as sent, an offset as `±HH:MM`, no zone when none was sent) of a UTCTime (`tag` 0x17, two-digit year read per
 * RFC 5280 §4.1.2.5.1: 50–99 → 19YY, else 20YY) or GeneralizedTime (0x18) in b[start, end); `der` is false when the
 * text is not the DER form RFC 5280 requires (seconds present, `Z`, no offset) but was still read; null when unreadable.
 */
export function timeText(b: Uint8Array, tag: number, start: number, end: number): { iso: string; der: boolean } | null {
  if (end - start > 32) return null;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  let year: string;
  let rest: string;
  if (tag === TAG.UTC_TIME) {
    const yy = s.slice(0, 2);
    if (!DIGITS.test(yy)) return null;
    year = `${Number(yy) >= 50 ? '19' : '20'}${yy}`;
    rest = s.slice(2);
  } else if (tag === TAG.GENERALIZED_TIME) {
    year = s.slice(0, 4);
    if (year.length !== 4 || !DIGITS.test(year)) return null;
    rest = s.slice(4);
  } else return null;
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(\.\d+)?(Z|[+-]\d\d\d\d)?$/.exec(rest);
  if (m === null) return null;
  const [, mo, d, h, mi, sec, frac, zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec ?? '0') > 60) return null;
  const fraction = tag === TAG.GENERALIZED_TIME ? frac ?? '' : '';
  if (tag === TAG.UTC_TIME && frac !== undefined) return null;
  const z = zone === undefined ? '' : zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const der = sec !== undefined && zone === 'Z' && frac === undefined;
  return { iso: `${year}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${fraction}${z}`, der };
}
