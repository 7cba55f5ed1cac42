/**
 * Maps of lists: the one helper the grouping code of identification, findings and the store shares (a list made on a
 * key's first value, appended to after).
 */

/** Appends `v` to the list of `k` in `m` (a new key is added at the end, like Map.set). */
export function appendTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}
