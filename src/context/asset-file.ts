/**
 * Reads an asset register export — CSV (first record = header) or JSON (an array of flat objects) — into asset
 * rows through a column mapping (asset-fields.ts). Each bad row becomes one error with `line`, `column` and why; the
 * good rows are kept. A row is bad when a value does not check, when it has no identifying field, when its field
 * count differs from the header, or when its key repeats an earlier row of the same file.
 */
import { readCsv } from './csv-reader.js';
import { assetKey, type AssetField, type AssetValues, checkValue, fieldOf, IDENTIFYING_FIELDS } from './asset-fields.js';

/** Most rows read from one file. */
export const MAX_ASSET_ROWS = 200_000;

/** One good row. */
export interface AssetRow {
  line: number;
  key: string;
  values: AssetValues;
}

/** One refused row: where (1-based line; column name or '-' for the whole row) and why. */
export interface AssetRowError {
  line: number;
  column: string;
  why: string;
}

/** What a file holds: good rows, refused rows, and columns that map to nothing. */
export interface AssetFileContent {
  rows: AssetRow[];
  errors: AssetRowError[];
  /** Register columns neither mapped nor recognised (ignored). */
  ignored_columns: string[];
  /** Records read (excluding the CSV header). */
  records: number;
}

/** A raw record before checking: its line and its (column, text) cells. */
interface RawRecord {
  line: number;
  cells: [string, string][];
  error?: AssetRowError;
}

/** Reads `text` (CSV, or JSON when `json`) with `mapping` (normalised header → field or null). */
export function readAssetFile(text: string, json: boolean, mapping: ReadonlyMap<string, AssetField | null>): AssetFileContent | { error: string } {
  const raw = json ? jsonRecords(text) : csvRecords(text);
  if ('error' in raw) return raw;
  const ignored = raw.columns.filter((c) => fieldOf(c, mapping) === null);
  const out: AssetFileContent = { rows: [], errors: [], ignored_columns: ignored, records: raw.records.length };
  const seen = new Map<string, number>();
  for (const r of raw.records.slice(0, MAX_ASSET_ROWS)) {
    const row = r.error ?? checkRecord(r, mapping);
    if ('why' in row) {
      out.errors.push(row);
      continue;
    }
    const first = seen.get(row.key);
    if (first !== undefined) {
      out.errors.push({ line: r.line, column: '-', why: `same asset (${row.key}) as line ${first}` });
      continue;
    }
    seen.set(row.key, r.line);
    out.rows.push(row);
  }
  if (raw.records.length > MAX_ASSET_ROWS) out.errors.push({ line: raw.records[MAX_ASSET_ROWS]!.line, column: '-', why: `more than ${MAX_ASSET_ROWS} rows: the rest is not read` });
  return out;
}

/** Checks every mapped cell of a record; the first bad value refuses the row. */
function checkRecord(r: RawRecord, mapping: ReadonlyMap<string, AssetField | null>): AssetRow | AssetRowError {
  const values: AssetValues = {};
  for (const [column, text] of r.cells) {
    const field = fieldOf(column, mapping);
    if (field === null || text.trim() === '') continue;
    const c = checkValue(field, text);
    if (!c.ok) return { line: r.line, column, why: c.why };
    if (values[field] !== undefined && values[field] !== c.value) return { line: r.line, column, why: `a second ${field} column with a different value ('${values[field]}')` };
    values[field] = c.value;
  }
  const key = assetKey(values);
  if (key === null) return { line: r.line, column: '-', why: `no identifying value (one of ${IDENTIFYING_FIELDS.join(', ')})` };
  return { line: r.line, key, values };
}

/** CSV: the header names the columns; each later record is a row. */
function csvRecords(text: string): { columns: string[]; records: RawRecord[] } | { error: string } {
  const recs = readCsv(text);
  const header = recs[0];
  if (!header) return { error: 'empty file: no header line' };
  if (header.error !== undefined) return { error: `line ${header.line}: header: ${header.error}` };
  const columns = header.fields.map((h) => h.trim());
  const records = recs.slice(1).map((r): RawRecord => {
    if (r.error !== undefined) return { line: r.line, cells: [], error: { line: r.line, column: '-', why: r.error } };
    if (r.fields.length !== columns.length) {
      return { line: r.line, cells: [], error: { line: r.line, column: '-', why: `${r.fields.length} fields, the header has ${columns.length}` } };
    }
    return { line: r.line, cells: r.fields.map((f, i) => [columns[i]!, f]) };
  });
  return { columns, records };
}

/** JSON: an array of flat objects; scalar members are cells (numbers and booleans as text). */
function jsonRecords(text: string): { columns: string[]; records: RawRecord[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(doc)) return { error: 'a JSON asset file must be an array of objects' };
  const lines = elementLines(text);
  const columns = new Set<string>();
  const records = doc.map((el: unknown, i): RawRecord => {
    const line = lines[i] ?? 1;
    if (typeof el !== 'object' || el === null || Array.isArray(el)) return { line, cells: [], error: { line, column: '-', why: `element ${i + 1} is not an object` } };
    const cells: [string, string][] = [];
    for (const [k, v] of Object.entries(el as Record<string, unknown>)) {
      columns.add(k);
      if (v === null) continue;
      if (typeof v === 'object') return { line, cells: [], error: { line, column: k, why: 'a nested object or array (values must be text, numbers or booleans)' } };
      cells.push([k, String(v)]);
    }
    return { line, cells };
  });
  return { columns: [...columns], records };
}

/** Line on which each element of a top-level JSON array starts (a scan tracking strings and nesting). */
export function elementLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      out.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return out;
}
