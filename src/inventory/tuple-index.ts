/**
 * An insert-only hash index from fixed-width tuples of numbers (integers up to 2^53: MACs, address words, ids) to
 * non-negative ids, in typed arrays (open addressing, linear probing, at most half full; doubles when it gets there).
 * Several ids may share one tuple (the caller tells them apart): they all lie on that tuple's probe sequence, and
 * `find(after)` walks on to the next.
 * Used where an ingest looks the same small numeric keys up once per flow (EndpointAccumulator's endpoints and edges)
 * and a Map would need a key text made first.
 */

/** See the file comment. */
export class TupleIndex {
  /** The tuple to find or add: fill its `width` numbers before calling find(). */
  readonly key: Float64Array;
  private ids: Int32Array;
  private keys: Float64Array;
  private count = 0;

  /**
   * `capacity`: slots at first (a power of two). Small by default: the index then doubles a few times within the
   * first keys, before the optimiser compiles its callers, which therefore know the growth branch.
   */
  constructor(private readonly width: number, capacity = 64) {
    this.key = new Float64Array(width);
    this.ids = new Int32Array(capacity).fill(-1);
    this.keys = new Float64Array(capacity * width);
  }

  /**
   * The slot of the first id stored under `key` (after slot `after`, when continuing a walk), or the empty slot where
   * `key` would go: tell them apart with idAt().
   */
  find(after = -1): number {
    const ids = this.ids;
    const mask = ids.length - 1;
    for (let i = after < 0 ? hashOf(this.key, 0, this.width) & mask : (after + 1) & mask; ; i = (i + 1) & mask) {
      if (ids[i]! < 0 || this.holdsKey(i)) return i;
    }
  }

  /** The id in `slot`, -1 for an empty slot. */
  idAt(slot: number): number {
    return this.ids[slot]!;
  }

  /** Stores `id` under `key` in `slot` (an empty slot find() returned for this key). */
  add(slot: number, id: number): void {
    this.ids[slot] = id;
    this.keys.set(this.key, slot * this.width);
    if (++this.count * 2 > this.ids.length) this.grow();
  }

  private holdsKey(slot: number): boolean {
    const keys = this.keys;
    const key = this.key;
    for (let j = 0, o = slot * this.width; j < key.length; j++, o++) if (keys[o] !== key[j]) return false;
    return true;
  }

  /**
   * Doubles the table and puts every id back under its tuple, hashed where it lies (ids sharing a tuple stay on its
   * probe sequence, which is all find() needs).
   */
  private grow(): void {
    const ids = this.ids;
    const keys = this.keys;
    const w = this.width;
    const n = ids.length * 2;
    const mask = n - 1;
    const nids = new Int32Array(n).fill(-1);
    const nkeys = new Float64Array(n * w);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0) continue;
      let s = hashOf(keys, i * w, w) & mask;
      while (nids[s]! >= 0) s = (s + 1) & mask;
      nids[s] = ids[i]!;
      for (let j = 0; j < w; j++) nkeys[s * w + j] = keys[i * w + j]!;
    }
    this.ids = nids;
    this.keys = nkeys;
  }
}

/** The hash of the `w` numbers of `a` from `o`. */
function hashOf(a: Float64Array, o: number, w: number): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < w; j++) {
    const v = a[o + j]!;
    h = Math.imul(h ^ (v | 0), 0x9e3779b1) ^ ((v / 4294967296) | 0);
    h ^= h >>> 15;
  }
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
