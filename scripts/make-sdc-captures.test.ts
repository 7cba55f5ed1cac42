// Purpose: the checked-in samples/medical/sdc-discovery.pcap is exactly what scripts/make-sdc-captures.ts builds (so
// it cannot drift from the specification-based generator), and it cites its specification and its made-up PHI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCaptureFiles } from './make-medical-captures.js';
import { buildSdcCaptures } from './make-sdc-captures.js';
import { repoRoot } from '../test/conformance/corpus-frames.js';

test('samples/medical/sdc-discovery.pcap is the generator output, and cites its specification', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-sdc-'));
  const captures = buildSdcCaptures();
  writeCaptureFiles(dir, captures);
  assert.equal(captures.length, 1);
  for (const c of captures) {
    assert.ok(c.spec.length > 0 && c.phi.length > 0, c.file);
    const checkedIn = readFileSync(join(repoRoot(), 'samples/medical', c.file));
    assert.ok(checkedIn.equals(readFileSync(join(dir, c.file))), `${c.file} differs from the generator: run node dist/scripts/make-sdc-captures.js`);
  }
});
