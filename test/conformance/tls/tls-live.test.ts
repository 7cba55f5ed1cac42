/**
 * Keeps tshark-tls.json honest: where tshark is installed, two captures are re-run through
 * scripts/make-tls-baselines.ts with the real tshark and must give the same entries as the checked-in file.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../corpus-frames.js';
import { loadTsharkTls, type TsharkTlsBaselines } from './tshark-tls.js';

const SAMPLE = ['tls_quic/zeek__tls-expired-cert.pcap', 'tls_quic/zeek__ssl-v2.pcap'];
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark']).status === 0;

for (const rel of SAMPLE) {
  test(`live tshark re-derives the TLS baseline of ${rel}`, { skip: hasTshark ? false : 'tshark not installed' }, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'medtap-tls-')), 'b.json');
    const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/scripts/make-tls-baselines.js'), '--only', rel, '--out', out, '--jobs', '1'],
      { cwd: repoRoot(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const live = JSON.parse(readFileSync(out, 'utf8')) as TsharkTlsBaselines;
    assert.ok(live.captures[rel], `generator produced no entry for ${rel}`);
    assert.deepEqual(live.captures[rel], loadTsharkTls().captures[rel]);
  });
}
