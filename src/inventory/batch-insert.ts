/**
 * Multi-row INSERT (or upsert) statements for the ingest's bulk writes: rows are buffered and written as
 * `INSERT … VALUES (…), (…), … [ON CONFLICT …]` of up to `rowsPerStatement` rows, prepared once per row count.
 * SQLite applies the rows of one statement in order, each seeing the ones before it (an upsert of a key inserted
 * earlier in the same statement updates it), so the outcome is that of one statement per row, in the same order —
 * at a fraction of the per-statement cost.
 */
import type Database from 'better-sqlite3';
import { prepared } from './prepared.js';

/** SQLite's default limit of parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMETERS = 32_766;
/** Default rows per statement (beyond a few hundred rows the per-statement cost is already negligible). */
const DEFAULT_ROWS = 128;

/** Buffers rows of one INSERT and writes them in multi-row statements. */
export class BatchInsert {
  private readonly args: unknown[] = [];
  private rows = 0;
  private readonly perRow: number;
  private readonly batch: number;
  private readonly statements = new Map<number, Database.Statement>();

  /**
   * @param head `INSERT INTO t (a, b, c) VALUES` (without the row tuples)
   * @param row one row's tuple, e.g. `(?, ?, ?)` (may hold constants; `?` counts the parameters)
   * @param tail what follows the rows (`ON CONFLICT … DO UPDATE …`), or ''
   */
  constructor(private readonly db: Database.Database, private readonly head: string, private readonly row: string, private readonly tail = '',
    rowsPerStatement = DEFAULT_ROWS) {
    this.perRow = (row.match(/\?/g) ?? []).length;
    this.batch = Math.max(1, Math.min(rowsPerStatement, Math.floor(MAX_PARAMETERS / Math.max(1, this.perRow))));
  }

  /** Adds one row (its parameters in order); writes a full batch. */
  add(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.args.push(values[i]);
    if (++this.rows === this.batch) this.flush();
  }

  /**
   * Writes the buffered rows. Call before anything reads the table, and before committing. A partial batch goes in
   * statements of power-of-two row counts (largest first), so at most a few statements per table are ever prepared.
   */
  flush(): void {
    if (this.rows === 0) return;
    if (this.rows === this.batch) this.statement(this.rows).run(this.args);
    else {
      for (let done = 0, left = this.rows; left > 0;) {
        const n = 2 ** Math.floor(Math.log2(left));
        this.statement(n).run(this.args.slice(done * this.perRow, (done + n) * this.perRow));
        done += n;
        left -= n;
      }
    }
    this.args.length = 0;
    this.rows = 0;
  }

  /** The statement inserting `n` rows, prepared once per connection (shared by the batches of the same SQL). */
  private statement(n: number): Database.Statement {
    let st = this.statements.get(n);
    if (st === undefined) {
      st = prepared(this.db, `${this.head} ${new Array<string>(n).fill(this.row).join(',')} ${this.tail}`);
      this.statements.set(n, st);
    }
    return st;
  }
}
