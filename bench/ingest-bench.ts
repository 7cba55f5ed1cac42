// Purpose: measure `medtap ingest` on a cached 1M-packet synthetic capture against peer tools (tshark, ndpiReader,
// tcpdump) with /usr/bin/time, print a comparison table and save it to bench/.cache/last-result.json.
// Usage: node dist/bench/ingest-bench.js [--packets N] [--runs K] [--skip-peers] [--mix clinical]
// `--mix clinical`: a DICOM/HL7-heavy capture (bench/clinical-mix.ts), cached separately; tshark then also decodes
// DICOM on 104 and HL7 on 2575 (`-d`), so both tools parse the clinical protocols.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CAPTURE_VERSION, type BenchMix, generateBenchCapture } from './make-bench-capture.js';

/** Repository root (this file runs from dist/bench/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(ROOT, 'bench', '.cache');
const TIME = '/usr/bin/time';

/** One tool's best run. */
export interface BenchRow {
  tool: string;
  command: string;
  status: 'ok' | 'missing' | 'failed';
  seconds?: number;
  /** CPU seconds (user + system, all threads) of the kept run. */
  cpuSeconds?: number;
  peakRssKiB?: number;
  packetsPerSec?: number;
  mbPerSec?: number;
  /** medtap speed / this tool's speed (> 1: medtap is faster), by wall time. */
  medtapRatio?: number;
  /** The same by CPU time (steadier than wall time when other processes share the cores). */
  medtapCpuRatio?: number;
  note?: string;
}

interface Capture {
  path: string;
  packets: number;
  bytes: number;
  version: number;
  /** Absent in sidecars written before mixes existed: general. */
  mix?: BenchMix;
}

interface Tool {
  name: string;
  cmd: string;
  args: (capture: string, work: string, mix: BenchMix) => string[];
  available: () => string | null;
}

