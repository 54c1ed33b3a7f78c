import type { Lang } from '../core/knowledge/schema';
import { LocalizedError } from '../core/l10n/messages';
import { uiText, type UiMessage, type UiText } from '../core/l10n/uiText';

/** One `socklens` subcommand. Each lives in its own file and is registered in main.ts's COMMANDS table. */
export interface Command {
  name: string;
  /** One line for `socklens --help` (a message of the l10n bundles). */
  summary: UiMessage;
  /** Full usage text for `socklens NAME --help` (a message of the l10n bundles). */
  usage: UiMessage;
  /** Returns the process exit code. Throw UsageError for bad input (exit 2). */
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Bad command-line input or an unreadable file: printed without a stack trace, exit code 2. */
export class UsageError extends LocalizedError {}

/** The language of the CLI's own messages: Korean when the locale says so (LC_ALL, LC_MESSAGES, LANG, as gettext reads them). */
export function localeLanguage(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** The CLI's UI strings, from the same l10n bundles as the extension's. */
export const cliText = (): UiText => uiText(localeLanguage());

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
      if (value === undefined) throw new UsageError('--{0} needs a value', name);
      flags.set(name, value);
    } else if (booleans.includes(name)) {
      flags.set(name, true);
    } else {
      throw new UsageError('unknown option --{0}', name);
    }
  }
  return { flags, positional };
}
