/**
 * Passive TCP OS fingerprinting in the manner of p0f v3: a SYN or SYN-ACK kept by the flow table (SynInfo) becomes
 * a fingerprint (initial TTL and hop distance, IP options length, MSS, window and its relation to the MSS, window
 * scale, option layout, quirks, payload), written as p0f writes its raw signatures so the two can be compared; the
 * fingerprint is then matched against the signature file (tcp-signatures.ts). Pure and allocation-light.
 *
 * Matching follows the rules the p0f v3 README §5 documents: a signature's fixed fields must agree; the window may
 * be given as a value, a multiple of the MSS or MTU, a modulus or a wildcard; an exact match needs the same quirks
 * and a TTL at most MAX_HOPS below the signature's initial TTL; a fuzzy match tolerates 'df' or 'id+' disappearing,
 * 'id-' or 'ecn' appearing (what middleboxes and per-connection ECN do) and a TTL out of range. Specific signatures
 * win over generic ones, exact over fuzzy, and the first line in file order over later ones.
 */
import type { SynInfo } from '../flow/flow-table.js';
import { IPV4_ONLY_QUIRKS, IPV6_ONLY_QUIRKS, MAX_HOPS, quirkMask, quirkText, type TcpDirection, type TcpSignature,
  type TcpSignatureDb } from './tcp-signatures.js';
import { remembered } from '../memo/bounded-memo.js';

/** Confidence of a tcp_os fact by match quality (the rule that produced it is in the evidence). */
export const TCP_OS_CONFIDENCE = { exact: 0.75, exact_generic: 0.5, fuzzy: 0.35, fuzzy_generic: 0.25 } as const;
/** Confidence of a hop distance from a matched signature's initial TTL / from rounding up to 32, 64, 128 or 255. */
export const HOP_DISTANCE_CONFIDENCE = { matched: 0.7, guessed: 0.5 } as const;
/** IPv4 / IPv6 plus TCP fixed header bytes: MSS + this is the MTU of a stack that sends no options. */
const MIN_TCP4 = 40;
const MIN_TCP6 = 60;
/** Ethernet MTU, and the MSS it gives over IPv4 / IPv6 without options (stacks size windows from it). */
const ETHERNET_MTU = 1500;
/** Timestamps take 12 option bytes per segment: some stacks size the window from MSS - 12. */
const TIMESTAMP_OPTION_BYTES = 12;
/** Option bytes by layout item, to size the header; SACK blocks and unknown kinds are counted as their minimum. */
const OPTION_BYTES: Record<string, number> = { mss: 4, nop: 1, ws: 3, sok: 2, sack: 10, ts: 10 };

/** The window as a multiple of an MSS or MTU, when it is one. */
export interface WindowMultiple {
  unit: 'mss' | 'mtu';
  n: number;
}

/** A SYN or SYN-ACK fingerprint. */
export interface TcpFingerprint {
  direction: TcpDirection;
  ipVersion: number;
  ttl: number;
  olen: number;
  /** MSS option value, 0 when absent (p0f's notation). */
  mss: number;
  window: number;
  /** Window scale shift, 0 when absent (the layout tells absence). */
  scale: number;
  layout: string;
  quirks: number;
  /** Bytes of payload in the segment. */
  payload: number;
  /** Own timestamp value, 0 when absent. */
  tsVal: number;
  multiple: WindowMultiple | null;
  /** Initial TTL guessed by rounding the TTL up to 32, 64, 128 or 255, and the distance it implies. */
  guessedIttl: number;
  /** p0f-style raw signature: `ver:ttl+dist:olen:mss:wsize,scale:olayout:quirks:pclass`. */
  raw: string;
}

/** The outcome of matching one fingerprint. */
export interface TcpOsMatch {
  signature: TcpSignature | null;
  quality: 'exact' | 'fuzzy' | 'none';
  /** Hops between the sender and the capture point (null when the signature randomises its TTL). */
  distance: number | null;
  /** Whether the distance comes from a matched signature's initial TTL rather than the rounding guess. */
  distanceFromSignature: boolean;
  /** Confidence of the OS label (0 when nothing matched). */
  confidence: number;
}

