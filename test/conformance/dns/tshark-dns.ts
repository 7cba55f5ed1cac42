/**
 * Typed loader for tshark-dns.json (written by scripts/make-dns-baselines.ts): tshark 4.0's DNS / mDNS / LLMNR
 * field values per capture and frame, and accessors over one frame's values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One stored value: null (no occurrence), a string (one), an array of strings (several). */
export type TsharkValue = string | string[] | null;

/** One capture of the baseline. */
export interface TsharkDnsCapture {
  sha256: string;
  size: number;
  selected_by: string;
  dns_frames: number;
  by_protocol: Record<string, number>;
  tcp_frames_skipped: number;
  notes: string[];
  tshark_error?: string;
  /** Frame number → tshark values for `fields[1..]` (trailing nulls dropped). */
  frames: Record<string, TsharkValue[]>;
}

/** The whole baseline document. */
export interface TsharkDnsBaselines {
  generator: string;
  tshark_version: string;
  corpus: string;
  selection: string;
  commands: string[];
  /** Field names; the first is frame.number (the key of `frames`). */
  fields: string[];
  totals: { captures: number; dns_frames: number; by_protocol: Record<string, number>; tcp_frames_skipped: number };
  captures: Record<string, TsharkDnsCapture>;
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
export function dnsBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'dns', 'tshark-dns.json');
}

/** Absolute path of the shared corpus (`../shared/corpus` from the repository root). */
export function corpusRoot(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpus');
}

const isValue = (v: unknown): boolean =>
  v === null || typeof v === 'string' || (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string'));

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkDns(path: string = dnsBaselinesPath()): TsharkDnsBaselines {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as TsharkDnsBaselines;
  const bad = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (!Array.isArray(doc.fields) || doc.fields[0] !== 'frame.number') bad('fields must start with frame.number');
  if (new Set(doc.fields).size !== doc.fields.length) bad('duplicate field names');
  if (typeof doc.captures !== 'object' || doc.captures === null) bad('captures missing');
  for (const [name, c] of Object.entries(doc.captures)) {
    if (typeof c.sha256 !== 'string' || typeof c.frames !== 'object') bad(`${name}: sha256/frames missing`);
    for (const [num, v] of Object.entries(c.frames)) {
      if (!/^\d+$/.test(num) || !Array.isArray(v) || v.length > doc.fields.length - 1 || !v.every(isValue)) bad(`${name} frame ${num}: bad row`);
    }
  }
  return doc;
}

/** Accessors over one frame's values. */
export interface TsharkDnsFrame {
  /** The first (usually only) occurrence, '' when absent. */
  get(field: string): string;
  /** Every occurrence, in tshark's order ([] when absent). */
  all(field: string): string[];
  /** True if tshark shows the field at least once. */
  has(field: string): boolean;
}

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkDnsBaselines): (row: TsharkValue[]) => TsharkDnsFrame {
  const index = new Map(doc.fields.map((f, i) => [f, i - 1]));
  const col = (field: string): number => {
    const i = index.get(field);
    if (i === undefined || i < 0) throw new Error(`field ${field} is not in tshark-dns.json (regenerate it?)`);
    return i;
  };
  return (row) => {
    const all = (field: string): string[] => {
      const v = row[col(field)] ?? null;
      return v === null ? [] : typeof v === 'string' ? [v] : v;
    };
    return {
      get: (field) => all(field)[0] ?? '',
      all,
      has: (field) => (row[col(field)] ?? null) !== null,
    };
  };
}
