/**
 * A streaming reader for feeds that are one JSON object holding one big array, such as NVD CVE API 2.0 responses
 * (`{…, "vulnerabilities": [ {"cve": …}, … ]}`) and the CISA KEV catalog. The full NVD is ~300 000 records
 * (~2 GB as one file), so the file is read in fixed-size chunks and only one array element is buffered at a time
 * (at most `maxElementBytes`); each element is then parsed on its own with JSON.parse.
 *
 * The scanner follows the JSON grammar (RFC 8259 §2–§7) only as far as needed to find element boundaries: it
 * tracks strings (with `\` escapes), nesting depth and the top-level member keys. Structural characters are ASCII,
 * so bytes are scanned without decoding UTF-8. Top-level scalar members (e.g. NVD `timestamp`, KEV
 * `catalogVersion`) are reported as they pass. It never throws: I/O and syntax problems come back as `error`.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read per chunk. */
export const STREAM_CHUNK_BYTES = 1 << 20;
/** Largest array element buffered (the largest real NVD record, CVE-2019-0708 with 66 configurations, is ~60 kB). */
export const MAX_ELEMENT_BYTES = 16 << 20;
/** Largest top-level scalar member kept (longer ones are skipped). */
const MAX_SCALAR_BYTES = 4096;

/** One element of the streamed array: parsed, or why not. */
export type StreamElement = { index: number; ok: true; value: unknown } | { index: number; ok: false; error: string };

/** What the reader reports. */
export interface ArrayStreamHandlers {
  /** Each element of the target array, in order (index from 0). Return false to stop reading. */
  element(e: StreamElement): boolean | void;
  /** Each top-level scalar member (string, number, boolean, null), as it passes. */
  scalar?(key: string, value: unknown): void;
}

/** Outcome of streaming one file. */
export type ArrayStreamResult =
  | { ok: true; elements: number; foundArray: boolean; bytes: number }
  | { ok: false; error: string; elements: number; bytes: number };

const enum C { Quote = 0x22, Backslash = 0x5c, LBrace = 0x7b, RBrace = 0x7d, LBracket = 0x5b, RBracket = 0x5d, Comma = 0x2c, Colon = 0x3a }

/** A member name from its raw bytes between the quotes (escapes resolved). */
function decodeKey(raw: Buffer): string {
  const text = raw.toString('utf8');
  if (!text.includes('\\')) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Streams the elements of the array held by the top-level member `key` of the JSON object in file `path`.
 * Other top-level members are skipped (scalars are reported). Elements larger than `maxElementBytes` are reported
 * as failed elements and skipped; the rest of the file is still read.
 */
export function streamTopLevelArray(path: string, key: string, handlers: ArrayStreamHandlers,
  opts: { chunkBytes?: number; maxElementBytes?: number } = {}): ArrayStreamResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, error: `cannot open: ${(err as Error).message}`, elements: 0, bytes: 0 };
  }
  const scanner = new TopLevelArrayScanner(key, handlers, opts.maxElementBytes ?? MAX_ELEMENT_BYTES);
  const chunk = opts.chunkBytes ?? STREAM_CHUNK_BYTES;
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunk); // fresh buffer: element parts keep views into it
      const n = readSync(fd, buf, 0, chunk, null);
      if (n === 0) break;
      total += n;
      if (!scanner.push(buf.subarray(0, n))) break;
    }
  } catch (err) {
    return { ok: false, error: `read error: ${(err as Error).message}`, elements: scanner.elements, bytes: total };
  } finally {
    closeSync(fd);
  }
  const end = scanner.finish();
  return end === null
    ? { ok: true, elements: scanner.elements, foundArray: scanner.foundArray, bytes: total }
    : { ok: false, error: end, elements: scanner.elements, bytes: total };
}

/** Where the scanner is in the top-level object. */
const enum Where { Start, ExpectKey, InKey, ExpectColon, ExpectValue, InValue, AfterValue, InArray, Done }

