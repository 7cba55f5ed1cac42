/** Opens the inventory store named by --db / MEDTAP_DB for a command, with a one-line error if it cannot. */
import { type Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolveDbPath, SqliteStore } from '../inventory/sqlite-store.js';
import { CliError } from './cli-error.js';

/** Opens (creating when `create`) the database for this invocation. */
export function openStore(cmd: Command, create: boolean): SqliteStore {
  const path = resolveDbPath(cmd.optsWithGlobals<{ db?: string }>().db);
  if (!create && path !== ':memory:' && !existsSync(path)) {
    throw new CliError(`no inventory at ${path} (run 'medtap ingest <capture>' first, or pass --db PATH)`);
  }
  try {
    return new SqliteStore(path);
  } catch (err) {
    throw new CliError(`cannot open database ${path}: ${(err as Error).message}`);
  }
}
