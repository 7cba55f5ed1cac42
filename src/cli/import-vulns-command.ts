/**
 * `medtap import vulns PATH…`: import vulnerability feeds (NVD CVE API 2.0 JSON, CVE JSON 5, CISA KEV JSON/CSV,
 * CSAF 2.0) from files or directories, offline. Malformed records are listed on stderr (`file: record N (id): why`)
 * and skipped; the exit code is 1 only when a file could not be read or was cut short.
 */
import { type Command } from 'commander';
import { importVulnFeeds, type VulnImportSummary } from '../vuln/feed-import.js';
import { CliError } from './cli-error.js';
import { openStore } from './open-store.js';

/** Adds the `vulns` subcommand to `medtap import`. */
export function registerImportVulnsCommand(imp: Command): void {
  imp
    .command('vulns')
    .description('import vulnerability feeds: NVD CVE API 2.0 JSON (responses or per-CVE files), CVE JSON 5, CISA KEV (JSON or CSV), CSAF 2.0 advisories')
    .argument('<paths...>', 'feed files or directories (walked recursively for .json and .csv files)')
    .option('--json', 'print the summary as JSON')
    .action((paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const store = openStore(cmd, true);
      let summary: VulnImportSummary;
      try {
        summary = importVulnFeeds(store, paths);
      } catch (err) {
        throw new CliError(`import failed: ${(err as Error).message}`);
      } finally {
        store.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(formatImportSummary(summary));
      for (const m of summary.malformed) process.stderr.write(`medtap: malformed: ${m}\n`);
      if (summary.totals.malformed > summary.malformed.length) {
        process.stderr.write(`medtap: … and ${summary.totals.malformed - summary.malformed.length} more malformed records\n`);
      }
      for (const e of summary.errors) process.stderr.write(`medtap: ${e}\n`);
      if (summary.errors.length > 0) process.exitCode = 1;
    });
}

/** The human-readable summary: one line per format, then the totals and what the store now holds. */
export function formatImportSummary(s: VulnImportSummary): string {
  const byFormat = new Map<string, { files: number; records: number; inserted: number; updated: number; unchanged: number; stale: number; malformed: number }>();
  let skipped = 0;
  for (const f of s.files) {
    if (f.format === null) {
      skipped++;
      continue;
    }
    const t = byFormat.get(f.format) ?? { files: 0, records: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, malformed: 0 };
    byFormat.set(f.format, t);
    t.files++;
    for (const k of ['records', 'inserted', 'updated', 'unchanged', 'stale', 'malformed'] as const) t[k] += f.counts[k];
  }
  const lines = [...byFormat].map(([fmt, t]) =>
    `${fmt.padEnd(9)} ${String(t.files).padStart(5)} files  ${String(t.records).padStart(7)} records: ${t.inserted} new, ${t.updated} updated, ${t.unchanged} unchanged, ${t.stale} stale, ${t.malformed} malformed`);
  if (skipped > 0 || s.ignored_files > 0) lines.push(`skipped   ${skipped} unrecognised .json/.csv files, ${s.ignored_files} other files ignored`);
  const st = s.store;
  lines.push(`store     ${st['vulnerabilities_nvd']} NVD + ${st['vulnerabilities_cve5']} CVE 5 records, ${st['cpe_matches']} CPE matches, ${st['kev_entries']} KEV entries, ` +
    `${st['advisories']} advisories (${st['advisory_products']} products), ${st['cvss_vectors']} CVSS vectors`);
  lines.push(`time      ${s.seconds.toFixed(2)} s`);
  return `${lines.join('\n')}\n`;
}
