/** `medtap stats [--json]`: totals of the inventory. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';

/** Registers the command. */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('inventory totals: captures, packets, flows, devices, anomalies')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const store = openStore(cmd, false);
      try {
        const s = store.stats();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
          return;
        }
        const w = Math.max(...Object.keys(s).map((k) => k.length));
        for (const [k, v] of Object.entries(s)) {
          const text = typeof v === 'object' && v !== null
            ? Object.entries(v).map(([a, b]) => `${a}=${String(b)}`).join(', ') || 'none'
            : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
          process.stdout.write(`${k.padEnd(w)}  ${text}\n`);
        }
      } finally {
        store.close();
      }
    });
}
