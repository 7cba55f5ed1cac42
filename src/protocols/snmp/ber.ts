/**
 * A bounded reader of ASN.1 Basic Encoding Rules (ITU-T X.690), the subset SNMP messages use: low-tag-number
 * identifiers (X.690 §8.1.2.2), definite lengths in short or long form (§8.1.3.4, §8.1.3.5) of at most
 * MAX_LENGTH_OCTETS octets, INTEGER contents (§8.3) and OBJECT IDENTIFIER contents (§8.19). Pure functions over byte
 * views: they never throw and never read outside the [start, end) they are given. Decoding errors are returned as
 * values (BerError), for the caller to turn into anomalies.
 *
 * The high-tag-number form (§8.1.2.4) is read only for tag numbers below 31, which §8.1.2.2 says must use one octet
 * (an evasion seen in the wild: `bf 04` for the Trap-PDU [4]); the TLV is flagged `longTag`.
 *
 * Not supported (an error, not a guess): the indefinite length form (§8.1.3.6; SNMP forbids it, RFC 3417 §8 "only
 * the definite form of length encoding is used"), tag numbers of 31 and above (no SNMP type uses them), lengths
 * needing more than 4 octets.
 */

/** Most octets of a long-form length (4: lengths up to 2^32 - 1, far beyond any UDP datagram). */
export const MAX_LENGTH_OCTETS = 4;
/** Most subsequent octets of a high-tag-number identifier read (X.690 §8.1.2.4). */
export const MAX_TAG_OCTETS = 4;
/** Most content octets of an INTEGER decoded (9: a 64-bit unsigned value with its leading zero, e.g. Counter64). */
export const MAX_INTEGER_OCTETS = 9;
/** Most sub-identifiers of an OBJECT IDENTIFIER (RFC 2578 §3.5: at most 128 in SNMP). */
export const MAX_OID_ARCS = 128;

/** Why a TLV, integer or OID could not be decoded. */
export type BerError =
  /** The identifier or length octets are missing, or the contents run past the enclosing end. */
  | 'truncated'
  /** The indefinite length form (0x80). */
  | 'indefinite_length'
  /** A long-form length with more than MAX_LENGTH_OCTETS octets. */
  | 'length_too_long'
  /** A tag number of 31 or more (high-tag-number form), or a high-tag-number form longer than MAX_TAG_OCTETS. */
  | 'high_tag_number'
  /** An INTEGER with no content octets, or more than MAX_INTEGER_OCTETS. */
  | 'bad_integer'
  /** An OID that is empty, ends inside a sub-identifier, has more than MAX_OID_ARCS arcs or an arc above 2^53. */
  | 'bad_oid';

/** One TLV: its identifier octet and where its contents lie. */
export interface Tlv {
  /**
   * The identifier octet: class, constructed bit and tag number, e.g. 0x30 SEQUENCE, 0xa2 GetResponse (for a tag
   * sent in the high-tag-number form, the one octet it should have been).
   */
  tag: number;
  /** The tag was sent in the high-tag-number form although its number is below 31 (X.690 §8.1.2.2). */
  longTag: boolean;
  /** First content octet. */
  start: number;
  /** One past the last content octet. */
  end: number;
}

/** Result of readTlv. */
export type TlvResult = { ok: true; tlv: Tlv } | { ok: false; error: BerError };

/** Universal tags (X.690 §8 / X.680 §8.4) and SNMP application tags (RFC 2578 §7.1, RFC 3416 §3) used by SNMP. */
export const BER_TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
} as const;

/**
 * Reads the TLV starting at b[pos], whose contents must end by `end`.
 * Never reads at or past `end`.
 */
