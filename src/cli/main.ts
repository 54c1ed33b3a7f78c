import { cliText, localeLanguage, UsageError, type CliIO, type Command } from './command';

/** Subcommands: one line each; the module exports `command: Command` and is loaded only when used. */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  check: () => import('./check.js'),
  explain: () => import('./explain.js'),
  run: () => import('./run.js'),
};

const io: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

async function help(): Promise<string> {
  const t = cliText();
  const lines = [t('Usage: socklens <command> [options]'), '', t('Commands:')];
  for (const load of Object.values(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${command.name.padEnd(10)} ${t(command.summary)}`);
  }
  lines.push('', t('Run `socklens <command> --help` for its options.'));
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    const t = cliText();
    io.err(`${t('socklens: unknown command "{0}"', name)}\n\n${await help()}`);
    return 2;
  }
  const { command } = await load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const t = cliText();
      io.err(`socklens ${command.name}: ${err.text[localeLanguage()]}\n${t('Run `socklens {0} --help` for usage.', command.name)}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`socklens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
