/**
 * A small, bounded, incremental XML tokenizer shared by the XML protocols (POCT1-A device messaging layer,
 * WS-Discovery / DPWS, UPnP device descriptions): bytes in arbitrary chunks → start tags (name, attributes,
 * self-closing), end tags, the XML declaration, the sizes of text and, for a handler that asks, the raw slices of
 * character data. Comments,
 * processing instructions, CDATA sections and DOCTYPE declarations are recognised and skipped. No dependency; never
 * throws; memory is bounded by MAX_TOKEN_BYTES (one tag at a time), whatever the document's size.
 *
 * It is not a validating parser: it follows XML 1.0 (Fifth Edition) §2.3 (names), §2.4 (character data), §2.5
 * (comments), §2.6 (processing instructions), §2.7 (CDATA), §2.8 (XML declaration), §3.1 (start tags, end tags,
 * empty-element tags, attributes with single or double quotes) and §4.1/§4.6 (character references and the five
 * predefined entities) far enough to read well-formed POCT1-A messages and to survive any other input. Element
 * nesting is the caller's business.
 */
import { decodeWireText } from '../wire-text.js';

/** Longest tag (or XML declaration) buffered, in bytes; a longer one stops the tokenizer (`token_too_long`). */
export const MAX_TOKEN_BYTES = 16 * 1024;
/** Attributes read per tag (the rest are ignored: `too_many_attributes`). */
export const MAX_ATTRIBUTES = 32;

/** What the tokenizer reports. */
export interface XmlHandler {
  /** A start tag or an empty-element tag (`selfClosing`). Attribute values are decoded (entities, wire text). */
  start(name: string, attrs: ReadonlyMap<string, string>, selfClosing: boolean): void;
  /** An end tag. */
  end(name: string): void;
  /** The XML declaration `<?xml …?>` and its pseudo-attributes. */
  declaration(attrs: ReadonlyMap<string, string>): void;
  /** Character data outside tags: `bytes` of it, of which `nonBlank` are neither XML white space nor NUL or ESC (which POCT1-A devices send between messages). */
  text(bytes: number, nonBlank: number): void;
  /**
   * Optional: the raw bytes b[start, end) of character data outside tags (not CDATA sections), references not
   * decoded (decodeAttribute does it); one run of text may come in several slices when it spans calls to `feed`.
   * The slice is only valid during the call.
   */
  chars?(b: Uint8Array, start: number, end: number): void;
  /** A malformed construct (a name from XML_ANOMALIES); tokenizing goes on unless `fatal`. */
  anomaly(name: string, fatal: boolean): void;
}

/** Anomaly names the tokenizer reports. */
export const XML_ANOMALIES = {
  /** A tag longer than MAX_TOKEN_BYTES: the tokenizer stopped. */
  token_too_long: 'tag longer than MAX_TOKEN_BYTES',
  /** A tag whose name is not an XML name (skipped). */
  bad_tag: 'tag without a valid name',
  /** An attribute that is not name="value" or name='value' (the rest of the tag's attributes were not read). */
  bad_attribute: 'malformed attribute',
  /** More than MAX_ATTRIBUTES attributes. */
  too_many_attributes: 'more attributes than MAX_ATTRIBUTES',
  /** An attribute named twice in one tag (first kept). */
  duplicate_attribute: 'attribute repeated in a tag',
  /** An "&" not starting a known entity or a valid character reference (kept as written). */
  bad_entity: 'unknown entity or bad character reference',
  /** A DOCTYPE declaration (skipped; its internal subset is not read). */
  doctype: 'DOCTYPE declaration skipped',
  /** A processing instruction other than the XML declaration (skipped). */
  processing_instruction: 'processing instruction skipped',
} as const;

const enum St { Text, Open, Bang, Comment, Cdata, Doctype, Pi, Tag, EndTag, Failed }

const LT = 0x3c;
const GT = 0x3e;

/** True for XML white space (§2.3 S). */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** True for a byte that may start an XML name (ASCII letters, "_", ":", and any non-ASCII byte). */
const isNameStart = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0x80;

/** True for a byte that may continue an XML name. */
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

/** The five predefined entities (XML 1.0 §4.6). */
const ENTITIES: Readonly<Record<string, number>> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22, apos: 0x27 };

/** Appends the UTF-8 encoding of code point `cp` to `out`. */
function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** The code point of the reference b[s, e) ("lt", "#65", "#x41"), or -1. */
function entityValue(b: Uint8Array, s: number, e: number): number {
  const t = String.fromCharCode(...b.subarray(s, Math.min(e, s + 10)));
  if (e - s > 10) return -1;
  if (ENTITIES[t] !== undefined) return ENTITIES[t]!;
  const m = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/.exec(t);
  if (m === null) return -1;
  const cp = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
  return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? cp : -1;
}

