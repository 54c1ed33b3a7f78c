/**
 * "auto" program arguments: a free port where the program reads its port from argv (found by the analysis
 * core), 127.0.0.1 where it reads a host, as many as its usage message or argc check asks for.
 */
import { findPortArgument } from '../analysis/index';
import { LocalizedError } from '../l10n/messages';

export interface ArgvPlan {
  /** How many arguments the program expects after its name. */
  count: number;
  /** argv index of the port, if found. */
  portIndex: number | null;
  /** argv indexes that take a host or IP address. */
  hostIndexes: number[];
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** The placeholders of a usage message: `"Usage : %s <IP> <port>\n"` → ["IP", "port"]. */
function usagePlaceholders(usage: string): string[] {
  const m = /%s((?:\s*<[^>]+>)+)/.exec(usage);
  return m ? [...m[1].matchAll(/<([^>]+)>/g)].map((p) => p[1].trim()) : [];
}

const HOST_PLACEHOLDER = /^(ip|host|hostname|addr|address|server|server[_ ]?ip|server[_ ]?addr)$/i;

export async function planArguments(source: string): Promise<ArgvPlan> {
  const text = stripComments(source);
  const found = await findPortArgument(source);
  const usage = found?.usage ?? /"[^"\n]*[Uu]sage[^"\n]*"/.exec(text)?.[0] ?? '';
  const placeholders = usagePlaceholders(usage);
  let portIndex = found?.argIndex ?? null;
  if (portIndex === null) {
    const i = placeholders.findIndex((p) => /port/i.test(p));
    if (i >= 0) portIndex = i + 1;
  }
  const hostIndexes = new Set<number>();
  placeholders.forEach((p, i) => {
    if (HOST_PLACEHOLDER.test(p)) hostIndexes.add(i + 1);
  });
  for (const m of text.matchAll(/(?:inet_addr|inet_aton|gethostbyname|getaddrinfo)\s*\(\s*argv\s*\[\s*(\d+)\s*\]/g)) hostIndexes.add(Number(m[1]));
  for (const m of text.matchAll(/inet_pton\s*\(\s*\w+\s*,\s*argv\s*\[\s*(\d+)\s*\]/g)) hostIndexes.add(Number(m[1]));
  const argc = /argc\s*(?:!=|<|==)\s*(\d+)/.exec(text);
  const indexes = [...(portIndex !== null ? [portIndex] : []), ...hostIndexes];
  const count = Math.max(argc ? Number(argc[1]) - 1 : 0, placeholders.length, ...indexes, 0);
  return { count, portIndex, hostIndexes: [...hostIndexes].sort((a, b) => a - b) };
}

/** `--args auto` cannot fill an argument in; the text comes from the l10n bundles. */
export class AutoArgumentsError extends LocalizedError {}

/** The argument list for "auto": the port where the program reads one, 127.0.0.1 for a host. */
export async function autoArguments(source: string, port: number): Promise<string[]> {
  const plan = await planArguments(source);
  const args: string[] = [];
  for (let i = 1; i <= plan.count; i++) {
    if (i === plan.portIndex) args.push(String(port));
    else if (plan.hostIndexes.includes(i)) args.push('127.0.0.1');
    else throw new AutoArgumentsError('--args auto cannot tell what argv[{0}] should be; pass the arguments yourself after --', i);
  }
  return args;
}
