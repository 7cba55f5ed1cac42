/** A CLI failure reported as one line on stderr, with the process exit code to use. */
export class CliError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

/** A positive integer option (device id, limit), or undefined when absent. @throws CliError (usage, exit 2) when invalid. */
export function positiveIntOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive integer, not '${text}'`, 2);
  return n;
}