/**
 * An attribute value b[s, e) with references decoded (§4.1, §4.6), as wire text. An unknown reference is kept as
 * written (`bad_entity`).
 */
export function decodeAttribute(b: Uint8Array, s: number, e: number, anomaly: (n: string) => void): string {
  let amp = s;
  while (amp < e && b[amp] !== 0x26) amp++;
  if (amp >= e) return decodeWireText(b, s, e);
  const out: number[] = [];
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c !== 0x26) { out.push(c); continue; }
    let semi = i + 1;
    while (semi < e && semi - i <= 11 && b[semi] !== 0x3b) semi++;
    const cp = semi < e && b[semi] === 0x3b ? entityValue(b, i + 1, semi) : -1;
    if (cp < 0) { anomaly('bad_entity'); out.push(c); continue; }
    pushUtf8(out, cp);
    i = semi;
  }
  const v = Uint8Array.from(out);
  return decodeWireText(v, 0, v.length);
}

/** Reads a tag's name at b[s] (s < e): the end index of the name, or s when there is none. */
function nameEnd(b: Uint8Array, s: number, e: number): number {
  if (s >= e || !isNameStart(b[s]!)) return s;
  let i = s + 1;
  while (i < e && isNameChar(b[i]!)) i++;
  return i;
}

/** The attributes of b[s, e) (the part of a tag after its name), reporting malformed ones. */
export function parseAttributes(b: Uint8Array, s: number, e: number, anomaly: (n: string) => void): Map<string, string> {
  const attrs = new Map<string, string>();
  let i = s;
  for (;;) {
    while (i < e && isSpace(b[i]!)) i++;
    if (i >= e) return attrs;
    const ne = nameEnd(b, i, e);
    if (ne === i) { anomaly('bad_attribute'); return attrs; }
    const name = decodeWireText(b, i, ne);
    i = ne;
    while (i < e && isSpace(b[i]!)) i++;
    if (b[i] !== 0x3d) { anomaly('bad_attribute'); return attrs; }
    i++;
    while (i < e && isSpace(b[i]!)) i++;
    const q = b[i];
    if (i >= e || (q !== 0x22 && q !== 0x27)) { anomaly('bad_attribute'); return attrs; }
    let close = i + 1;
    while (close < e && b[close] !== q) close++;
    if (close >= e) { anomaly('bad_attribute'); return attrs; }
    if (attrs.size >= MAX_ATTRIBUTES) { anomaly('too_many_attributes'); return attrs; }
    if (attrs.has(name)) anomaly('duplicate_attribute');
    else attrs.set(name, decodeAttribute(b, i + 1, close, anomaly));
    i = close + 1;
  }
}

/** The incremental tokenizer: feed it one direction's bytes in order. */
export class XmlTokenizer {
  private st = St.Text;
  private tok = new Uint8Array(256);
  private n = 0;
  /** Tag state: the quote character we are inside (0: none). */
  private quote = 0;
  /** Comment/CDATA/PI terminator matching: the last two bytes seen. */
  private last1 = 0;
  private last2 = 0;
  /** DOCTYPE internal subset depth ("[" … "]"). */
  private bracket = 0;
  private textBytes = 0;
  private textNonBlank = 0;

  constructor(private readonly h: XmlHandler) {}

  /** True once a fatal problem stopped the tokenizer. */
  get failed(): boolean {
    return this.st === St.Failed;
  }

  /** Bytes b[off, off+len), in order. */
  feed(b: Uint8Array, off: number, len: number): void {
    const end = off + len;
    let i = off;
    while (i < end && this.st !== St.Failed) {
      if (this.st === St.Text) i = this.textRun(b, i, end);
      else this.byte(b[i++]!);
    }
    this.flushText();
  }

  /** Character data from b[i] up to the next "<" (consumed too); returns where to go on. */
  private textRun(b: Uint8Array, i: number, end: number): number {
    let j = i;
    for (; j < end; j++) {
      const c = b[j]!;
      if (c === LT) break;
      if (!isSpace(c) && c !== 0 && c !== 0x1b) this.textNonBlank++;
    }
    this.textBytes += j - i;
    if (j > i && this.h.chars !== undefined) this.h.chars(b, i, j);
    if (j === end) return j;
    this.flushText();
    this.st = St.Open;
    this.n = 0;
    return j + 1;
  }

  /** Reports pending character data. */
  private flushText(): void {
    // (a "]]>" split across chunks can leave the counts of this chunk negative: nothing to report then)
    if (this.textBytes > 0) this.h.text(this.textBytes, Math.max(0, this.textNonBlank));
    this.textBytes = 0;
    this.textNonBlank = 0;
  }