/** Initial TTL guessed from a received one: the next of 32, 64, 128, 255 at or above it. */
export function guessInitialTtl(ttl: number): number {
  return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/**
 * The fingerprint of a SYN (`direction` 'syn') or SYN-ACK ('syn-ack'); `peerMss` is the MSS of the SYN the SYN-ACK
 * answers, when known (some servers size their window from it).
 */
export function tcpFingerprint(s: SynInfo, direction: TcpDirection, peerMss: number | null = null): TcpFingerprint {
  const mss = s.mss ?? 0;
  const tsVal = s.ts_val ?? 0;
  const header = (s.ip_version === 6 ? 40 : 20) + s.ip_olen + 20 + optionBytes(s.layout);
  const multiple = windowMultiple(s.window, mss, tsVal, s.ip_version, header, direction === 'syn-ack' ? peerMss : null);
  const guessedIttl = guessInitialTtl(s.ttl);
  const quirks = quirksOf(s.quirks);
  const dist = guessedIttl - s.ttl;
  const wtext = multiple ? `${multiple.unit}*${multiple.n}` : String(s.window);
  const raw = `${s.ip_version}:${s.ttl}+${dist > MAX_HOPS ? '?' : dist}:${s.ip_olen}:${mss}:${wtext},${s.wscale ?? 0}:${s.layout}:` +
    `${quirksText(quirks)}:${s.payload > 0 ? '+' : '0'}`;
  return {
    direction, ipVersion: s.ip_version, ttl: s.ttl, olen: s.ip_olen, mss, window: s.window, scale: s.wscale ?? 0,
    layout: s.layout, quirks, payload: s.payload, tsVal, multiple, guessedIttl, raw,
  };
}

/** Most entries of each memo below (cleared when full); a network has few distinct layouts and quirk sets. */
const MAX_MEMO = 1024;

/** `compute(k)` remembered in `memo` (pure functions of short strings or masks that recur in every handshake). */
const memoised = <K, V>(memo: Map<K, V>, k: K, compute: (k: K) => V): V => remembered(memo, MAX_MEMO, k, compute);

const quirkMasks = new Map<string, number>();
const quirkTexts = new Map<number, string>();
const layoutBytes = new Map<string, number>();
/** The quirk mask of a SynInfo's comma-separated quirks. */
const quirksOf = (q: string): number => memoised(quirkMasks, q, (x) => quirkMask(x === '' ? [] : x.split(',')));
const quirksText = (m: number): string => memoised(quirkTexts, m, quirkText);

/** Bytes the options of a layout take (eol+N counts its padding). */
function optionBytes(layout: string): number {
  return memoised(layoutBytes, layout, (l) => {
    if (l === '') return 0;
    let n = 0;
    for (const it of l.split(',')) n += OPTION_BYTES[it] ?? (it.startsWith('eol+') ? 1 + Number(it.slice(4)) : 2);
    return n;
  });
}

/**
 * The window as a multiple of, in this order: the MSS; the MSS less timestamp bytes (when the segment carries a
 * timestamp); the Ethernet MSS over IPv4 (and IPv6), with and without timestamp bytes; then as a multiple of the MTU
 * implied by the MSS (fixed headers, then the segment's actual headers), of the Ethernet MTU; and for a SYN-ACK of
 * the peer's MSS. Null when none divides it, or when there is no usable MSS (below 100).
 */
export function windowMultiple(win: number, mss: number, tsVal: number, ipVersion: number, header: number,
  peerMss: number | null): WindowMultiple | null {
  if (win === 0 || mss < 100) return null;
  const v6 = ipVersion === 6;
  const peer = peerMss !== null && peerMss > 0;
  const divides = (d: number): boolean => d > 0 && win % d === 0;
  // the divisors in order, first match wins (no list built: this runs for every SYN and SYN-ACK)
  let d = -1;
  if (divides(mss)) d = mss;
  else if (tsVal !== 0 && divides(mss - TIMESTAMP_OPTION_BYTES)) d = mss - TIMESTAMP_OPTION_BYTES;
  else if (divides(ETHERNET_MTU - MIN_TCP4)) d = ETHERNET_MTU - MIN_TCP4;
  else if (divides(ETHERNET_MTU - MIN_TCP4 - TIMESTAMP_OPTION_BYTES)) d = ETHERNET_MTU - MIN_TCP4 - TIMESTAMP_OPTION_BYTES;
  else if (v6 && divides(ETHERNET_MTU - MIN_TCP6)) d = ETHERNET_MTU - MIN_TCP6;
  else if (v6 && divides(ETHERNET_MTU - MIN_TCP6 - TIMESTAMP_OPTION_BYTES)) d = ETHERNET_MTU - MIN_TCP6 - TIMESTAMP_OPTION_BYTES;
  if (d > 0) return { unit: 'mss', n: win / d };
  if (divides(mss + MIN_TCP4)) d = mss + MIN_TCP4;
  else if (divides(mss + header)) d = mss + header;
  else if (v6 && divides(mss + MIN_TCP6)) d = mss + MIN_TCP6;
  else if (divides(ETHERNET_MTU)) d = ETHERNET_MTU;
  if (d > 0) return { unit: 'mtu', n: win / d };
  if (peer && divides(peerMss)) d = peerMss;
  else if (peer && divides(peerMss - TIMESTAMP_OPTION_BYTES)) d = peerMss - TIMESTAMP_OPTION_BYTES;
  return d > 0 ? { unit: 'mss', n: win / d } : null;
}

/** Signatures grouped by direction and option layout (the layout must match exactly), built once per database. */
const layoutIndex = new WeakMap<TcpSignatureDb, Record<TcpDirection, Map<string, TcpSignature[]>>>();

function indexOf(db: TcpSignatureDb): Record<TcpDirection, Map<string, TcpSignature[]>> {
  let idx = layoutIndex.get(db);
  if (idx === undefined) {
    idx = { syn: new Map(), 'syn-ack': new Map() };
    for (const dir of ['syn', 'syn-ack'] as const) {
      for (const s of db[dir]) {
        const list = idx[dir].get(s.layout);
        if (list) list.push(s);
        else idx[dir].set(s.layout, [s]);
      }
    }
    layoutIndex.set(db, idx);
  }
  return idx;
}

/** Matches a fingerprint against the database (see the module comment for the rules). */
export function matchTcpOs(fp: TcpFingerprint, db: TcpSignatureDb): TcpOsMatch {
  const candidates = indexOf(db)[fp.direction].get(fp.layout) ?? [];
  let best: TcpSignature | null = null;
  let bestRank = 4; // 0 exact specific, 1 exact generic, 2 fuzzy specific, 3 fuzzy generic
  for (const s of candidates) {
    const q = compareSignature(s, fp);
    if (q === null) continue;
    const rank = (q === 'fuzzy' ? 2 : 0) + (s.generic ? 1 : 0);
    if (rank < bestRank) {
      best = s;
      bestRank = rank;
      if (rank === 0) break;
    }
  }
  if (best === null) {
    return { signature: null, quality: 'none', distance: fp.guessedIttl - fp.ttl, distanceFromSignature: false, confidence: 0 };
  }
  const inRange = best.ittl >= fp.ttl && (best.randomTtl || best.ittl - fp.ttl <= MAX_HOPS);
  const confidence = [TCP_OS_CONFIDENCE.exact, TCP_OS_CONFIDENCE.exact_generic, TCP_OS_CONFIDENCE.fuzzy, TCP_OS_CONFIDENCE.fuzzy_generic][bestRank]!;
  return {
    signature: best,
    quality: bestRank < 2 ? 'exact' : 'fuzzy',
    distance: best.randomTtl ? null : inRange ? best.ittl - fp.ttl : fp.guessedIttl - fp.ttl,
    distanceFromSignature: !best.randomTtl && inRange,
    confidence,
  };
}

/** 'exact', 'fuzzy', or null when the signature does not match the fingerprint (layouts are already equal). */
function compareSignature(s: TcpSignature, fp: TcpFingerprint): 'exact' | 'fuzzy' | null {
  if (s.ipVersion !== null && s.ipVersion !== fp.ipVersion) return null;
  if (s.olen !== fp.olen) return null;
  if (s.mss !== null && s.mss !== fp.mss) return null;
  if (s.scale !== null && s.scale !== fp.scale) return null;
  if (s.payload !== null && s.payload !== (fp.payload > 0 ? 1 : 0)) return null;
  if (!windowMatches(s, fp)) return null;
  if (s.randomTtl && s.ittl < fp.ttl) return null;
  let fuzzy = !s.randomTtl && (s.ittl < fp.ttl || s.ittl - fp.ttl > MAX_HOPS);
  let want = s.quirks;
  if (s.ipVersion === null) want &= fp.ipVersion === 4 ? ~IPV6_ONLY_QUIRKS : ~IPV4_ONLY_QUIRKS;
  if (want !== fp.quirks) {
    const lost = want & ~fp.quirks;
    const gained = fp.quirks & ~want;
    if ((lost & ~TOLERATED_LOST) !== 0 || (gained & ~TOLERATED_GAINED) !== 0) return null;
    fuzzy = true;
  }
  return fuzzy ? 'fuzzy' : 'exact';
}

/** Quirks a fuzzy match lets disappear (DF cleared on the path: the IP ID then reads differently) … */
const TOLERATED_LOST = quirkMask(['df', 'id+']);
/** … and appear (a zero ID once DF is gone; ECN negotiated per connection). */
const TOLERATED_GAINED = quirkMask(['id-', 'ecn']);

function windowMatches(s: TcpSignature, fp: TcpFingerprint): boolean {
  const w = s.window;
  switch (w.kind) {
    case 'any':
      return true;
    case 'value':
      return fp.window === w.n;
    case 'mod':
      return fp.window % w.n === 0;
    case 'mss':
    case 'mtu':
      return fp.multiple !== null && fp.multiple.unit === w.kind && fp.multiple.n === w.n;
  }
}
