/** `medtap flows [--json]`: flows, oriented client → server. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { renderTable } from './text-table.js';
import { CliError } from './cli-error.js';

/** Registers the command. */
export function registerFlowsCommand(program: Command): void {
  program
    .command('flows')
    .description('list flows (client → server, per-direction packets and bytes)')
    .option('--json', 'print records as a JSON array (schemas/flow.schema.json)')
    .option('--device <id>', 'only flows of this device', (v) => parseInt(v, 10))
    .option('--limit <n>', 'at most this many flows (table default 200; JSON default all)', (v) => parseInt(v, 10))
    .action((opts: { json?: boolean; device?: number; limit?: number }, cmd: Command) => {
      if (opts.limit !== undefined && !(opts.limit >= 0)) throw new CliError('--limit must be a non-negative integer', 2);
      if (opts.device !== undefined && !(opts.device > 0)) throw new CliError('--device must be a device id', 2);
      const store = openStore(cmd, false);
      try {
        const limit = opts.limit ?? (opts.json ? undefined : 200);
        const flows = store.flows({ limit, deviceId: opts.device });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(flows, null, 2)}\n`);
          return;
        }
        const ep = (ip: string, port: number | null): string => (port === null ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
        process.stdout.write(`${renderTable(flows, [
          { header: 'proto', get: (f) => f.proto },
          { header: 'client', get: (f) => ep(f.client_ip, f.client_port) },
          { header: 'server', get: (f) => ep(f.server_ip, f.server_port) },
          { header: 'vlan', get: (f) => f.vlan },
          { header: 'c>s pkts', get: (f) => f.client_to_server_packets },
          { header: 'c>s bytes', get: (f) => f.client_to_server_bytes },
          { header: 's>c pkts', get: (f) => f.server_to_client_packets },
          { header: 's>c bytes', get: (f) => f.server_to_client_bytes },
          { header: 'state', get: (f) => f.tcp_state },
          { header: 'first seen', get: (f) => f.first_seen?.replace('T', ' ').slice(0, 19) ?? null },
        ])}\n`);
        const total = Number((store.db.prepare('SELECT COUNT(*) AS n FROM flows').get() as { n: number }).n);
        if (flows.length < total) process.stdout.write(`${flows.length} of ${total} flows shown (--limit N, or --json for all)\n`);
      } finally {
        store.close();
      }
    });
}
