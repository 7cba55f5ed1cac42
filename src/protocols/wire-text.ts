/**
 * Text and address formatting of wire bytes, shared by the protocol parsers: hex, MAC, dotted-quad and RFC 5952 IPv6
 * rendering, the safe, unambiguous decoding of text fields (host names, vendor strings, NetBIOS names, comments, …)
 * and of uncompressed wire-format DNS names (DHCP options).
 *
 * Text is decoded as UTF-8 when the bytes are well-formed UTF-8 (RFC 3629) and as Latin-1 otherwise. C0/C1 control
 * characters and DEL are written as `\xNN`, a backslash as `\\` (unless the caller keeps backslashes, e.g. for SMB
 * mailslot paths), and Unicode line/paragraph separators, bidirectional controls, marks, lone surrogates and the BOM
 * as `\uNNNN`, so a value can be logged or displayed safely and the escaping can be undone. Pure functions over byte
 * views; nothing reads outside b[start, end).
 */

/** Two lower-case hex digits of every byte value, indexed by the byte. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The bytes b[start, end) as one-byte characters (Latin-1; ASCII text as it is). Eight characters per call of
 * String.fromCharCode: far fewer intermediate strings than one concatenation per byte.
 */
export function byteText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  for (; i + 8 <= end; i += 8) s += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
  for (; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Decodes printable ASCII as it is (the WHATWG "latin1" label is windows-1252, equal to ASCII below 0x80). */
const PRINTABLE = new TextDecoder('latin1');

/**
 * Text of b[start, end), which the caller checked to hold printable ASCII only (0x20–0x7e): as byteText, but made as
 * one flat string at once when longer than a few characters (byteText's concatenations leave a tree of string parts,
 * which every later hash or comparison of the text first copies into one).
 */
export function printableText(b: Uint8Array, start: number, end: number): string {
  return end - start <= 12 ? byteText(b, start, end) : PRINTABLE.decode(b.subarray(start, end));
}

/** Lower-case hex of b[start, end). */
export function hexText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX_BYTE[b[i]!]!;
  return s;
}

/** aa:bb:cc:dd:ee:ff of the 6 bytes at `o`. */
export function macText(b: Uint8Array, o: number): string {
  return `${HEX_BYTE[b[o]!]}:${HEX_BYTE[b[o + 1]!]}:${HEX_BYTE[b[o + 2]!]}:${HEX_BYTE[b[o + 3]!]}:${HEX_BYTE[b[o + 4]!]}:${HEX_BYTE[b[o + 5]!]}`;
}

/** Dotted quad of the 4 bytes at `o`. */
export function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** End of b[start, end) with trailing NUL bytes removed (C-string terminators some senders include in text fields). */
export function trimTrailingNuls(b: Uint8Array, start: number, end: number): number {
  while (end > start && b[end - 1] === 0) end--;
  return end;
}

/**
 * The names of the bits set in `v` (bit i, least significant first, → names[i]), in bit order; a set bit without a
 * name is `bit<i>`.
 * @param bits how many low bits of `v` are looked at (at most 32).
 */
export function bitNames(v: number, names: readonly string[], bits = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i < bits; i++) if ((v >>> i) & 1) out.push(names[i] ?? `bit${i}`);
  return out;
}

/**
 * RFC 5952 text of the 16 bytes at `o`: lower-case hex groups without leading zeros, the longest run of two or more
 * zero groups (the first on a tie) as "::" (§4.2), and the two RFC 4291 §2.5.5 forms with an embedded IPv4 address
 * in mixed notation (§5): IPv4-mapped ::ffff:a.b.c.d, and IPv4-compatible ::a.b.c.d when the seventh group is not
 * zero (so ::1 and other small values stay hex, as inet_ntop and tshark print them).
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0) {
    if (g[5] === 0xffff) return `::ffff:${ipv4Text(b, o + 12)}`;
    if (g[5] === 0 && g[6] !== 0) return `::${ipv4Text(b, o + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const groups = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return groups(0, 8);
  return `${groups(0, bestStart)}::${groups(bestStart + bestLen, 8)}`;
}

/**
 * The code point of the well-formed UTF-8 sequence starting at b[i] (a byte ≥ 0x80) within b[i, end), or -1 if there
 * is none there (overlong forms, surrogates and code points above U+10FFFF are not well-formed). The sequence is
 * utf8Length(cp) bytes long.
 */
export function utf8CodePointAt(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  let n: number;
  let min: number;
  let cp: number;
  if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; cp = c & 0x1f; } else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; cp = c & 0x0f; } else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; cp = c & 0x07; } else return -1;
  if (i + n >= end) return -1;
  for (let k = 1; k <= n; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) return -1;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  return cp;
}

