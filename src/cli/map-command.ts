/**
 * `medtap map [--zone Z] [--category C] [--device ID] [--external] [--format json|graphml|dot] [--output FILE]`:
 * the network map (devices, addresses that are no device, edges per application protocol), streamed from the
 * store in bounded memory (src/map/map-export.ts). Writes to standard output unless --output is given.
 */
import { type Command, Option } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { openStore } from './open-store.js';
import { CliError, positiveIntOption } from './cli-error.js';
import { exportMap, type MapFilter } from '../map/map-export.js';
import { MAP_FORMATS, type MapFormat } from '../map/map-formats.js';
import { isDeviceCategory } from '../knowledge/vocabulary.js';

/** Bytes gathered before one write. */
const WRITE_CHUNK = 1 << 16;

/**
 * A buffered writer on a file descriptor. Standard output may be a non-blocking pipe: a write that would block
 * (EAGAIN) is retried after a short sleep rather than failing.
 */
export class FdWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}

  /** Queues text, writing once WRITE_CHUNK bytes are gathered. */
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= WRITE_CHUNK) this.flush();
  }

  /** Writes everything queued. */
  flush(): void {
    if (this.size === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    for (let off = 0; off < buf.length;) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}

/** Registers the command. */
export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('export the network map: devices, external endpoints and edges (protocol, port, encryption, PHI kinds, cleartext credentials)')
    .option('--zone <name>', 'only devices of this zone (see `medtap zones`), their edges and peers')
    .option('--category <category>', 'only devices of this category, their edges and peers')
    .option('--device <id>', 'only this device, its edges and peers')
    .option('--external', 'only edges with an end on a public address (the internet)')
    .addOption(new Option('--format <format>', 'output format').choices(MAP_FORMATS).default('json'))
    .option('--output <file>', 'write to this file instead of standard output')
    .action((opts: { zone?: string; category?: string; device?: string; external?: boolean; format: MapFormat; output?: string }, cmd: Command) => {
      const filter: MapFilter = {};
      if (opts.zone !== undefined) filter.zone = opts.zone;
      if (opts.category !== undefined) {
        if (!isDeviceCategory(opts.category)) throw new CliError(`unknown category '${opts.category}' (see DESIGN §3 / medtap devices)`, 2);
        filter.category = opts.category;
      }
      const deviceId = positiveIntOption('device id', opts.device);
      if (deviceId !== undefined) filter.device = deviceId;
      if (opts.external === true) filter.external = true;
      const store = openStore(cmd, false);
      let fd = 1;
      try {
        if (filter.zone !== undefined && store.db.prepare('SELECT 1 FROM zones WHERE name = ?').get(filter.zone) === undefined) {
          throw new CliError(`no zone '${filter.zone}' (see 'medtap zones')`);
        }
        if (filter.device !== undefined && store.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(filter.device) === undefined) {
          throw new CliError(`no device ${filter.device} (see 'medtap devices')`);
        }
        if (opts.output !== undefined) fd = openSync(opts.output, 'w');
        const out = new FdWriter(fd);
        exportMap(store.db, filter, opts.format, (s) => out.write(s));
        out.flush();
      } finally {
        if (fd !== 1) closeSync(fd);
        store.close();
      }
    });
}
