/**
 * Tests of the IntelliVue datagram analyzer: an IntelliVue message gives one observation; another application's
 * datagram on UDP 24005/24105 (not IANA-registered for IntelliVue) is skipped without a failure; an IntelliVue-looking
 * datagram that cannot be decoded is a failure.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../../observe/observation.js';
import * as IV from '../../synth/intellivue-messages.js';
import { ascii, bytes } from '../test-bytes.js';
import { analyzeIntellivueDatagram } from './analyzer.js';

const CTX: PacketContext = { ts_us: 1, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '192.0.2.1', dst_ip: '192.0.2.2', src_port: 24105, dst_port: 24105, vlan: null };

function run(b: Uint8Array): { error: string | null; out: Observation[] } {
  const out: Observation[] = [];
  const error = analyzeIntellivueDatagram(b, 0, b.length, () => CTX, (o) => out.push(o));
  return { error, out };
}

test('an IntelliVue message: one observation', () => {
  const r = run(IV.pollRequest(1, 1, 6, 0x0803));
  assert.equal(r.error, null);
  assert.equal(r.out.length, 1);
  assert.equal(r.out[0]!.kind, 'intellivue');
});

test('another application on the port (text, zeros, one byte): skipped, no failure', () => {
  for (const b of [bytes(ascii('synthetic placeholder payload')), new Uint8Array(64), bytes([0x0d])]) {
    const r = run(b);
    assert.equal(r.error, null);
    assert.deepEqual(r.out, []);
  }
});

test('an IntelliVue-looking datagram that cannot be decoded: a failure', () => {
  const r = run(bytes([0xe1, 0x00, 0x00]));
  assert.match(r.error ?? '', /data export/);
  assert.deepEqual(r.out, []);
});
