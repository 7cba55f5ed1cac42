/**
 * The `medtap` command line. Every listing has --json; exit codes: 0 ok, 1 error (one-line reason on stderr),
 * 2 usage error, 130 interrupted.
 */
import { Command, CommanderError } from 'commander';
import { registerIngestCommand } from './ingest-command.js';
import { registerDevicesCommand } from './devices-command.js';
import { registerDeviceCommand } from './device-command.js';
import { registerFlowsCommand } from './flows-command.js';
import { registerStatsCommand } from './stats-command.js';
import { registerClassifyCommand } from './classify-command.js';
import { registerImportCommand } from './import-command.js';
import { registerAssetsCommand } from './assets-command.js';
import { registerVulnsCommand } from './vulns-command.js';
import { registerAssessCommand } from './assess-command.js';
import { registerRiskCommand } from './risk-command.js';
import { registerRemediationCommand } from './remediation-command.js';
import { registerFindingsCommand } from './findings-command.js';
import { registerMapCommand } from './map-command.js';
import { registerZonesCommand } from './zones-command.js';
import { CliError } from './cli-error.js';


/** Builds the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('medtap')
    .description('Passive discovery of connected medical devices (IoMT) from network traffic')
    .option('--db <path>', 'SQLite database (default: $MEDTAP_DB or ./medtap.db)')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerIngestCommand(program);
  registerDevicesCommand(program);
  registerDeviceCommand(program);
  registerFlowsCommand(program);
  registerStatsCommand(program);
  registerClassifyCommand(program);
  registerImportCommand(program);
  registerAssetsCommand(program);
  registerVulnsCommand(program);
  registerAssessCommand(program);
  registerRiskCommand(program);
  registerRemediationCommand(program);
  registerFindingsCommand(program);
  registerMapCommand(program);
  registerZonesCommand(program);
  return program;
}

/** Runs the CLI with process.argv-style arguments. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`medtap: ${msg.split('\n')[0]}\n`);
    process.exitCode = err instanceof CliError ? err.code : 1;
  }
}
