/**
 * Fuzz every protocol analyzer: seeded random mutations of real payloads from the shared corpus (UDP datagrams, and
 * the first bytes of each direction of TCP connections), checked for exceptions, stalls, foreign observations and
 * log records that break their schema. Failing inputs are saved to test/fuzz/crashes/, where the test suite replays
 * them forever.
 *
 * Usage (from the repository root): npm run fuzz -- [--count 100000] [--seed N] [--only dhcp,http] [--corpus DIR]
 */
import { corpusRoot } from '../test/conformance/corpus-frames.js';
import { collectSeeds, EXTRA_SEED_ROOTS, fuzzAll, saveCrash } from '../test/fuzz/fuzz-support.js';

function main(): void {
  const args = process.argv.slice(2);
  const opt = (k: string): string | undefined => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const count = Number(opt('--count') ?? 100_000);
  const seed = Number(opt('--seed') ?? Date.now() % 1_000_000);
  const only = (opt('--only') ?? '').split(',').filter((s) => s !== '');
  const corpus = opt('--corpus') ?? corpusRoot();
  const t0 = performance.now();
  const seeds = collectSeeds(corpus, 200, EXTRA_SEED_ROOTS());
  process.stdout.write(`seeds read from ${corpus} in ${((performance.now() - t0) / 1000).toFixed(1)} s; seed ${seed}, ${count} mutations per analyzer\n`);
  let failures = 0;
  const saved = new Set<string>();
  const stats = fuzzAll(seeds, count, seed, (f) => {
    failures++;
    const name = saveCrash(f);
    if (!saved.has(name)) process.stdout.write(`  FAILURE ${f.protocol}: ${f.problem} → test/fuzz/crashes/${name}\n`);
    saved.add(name);
  }, only);
  for (const s of stats) {
    process.stdout.write(`${s.protocol.padEnd(8)} ${String(s.inputs).padStart(8)} inputs  ${String(s.observations).padStart(8)} observations  ${String(s.failures).padStart(4)} failures  ${(s.ms / 1000).toFixed(1)} s  (${Math.round(s.inputs / (s.ms / 1000))} inputs/s)\n`);
  }
  process.stdout.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ${failures} failures (${saved.size} distinct inputs saved)\n`);
  process.exitCode = failures > 0 ? 1 : 0;
}

main();
