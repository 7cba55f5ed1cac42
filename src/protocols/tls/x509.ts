/**
 * X.509 certificate parser: one DER certificate (as carried in a TLS ≤ 1.2 Certificate message) → a flat
 * `X509Certificate` record. Pure: no state, no I/O, never throws, never reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 5280 §4.1 (Certificate, TBSCertificate: version, serialNumber, signature, issuer, validity, subject,
 *   subjectPublicKeyInfo, extensions), §4.1.2.5 (UTCTime / GeneralizedTime), §4.2.1.6 (subjectAltName GeneralNames),
 *   §4.2.1.9 (basicConstraints);
 * - RFC 4514 (a distinguished name as text: RDNs last-to-first, `type=value`, multi-valued RDNs joined with `+`,
 *   §2.3 short names for registered types and dotted OIDs with `#`-hex BER values otherwise, §2.4 escaping),
 *   RFC 4519 (the attribute type names), RFC 5280 Appendix A (emailAddress);
 * - RFC 3279 / RFC 4055 / RFC 5480 / RFC 8410 (algorithm identifiers: RSA, RSASSA-PSS, DSA, ECDSA and named curves,
 *   Ed25519 / Ed448 / X25519 / X448), RFC 3447 Appendix A.1.1 (RSAPublicKey);
 * - ITU-T X.690 (DER; read by der.ts).
 *
 * The parser decodes; it does not validate a chain, check a signature or judge a date (an identity collector or a
 * risk rule decides what an expired or self-issued certificate means).
 */
import { createHash } from 'node:crypto';
import { ipv6ToString } from '../../decode/address.js';
import { escapeCodePoint, hexText, utf8CodePointAt, utf8Length } from '../wire-text.js';
import { children, integerBits, integerHex, oidText, readTlv, TAG, type Tlv, timeText } from './der.js';

/** Most relative distinguished names read from one Name; the rest are dropped (`long_name`). */
export const MAX_RDNS = 64;
/** Most attributes read from one RDN (a multi-valued RDN). */
export const MAX_RDN_ATTRIBUTES = 8;
/** Longest attribute value rendered, in characters; a longer one is cut (`long_value`). */
export const MAX_ATTRIBUTE_CHARS = 1024;
/** Most extensions read. */
export const MAX_X509_EXTENSIONS = 64;
/**
 * Most subjectAltName entries kept (all kinds together; CDN certificates carry several hundred); the rest are dropped
 * (`many_alt_names`).
 */
export const MAX_ALT_NAMES = 1024;
/** Longest subjectAltName entry kept, in bytes (a DNS name is at most 253 characters). */
export const MAX_ALT_NAME_BYTES = 1024;
/** Longest serial number accepted, in bytes (RFC 5280 §4.1.2.2 allows 20; some issuers exceed it). */
export const MAX_SERIAL_BYTES = 64;

