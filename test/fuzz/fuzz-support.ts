/**
 * What the fuzz script and its CI sample share: seed inputs read from the shared corpus (each analyzer's UDP
 * payloads, and the first bytes of each direction of its TCP connections, reassembled as the ingest does), the log
 * schema check, and the regression inputs kept in test/fuzz/crashes/ (every input that ever failed, replayed by the
 * test suite forever).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { logRecord } from '../../src/observe/log-writer.js';
import type { ProtocolName } from '../../src/observe/observation.js';
import { type FuzzFailure, type FuzzStats, fuzzDatagram, fuzzStream, type ObservationCheck, type StreamChunk } from '../../src/protocols/fuzz.js';
import { ANALYZERS, type AnyAnalyzer, FRAME_ANALYZERS, type FrameAnalyzer, frameAnalyzerFor, frameAnalyzerIndex, tcpAnalyzers, udpPortIndex } from '../../src/protocols/registry.js';
import { type RegisteredStreamAnalyzer, StreamStatus } from '../../src/protocols/stream.js';
import { listCaptures } from '../../scripts/tshark-runner.js';
import { readTcpStreams, repoRoot } from '../conformance/corpus-frames.js';

/** Synthetic captures of protocols the corpus lacks (POCT1-A), read for seeds besides the corpus. */
export const EXTRA_SEED_ROOTS = (): string[] => [join(repoRoot(), 'samples/medical')];
/** Where failing inputs are kept. */
export const CRASH_DIR = (): string => join(repoRoot(), 'test/fuzz/crashes');
/** Bytes of each direction of a connection kept as a seed. */
const STREAM_SEED_BYTES = 16 * 1024;
/** Seeds one capture may give one protocol (so the seeds come from many captures). */
const SEEDS_PER_CAPTURE = 8;

/** Seeds per protocol. */
export interface Seeds {
  datagrams: Map<ProtocolName, Uint8Array[]>;
  streams: Map<ProtocolName, StreamChunk[][]>;
}

/**
 * Reads every capture of the corpus (and of `extraRoots`, e.g. samples/medical for the protocols no public capture
 * holds) and keeps up to `perProtocol` seeds for each registered analyzer.
 */
export function collectSeeds(corpus: string, perProtocol: number, extraRoots: readonly string[] = []): Seeds {
  const seeds: Seeds = { datagrams: new Map(), streams: new Map() };
  const udp = udpPortIndex();
  const frames = frameAnalyzerIndex();
  const tcp = tcpAnalyzers();
  const recorders = new Map<RegisteredStreamAnalyzer, RegisteredStreamAnalyzer>();
  const recorder = (a: RegisteredStreamAnalyzer): RegisteredStreamAnalyzer => {
    let r = recorders.get(a);
    if (r) return r;
    r = {
      name: a.name, ports: a.ports, ...(a.sniff ? { sniff: a.sniff } : {}),
      open() {
        const list = seeds.streams.get(a.name) ?? [];
        seeds.streams.set(a.name, list);
        const chunks: StreamChunk[] = [];
        if (list.length < perProtocol && take(a.name)) list.push(chunks);
        const sent = [0, 0];
        return {
          error: null,
          data(fromClient, b, off, len) {
            const k = fromClient ? 0 : 1;
            const n = Math.min(len, STREAM_SEED_BYTES - sent[k]!);
            if (n > 0) chunks.push({ fromClient, bytes: b.slice(off, off + n) });
            sent[k]! += n;
            return sent[0]! >= STREAM_SEED_BYTES && sent[1]! >= STREAM_SEED_BYTES ? StreamStatus.Done : StreamStatus.More;
          },
          gap: () => StreamStatus.Done,
          end() {},
        };
      },
    };
    recorders.set(a, r);
    return r;
  };
  const tcpRecorders = { byPort: tcp.byPort.map((a) => (a ? recorder(a) : undefined)), sniffers: tcp.sniffers.map(recorder) };
  let fromThisCapture = new Map<string, number>();
  /** Keeps `bytes` as a seed of `protocol` while it and this capture's share of it are below their limits. */
  const keep = (protocol: ProtocolName, bytes: () => Uint8Array): void => {
    const list = seeds.datagrams.get(protocol) ?? [];
    seeds.datagrams.set(protocol, list);
    if (list.length < perProtocol && take(protocol)) list.push(bytes());
  };
  const take = (protocol: string): boolean => {
    const n = fromThisCapture.get(protocol) ?? 0;
    fromThisCapture.set(protocol, n + 1);
    return n < SEEDS_PER_CAPTURE;
  };
  for (const [root, name] of [corpus, ...extraRoots].flatMap((r) => listCaptures(r, /\.(pcap|pcapng|cap)$/i).map((n) => [r, n] as const))) {
    fromThisCapture = new Map();
    readTcpStreams(join(root, name), tcpRecorders, (p) => {
      if (p.ipVersion === 0) {
        const a = frameAnalyzerFor(frames, p.ethertype, p.snapOui, p.snapPid);
        if (a !== undefined) keep(a.name, () => p.pktBuf.slice(p.l3Off, p.linkEnd));
      } else if (p.l4Proto === 17 && p.hasL4 && !p.isFragment && p.payloadLen > 0) {
        const a = udp[p.dstPort] ?? udp[p.srcPort];
        if (a !== undefined) keep(a.name, () => p.pktBuf.slice(p.payloadOff, p.payloadOff + p.payloadLen));
      }
    });
  }
  return seeds;
}

