/**
 * Typed loader for tshark-dhcp.json (written by scripts/make-dhcp-baselines.ts): tshark 4.0's DHCP field values per
 * capture and frame, and accessors that split tshark's aggregated values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One capture of the baseline. */
export interface TsharkDhcpCapture {
  sha256: string;
  size: number;
  selected_by: string;
  dhcp_frames: number;
  notes: string[];
  tshark_error?: string;
  /** Frame number → raw tshark strings for `fields[1..]` (trailing empty values dropped). */
  frames: Record<string, string[]>;
}

/** The whole baseline document. */
export interface TsharkDhcpBaselines {
  generator: string;
  tshark_version: string;
  corpus: string;
  selection: string;
  commands: string[];
  /** Field names; the first is frame.number (the key of `frames`). */
  fields: string[];
  totals: { captures: number; dhcp_frames: number };
  captures: Record<string, TsharkDhcpCapture>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The directory holding package.json, found by walking up from this module (works from src and dist). */
export function repoRoot(): string {
  let dir = here;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${here}`);
    dir = up;
  }
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function dhcpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'dhcp', 'tshark-dhcp.json');
}

/** Absolute path of the shared corpus (`../shared/corpus` from the repository root). */
export function corpusRoot(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpus');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkDhcp(path: string = dhcpBaselinesPath()): TsharkDhcpBaselines {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as TsharkDhcpBaselines;
  const bad = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (!Array.isArray(doc.fields) || doc.fields[0] !== 'frame.number') bad('fields must start with frame.number');
  if (typeof doc.captures !== 'object' || doc.captures === null) bad('captures missing');
  for (const [name, c] of Object.entries(doc.captures)) {
    if (typeof c.sha256 !== 'string' || typeof c.frames !== 'object') bad(`${name}: sha256/frames missing`);
    for (const [num, v] of Object.entries(c.frames)) {
      if (!/^\d+$/.test(num) || !Array.isArray(v) || v.length > doc.fields.length - 1) bad(`${name} frame ${num}: bad row`);
    }
  }
  return doc;
}

/** Accessors over one frame's row. */
export interface TsharkDhcpFrame {
  /** The raw value ('' when tshark printed nothing). */
  get(field: string): string;
  /** The aggregated value split at "," ([] when empty). Only for fields whose values cannot contain a comma. */
  list(field: string): string[];
}

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkDhcpBaselines): (row: string[]) => TsharkDhcpFrame {
  const index = new Map(doc.fields.map((f, i) => [f, i - 1]));
  const col = (field: string): number => {
    const i = index.get(field);
    if (i === undefined || i < 0) throw new Error(`field ${field} is not in tshark-dhcp.json (regenerate it?)`);
    return i;
  };
  return (row) => ({
    get: (field) => row[col(field)] ?? '',
    list: (field) => {
      const v = row[col(field)] ?? '';
      return v === '' ? [] : v.split(',');
    },
  });
}
