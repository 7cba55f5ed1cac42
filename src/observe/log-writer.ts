/**
 * Writes observations as JSONL logs, one file per protocol (`dhcp.jsonl`, …), in the manner of Zeek logs: one
 * flat JSON object per line, `ts` first (ISO-8601 UTC), then where it was seen, then the protocol fields.
 * Files are appended to (a second run into the same directory adds to them; nothing is overwritten) and written
 * in batches.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogName, Observation } from './observation.js';

/** Lines buffered per file before a write. */
const BATCH_LINES = 512;

/** The flat log record of an observation. */
export function logRecord(o: Observation): Record<string, unknown> {
  const { ts_us, ...where } = o.ctx;
  return { ts: new Date(Math.floor(ts_us / 1000)).toISOString(), ...where, ...o.msg };
}

/** A directory of JSONL logs. */
export class JsonlLogWriter {
  private readonly files = new Map<LogName, { fd: number; lines: string[]; count: number }>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Appends one observation to its protocol's log. */
  write(o: Observation): void {
    let f = this.files.get(o.kind);
    if (f === undefined) {
      f = { fd: openSync(join(this.dir, `${o.kind}.jsonl`), 'a'), lines: [], count: 0 };
      this.files.set(o.kind, f);
    }
    f.lines.push(JSON.stringify(logRecord(o)));
    f.count++;
    if (f.lines.length >= BATCH_LINES) this.flushFile(f);
  }

  private flushFile(f: { fd: number; lines: string[] }): void {
    if (f.lines.length === 0) return;
    writeSync(f.fd, `${f.lines.join('\n')}\n`);
    f.lines.length = 0;
  }

  /** Records written per protocol so far. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, f] of this.files) out[k] = f.count;
    return out;
  }

  /** Flushes and closes every file. */
  close(): void {
    for (const f of this.files.values()) {
      this.flushFile(f);
      closeSync(f.fd);
    }
    this.files.clear();
  }
}