/** A check that every observation's log record matches schemas/logs/<kind>.schema.json (when that schema exists). */
export function schemaCheck(): ObservationCheck {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const validators = new Map<string, ReturnType<typeof ajv.compile> | null>();
  return (o) => {
    let v = validators.get(o.kind);
    if (v === undefined) {
      const path = join(repoRoot(), `schemas/logs/${o.kind}.schema.json`);
      v = existsSync(path) ? ajv.compile(JSON.parse(readFileSync(path, 'utf8'))) : null;
      validators.set(o.kind, v);
    }
    if (v && !v(logRecord(o))) return `log record does not match its schema: ${ajv.errorsText(v.errors)}`;
    return null;
  };
}

/** A failing input as stored in CRASH_DIR. */
export interface CrashFile {
  protocol: string;
  problem: string;
  /** Hex of a datagram, or the chunks of a connection. */
  datagram?: string;
  chunks?: { from: 'client' | 'server'; hex: string }[];
}

/** Saves a failure (once per distinct input); returns the file name. */
export function saveCrash(f: FuzzFailure): string {
  const doc: CrashFile = { protocol: f.protocol, problem: f.problem };
  if (f.input instanceof Uint8Array) doc.datagram = Buffer.from(f.input).toString('hex');
  else doc.chunks = f.input.map((c) => ({ from: c.fromClient ? 'client' : 'server', hex: Buffer.from(c.bytes).toString('hex') }));
  const body = JSON.stringify({ datagram: doc.datagram, chunks: doc.chunks });
  const name = `${f.protocol}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.json`;
  mkdirSync(CRASH_DIR(), { recursive: true });
  writeFileSync(join(CRASH_DIR(), name), `${JSON.stringify(doc, null, 1)}\n`);
  return name;
}

/** Every stored failing input. */
export function loadCrashes(): { file: string; crash: CrashFile }[] {
  if (!existsSync(CRASH_DIR())) return [];
  return readdirSync(CRASH_DIR()).filter((n) => n.endsWith('.json')).sort()
    .map((file) => ({ file, crash: JSON.parse(readFileSync(join(CRASH_DIR(), file), 'utf8')) as CrashFile }));
}

/** Every registered analyzer by name: IP (UDP or TCP) or link-layer. */
function analyzers(): Map<ProtocolName, { kind: 'ip'; a: AnyAnalyzer } | { kind: 'frame'; a: FrameAnalyzer }> {
  const m = new Map<ProtocolName, { kind: 'ip'; a: AnyAnalyzer } | { kind: 'frame'; a: FrameAnalyzer }>();
  for (const [name, a] of Object.entries(ANALYZERS) as [ProtocolName, AnyAnalyzer][]) m.set(name, { kind: 'ip', a });
  for (const [name, a] of Object.entries(FRAME_ANALYZERS) as [ProtocolName, FrameAnalyzer][]) m.set(name, { kind: 'frame', a });
  return m;
}

/** Runs `count` mutations of the protocol's seeds (datagrams/frames or recorded connections) through its analyzer. */
function fuzzOne(name: ProtocolName, seeds: Seeds, count: number, seed: number, onFailure: (f: FuzzFailure) => void, check: ObservationCheck): FuzzStats {
  const entry = analyzers().get(name)!;
  if (entry.kind === 'frame') return fuzzDatagram(name, entry.a, seeds.datagrams.get(name) ?? [], count, seed, onFailure, check, true);
  const a = entry.a;
  return a.transport === 'udp'
    ? fuzzDatagram(name, a, seeds.datagrams.get(name) ?? [], count, seed, onFailure, check)
    : fuzzStream(name, a, seeds.streams.get(name) ?? [], count, seed, onFailure, check);
}

/** Fuzzes every registered analyzer (or those named in `only`) with `count` mutations each. */
export function fuzzAll(seeds: Seeds, count: number, seed: number, onFailure: (f: FuzzFailure) => void, only: readonly string[] = []): FuzzStats[] {
  const check = schemaCheck();
  return [...analyzers().keys()].filter((name) => only.length === 0 || only.includes(name))
    .map((name) => fuzzOne(name, seeds, count, seed, onFailure, check));
}

/** Replays a stored failing input against its analyzer; returns the problem, or null when it now passes. */
export function replayCrash(c: CrashFile): string | null {
  const name = c.protocol as ProtocolName;
  if (!analyzers().has(name)) return `no analyzer named ${c.protocol}`;
  const seeds: Seeds = { datagrams: new Map(), streams: new Map() };
  if (c.datagram !== undefined) seeds.datagrams.set(name, [Uint8Array.from(Buffer.from(c.datagram, 'hex'))]);
  if (c.chunks !== undefined) seeds.streams.set(name, [c.chunks.map((k) => ({ fromClient: k.from === 'client', bytes: Uint8Array.from(Buffer.from(k.hex, 'hex')) }))]);
  let problem: string | null = null;
  fuzzOne(name, seeds, 0, 1, (f) => {
    problem = f.problem;
  }, schemaCheck());
  return problem;
}