/** Bytes of the UTF-8 encoding of code point `cp`. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** True if b[start, end) is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). */
export function isUtf8(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    if (b[i]! < 0x80) { i++; continue; }
    const cp = utf8CodePointAt(b, i, end);
    if (cp < 0) return false;
    i += utf8Length(cp);
  }
  return true;
}

/**
 * The `\xNN` / `\uNNNN` / `\\` escape of one code point (or UTF-16 code unit), or null if it is printed as is.
 * @param keepBackslash print a backslash as is (for fields where it is a path separator).
 */
export function escapeCodePoint(cp: number, keepBackslash = false): string | null {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `\\x${HEX_BYTE[cp]}`;
  if (cp === 0x5c) return keepBackslash ? null : '\\\\';
  // Line/paragraph separators, bidirectional controls, marks, lone surrogates and the BOM: invisible, or able to
  // reorder or split what a log line shows. (Surrogates only reach here from UTF-16 code units.)
  if ((cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return null;
}

const UTF8 = new TextDecoder('utf-8'); // non-fatal: only given input already checked by isUtf8

/**
 * Text of b[start, end): UTF-8 when valid, else Latin-1; escaped as described in the file comment.
 * @param keepBackslash print backslashes as they are instead of `\\`.
 */
export function decodeWireText(b: Uint8Array, start: number, end: number, keepBackslash = false): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 || c >= 0x7f || (c === 0x5c && !keepBackslash)) { plain = false; break; }
  }
  if (plain) return printableText(b, start, end);
  let out = '';
  if (isUtf8(b, start, end)) {
    for (const ch of UTF8.decode(b.subarray(start, end))) out += escapeCodePoint(ch.codePointAt(0)!, keepBackslash) ?? ch;
    return out;
  }
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    out += escapeCodePoint(c, keepBackslash) ?? String.fromCharCode(c);
  }
  return out;
}

/** Longest DNS name (RFC 1035 §2.3.4, wire length). */
export const MAX_WIRE_NAME_BYTES = 255;
/** Longest DNS label (RFC 1035 §2.3.4). */
export const MAX_WIRE_LABEL_BYTES = 63;

/** One DNS label as text (decodeWireText); a "." inside the label is escaped as `\.` so the joined name stays unambiguous. */
export function wireLabelText(b: Uint8Array, start: number, end: number): string {
  const t = decodeWireText(b, start, end);
  return t.includes('.') ? t.replaceAll('.', '\\.') : t;
}

/** An uncompressed wire-format name read by readWireName. */
export interface WireName {
  /** Labels joined with "." (no trailing dot; '' for the root alone). */
  name: string;
  /** Offset just past the name (past its zero label, or `end` for a partial name). */
  next: number;
  /** Ended by a zero-length label (false: a partial name that ran to `end`, RFC 4704 §4.2 / RFC 4702 §2.3.1). */
  complete: boolean;
}

/**
 * Reads one uncompressed wire-format name (RFC 1035 §3.1: length-prefixed labels; no compression) at b[p, end):
 * labels up to a zero-length label, or up to `end` (a partial name). Null when a label is longer than 63 bytes, has a
 * reserved or pointer type, runs past `end`, or the name exceeds 255 bytes.
 */
export function readWireName(b: Uint8Array, p: number, end: number): WireName | null {
  let name = '';
  let wire = 0;
  while (p < end) {
    const l = b[p]!;
    if (l === 0) return { name, next: p + 1, complete: true };
    if (l > MAX_WIRE_LABEL_BYTES || p + 1 + l > end) return null;
    wire += l + 1;
    if (wire > MAX_WIRE_NAME_BYTES) return null;
    name += (name === '' ? '' : '.') + wireLabelText(b, p + 1, p + 1 + l);
    p += 1 + l;
  }
  return { name, next: end, complete: false };
}

/**
 * Text of the UTF-16LE code units in b[start, end) (a trailing odd byte is ignored), escaped like decodeWireText.
 * Each code unit is taken on its own: a surrogate (even of a valid pair) is written \uNNNN, so the output is always
 * well-formed.
 * @param keepBackslash print backslashes as they are instead of `\\`.
 */
export function decodeUtf16LeText(b: Uint8Array, start: number, end: number, keepBackslash = false): string {
  let out = '';
  for (let i = start; i + 1 < end; i += 2) {
    const u = b[i]! | (b[i + 1]! << 8);
    out += escapeCodePoint(u, keepBackslash) ?? String.fromCharCode(u);
  }
  return out;
}