export function readTlv(b: Uint8Array, pos: number, end: number): TlvResult {
  if (pos + 2 > end) return { ok: false, error: 'truncated' };
  let tag = b[pos]!;
  let p = pos + 1;
  const longTag = (tag & 0x1f) === 0x1f;
  if (longTag) {
    // High-tag-number form: base-128 tag number in the following octets, the last with bit 8 clear.
    let n = 0;
    for (let k = 0; ; k++) {
      if (k === MAX_TAG_OCTETS) return { ok: false, error: 'high_tag_number' };
      if (p >= end) return { ok: false, error: 'truncated' };
      const c = b[p++]!;
      n = n * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) break;
    }
    if (n >= 31) return { ok: false, error: 'high_tag_number' };
    tag = (tag & 0xe0) | n;
    if (p >= end) return { ok: false, error: 'truncated' };
  }
  const first = b[p]!;
  p++;
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) return { ok: false, error: 'indefinite_length' };
  else {
    const n = first & 0x7f;
    if (n > MAX_LENGTH_OCTETS) return { ok: false, error: 'length_too_long' };
    if (p + n > end) return { ok: false, error: 'truncated' };
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + b[p + i]!;
    p += n;
  }
  if (length > end - p) return { ok: false, error: 'truncated' };
  return { ok: true, tlv: { tag, longTag, start: p, end: p + length } };
}

/**
 * The two's-complement INTEGER in b[start, end) (X.690 §8.3), as a bigint; `unsigned` reads the octets as a plain
 * unsigned number instead (for Counter32, Gauge32, TimeTicks, Counter64, which some agents encode without the
 * leading zero octet X.690 requires). Null when there are no octets or more than MAX_INTEGER_OCTETS.
 */
export function readBigInteger(b: Uint8Array, start: number, end: number, unsigned = false): bigint | null {
  const n = end - start;
  if (n <= 0 || n > MAX_INTEGER_OCTETS) return null;
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(b[i]!);
  if (!unsigned && (b[start]! & 0x80) !== 0) v -= 1n << BigInt(8 * n);
  return v;
}

/**
 * The INTEGER in b[start, end) as a number, or null when it has no octets, more than MAX_INTEGER_OCTETS or a value
 * outside the safe integer range.
 */
export function readInteger(b: Uint8Array, start: number, end: number, unsigned = false): number | null {
  const n = end - start;
  if (n > 0 && n <= 6) {
    // Fast path: at most 48 bits, exact in a double.
    let v = 0;
    for (let i = start; i < end; i++) v = v * 256 + b[i]!;
    if (!unsigned && (b[start]! & 0x80) !== 0) v -= 2 ** (8 * n);
    return v;
  }
  const big = readBigInteger(b, start, end, unsigned);
  if (big === null || big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  return Number(big);
}

/** A decoded OID: its dotted text and whether a sub-identifier had a redundant leading 0x80 octet (X.690 §8.19.2). */
export type OidResult = { ok: true; text: string; nonMinimal: boolean } | { ok: false; error: BerError };

/** Largest arc value before the next base-128 step could leave the safe integer range. */
const MAX_ARC_BEFORE_SHIFT = 2 ** 46;

/**
 * The OBJECT IDENTIFIER contents b[start, end) as dotted text (X.690 §8.19): base-128 sub-identifiers, the first
 * standing for the two first arcs (X·40 + Y, X being 0, 1 or 2).
 */
export function readOid(b: Uint8Array, start: number, end: number): OidResult {
  if (start >= end) return { ok: false, error: 'bad_oid' };
  const arcs: number[] = [];
  let nonMinimal = false;
  let v = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (fresh && c === 0x80) nonMinimal = true;
    fresh = false;
    if (v >= MAX_ARC_BEFORE_SHIFT) return { ok: false, error: 'bad_oid' };
    v = v * 128 + (c & 0x7f);
    if ((c & 0x80) !== 0) continue;
    if (arcs.length === 0) {
      if (v < 80) arcs.push(Math.floor(v / 40), v % 40);
      else arcs.push(2, v - 80);
    } else arcs.push(v);
    if (arcs.length > MAX_OID_ARCS) return { ok: false, error: 'bad_oid' };
    v = 0;
    fresh = true;
  }
  if (!fresh) return { ok: false, error: 'bad_oid' }; // the last octet had its continuation bit set
  return { ok: true, text: arcs.join('.'), nonMinimal };
}
