/**
 * Prepared statements remembered per database connection, by SQL text: the stores and matchers that run the same
 * statements by the hundred thousand prepare each one once per connection, whichever of them asks first.
 */
import type Database from 'better-sqlite3';

/** Statements prepared per connection, by SQL text. */
const PREPARED = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, prepared once per connection. */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = PREPARED.get(db);
  if (cache === undefined) {
    cache = new Map();
    PREPARED.set(db, cache);
  }
  let st = cache.get(sql);
  if (st === undefined) {
    st = db.prepare(sql);
    cache.set(sql, st);
  }
  return st;
}
