/**
 * `medtap findings [--device ID] [--kind K] [--class exposure|misconfiguration] [--status open|resolved|all]
 * [--at TIME] [--json]`: re-assesses the inventory (src/findings/: exposure facts and misconfigurations, each with
 * evidence) and lists the findings (schemas/finding.schema.json), most severe first. `medtap device <id>` shows the
 * same for one device (formatDeviceFindings).
 */
import { type Command } from 'commander';
import type Database from 'better-sqlite3';
import { CliError, positiveIntOption } from './cli-error.js';
import { openStore } from './open-store.js';
import { renderTable } from './text-table.js';
import { FINDING_KINDS } from '../findings/device-view.js';
import { type FindingFilter, type FindingRecord, listFindings } from '../findings/findings-db.js';
import { refreshFindings, type RefreshSummary } from '../findings/refresh.js';

/** Command options. */
interface FindingsOptions {
  device?: string;
  kind?: string;
  class?: string;
  status?: string;
  at?: string;
  json?: boolean;
}

/** Checks the options into a filter and an assessment time. @throws CliError (usage, exit 2). */
function parseOptions(o: FindingsOptions): { filter: FindingFilter; at: Date | undefined } {
  const filter: FindingFilter = {};
  const deviceId = positiveIntOption('device id', o.device);
  if (deviceId !== undefined) filter.deviceId = deviceId;
  if (o.kind !== undefined) {
    if (!(FINDING_KINDS as readonly string[]).includes(o.kind)) throw new CliError(`--kind must be one of ${FINDING_KINDS.join(', ')}`, 2);
    filter.kind = o.kind;
  }
  if (o.class !== undefined) {
    if (o.class !== 'exposure' && o.class !== 'misconfiguration') throw new CliError('--class must be exposure or misconfiguration', 2);
    filter.class = o.class;
  }
  if (o.status !== undefined) {
    if (o.status !== 'open' && o.status !== 'resolved' && o.status !== 'all') throw new CliError('--status must be open, resolved or all', 2);
    filter.status = o.status;
  }
  let at: Date | undefined;
  if (o.at !== undefined) {
    at = new Date(o.at);
    if (Number.isNaN(at.getTime())) throw new CliError(`--at must be an ISO-8601 time, not '${o.at}'`, 2);
  }
  return { filter, at };
}

/** Registers the command. */
export function registerFindingsCommand(program: Command): void {
  program
    .command('findings')
    .description('assess exposure and misconfigurations of every device and list the findings with their evidence')
    .option('--device <id>', 'only this device')
    .option('--kind <kind>', `only this kind (${FINDING_KINDS.join(', ')})`)
    .option('--class <class>', 'only exposure or misconfiguration findings')
    .option('--status <status>', 'open (default), resolved or all')
    .option('--at <time>', 'assessment time, ISO-8601 (default: now); end-of-support dates are compared with it')
    .option('--json', 'print the findings as a JSON array (schemas/finding.schema.json)')
    .action((opts: FindingsOptions, cmd: Command) => {
      const { filter, at } = parseOptions(opts);
      const store = openStore(cmd, false);
      try {
        if (filter.deviceId !== undefined && !store.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(filter.deviceId)) {
          throw new CliError(`no device ${filter.deviceId} (see 'medtap devices')`);
        }
        store.begin();
        const summary = refreshFindings(store.db, at ? { now: at } : {});
        store.commit();
        const records = listFindings(store.db, filter);
        if (opts.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        else process.stdout.write(`${formatRefreshSummary(summary)}\n\n${formatFindings(records, true)}\n`);
      } finally {
        store.rollback();
        store.close();
      }
    });
}

/** One line about an assessment. */
export function formatRefreshSummary(s: RefreshSummary): string {
  const kinds = Object.entries(s.by_kind).map(([k, n]) => `${k}=${n}`).join(', ');
  return `${s.devices} devices assessed at ${s.assessed_at}: ${s.inserted} new, ${s.updated} still open, ${s.reopened} reopened, ${s.resolved} resolved${kinds ? ` (${kinds})` : ''}`;
}

/** The findings as a table (with the device column when listing several devices), each with its first evidence. */
export function formatFindings(records: readonly FindingRecord[], withDevice: boolean): string {
  if (records.length === 0) return '(no findings)';
  return renderTable([...records], [
    ...(withDevice ? [{ header: 'device', get: (r: FindingRecord) => `#${r.device_id} ${r.device_key}`, max: 28 }] : []),
    { header: 'severity', get: (r) => r.severity },
    { header: 'class', get: (r) => (r.class === 'exposure' ? 'exposure' : 'misconfig') },
    { header: 'kind', get: (r) => r.kind },
    { header: 'subject', get: (r) => r.subject, max: 32 },
    { header: 'title', get: (r) => r.title, max: 70 },
    { header: 'evidence', get: (r) => r.evidence.map((e) => e.detail).join(' | '), max: 110 },
  ]);
}

/** The "Exposure and findings" section of `medtap device <id>`: the device's open findings as stored by the last assessment. */
export function formatDeviceFindings(db: Database.Database, deviceId: number): string {
  const records = listFindings(db, { deviceId });
  const head = records.length === 0 ? '' : `(assessed at ${records[0]!.assessed_at}; 'medtap findings --device ${deviceId}' re-assesses)\n`;
  return `Exposure and findings\n${head}${formatFindings(records, false)}`;
}
