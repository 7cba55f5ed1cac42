/**
 * HTTP credentials and challenges reduced to facts that may be stored: the scheme, the user name (never a
 * password, hash, nonce or token), the realm, and whether a password crossed the network in clear. Pure functions
 * over byte views; nothing reads outside b[start, end).
 *
 * Specs:
 * - RFC 9110 §11 (HTTP authentication framework: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
 *   challenges in WWW-Authenticate / Proxy-Authenticate, §11.6 Authorization / Proxy-Authorization);
 * - RFC 7617 (Basic: base64 of `user-id ":" password`; the password crosses in clear);
 * - RFC 7616 §3.4 (Digest response: `username`, `username*`, `realm` auth-params; no cleartext password);
 * - RFC 4648 §4 (base64);
 * - RFC 4559 (Negotiate / NTLM over HTTP: a base64 token68) and [MS-NLMP] §2.2.1.3 (NTLM AUTHENTICATE_MESSAGE:
 *   DomainName, UserName and Workstation fields at offsets 28, 36 and 44, NegotiateFlags at 60, UTF-16LE when
 *   NTLMSSP_NEGOTIATE_UNICODE is set). Inside Negotiate, an NTLM message wrapped in SPNEGO (RFC 4178) is found by its
 *   "NTLMSSP\0" signature; Kerberos tokens give the scheme only.
 */
import { decodeUtf16LeText, decodeWireText } from '../wire-text.js';
import { isDefaultPasswordBytes } from '../default-credential-check.js';

/** Longest credentials token decoded (base64 characters); a longer one gives the scheme only. */
export const MAX_AUTH_TOKEN_BYTES = 16384;
/** Longest user, realm, domain or host name kept, in bytes of the wire encoding. */
export const MAX_AUTH_NAME_BYTES = 256;
/** Longest auth-scheme name accepted. */
export const MAX_SCHEME_BYTES = 32;
/** Auth-params read from one credentials or challenge value. */
export const MAX_AUTH_PARAMS = 32;

/** What an Authorization (or Proxy-Authorization) header says, without any secret. */
export interface HttpAuth {
  /** The scheme: `Basic`, `Digest`, `NTLM`, `Negotiate`, `Bearer` spelled so whatever the case sent; others as sent. */
  scheme: string;
  /** The user name (Basic: before the first ":"; Digest: `username`; NTLM: UserName); null when none is readable. */
  user: string | null;
  /** Digest `realm`. */
  realm: string | null;
  /** NTLM DomainName. */
  domain: string | null;
  /** NTLM Workstation (the client's host name). */
  host: string | null;
  /** True for Basic: the password crossed the network in clear (it is never decoded into the record). */
  cleartext_password: boolean;
  /**
   * Basic: the user and password were a pair of the default-credential list, tested while decoding and dropped
   * (src/protocols/default-credential-check.ts).
   */
  default_credential: boolean;
}

/** One challenge of a WWW-Authenticate / Proxy-Authenticate value. */
export interface HttpChallenge {
  scheme: string;
  /** The `realm` auth-param, when the challenge has one. */
  realm: string | null;
}

const SP = 0x20;
const HT = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

const KNOWN_SCHEMES: ReadonlyMap<string, string> = new Map(
  ['Basic', 'Digest', 'NTLM', 'Negotiate', 'Bearer'].map((s) => [s.toLowerCase(), s]),
);

/** RFC 9110 §5.6.2 tchar. */
function isTchar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || '!#$%&\'*+-.^_`|~'.includes(String.fromCharCode(c));
}

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end && (b[i] === SP || b[i] === HT)) i++;
  return i;
}

/** The scheme token at `i` (canonical spelling for the known ones) and where it ends, or null. */
function schemeAt(b: Uint8Array, i: number, end: number): { scheme: string; end: number } | null {
  let e = i;
  while (e < end && isTchar(b[e]!)) e++;
  if (e === i || e - i > MAX_SCHEME_BYTES) return null;
  const text = decodeWireText(b, i, e);
  return { scheme: KNOWN_SCHEMES.get(text.toLowerCase()) ?? text, end: e };
}

// ---------------------------------------------------------------------------------------------------------------
// base64 (RFC 4648 §4)

