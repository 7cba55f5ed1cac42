/**
 * The table-driven fact pattern shared by the identity collectors whose source is a record of named fields (an
 * IntelliVue MDS, a POCT1-A Hello, DPWS metadata, a UPnP device description): each kept field has a fact name and
 * the name of its element in evidence; a field with no value (null, absent, empty text) gives no fact.
 */

/** One kept field: the record's key, the fact name, and how the field is named in evidence. */
export type FieldFact<T> = readonly [keyof T, string, string];

/**
 * Calls `add(name, value, element)` for each field of `table` that has a value in `record`: a non-empty string, or
 * a number (given as its decimal text).
 */
export function forEachFieldFact<T>(record: T, table: readonly FieldFact<T>[], add: (name: string, value: string, element: string) => void): void {
  for (const [field, name, element] of table) {
    const v = record[field];
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') add(name, String(v), element);
  }
}
