/**
 * Conformance plumbing for the TCP stream analyzers: medtap's side is the real pipeline (`medtap ingest --log-dir`
 * on a corpus capture, one JSONL record per connection); tshark's side is a per-frame baseline written by
 * scripts/make-remote-access-baselines.ts, whose frames are grouped into connections (tcp.stream). Records and
 * connections are paired by their endpoints (in order when the same endpoints recur), and each frame's direction is
 * told from the record's client address. Peer-tool baselines (Zeek logs, nDPI flow lines) are read here too.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../e2e/cli-harness.js';
import { type FieldAgreement, type FrameSite } from './field-agreement.js';
import {
  corpusRoot,
  loadTsharkFrameBaselines,
  repoRoot,
  type TsharkFrame,
  tsharkFrameAccessor,
  type TsharkFrameBaselines,
  type TsharkFrameCapture,
} from './corpus-frames.js';

/** One capture of a remote-access baseline. */
export interface StreamBaselineCapture extends TsharkFrameCapture {
  frames_count: number;
}

/** A remote-access baseline document. */
export interface StreamBaselines extends TsharkFrameBaselines<StreamBaselineCapture> {
  aggregator: string;
  redaction: string;
  totals: { captures: number; frames: number };
}

/** A protocol with a remote-access baseline. */
export type StreamProtocol = 'ssh' | 'telnet' | 'ftp' | 'rdp';

/** Loads test/conformance/<protocol>/tshark-<protocol>.json and its frame accessor. */
export function loadStreamBaseline(protocol: StreamProtocol): { doc: StreamBaselines; accessor: (row: string[]) => TsharkFrame } {
  const name = `tshark-${protocol}.json`;
  const doc = loadTsharkFrameBaselines<StreamBaselines>(join(repoRoot(), 'test', 'conformance', protocol, name), true);
  return { doc, accessor: tsharkFrameAccessor(doc.fields, doc.aggregator, name) };
}

/** A log record: the connection context and the protocol fields. */
export type LogRecord = Record<string, unknown> & { src_ip: string; dst_ip: string; src_port: number; dst_port: number };

