import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TupleIndex } from './tuple-index.js';

/** Finds (or adds with `id`) the tuple `t` whose stored id passes `want`; returns the stored id. */
function findOrAdd(ix: TupleIndex, t: number[], id: number, want: (id: number) => boolean = () => true): number {
  ix.key.set(t);
  let slot = ix.find();
  for (let x = ix.idAt(slot); x >= 0; x = ix.idAt((slot = ix.find(slot)))) if (want(x)) return x;
  ix.add(slot, id);
  return id;
}

test('TupleIndex finds every tuple it was given across many doublings, and only those', () => {
  const ix = new TupleIndex(3, 4);
  const tuples: number[][] = [];
  for (let i = 0; i < 5000; i++) tuples.push([i % 97, 0xffffffff - i, 2 ** 40 + i * 7]); // ids, address words, MAC-sized numbers
  tuples.forEach((t, i) => assert.equal(findOrAdd(ix, t, i), i));
  tuples.forEach((t, i) => assert.equal(findOrAdd(ix, t, -1), i, `tuple ${i}`));
  ix.key.set([1, 2, 3]);
  assert.equal(ix.idAt(ix.find()), -1); // never added
});

test('TupleIndex keeps several ids under one tuple on its probe sequence (the caller tells them apart), also after growing', () => {
  const ix = new TupleIndex(2, 4);
  const label = ['a', 'b', 'c'];
  for (let id = 0; id < 3; id++) assert.equal(findOrAdd(ix, [7, 8], id, (x) => label[x] === label[id]), id);
  for (let i = 0; i < 100; i++) findOrAdd(ix, [i, -1], 100 + i); // grows the table several times; -1 as "no MAC"
  for (let id = 0; id < 3; id++) assert.equal(findOrAdd(ix, [7, 8], 99, (x) => label[x] === label[id]), id);
  assert.equal(findOrAdd(ix, [5, -1], 0), 105);
});
