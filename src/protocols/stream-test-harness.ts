/**
 * Drives a stream analyzer (protocols/stream.ts) from scripted connection bytes, for the TCP analyzers' unit tests:
 * each side's messages are fed in order, optionally cut into pieces of every size, and the observations emitted are
 * collected. Test support only; no analyzer imports it.
 */
import { strict as assert } from 'node:assert';
import type { Observation, PacketContext } from '../observe/observation.js';
import { type StreamContext, type StreamParser, StreamStatus } from './stream.js';

/** One scripted send: from the client (true) or the server (false), its bytes; or a gap of `missing` bytes. */
export type ScriptStep = { client: boolean; bytes: Uint8Array } | { client: boolean; gap: number };

/** The client → server context the scripted connections use. */
export const TEST_CONTEXT: PacketContext = {
  ts_us: 1_700_000_000_000_000, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '10.0.0.1',
  dst_ip: '10.0.0.2', src_port: 50000, dst_port: 0, vlan: null,
};

/** What a scripted run gave. */
export interface StreamRun {
  observations: Observation[];
  /** The status after the last call (More when every step was taken). */
  status: StreamStatus;
  /** How many steps were fed before the parser said Done or Failed. */
  stepsFed: number;
  error: string | null;
}

/**
 * Feeds `script` to a parser from `open`, each step's bytes in pieces of `piece` bytes (Infinity: whole), stops at
 * Done/Failed as the ingest does, then calls `end` unless the parser failed (as src/ingest/tcp-streams.ts does).
 */
export function runScript(open: (ctx: StreamContext, emit: (o: Observation) => void) => StreamParser, script: readonly ScriptStep[],
  piece = Infinity, serverPort = 0): StreamRun {
  const observations: Observation[] = [];
  const base = { ...TEST_CONTEXT, dst_port: serverPort };
  const parser = open({ base, at: (t) => ({ ...base, ts_us: t }) }, (o) => observations.push(o));
  let status = StreamStatus.More;
  let stepsFed = 0;
  let ts = base.ts_us;
  for (const step of script) {
    if (status !== StreamStatus.More) break;
    stepsFed++;
    ts += 1000;
    if ('gap' in step) {
      status = parser.gap(step.client, step.gap, ts);
      continue;
    }
    const b = step.bytes;
    for (let off = 0; off < b.length && status === StreamStatus.More; off += Math.min(piece, b.length)) {
      // a fresh copy inside a larger buffer, so a parser that keeps a view of the caller's bytes is caught
      const n = Math.min(piece, b.length - off);
      const framed = new Uint8Array(n + 8).fill(0xee);
      framed.set(b.subarray(off, off + n), 4);
      status = parser.data(step.client, framed, 4, n, ts);
      framed.fill(0xdd);
    }
  }
  if (status !== StreamStatus.Failed) parser.end(ts);
  return { observations, status, stepsFed, error: parser.error };
}

/**
 * Runs `script` whole and in pieces of 1, 2, 3, 7 and 64 bytes and asserts that every run emits the same
 * observations.
 * @returns the whole-step run.
 */
export function runScriptInPieces(open: (ctx: StreamContext, emit: (o: Observation) => void) => StreamParser, script: readonly ScriptStep[],
  serverPort = 0): StreamRun {
  const whole = runScript(open, script, Infinity, serverPort);
  for (const piece of [1, 2, 3, 7, 64]) {
    const r = runScript(open, script, piece, serverPort);
    assert.deepEqual(JSON.parse(JSON.stringify(r.observations)), JSON.parse(JSON.stringify(whole.observations)), `pieces of ${piece} bytes`);
    assert.equal(r.status, whole.status, `status with pieces of ${piece} bytes`);
  }
  return whole;
}

/** The message of the only observation of a run (asserting there is exactly one). */
export function onlyMessage<T>(run: StreamRun): T {
  assert.equal(run.observations.length, 1, `observations: ${run.observations.length}`);
  return run.observations[0]!.msg as T;
}
