// Purpose: measure the CPU time of one in-process `ingest` of the bench capture (steadier than wall time on a
// shared machine): the main thread's CPU seconds (user + system, from /proc/self/task/<pid>/stat: everything the
// packet loop and the store do), the packet loop's share of it (phase read_decode_flows, via IngestOptions.onPhase),
// and the whole process's (adds the content-hash worker and V8's GC helper threads).
// Usage: node dist/bench/ingest-cpu.js [capture] [--analyzers all|none] [--runs K] [--warm]
//   each run is a fresh child process (fresh JIT and heap) with a fresh database; prints one line per run and the
//   medians (also per phase). The capture defaults to bench/.cache/bench-1m.pcap (make it with `npm run bench` first).
//   --warm: each child then ingests the capture a second time, into another fresh database, and reports that run too:
//   the same work with V8's optimised code already in place, so cold minus warm is the JIT warm-up a user's first
//   (and only) ingest of a capture pays — what tiering up, deoptimisations and the garbage of not yet optimised code
//   cost. The cold figures are the ones that count; the warm ones say how much of them is warm-up.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../src/ingest/ingest.js';
import { SqliteStore } from '../src/inventory/sqlite-store.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Clock ticks per second of /proc stat times (USER_HZ; 100 on Linux). */
const USER_HZ = 100;

/** One run's measurements. */
export interface CpuRun {
  packets: number;
  /** Main-thread CPU seconds (user + system). */
  mainCpu: number;
  /** Main-thread CPU seconds of the packet loop and the end-of-capture flow flush (phase read_decode_flows). */
  loopCpu: number;
  /** Whole-process CPU seconds (all threads). */
  processCpu: number;
  wall: number;
  /** Main-thread CPU seconds per ingest phase (IngestOptions.onPhase names; a repeated name adds up). */
  phases: Record<string, number>;
}

/** CPU seconds (user + system) of the main thread, or of the process where /proc is unavailable. */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return (Number(f[11]) + Number(f[12])) / USER_HZ; // utime, stime: fields 14 and 15
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

/** Ingests `capture` once into a fresh database and measures it. */
async function runOnce(capture: string, analyzers: 'all' | 'none'): Promise<CpuRun> {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-cpu-'));
  const store = new SqliteStore(join(dir, 'bench.db'));
  try {
    const c0 = mainThreadCpu();
    const p0 = process.cpuUsage();
    const w0 = performance.now();
    let mark = c0;
    const phases: Record<string, number> = {};
    const onPhase = (name: string): void => {
      const now = mainThreadCpu();
      phases[name] = (phases[name] ?? 0) + now - mark;
      mark = now;
    };
    const s = await ingest(store, [capture], { analyzers, onPhase });
    const wall = (performance.now() - w0) / 1000;
    const p = process.cpuUsage(p0);
    return { packets: s.packets, mainCpu: mainThreadCpu() - c0, loopCpu: phases['read_decode_flows'] ?? 0, processCpu: (p.user + p.system) / 1e6,
      wall, phases };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function line(r: CpuRun): string {
  return `main-thread CPU ${r.mainCpu.toFixed(2)} s (${Math.round(r.packets / r.mainCpu / 1000)} k packets/s), of which packet loop ` +
    `${r.loopCpu.toFixed(2)} s (${Math.round(r.packets / r.loopCpu / 1000)} k packets/s)  process CPU ${r.processCpu.toFixed(2)} s  wall ${r.wall.toFixed(2)} s`;
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string, def: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
  };
  const analyzers = flag('--analyzers', 'all');
  if (analyzers !== 'all' && analyzers !== 'none') throw new Error('--analyzers must be all or none');
  const capture = resolve(argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1]!.startsWith('--'))) ?? join(ROOT, 'bench', '.cache', 'bench-1m.pcap'));
  const warm = argv.includes('--warm');
  if (argv.includes('--child')) {
    const child: CpuRun[] = [await runOnce(capture, analyzers)];
    if (warm) child.push(await runOnce(capture, analyzers));
    process.stdout.write(`${JSON.stringify(child)}\n`);
    return;
  }
  const runs = Number(flag('--runs', '3'));
  const cold: CpuRun[] = [];
  const again: CpuRun[] = [];
  for (let i = 0; i < runs; i++) {
    const args = [fileURLToPath(import.meta.url), capture, '--analyzers', analyzers, '--child', ...(warm ? ['--warm'] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`run ${i + 1} failed: ${r.stderr}`);
    const [first, second] = JSON.parse(r.stdout.trim().split('\n').pop()!) as CpuRun[];
    cold.push(first!);
    process.stdout.write(`run ${i + 1}: ${line(first!)}\n`);
    if (second) {
      again.push(second);
      process.stdout.write(`run ${i + 1}, warm (second ingest in the same process): ${line(second)}\n`);
    }
  }
  report(`analyzers ${analyzers}, ${runs} runs`, cold);
  if (again.length > 0) report(`warm second ingests, analyzers ${analyzers}, ${runs} runs`, again);
}

/** Prints the medians of `out`: the totals and per phase. */
function report(title: string, out: CpuRun[]): void {
  const phases: Record<string, number> = {};
  for (const name of Object.keys(out[0]!.phases)) phases[name] = median(out.map((r) => r.phases[name] ?? 0));
  const m: CpuRun = { packets: out[0]!.packets, mainCpu: median(out.map((r) => r.mainCpu)), loopCpu: median(out.map((r) => r.loopCpu)),
    processCpu: median(out.map((r) => r.processCpu)), wall: median(out.map((r) => r.wall)), phases };
  process.stdout.write(`median (${title}): ${line(m)}\n`);
  process.stdout.write(`median main-thread CPU s per phase: ${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' | ')}\n`);
}

await main(process.argv.slice(2));
