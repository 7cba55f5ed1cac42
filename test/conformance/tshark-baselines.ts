/**
 * Typed loader and comparison helpers for the checked-in tshark reference
 * baselines (`test/conformance/tshark-baselines.json`).
 *
 * The JSON is produced by `scripts/make-tshark-baselines.ts` (see
 * `test/conformance/README.md`). Tests never run tshark; they only read the
 * JSON through this module.
 *
 * Conventions used throughout:
 *  - Direction: in every {@link TsharkConversation}, `a` is the endpoint shown
 *    on the LEFT of tshark's `-z conv,...` row, which is the source of the
 *    first frame tshark counted for that conversation. `a_to_b_*` are tshark's
 *    `->` columns, `b_to_a_*` are tshark's `<-` columns (verified empirically,
 *    see the README).
 *  - Bytes are sums of `frame.len` (the original on-the-wire length), never
 *    `frame.cap_len`.
 *  - IP addresses are in the canonical text form produced by
 *    {@link normalizeIp}: IPv4 dotted quad; IPv6 as RFC 5952 (lower case,
 *    leading zeros dropped, the longest run of two or more zero groups
 *    compressed to `::`, the first such run on a tie) and, like glibc/libuv
 *    `inet_ntop` and tshark 4.0, the last 32 bits written as a dotted quad for
 *    `::ffff:0:0/96` (IPv4-mapped) and for `::/96` addresses whose zero run is
 *    exactly six groups (deprecated IPv4-compatible, e.g. `::1.2.3.4`).
 *    This is exactly the form tshark 4.0 prints and that Node's
 *    `new net.SocketAddress({address, family: 'ipv6'}).address` prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Transport protocol of a conversation table. */
export type ConvProto = 'tcp' | 'udp';

/**
 * Endpoints and per-direction counts, shared by conversations and aggregates: `a`/`a_port` the left (or lower)
 * endpoint, `b`/`b_port` the other; `a_to_b_*` are tshark's `->` columns (frames, and the sum of `frame.len`),
 * `b_to_a_*` its `<-` columns.
 */
export interface DirectedCounts {
  a: string;
  a_port: number;
  b: string;
  b_port: number;
  a_to_b_packets: number;
  a_to_b_bytes: number;
  b_to_a_packets: number;
  b_to_a_bytes: number;
}

/**
 * One row of tshark's `-z conv,tcp` / `-z conv,udp` table, with exact byte counts; `a` is the source of the
 * conversation's first counted frame.
 */
export interface TsharkConversation extends DirectedCounts {
  /** Seconds from the capture's first frame to this conversation's first frame ("Relative Start"). */
  rel_start: number;
  /** Seconds between first and last frame, as printed by tshark (4 decimals). */
  duration: number;
  /**
   * Present (true) only if the exact byte counts could not be computed and the
   * byte fields hold the lower bound of tshark's rounded display ("12 kB").
   */
  bytes_approx?: boolean;
}

/** Baseline entry of one capture file. */
export interface TsharkCapture {
  /** Number of frames tshark read (equals `capinfos -c -M` unless a note says otherwise). */
  packets: number;
  /** Frame count reported by capinfos, only present when it differs from `packets`. */
  capinfos_packets?: number;
  /** tshark's error message if it reported one while reading (e.g. a truncated file). */
  tshark_error?: string;
  /** File size in bytes. */
  size: number;
  /** SHA-256 of the file, to detect a stale baseline. */
  sha256: string;
  /** Observations that matter when comparing (fragments, tunnels, VLANs, truncation, ...). */
  notes: string[];
  /** TCP conversation table. */
  tcp: TsharkConversation[];
  /** UDP conversation table. */
  udp: TsharkConversation[];
}

/** The whole baseline document. */
export interface TsharkBaselines {
  /** First line of `tshark --version`. */
  tshark_version: string;
  /** First line of `capinfos --version`. */
  capinfos_version: string;
  /** Script that wrote the file. */
  generator: string;
  /** Corpus root, relative to the repository root. */
  corpus: string;
  /** The command lines used per capture (`F` stands for the capture path). */
  commands: string[];
  /** Number of captures and sum of `packets`. */
  totals: { captures: number; packets: number };
  /** Per capture, keyed by the path relative to the corpus root (forward slashes). */
  captures: Record<string, TsharkCapture>;
}