/** Anomaly names (an entry of `anomalies` is one of these, optionally followed by `:` and a detail). */
export const X509_ANOMALIES = {
  /** The input holds bytes after the certificate's outer SEQUENCE. */
  trailing_bytes: 'bytes after the certificate',
  /** The version is not v1, v2 or v3 (":N" the value sent). */
  bad_version: 'version other than v1, v2, v3',
  /** The serial number is longer than 20 bytes (RFC 5280 §4.1.2.2), zero or negative. */
  bad_serial: 'serial number longer than 20 octets, zero or negative',
  /** The TBSCertificate signature algorithm differs from the outer signatureAlgorithm (RFC 5280 §4.1.1.2). */
  signature_algorithm_mismatch: 'inner and outer signature algorithms differ',
  /** A validity time is not the DER form (seconds and Z required, RFC 5280 §4.1.2.5) but was read (":not_before" / ":not_after"). */
  non_der_time: 'validity time not in DER form',
  /** A validity time could not be read (":not_before" / ":not_after"). */
  bad_time: 'unreadable validity time',
  /** An issuer or subject Name could not be read in full (":issuer" / ":subject"); what was read is kept. */
  bad_name: 'malformed Name',
  /** A Name with more than MAX_RDNS RDNs or an RDN with more than MAX_RDN_ATTRIBUTES attributes (cut). */
  long_name: 'Name with too many RDNs or attributes, cut',
  /** An attribute value longer than MAX_ATTRIBUTE_CHARS characters (cut). */
  long_value: 'attribute value longer than MAX_ATTRIBUTE_CHARS, cut',
  /** A string attribute whose bytes do not fit its type (e.g. non-ASCII in a PrintableString, bad UTF-8): decoded as Latin-1. */
  bad_string: 'string attribute not valid for its type',
  /** The subjectPublicKeyInfo could not be read (key algorithm/size unknown). */
  bad_public_key: 'malformed subjectPublicKeyInfo',
  /** The extensions could not be read in full (what was read is kept). */
  bad_extensions: 'malformed extensions',
  /** More than MAX_X509_EXTENSIONS extensions (the rest not read). */
  too_many_extensions: 'more than MAX_X509_EXTENSIONS extensions',
  /** An extension appears twice (":oid"; RFC 5280 §4.2 forbids it); the first is used. */
  duplicate_extension: 'extension repeated',
  /** The subjectAltName or basicConstraints value could not be read (":oid"). */
  bad_extension_value: 'malformed extension value',
  /** More than MAX_ALT_NAMES subjectAltName entries (the rest not kept). */
  many_alt_names: 'more than MAX_ALT_NAMES subjectAltName entries',
  /** A subjectAltName entry longer than MAX_ALT_NAME_BYTES, or an iPAddress not of 4 or 16 bytes (skipped). */
  bad_alt_name: 'subjectAltName entry too long or malformed',
} as const;

/** An anomaly name. */
export type X509Anomaly = keyof typeof X509_ANOMALIES;

/** One decoded certificate. Absent optional parts are null (or empty lists). */
export interface X509Certificate {
  /** 1, 2 or 3 (v1 when the version field is absent). */
  version: number;
  /** The serial number, lower-case hex of the INTEGER content as sent (a leading 00 kept). */
  serial: string;
  /** The signature algorithm's name (e.g. `sha256WithRSAEncryption`), its dotted OID when not known. */
  signature_algorithm: string;
  /** The signature algorithm's dotted OID (from the outer signatureAlgorithm). */
  signature_algorithm_oid: string;
  /** The issuer Name as RFC 4514 text. */
  issuer: string;
  /** The subject Name as RFC 4514 text. */
  subject: string;
  /** notBefore, ISO 8601 (`2024-01-31T12:00:00Z`); null if unreadable. */
  not_before: string | null;
  /** notAfter, ISO 8601; null if unreadable. */
  not_after: string | null;
  /** `rsa`, `rsa-pss`, `dsa`, `dh`, `ec`, `ed25519`, `ed448`, `x25519`, `x448`, or the dotted OID. */
  public_key_algorithm: string | null;
  /** The public key algorithm's dotted OID. */
  public_key_algorithm_oid: string | null;
  /** Key size in bits: RSA/DSA/DH modulus or prime, EC field size of the named curve (or of the point), EdDSA/ECDH key. */
  public_key_bits: number | null;
  /** The named curve of an EC key (`secp256r1`, …, or its dotted OID). */
  public_key_curve: string | null;
  /** subjectAltName dNSName entries, in order. */
  san_dns: string[];
  /** subjectAltName iPAddress entries as text. */
  san_ip: string[];
  /** subjectAltName rfc822Name entries. */
  san_email: string[];
  /** subjectAltName uniformResourceIdentifier entries. */
  san_uri: string[];
  /** basicConstraints cA (null without the extension). */
  ca: boolean | null;
  /** The issuer Name is byte-identical to the subject Name (a self-issued, usually self-signed, certificate). */
  self_issued: boolean;
  /** Lower-case hex SHA-256 of the whole DER certificate (the usual certificate fingerprint). */
  sha256: string;
  /** Size of the DER certificate in bytes. */
  length: number;
  /** Malformed things met (see X509_ANOMALIES). */
  anomalies: string[];
}

/** Result of parseCertificate. */
export type X509ParseResult = { ok: true; value: X509Certificate } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Object identifier names

