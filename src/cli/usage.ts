import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The exit code of a command line that cannot be run (an unknown option, a bad value), as most Unix tools use. */
export const USAGE_EXIT_CODE = 2;

/** A command line that cannot be run; the message says why, in the terms of the command line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Where a command writes: stdout (`log`) and stderr (`error`). Tests pass their own. */
export interface CliOutput {
  log(text: string): void;
  error(text: string): void;
}

/** `--help` or `-h` before any `--` (after it, every word is an argument). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** `node:util` parseArgs, strict (unknown options and missing values are errors), its complaints as UsageErrors. */
export function parseCommandLine<T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  argv: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>> {
  try {
    return parseArgs({ ...config, args: [...argv], strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Prints `error: <message>` and the usage to stderr; returns the exit code for it. */
export function usageFailure(message: string, usage: string, out: CliOutput = console): number {
  out.error(`error: ${message}\n\n${usage}`);
  return USAGE_EXIT_CODE;
}

/**
 * The front of a command: `--help` prints the usage to stdout (exit 0); arguments that `parse` refuses with a
 * UsageError print the message and the usage to stderr (exit 2); otherwise `run` gets the parsed arguments and its
 * exit code is returned.
 */
export async function runCommand<A>(
  argv: readonly string[],
  usage: string,
  parse: (argv: readonly string[]) => A,
  run: (args: A) => Promise<number>,
  out: CliOutput = console,
): Promise<number> {
  if (wantsHelp(argv)) {
    out.log(usage);
    return 0;
  }
  let args: A;
  try {
    args = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message, usage, out);
    throw error;
  }
  return run(args);
}

/** Runs a command as the process's main: exits with its code (1 for an unexpected error, printed). */
export function exitWith(command: Promise<number>): void {
  command.then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
