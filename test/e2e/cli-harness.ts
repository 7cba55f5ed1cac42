/** Runs the real `medtap` CLI (bin/medtap.js → dist/) in a child process, for end-to-end tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