/** Signature algorithms (RFC 3279 §2.2, RFC 4055 §5, RFC 5758 §3, RFC 8410 §3). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-sha224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** Public key algorithms (RFC 3279 §2.3, RFC 4055 §1.2, RFC 5480 §2.1.1, RFC 8410 §3). */
const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa-pss',
  '1.2.840.10040.4.1': 'dsa',
  '1.2.840.10046.2.1': 'dh',
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.110': 'x25519',
  '1.3.101.111': 'x448',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
};

/** Key sizes of the fixed-size key algorithms (RFC 8410 §3). */
const FIXED_KEY_BITS: Readonly<Record<string, number>> = { x25519: 256, x448: 448, ed25519: 256, ed448: 456 };

/** Named curves (RFC 5480 §2.1.1.1, RFC 5639 §4.1) with their field size in bits. */
const CURVES: Readonly<Record<string, [string, number]>> = {
  '1.2.840.10045.3.1.1': ['secp192r1', 192],
  '1.3.132.0.33': ['secp224r1', 224],
  '1.2.840.10045.3.1.7': ['secp256r1', 256],
  '1.3.132.0.34': ['secp384r1', 384],
  '1.3.132.0.35': ['secp521r1', 521],
  '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256],
  '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
};

/**
 * Attribute type short names used in RFC 4514 text: the RFC 4514 §3 table, the other RFC 4519 user attribute types
 * and emailAddress (RFC 5280 Appendix A; registered for LDAP by RFC 3280). Other types are written as dotted OIDs.
 */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'givenName',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

// ---------------------------------------------------------------------------------------------------------------
// Strings and names

/** Per-parse state. */
interface Ctx {
  b: Uint8Array;
  anomalies: string[];
}

/** Notes an anomaly once per certificate. */
function note(c: Ctx, a: string): void {
  if (!c.anomalies.includes(a)) c.anomalies.push(a);
}

/** Code points of a directory string's content by its tag, or null if the bytes do not fit the type (any tag). */
function codePoints(b: Uint8Array, t: Tlv): number[] | null {
  const cps: number[] = [];
  const { start, end } = t;
  switch (t.tag) {
    case TAG.UTF8_STRING:
      for (let i = start; i < end; ) {
        if (b[i]! < 0x80) { cps.push(b[i++]!); continue; }
        const cp = utf8CodePointAt(b, i, end);
        if (cp < 0) return null;
        cps.push(cp);
        i += utf8Length(cp);
      }
      return cps;
    case TAG.BMP_STRING:
      if ((end - start) % 2 !== 0) return null;
      for (let i = start; i < end; i += 2) cps.push((b[i]! << 8) | b[i + 1]!);
      return cps;
    case TAG.UNIVERSAL_STRING:
      if ((end - start) % 4 !== 0) return null;
      for (let i = start; i < end; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        if (cp > 0x10ffff) return null;
        cps.push(cp);
      }
      return cps;
    case TAG.TELETEX_STRING: // T.61; certificates in practice put Latin-1 here
      for (let i = start; i < end; i++) cps.push(b[i]!);
      return cps;
    default: // PrintableString, IA5String, VisibleString, NumericString: ASCII
      for (let i = start; i < end; i++) {
        if (b[i]! >= 0x80) return null;
        cps.push(b[i]!);
      }
      return cps;
  }
}

/** The tags of the string types a DirectoryString or email attribute may use. */
const STRING_TAGS = new Set<number>([TAG.UTF8_STRING, TAG.NUMERIC_STRING, TAG.PRINTABLE_STRING, TAG.TELETEX_STRING, TAG.IA5_STRING,
  TAG.VISIBLE_STRING, TAG.UNIVERSAL_STRING, TAG.BMP_STRING]);

/** `\hh` for each UTF-8 byte of code point cp (an RFC 4514 §2.4 hexpair escape). */
function hexEscape(cp: number): string {
  const bytes = Buffer.from(String.fromCodePoint(cp), 'utf8');
  let s = '';
  for (const x of bytes) s += `\\${x.toString(16).padStart(2, '0')}`;
  return s;
}

/**
 * RFC 4514 §2.4 text of a string value: `"+,;<>\` escaped with a backslash, a leading `#` or space and a trailing
 * space escaped, NUL, control characters, unpaired surrogates and invisible or reordering characters (see
 * wire-text.ts escapeCodePoint) written as `\hh` hexpairs of their UTF-8 bytes.
 */
