/** `medtap devices` filters on the bundled sample: --medical, --category, --hide-internet, and the table's footer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DeviceRecord } from '../../src/inventory/sqlite-store.js';
import { isInternetAddress } from '../../src/map/address-class.js';
import { SAMPLE_HOSTS } from '../../scripts/make-sample.js';
import { runCli, SAMPLE, tempDir } from './cli-harness.js';

const db = join(tempDir(), 'f.db');
const ingest = runCli(['ingest', SAMPLE, '--db', db, '--no-findings']);
const list = (...args: string[]): DeviceRecord[] => JSON.parse(runCli(['devices', '--json', '--db', db, ...args]).stdout) as DeviceRecord[];
const all = list();

test('--medical lists exactly the medical hosts of the sample (ground truth from the generator)', () => {
  assert.equal(ingest.code, 0, ingest.stderr);
  const medical = list('--medical');
  const truth = SAMPLE_HOSTS.filter((h) => h.truth.medical).map((h) => h.mac).sort();
  assert.ok(truth.length > 0);
  assert.deepEqual(medical.flatMap((d) => d.macs).filter((m) => truth.includes(m)).sort(), truth);
  assert.ok(medical.every((d) => d.is_medical));
  const nonMedical = SAMPLE_HOSTS.filter((h) => !h.truth.medical).map((h) => h.mac);
  assert.ok(!medical.some((d) => d.macs.some((m) => nonMedical.includes(m))));
  assert.ok(medical.length < all.length);
});

test('--category keeps one category; --hide-internet leaves out exactly the MAC-less hosts with only public addresses', () => {
  const pumps = list('--category', 'infusion-pump');
  assert.ok(pumps.length > 0 && pumps.every((d) => d.category === 'infusion-pump'));
  assert.deepEqual(pumps.map((d) => d.id), all.filter((d) => d.category === 'infusion-pump').map((d) => d.id));
  const internal = list('--hide-internet');
  const peers = all.filter((d) => !internal.some((x) => x.id === d.id));
  assert.ok(peers.length > 0, 'the sample has internet peers');
  assert.ok(peers.every((d) => d.macs.length === 0 && d.ips.every(isInternetAddress)));
  assert.ok(internal.every((d) => d.macs.length > 0 || !d.ips.every(isInternetAddress)));
  const table = runCli(['devices', '--hide-internet', '--db', db]).stdout;
  assert.match(table, new RegExp(`\\n${internal.length} devices \\(${peers.length} more not listed by the filter\\)\\n$`));
  assert.match(runCli(['devices', '--category', 'no-such-category', '--db', db]).stdout, /^no devices \(\d+ more not listed by the filter\)\n$/);
});
