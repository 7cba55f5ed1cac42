/**
 * `medtap risk [--above N] [--device ID] [--threshold N] [--json]`: the devices' risk from the latest assessment
 * run (assessing first when none is stored): index, the three impacts, likelihood, FDA tier, vulnerabilities and
 * KEV; with --device, the full explanation (every component with its evidence, per-vulnerability base and
 * environmental vectors, remediation). Records: schemas/device-risk.schema.json.
 */
import { type Command } from 'commander';
import type { DeviceRiskRecord } from '../risk/assess.js';
import { CliError, positiveIntOption } from './cli-error.js';
import { openStore } from './open-store.js';
import { latestRecords, thresholdOption } from './risk-snapshot.js';
import { renderTable } from './text-table.js';

/** Registers the command. */
export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description('list device risk from the latest assessment (runs `assess` first when there is none, or when an ingest or import came after it)')
    .option('--above <n>', 'only devices whose risk index is above N')
    .option('--device <id>', 'one device, with every component of its index and its evidence')
    .option('--threshold <n>', 'acceptable risk used when an assessment has to be run (default: $MEDTAP_RISK_THRESHOLD or 40)')
    .option('--json', 'print device risk records as a JSON array (schemas/device-risk.schema.json)')
    .action((opts: { above?: string; device?: string; threshold?: string; json?: boolean }, cmd: Command) => {
      const above = opts.above === undefined ? undefined : thresholdOption(opts.above);
      const deviceId = positiveIntOption('device id', opts.device);
      const threshold = thresholdOption(opts.threshold);
      const store = openStore(cmd, false);
      try {
        const { runId, assessedNow, records } = latestRecords(store.db, threshold, deviceId);
        if (deviceId !== undefined && records.length === 0) throw new CliError(`device ${deviceId} is not in assessment run ${runId} (run 'medtap assess')`);
        const shown = above === undefined ? records : records.filter((r) => r.risk_index > above);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
          return;
        }
        const note = `assessment run ${runId}${assessedNow ? ' (just run)' : ''}`;
        process.stdout.write(`${deviceId !== undefined && shown[0] ? formatRiskExplanation(shown[0]) : formatRiskTable(shown)}\n${note}\n`);
      } finally {
        store.close();
      }
    });
}

const LV = (l: string): string => l[0]!.toUpperCase();

/** Device risk records as a table (S/P/D = patient safety, privacy, service disruption). */
export function formatRiskTable(records: readonly DeviceRiskRecord[]): string {
  if (records.length === 0) return 'no devices';
  const table = renderTable([...records], [
    { header: 'device', get: (r) => r.device_id },
    { header: 'key', get: (r) => r.device_key, max: 24 },
    { header: 'category', get: (r) => r.category },
    { header: 'risk', get: (r) => r.risk_index },
    { header: '', get: (r) => (r.above_threshold ? '>' : '') },
    { header: 's/p/d', get: (r) => `${LV(r.impacts.patient_safety.level)}/${LV(r.impacts.privacy.level)}/${LV(r.impacts.service_disruption.level)}` },
    { header: 'likelihood', get: (r) => r.likelihood.toFixed(2) },
    { header: 'tier', get: (r) => r.tier.tier },
    { header: 'vulns', get: (r) => r.vulnerabilities_total },
    { header: 'kev', get: (r) => r.kev_total },
    { header: 'top weakness', get: (r) => r.components.find((c) => c.part === 'weakness' && c.role === 'decides')?.term ?? null, max: 32 },
  ]);
  const above = records.filter((r) => r.above_threshold).length;
  return `${table}\n${records.length} devices, ${above} above the acceptable risk ${records[0]!.threshold} (> marks them); s/p/d = patient safety / privacy / service disruption`;
}

/** One device's risk with every component and its evidence. */
export function formatRiskExplanation(r: DeviceRiskRecord): string {
  const i = r.impacts;
  const lines = [
    `risk index ${r.risk_index} (${r.above_threshold ? 'ABOVE' : 'within'} the acceptable risk ${r.threshold}); ${r.formula}`,
    `FDA premarket tier ${r.tier.tier}: ${r.tier.reasons.join('; ')}`,
    `FDA class ${i.fda_class ?? '-'}${i.fda_class_assumed ? ' (assumed)' : ''}`,
    `patient safety ${i.patient_safety.level.toUpperCase()}: ${i.patient_safety.reasons.join('; ')}`,
    `privacy ${i.privacy.level.toUpperCase()}: ${i.privacy.reasons.join('; ')}`,
    `service disruption ${i.service_disruption.level.toUpperCase()}: ${i.service_disruption.reasons.join('; ')}`,
    '',
    'components',
    renderTable(r.components, [
      { header: 'part', get: (c) => c.part },
      { header: 'term', get: (c) => c.term, max: 40 },
      { header: 'value', get: (c) => c.value.toFixed(2) },
      { header: 'role', get: (c) => c.role },
      { header: 'evidence', get: (c) => c.evidence, max: 140 },
    ]),
  ];
  if (r.vulnerabilities.length > 0) {
    const more = r.vulnerabilities_total > r.vulnerabilities.length ? ` — ${r.vulnerabilities.length} of ${r.vulnerabilities_total} kept (KEV, then strongest): medtap vulns --device ${r.device_id}` : '';
    lines.push('', `vulnerabilities (base and device-specific environmental vectors)${more}`, renderTable(r.vulnerabilities, [
      { header: 'vulnerability', get: (v) => v.vuln_id },
      { header: 'certainty', get: (v) => v.certainty },
      { header: 'kev', get: (v) => (v.kev ? 'KEV' : '') },
      { header: 'base', get: (v) => v.cvss?.base_score.toFixed(1) ?? null },
      { header: 'env', get: (v) => v.cvss?.environmental_score.toFixed(1) ?? null },
      { header: 'environmental vector', get: (v) => v.cvss?.environmental_vector ?? '(no CVSS vector)', max: 110 },
    ]));
  }
  if (r.remediation.length > 0) lines.push('', 'remediation (ranked by the risk it removes)', formatActions(r.remediation));
  return lines.join('\n');
}

/** Remediation actions as a table. */
export function formatActions(actions: readonly { kind: string; action: string; risk_removed: number; index_after: number; device_id?: number }[]): string {
  return renderTable([...actions], [
    ...(actions.some((a) => a.device_id !== undefined) ? [{ header: 'device', get: (a: (typeof actions)[number]) => a.device_id ?? null }] : []),
    { header: 'removes', get: (a) => a.risk_removed },
    { header: 'after', get: (a) => a.index_after },
    { header: 'kind', get: (a) => a.kind },
    { header: 'action', get: (a) => a.action, max: 120 },
  ]);
}
