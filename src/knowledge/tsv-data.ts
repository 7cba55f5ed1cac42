/**
 * Strict reading of the project's tab-separated knowledge files (data/**.tsv): comments (`#`) and blank lines are
 * skipped, every data line must have exactly the expected number of non-empty, untrimmed fields, and keys must be
 * unique. Errors name `file:line` so a reviewer can fix the data without reading code.
 */

/** The data lines of a file: [`file:line`, tab-separated fields]; comments and blank lines skipped. @throws Error `file:line: reason`. */
export function dataLines(file: string, text: string, columns: number): [string, string[]][] {
  const out: [string, string[]][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const at = `${file}:${i + 1}`;
    const f = line.split('\t');
    if (f.length !== columns) throw new Error(`${at}: ${f.length} tab-separated fields, expected ${columns}`);
    if (f.some((x) => x.trim() === '' || x !== x.trim())) throw new Error(`${at}: empty field or surrounding spaces`);
    out.push([at, f]);
  });
  return out;
}

/** Registers `key` defined at `at` (`file:line`); throws when it was already defined. */
export function unique(seen: Map<string, string>, key: string, at: string, what: string): void {
  const before = seen.get(key);
  if (before !== undefined) throw new Error(`${at}: duplicate ${what} ${key}, already on line ${before.split(':').pop()}`);
  seen.set(key, at);
}
