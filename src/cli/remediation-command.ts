/**
 * `medtap remediation [--device ID] [--limit N] [--json]`: the prioritised remediation list of the latest
 * assessment (assessing first when none is stored): every action on every device — patch, configuration change,
 * segmentation, compensating control — ranked by the risk it removes (the index recomputed without what the action
 * addresses). Records: schemas/remediation.schema.json.
 */
import { type Command } from 'commander';
import type { RankedAction } from '../risk/remediation.js';
import { openStore } from './open-store.js';
import { formatActions } from './risk-command.js';
import { positiveIntOption } from './cli-error.js';
import { latestRecords, thresholdOption } from './risk-snapshot.js';

/** One line of the remediation list. */
export interface RemediationRecord extends RankedAction {
  rank: number;
  run_id: number;
  device_id: number;
  device_key: string;
  above_threshold: boolean;
}

/** Registers the command. */
export function registerRemediationCommand(program: Command): void {
  program
    .command('remediation')
    .description('prioritised remediation actions from the latest assessment, ranked by the risk they remove')
    .option('--device <id>', 'only this device')
    .option('--limit <n>', 'at most N actions')
    .option('--threshold <n>', 'acceptable risk used when an assessment has to be run (default: $MEDTAP_RISK_THRESHOLD or 40)')
    .option('--json', 'print remediation records as a JSON array (schemas/remediation.schema.json)')
    .action((opts: { device?: string; limit?: string; threshold?: string; json?: boolean }, cmd: Command) => {
      const deviceId = positiveIntOption('device id', opts.device);
      const limit = positiveIntOption('limit', opts.limit);
      const threshold = thresholdOption(opts.threshold);
      const store = openStore(cmd, false);
      try {
        const { runId, records } = latestRecords(store.db, threshold, deviceId);
        const list: RemediationRecord[] = records.flatMap((r) => r.remediation.map((a) => ({ ...a, rank: 0, run_id: runId, device_id: r.device_id, device_key: r.device_key, above_threshold: r.above_threshold })))
          .sort((a, b) => b.risk_removed - a.risk_removed || b.index_before - a.index_before || a.device_id - b.device_id)
          .slice(0, limit)
          .map((a, n) => ({ ...a, rank: n + 1 }));
        if (opts.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else process.stdout.write(`${list.length === 0 ? 'no remediation actions' : formatActions(list)}\nassessment run ${runId}\n`);
      } finally {
        store.close();
      }
    });
}
