import { UsageError, type CliIO, type Command } from './command';

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
  const lines = ['Usage: socklens <command> [options]', '', 'Commands:'];
  for (const load of Object.values(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${command.name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run `socklens <command> --help` for its options.');
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
    io.err(`socklens: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const { command } = await load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`socklens ${command.name}: ${err.message}\nRun \`socklens ${command.name} --help\` for usage.`);
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
