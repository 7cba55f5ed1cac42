/**
 * The `medtap` command line. Every listing has --json; exit codes: 0 ok, 1 error (one-line reason on stderr),
 * 2 usage error, 130 interrupted.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';


/** A command's module, loaded only when that command runs (or for the full help): `medtap ingest` does not pay for
 * loading the vulnerability, risk and map code. */
type Registrar = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Registrar>> = {
  ingest: async () => (await import('./ingest-command.js')).registerIngestCommand,
  devices: async () => (await import('./devices-command.js')).registerDevicesCommand,
  device: async () => (await import('./device-command.js')).registerDeviceCommand,
  flows: async () => (await import('./flows-command.js')).registerFlowsCommand,
  stats: async () => (await import('./stats-command.js')).registerStatsCommand,
  classify: async () => (await import('./classify-command.js')).registerClassifyCommand,
  import: async () => (await import('./import-command.js')).registerImportCommand,
  assets: async () => (await import('./assets-command.js')).registerAssetsCommand,
  vulns: async () => (await import('./vulns-command.js')).registerVulnsCommand,
  assess: async () => (await import('./assess-command.js')).registerAssessCommand,
  risk: async () => (await import('./risk-command.js')).registerRiskCommand,
  remediation: async () => (await import('./remediation-command.js')).registerRemediationCommand,
  findings: async () => (await import('./findings-command.js')).registerFindingsCommand,
  map: async () => (await import('./map-command.js')).registerMapCommand,
  zones: async () => (await import('./zones-command.js')).registerZonesCommand,
};

/** The command word of an argv (the first argument that is not a global option or its value), or null. */
export function commandWord(argv: string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--db') i++;
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

/** Builds the program with the command `only` (when it is one of ours) or with every command (help, unknown words). */
export async function buildProgram(only: string | null = null): Promise<Command> {
  const program = new Command();
  program
    .name('medtap')
    .description('Passive discovery of connected medical devices (IoMT) from network traffic')
    .option('--db <path>', 'SQLite database (default: $MEDTAP_DB or ./medtap.db)')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const names = only !== null && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  const registrars = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registrars) register(program);
  return program;
}

/** Runs the CLI with process.argv-style arguments. */
export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(commandWord(argv));
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
