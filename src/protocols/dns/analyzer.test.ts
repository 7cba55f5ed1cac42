/**
 * Unit tests of the DNS analyzer's observation record: the parser's labelled message must be exactly what
 * `{ service, ...message }` gives (same fields, same order: the JSONL log writes them in this order), for a query and
 * an answered response, and fail as parseDns does.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ascii, be16, bytes } from '../test-bytes.js';
import { labelledDnsMessage, parseDns } from './parser.js';

/** The wire name of `labels` (no compression). */
const name = (...labels: string[]): Uint8Array => bytes(...labels.flatMap((l) => [[l.length], ascii(l)]), [0]);

test('labelledDnsMessage: the same keys in the same order and the same values as a spread, for a query and a response', () => {
  const query = bytes(be16(0x1234), be16(0x0100), be16(1), be16(0), be16(0), be16(0), name('pacs', 'example'), be16(1), be16(1));
  const response = bytes(be16(0x1234), be16(0x8180), be16(1), be16(1), be16(0), be16(0), name('pacs', 'example'), be16(1), be16(1),
    be16(0xc00c), be16(1), be16(1), be16(0), be16(60), be16(4), [10, 0, 0, 7]);
  for (const [service, b] of [['dns', query], ['mdns', response]] as const) {
    const r = parseDns(b, 0, b.length);
    assert.ok(r.ok);
    const spread = { service, ...r.value };
    const made = labelledDnsMessage(service, b, 0, b.length);
    assert.ok(typeof made !== 'string');
    assert.deepEqual(Object.keys(made), Object.keys(spread));
    assert.deepStrictEqual(made, spread);
    assert.equal(JSON.stringify(made), JSON.stringify(spread));
  }
});

test('labelledDnsMessage fails with parseDns\'s error text', () => {
  const short = bytes(be16(0x1234), be16(0x0100));
  const r = parseDns(short, 0, short.length);
  assert.ok(!r.ok);
  assert.equal(labelledDnsMessage('dns', short, 0, short.length), r.error);
  assert.equal(labelledDnsMessage('dns', short, 1, short.length), 'bad_bounds');
});
