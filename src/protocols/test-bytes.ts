/**
 * Building blocks for the parsers' annotated byte-array unit tests (one comment per field). Test support only; no
 * parser imports it.
 */

/** Concatenates annotated byte groups. */
export function bytes(...groups: (number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const g of groups) for (const x of g) out.push(x);
  return Uint8Array.from(out);
}

/** `n` zero bytes. */
export const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/** The character codes of an ASCII string. */
export const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** A 16-bit big-endian value. */
export const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];

/** A 32-bit big-endian value. */
export const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
