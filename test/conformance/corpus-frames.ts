/**
 * The shared capture corpus, frame by frame, for the protocol conformance suites: where the corpus and the checked-in
 * per-frame tshark baselines are, a typed loader and accessors for those baselines (written by the
 * scripts/make-*-baselines.ts scripts), one test per baseline capture, and medtap's own reading of a capture into the
 * UDP payloads of chosen ports, or the link-layer payloads of a frame analyzer, keyed by frame number.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openFileSource, singleSource } from '../../src/capture/packet-source.js';
import { DecodedPacket, Inner } from '../../src/decode/decoded-packet.js';
import { decodeIp } from '../../src/decode/ip.js';
import { decodeEthernet, decodeFrame } from '../../src/decode/link.js';
import { frameAnalyzerFor, frameAnalyzerIndex } from '../../src/protocols/registry.js';
import { FlowTable } from '../../src/flow/flow-table.js';
import { FailureCounts } from '../../src/ingest/packet-context.js';
import { TcpStreams } from '../../src/ingest/tcp-streams.js';
import type { RegisteredStreamAnalyzer } from '../../src/protocols/stream.js';
import { type FieldAgreement, type FrameSite, MIN_FIELD_AGREEMENT } from './field-agreement.js';
import { corpusRoot, repoRoot } from './tshark-baselines.js';

// Where the repository and the corpus are: kept beside the conversation baselines' loader, which needs them too.
export { corpusRoot, repoRoot } from './tshark-baselines.js';

// ---------------------------------------------------------------------------------------------------------------
// Per-frame tshark baselines

/**
 * One capture of a per-frame baseline (the protocol's frame counts are added by its own type). `Row` is one frame's
 * values: raw `-T fields` strings by default; a baseline read from tshark's JSON output keeps its own cell type.
 */
export interface TsharkFrameCapture<Row extends readonly unknown[] = string[]> {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  notes: string[];
  tshark_error?: string;
  /** Frame number → tshark's values for `fields[1..]` (trailing empty values dropped). */
  frames: Record<string, Row>;
}

/** The parts every per-frame baseline document has. */
export interface TsharkFrameBaselines<C extends TsharkFrameCapture<readonly unknown[]>> {
  generator: string;
  tshark_version: string;
  corpus: string;
  selection: string;
  commands: string[];
  /** Field names; the first is frame.number (the key of `frames`). */
  fields: string[];
  captures: Record<string, C>;
}

/** Further checks loadTsharkFrameBaselines makes for a baseline that asks for them. */
export interface FrameBaselineChecks {
  /** Field names must be unique. */
  uniqueFields?: boolean;
  /** Every value of a row must pass this. */
  isCell?: (v: unknown) => boolean;
}

/**
 * Loads and shape-checks a per-frame baseline.
 * @param requireAggregator the document must name its one-character `aggregator`.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkFrameBaselines<D extends TsharkFrameBaselines<TsharkFrameCapture<readonly unknown[]>>>(
  path: string, requireAggregator = false, checks: FrameBaselineChecks = {},
): D {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as D & { aggregator?: unknown };
  const bad = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (!Array.isArray(doc.fields) || doc.fields[0] !== 'frame.number') bad('fields must start with frame.number');
  if (checks.uniqueFields && new Set(doc.fields).size !== doc.fields.length) bad('duplicate field names');
  if (requireAggregator && (typeof doc.aggregator !== 'string' || doc.aggregator.length !== 1)) bad('aggregator missing');
  if (typeof doc.captures !== 'object' || doc.captures === null) bad('captures missing');
  for (const [name, c] of Object.entries(doc.captures)) {
    if (typeof c.sha256 !== 'string' || typeof c.frames !== 'object') bad(`${name}: sha256/frames missing`);
    for (const [num, v] of Object.entries(c.frames)) {
      if (!/^\d+$/.test(num) || !Array.isArray(v) || v.length > doc.fields.length - 1 || (checks.isCell && !v.every(checks.isCell))) {
        bad(`${name} frame ${num}: bad row`);
      }
    }
  }
  return doc;
}

/** Accessors over one frame's row. */
export interface TsharkFrame {
  /** The raw value ('' when tshark printed nothing); several occurrences stay joined with the aggregator. */
  get(field: string): string;
  /** The occurrences, split at the aggregator ([] when empty). */
  list(field: string): string[];
  /** The first occurrence ('' when empty). */
  first(field: string): string;
}

