/**
 * The identification memo: for devices whose facts differ only in their times, the remembered identification with
 * each device's own times must equal identification computed afresh (rows, evidence, columns), including the role
 * claims' synthetic facts (their span is their signals' facts') and ties ranked by the most recent sighting.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { type Fact, loadKnowledgeBase } from '../knowledge/knowledge-base.js';
import { identify, toStored } from './classify.js';
import { factSetKey, IdentificationMemo } from './identification-memo.js';

const kb = loadKnowledgeBase();
const fresh = (facts: readonly Fact[]): ReturnType<typeof toStored> => toStored(identify(kb, facts), kb.version);

/** The same facts with times from `seed` (a small deterministic generator: spans differ in order and overlap). */
function timed(facts: readonly [string, string, string, number][], seed: number): Fact[] {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
  return facts.map(([source, name, value, confidence]) => {
    const first = 1_000_000 + (next() % 5_000_000);
    return { source, name, value, confidence, evidence: null, first, last: first + (next() % 3_000_000) };
  });
}

const DEVICES: [string, string, string, number][][] = [
  // a printer by its ports and OS stack (role claims resting on several facts)
  [['oui', 'vendor', 'Hewlett Packard', 0.5], ['traffic', 'service_port', 'server tcp/9100', 0.9], ['traffic', 'service_port', 'server tcp/515', 0.9],
    ['tcp_fp', 'tcp_os', 'Linux 2.2-3.x', 0.6], ['tcp_fp', 'tcp_os_class', 'Linux', 0.6]],
  // two OS labels of equal confidence and priority: the most recent sighting ranks them
  [['tcp_fp', 'tcp_os', 'Linux 3.11 and newer', 0.6], ['tcp_fp', 'tcp_os', 'Windows 7 or 8', 0.6]],
  // a Windows server: os signals feed role rules
  [['tcp_fp', 'tcp_os', 'Windows 7 or 8', 0.6], ['traffic', 'service_port', 'server tcp/445', 0.9], ['traffic', 'service_port', 'server tcp/3389', 0.9],
    ['traffic', 'service_peer', 'server tcp/445 10.0.0.31', 0.9], ['traffic', 'service_peer', 'server tcp/445 10.0.0.32', 0.9]],
  [['tcp_fp', 'tcp_os', 'Linux 2.2-3.x', 0.6]],
];

test('remembered identifications equal fresh ones, with each device its own times', () => {
  for (const facts of DEVICES) {
    const memo = new IdentificationMemo();
    for (let seed = 1; seed <= 40; seed++) {
      const f = timed(facts, seed);
      const got = memo.storedFor(f, (x) => identify(kb, x), (idn) => toStored(idn, kb.version));
      assert.deepEqual(got, fresh(f), `${JSON.stringify(facts)} seed ${seed}`);
    }
  }
});

test('the key ignores times only, and a fact whose time decides a value is not remembered', () => {
  const [a, b] = [timed(DEVICES[0]!, 1), timed(DEVICES[0]!, 2)];
  assert.equal(factSetKey(a), factSetKey(b));
  assert.notEqual(factSetKey(a), factSetKey(a.map((f, i) => (i === 0 ? { ...f, confidence: 0.4 } : f))));
  assert.equal(factSetKey([...a, { ...a[0]!, name: 'poct1a_model_id', value: 'GLU-9' }]), null);
});
