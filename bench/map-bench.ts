// Purpose: measure the network map at scale — a synthetic inventory of 100 000 devices and 1 000 000 edges
// (bench/make-map-inventory.ts) — through the real CLI: full `medtap map` exports in JSON, GraphML and DOT, filtered
// exports (--zone, --category, --device, --external), `medtap zones` and `medtap device`. Each command runs as a
// child process under /usr/bin/time (wall seconds, peak RSS), output to /dev/null; bounded memory means the peak RSS
// of a full export stays flat as the inventory grows. Prints a table and saves bench/.cache/map-result.json.
// Usage: node dist/bench/map-bench.js [--devices N] [--edges M] [--keep]

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMapInventory } from './make-map-inventory.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIME = '/usr/bin/time';

/** One measured command. */
interface MapBenchRow {
  what: string;
  args: string[];
  seconds: number;
  peakRssMiB: number;
  outputMiB: number;
  status: number | null;
}

function parseArgs(argv: string[]): { devices: number; edges: number; keep: boolean } {
  const a = { devices: 100_000, edges: 1_000_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--devices') a.devices = Number(argv[++i]);
    else if (argv[i] === '--edges') a.edges = Number(argv[++i]);
    else if (argv[i] === '--keep') a.keep = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

/** Runs `medtap args` under /usr/bin/time, output to `out`. */
function measure(what: string, args: string[], out: string): MapBenchRow {
  const r = spawnSync(TIME, ['-f', '%e %M', 'sh', '-c', `exec "$0" "$@" > "${out}"`, process.execPath, join(ROOT, 'bin/medtap.js'), ...args],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [sec, kib] = last.split(' ').map(Number);
  let size = 0;
  try {
    size = statSync(out).size;
  } catch {
    size = 0;
  }
  if (r.status !== 0) process.stderr.write(`${what}: exit ${r.status}: ${r.stderr}\n`);
  return { what, args, seconds: sec ?? NaN, peakRssMiB: (kib ?? NaN) / 1024, outputMiB: size / 2 ** 20, status: r.status };
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'medtap-map-bench-'));
  const db = join(dir, 'map.db');
  const out = join(dir, 'out');
  try {
    const t0 = performance.now();
    generateMapInventory(db, opts);
    const genSeconds = (performance.now() - t0) / 1000;
    process.stdout.write(`generated ${opts.devices} devices, ${opts.edges} edges in ${genSeconds.toFixed(1)} s (${(statSync(db).size / 2 ** 20).toFixed(0)} MiB)\n`);
    const d = ['--db', db];
    const rows: MapBenchRow[] = [
      measure('map --format json (full)', ['map', '--format', 'json', ...d], out),
      measure('map --format graphml (full)', ['map', '--format', 'graphml', ...d], out),
      measure('map --format dot (full)', ['map', '--format', 'dot', ...d], out),
      measure('map --zone vlan-7', ['map', '--zone', 'vlan-7', ...d], out),
      measure('map --category infusion-pump', ['map', '--category', 'infusion-pump', ...d], out),
      measure('map --device 4242', ['map', '--device', '4242', ...d], out),
      measure('map --external', ['map', '--external', ...d], out),
      measure('zones --json', ['zones', '--json', ...d], out),
      measure('device 4242 --json', ['device', '4242', '--json', ...d], out),
    ];
    const lines = [`${'command'.padEnd(32)} ${'seconds'.padStart(8)} ${'peak RSS MiB'.padStart(13)} ${'output MiB'.padStart(11)}`];
    for (const r of rows) {
      lines.push(`${r.what.padEnd(32)} ${r.seconds.toFixed(2).padStart(8)} ${r.peakRssMiB.toFixed(0).padStart(13)} ${r.outputMiB.toFixed(1).padStart(11)}${r.status === 0 ? '' : '  FAILED'}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    const cache = join(ROOT, 'bench', '.cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'map-result.json'), `${JSON.stringify({ date: new Date().toISOString(), ...opts, generate_seconds: genSeconds, rows }, null, 2)}\n`);
    if (rows.some((r) => r.status !== 0)) process.exitCode = 1;
  } finally {
    if (opts.keep) process.stdout.write(`kept ${db}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