const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** The bytes of the base64 text b[start, end) (padding optional), or null if it is not base64 or too long. */
export function decodeBase64(b: Uint8Array, start: number, end: number): Uint8Array | null {
  while (end > start && b[end - 1] === EQUALS) end--;
  const n = end - start;
  if (n === 0 || n > MAX_AUTH_TOKEN_BYTES || n % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = start; i < end; i++) {
    const v = B64[b[i]!]!;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** The token68 after the scheme (RFC 9110 §11.2): b[start, end) trimmed, or null if it holds spaces or commas. */
function token68(b: Uint8Array, start: number, end: number): { start: number; end: number } | null {
  while (end > start && (b[end - 1] === SP || b[end - 1] === HT)) end--;
  if (start === end) return null;
  for (let i = start; i < end; i++) if (b[i] === SP || b[i] === HT || b[i] === COMMA) return null;
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// auth-params (RFC 9110 §11.2: name "=" ( token / quoted-string ), comma-separated)

/** One auth-param: lower-case name and the byte range of its value (quotes removed; escapes left in). */
interface AuthParam {
  name: string;
  start: number;
  end: number;
  quoted: boolean;
}

/** The auth-params in b[i, end), until the end or a new challenge (a token not followed by "="). */
function authParams(b: Uint8Array, i: number, end: number): { params: AuthParam[]; next: number } {
  const params: AuthParam[] = [];
  for (;;) {
    i = skipWs(b, i, end);
    while (i < end && b[i] === COMMA) i = skipWs(b, i + 1, end);
    if (i >= end || params.length >= MAX_AUTH_PARAMS) return { params, next: end };
    let ne = i;
    while (ne < end && isTchar(b[ne]!)) ne++;
    const eq = skipWs(b, ne, end);
    if (ne === i || eq >= end || b[eq] !== EQUALS) return { params, next: i };
    const name = decodeWireText(b, i, ne).toLowerCase();
    const v = skipWs(b, eq + 1, end);
    if (v < end && b[v] === DQUOTE) {
      let e = v + 1;
      while (e < end && b[e] !== DQUOTE) e += b[e] === BACKSLASH ? 2 : 1;
      params.push({ name, start: v + 1, end: Math.min(e, end), quoted: true });
      i = e + 1;
    } else {
      let e = v;
      while (e < end && b[e] !== COMMA && b[e] !== SP && b[e] !== HT) e++;
      params.push({ name, start: v, end: e, quoted: false });
      i = e;
    }
  }
}

/** Text of a quoted-string's content (backslash escapes undone, RFC 9110 §5.6.4), cut at MAX_AUTH_NAME_BYTES. */
function paramText(b: Uint8Array, p: AuthParam): string {
  const end = Math.min(p.end, p.start + MAX_AUTH_NAME_BYTES);
  if (!p.quoted || b.subarray(p.start, end).indexOf(BACKSLASH) < 0) return decodeWireText(b, p.start, end);
  const raw: number[] = [];
  for (let i = p.start; i < end; i++) raw.push(b[i] === BACKSLASH && i + 1 < end ? b[++i]! : b[i]!);
  return decodeWireText(Uint8Array.from(raw), 0, raw.length);
}

function param(b: Uint8Array, params: readonly AuthParam[], name: string): string | null {
  const p = params.find((x) => x.name === name);
  return p === undefined ? null : paramText(b, p);
}

// ---------------------------------------------------------------------------------------------------------------
// NTLM ([MS-NLMP] §2.2.1.3)

const NTLMSSP = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];

/** Offset of the "NTLMSSP\0" signature in m (at 0 for NTLM, inside SPNEGO for Negotiate), or -1. */
function ntlmStart(m: Uint8Array): number {
  outer: for (let i = 0; i + NTLMSSP.length <= m.length; i++) {
    for (let k = 0; k < NTLMSSP.length; k++) if (m[i + k] !== NTLMSSP[k]) continue outer;
    return i;
  }
  return -1;
}

const le16 = (m: Uint8Array, o: number): number => m[o]! | (m[o + 1]! << 8);
const le32 = (m: Uint8Array, o: number): number => (m[o]! | (m[o + 1]! << 8) | (m[o + 2]! << 16) | (m[o + 3]! << 24)) >>> 0;

/** Fills user/domain/host from an NTLM AUTHENTICATE_MESSAGE in m; anomalies for a malformed one. */
function readNtlmAuthenticate(m: Uint8Array, auth: HttpAuth, anomalies: string[]): void {
  const s = ntlmStart(m);
  if (s < 0) return; // Kerberos (Negotiate) or not NTLM: scheme only
  const msg = m.subarray(s);
  if (msg.length < 12) { anomalies.push('bad_ntlm_message'); return; }
  if (le32(msg, 8) !== 3) return; // NEGOTIATE (1) carries nothing of interest here
  if (msg.length < 64) { anomalies.push('bad_ntlm_message'); return; }
  const unicode = (le32(msg, 60) & 0x1) !== 0; // NTLMSSP_NEGOTIATE_UNICODE
  const field = (o: number): string | null => {
    const len = le16(msg, o);
    const off = le32(msg, o + 4);
    if (len === 0) return null;
    if (off + len > msg.length) { anomalies.push('bad_ntlm_message'); return null; }
    const end = off + Math.min(len, MAX_AUTH_NAME_BYTES);
    return unicode ? decodeUtf16LeText(msg, off, end) : decodeWireText(msg, off, end);
  };
  auth.domain = field(28);
  auth.user = field(36);
  auth.host = field(44);
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Reads an Authorization or Proxy-Authorization value b[start, end) (RFC 9110 §11.6.2). Returns null (and the
 * anomaly `bad_authorization`) when it does not start with an auth-scheme. Basic credentials that do not decode, or
 * have no ":", give no user (`bad_basic_credentials`) but are still flagged as a cleartext password.
 */
export function parseAuthorization(b: Uint8Array, start: number, end: number, anomalies: string[]): HttpAuth | null {
  const s = schemeAt(b, skipWs(b, start, end), end);
  if (s === null || (s.end < end && b[s.end] !== SP && b[s.end] !== HT)) {
    anomalies.push('bad_authorization');
    return null;
  }
  const auth: HttpAuth = { scheme: s.scheme, user: null, realm: null, domain: null, host: null, cleartext_password: false, default_credential: false };
  const rest = skipWs(b, s.end, end);
  switch (s.scheme) {
    case 'Basic': {
      auth.cleartext_password = true;
      const t = token68(b, rest, end);
      const raw = t === null ? null : decodeBase64(b, t.start, t.end);
      const colon = raw === null ? -1 : raw.indexOf(0x3a);
      if (raw === null || colon < 0) anomalies.push('bad_basic_credentials');
      else {
        auth.user = decodeWireText(raw, 0, Math.min(colon, MAX_AUTH_NAME_BYTES));
        auth.default_credential = isDefaultPasswordBytes(auth.user, raw, colon + 1, raw.length);
      }
      raw?.fill(0); // the password is not kept in memory longer than needed
      break;
    }
    case 'Digest': {
      const { params } = authParams(b, rest, end);
      auth.user = param(b, params, 'username') ?? param(b, params, 'username*');
      auth.realm = param(b, params, 'realm');
      break;
    }
    case 'NTLM':
    case 'Negotiate': {
      const t = token68(b, rest, end);
      const raw = t === null ? null : decodeBase64(b, t.start, t.end);
      if (raw === null) anomalies.push('bad_ntlm_message');
      else readNtlmAuthenticate(raw, auth, anomalies);
      break;
    }
    default:
      break; // Bearer and others: the scheme only
  }
  return auth;
}

/**
 * The challenges of a WWW-Authenticate or Proxy-Authenticate value b[start, end) (RFC 9110 §11.6.1: a
 * comma-separated list of `scheme [token68 / auth-params]`), at most MAX_AUTH_PARAMS; their token68 (NTLM
 * challenges, nonces) are skipped.
 */
export function parseChallenges(b: Uint8Array, start: number, end: number): HttpChallenge[] {
  const out: HttpChallenge[] = [];
  let i = start;
  while (i < end && out.length < MAX_AUTH_PARAMS) {
    i = skipWs(b, i, end);
    while (i < end && b[i] === COMMA) i = skipWs(b, i + 1, end);
    const s = schemeAt(b, i, end);
    if (s === null) break;
    const after = skipWs(b, s.end, end);
    const { params, next } = authParams(b, after, end);
    out.push({ scheme: s.scheme, realm: param(b, params, 'realm') });
    if (next === after && params.length === 0) {
      // A token68 (or nothing): skip to the next comma.
      let e = after;
      while (e < end && b[e] !== COMMA) e++;
      i = e;
    } else i = next;
  }
  return out;
}
