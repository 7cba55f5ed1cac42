// Purpose: samples/medical/intellivue-data-export.pcap is exactly what scripts/make-intellivue-captures.ts builds (so
// it cannot drift from the specification-based generator), cites the guide, and lists its made-up patient values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIntellivueCaptures } from './make-intellivue-captures.js';
import { writeCaptureFiles } from './make-medical-captures.js';
import { repoRoot } from '../test/conformance/corpus-frames.js';

test('samples/medical/intellivue-data-export.pcap is the generator output and cites the programming guide', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-intellivue-'));
  const captures = buildIntellivueCaptures();
  writeCaptureFiles(dir, captures);
  assert.equal(captures.length, 1);
  for (const c of captures) {
    assert.ok(c.spec.every((s) => /Programming Guide|Definition of|Attribute Data Types/.test(s)) && c.phi.length >= 4, c.file);
    assert.equal(c.frames.length, 16);
    const checkedIn = readFileSync(join(repoRoot(), 'samples/medical', c.file));
    assert.ok(checkedIn.equals(readFileSync(join(dir, c.file))), `${c.file} differs from the generator: run node dist/scripts/make-intellivue-captures.js`);
  }
});
