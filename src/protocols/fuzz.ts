/**
 * The fuzzing engine behind `npm run fuzz` (scripts/fuzz.ts) and its CI sample (test/fuzz/): every registered
 * analyzer — datagram or stream — is fed seeded random mutations of real payloads and must never throw, never stall
 * on one input, and emit only observations of its own kind that serialise (and, given a validator, match their log
 * schema). Works at the analyzer level, so it covers every parser an analyzer calls. Test support; no analyzer
 * imports it.
 */
import { logRecord } from '../observe/log-writer.js';
import type { Observation, PacketContext, ProtocolName } from '../observe/observation.js';
import { Prng } from '../synth/prng.js';
import { mutate } from './mutation-harness.js';

/** An analyzer of single packets: a UDP datagram analyzer or a link-layer frame analyzer. */
export interface PacketAnalyzer {
  ports?: readonly number[];
  analyze(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: (o: Observation) => void): string | null;
}
import { type StreamAnalyzer, type StreamContext, StreamStatus } from './stream.js';

/** Byte values worth writing at random positions: lengths, terminators, separators, type codes. */
export const SPECIAL_BYTES: readonly number[] = [0, 1, 0x7f, 0x80, 0x81, 0x82, 0xff, 0x0d, 0x0a, 0x20, 0x3a, 0x7c, 0xc0, 0x16, 0x03, 0x30];
/** One input taking longer than this is reported as a stall. */
export const MAX_INPUT_MS = 2000;

/** One direction's bytes of a recorded connection, in the order they were sent. */
export interface StreamChunk {
  fromClient: boolean;
  bytes: Uint8Array;
}

/** A failing input: what happened and the bytes that caused it (a datagram, or the chunks of a connection). */
export interface FuzzFailure {
  protocol: string;
  problem: string;
  input: Uint8Array | StreamChunk[];
}

/** What one fuzz run did. */
export interface FuzzStats {
  protocol: string;
  inputs: number;
  observations: number;
  failures: number;
  ms: number;
}

/** Checks an emitted observation; returns a problem or null. */
export type ObservationCheck = (o: Observation) => string | null;

const CTX: PacketContext = { ts_us: 1_700_000_000_000_000, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '192.0.2.1', dst_ip: '192.0.2.2', src_port: 40000, dst_port: 1, vlan: null };
const STREAM_CTX: StreamContext = { base: CTX, at: (t) => ({ ...CTX, ts_us: t }) };

/** The base checks: own kind, serialisable log record, then `extra`. */
function checker(name: ProtocolName, extra?: ObservationCheck): ObservationCheck {
  return (o) => {
    if (o.kind !== name) return `emitted a ${o.kind} observation`;
    try {
      JSON.stringify(logRecord(o));
    } catch (e) {
      return `observation does not serialise: ${String(e)}`;
    }
    return extra ? extra(o) : null;
  };
}