function escapeValue(cps: readonly number[]): string {
  let s = '';
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    if (cp === 0x5c || cp === 0x22 || cp === 0x2b || cp === 0x2c || cp === 0x3b || cp === 0x3c || cp === 0x3e) s += `\\${String.fromCharCode(cp)}`;
    else if ((i === 0 && (cp === 0x23 || cp === 0x20)) || (i === cps.length - 1 && cp === 0x20)) s += `\\${String.fromCharCode(cp)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) s += hexEscapeSurrogate(cp);
    else if (escapeCodePoint(cp) !== null) s += hexEscape(cp);
    else s += String.fromCodePoint(cp);
  }
  return s;
}

/** A lone surrogate (only from BMPString) has no UTF-8 form: written as its two code-unit bytes `\hh\hh`. */
function hexEscapeSurrogate(cp: number): string {
  return `\\${(cp >> 8).toString(16)}\\${(cp & 0xff).toString(16).padStart(2, '0')}`;
}

/** One `type=value` of an AttributeTypeAndValue TLV, or null if malformed. */
function attributeText(c: Ctx, atv: Tlv): string | null {
  const parts = children(c.b, atv, 2);
  if (parts === null || parts.length !== 2 || parts[0]!.tag !== TAG.OID) return null;
  const oid = oidText(c.b, parts[0]!.start, parts[0]!.end);
  if (oid === null) return null;
  const v = parts[1]!;
  const name = ATTRIBUTE_NAMES[oid];
  if (name === undefined || !STRING_TAGS.has(v.tag)) {
    // RFC 4514 §2.4: a type without a registered short name, or a value that is not a string, as #hex of its BER.
    return `${name ?? oid}=#${hexText(c.b, v.at, v.end)}`;
  }
  let cps = codePoints(c.b, v);
  if (cps === null) {
    note(c, 'bad_string');
    cps = [];
    for (let i = v.start; i < v.end; i++) cps.push(c.b[i]!);
  }
  if (cps.length > MAX_ATTRIBUTE_CHARS) {
    note(c, 'long_value');
    cps = cps.slice(0, MAX_ATTRIBUTE_CHARS);
  }
  return `${name}=${escapeValue(cps)}`;
}

/** RFC 4514 text of a Name TLV (RDNSequence), last RDN first; `what` names it in anomalies. */
function nameText(c: Ctx, name: Tlv, what: string): string {
  const rdns: string[] = [];
  let p = name.start;
  let bad = name.tag !== TAG.SEQUENCE;
  while (!bad && p < name.end) {
    if (rdns.length >= MAX_RDNS) { note(c, 'long_name'); break; }
    const rdn = readTlv(c.b, p, name.end);
    if (rdn === null || rdn.tag !== TAG.SET) { bad = true; break; }
    p = rdn.end;
    const attrs: string[] = [];
    let q = rdn.start;
    while (q < rdn.end) {
      if (attrs.length >= MAX_RDN_ATTRIBUTES) { note(c, 'long_name'); break; }
      const atv = readTlv(c.b, q, rdn.end);
      const text = atv !== null && atv.tag === TAG.SEQUENCE ? attributeText(c, atv) : null;
      if (atv === null || text === null) { bad = true; break; }
      attrs.push(text);
      q = atv.end;
    }
    if (attrs.length > 0) rdns.push(attrs.join('+'));
  }
  if (bad) note(c, `bad_name:${what}`);
  return rdns.reverse().join(',');
}

// ---------------------------------------------------------------------------------------------------------------
// Public key and extensions

/** The named parts of a subjectPublicKeyInfo. */
interface PublicKey {
  algorithm: string | null;
  oid: string | null;
  bits: number | null;
  curve: string | null;
}

/** Bit length of the first INTEGER inside a SEQUENCE held in b[start, end) (RSAPublicKey modulus, DSA/DH p), or null. */
function firstIntegerBits(b: Uint8Array, start: number, end: number): number | null {
  const seq = readTlv(b, start, end);
  if (seq === null || seq.tag !== TAG.SEQUENCE) return null;
  const n = readTlv(b, seq.start, seq.end);
  return n !== null && n.tag === TAG.INTEGER ? integerBits(b, n.start, n.end) : null;
}

