/**
 * Address texts of the ingest's hot paths, interned: the same MACs and IPv4 addresses recur in many observation
 * contexts, flows and fingerprints, so each text is made once while it stays in a bounded memo (src/memo/).
 */
import { ipToString, ipv4ToString, macToString } from './address.js';
import { remembered } from '../memo/bounded-memo.js';

/** Most MAC and IPv4 texts kept for reuse (the same hosts appear in many contexts); the cache is emptied when full. */
const MAX_INTERNED = 65_536;
const macTexts = new Map<number, string>();
const ipv4Texts = new Map<number, string>();

/** The text of `k`, made once while it stays in `cache`. */
const interned = (cache: Map<number, string>, k: number, make: (k: number) => string): string => remembered(cache, MAX_INTERNED, k, make);

/** MAC text (as macToString), interned. */
export const macText = (m: number): string => interned(macTexts, m, macToString);

/** Address text (as ipToString), IPv4 texts interned. */
export function ipText(version: number, w: Uint32Array): string {
  return version === 4 ? interned(ipv4Texts, w[3]!, ipv4ToString) : ipToString(version, w);
}
