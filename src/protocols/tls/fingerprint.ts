/**
 * TLS hello fingerprints, computed from the values a ClientHello or ServerHello carries: JA3 and JA3S (Salesforce,
 * md5 of a decimal field string) and JA4 and JA4S (FoxIO JA4+ technical details, JA4.md and JA4S.md: a readable
 * prefix and truncated SHA-256 hashes of hex lists). Pure functions; GREASE values (RFC 8701 §2: 0x?A?A with equal
 * bytes) are left out wherever the methods say so.
 *
 * JA3 string: `version,ciphers,extensions,groups,point_formats` (decimal values joined with `-`, GREASE dropped
 * from the ciphers, extensions and groups); JA3S: `version,cipher,extensions`.
 *
 * JA4 `a_b_c`: a = `t` (TLS over TCP) + 2-character version (highest supported_versions entry, else legacy_version)
 * + `d` with SNI / `i` without + 2-digit cipher count + 2-digit extension count (both without GREASE, at most 99)
 * + first and last character of the first ALPN value (`00` without); b = sha256 of the sorted 4-hex cipher list,
 * first 12 hex digits; c = the same of the sorted extension list without SNI (0000) and ALPN (0010), then `_` and the
 * signature algorithms in wire order (no `_` when there are none). Empty lists hash to `000000000000`. JA4_r shows
 * the lists instead of their hashes; JA4_o / JA4_ro use the wire order and keep SNI and ALPN.
 *
 * JA4S `a_b_c`: a = `t` + version (supported_versions if sent, else legacy_version) + 2-digit extension count + ALPN
 * first/last character; b = the chosen cipher in 4 hex; c = sha256-12 of the extension list in wire order.
 */
import { createHash } from 'node:crypto';
import { remembered } from '../../memo/bounded-memo.js';

/** True for a GREASE value (RFC 8701 §2: 0x0A0A, 0x1A1A, …, 0xFAFA) of a 16-bit field. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** What the ClientHello fingerprints read. */
export interface ClientHelloPrint {
  version: number;
  cipher_suites: readonly number[];
  extensions: readonly number[];
  supported_groups: readonly number[];
  ec_point_formats: readonly number[];
  signature_algorithms: readonly number[];
  supported_versions: readonly number[];
  /** The bytes of the first ALPN protocol name, null without ALPN. */
  alpnFirst: Uint8Array | null;
}

/** What the ServerHello fingerprints read. */
export interface ServerHelloPrint {
  version: number;
  cipher_suite: number;
  extensions: readonly number[];
  /** The supported_versions selection, null when not sent. */
  selected_version: number | null;
  /** The bytes of the chosen ALPN protocol name, null without ALPN. */
  alpn: Uint8Array | null;
}

/** A JA3 or JA3S fingerprint: the md5 and the string it hashes. */
export interface Ja3Print {
  hash: string;
  string: string;
}

/** A JA4 fingerprint in its four forms (FoxIO JA4.md "Raw Output"). */
export interface Ja4Print {
  ja4: string;
  ja4_r: string;
  ja4_o: string;
  ja4_ro: string;
}

/** A JA4S fingerprint and its raw form. */
export interface Ja4sPrint {
  ja4s: string;
  ja4s_r: string;
}

/** Most digests remembered per algorithm (the memo is cleared when full). */
const MAX_MEMO_DIGESTS = 4096;
const md5Memo = new Map<string, string>();
const sha12Memo = new Map<string, string>();

/**
 * `compute(s)` remembered: the same hello field strings recur across a client's connections, and a digest object per
 * call costs more than the rest of a hello's fingerprinting. A pure cache: the result is the same with or without it.
 */
const memoised = (memo: Map<string, string>, s: string, compute: (s: string) => string): string => remembered(memo, MAX_MEMO_DIGESTS, s, compute);

