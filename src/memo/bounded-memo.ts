/**
 * Results of pure functions remembered for inputs that recur (address texts, name normalisations, digests of hello
 * fields, signature matches): a plain Map holding at most `max` entries, emptied when full — the recurring inputs come
 * back at once, and memory stays bounded whatever the traffic. A pure cache: the answer is the same with or without it.
 */

/** `compute(k)`, remembered in `memo` (at most `max` entries; emptied when full). */
export function remembered<K, V>(memo: Map<K, V>, max: number, k: K, compute: (k: K) => V): V {
  let v = memo.get(k);
  if (v === undefined) {
    if (memo.size >= max) memo.clear();
    v = compute(k);
    memo.set(k, v);
  }
  return v;
}
