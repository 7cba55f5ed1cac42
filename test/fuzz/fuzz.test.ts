/**
 * The CI sample of the fuzzer (the full run is `npm run fuzz`, ≥ 100 000 mutations per analyzer): every registered
 * analyzer gets FUZZ_CI_MUTATIONS mutations of real corpus payloads, and every input that ever failed
 * (test/fuzz/crashes/) is replayed.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { ANALYZERS, FRAME_ANALYZERS } from '../../src/protocols/registry.js';
import { corpusRoot } from '../conformance/corpus-frames.js';
import { collectSeeds, EXTRA_SEED_ROOTS, fuzzAll, loadCrashes, replayCrash } from './fuzz-support.js';

const FUZZ_CI_MUTATIONS = 2000;

test('every analyzer survives random mutations of corpus payloads', { skip: !existsSync(corpusRoot()) }, () => {
  const seeds = collectSeeds(corpusRoot(), 60, EXTRA_SEED_ROOTS());
  const problems: string[] = [];
  const stats = fuzzAll(seeds, FUZZ_CI_MUTATIONS, 20261128, (f) => problems.push(`${f.protocol}: ${f.problem}`));
  assert.equal(stats.length, Object.keys(ANALYZERS).length + Object.keys(FRAME_ANALYZERS).length);
  for (const s of stats) {
    const nSeeds = (seeds.datagrams.get(s.protocol as never) ?? seeds.streams.get(s.protocol as never) ?? []).length;
    process.stdout.write(`# fuzz ${s.protocol}: ${s.inputs} inputs from ${nSeeds} corpus seeds, ${s.observations} observations, ${s.failures} failures, ${s.ms.toFixed(0)} ms\n`);
    assert.ok(nSeeds > 0, `${s.protocol}: no corpus seed found`);
  }
  assert.deepEqual(problems.slice(0, 20), []);
});

test('every input that ever failed now passes', () => {
  for (const { file, crash } of loadCrashes()) assert.equal(replayCrash(crash), null, file);
});
