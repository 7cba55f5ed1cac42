/** Plain-text tables for the CLI (left-aligned text, right-aligned numbers, '-' for null). */

/** A column: header and how to get the cell text from a row. */
export interface Column<T> {
  header: string;
  get: (row: T) => string | number | boolean | null | undefined;
  /** Truncate cells longer than this many characters. */
  max?: number;
}

/** Renders rows as an aligned table with a header line. */
export function renderTable<T>(rows: T[], cols: Column<T>[]): string {
  const cells = rows.map((r) => cols.map((c) => {
    const v = c.get(r);
    let s = v === null || v === undefined || v === '' ? '-' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
    if (c.max !== undefined && s.length > c.max) s = `${s.slice(0, c.max - 1)}…`;
    return s;
  }));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => {
    const v = c.get(r);
    return typeof v === 'number' || v === null || v === undefined;
  }));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]): string => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cols.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Human-readable byte count (decimal units). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
