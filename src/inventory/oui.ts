/**
 * MAC vendor lookup from the IEEE registry as packaged by `oui-data` (MA-L 24-bit, MA-M 28-bit and MA-S 36-bit
 * assignments; longest prefix wins).
 *
 * Loading the package's 5.6 MB JSON costs ~200 ms per process, so `npm run build` derives a sorted
 * "prefix<TAB>organisation" index (dist/data/oui-names.tsv, see scripts/build-oui-index.ts) that is searched by
 * binary search without parsing it whole. Without the index the package is loaded directly.
 * Source: IEEE Registration Authority public listing, via the npm package oui-data (MIT).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** Where the build writes the derived index. */
export const OUI_INDEX_PATH = fileURLToPath(new URL('../../data/oui-names.tsv', import.meta.url));

interface Index {
  text: string;
  starts: Int32Array;
  count: number;
}
let index: Index | null = null;
let registry: Record<string, string> | null = null;

/** The organisation line of a registry entry ("name\naddress…" → "name"). */
export function organisationName(entry: string): string {
  const nl = entry.indexOf('\n');
  return (nl < 0 ? entry : entry.slice(0, nl)).trim();
}

function loadIndex(): Index | null {
  if (index) return index;
  if (!existsSync(OUI_INDEX_PATH)) return null;
  const text = readFileSync(OUI_INDEX_PATH, 'utf8');
  const starts: number[] = [];
  let o = 0;
  while (o < text.length) {
    if (text.charCodeAt(o) !== 35) starts.push(o); // skip '#' header lines
    const nl = text.indexOf('\n', o);
    if (nl < 0) break;
    o = nl + 1;
  }
  index = { text, starts: Int32Array.from(starts), count: starts.length };
  return index;
}

function searchIndex(ix: Index, key: string): string | null {
  let lo = 0;
  let hi = ix.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = ix.starts[mid]!;
    const tab = ix.text.indexOf('\t', s);
    const k = ix.text.slice(s, tab);
    if (k === key) {
      const nl = ix.text.indexOf('\n', tab);
      return ix.text.slice(tab + 1, nl < 0 ? undefined : nl);
    }
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

function lookupRaw(key: string): string | null {
  const ix = loadIndex();
  if (ix) return searchIndex(ix, key);
  registry ??= require('oui-data') as Record<string, string>;
  const e = registry[key];
  return e === undefined ? null : organisationName(e);
}

/** Organisation name registered for the MAC's prefix, or null (unknown, subdivided block not listed). */
export function lookupOuiVendor(mac: number): string | null {
  const hex = Math.floor(mac).toString(16).padStart(12, '0').toUpperCase();
  const name = lookupRaw(hex.slice(0, 9)) ?? lookupRaw(hex.slice(0, 7)) ?? lookupRaw(hex.slice(0, 6));
  // A block the IEEE subdivided (MA-M/MA-S) whose sub-assignment is not listed: the owner is unknown.
  return name === null || name === '' || name === 'IEEE Registration Authority' ? null : name;
}

/** The version of the oui-data package in use (provenance for vendor attributes). */
export function ouiRegistryVersion(): string {
  try {
    const pkg = join(dirname(require.resolve('oui-data')), 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
