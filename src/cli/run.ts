import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Lang } from '../core/knowledge/schema';
import { formatDiagnostic } from '../core/runner/diagnostics';
import { startRun, type RunResult } from '../core/runner/run';
import { TimelinePrinter, painterFor } from '../core/runner/timeline';
import type { UiMessage } from '../core/l10n/uiText';
import { cliText, localeLanguage, parseFlags, UsageError, type CliIO, type Command } from './command';

const USAGE: UiMessage = `Usage:
  socklens run FILE [--args auto | -- ARG...] [--client TEXT] [--clients N] [--timeout SECONDS] [--json]
                    [--compiler CC] [--cflags "FLAGS"] [--lang en|ko]
      Compiles FILE (gcc -g -O0 -Wall -Wextra), runs it under the SockLens tracer and prints a timeline of
      its socket calls with the source line of each: "hello_server.c:26  socket(PF_INET, SOCK_STREAM, 0) → fd 3".

  --args auto      supply a free port (and 127.0.0.1 for a host) where the program reads them from argv
  -- ARG...        the program's own arguments
  --client TEXT    after the program listens (TCP) or binds (UDP), connect over loopback, send TEXT, print the reply
  --clients N      that many clients at once (default 1)
  --timeout SECS   stop the program after SECS seconds (Ctrl-C stops it too)
  --json           print the raw events, one JSON object a line (schema: docs/events.md)
  --compiler CC    compiler to use (default gcc); --cflags replaces the default flags

Colors only on a terminal and never with NO_COLOR set.
Exit codes: the program's own (128+N when it was killed by signal N), 2 for a compile error or bad arguments.`;

const SIGNAL_NUMBERS = os.constants.signals as Record<string, number>;

function exitCodeOf(result: RunResult): number {
  if (result.reason === 'compile-error' || result.reason === 'setup-error') return 2;
  if (result.signal) return 128 + (SIGNAL_NUMBERS[result.signal] ?? 0);
  return result.exitCode ?? 0;
}

function languageOf(flag: string | true | undefined, env: NodeJS.ProcessEnv): Lang {
  if (flag === 'ko' || flag === 'en') return flag;
  if (flag !== undefined) throw new UsageError('--lang takes en or ko');
  return localeLanguage(env);
}

function positiveNumber(flag: string | true | undefined, name: string): number | undefined {
  if (flag === undefined) return undefined;
  const n = Number(flag);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('--{0} takes a positive number', name);
  return n;
}

export const command: Command = {
  name: 'run',
  summary: 'compile and run a C program, tracing its socket calls',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const dashes = argv.indexOf('--');
    const own = dashes >= 0 ? argv.slice(0, dashes) : argv;
    const programArgs = dashes >= 0 ? argv.slice(dashes + 1) : undefined;
    const { flags, positional } = parseFlags(own, ['args', 'client', 'clients', 'timeout', 'compiler', 'cflags', 'lang'], ['json', 'help']);
    if (flags.has('help')) {
      const t = cliText();
      io.out(t(USAGE));
      return 0;
    }
    if (positional.length > 1) throw new UsageError('expected one FILE, got {0}', positional.join(' '));
    if (positional.length === 0) throw new UsageError('missing FILE');
    const file = positional[0];
    if (!fs.existsSync(file)) throw new UsageError('{0}: no such file', file);
    if (fs.statSync(file).isDirectory()) throw new UsageError('{0}: is a directory', file);
    const argsFlag = flags.get('args');
    if (argsFlag !== undefined && argsFlag !== 'auto') throw new UsageError('--args takes "auto"; put the program\'s own arguments after --');
    if (argsFlag === 'auto' && programArgs) throw new UsageError('use either --args auto or -- ARG..., not both');
    const clientText = flags.get('client');
    const clients = positiveNumber(flags.get('clients'), 'clients');
    const timeout = positiveNumber(flags.get('timeout'), 'timeout');
    const json = flags.has('json');
    const lang = languageOf(flags.get('lang'), process.env);
    const cflags = flags.get('cflags');
    const compiler = flags.get('compiler');

    const run = startRun({
      source: file,
      args: argsFlag === 'auto' ? 'auto' : (programArgs ?? []),
      ...(typeof compiler === 'string' ? { compiler } : {}),
      ...(typeof cflags === 'string' ? { flags: cflags.split(/\s+/).filter(Boolean) } : {}),
      ...(typeof clientText === 'string' ? { client: { text: clientText, count: clients ?? 1 } } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    });
    const printer = new TimelinePrinter({ painter: painterFor(process.stdout.isTTY), lang });
    const errPainter = painterFor(process.stderr.isTTY);
    run.on('event', (ev) => {
      if (json) return io.out(JSON.stringify(ev));
      if (ev.kind === 'compile-finished' && !ev.ok) {
        // gcc-style, on stderr, like the compiler itself
        for (const d of ev.diagnostics) io.err(d.severity === 'error' ? errPainter.red(formatDiagnostic(d)) : formatDiagnostic(d));
        return;
      }
      for (const line of printer.lines(ev)) io.out(line);
    });

    if (!process.stdin.isTTY) {
      process.stdin.on('data', (d: Buffer) => run.writeStdin(d.toString('utf8')));
      process.stdin.on('end', () => run.closeStdin());
    }
    let interrupts = 0;
    const onSigint = (): void => {
      if (++interrupts > 1) run.killNow();
      void run.stop();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    try {
      const result = await run.done;
      if (result.reason === 'setup-error' && result.error && json) io.err(result.error);
      return exitCodeOf(result);
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      process.stdin.pause();
      process.stdin.removeAllListeners('data');
    }
  },
};
