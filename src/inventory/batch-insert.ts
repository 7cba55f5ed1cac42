/**
 * Multi-row INSERT (or upsert) statements for the ingest's bulk writes: rows are buffered and written as
 * `INSERT … VALUES (…), (…), … [ON CONFLICT …]` of up to `rowsPerStatement` rows, prepared once per row count.
 * SQLite applies the rows of one statement in order, each seeing the ones before it (an upsert of a key inserted
 * earlier in the same statement updates it), so the outcome is that of one statement per row, in the same order —
 * at a fraction of the per-statement cost.
 */
import type Database from 'better-sqlite3';

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

  /** Writes the buffered rows. Call before anything reads the table, and before committing. */
  flush(): void {
    if (this.rows === 0) return;
    let st = this.statements.get(this.rows);
    if (st === undefined) {
      st = this.db.prepare(`${this.head} ${new Array<string>(this.rows).fill(this.row).join(',')} ${this.tail}`);
      this.statements.set(this.rows, st);
    }
    st.run(this.args);
    this.args.length = 0;
    this.rows = 0;
  }
}