/** Decodes a subjectPublicKeyInfo TLV (RFC 5280 §4.1.2.7). */
function publicKey(c: Ctx, spki: Tlv): PublicKey {
  const none: PublicKey = { algorithm: null, oid: null, bits: null, curve: null };
  const parts = spki.tag === TAG.SEQUENCE ? children(c.b, spki, 2) : null;
  const alg = parts?.[0];
  const key = parts?.[1];
  if (!parts || parts.length !== 2 || alg!.tag !== TAG.SEQUENCE || key!.tag !== TAG.BIT_STRING || key!.end <= key!.start) {
    note(c, 'bad_public_key');
    return none;
  }
  const algOid = readTlv(c.b, alg!.start, alg!.end);
  const oid = algOid !== null && algOid.tag === TAG.OID ? oidText(c.b, algOid.start, algOid.end) : null;
  if (oid === null) {
    note(c, 'bad_public_key');
    return none;
  }
  const params = readTlv(c.b, algOid!.end, alg!.end);
  const algorithm = KEY_ALGORITHMS[oid] ?? oid;
  const keyStart = key!.start + 1; // the unused-bits octet of the BIT STRING
  let bits: number | null = FIXED_KEY_BITS[algorithm] ?? null;
  let curve: string | null = null;
  if (algorithm === 'rsa' || algorithm === 'rsa-pss') bits = firstIntegerBits(c.b, keyStart, key!.end);
  else if ((algorithm === 'dsa' || algorithm === 'dh') && params !== null) bits = firstIntegerBits(c.b, params.at, params.end);
  else if (algorithm === 'ec') {
    const curveOid = params !== null && params.tag === TAG.OID ? oidText(c.b, params.start, params.end) : null;
    const known = curveOid === null ? undefined : CURVES[curveOid];
    curve = known?.[0] ?? curveOid;
    // Without a known curve, the field size from an uncompressed point 04 || X || Y (SEC 1 §2.3.3).
    const pointLen = key!.end - keyStart;
    bits = known?.[1] ?? (c.b[keyStart] === 0x04 && pointLen > 1 && pointLen % 2 === 1 ? ((pointLen - 1) / 2) * 8 : null);
  }
  if (bits === null && !(algorithm in FIXED_KEY_BITS) && algorithm !== oid) note(c, 'bad_public_key');
  return { algorithm, oid, bits, curve };
}

/** The subjectAltName lists. */
interface AltNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
}

