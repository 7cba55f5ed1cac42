// Purpose: the checked-in samples/medical captures are exactly what scripts/make-medical-captures.ts builds (so they
// cannot drift from the specification-based generator), and each names the specification sections it follows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMedicalCaptures, writeMedicalCaptures } from './make-medical-captures.js';
import { repoRoot } from '../test/conformance/corpus-frames.js';

test('samples/medical/*.pcap are the generator output, and each capture cites its specification', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-medical-'));
  writeMedicalCaptures(dir);
  const captures = buildMedicalCaptures();
  assert.equal(captures.length, 7);
  for (const c of captures) {
    assert.ok(c.spec.length > 0 && c.phi.length > 0, c.file);
    const checkedIn = readFileSync(join(repoRoot(), 'samples/medical', c.file));
    assert.ok(checkedIn.equals(readFileSync(join(dir, c.file))), `${c.file} differs from the generator: run node dist/scripts/make-medical-captures.js`);
  }
});
