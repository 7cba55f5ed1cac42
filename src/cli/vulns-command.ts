/**
 * `medtap vulns [--device ID] [--kev] [--json]`: the vulnerabilities each device may have, from the imported feeds
 * (`medtap import vulns`) matched against the device's attributes — one record per device and vulnerability
 * (schemas/vuln-match.schema.json), with the reasons and how sure the match is.
 */
import { type Command } from 'commander';
import { VulnMatcher, type VulnMatch } from '../vuln/vuln-matcher.js';
import { CliError, positiveIntOption } from './cli-error.js';
import { openStore } from './open-store.js';
import { renderTable } from './text-table.js';

/** One output record: a device and one vulnerability it may have. */
export interface VulnMatchRecord extends VulnMatch {
  device_id: number;
  device_key: string;
}

/** Registers the command. */
export function registerVulnsCommand(program: Command): void {
  program
    .command('vulns')
    .description('list the vulnerabilities each device may have (run `medtap import vulns` first)')
    .option('--device <id>', 'only this device')
    .option('--kev', 'only vulnerabilities in the CISA Known Exploited Vulnerabilities catalog')
    .option('--json', 'print records as a JSON array (schemas/vuln-match.schema.json)')
    .action((opts: { device?: string; kev?: boolean; json?: boolean }, cmd: Command) => {
      const id = positiveIntOption('device id', opts.device);
      const store = openStore(cmd, false);
      try {
        const devices = (id === undefined ? store.db.prepare('SELECT id, key FROM devices ORDER BY id').all()
          : store.db.prepare('SELECT id, key FROM devices WHERE id = ?').all(id)) as { id: number; key: string }[];
        if (id !== undefined && devices.length === 0) throw new CliError(`no device ${id} (see 'medtap devices')`);
        const feeds = store.db.prepare('SELECT COUNT(*) AS n FROM vuln_files').get() as { n: number };
        if (feeds.n === 0) process.stderr.write("medtap: no vulnerability feeds imported yet (see 'medtap import vulns')\n");
        const matcher = new VulnMatcher(store.db);
        const records: VulnMatchRecord[] = [];
        for (const d of devices) {
          for (const m of matcher.matchDevice(matcher.deviceAttributes(d.id))) if (!opts.kev || m.kev) records.push({ device_id: d.id, device_key: d.key, ...m });
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        else process.stdout.write(`${formatVulnMatches(records)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The matches as a text table. */
export function formatVulnMatches(records: VulnMatchRecord[]): string {
  if (records.length === 0) return 'no vulnerability matches';
  const table = renderTable(records, [
    { header: 'device', get: (r) => r.device_id },
    { header: 'vulnerability', get: (r) => r.vuln_id },
    { header: 'certainty', get: (r) => r.certainty },
    { header: 'conf', get: (r) => r.confidence.toFixed(2) },
    { header: 'kev', get: (r) => (r.kev ? 'KEV' : '') },
    { header: 'cvss', get: (r) => (r.cvss ? `${r.cvss.base_score.toFixed(1)} v${r.cvss.version}` : null) },
    { header: 'sources', get: (r) => r.sources.join(' '), max: 40 },
    { header: 'why', get: (r) => r.why[0] ? `${r.why[0].attribute}='${r.why[0].value}' → ${r.why[0].matched} ${r.why[0].range}`.trim() : null, max: 90 },
  ]);
  const devices = new Set(records.map((r) => r.device_id)).size;
  return `${table}\n${records.length} matches on ${devices} devices`;
}
