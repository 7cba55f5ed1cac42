/**
 * Text and address formatting of wire bytes, shared by the protocol parsers: hex, MAC and dotted-quad rendering and
 * the safe, unambiguous decoding of text fields (host names, vendor strings, NetBIOS names, comments, …).
 *
 * Text is decoded as UTF-8 when the bytes are well-formed UTF-8 (RFC 3629) and as Latin-1 otherwise. C0/C1 control
 * characters and DEL are written as `\xNN`, a backslash as `\\` (unless the caller keeps backslashes, e.g. for SMB
 * mailslot paths), and Unicode line/paragraph separators, bidirectional controls, marks, lone surrogates and the BOM
 * as `\uNNNN`, so a value can be logged or displayed safely and the escaping can be undone. Pure functions over byte
 * views; nothing reads outside b[start, end).
 */

/** Two lower-case hex digits of every byte value, indexed by the byte. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
function isUtf8(b: Uint8Array, start: number, end: number): boolean {
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
  let out = '';
  if (plain) {
    for (let i = start; i < end; i++) out += String.fromCharCode(b[i]!);
    return out;
  }
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