/**
 * The row index of each field of a baseline's field order (`fields[0]`, frame.number, is the key, not in the row).
 * @param fileName the baseline's file name, for the error on a field it lacks.
 * @returns the lookup; it throws on a field the baseline lacks.
 */
export function frameFieldColumns(fields: readonly string[], fileName: string): (field: string) => number {
  const index = new Map(fields.map((f, i) => [f, i - 1]));
  return (field) => {
    const i = index.get(field);
    if (i === undefined || i < 0) throw new Error(`field ${field} is not in ${fileName} (regenerate it?)`);
    return i;
  };
}

/**
 * Builds the accessor factory for a baseline's field order.
 * @param aggregator what joins the occurrences of a field.
 * @param fileName the baseline's file name, for the error on a field it lacks.
 */
export function tsharkFrameAccessor(fields: readonly string[], aggregator: string, fileName: string): (row: string[]) => TsharkFrame {
  const col = frameFieldColumns(fields, fileName);
  return (row) => {
    const list = (field: string): string[] => {
      const v = row[col(field)] ?? '';
      return v === '' ? [] : v.split(aggregator);
    };
    return {
      get: (field) => row[col(field)] ?? '',
      list,
      first: (field) => list(field)[0] ?? '',
    };
  };
}

/**
 * Registers one test per capture of a baseline, titled `${title}: ${path}`: skipped when the capture is missing
 * from the corpus, failing when its sha256 differs from the baseline's (the baseline must then be regenerated).
 * @param baselineName the baseline's file name, for that failure message.
 * @param readme where the message sends the reader to regenerate it.
 * @param body the comparison, given the capture's relative path, its baseline entry and its absolute path (it may
 *   be async: the test then waits for it).
 */
