/**
 * Random-mutation robustness harness for the protocol parsers' unit tests: seeded byte edits of a valid message,
 * then the checks every parser must pass on any input (never throw, never read outside [off, off+len), a result
 * that serialises, anomaly names from the parser's documented table). Test support only; no parser imports it.
 */
import { strict as assert } from 'node:assert';
import { Prng } from '../synth/prng.js';

/** The result shape shared by the parsers: a value with its anomalies, or an error string. */
export type ParserResult<T extends { anomalies: string[] }> = { ok: true; value: T } | { ok: false; error: string };

/** A parser over a byte view, as every parser in src/protocols is: `(bytes, offset, length) → result`. */
export type ByteParser<T extends { anomalies: string[] }> = (b: Uint8Array, off: number, len: number) => ParserResult<T>;

/**
 * A copy of `base` with 1–8 random edits: overwrite, delete or insert a byte, truncate, or set a byte to one of
 * `special` (values the parser treats specially: lengths, pointers, end markers).
 */
export function mutate(rng: Prng, base: Uint8Array, special: readonly number[]): Uint8Array {
  const m = Array.from(base);
  const edits = rng.int(1, 8);
  for (let e = 0; e < edits; e++) {
    const kind = rng.int(0, 9);
    const at = rng.int(0, Math.max(0, m.length - 1));
    if (kind <= 5) m[at] = rng.int(0, 255); // overwrite a byte
    else if (kind === 6) m.splice(at, 1); // delete a byte
    else if (kind === 7) m.splice(at, 0, rng.int(0, 255)); // insert a byte
    else if (kind === 8) m.length = rng.int(0, m.length); // truncate
    else m[at] = rng.pick(special); // a byte the parser treats specially
  }
  return Uint8Array.from(m);
}

/**
 * Parses `exact` alone and again inside a larger buffer of random bytes; asserts that neither call throws, that both
 * results are identical (nothing outside [off, off+len) is read), that a success serialises to JSON and names only
 * anomalies listed in `anomalyNames` (the part before any ":"), and that a failure carries an error string.
 * @param i the mutation's number, for the failure messages.
 * @returns the parsed value, or null when the parser reported an error.
 */
function checkParsedAlike<T extends { anomalies: string[] }>(
  rng: Prng, exact: Uint8Array, i: number, parse: ByteParser<T>, anomalyNames: Readonly<Record<string, unknown>>,
): T | null {
  const pre = rng.int(0, 16);
  const framed = new Uint8Array(pre + exact.length + 32);
  for (let k = 0; k < framed.length; k++) framed[k] = rng.int(0, 255);
  framed.set(exact, pre);
  let a: ParserResult<T>;
  let b: ParserResult<T>;
  try {
    a = parse(exact, 0, exact.length);
    b = parse(framed, pre, exact.length);
  } catch (err) {
    assert.fail(`mutation ${i} threw: ${String(err)} for ${Buffer.from(exact).toString('hex')}`);
  }
  assert.deepEqual(b, a, `mutation ${i}: result depends on bytes outside [off, off+len)`);
  if (!a.ok) {
    assert.equal(typeof a.error, 'string');
    return null;
  }
  assert.doesNotThrow(() => JSON.stringify(a));
  for (const an of a.value.anomalies) assert.ok(an.split(':')[0]! in anomalyNames, an);
  return a.value;
}

/** One robustness run: which messages are mutated, how often, and what is checked. */
export interface MutationRun<T extends { anomalies: string[] }> {
  /** Seed of the Prng, so a failure reproduces. */
  seed: number;
  /** Valid messages; mutation i starts from bases[i % bases.length]. */
  bases: readonly Uint8Array[];
  /** Number of mutations. */
  count: number;
  /** Byte values the parser treats specially (lengths, pointers, end markers), written at random positions. */
  special: readonly number[];
  parse: ByteParser<T>;
  /** The parser's anomaly table (e.g. DHCP_ANOMALIES): every anomaly reported must be a key of it. */
  anomalyNames: Readonly<Record<string, unknown>>;
  /** Further checks on each successfully parsed mutation. */
  onParsed?: (value: T) => void;
}

/**
 * Mutates the bases `count` times with a Prng seeded by `seed` and checks every result (see checkParsedAlike).
 * @returns how many mutations parsed successfully.
 */
export function runMutations<T extends { anomalies: string[] }>(run: MutationRun<T>): number {
  const rng = new Prng(run.seed);
  let okCount = 0;
  for (let i = 0; i < run.count; i++) {
    const m = mutate(rng, run.bases[i % run.bases.length]!, run.special);
    const value = checkParsedAlike(rng, m, i, run.parse, run.anomalyNames);
    if (value === null) continue;
    okCount++;
    run.onParsed?.(value);
  }
  return okCount;
}