/** One unordered 5-tuple with the sums of all tshark conversations on it. */
export interface TupleAggregate extends DirectedCounts {
  /** Order-independent key, see {@link conversationKey}; `a` is the lower endpoint in {@link compareEndpoints} order. */
  key: string;
  proto: ConvProto;
  /** Number of tshark conversations summed (greater than 1 when a port pair was reused). */
  conversations: number;
  /** Earliest `rel_start` of the summed conversations. */
  rel_start: number;
  /** Latest `rel_start + duration` of the summed conversations. */
  rel_end: number;
  /** True if any summed conversation had approximate bytes. */
  bytes_approx: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Walk up from this module to the directory holding package.json. */
export function repoRoot(): string {
  let dir = here;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${here}`);
    dir = up;
  }
}

/** Absolute path of the checked-in baseline JSON (source tree, not dist/). */
export function baselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'tshark-baselines.json');
}

/** Absolute path of the shared capture corpus (`../shared/corpus` from the repository root). */
export function corpusRoot(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpus');
}

function fail(where: string, what: string): never {
  throw new Error(`tshark baselines: ${where}: ${what}`);
}

function checkInt(v: unknown, where: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, `expected a non-negative integer, got ${JSON.stringify(v)}`);
}

function checkConv(c: unknown, where: string): asserts c is TsharkConversation {
  if (typeof c !== 'object' || c === null) fail(where, 'conversation is not an object');
  const r = c as Record<string, unknown>;
  if (typeof r.a !== 'string' || typeof r.b !== 'string') fail(where, 'a/b must be strings');
  for (const k of ['a_port', 'b_port', 'a_to_b_packets', 'a_to_b_bytes', 'b_to_a_packets', 'b_to_a_bytes'] as const) checkInt(r[k], `${where}.${k}`);
  if (typeof r.rel_start !== 'number' || typeof r.duration !== 'number') fail(where, 'rel_start/duration must be numbers');
}

/**
 * Load and shape-check the baseline JSON.
 * @param path defaults to {@link baselinesPath}.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkBaselines(path: string = baselinesPath()): TsharkBaselines {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (typeof doc !== 'object' || doc === null) fail(path, 'not a JSON object');
  const d = doc as Record<string, unknown>;
  if (typeof d.tshark_version !== 'string') fail(path, 'tshark_version missing');
  if (typeof d.captures !== 'object' || d.captures === null) fail(path, 'captures missing');
  for (const [name, cap] of Object.entries(d.captures as Record<string, unknown>)) {
    if (typeof cap !== 'object' || cap === null) fail(name, 'entry is not an object');
    const e = cap as Record<string, unknown>;
    checkInt(e.packets, `${name}.packets`);
    if (!Array.isArray(e.notes) || !Array.isArray(e.tcp) || !Array.isArray(e.udp)) fail(name, 'notes/tcp/udp must be arrays');
    e.tcp.forEach((c, i) => checkConv(c, `${name}.tcp[${i}]`));
    e.udp.forEach((c, i) => checkConv(c, `${name}.udp[${i}]`));
  }
  return doc as TsharkBaselines;
}

// ---------------------------------------------------------------------------
// IP address canonicalisation

function parseIpv4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const q = m.slice(1).map(Number);
  if (q.some((x, i) => x > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return null;
  return q;
}

/** Parse IPv6 text (optionally with a trailing dotted quad) into 8 16-bit words, or null. */
function parseIpv6(s: string): number[] | null {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (text.includes('.', lastColon)) {
    // Trailing dotted quad: rewrite it as two hex groups.
    const q = parseIpv4(text.slice(lastColon + 1));
    if (!q) return null;
    text = `${text.slice(0, lastColon + 1)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const parts = text.split('::');
  if (parts.length > 2) return null;
  const group = (p: string): number[] | null => {
    if (p === '') return [];
    const out: number[] = [];
    for (const g of p.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(parts[0]!);
  if (!head) return null;
  if (parts.length === 1) return head.length === 8 ? head : null;
  const rest = group(parts[1]!);
  if (!rest) return null;
  const known = head.length + rest.length;
  if (known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest];
}

/** Format 8 words like glibc/libuv `inet_ntop(AF_INET6)` (RFC 5952 compression). */
function formatIpv6(w: number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { bestBase = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) { bestBase = -1; bestLen = 0; }
  const embedV4 = bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
  const last = embedV4 ? 6 : 8;
  let out = '';
  for (let i = 0; i < last; i++) {
    if (i === bestBase) { out += '::'; i += bestLen - 1; continue; }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += w[i]!.toString(16);
  }
  if (embedV4) {
    if (!out.endsWith(':')) out += ':';
    out += `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`;
  }
  return out;
}

/**
 * Canonical text form of an IPv4 or IPv6 address (see the module comment).
 * IPv6 brackets are stripped; a `%zone` suffix is kept verbatim.
 * @throws on text that is not an IP address.
 */
export function normalizeIp(addr: string): string {
  let s = addr.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const v4 = parseIpv4(s);
  if (v4) return v4.join('.');
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) { zone = s.slice(pct); s = s.slice(0, pct); }
  const words = parseIpv6(s);
  if (!words) throw new Error(`not an IP address: ${JSON.stringify(addr)}`);
  return formatIpv6(words) + zone;
}

/** 16-byte (IPv6) or 4-byte (IPv4) numeric form used for ordering. */
function ipBytes(canon: string): number[] {
  const v4 = parseIpv4(canon);
  if (v4) return v4;
  const w = parseIpv6(canon.replace(/%.*$/, ''))!;
  return w.flatMap((x) => [x >> 8, x & 0xff]);
}

/**
 * Total order on endpoints: IPv4 before IPv6, then address bytes, then port.
 * Addresses must already be canonical ({@link normalizeIp}).
 * @returns negative, 0 or positive.
 */
export function compareEndpoints(ipA: string, portA: number, ipB: string, portB: number): number {
  const x = ipBytes(ipA);
  const y = ipBytes(ipB);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return portA - portB;
}

/**
 * Order-independent key of a transport 5-tuple:
 * `conversationKey('tcp','10.0.0.2',80,'10.0.0.1',1234) === conversationKey('tcp','10.0.0.1',1234,'10.0.0.2',80)`.
 * Addresses are normalised first, so `2001:DB8::0:1` and `2001:db8::1` give the same key.
 * Format: `proto|lowIp|lowPort|highIp|highPort`.
 */
export function conversationKey(proto: ConvProto | string, ipA: string, portA: number, ipB: string, portB: number): string {
  const a = normalizeIp(ipA);
  const b = normalizeIp(ipB);
  const p = proto.toLowerCase();
  return compareEndpoints(a, portA, b, portB) <= 0 ? `${p}|${a}|${portA}|${b}|${portB}` : `${p}|${b}|${portB}|${a}|${portA}`;
}


/**
 * Return a copy of `rec` oriented so that its `a` endpoint is (`ip`, `port`)
 * (swapping the endpoint fields and the two directions if needed).
 * When both endpoints are equal (same address and port) the record is returned unchanged.
 * @throws if (`ip`, `port`) is neither endpoint of `rec`.
 */
export function orientConversation<T extends DirectedCounts>(rec: T, ip: string, port: number): T {
  const want = normalizeIp(ip);
  const isA = normalizeIp(rec.a) === want && rec.a_port === port;
  if (isA) return { ...rec };
  const isB = normalizeIp(rec.b) === want && rec.b_port === port;
  if (!isB) throw new Error(`${ip}:${port} is not an endpoint of ${rec.a}:${rec.a_port} <-> ${rec.b}:${rec.b_port}`);
  return {
    ...rec,
    a: rec.b,
    a_port: rec.b_port,
    b: rec.a,
    b_port: rec.a_port,
    a_to_b_packets: rec.b_to_a_packets,
    a_to_b_bytes: rec.b_to_a_bytes,
    b_to_a_packets: rec.a_to_b_packets,
    b_to_a_bytes: rec.a_to_b_bytes,
  };
}

/**
 * Sum tshark conversations per unordered 5-tuple (tshark splits one 5-tuple
 * into several conversations when a TCP port pair is reused, i.e. per
 * `tcp.stream`; medtap's flow comparison is per 5-tuple). Each aggregate is
 * oriented with the lower endpoint ({@link compareEndpoints}) as `a`.
 * @returns map from {@link conversationKey} to the aggregate, in key order.
 */
export function aggregateByTuple(proto: ConvProto, convs: readonly TsharkConversation[]): Map<string, TupleAggregate> {
  const out = new Map<string, TupleAggregate>();
  for (const c of convs) {
    const key = conversationKey(proto, c.a, c.a_port, c.b, c.b_port);
    const [, lowIp, lowPort] = key.split('|') as [string, string, string];
    const o = orientConversation(c, lowIp, Number(lowPort));
    let agg = out.get(key);
    if (!agg) {
      agg = {
        key, proto,
        a: normalizeIp(o.a), a_port: o.a_port, b: normalizeIp(o.b), b_port: o.b_port,
        a_to_b_packets: 0, a_to_b_bytes: 0, b_to_a_packets: 0, b_to_a_bytes: 0,
        conversations: 0, rel_start: Infinity, rel_end: -Infinity, bytes_approx: false,
      };
      out.set(key, agg);
    }
    agg.a_to_b_packets += o.a_to_b_packets;
    agg.a_to_b_bytes += o.a_to_b_bytes;
    agg.b_to_a_packets += o.b_to_a_packets;
    agg.b_to_a_bytes += o.b_to_a_bytes;
    agg.conversations += 1;
    agg.rel_start = Math.min(agg.rel_start, c.rel_start);
    agg.rel_end = Math.max(agg.rel_end, c.rel_start + c.duration);
    agg.bytes_approx ||= c.bytes_approx === true;
  }
  return new Map([...out.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Both tables of a capture aggregated per 5-tuple, TCP and UDP keys in one map. */
export function aggregateCapture(cap: TsharkCapture): Map<string, TupleAggregate> {
  return new Map([...aggregateByTuple('tcp', cap.tcp), ...aggregateByTuple('udp', cap.udp)]);
}
