/**
 * A small CSV reader after RFC 4180 (§2): fields separated by commas, records by CRLF (a bare LF or CR is accepted
 * too), fields optionally enclosed in double quotes, a quote inside a quoted field doubled (""), commas and line
 * breaks allowed inside quoted fields. A leading UTF-8 byte order mark is skipped (spreadsheet exports add one).
 *
 * Never throws: a malformed record (a quote inside an unquoted field, text after a closing quote, an unterminated
 * quoted field, a field or record over its limit) is returned with an `error` and the reader resynchronises at the
 * next line break outside quotes, so the good records around it are kept. Every record carries the 1-based line on
 * which it starts, for `file:line` messages.
 */

/** Longest field kept, in characters (an asset register cell is short; anything longer is a broken export). */
export const MAX_CSV_FIELD_CHARS = 4096;
/** Most fields in one record. */
export const MAX_CSV_FIELDS = 256;

/** One record: its fields, the line it starts on, and an error when it is malformed. */
export interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/** Parser state while reading one record. */
interface Cursor {
  text: string;
  pos: number;
  line: number;
}

const BOM = '\uFEFF';

/** Reads every record of `text` (blank lines are skipped). */
export function readCsv(text: string): CsvRecord[] {
  const c: Cursor = { text, pos: text.startsWith(BOM) ? 1 : 0, line: 1 };
  const out: CsvRecord[] = [];
  while (c.pos < text.length) {
    const rec = readRecord(c);
    if (rec.error !== undefined || rec.fields.length > 1 || rec.fields[0] !== '') out.push(rec);
  }
  return out;
}

/** Consumes a line break at the cursor (CRLF, LF or CR); returns false when there is none. */
function lineBreak(c: Cursor): boolean {
  const ch = c.text[c.pos];
  if (ch === '\r') {
    c.pos += c.text[c.pos + 1] === '\n' ? 2 : 1;
  } else if (ch === '\n') {
    c.pos += 1;
  } else {
    return false;
  }
  c.line++;
  return true;
}

/** Reads one record; on error skips to the end of the current line (outside quotes). */
function readRecord(c: Cursor): CsvRecord {
  const line = c.line;
  const fields: string[] = [];
  for (;;) {
    const quoted = c.text[c.pos] === '"';
    const f = quoted ? quotedField(c) : plainField(c);
    // After a stray quote in an unquoted field, quotes no longer pair up: resynchronise at the end of the line.
    if (typeof f !== 'string') return skipRest(c, { line, fields, error: f.error }, quoted);
    if (fields.length >= MAX_CSV_FIELDS) return skipRest(c, { line, fields, error: `more than ${MAX_CSV_FIELDS} fields` }, true);
    fields.push(f);
    if (c.pos >= c.text.length || lineBreak(c)) return { line, fields };
    c.pos++; // the comma
  }
}

/** An unquoted field, up to a comma or line break. */
function plainField(c: Cursor): string | { error: string } {
  const start = c.pos;
  for (; c.pos < c.text.length; c.pos++) {
    const ch = c.text[c.pos];
    if (ch === ',' || ch === '\r' || ch === '\n') break;
    if (ch === '"') return { error: `field ${fieldLabel(c, start)}: a double quote inside an unquoted field (quote the field and double the quote)` };
  }
  if (c.pos - start > MAX_CSV_FIELD_CHARS) return { error: `field longer than ${MAX_CSV_FIELD_CHARS} characters` };
  return c.text.slice(start, c.pos);
}

/** A quoted field: "" is a quote; commas and line breaks are data. The cursor ends after the closing quote. */
function quotedField(c: Cursor): string | { error: string } {
  const startLine = c.line;
  let value = '';
  c.pos++;
  for (;;) {
    const close = c.text.indexOf('"', c.pos);
    if (close < 0) {
      c.pos = c.text.length;
      return { error: `quoted field opened on line ${startLine} is never closed` };
    }
    // Past the limit, the rest of the field is still scanned (to its closing quote) but no longer kept.
    if (value.length <= MAX_CSV_FIELD_CHARS) value += countBreaks(c, c.text.slice(c.pos, close));
    else countBreaks(c, c.text.slice(c.pos, close));
    c.pos = close + 1;
    if (c.text[c.pos] !== '"') break;
    value += '"';
    c.pos++;
  }
  if (value.length > MAX_CSV_FIELD_CHARS) return { error: `field longer than ${MAX_CSV_FIELD_CHARS} characters` };
  const next = c.text[c.pos];
  if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') return { error: 'text after the closing quote of a quoted field' };
  return value;
}

/** Advances the line counter over the line breaks inside a quoted chunk; returns the chunk. */
function countBreaks(c: Cursor, chunk: string): string {
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === '\n' || (chunk[i] === '\r' && chunk[i + 1] !== '\n')) c.line++;
  }
  return chunk;
}

/** 1-based position of the field starting at `start` on its line, for messages. */
function fieldLabel(c: Cursor, start: number): number {
  let n = 1;
  for (let i = start - 1; i >= 0 && c.text[i] !== '\n' && c.text[i] !== '\r'; i--) if (c.text[i] === ',') n++;
  return n;
}

/** Skips to just after the next line break (outside quotes when `quoteAware`) or the end; returns the failed record. */
function skipRest(c: Cursor, rec: CsvRecord, quoteAware: boolean): CsvRecord {
  let quoted = false;
  while (c.pos < c.text.length) {
    const ch = c.text[c.pos];
    if (ch === '"' && quoteAware) quoted = !quoted;
    if (!quoted && lineBreak(c)) break;
    if (ch === '\n' || (ch === '\r' && c.text[c.pos + 1] !== '\n')) c.line++;
    c.pos++;
  }
  return rec;
}
