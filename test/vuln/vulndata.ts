/** Paths to the shared vulnerability data (../shared/vulndata, see its SOURCES.md) for the vuln tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/cli-harness.js';

/** The shared vulnerability data directory. */
export const VULNDATA = join(ROOT, '../shared/vulndata');

/** One oracle row of ../shared/vulndata/cvss/*.tsv. */
export interface OracleRow {
  line: number;
  version: string;
  vector: string;
  base: string;
  temporal_or_threat: string;
  environmental: string;
  note: string;
  source: string;
}

/** Reads an oracle table (columns: version, vector, base, temporal_or_threat, environmental, note, source). */
export function readOracle(file: string): OracleRow[] {
  const lines = readFileSync(join(VULNDATA, 'cvss', file), 'utf8').split('\n');
  const rows: OracleRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const c = lines[i]!.split('\t');
    rows.push({ line: i + 1, version: c[0]!, vector: c[1]!, base: c[2] ?? '', temporal_or_threat: c[3] ?? '', environmental: c[4] ?? '', note: c[5] ?? '', source: c[6] ?? '' });
  }
  return rows;
}