const md5 = (s: string): string => memoised(md5Memo, s, (x) => createHash('md5').update(x).digest('hex'));
const sha12 = (s: string): string => memoised(sha12Memo, s, (x) => createHash('sha256').update(x).digest('hex').slice(0, 12));
const noGrease = (l: readonly number[]): number[] => l.filter((v) => !isGrease(v));
/** 4-hex-digit texts of 16-bit values, made once each. */
const HEX4: (string | undefined)[] = new Array(65536);
const hex4 = (v: number): string => (v >= 0 && v <= 0xffff ? (HEX4[v] ??= v.toString(16).padStart(4, '0')) : v.toString(16).padStart(4, '0'));
/** Values as 4-hex-digit texts joined with commas. */
function hexList(l: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < l.length; i++) s = i === 0 ? hex4(l[i]!) : `${s},${hex4(l[i]!)}`;
  return s;
}
/**
 * hexList of the values in ascending order. Sorting the numbers sorts their texts too: the texts have a fixed width and
 * '0'-'9' sort before 'a'-'f'.
 */
const sortedHexList = (l: readonly number[]): string => hexList(Uint16Array.from(l).sort()); // the lists hold 16-bit values
const two = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');
const EMPTY_HASH = '000000000000';
const SNI = 0x0000;
const ALPN = 0x0010;

/** JA3 of a ClientHello. */
export function ja3(c: ClientHelloPrint): Ja3Print {
  const s = [
    String(c.version),
    noGrease(c.cipher_suites).join('-'),
    noGrease(c.extensions).join('-'),
    noGrease(c.supported_groups).join('-'),
    c.ec_point_formats.join('-'),
  ].join(',');
  return { hash: md5(s), string: s };
}

/** JA3S of a ServerHello. */
export function ja3s(s: ServerHelloPrint): Ja3Print {
  const str = `${s.version},${s.cipher_suite},${noGrease(s.extensions).join('-')}`;
  return { hash: md5(str), string: str };
}

/** The 2-character JA4 version code (JA4.md "TLS and DTLS Version"; `00` when unknown). */
function versionCode(v: number): string {
  switch (v) {
    case 0x0304: return '13';
    case 0x0303: return '12';
    case 0x0302: return '11';
    case 0x0301: return '10';
    case 0x0300: return 's3';
    case 0x0002: return 's2';
    case 0xfeff: return 'd1';
    case 0xfefd: return 'd2';
    case 0xfefc: return 'd3';
    default: return '00';
  }
}

const isAlnum = (x: number): boolean => (x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);

/**
 * First and last character of an ALPN value (JA4.md "ALPN Extension Value"): `00` when absent or empty; the two
 * characters when both are alphanumeric; otherwise the first and last hex digits of the value's hex.
 */
export function alpnChars(v: Uint8Array | null): string {
  if (v === null || v.length === 0) return '00';
  const f = v[0]!;
  const l = v[v.length - 1]!;
  if (isAlnum(f) && isAlnum(l)) return String.fromCharCode(f) + String.fromCharCode(l);
  return f.toString(16).padStart(2, '0')[0]! + l.toString(16).padStart(2, '0')[1]!;
}

/** A hex list joined with commas, or its hash (EMPTY_HASH for an empty list). */
const hashed = (s: string): string => (s === '' ? EMPTY_HASH : sha12(s));

