/**
 * MAC vendor lookup from the IEEE registry as packaged by `oui-data` (MA-L 24-bit, MA-M 28-bit and MA-S 36-bit
 * assignments; longest prefix wins).
 *
 * Loading the package's 5.6 MB JSON costs ~200 ms per process, so `npm run build` derives a sorted
 * "prefix<TAB>organisation" index (dist/data/oui-names.tsv, see scripts/build-oui-index.ts) that is read as bytes and
 * binary-searched in place (no decoding or splitting of the 1.7 MB: ~1 ms instead of ~35 ms). Without the index the
 * package is loaded directly.
 * Source: IEEE Registration Authority public listing, via the npm package oui-data (MIT).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { remembered } from '../memo/bounded-memo.js';

const require = createRequire(import.meta.url);
/** Where the build writes the derived index. */
export const OUI_INDEX_PATH = fileURLToPath(new URL('../../data/oui-names.tsv', import.meta.url));

/** The index file's bytes, from its first entry line on (the '#' header skipped), or null without an index. */
let index: { bytes: Buffer; start: number } | null | undefined;
let registry: Record<string, string> | null = null;
let registryVersion: string | undefined;

/** The organisation line of a registry entry ("name\naddress…" → "name"). */
export function organisationName(entry: string): string {
  const nl = entry.indexOf('\n');
  return (nl < 0 ? entry : entry.slice(0, nl)).trim();
}

/** Reads the index once per process as raw bytes: searched in place, never decoded or split whole. */
function loadIndex(): { bytes: Buffer; start: number } | null {
  if (index !== undefined) return index;
  if (!existsSync(OUI_INDEX_PATH)) return (index = null);
  const bytes = readFileSync(OUI_INDEX_PATH);
  let start = 0;
  while (start < bytes.length && bytes[start] === 35) { // '#' header lines
    const nl = bytes.indexOf(10, start);
    start = nl < 0 ? bytes.length : nl + 1;
  }
  return (index = { bytes, start });
}

/**
 * Compares the key of the line at `s` (the bytes before its tab) with `key` (ASCII) as strings compare: < 0, 0, > 0.
 * The tab (9) sorts before every key character, so a shorter key that is a prefix sorts first.
 */
function compareLineKey(b: Buffer, s: number, end: number, key: string): number {
  for (let i = 0; ; i++) {
    const c = s + i < end ? b[s + i]! : 9;
    const k = i < key.length ? key.charCodeAt(i) : 9;
    if (c !== k) return c - k;
    if (c === 9) return 0;
  }
}

/**
 * Binary search of the sorted "PREFIX<TAB>name" lines by byte offset: [lo, hi) always spans whole lines; each step
 * takes the line around the middle byte.
 */
function searchIndex(ix: { bytes: Buffer; start: number }, key: string): string | null {
  const b = ix.bytes;
  let lo = ix.start;
  let hi = b.length;
  while (lo < hi) {
    // byte loops, not Buffer#indexOf: lines are ~31 bytes and a native call per step cost more than scanning them
    let s = (lo + hi) >>> 1;
    while (s > lo && b[s - 1] !== 10) s--;
    let e = s;
    while (e < hi && b[e] !== 10) e++;
    const cmp = compareLineKey(b, s, e, key);
    if (cmp === 0) return b.toString('utf8', s + key.length + 1, e);
    if (cmp < 0) lo = e + 1;
    else hi = s;
  }
  return null;
}

/** Answers by prefix key already looked up (a site's MACs share few prefixes); cleared when full. */
const answers = new Map<string, string | null>();
/** Most prefix keys remembered in `answers`. */
const ANSWERS_MAX = 65_536;

function lookupRaw(key: string): string | null {
  const ix = loadIndex();
  if (ix) return remembered(answers, ANSWERS_MAX, key, (k) => searchIndex(ix, k));
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
  if (registryVersion !== undefined) return registryVersion;
  try {
    const pkg = join(dirname(require.resolve('oui-data')), 'package.json');
    registryVersion = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    registryVersion = 'unknown';
  }
  return registryVersion;
}
