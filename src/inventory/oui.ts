/**
 * MAC vendor lookup from the IEEE registry as packaged by `oui-data` (MA-L 24-bit, MA-M 28-bit and MA-S 36-bit
 * assignments; longest prefix wins). The registry is loaded lazily once per process.
 * Source: IEEE Registration Authority public listing, via the npm package oui-data (MIT), version in package.json.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let registry: Record<string, string> | null = null;

function load(): Record<string, string> {
  registry ??= require('oui-data') as Record<string, string>;
  return registry;
}

/** Organisation name registered for the MAC's prefix, or null (unknown or locally administered). */
export function lookupOuiVendor(mac: number): string | null {
  const hex = Math.floor(mac).toString(16).padStart(12, '0').toUpperCase();
  const reg = load();
  const hit = reg[hex.slice(0, 9)] ?? reg[hex.slice(0, 7)] ?? reg[hex.slice(0, 6)];
  if (hit === undefined) return null;
  const name = hit.split('\n', 1)[0]!.trim();
  // A block the IEEE subdivided (MA-M/MA-S) whose sub-assignment is not listed: the owner is unknown.
  return name === '' || name === 'IEEE Registration Authority' ? null : name;
}

/** The version of the oui-data package in use (provenance for vendor attributes). */
export function ouiRegistryVersion(): string {
  try {
    return (require('oui-data/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