export function testEachCapture<C extends { sha256: string }>(
  title: string, captures: Record<string, C>, baselineName: string, readme: string, body: (rel: string, cap: C, path: string) => void | Promise<void>,
): void {
  const root = corpusRoot();
  for (const [rel, cap] of Object.entries(captures)) {
    const path = join(root, rel);
    test(`${title}: ${rel}`, { skip: existsSync(path) ? false : 'capture missing from ../shared/corpus' }, () => {
      const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
      assert.equal(sha, cap.sha256, `${rel} changed since ${baselineName} was made: regenerate it (${readme})`);
      return body(rel, cap, path);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// medtap's side

/** Most tunnel layers followed per frame (as in the ingest). */
export const MAX_TUNNEL_DEPTH = 4;

/** What medtap found in a capture: frame number → parse result, and the frames that were IP fragments. */
export interface UdpFramesRead<T> {
  parsed: Map<number, T>;
  /** Frames carrying one of the ports (any UDP port with `everyFragment`) but only an IP fragment (medtap parses no fragment). */
  fragments: Set<number>;
}

/**
 * Reads a capture with medtap's own reader and decoders, following the tunnels the decoders recognise (VXLAN, GRE,
 * IP-in-IP) as the ingest does, and parses every unfragmented UDP datagram with one of `ports` on either side.
 * @param parse given the innermost decoded packet (`pktBuf`, `payloadOff`, `payloadLen`, ports); its result is kept
 *   under the frame's 1-based number.
 * @param everyFragment list every UDP IP fragment in `fragments`, whatever its ports: a non-first fragment has no UDP
 *   header to select on, and tshark shows the reassembled datagram on the last one.
 */
export function readUdpFrames<T>(path: string, ports: readonly number[], parse: (p: DecodedPacket) => T, everyFragment = false): UdpFramesRead<T> {
  const parsed = new Map<number, T>();
  const fragments = new Set<number>();
  forEachPacket(path, (p, frame) => {
    if (p.l4Proto !== 17) return;
    if (everyFragment && p.isFragment) {
      fragments.add(frame);
      return;
    }
    if (!p.hasL4) return;
    if (!ports.includes(p.srcPort) && !ports.includes(p.dstPort)) return;
    if (p.isFragment) {
      fragments.add(frame);
      return;
    }
    parsed.set(frame, parse(p));
  });
  return { parsed, fragments };
}

/**
 * Reads a capture with medtap's own reader and decoders and calls `each` with the innermost decoded packet of every
 * frame (following the tunnels the decoders recognise, as the ingest does), its 1-based frame number, its capture
 * time (µs) and its length on the wire.
 */
export function forEachPacket(path: string, each: (p: DecodedPacket, frame: number, tsUs: number, wirelen: number) => void): void {
  const src = singleSource(openFileSource(path));
  const outer = new DecodedPacket();
  const inner = new DecodedPacket();
  let frame = 0;
  try {
    while (src.next()) {
      frame++;
      const r = src.pkt;
      let p = outer;
      decodeFrame(r.buf, r.off, r.caplen, r.linktype, p);
      for (let depth = 0; depth < MAX_TUNNEL_DEPTH && p.inner !== Inner.None; depth++) {
        const next = p === outer ? inner : outer;
        const buf = p.pktBuf, off = p.innerOff, end = p.innerEnd, kind = p.inner;
        next.reset();
        next.pktBuf = buf;
        if (kind === Inner.Ethernet) decodeEthernet(buf, off, end, next);
        else decodeIp(buf, off, end, next);
        p = next;
      }
      each(p, frame, r.tsUs, r.wirelen);
    }
  } finally {
    src.close();
  }
}

/**
 * Reads a capture with medtap's own reader and link decoder and parses every non-IP frame that the ingest would hand
 * to the frame analyzer named `protocol` (the same registry lookup: ethertype, or LLC/SNAP OUI and protocol id).
 * Tunnels are not followed: the ingest dispatches link-layer protocols on the outer frame only.
 * @param parse given the decoded frame (`pktBuf`, link payload `l3Off` … `linkEnd`); its result is kept under the
 *   frame's 1-based number.
 */
export function readLinkFrames<T>(path: string, protocol: string, parse: (p: DecodedPacket) => T): Map<number, T> {
  const src = singleSource(openFileSource(path));
  const p = new DecodedPacket();
  const index = frameAnalyzerIndex();
  const parsed = new Map<number, T>();
  let frame = 0;
  try {
    while (src.next()) {
      frame++;
      const r = src.pkt;
      decodeFrame(r.buf, r.off, r.caplen, r.linktype, p);
      if (p.ipVersion !== 0) continue;
      if (frameAnalyzerFor(index, p.ethertype, p.snapOui, p.snapPid)?.name === protocol) parsed.set(frame, parse(p));
    }
  } finally {
    src.close();
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// A whole UDP protocol suite

/** What testUdpSuiteAgainstTshark needs to compare one protocol's parser with its per-frame baseline. */
export interface UdpSuite<T, C extends FrameSite> {
  /** Test title prefix, e.g. "ntp vs tshark". */
  title: string;
  /** The protocol as messages name it ("NTP"). */
  protocol: string;
  /** The baseline's file name and the README that says how to regenerate it. */
  baselineName: string;
  readme: string;
  captures: Record<string, TsharkFrameCapture>;
  accessor: (row: string[]) => TsharkFrame;
  /** UDP ports (either side) whose datagrams are parsed. */
  ports: readonly number[];
  parse: (b: Uint8Array, off: number, len: number) => { ok: true; value: T } | { ok: false; error: string };
  agreement: FieldAgreement<C>;
  /** Compares one frame both sides have. */
  compare: (capture: string, frame: number, value: T, t: TsharkFrame) => void;
  /** A few words on a parsed datagram the baseline lacks (for the summary). */
  describe: (value: T) => string;
}

/**
 * Registers a whole conformance suite for a UDP protocol: one test per baseline capture (testEachCapture) that reads
 * the capture with readUdpFrames, compares every baseline frame medtap parsed and records the others (missing,
 * parse errors, datagrams the baseline lacks); then the final agreement test and the summary printed after the run.
 */
export function testUdpSuiteAgainstTshark<T, C extends FrameSite>(s: UdpSuite<T, C>): void {
  const a = s.agreement;
  testEachCapture(s.title, s.captures, s.baselineName, s.readme, (rel, cap, path) => {
    a.captures++;
    const { parsed, fragments } = readUdpFrames(path, s.ports, (p) => s.parse(p.pktBuf, p.payloadOff, p.payloadLen));
    for (const [num, row] of Object.entries(cap.frames)) {
      const frame = Number(num);
      const t = s.accessor(row);
      a.tsharkFrames++;
      const r = parsed.get(frame);
      if (r === undefined) a.frameMissing(rel, frame, t, fragments);
      else if (!r.ok) a.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
      else {
        a.matched++;
        s.compare(rel, frame, r.value, t);
      }
    }
    a.extraFrames(rel, parsed, cap.frames, (r) => (r.ok ? s.describe(r.value) : r.error));
  });
  test(`${s.title}: every field agrees on >= ${MIN_FIELD_AGREEMENT * 100} % and every difference is known`, () => {
    a.assertAgreement(s.protocol);
  });
  after(() => {
    a.printSummary(
      `${s.title}: ${a.captures} captures, ${a.tsharkFrames} tshark ${s.protocol} frames, ${a.matched} compared, ${a.notReached()}, ` +
        `${a.extra} UDP ${s.ports.join('/')} datagrams tshark does not call ${s.protocol}, ${a.elapsed()} s`,
    );
  });
}

/** The documented reasons a UDP protocol suite may not reach a tshark frame (FieldAgreement's `missingReasons`). */
export function udpMissingReasons(protocol: string): Record<string, string> {
  return {
    'undecoded-tunnel': `${protocol} inside a tunnel medtap does not decapsulate: tshark shows two UDP layers`,
    'ip-fragment': `${protocol} in a fragmented IP datagram: medtap parses no fragment (tshark reassembles)`,
  };
}

/**
 * Loads test/conformance/<dir>/<file>, a per-frame baseline whose occurrences are joined with its `aggregator`, and
 * builds its frame accessor.
 * @throws if the file is missing or malformed.
 */
export function loadAggregatedBaseline(dir: string, file: string): { captures: Record<string, TsharkFrameCapture>; accessor: (row: string[]) => TsharkFrame } {
  const doc = loadTsharkFrameBaselines<TsharkFrameBaselines<TsharkFrameCapture> & { aggregator: string }>(join(repoRoot(), 'test', 'conformance', dir, file), true);
  return { captures: doc.captures, accessor: tsharkFrameAccessor(doc.fields, doc.aggregator, file) };
}

/**
 * Reads a capture as the ingest does for TCP: every packet through a flow table, every TCP packet through one
 * TcpStreams with `analyzers` (usually recording wrappers), the flows ended at the end so every parser sees `end`.
 * `each` also sees every packet (frame number, time), before the flow table and the analyzers do.
 */
export function readTcpStreams(path: string, analyzers: { byPort: readonly (RegisteredStreamAnalyzer | undefined)[]; sniffers: readonly RegisteredStreamAnalyzer[] },
  each?: (p: DecodedPacket, frame: number, tsUs: number) => void): void {
  const streams = new TcpStreams(65536, analyzers, () => {}, new FailureCounts());
  const flows = new FlowTable((t, f) => streams.flowEnded(t, f), 65536);
  forEachPacket(path, (p, frame, ts, wirelen) => {
    each?.(p, frame, ts);
    if (p.ipVersion !== 0 && p.hasL4 && !p.isFragment) {
      const f = flows.update(p, wirelen, ts);
      if (p.l4Proto === 6) streams.packet(flows, f, p, ts);
    }
  });
  flows.flushAll();
}