/** Runs `medtap ingest <capture> --log-dir` into a fresh directory and returns the records of `<kind>.jsonl`. */
export function ingestRecords(capturePath: string, kind: StreamProtocol): LogRecord[] {
  const dir = tempDir();
  const r = runCli(['ingest', capturePath, '--db', join(dir, 'm.db'), '--log-dir', join(dir, 'logs'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  let text = '';
  try {
    text = readFileSync(join(dir, 'logs', `${kind}.jsonl`), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LogRecord);
}

/** One frame of a tshark connection. */
export interface ConnectionFrame {
  frame: number;
  t: TsharkFrame;
  src: string;
  dst: string;
}

/** A TCP connection as tshark numbers it, with its baseline frames in order. */
export interface TsharkConnection {
  stream: string;
  /** The two endpoints "ip|port", sorted. */
  ends: [string, string];
  frames: ConnectionFrame[];
}

const endpoint = (ip: string, port: string | number): string => `${ip}|${port}`;

/** Groups a capture's baseline frames into connections, in order of their first frame. */
export function tsharkConnections(cap: StreamBaselineCapture, accessor: (row: string[]) => TsharkFrame): TsharkConnection[] {
  const byStream = new Map<string, TsharkConnection>();
  const nums = Object.keys(cap.frames).map(Number).sort((a, b) => a - b);
  for (const frame of nums) {
    const t = accessor(cap.frames[String(frame)]!);
    const src = endpoint(t.get('ip.src') || t.get('ipv6.src'), t.get('tcp.srcport'));
    const dst = endpoint(t.get('ip.dst') || t.get('ipv6.dst'), t.get('tcp.dstport'));
    const stream = t.get('tcp.stream');
    let c = byStream.get(stream);
    if (c === undefined) {
      c = { stream, ends: [src, dst].sort() as [string, string], frames: [] };
      byStream.set(stream, c);
    }
    c.frames.push({ frame, t, src, dst });
  }
  return [...byStream.values()];
}

/** True when the frame was sent by the record's client. */
export function fromClient(rec: LogRecord, f: ConnectionFrame): boolean {
  return f.src === endpoint(rec.src_ip, rec.src_port);
}

/** Records and tshark connections paired by endpoints; what is left on each side. */
export interface Pairing {
  pairs: { rec: LogRecord; conn: TsharkConnection }[];
  /** Records of connections tshark does not dissect as the protocol (another port, content detection). */
  recordsOnly: LogRecord[];
  /** tshark connections medtap wrote no record for. */
  tsharkOnly: TsharkConnection[];
}

/** Pairs records (in log order, sorted by time) with connections (in frame order) having the same endpoints. */
export function pairConnections(records: readonly LogRecord[], conns: readonly TsharkConnection[]): Pairing {
  const left = [...conns];
  const pairs: Pairing['pairs'] = [];
  const recordsOnly: LogRecord[] = [];
  const sorted = [...records].sort((a, b) => String(a['ts']).localeCompare(String(b['ts'])));
  for (const rec of sorted) {
    const ends = [endpoint(rec.src_ip, rec.src_port), endpoint(rec.dst_ip, rec.dst_port)].sort();
    const i = left.findIndex((c) => c.ends[0] === ends[0] && c.ends[1] === ends[1]);
    if (i < 0) recordsOnly.push(rec);
    else pairs.push({ rec, conn: left.splice(i, 1)[0]! });
  }
  return { pairs, recordsOnly, tsharkOnly: left };
}

/** The text of a record field ('' for null/undefined, JSON for objects). */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * tshark's rendering of a string field turned back into the characters it shows: `-T fields` escapes \r \n \t \\
 * and writes other bytes as they are.
 */
export function unescapeTshark(v: string): string {
  return v.replace(/\\(r|n|t|\\|"|x[0-9a-fA-F]{2})/g, (_, e: string) =>
    e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : e === '"' ? '"' : String.fromCharCode(parseInt(e.slice(1), 16)));
}

/** A remote-access suite's tallies: tshark agreement, peer-tool agreement, connections compared, extra records. */
export interface StreamSuite<C extends FrameSite> {
  agreement: FieldAgreement<C>;
  peers: FieldAgreement<C>;
  connections: number;
  /** Records of connections tshark does not dissect as the protocol, as "capture key". */
  recordsOnly: string[];
}

/**
 * One capture of a suite: ingests it, pairs the records with tshark's connections and calls `compare` on each pair;
 * a tshark connection without a record is an unexplained miss.
 * @returns the records, for the peer-tool comparisons.
 */
export function compareCapture<C extends FrameSite>(suite: StreamSuite<C>, protocol: StreamProtocol, rel: string, cap: StreamBaselineCapture,
  path: string, accessor: (row: string[]) => TsharkFrame, compare: (rec: LogRecord, frames: ConnectionFrame[]) => void): LogRecord[] {
  const a = suite.agreement;
  a.captures++;
  const records = ingestRecords(path, protocol);
  a.tsharkFrames += Object.keys(cap.frames).length;
  const p = pairConnections(records, tsharkConnections(cap, accessor));
  for (const { rec, conn } of p.pairs) {
    suite.connections++;
    a.matched += conn.frames.length;
    compare(rec, conn.frames);
  }
  for (const c of p.tsharkOnly) a.missingUnexplained.push(`${rel} tcp.stream ${c.stream} (${c.ends.join(' ')})`);
  for (const r of p.recordsOnly) suite.recordsOnly.push(`${rel} ${recordKey(r)}`);
  return records;
}

/** The peer-tool assertions: something was compared, no peer connection lacks a record, every value agrees. */
export function assertPeersAgree<C extends FrameSite>(peers: FieldAgreement<C>): void {
  assert.ok(peers.fields.size > 0, 'no peer baseline compared');
  assert.deepEqual(peers.missingUnexplained, []);
  assert.deepEqual(peers.unexplained, []);
}

// ---------------------------------------------------------------------------------------------------------------
// Peer tools

/** The rows of a Zeek log with the record of the same connection; a row without one is noted as a miss in `peers`. */
export function zeekRowsWithRecords<C extends FrameSite>(peers: FieldAgreement<C>, capture: string, records: readonly LogRecord[],
  zeekLog: string): { z: Record<string, string>; rec: LogRecord }[] {
  const byKey = new Map(records.map((r) => [recordKey(r), r]));
  const out: { z: Record<string, string>; rec: LogRecord }[] = [];
  for (const z of readZeekLog(zeekLog)) {
    const rec = byKey.get(zeekKey(z));
    if (rec === undefined) peers.missingUnexplained.push(`${capture}: Zeek connection ${zeekKey(z)} has no record`);
    else out.push({ z, rec });
  }
  return out;
}

/** A Zeek value with the unset mark `-` as ''. */
export const zeekValue = (v: string | undefined): string => (v === '-' || v === undefined ? '' : v);

/** The corpus manifest's baselines column: capture → baseline files (relative to the corpus). */
export function manifestBaselines(): Map<string, string[]> {
  const lines = readFileSync(join(corpusRoot(), 'manifest.tsv'), 'utf8').split('\n').filter((l) => l !== '');
  const head = lines[0]!.split('\t');
  const fi = head.indexOf('file');
  const bi = head.indexOf('baselines');
  return new Map(lines.slice(1).map((l) => {
    const c = l.split('\t');
    return [c[fi]!, (c[bi] ?? '').split(';').filter((x) => x !== '')];
  }));
}

/** The rows of a Zeek TSV log (`#fields` header), each as field → value ('-' unset, '(empty)' empty). */
export function readZeekLog(path: string): Record<string, string>[] {
  let fields: string[] = [];
  const rows: Record<string, string>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    const v = line.split('\t');
    rows.push(Object.fromEntries(fields.map((f, i) => [f, v[i] ?? ''])));
  }
  return rows;
}

/** A Zeek row's connection key, as pairConnections' endpoints: "orig|port>resp|port". */
export function zeekKey(row: Record<string, string>): string {
  return `${endpoint(row['id.orig_h']!, row['id.orig_p']!)}>${endpoint(row['id.resp_h']!, row['id.resp_p']!)}`;
}

/** A record's connection key, as zeekKey. */
export function recordKey(rec: LogRecord): string {
  return `${endpoint(rec.src_ip, rec.src_port)}>${endpoint(rec.dst_ip, rec.dst_port)}`;
}

/** The flows of an nDPI `ndpiReader` output with their `[Name: value]` annotations (e.g. Username, User). */
export function readNdpiFlows(path: string): { client: string; server: string; tags: Map<string, string> }[] {
  const out: { client: string; server: string; tags: Map<string, string> }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s+\d+\s+TCP\s+(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s/.exec(line);
    if (m === null) continue;
    const tags = new Map<string, string>();
    for (const t of line.matchAll(/\[([A-Za-z ]+): ([^\]]*)\]/g)) tags.set(t[1]!, t[2]!);
    out.push({ client: endpoint(m[1]!, m[2]!), server: endpoint(m[3]!, m[4]!), tags });
  }
  return out;
}
