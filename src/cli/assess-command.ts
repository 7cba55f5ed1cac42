/**
 * `medtap assess [--threshold N] [--json]`: match every device against the imported vulnerability feeds, compute
 * its risk (src/risk/), store the snapshot (one assessment run) and print the summary: devices, how many are above
 * the acceptable-risk threshold, FDA Tier 1 count, and the work list.
 */
import { type Command } from 'commander';
import { runAssessment, type AssessmentSummary } from '../risk/assess.js';
import { openStore } from './open-store.js';
import { thresholdOption } from './risk-snapshot.js';
import { renderTable } from './text-table.js';

/** Registers the command. */
export function registerAssessCommand(program: Command): void {
  program
    .command('assess')
    .description('assess every device (vulnerabilities, impacts, likelihood, risk index, remediation) and store a risk snapshot')
    .option('--threshold <n>', 'acceptable risk index 0-100 (default: $MEDTAP_RISK_THRESHOLD or 40)')
    .option('--json', 'print the run summary as JSON (schemas/assessment-summary.schema.json)')
    .action((opts: { threshold?: string; json?: boolean }, cmd: Command) => {
      const threshold = thresholdOption(opts.threshold);
      const store = openStore(cmd, false);
      try {
        const tty = process.stderr.isTTY === true && !opts.json;
        const { summary } = runAssessment(store.db, threshold, tty ? (done, total) => process.stderr.write(`\rassessing ${done}/${total} devices`) : undefined);
        if (tty) process.stderr.write('\r\x1b[K');
        process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatAssessmentSummary(summary)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The summary as text: totals, then the work list (at most 20 rows). */
export function formatAssessmentSummary(s: AssessmentSummary): string {
  const head = [
    `assessment run ${s.run_id} at ${s.at} (${s.formula}, ${s.seconds.toFixed(2)} s)`,
    `${s.devices} devices, ${s.vuln_matches} vulnerability matches, ${s.findings} open findings, ${s.tier1} FDA Tier 1`,
    `risk index: max ${s.max_index}, mean ${s.mean_index}; ${s.above} devices above the acceptable risk ${s.threshold}`,
  ];
  if (s.work_list.length === 0) return head.join('\n');
  const rows = s.work_list.slice(0, 20);
  const more = s.work_list.length > rows.length ? `\n… ${s.work_list.length - rows.length} more (medtap risk --above ${s.threshold})` : '';
  return `${head.join('\n')}\n\nwork list\n${renderTable(rows, [
    { header: 'device', get: (r) => r.device_id },
    { header: 'key', get: (r) => r.device_key },
    { header: 'risk', get: (r) => r.risk_index },
  ])}${more}`;
}
