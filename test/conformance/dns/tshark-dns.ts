/**
 * Typed loader for tshark-dns.json (written by scripts/make-dns-baselines.ts): tshark 4.0's DNS / mDNS / LLMNR
 * field values per capture and frame, and accessors over one frame's values.
 */
import { join } from 'node:path';
import {
  frameFieldColumns,
  loadTsharkFrameBaselines,
  repoRoot,
  type TsharkFrameBaselines,
  type TsharkFrameCapture,
} from '../corpus-frames.js';

/** One stored value: null (no occurrence), a string (one), an array of strings (several). */
export type TsharkValue = string | string[] | null;

/** One capture of the baseline; `frames` maps a frame number to tshark values for `fields[1..]` (trailing nulls dropped). */
export interface TsharkDnsCapture extends TsharkFrameCapture<TsharkValue[]> {
  dns_frames: number;
  by_protocol: Record<string, number>;
  tcp_frames_skipped: number;
}

/** The whole baseline document. */
export interface TsharkDnsBaselines extends TsharkFrameBaselines<TsharkDnsCapture> {
  totals: { captures: number; dns_frames: number; by_protocol: Record<string, number>; tcp_frames_skipped: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function dnsBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'dns', 'tshark-dns.json');
}

const isValue = (v: unknown): boolean =>
  v === null || typeof v === 'string' || (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string'));

/**
 * Loads and shape-checks the baseline (field names unique, every value one of TsharkValue's forms).
 * @throws if the file is missing or malformed.
 */
export function loadTsharkDns(path: string = dnsBaselinesPath()): TsharkDnsBaselines {
  return loadTsharkFrameBaselines<TsharkDnsBaselines>(path, false, { uniqueFields: true, isCell: isValue });
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
  const col = frameFieldColumns(doc.fields, 'tshark-dns.json');
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
