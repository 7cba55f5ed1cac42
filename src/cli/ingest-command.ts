/** `medtap ingest <file|dir|->…`: read captures into the inventory, with progress on a terminal and a summary. */
import { formatRefreshSummary } from './findings-command.js';
import { type Command } from 'commander';
import { ingest, IngestInputError, type IngestSummary } from '../ingest/ingest.js';
import { CliError } from './cli-error.js';
import { openStore } from './open-store.js';
import { formatBytes } from './text-table.js';

/** Registers the command. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description("read pcap/pcapng captures (files, directories merged in time order, or '-' for stdin) into the inventory")
    .argument('<inputs...>', "capture files, directories, or '-' for standard input (e.g. tcpdump -U -w - | medtap ingest -)")
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress line even on a terminal')
    .option('--max-flows <n>', 'live flows tracked at once', (v) => parseInt(v, 10))
    .option('--log-dir <dir>', 'also write protocol logs (dhcp.jsonl, …) into this directory (appended to)')
    .option('--no-findings', 'do not re-assess the findings at the end (run `medtap findings` later; for bulk loads of many captures)')
    .action(async (inputs: string[], opts: { json?: boolean; progress: boolean; maxFlows?: number; logDir?: string; findings: boolean }, cmd: Command) => {
      if (opts.maxFlows !== undefined && !(Number.isInteger(opts.maxFlows) && opts.maxFlows >= 16 && opts.maxFlows <= 16_777_216)) {
        throw new CliError('--max-flows must be an integer from 16 to 16777216', 2);
      }
      const store = openStore(cmd, true);
      const signal = { stop: false, abort: false };
      const onSigint = (): void => {
        if (signal.stop) signal.abort = true;
        signal.stop = true;
        process.stderr.write('\nmedtap: stopping (Ctrl-C again to abort without storing)…\n');
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const tty = opts.progress && process.stderr.isTTY === true && !opts.json;
      let summary: IngestSummary;
      try {
        summary = await ingest(store, inputs, {
          stopSignal: signal,
          maxFlows: opts.maxFlows,
          logDir: opts.logDir,
          findings: opts.findings,
          onProgress: tty
            ? (p) => {
              const pct = p.totalBytes ? ` (${Math.floor((p.bytesRead / p.totalBytes) * 100)}%)` : '';
              const total = p.totalBytes ? ` / ${formatBytes(p.totalBytes)}` : '';
              const rate = p.packets / Math.max(p.seconds, 1e-3);
              process.stderr.write(`\r\x1b[2K  ingest  ${formatBytes(p.bytesRead)}${total}${pct}  ${p.packets.toLocaleString('en-US')} packets  ${(rate / 1e6).toFixed(2)} M packets/s`);
            }
            : undefined,
        });
      } catch (err) {
        if (err instanceof IngestInputError) throw new CliError(err.message);
        throw err;
      } finally {
        if (tty) process.stderr.write('\r\x1b[2K');
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        store.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(formatSummary(summary));
      for (const e of summary.errors) process.stderr.write(`medtap: ${e}\n`);
      if (summary.status === 'interrupted' && summary.run_id === null) process.exitCode = 130;
      else if (summary.errors.length > 0 || summary.inputs.some((i) => i.status === 'error')) process.exitCode = 1;
    });
}

/** The human-readable summary. */
export function formatSummary(s: IngestSummary): string {
  const lines: string[] = [];
  for (const i of s.inputs) {
    const what = i.status === 'skipped_duplicate' ? `skipped: ${i.message}` : `${i.status}${i.message && i.status !== 'ingested' ? ` (${i.message})` : ''}`;
    lines.push(`${i.name}: ${what}`);
  }
  if (s.run_id !== null) {
    lines.push(
      `packets   ${s.packets.toLocaleString('en-US')}  (${s.non_ip_frames.toLocaleString('en-US')} non-IP)`,
      `bytes     ${formatBytes(s.bytes)}`,
      `flows     ${s.flows.toLocaleString('en-US')}`,
      `devices   ${s.devices.toLocaleString('en-US')} seen, ${s.new_devices.toLocaleString('en-US')} new`,
      `edges     ${s.edges.toLocaleString('en-US')}`,
    );
    const obs = Object.entries(s.observations ?? {});
    if (obs.length > 0) lines.push(`protocols ${obs.map(([k, v]) => `${k}=${v.toLocaleString('en-US')}`).join(', ')}`);
    const idn = s.identification;
    if (idn) lines.push(`identified ${idn.identified.toLocaleString('en-US')} of ${idn.devices.toLocaleString('en-US')} devices (${idn.derived_values.toLocaleString('en-US')} values derived by the fingerprint rules)`);
    if (s.findings) lines.push(`findings  ${formatRefreshSummary(s.findings)}`);
    const an = Object.entries(s.anomalies).sort((a, b) => b[1] - a[1]);
    lines.push(`anomalies ${an.length === 0 ? 'none' : an.map(([k, v]) => `${k}=${v}`).join(', ')}`);
    lines.push(`time      ${s.seconds.toFixed(2)} s, ${Math.round(s.packets_per_second).toLocaleString('en-US')} packets/s, ${s.megabytes_per_second.toFixed(1)} MB/s`);
  } else if (s.status === 'nothing_new') {
    lines.push('nothing new to ingest');
  }
  return `${lines.join('\n')}\n`;
}