/** Runs `body`, turning a throw, a stall or an observation problem into a problem string. */
function guarded(body: (emit: (o: Observation) => void) => void, check: ObservationCheck, counter: { n: number }): string | null {
  let problem: string | null = null;
  const t0 = performance.now();
  try {
    body((o) => {
      counter.n++;
      problem ??= check(o);
    });
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  const ms = performance.now() - t0;
  if (ms > MAX_INPUT_MS) return `stalled ${ms.toFixed(0)} ms on one input`;
  return problem;
}

/** Fuzzes a datagram or frame analyzer with `count` mutations of `seeds` (plus each seed unmutated). */
export function fuzzDatagram(name: ProtocolName, a: PacketAnalyzer, seeds: readonly Uint8Array[], count: number, seed: number,
  onFailure: (f: FuzzFailure) => void, extra?: ObservationCheck, linkLayer = false): FuzzStats {
  const rng = new Prng(seed);
  const check = checker(name, extra);
  const counter = { n: 0 };
  const t0 = performance.now();
  let failures = 0;
  // a link-layer analyzer gets the MAC-only context the ingest gives it (typed as the wider one here)
  const ctx = linkLayer
    ? (): PacketContext => ({ ts_us: CTX.ts_us, src_mac: CTX.src_mac, dst_mac: CTX.dst_mac, vlan: null }) as PacketContext
    : (): PacketContext => ({ ...CTX, dst_port: a.ports?.[0] ?? 0 });
  for (let i = 0; i < count + seeds.length; i++) {
    const input = i < seeds.length ? seeds[i]! : mutate(rng, seeds.length > 0 ? rng.pick(seeds) : new Uint8Array(0), SPECIAL_BYTES);
    const problem = guarded((emit) => a.analyze(input, 0, input.length, ctx, emit), check, counter);
    if (problem !== null) {
      failures++;
      onFailure({ protocol: name, problem, input });
    }
  }
  return { protocol: name, inputs: count + seeds.length, observations: counter.n, failures, ms: performance.now() - t0 };
}

/** A mutated copy of a recorded connection: some chunks mutated, some split, occasionally one dropped (a gap). */
function mutateStream(rng: Prng, chunks: readonly StreamChunk[]): { chunks: StreamChunk[]; gapAt: number } {
  const out: StreamChunk[] = [];
  for (const c of chunks) {
    const bytes = rng.chance(0.3) ? mutate(rng, c.bytes, SPECIAL_BYTES) : c.bytes;
    // re-chunk: the parser must not depend on how TCP segmented the bytes
    for (let pos = 0; pos < bytes.length; ) {
      const n = rng.chance(0.5) ? bytes.length - pos : rng.int(1, Math.max(1, bytes.length - pos));
      out.push({ fromClient: c.fromClient, bytes: bytes.subarray(pos, pos + n) });
      pos += n;
    }
  }
  if (out.length === 0) out.push({ fromClient: true, bytes: mutate(rng, new Uint8Array(0), SPECIAL_BYTES) });
  return { chunks: out, gapAt: rng.chance(0.05) ? rng.int(0, out.length - 1) : -1 };
}

/** Fuzzes a stream analyzer with `count` mutated connections built from `seeds` (plus each seed unmutated). */
export function fuzzStream(name: ProtocolName, a: StreamAnalyzer, seeds: readonly StreamChunk[][], count: number, seed: number,
  onFailure: (f: FuzzFailure) => void, extra?: ObservationCheck): FuzzStats {
  const rng = new Prng(seed);
  const check = checker(name, extra);
  const counter = { n: 0 };
  const t0 = performance.now();
  let failures = 0;
  for (let i = 0; i < count + seeds.length; i++) {
    const base = seeds.length > 0 ? (i < seeds.length ? seeds[i]! : rng.pick(seeds)) : [];
    const { chunks, gapAt } = i < seeds.length ? { chunks: [...base], gapAt: -1 } : mutateStream(rng, base);
    const problem = guarded((emit) => {
      const p = a.open(STREAM_CTX, emit);
      let ts = CTX.ts_us;
      for (let k = 0; k < chunks.length; k++) {
        const c = chunks[k]!;
        ts += 1000;
        const st = k === gapAt ? p.gap(c.fromClient, c.bytes.length || 1, ts) : p.data(c.fromClient, c.bytes, 0, c.bytes.length, ts);
        if (st === StreamStatus.Failed && typeof p.error !== 'string') throw new Error('Failed without an error string');
        if (st !== StreamStatus.More) break;
      }
      p.end(ts);
    }, check, counter);
    if (problem !== null) {
      failures++;
      onFailure({ protocol: name, problem, input: chunks.map((c) => ({ fromClient: c.fromClient, bytes: c.bytes.slice() })) });
    }
  }
  return { protocol: name, inputs: count + seeds.length, observations: counter.n, failures, ms: performance.now() - t0 };
}
