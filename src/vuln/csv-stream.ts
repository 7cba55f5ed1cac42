/**
 * A streaming CSV reader (RFC 4180: comma-separated fields, `"` quoting with `""` for a quote, CRLF or LF record
 * ends, line breaks allowed inside quoted fields) for the CISA KEV catalog's CSV form. Files are read in chunks;
 * one record is buffered at a time, bounded by MAX_CSV_RECORD characters. Never throws.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Longest record accepted (a KEV row is < 2 kB). */
export const MAX_CSV_RECORD = 1 << 20;

/** One record: its fields, the line it starts on, or why it was dropped. */
export type CsvRecord = { line: number; ok: true; fields: string[] } | { line: number; ok: false; error: string };

/** Incremental parser: feed text, receive records. */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private afterQuote = false;
  /** A quote ended the last chunk inside a quoted field: the next character decides ("" or end of field). */
  private quotePending = false;
  private size = 0;
  private oversize = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  constructor(private readonly onRecord: (r: CsvRecord) => boolean | void) {}

  /** Parses more text; false when the consumer asked to stop. */
  push(text: string): boolean {
    let i = 0;
    if (this.quotePending && text.length > 0) {
      this.quotePending = false;
      if (text[0] === '"') {
        this.add('"');
        i = 1;
      } else {
        this.quoted = false;
        this.afterQuote = true;
      }
    }
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') this.line++;
      if (this.quoted) {
        if (c === '"') {
          if (i + 1 === text.length) this.quotePending = true;
          else if (text[i + 1] === '"') {
            this.add('"');
            i++;
          } else {
            this.quoted = false;
            this.afterQuote = true;
          }
        } else this.add(c);
        continue;
      }
      if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
        this.afterQuote = false;
        this.started = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') continue; // the LF ends it
        if (!this.emit()) return false;
      } else if (c === '"' && this.field === '' && !this.afterQuote) {
        this.quoted = true;
        this.started = true;
      } else {
        this.add(c);
      }
    }
    return true;
  }

  /** Ends the input (emits a last record without a line break). */
  end(): void {
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (this.quoted) {
      this.onRecord({ line: this.recordLine, ok: false, error: 'unterminated quoted field at end of file' });
      return;
    }
    this.emit();
  }

  private add(c: string): void {
    this.started = true;
    if (++this.size > MAX_CSV_RECORD) this.oversize = true;
    else this.field += c;
  }

  private emit(): boolean {
    const line = this.recordLine;
    this.recordLine = this.line;
    if (!this.started && this.fields.length === 0 && this.field === '') return true; // blank line
    this.fields.push(this.field);
    const r: CsvRecord = this.oversize ? { line, ok: false, error: `record longer than ${MAX_CSV_RECORD} characters` } : { line, ok: true, fields: this.fields };
    this.fields = [];
    this.field = '';
    this.size = 0;
    this.oversize = false;
    this.afterQuote = false;
    this.started = false;
    return this.onRecord(r) !== false;
  }
}

/** Streams the records of a CSV file; returns an error only for I/O problems. */
export function streamCsvFile(path: string, onRecord: (r: CsvRecord) => boolean | void, chunkBytes = 1 << 20): { ok: true } | { ok: false; error: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, error: `cannot open: ${(err as Error).message}` };
  }
  const parser = new CsvParser(onRecord);
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.allocUnsafe(chunkBytes);
  let first = true;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) break;
      let text = decoder.write(buf.subarray(0, n));
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (!parser.push(text)) return { ok: true };
    }
    parser.push(decoder.end());
    parser.end();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `read error: ${(err as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
