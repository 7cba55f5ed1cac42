/** A CLI failure reported as one line on stderr, with the process exit code to use. */
export class CliError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}
