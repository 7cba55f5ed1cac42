/**
 * Reduction of HTTP request targets and URLs to what may be logged: a request target keeps its path and the NAMES
 * of its query parameters, never their values (a query value can carry a patient identifier or a session token);
 * a Referer keeps only its host. Pure functions over byte views; nothing reads outside b[start, end).
 *
 * Specs: RFC 9112 §3.2 (request-target forms: origin, absolute, authority, asterisk), RFC 3986 §3 (URI components:
 * scheme, authority with userinfo, path, query, fragment) and §3.3 (path segment parameters after ";"),
 * the WHATWG URL standard's application/x-www-form-urlencoded parsing (query split at "&", name before the first "=").
 */
import { decodeWireText } from '../wire-text.js';

/** Longest path kept, in bytes (a longer one is cut: `long_uri`). */
export const MAX_PATH_BYTES = 2048;
/** Query parameters kept (the rest dropped: `long_uri`). */
export const MAX_QUERY_PARAMS = 64;
/** Longest query parameter name kept, in bytes (a longer name is cut: `long_uri`). */
export const MAX_PARAM_NAME_BYTES = 64;
/** Longest host kept from a Referer. */
export const MAX_HOST_BYTES = 256;

const HASH = 0x23;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const AMPERSAND = 0x26;
const AT = 0x40;
const COLON = 0x3a;

/** A request target reduced for logging. */
export interface ReducedTarget {
  /** The target without query values, path-parameter values, fragment or userinfo, e.g. `/a;sid=?x=&y=`. */
  uri: string;
  /** An absolute-form target carried userinfo (`user[:password]@`), which was dropped. */
  userinfo: boolean;
  /** That userinfo held a password (`user:password@`). */
  password: boolean;
  /** Something was cut by MAX_PATH_BYTES, MAX_QUERY_PARAMS or MAX_PARAM_NAME_BYTES. */
  cut: boolean;
}

/** Index of the first byte `c` in b[start, end), or end. */
function indexOf(b: Uint8Array, c: number, start: number, end: number): number {
  let i = start;
  while (i < end && b[i] !== c) i++;
  return i;
}

/** Length of the scheme of an absolute URI at b[start] followed by "://" (RFC 3986 §3.1), or 0. */
function schemeLength(b: Uint8Array, start: number, end: number): number {
  let i = start;
  const alpha = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
  if (i >= end || !alpha(b[i]!)) return 0;
  while (i < end && (alpha(b[i]!) || (b[i]! >= 0x30 && b[i]! <= 0x39) || b[i] === 0x2b || b[i] === 0x2d || b[i] === 0x2e)) i++;
  if (i - start > 32 || i + 3 > end || b[i] !== COLON || b[i + 1] !== SLASH || b[i + 2] !== SLASH) return 0;
  return i - start;
}

/** The authority of an absolute URI starting at `a` (after "//"): where it ends and where its host starts. */
function authorityOf(b: Uint8Array, a: number, end: number): { hostStart: number; end: number } {
  let e = a;
  while (e < end && b[e] !== SLASH && b[e] !== QUESTION && b[e] !== HASH) e++;
  let at = -1;
  for (let i = a; i < e; i++) if (b[i] === AT) at = i;
  return { hostStart: at < 0 ? a : at + 1, end: e };
}

/**
 * A path with the values of its segment parameters removed (`/x;jsessionid=ABC/y` → `/x;jsessionid=/y`, RFC 3986
 * §3.3): servlet containers put session identifiers there. At most MAX_PATH_BYTES bytes are read.
 */
function reducePath(b: Uint8Array, start: number, end: number, t: ReducedTarget): string {
  if (end - start > MAX_PATH_BYTES) {
    end = start + MAX_PATH_BYTES;
    t.cut = true;
  }
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    if (b[i] !== SEMICOLON) { i++; continue; }
    // A parameter: keep ";name=" and skip its value up to the next "/" or ";".
    let j = i + 1;
    while (j < end && b[j] !== SLASH && b[j] !== SEMICOLON && b[j] !== EQUALS) j++;
    if (j < end && b[j] === EQUALS) {
      out += decodeWireText(b, from, j + 1);
      j++;
      while (j < end && b[j] !== SLASH && b[j] !== SEMICOLON) j++;
      from = j;
    }
    i = j;
  }
  return out + decodeWireText(b, from, end);
}

/**
 * The query's parameter names, each followed by "=", joined with "&". An item without "=", or whose "value" is only
 * "=" signs (base64 padding: the item is a value), keeps nothing: its place stays as an empty item.
 */
function reduceQuery(b: Uint8Array, start: number, end: number, t: ReducedTarget): string {
  const names: string[] = [];
  let i = start;
  while (i <= end) {
    if (names.length >= MAX_QUERY_PARAMS) { t.cut = true; break; }
    const e = indexOf(b, AMPERSAND, i, end);
    const eq = indexOf(b, EQUALS, i, e);
    let valueOnlyEquals = eq < e;
    for (let k = eq + 1; k < e && valueOnlyEquals; k++) if (b[k] !== EQUALS) valueOnlyEquals = false;
    if (eq === e || (valueOnlyEquals && eq + 1 < e)) names.push('');
    else {
      let ne = eq;
      if (ne - i > MAX_PARAM_NAME_BYTES) { ne = i + MAX_PARAM_NAME_BYTES; t.cut = true; }
      names.push(`${decodeWireText(b, i, ne)}=`);
    }
    i = e + 1;
  }
  return names.join('&');
}

/**
 * Reduces the request target b[start, end) for logging (see the file comment): origin form `/p?x=&y=`, absolute
 * form `http://host/p?x=` (userinfo dropped), authority form (CONNECT `host:port`) and `*` as they are. The
 * fragment (never sent by conforming clients) is dropped.
 */
export function reduceTarget(b: Uint8Array, start: number, end: number): ReducedTarget {
  const t: ReducedTarget = { uri: '', userinfo: false, password: false, cut: false };
  end = indexOf(b, HASH, start, end);
  let prefix = '';
  let p = start;
  const sl = schemeLength(b, start, end);
  if (sl > 0) {
    const a = start + sl + 3;
    const auth = authorityOf(b, a, end);
    if (auth.hostStart > a) {
      t.userinfo = true;
      t.password = indexOf(b, COLON, a, auth.hostStart - 1) < auth.hostStart - 1;
    }
    prefix = `${decodeWireText(b, start, a)}${decodeWireText(b, auth.hostStart, Math.min(auth.end, auth.hostStart + MAX_HOST_BYTES))}`;
    if (auth.end - auth.hostStart > MAX_HOST_BYTES) t.cut = true;
    p = auth.end;
  }
  const q = indexOf(b, QUESTION, p, end);
  t.uri = prefix + reducePath(b, p, q, t);
  if (q < end) t.uri += `?${reduceQuery(b, q + 1, end, t)}`;
  return t;
}

/**
 * The host (with its port, as sent) of the absolute URL b[start, end) — a Referer or Origin value — without
 * userinfo, path or query; null when the value is not an absolute URL with an authority.
 */
export function urlHost(b: Uint8Array, start: number, end: number): string | null {
  const sl = schemeLength(b, start, end);
  if (sl === 0) return null;
  const auth = authorityOf(b, start + sl + 3, end);
  if (auth.end === auth.hostStart) return null;
  return decodeWireText(b, auth.hostStart, Math.min(auth.end, auth.hostStart + MAX_HOST_BYTES));
}
