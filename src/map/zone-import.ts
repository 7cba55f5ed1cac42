/**
 * `medtap import zones FILE`: zones declared by the organisation, from a CSV with a header line naming the columns
 * `name`, `vlan`, `cidr`, `purpose` (case-insensitive, any order; others are ignored and reported). Each row needs a
 * name and a VLAN id (1–4094, IEEE 802.1Q §9.6: 0 and 4095 are reserved) and/or a CIDR block (host bits zero);
 * purpose is one of ZONE_PURPOSES or empty. Bad rows are reported as `file:line: column: why` and the good rows
 * imported; re-importing updates zones by name. Learned zones with the same VLAN or block as an imported one are
 * removed (the imported zone replaces them) and every device is assigned again.
 */
import type Database from 'better-sqlite3';
import { readCsv } from '../context/csv-reader.js';
import { cidrText, parseCidr } from './ip-text.js';
import { assignZones } from './zones.js';

/** What a zone is for. */
export const ZONE_PURPOSES = ['clinical', 'it', 'guest', 'management', 'iot', 'voice', 'building', 'dmz', 'other'] as const;
/** Longest zone name. */
export const MAX_ZONE_NAME = 64;

const COLUMNS = ['name', 'vlan', 'cidr', 'purpose'] as const;

/** One valid zone row. */
export interface ZoneImportRow {
  name: string;
  vlan: number | null;
  cidr: string | null;
  purpose: string | null;
  line: number;
}

/** One refused row. */
export interface ZoneImportError {
  /** `file:line` */
  where: string;
  /** The column at fault, `-` for the whole row. */
  column: string;
  why: string;
}

/** The outcome of an import. */
export interface ZoneImportSummary {
  file: string;
  rows: number;
  imported: number;
  added: number;
  updated: number;
  /** Learned zones replaced by an imported one with the same VLAN or block. */
  learned_replaced: number;
  ignored_columns: string[];
  errors: ZoneImportError[];
  /** Devices assigned to a zone after the import. */
  devices_in_zones: number;
}

/** Reads and validates a zones CSV; `error` when the file has no usable header. */
export function readZoneFile(file: string, text: string): { rows: ZoneImportRow[]; errors: ZoneImportError[]; ignored: string[]; total: number } | { error: string } {
  const records = readCsv(text);
  const header = records[0];
  if (header === undefined) return { error: 'empty file (a header line naming name, vlan, cidr, purpose is expected)' };
  if (header.error !== undefined) return { error: `line ${header.line}: ${header.error}` };
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const at = (c: string): number => cols.indexOf(c);
  if (at('name') < 0 || (at('vlan') < 0 && at('cidr') < 0)) return { error: `line ${header.line}: the header must name a 'name' column and a 'vlan' and/or 'cidr' column` };
  const ignored = header.fields.filter((_, i) => !(COLUMNS as readonly string[]).includes(cols[i]!));
  const rows: ZoneImportRow[] = [];
  const errors: ZoneImportError[] = [];
  const seen = new Map<string, number>();
  for (const r of records.slice(1)) {
    const where = `${file}:${r.line}`;
    if (r.error !== undefined) {
      errors.push({ where, column: '-', why: r.error });
      continue;
    }
    const cell = (c: string): string => (at(c) < 0 ? '' : (r.fields[at(c)] ?? '').trim());
    const row = validateRow(cell, r.line);
    if ('why' in row) {
      errors.push({ where, ...row });
      continue;
    }
    const prev = seen.get(row.name.toLowerCase());
    if (prev !== undefined) {
      errors.push({ where, column: 'name', why: `zone '${row.name}' already defined on line ${prev}` });
      continue;
    }
    seen.set(row.name.toLowerCase(), r.line);
    rows.push(row);
  }
  return { rows, errors, ignored, total: records.length - 1 };
}

/** One row's values, or the column at fault and why. */
function validateRow(cell: (c: string) => string, line: number): ZoneImportRow | { column: string; why: string } {
  const name = cell('name');
  if (name === '') return { column: 'name', why: 'a zone name is required' };
  if (name.length > MAX_ZONE_NAME) return { column: 'name', why: `longer than ${MAX_ZONE_NAME} characters` };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { column: 'name', why: 'control characters are not allowed' };
  const vlanText = cell('vlan');
  let vlan: number | null = null;
  if (vlanText !== '') {
    if (!/^\d{1,4}$/.test(vlanText) || Number(vlanText) < 1 || Number(vlanText) > 4094) return { column: 'vlan', why: `'${vlanText}' is not a VLAN id (1-4094)` };
    vlan = Number(vlanText);
  }
  const cidrRaw = cell('cidr');
  let cidr: string | null = null;
  if (cidrRaw !== '') {
    const c = parseCidr(cidrRaw);
    if (c === null) {
      const loose = parseCidr(cidrRaw, true);
      return { column: 'cidr', why: loose ? `'${cidrRaw}' has host bits set (did you mean ${cidrText(loose)}?)` : `'${cidrRaw}' is not an address block (a.b.c.d/n or x::/n)` };
    }
    cidr = cidrText(c);
  }
  if (vlan === null && cidr === null) return { column: 'vlan', why: 'a VLAN id or a CIDR block (or both) is required' };
  const purposeText = cell('purpose').toLowerCase();
  if (purposeText !== '' && !(ZONE_PURPOSES as readonly string[]).includes(purposeText)) {
    return { column: 'purpose', why: `'${cell('purpose')}' is not one of ${ZONE_PURPOSES.join(', ')}` };
  }
  return { name, vlan, cidr, purpose: purposeText === '' ? null : purposeText, line };
}

/** Writes the valid rows (by name), removes the learned zones they replace, and assigns every device again. */
export function importZones(db: Database.Database, file: string, read: { rows: ZoneImportRow[]; errors: ZoneImportError[]; ignored: string[]; total: number }): ZoneImportSummary {
  const summary: ZoneImportSummary = { file, rows: read.total, imported: 0, added: 0, updated: 0, learned_replaced: 0,
    ignored_columns: read.ignored, errors: read.errors, devices_in_zones: 0 };
  db.transaction(() => {
    const exists = db.prepare('SELECT id FROM zones WHERE name = ?');
    const upsert = db.prepare(`INSERT INTO zones (name, vlan, cidr, purpose, source, confidence, evidence, file, line)
      VALUES (@name, @vlan, @cidr, @purpose, 'import', 1, @evidence, @file, @line)
      ON CONFLICT (name) DO UPDATE SET vlan = excluded.vlan, cidr = excluded.cidr, purpose = excluded.purpose, source = 'import',
        confidence = 1, evidence = excluded.evidence, file = excluded.file, line = excluded.line, first_us = NULL, last_us = NULL`);
    const replaced = db.prepare("DELETE FROM zones WHERE source <> 'import' AND ((vlan IS NOT NULL AND vlan = ?) OR (cidr IS NOT NULL AND cidr = ?))");
    for (const r of read.rows) {
      if (exists.get(r.name) === undefined) summary.added++;
      else summary.updated++;
      upsert.run({ ...r, evidence: `imported from ${file}:${r.line}`, file });
      summary.learned_replaced += replaced.run(r.vlan, r.cidr).changes;
      summary.imported++;
    }
    assignZones(db, true);
    summary.devices_in_zones = (db.prepare('SELECT COUNT(*) AS n FROM device_zones').get() as { n: number }).n;
  })();
  return summary;
}
