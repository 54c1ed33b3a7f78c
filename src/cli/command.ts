/** One `socklens` subcommand. Each lives in its own file and is registered in main.ts's COMMANDS table. */
export interface Command {
  name: string;
  /** One line for `socklens --help`. */
  summary: string;
  /** Full usage text for `socklens NAME --help`. */
  usage: string;
  /** Returns the process exit code. Throw UsageError for bad input (exit 2). */
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Bad command-line input or an unreadable file: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** Splits `args` into flags (`--lang ko`, `--json`) and positional arguments. */
export function parseFlags(args: string[], valued: readonly string[], booleans: readonly string[]): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (booleans.includes(name)) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, positional };
}