  /** Adds a byte to the current tag, failing beyond MAX_TOKEN_BYTES. */
  private keep(c: number): void {
    if (this.n >= MAX_TOKEN_BYTES) {
      this.st = St.Failed;
      this.h.anomaly('token_too_long', true);
      return;
    }
    if (this.n === this.tok.length) {
      const grown = new Uint8Array(Math.min(MAX_TOKEN_BYTES, this.tok.length * 2));
      grown.set(this.tok);
      this.tok = grown;
    }
    this.tok[this.n++] = c;
  }

  private byte(c: number): void {
    switch (this.st) {
      case St.Open:
        this.quote = 0;
        if (c === 0x3f) { this.st = St.Pi; this.last1 = 0; }
        else if (c === 0x2f) this.st = St.EndTag;
        else if (c === 0x21) this.st = St.Bang;
        else { this.st = St.Tag; this.keep(c); }
        return;
      case St.Bang:
        this.bang(c);
        return;
      case St.Comment:
      case St.Cdata:
        this.skipUntilClose(c);
        return;
      case St.Doctype:
        if (c === 0x5b) this.bracket++;
        else if (c === 0x5d && this.bracket > 0) this.bracket--;
        else if (c === GT && this.bracket === 0) this.st = St.Text;
        return;
      case St.Pi:
        if (c === GT && this.last1 === 0x3f) { this.pi(); this.st = St.Text; } else this.keep(c);
        this.last1 = c;
        return;
      case St.Tag:
        if (this.quote !== 0) { if (c === this.quote) this.quote = 0; this.keep(c); return; }
        if (c === 0x22 || c === 0x27) { this.quote = c; this.keep(c); return; }
        if (c === GT) { this.startTag(); this.st = St.Text; return; }
        this.keep(c);
        return;
      case St.EndTag:
        if (c === GT) { this.endTag(); this.st = St.Text; } else this.keep(c);
        return;
      default:
        return;
    }
  }

  /** After "<!": decides between a comment, a CDATA section and a declaration (DOCTYPE). */
  private bang(c: number): void {
    this.keep(c);
    const t = String.fromCharCode(...this.tok.subarray(0, this.n));
    if (t === '--') { this.st = St.Comment; this.last1 = this.last2 = 0; return; }
    if (t === '[CDATA[') { this.st = St.Cdata; this.last1 = this.last2 = 0; return; }
    if ('--'.startsWith(t) || '[CDATA['.startsWith(t)) return;
    this.h.anomaly('doctype', false);
    this.bracket = 0;
    this.st = St.Doctype;
    if (c === 0x5b) this.bracket = 1;
    else if (c === GT) this.st = St.Text;
  }

  /** Inside a comment ("-->") or CDATA section ("]]>"): waits for its close. */
  private skipUntilClose(c: number): void {
    const mark = this.st === St.Comment ? 0x2d : 0x5d;
    if (c === GT && this.last1 === mark && this.last2 === mark) {
      this.st = St.Text;
      if (mark === 0x5d) { this.textBytes -= 2; this.textNonBlank -= 2; } // the "]]" of "]]>" was counted as data
    }
    else if (this.st === St.Cdata) { this.textBytes++; this.textNonBlank++; }
    this.last2 = this.last1;
    this.last1 = c;
  }

  /** A processing instruction tok[0, n) (without "<?" and "?>"): the XML declaration, or skipped. */
  private pi(): void {
    const e = this.n > 0 && this.tok[this.n - 1] === 0x3f ? this.n - 1 : this.n;
    const ne = nameEnd(this.tok, 0, e);
    if (ne === 3 && this.tok[0] === 0x78 && this.tok[1] === 0x6d && this.tok[2] === 0x6c) {
      this.h.declaration(parseAttributes(this.tok, ne, e, (n) => this.h.anomaly(n, false)));
    } else this.h.anomaly('processing_instruction', false);
    this.n = 0;
  }

  /** A start or empty-element tag tok[0, n) (without "<" and ">"). */
  private startTag(): void {
    let e = this.n;
    const selfClosing = e > 0 && this.tok[e - 1] === 0x2f;
    if (selfClosing) e--;
    const ne = nameEnd(this.tok, 0, e);
    if (ne === 0 || (ne < e && !isSpace(this.tok[ne]!))) { this.h.anomaly('bad_tag', false); this.n = 0; return; }
    const name = decodeWireText(this.tok, 0, ne);
    const attrs = parseAttributes(this.tok, ne, e, (n) => this.h.anomaly(n, false));
    this.n = 0;
    this.h.start(name, attrs, selfClosing);
  }

  /** An end tag tok[0, n) (without "</" and ">"). */
  private endTag(): void {
    const ne = nameEnd(this.tok, 0, this.n);
    let i = ne;
    while (i < this.n && isSpace(this.tok[i]!)) i++;
    if (ne === 0 || i !== this.n) { this.h.anomaly('bad_tag', false); this.n = 0; return; }
    const name = decodeWireText(this.tok, 0, ne);
    this.n = 0;
    this.h.end(name);
  }
}
