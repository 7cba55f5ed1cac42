import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remembered } from './bounded-memo.js';

test('remembered computes once per key and never holds more than max entries', () => {
  const memo = new Map<number, string>();
  let calls = 0;
  const text = (k: number): string => { calls++; return `#${k}`; };
  assert.equal(remembered(memo, 3, 1, text), '#1');
  assert.equal(remembered(memo, 3, 1, text), '#1');
  assert.equal(calls, 1);
  for (const k of [2, 3, 4, 5]) assert.equal(remembered(memo, 3, k, text), `#${k}`);
  assert.ok(memo.size <= 3, `size ${memo.size}`);
  assert.equal(calls, 5);
  assert.equal(remembered(memo, 3, 5, text), '#5'); // the latest key survived the emptying
  assert.equal(calls, 5);
});
