/**
 * Building blocks for the TLS and X.509 unit tests: DER TLVs (X.690 §8) and a certificate built field by field
 * (RFC 5280 §4.1), so each test states the bytes it feeds the parser. Test support only; no parser imports it.
 */

/** A DER length (X.690 §8.1.3: short form below 128, else long form). */
function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV with identifier octet `tag` around the concatenated `content`. */
export function tlv(tag: number, ...content: (number[] | Uint8Array)[]): number[] {
  const body: number[] = [];
  for (const c of content) for (const x of c) body.push(x);
  return [tag, ...derLength(body.length), ...body];
}

export const seq = (...c: (number[] | Uint8Array)[]): number[] => tlv(0x30, ...c);
export const set = (...c: (number[] | Uint8Array)[]): number[] => tlv(0x31, ...c);
/** [n] EXPLICIT / constructed context tag. */
export const ctx = (n: number, ...c: (number[] | Uint8Array)[]): number[] => tlv(0xa0 | n, ...c);
export const bool = (v: boolean): number[] => tlv(0x01, [v ? 0xff : 0x00]);
export const nul = (): number[] => [0x05, 0x00];
/** INTEGER from hex content as sent. */
export const int = (hex: string): number[] => tlv(0x02, [...Buffer.from(hex, 'hex')]);
export const bitString = (...c: (number[] | Uint8Array)[]): number[] => tlv(0x03, [0x00], ...c);
export const octets = (...c: (number[] | Uint8Array)[]): number[] => tlv(0x04, ...c);
export const utf8 = (s: string): number[] => tlv(0x0c, [...Buffer.from(s, 'utf8')]);
export const printable = (s: string): number[] => tlv(0x13, [...Buffer.from(s, 'latin1')]);
export const ia5 = (s: string): number[] => tlv(0x16, [...Buffer.from(s, 'latin1')]);
export const utcTime = (s: string): number[] => tlv(0x17, [...Buffer.from(s, 'latin1')]);
export const generalizedTime = (s: string): number[] => tlv(0x18, [...Buffer.from(s, 'latin1')]);

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(text: string): number[] {
  const arcs = text.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number): void => {
    const groups: number[] = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    out.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, out);
}

/** An AttributeTypeAndValue (type OID, value TLV). */
export const atv = (type: string, value: number[]): number[] => seq(oid(type), value);
/** A Name of single-attribute RDNs, given first RDN first as [OID, value TLV] pairs. */
export const name = (...rdns: [string, number[]][]): number[] => seq(...rdns.map(([t, v]) => set(atv(t, v))));
/** An AlgorithmIdentifier with optional parameters. */
export const algorithm = (o: string, params: number[] = nul()): number[] => seq(oid(o), params);

export const OID = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  EMAIL: '1.2.840.113549.1.9.1',
  RSA: '1.2.840.113549.1.1.1',
  SHA256_RSA: '1.2.840.113549.1.1.11',
  SHA1_RSA: '1.2.840.113549.1.1.5',
  EC: '1.2.840.10045.2.1',
  P256: '1.2.840.10045.3.1.7',
  ECDSA_SHA256: '1.2.840.10045.4.3.2',
  ED25519: '1.3.101.112',
  SAN: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
} as const;

/** A 2048-bit RSA SubjectPublicKeyInfo (modulus 0x00 then 0xC5 and 255 more bytes; exponent 65537). */
export function rsaKey(bits = 2048): number[] {
  const modulus = [0x00, 0xc5, ...new Array<number>(bits / 8 - 1).fill(0x5a)];
  return seq(algorithm(OID.RSA), bitString(seq(tlv(0x02, modulus), int('010001'))));
}

/** Fields of a test certificate; any may be replaced by raw bytes. */
export interface CertParts {
  version?: number[] | null;
  serial?: number[];
  signature?: number[];
  issuer?: number[];
  notBefore?: number[];
  notAfter?: number[];
  subject?: number[];
  spki?: number[];
  extensions?: number[][] | null;
  outerSignature?: number[];
}

/** An Extension (extnID, optional critical, extnValue wrapping `value`). */
export const extension = (o: string, value: number[], critical = false): number[] =>
  seq(oid(o), ...(critical ? [bool(true)] : []), octets(value));

/**
 * A DER certificate: v3, serial 0x0123, sha256WithRSAEncryption, issuer "C=US, O=Example CA, CN=Example Root",
 * validity 2024-01-01 … 2025-01-01, subject "CN=pump.example", 2048-bit RSA, no extensions, unless `p` says otherwise.
 */
export function certificate(p: CertParts = {}): Uint8Array {
  const sig = p.signature ?? algorithm(OID.SHA256_RSA);
  const tbs = seq(
    ...(p.version === null ? [] : [p.version ?? ctx(0, int('02'))]),
    p.serial ?? int('0123'),
    sig,
    p.issuer ?? name([OID.C, printable('US')], [OID.O, printable('Example CA')], [OID.CN, printable('Example Root')]),
    seq(p.notBefore ?? utcTime('240101000000Z'), p.notAfter ?? utcTime('250101000000Z')),
    p.subject ?? name([OID.CN, utf8('pump.example')]),
    p.spki ?? rsaKey(),
    ...(p.extensions ? [ctx(3, seq(...p.extensions))] : []),
  );
  return Uint8Array.from(seq(tbs, p.outerSignature ?? sig, bitString([1, 2, 3, 4])));
}
