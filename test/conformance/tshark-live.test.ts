/**
 * Keeps the checked-in tshark baselines honest: where tshark is installed (.ci/run installs it), a sample of
 * captures is re-run through the baseline generator with the real tshark and must give the same entries.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { baselinesPath, loadTsharkBaselines, repoRoot, type TsharkBaselines } from './tshark-baselines.js';

const SAMPLE = ['hl7/ndpi__hl7.pcap', 'arp/csanders__arppoison.pcapng', 'infra/ndpi__syslog.pcap', 'lan_mixed/sv__enip-keywords__enip_cip_example.pcap'];
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark && command -v capinfos']).status === 0;

for (const rel of SAMPLE) {
  test(`live tshark re-derives the baseline of ${rel}`, { skip: hasTshark ? false : 'tshark not installed' }, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'medtap-tshark-')), 'b.json');
    const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/scripts/make-tshark-baselines.js'), '--only', rel, '--out', out, '--jobs', '1'],
      { cwd: repoRoot(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const live = JSON.parse(readFileSync(out, 'utf8')) as TsharkBaselines;
    const stored = loadTsharkBaselines(baselinesPath());
    assert.ok(live.captures[rel], `generator produced no entry for ${rel}`);
    assert.deepEqual(live.captures[rel], stored.captures[rel]);
  });
}
