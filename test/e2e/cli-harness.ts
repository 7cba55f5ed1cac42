/** Runs the real `medtap` CLI (bin/medtap.js → dist/) in a child process, for end-to-end tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file compiles to dist/test/e2e/). */
export const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
/** The shared corpus of real captures. */
export const CORPUS = resolve(ROOT, '../shared/corpus');
/** The bundled sample capture. */
export const SAMPLE = join(ROOT, 'samples/hospital.pcap');

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `medtap <args>` with an optional stdin payload. */
export function runCli(args: string[], opts: { input?: Buffer; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/medtap.js'), ...args], {
    cwd: ROOT,
    input: opts.input,
    env: { ...process.env, ...opts.env },
    maxBuffer: 256 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'medtap-test-'));
}

/**
 * Every place a run could leak a value into, as [where, text]: the CLI output given, each log file of `logsDir`, the
 * database file's bytes and every row of every table rendered as JSON. For the "no patient value anywhere" tests.
 */
export function storedTexts(cliOutput: string, logsDir: string, dbPath: string): [string, string][] {
  const places: [string, string][] = [['cli output', cliOutput]];
  for (const f of readdirSync(logsDir)) places.push([`log ${f}`, readFileSync(join(logsDir, f), 'latin1')]);
  places.push(['database file', readFileSync(dbPath).toString('latin1')]);
  const sql = new Database(dbPath, { readonly: true });
  for (const { name } of sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
    places.push([`table ${name}`, JSON.stringify(sql.prepare(`SELECT * FROM "${name}"`).all())]);
  }
  sql.close();
  return places;
}

/** True when `text` holds `value`; a numeric value must not match inside a longer number (0.2769999 is not 2769). */
export function containsValue(text: string, value: string): boolean {
  return /^[\d.]+$/.test(value) ? new RegExp(`(?<![0-9.])${value.replace(/\./g, '\\.')}(?![0-9])`).test(text) : text.includes(value);
}
