import type { ArgvPlan } from '../runner/programArgs';

/**
 * Program arguments as the user types them in one line: split on spaces, with '…' and "…" quoting and
 * backslash escapes, like a shell does (without expansions).
 */
export function splitArguments(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** The inverse of `splitArguments`: one line, quoting what needs it. */
export function joinArguments(args: readonly string[]): string {
  return args.map((a) => (a !== '' && /^[^\s'"\\]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * The arguments to offer the first time a program runs: a free port where it reads its port from argv, the
 * loopback address where it reads a host, and empty strings for anything else it expects.
 */
export function suggestArguments(plan: ArgvPlan, port: number): string[] {
  const args: string[] = [];
  for (let i = 1; i <= plan.count; i++) {
    args.push(i === plan.portIndex ? String(port) : plan.hostIndexes.includes(i) ? '127.0.0.1' : '');
  }
  return args;
}
