/**
 * `medtap import assets FILE [--mapping M] [--json]`: imports an asset register export (CSV; JSON when the file ends
 * in .json or starts with '[') and reconciles it with the discovered devices. Bad rows are listed as
 * `file:line: column: why` and the good rows imported. Exit code 0 even with bad rows (they are reported), 1 when
 * nothing could be read.
 */
import { type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { openStore } from './open-store.js';
import { CliError } from './cli-error.js';
import { type AssetField, parseMapping } from '../context/asset-fields.js';
import { readAssetFile } from '../context/asset-file.js';
import { importAssets, type ImportSummary } from '../context/asset-store.js';
import { loadKnowledgeBase } from '../knowledge/knowledge-base.js';
import { registerImportVulnsCommand } from './import-vulns-command.js';
import { registerImportZonesCommand } from './import-zones-command.js';

/** Registers `import` with its `assets` and `vulns` subcommands. */
export function registerImportCommand(program: Command): void {
  const imp = program.command('import').description("import context from outside the network: asset registers, vulnerability feeds, zones");
  registerImportVulnsCommand(imp);
  registerImportZonesCommand(imp, readText);
  imp
    .command('assets')
    .description('import an asset register (CMMS/CMDB export, CSV or JSON) and reconcile it with the discovered devices')
    .argument('<file>', 'CSV with a header line, or a JSON array of objects (.json)')
    .option('--mapping <file>', 'JSON object mapping register columns to medtap fields ({"Equip No": "asset_tag", "Notes": null})')
    .option('--json', 'print the import summary as JSON')
    .action((file: string, opts: { mapping?: string; json?: boolean }, cmd: Command) => {
      const mapping = opts.mapping === undefined ? new Map<string, AssetField | null>() : loadMapping(opts.mapping);
      const text = readText(file);
      const json = /\.json$/i.test(file) || /^\uFEFF?\s*\[/.test(text);
      const content = readAssetFile(text, json, mapping);
      if ('error' in content) throw new CliError(`${file}: ${content.error}`);
      const kb = loadKnowledgeBase();
      const store = openStore(cmd, true);
      try {
        const s = importAssets(store, file, text, content, kb);
        process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : `${formatImport(s)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The text of a file, or a CliError naming it. */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function loadMapping(file: string): Map<string, AssetField | null> {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const m = parseMapping(json);
  if (typeof m === 'string') throw new CliError(`${file}: ${m}`);
  return m;
}

/** The summary as text: counts, then one line per bad row. */
export function formatImport(s: ImportSummary): string {
  const bases = Object.entries(s.matched).filter(([, n]) => n > 0).map(([b, n]) => `${b} ${n}`).join(', ') || 'none';
  const out = [
    `${s.file}: ${s.records} rows, ${s.imported} imported (${s.added} new, ${s.updated} updated, ${s.unchanged} unchanged), ${s.errors.length} refused`,
    `matched by ${bases}; ${s.unmatched_assets} assets never seen on the network; ${s.devices_missing_from_register} discovered devices missing from the register; ${s.devices_reidentified} devices identified again`,
  ];
  if (s.ignored_columns.length > 0) out.push(`ignored columns (not mapped): ${s.ignored_columns.join(', ')}`);
  for (const e of s.errors) out.push(`${e.where}: ${e.column === '-' ? 'row' : `column '${e.column}'`}: ${e.why}`);
  if (s.unmatched_assets + s.devices_missing_from_register > 0) out.push("see 'medtap assets --unmatched'");
  return out.join('\n');
}