/** Text of an iPAddress GeneralName (4 or 16 bytes), or null. */
function ipText(b: Uint8Array, t: Tlv): string | null {
  const n = t.end - t.start;
  if (n === 4) return `${b[t.start]}.${b[t.start + 1]}.${b[t.start + 2]}.${b[t.start + 3]}`;
  if (n !== 16) return null;
  const w: number[] = [];
  for (let i = 0; i < 4; i++) {
    const o = t.start + 4 * i;
    w.push(((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0);
  }
  return ipv6ToString(w);
}

/** IA5String content as text (non-ASCII bytes escaped as by wire-text, so the value stays printable). */
function ia5Text(b: Uint8Array, t: Tlv): string {
  let s = '';
  for (let i = t.start; i < t.end; i++) {
    const x = b[i]!;
    s += escapeCodePoint(x) ?? String.fromCharCode(x);
  }
  return s;
}

/** Reads the GeneralNames of a subjectAltName value (RFC 5280 §4.2.1.6) into `out`. */
function altNames(c: Ctx, value: Tlv, out: AltNames): void {
  const seq = readTlv(c.b, value.start, value.end);
  if (seq === null || seq.tag !== TAG.SEQUENCE || seq.end !== value.end) {
    note(c, `bad_extension_value:${OID_SUBJECT_ALT_NAME}`);
    return;
  }
  let kept = out.dns.length + out.ip.length + out.email.length + out.uri.length;
  for (let p = seq.start; p < seq.end; ) {
    const g = readTlv(c.b, p, seq.end);
    if (g === null) { note(c, `bad_extension_value:${OID_SUBJECT_ALT_NAME}`); return; }
    p = g.end;
    const kind = g.tag; // context-specific, primitive: [1] rfc822Name, [2] dNSName, [6] URI, [7] iPAddress
    if (kind !== 0x81 && kind !== 0x82 && kind !== 0x86 && kind !== 0x87) continue;
    if (kept >= MAX_ALT_NAMES) { note(c, 'many_alt_names'); continue; }
    if (g.end - g.start > MAX_ALT_NAME_BYTES) { note(c, 'bad_alt_name'); continue; }
    if (kind === 0x87) {
      const ip = ipText(c.b, g);
      if (ip === null) { note(c, 'bad_alt_name'); continue; }
      out.ip.push(ip);
    } else (kind === 0x82 ? out.dns : kind === 0x81 ? out.email : out.uri).push(ia5Text(c.b, g));
    kept++;
  }
}

/** basicConstraints cA (RFC 5280 §4.2.1.9): false when absent from the SEQUENCE; null when malformed. */
function basicConstraintsCa(c: Ctx, value: Tlv): boolean | null {
  const seq = readTlv(c.b, value.start, value.end);
  if (seq === null || seq.tag !== TAG.SEQUENCE) {
    note(c, `bad_extension_value:${OID_BASIC_CONSTRAINTS}`);
    return null;
  }
  const first = readTlv(c.b, seq.start, seq.end);
  if (first === null || first.tag !== TAG.BOOLEAN) return false;
  return first.end - first.start === 1 && c.b[first.start] !== 0;
}

/** What the extensions give. */
interface ExtensionFacts {
  alt: AltNames;
  ca: boolean | null;
}

/** Reads the [3] extensions TLV (RFC 5280 §4.1.2.9). */
function extensions(c: Ctx, wrapper: Tlv): ExtensionFacts {
  const facts: ExtensionFacts = { alt: { dns: [], ip: [], email: [], uri: [] }, ca: null };
  const seq = readTlv(c.b, wrapper.start, wrapper.end);
  if (seq === null || seq.tag !== TAG.SEQUENCE) {
    note(c, 'bad_extensions');
    return facts;
  }
  const seen = new Set<string>();
  let p = seq.start;
  for (let n = 0; p < seq.end; n++) {
    if (n >= MAX_X509_EXTENSIONS) { note(c, 'too_many_extensions'); break; }
    const ext = readTlv(c.b, p, seq.end);
    const parts = ext !== null && ext.tag === TAG.SEQUENCE ? children(c.b, ext, 3) : null;
    const id = parts?.[0];
    const value = parts?.[parts.length - 1];
    const oid = id && id.tag === TAG.OID ? oidText(c.b, id.start, id.end) : null;
    if (ext === null || parts === null || parts.length < 2 || oid === null || value!.tag !== TAG.OCTET_STRING) { note(c, 'bad_extensions'); break; }
    p = ext.end;
    if (seen.has(oid)) { note(c, `duplicate_extension:${oid}`); continue; }
    seen.add(oid);
    if (oid === OID_SUBJECT_ALT_NAME) altNames(c, value!, facts.alt);
    else if (oid === OID_BASIC_CONSTRAINTS) facts.ca = basicConstraintsCa(c, value!);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------------------------
// The certificate

/** The dotted OID of an AlgorithmIdentifier SEQUENCE, or null. */
function algorithmOid(b: Uint8Array, t: Tlv | undefined): string | null {
  if (t === undefined || t.tag !== TAG.SEQUENCE) return null;
  const id = readTlv(b, t.start, t.end);
  return id !== null && id.tag === TAG.OID ? oidText(b, id.start, id.end) : null;
}

/** Equal bytes in two ranges. */
function sameBytes(b: Uint8Array, x: Tlv, y: Tlv): boolean {
  if (x.end - x.at !== y.end - y.at) return false;
  for (let i = 0; i < x.end - x.at; i++) if (b[x.at + i] !== b[y.at + i]) return false;
  return true;
}

/** Reads a validity time TLV into ISO text, noting anomalies under `what`. */
function validityTime(c: Ctx, t: Tlv | undefined, what: string): string | null {
  const r = t === undefined ? null : timeText(c.b, t.tag, t.start, t.end);
  if (r === null) {
    note(c, `bad_time:${what}`);
    return null;
  }
  if (!r.der) note(c, `non_der_time:${what}`);
  return r.iso;
}

/**
 * Parses one DER certificate from b[off, off+len).
 *
 * Fails (`ok: false`) when the outer structure cannot be read (not a SEQUENCE of TBSCertificate, AlgorithmIdentifier
 * and BIT STRING; a TBSCertificate without serial, signature, issuer, validity, subject and subjectPublicKeyInfo);
 * a malformed part inside a readable structure is an anomaly. Never throws, never reads outside b[off, off+len).
 */
export function parseCertificate(b: Uint8Array, off: number, len: number): X509ParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const m = b.subarray(off, off + len);
  const c: Ctx = { b: m, anomalies: [] };
  const outer = readTlv(m, 0, m.length);
  if (outer === null || outer.tag !== TAG.SEQUENCE) return { ok: false, error: 'not_a_certificate' };
  if (outer.end !== m.length) note(c, 'trailing_bytes');
  const top = children(m, outer, 3);
  if (top === null || top.length !== 3 || top[0]!.tag !== TAG.SEQUENCE || top[2]!.tag !== TAG.BIT_STRING) return { ok: false, error: 'bad_certificate' };
  const tbs = children(m, top[0]!, 16);
  if (tbs === null) return { ok: false, error: 'bad_tbs_certificate' };
  let i = 0;
  let version = 1;
  if (tbs[0]?.tag === 0xa0) {
    const v = readTlv(m, tbs[0].start, tbs[0].end);
    if (v === null || v.tag !== TAG.INTEGER || v.end - v.start !== 1 || m[v.start]! > 2) note(c, `bad_version:${v === null ? '?' : integerHex(m, v.start, v.end)}`);
    else version = m[v.start]! + 1;
    i = 1;
  }
  const [serial, sig, issuer, validity, subject, spki] = tbs.slice(i, i + 6);
  if (spki === undefined || serial!.tag !== TAG.INTEGER || validity!.tag !== TAG.SEQUENCE) return { ok: false, error: 'bad_tbs_certificate' };
  const serialLen = serial!.end - serial!.start;
  if (serialLen === 0 || serialLen > MAX_SERIAL_BYTES) return { ok: false, error: 'bad_serial' };
  if (serialLen > 21 || (serialLen === 21 && m[serial!.start] !== 0) || m[serial!.start]! & 0x80 || (serialLen === 1 && m[serial!.start] === 0)) note(c, 'bad_serial');
  const sigOid = algorithmOid(m, top[1]);
  if (sigOid === null) return { ok: false, error: 'bad_signature_algorithm' };
  if (algorithmOid(m, sig) !== sigOid) note(c, 'signature_algorithm_mismatch');
  const times = children(m, validity!, 2);
  const key = publicKey(c, spki);
  const rest = tbs.slice(i + 6);
  const extTlv = rest.find((t) => t.tag === 0xa3);
  const ext = extTlv === undefined ? null : extensions(c, extTlv);
  return {
    ok: true,
    value: {
      version,
      serial: integerHex(m, serial!.start, serial!.end),
      signature_algorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
      signature_algorithm_oid: sigOid,
      issuer: nameText(c, issuer!, 'issuer'),
      subject: nameText(c, subject!, 'subject'),
      not_before: validityTime(c, times?.[0], 'not_before'),
      not_after: validityTime(c, times?.[1], 'not_after'),
      public_key_algorithm: key.algorithm,
      public_key_algorithm_oid: key.oid,
      public_key_bits: key.bits,
      public_key_curve: key.curve,
      san_dns: ext?.alt.dns ?? [],
      san_ip: ext?.alt.ip ?? [],
      san_email: ext?.alt.email ?? [],
      san_uri: ext?.alt.uri ?? [],
      ca: ext?.ca ?? null,
      self_issued: sameBytes(m, issuer!, subject!),
      sha256: createHash('sha256').update(m.subarray(0, outer.end)).digest('hex'),
      length: outer.end,
      anomalies: c.anomalies,
    },
  };
}
