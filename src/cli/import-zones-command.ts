/**
 * `medtap import zones FILE [--json]`: imports zones (name, vlan and/or cidr, purpose) from a CSV and assigns every
 * device again (src/map/zone-import.ts). Bad rows are listed as `file:line: column: why` and the good rows imported;
 * exit code 0 even with bad rows, 1 when the file cannot be read or has no usable header.
 */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { CliError } from './cli-error.js';
import { importZones, readZoneFile, type ZoneImportSummary } from '../map/zone-import.js';

/** Registers `import zones` under `import`; `readText` reads a file or throws a CliError. */
export function registerImportZonesCommand(imp: Command, readText: (file: string) => string): void {
  imp
    .command('zones')
    .description('import zones (CSV with columns name, vlan and/or cidr, purpose) and assign devices to them')
    .argument('<file>', 'CSV with a header line')
    .option('--json', 'print the import summary as JSON')
    .action((file: string, opts: { json?: boolean }, cmd: Command) => {
      const read = readZoneFile(file, readText(file));
      if ('error' in read) throw new CliError(`${file}: ${read.error}`);
      const store = openStore(cmd, true);
      try {
        const s = importZones(store.db, file, read);
        process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : `${formatZoneImport(s)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The summary as text: counts, then one line per refused row. */
export function formatZoneImport(s: ZoneImportSummary): string {
  const out = [`${s.file}: ${s.rows} rows, ${s.imported} imported (${s.added} new, ${s.updated} updated), ${s.errors.length} refused; `
    + `${s.learned_replaced} learned zones replaced; ${s.devices_in_zones} devices in zones`];
  if (s.ignored_columns.length > 0) out.push(`ignored columns: ${s.ignored_columns.join(', ')}`);
  for (const e of s.errors) out.push(`${e.where}: ${e.column === '-' ? 'row' : `column '${e.column}'`}: ${e.why}`);
  return out.join('\n');
}