function parseArgs(argv: string[]): { packets: number; runs: number; skipPeers: boolean; mix: BenchMix } {
  const num = (flag: string, def: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return def;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} needs a positive integer`);
    return v;
  };
  const m = argv.indexOf('--mix');
  const mix = m < 0 ? 'general' : argv[m + 1];
  if (mix !== 'general' && mix !== 'clinical') throw new Error('--mix is general or clinical');
  return { packets: num('--packets', 1_000_000), runs: num('--runs', 1), skipPeers: argv.includes('--skip-peers'), mix };
}

/** Return the cached capture for `packets`, regenerating it if missing or made by another generator version. */
function ensureCapture(packets: number, mix: BenchMix = 'general'): Capture {
  mkdirSync(CACHE, { recursive: true });
  const base = packets === 1_000_000 ? 'bench-1m.pcap' : `bench-${packets}.pcap`;
  const name = mix === 'general' ? base : base.replace('bench-', `bench-${mix}-`);
  const path = join(CACHE, name);
  const sidecar = `${path}.json`;
  if (existsSync(path) && existsSync(sidecar)) {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as Capture;
    if (meta.version === BENCH_CAPTURE_VERSION && meta.packets === packets && (meta.mix ?? 'general') === mix && statSync(path).size === meta.bytes) return { ...meta, path };
  }
  process.stdout.write(`generating ${relative(ROOT, path)} (${packets} packets, ${mix} mix, generator v${BENCH_CAPTURE_VERSION})...\n`);
  const s = generateBenchCapture(path, { packets, mix });
  const meta: Capture = { path, packets: s.packets, bytes: s.bytes, version: s.version, mix };
  writeFileSync(sidecar, `${JSON.stringify({ ...meta, path: name, generatedIn: s.seconds, flows: s.flows, localHosts: s.localHosts, remoteHosts: s.remoteHosts }, null, 2)}\n`);
  process.stdout.write(`  ${s.packets} packets, ${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(1)} s\n`);
  return meta;
}

function onPath(cmd: string): string | null {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0 ? null : `${cmd} not found on PATH`;
}

const TOOLS: Tool[] = [
  {
    name: 'medtap',
    cmd: process.execPath,
    args: (cap, work) => [join(ROOT, 'bin', 'medtap.js'), 'ingest', cap, '--db', join(work, 'bench.db')],
    available: () => (existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) ? null : 'CLI not built (dist/src/cli/main.js missing)'),
  },
  {
    name: 'tshark', cmd: 'tshark',
    args: (cap, _work, mix) => ['-r', cap, '-q', '-z', 'conv,tcp', ...(mix === 'clinical' ? ['-d', 'tcp.port==104,dicom', '-d', 'tcp.port==2575,hl7'] : [])],
    available: () => onPath('tshark'),
  },
  { name: 'ndpiReader', cmd: 'ndpiReader', args: (cap) => ['-i', cap, '-q'], available: () => onPath('ndpiReader') },
  { name: 'tcpdump', cmd: 'tcpdump', args: (cap) => ['-r', cap, '-w', '/dev/null'], available: () => onPath('tcpdump') },
];

interface RunResult {
  ok: boolean;
  seconds: number;
  cpuSeconds?: number;
  rssKiB?: number;
  stdout: string;
  error?: string;
}

/** Run one command under /usr/bin/time -f '%e %M %U %S' (falls back to wall-clock timing without RSS and CPU time). */
function runOnce(cmd: string, args: string[]): RunResult {
  const work = mkdtempSync(join(tmpdir(), 'medtap-bench-'));
  const timeFile = join(work, 'time.txt');
  const useTime = existsSync(TIME);
  const started = process.hrtime.bigint();
  const r = useTime
    ? spawnSync(TIME, ['-o', timeFile, '-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, cwd: ROOT })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  let seconds = wall;
  let rssKiB: number | undefined;
  let cpuSeconds: number | undefined;
  if (useTime && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [e, m, u, sy] = last.split(/\s+/).map(Number);
    if (Number.isFinite(e)) seconds = e!;
    if (Number.isFinite(m)) rssKiB = m;
    if (Number.isFinite(u) && Number.isFinite(sy)) cpuSeconds = u! + sy!;
  }
  rmSync(work, { recursive: true, force: true });
  const ok = r.status === 0 && !r.error;
  const error = ok ? undefined : (r.error?.message ?? `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}`);
  return { ok, seconds, cpuSeconds, rssKiB, stdout: r.stdout ?? '', error };
}

/** Best (fastest) of `runs` runs; medtap gets a fresh database directory each run. */
function measure(tool: Tool, cap: Capture, runs: number): { row: BenchRow; stdout: string } {
  const mix = cap.mix ?? 'general';
  const shown = [tool.name === 'medtap' ? 'node bin/medtap.js' : tool.cmd, ...tool.args(relative(ROOT, cap.path), '<tmpdir>', mix).slice(tool.name === 'medtap' ? 1 : 0)].join(' ');
  const missing = tool.available();
  if (missing) return { row: { tool: tool.name, command: shown, status: 'missing', note: missing }, stdout: '' };
  let best: RunResult | undefined;
  for (let i = 0; i < runs; i++) {
    const work = mkdtempSync(join(tmpdir(), 'medtap-bench-db-'));
    const r = runOnce(tool.cmd, tool.args(cap.path, work, mix));
    rmSync(work, { recursive: true, force: true });
    if (!r.ok) return { row: { tool: tool.name, command: shown, status: 'failed', seconds: r.seconds, note: r.error }, stdout: r.stdout };
    if (!best || r.seconds < best.seconds) best = r;
  }
  const s = Math.max(best!.seconds, 0.01);
  return {
    row: {
      tool: tool.name,
      command: shown,
      status: 'ok',
      seconds: best!.seconds,
      cpuSeconds: best!.cpuSeconds,
      peakRssKiB: best!.rssKiB,
      packetsPerSec: cap.packets / s,
      mbPerSec: cap.bytes / 1e6 / s,
    },
    stdout: best!.stdout,
  };
}

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Render rows as an aligned text table. */
export function renderTable(rows: readonly BenchRow[]): string {
  const head = ['tool', 'seconds', 'CPU s', 'packets/s', 'MB/s', 'peak RSS MiB', 'ratio by CPU', 'medtap speed / tool speed'];
  const ratio = (x: number | undefined): string => (x === undefined ? '-' : `${fmt(x)}x`);
  const body = rows.map((r) =>
    r.status !== 'ok'
      ? [r.tool, r.status.toUpperCase(), '', '', '', '', '', r.note ?? '']
      : [r.tool, fmt(r.seconds), fmt(r.cpuSeconds), fmt(r.packetsPerSec, 0), fmt(r.mbPerSec, 1), r.peakRssKiB === undefined ? '-' : fmt(r.peakRssKiB / 1024, 0),
        r.tool === 'medtap' ? '1.00' : ratio(r.medtapCpuRatio), r.tool === 'medtap' ? '1.00 (reference)' : ratio(r.medtapRatio)],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function main(argv: string[]): void {
  const opts = parseArgs(argv);
  const cap = ensureCapture(opts.packets, opts.mix);
  process.stdout.write(`capture: ${relative(ROOT, cap.path)} (${cap.packets} packets, ${(cap.bytes / 1e6).toFixed(1)} MB, ${opts.mix} mix), best of ${opts.runs} run(s)\n`);
  const tools = opts.skipPeers ? TOOLS.slice(0, 1) : TOOLS;
  const rows: BenchRow[] = [];
  for (const tool of tools) {
    process.stdout.write(`running ${tool.name}...\n`);
    const { row, stdout } = measure(tool, cap, opts.runs);
    if (tool.name === 'medtap' && stdout.trim()) process.stdout.write(`${stdout.trim().split('\n').slice(-12).map((l) => `  | ${l}`).join('\n')}\n`);
    rows.push(row);
  }
  const med = rows.find((r) => r.tool === 'medtap' && r.status === 'ok');
  for (const r of rows) {
    if (!med || r.status !== 'ok' || r === med) continue;
    r.medtapRatio = r.seconds! / Math.max(med.seconds!, 0.01);
    if (r.cpuSeconds !== undefined && med.cpuSeconds !== undefined) r.medtapCpuRatio = r.cpuSeconds / Math.max(med.cpuSeconds, 0.01);
  }
  process.stdout.write(`\n${renderTable(rows)}\n`);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    capture: { path: relative(ROOT, cap.path), packets: cap.packets, bytes: cap.bytes, generatorVersion: cap.version, mix: opts.mix },
    runs: opts.runs,
    results: rows,
  };
  const out = join(CACHE, opts.mix === 'general' ? 'last-result.json' : `last-result-${opts.mix}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${relative(ROOT, out)}\n`);
  if (rows.some((r) => r.tool === 'medtap' && r.status === 'failed')) process.exitCode = 1;
}

main(process.argv.slice(2));