/** JA4 of a ClientHello over TCP, with its raw and original-order forms. */
export function ja4(c: ClientHelloPrint): Ja4Print {
  const ciphers = noGrease(c.cipher_suites);
  const exts = noGrease(c.extensions);
  const versions = noGrease(c.supported_versions);
  const version = versions.length > 0 ? Math.max(...versions) : c.version;
  const a = `t${versionCode(version)}${exts.includes(SNI) ? 'd' : 'i'}${two(ciphers.length)}${two(exts.length)}${alpnChars(c.alpnFirst)}`;
  const sigs = hexList(noGrease(c.signature_algorithms));
  const withSigs = (l: string): string => (l === '' || sigs === '' ? l : `${l}_${sigs}`);
  const sortedCiphers = sortedHexList(ciphers);
  const sortedExts = sortedHexList(exts.filter((e) => e !== SNI && e !== ALPN));
  const wireCiphers = hexList(ciphers);
  const wireExts = hexList(exts);
  return {
    ja4: `${a}_${hashed(sortedCiphers)}_${sortedExts === '' ? EMPTY_HASH : sha12(withSigs(sortedExts))}`,
    ja4_r: `${a}_${sortedCiphers}_${withSigs(sortedExts)}`,
    ja4_o: `${a}_${hashed(wireCiphers)}_${wireExts === '' ? EMPTY_HASH : sha12(withSigs(wireExts))}`,
    ja4_ro: `${a}_${wireCiphers}_${withSigs(wireExts)}`,
  };
}

/** JA4S of a ServerHello over TCP, with its raw form. */
export function ja4s(s: ServerHelloPrint): Ja4sPrint {
  const exts = noGrease(s.extensions);
  const a = `t${versionCode(s.selected_version ?? s.version)}${two(exts.length)}${alpnChars(s.alpn)}`;
  const list = hexList(exts);
  return { ja4s: `${a}_${hex4(s.cipher_suite)}_${hashed(list)}`, ja4s_r: `${a}_${hex4(s.cipher_suite)}_${list}` };
}

/** Most hello prints whose fingerprints are remembered (the memo is cleared when full). */
const MAX_MEMO_PRINTS = 4096;
const clientMemo = new Map<string, { ja3: Ja3Print; ja4: Ja4Print }>();
const serverMemo = new Map<string, { ja3s: Ja3Print; ja4s: Ja4sPrint }>();

/** The code units of the memo key being built (clientPrints, serverPrints): reused, the parsers are synchronous. */
const keyUnits: number[] = [];

/** Appends the values of `l` after its length to keyUnits (every list value and length here is below 65536). */
function pushList(l: ArrayLike<number>): void {
  keyUnits.push(l.length);
  for (let i = 0; i < l.length; i++) keyUnits.push(l[i]!);
}

/** Appends '-' for an absent list, else '+' and the list (pushList). */
function pushOptionalList(l: ArrayLike<number> | null): void {
  if (l === null) keyUnits.push(0x2d);
  else {
    keyUnits.push(0x2b);
    pushList(l);
  }
}

/** The text of keyUnits (one flat string, made at once), emptying it. */
function keyText(): string {
  const k = String.fromCharCode.apply(null, keyUnits);
  keyUnits.length = 0;
  return k;
}

/**
 * JA3 and JA4 of a ClientHello: the same clients send the same hello values on every connection, so the two are
 * remembered by those values (ja3 and ja4 give the same results; the returned prints are shared, never modified).
 */
export function clientPrints(c: ClientHelloPrint): { ja3: Ja3Print; ja4: Ja4Print } {
  keyUnits.push(c.version);
  pushList(c.cipher_suites);
  pushList(c.extensions);
  pushList(c.supported_groups);
  pushList(c.ec_point_formats);
  pushList(c.signature_algorithms);
  pushList(c.supported_versions);
  pushOptionalList(c.alpnFirst);
  const key = keyText();
  return remembered(clientMemo, MAX_MEMO_PRINTS, key, () => ({ ja3: ja3(c), ja4: ja4(c) }));
}

/** JA3S and JA4S of a ServerHello, remembered by its values (as clientPrints). */
export function serverPrints(s: ServerHelloPrint): { ja3s: Ja3Print; ja4s: Ja4sPrint } {
  keyUnits.push(s.version, s.cipher_suite);
  pushList(s.extensions);
  if (s.selected_version === null) keyUnits.push(0x2d);
  else keyUnits.push(0x2b, s.selected_version);
  pushOptionalList(s.alpn);
  const key = keyText();
  return remembered(serverMemo, MAX_MEMO_PRINTS, key, () => ({ ja3s: ja3s(s), ja4s: ja4s(s) }));
}
