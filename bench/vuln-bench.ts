// Purpose: measure the vulnerability pipeline at NVD scale — generate an NVD-sized feed (default 300 000 records,
// bench/make-vuln-bench-data.ts) to a temporary file, stream-import it (`importVulnFeeds`, as `medtap import
// vulns` does), insert 100 000 devices with vendor/model/os/software attributes into the same temporary store,
// then match every device and compute its risk (`runAssessment`, as `medtap assess` does). Each phase runs in its
// own child process so its wall time and peak RSS are its own. Prints a table; saves bench/.cache/vuln-last-result.json.
// Usage: node dist/bench/vuln-bench.js [--records N] [--devices M] [--keep]

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../src/inventory/sqlite-store.js';
import { runAssessment } from '../src/risk/assess.js';
import { importVulnFeeds } from '../src/vuln/feed-import.js';
import { insertBenchDevices, writeNvdFeed } from './make-vuln-bench-data.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SELF = fileURLToPath(import.meta.url);

/** What one phase reports. */
interface PhaseResult {
  phase: string;
  seconds: number;
  peak_rss_mib: number;
  detail: Record<string, number | string>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function finish(phase: string, t0: number, detail: Record<string, number | string>): void {
  const r: PhaseResult = { phase, seconds: Math.round((performance.now() - t0) / 10) / 100, peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024), detail };
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** Runs one phase in this process (the child side). */
function runPhase(phase: string, dir: string, records: number, devices: number): void {
  const feed = join(dir, 'nvd-bench.json');
  const dbPath = join(dir, 'bench.db');
  const t0 = performance.now();
  if (phase === 'generate') {
    const bytes = writeNvdFeed(feed, records);
    finish(phase, t0, { records, mib: Math.round(bytes / (1 << 20)) });
    return;
  }
  const store = new SqliteStore(dbPath);
  try {
    if (phase === 'import') {
      const s = importVulnFeeds(store, [feed]);
      finish(phase, t0, { records: s.totals.inserted ?? 0, malformed: s.malformed.length, errors: s.errors.length, records_per_s: Math.round((s.totals.inserted ?? 0) / ((performance.now() - t0) / 1000)) });
    } else if (phase === 'devices') {
      const kinds = insertBenchDevices(store.db, devices);
      finish(phase, t0, { devices, ...kinds });
    } else if (phase === 'assess') {
      const { summary } = runAssessment(store.db, 40);
      finish(phase, t0, { devices: summary.devices, devices_per_s: Math.round(summary.devices / summary.seconds), vuln_matches: summary.vuln_matches, above_threshold: summary.above, tier1: summary.tier1, max_index: summary.max_index });
    }
  } finally {
    store.close();
  }
}

function main(): void {
  const phase = arg('--phase', '');
  const records = Number(arg('--records', '300000'));
  const devices = Number(arg('--devices', '100000'));
  if (phase !== '') {
    runPhase(phase, arg('--dir', ''), records, devices);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'medtap-vuln-bench-'));
  const results: PhaseResult[] = [];
  try {
    for (const p of ['generate', 'import', 'devices', 'assess']) {
      const r = spawnSync(process.execPath, [SELF, '--phase', p, '--dir', dir, '--records', String(records), '--devices', String(devices)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`phase ${p} failed (${r.status}): ${r.stderr}`);
      const res = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as PhaseResult;
      results.push(res);
      process.stdout.write(`${p.padEnd(9)} ${res.seconds.toFixed(2).padStart(8)} s  peak RSS ${String(res.peak_rss_mib).padStart(5)} MiB  ${JSON.stringify(res.detail)}\n`);
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`kept ${dir}\n`);
  }
  const cache = join(ROOT, 'bench', '.cache');
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'vuln-last-result.json'), `${JSON.stringify({ at: new Date().toISOString(), records, devices, results }, null, 2)}\n`);
}

main();
