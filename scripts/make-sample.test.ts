// Purpose: checks of the synthetic sample: deterministic output, time order and window, vendors matching IEEE OUIs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { buildSample, SAMPLE_HOSTS, SAMPLE_START } from './make-sample.js';

const digest = (seed?: number): string => {
  const h = createHash('sha256');
  for (const f of buildSample(seed)) h.update(String(f.ts)).update(f.frame);
  return h.digest('hex');
};

test('sample is deterministic, time-ordered and inside the 10-minute window', () => {
  const frames = buildSample();
  assert.ok(frames.length > 1000);
  assert.ok(frames.every((f, i) => f.ts >= SAMPLE_START && f.ts < SAMPLE_START + 600e6 && (i === 0 || f.ts >= frames[i - 1]!.ts)));
  assert.equal(digest(), digest());
});

test('every vendor-assigned MAC uses an OUI registered to the stated vendor', () => {
  const require = createRequire(import.meta.url);
  const oui = require('oui-data') as Record<string, string>;
  for (const h of SAMPLE_HOSTS) {
    const first = parseInt(h.mac.slice(0, 2), 16);
    if (first & 0x02) {
      assert.match(h.vendor, /locally administered/);
      continue;
    }
    const org = oui[h.mac.replace(/:/g, '').slice(0, 6).toUpperCase()] ?? '';
    assert.ok(org.toLowerCase().startsWith(h.vendor.toLowerCase()), `${h.name}: ${h.mac} is "${org.split('\n')[0]}", not ${h.vendor}`);
  }
});