/** The incremental scanner behind streamTopLevelArray (exported for tests that feed arbitrary chunkings). */
export class TopLevelArrayScanner {
  /** Elements reported so far. */
  elements = 0;
  /** Whether the target array was found. */
  foundArray = false;
  private where = Where.Start;
  private inString = false;
  private escape = false;
  private depth = 0; // nesting inside the current top-level value (or array element)
  private keyParts: Buffer[] = [];
  private currentKey = '';
  private valueParts: Buffer[] = []; // current scalar value or array element
  private valueBytes = 0;
  private oversize = false;
  private capturing = false;
  private elementStarted = false;
  private stopped = false;
  private error: string | null = null;
  private offset = 0;

  constructor(private readonly key: string, private readonly handlers: ArrayStreamHandlers, private readonly maxElementBytes: number) {}

  /** Feeds the next chunk; false once reading can stop (done, stopped by the handler, or a syntax error). */
  push(b: Buffer): boolean {
    // start of the part of `b` being captured: a key, scalar or element that began in an earlier chunk goes on here
    let segStart = this.where === Where.InKey || (this.where === Where.InValue && this.capturing) ||
      (this.where === Where.InArray && this.elementStarted) ? 0 : -1;
    for (let i = 0; i < b.length; i++) {
      if (this.stopped) return false;
      const c = b[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === C.Backslash) this.escape = true;
        else if (c === C.Quote) {
          this.inString = false;
          if (this.where === Where.InKey) {
            if (segStart >= 0) this.keyParts.push(b.subarray(segStart, i));
            segStart = -1;
            this.currentKey = decodeKey(Buffer.concat(this.keyParts));
            this.keyParts = [];
            this.where = Where.ExpectColon;
          } else if (this.depth === 0 && this.where === Where.InValue) {
            // a top-level string value ended
            segStart = this.capture(b, segStart, i + 1);
            this.endScalar();
          } else if (this.depth === 0 && this.where === Where.InArray) {
            segStart = this.capture(b, segStart, i + 1);
            this.endElement();
          }
        }
        continue;
      }
      if (isSpace(c)) {
        if (this.elementStarted && this.depth === 0 && this.where === Where.InArray) {
          segStart = this.capture(b, segStart, i);
          this.endElement(); // a bare scalar element ended
        } else if (this.depth === 0 && this.where === Where.InValue && this.capturing) {
          segStart = this.capture(b, segStart, i);
          this.endScalar();
        }
        continue;
      }
      switch (this.where) {
        case Where.Start:
          if (c === 0xef || c === 0xbb || c === 0xbf) continue; // UTF-8 BOM
          if (c !== C.LBrace) return this.fail(`expected '{' at byte ${this.offset + i}`);
          this.where = Where.ExpectKey;
          continue;
        case Where.ExpectKey:
          if (c === C.RBrace) {
            this.where = Where.Done;
            return false;
          }
          if (c === C.Comma) continue;
          if (c !== C.Quote) return this.fail(`expected a member name at byte ${this.offset + i}`);
          this.inString = true;
          this.where = Where.InKey;
          segStart = i + 1;
          continue;
        case Where.ExpectColon:
          if (c !== C.Colon) return this.fail(`expected ':' at byte ${this.offset + i}`);
          this.where = Where.ExpectValue;
          continue;
        case Where.ExpectValue:
          if (c === C.LBracket && this.currentKey === this.key) {
            this.foundArray = true;
            this.where = Where.InArray;
            this.depth = 0;
            continue;
          }
          this.where = Where.InValue;
          this.depth = 0;
          this.capturing = c !== C.LBrace && c !== C.LBracket; // scalars are kept, nested values skipped
          this.valueParts = [];
          this.valueBytes = 0;
          segStart = this.capturing ? i : -1;
          if (c === C.Quote) this.inString = true;
          else if (c === C.LBrace || c === C.LBracket) this.depth = 1;
          continue;
        case Where.InValue:
          if (this.depth === 0) { // a number/literal is being captured: it ends at ',' or '}'
            if (c === C.Comma || c === C.RBrace) {
              segStart = this.capture(b, segStart, i);
              this.endScalar();
              i--; // re-read the delimiter in AfterValue
            }
            continue;
          }
          if (c === C.Quote) this.inString = true;
          else if (c === C.LBrace || c === C.LBracket) this.depth++;
          else if (c === C.RBrace || c === C.RBracket) {
            this.depth--;
            if (this.depth === 0) this.where = Where.AfterValue;
          }
          continue;
        case Where.AfterValue:
          if (c === C.Comma) this.where = Where.ExpectKey;
          else if (c === C.RBrace) {
            this.where = Where.Done;
            return false;
          } else return this.fail(`expected ',' or '}' at byte ${this.offset + i}`);
          continue;
        case Where.InArray:
          if (!this.elementStarted) {
            if (c === C.Comma) continue;
            if (c === C.RBracket) {
              this.where = Where.AfterValue;
              continue;
            }
            this.elementStarted = true;
            this.valueParts = [];
            this.valueBytes = 0;
            this.oversize = false;
            segStart = i;
            this.depth = 0;
            if (c === C.Quote) this.inString = true;
            else if (c === C.LBrace || c === C.LBracket) this.depth = 1;
            continue;
          }
          if (this.depth === 0) { // bare scalar element
            if (c === C.Comma || c === C.RBracket) {
              segStart = this.capture(b, segStart, i);
              this.endElement();
              if (c === C.RBracket) this.where = Where.AfterValue;
            }
            continue;
          }
          if (c === C.Quote) this.inString = true;
          else if (c === C.LBrace || c === C.LBracket) this.depth++;
          else if (c === C.RBrace || c === C.RBracket) {
            this.depth--;
            if (this.depth === 0) {
              segStart = this.capture(b, segStart, i + 1);
              this.endElement();
            }
          }
          if (this.stopped) return false;
          continue;
        case Where.InKey:
        case Where.Done:
          return false;
      }
    }
    if (segStart >= 0) {
      if (this.where === Where.InKey) {
        this.keyParts.push(b.subarray(segStart));
        if (this.keyParts.reduce((n, p) => n + p.length, 0) > MAX_SCALAR_BYTES) return this.fail('member name too long');
      } else this.capture(b, segStart, b.length);
    }
    this.offset += b.length;
    return !this.stopped && this.error === null && this.where !== Where.Done;
  }

  /** Called at end of input: null when the document was complete (or reading was stopped), else the problem. */
  finish(): string | null {
    if (this.error !== null) return this.error;
    if (this.stopped || this.where === Where.Done) return null;
    if (this.where === Where.Start) return 'empty file';
    return this.where === Where.InArray ? `truncated inside the '${this.key}' array after ${this.elements} elements` : 'truncated JSON document';
  }

  /** Appends b[start, end) to the current value when capturing; returns the new segment start (-1 or 0 for a continuing capture). */
  private capture(b: Buffer, start: number, end: number): number {
    if (start < 0 || end <= start) return -1;
    const len = end - start;
    if (this.valueBytes + len > (this.where === Where.InArray ? this.maxElementBytes : MAX_SCALAR_BYTES)) this.oversize = true;
    else this.valueParts.push(b.subarray(start, end));
    this.valueBytes += len;
    return -1;
  }

  private endScalar(): void {
    this.where = Where.AfterValue;
    this.capturing = false;
    if (this.oversize || !this.handlers.scalar) {
      this.oversize = false;
      return;
    }
    try {
      this.handlers.scalar(this.currentKey, JSON.parse(Buffer.concat(this.valueParts).toString('utf8')));
    } catch {
      // a malformed scalar is not our business: only the array elements are
    }
  }

  private endElement(): void {
    const index = this.elements++;
    this.elementStarted = false;
    let e: StreamElement;
    if (this.oversize) e = { index, ok: false, error: `record larger than ${this.maxElementBytes} bytes (${this.valueBytes})` };
    else {
      try {
        e = { index, ok: true, value: JSON.parse(Buffer.concat(this.valueParts).toString('utf8')) };
      } catch (err) {
        e = { index, ok: false, error: `invalid JSON: ${(err as Error).message}` };
      }
    }
    this.valueParts = [];
    if (this.handlers.element(e) === false) this.stopped = true;
  }

  private fail(msg: string): false {
    this.error = msg;
    return false;
  }
}
