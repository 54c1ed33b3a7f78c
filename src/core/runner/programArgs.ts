/**
 * "auto" program arguments: finds which argv[N] a program takes its port (and host) from and fills in a free
 * port (and the loopback address).
 * TODO(analysis): a small local reading until src/core/analysis exports its argv port detection; switch to it then.
 */

export interface ArgvPlan {
  /** How many arguments the program expects after its name. */
  count: number;
  /** argv index of the port, if found. */
  portIndex: number | null;
  /** argv indexes that take a host or IP address. */
  hostIndexes: number[];
}

const NUMBER_PARSERS = '(?:atoi|atol|atoll|strtol|strtoul|strtoll|strtoull)';

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

function portIndexOf(text: string): number | null {
  const direct = new RegExp(`htons\\s*\\(\\s*(?:\\([^)]*\\)\\s*)?${NUMBER_PARSERS}\\s*\\(\\s*argv\\s*\\[\\s*(\\d+)\\s*\\]`).exec(text);
  if (direct) return Number(direct[1]);
  // port = atoi(argv[1]); … htons(port)
  for (const m of text.matchAll(new RegExp(`(\\w+)\\s*=\\s*(?:\\([^)]*\\)\\s*)?${NUMBER_PARSERS}\\s*\\(\\s*argv\\s*\\[\\s*(\\d+)\\s*\\]`, 'g'))) {
    if (new RegExp(`htons\\s*\\(\\s*(?:\\([^)]*\\)\\s*)?${m[1]}\\s*\\)`).test(text)) return Number(m[2]);
  }
  // getaddrinfo(host, argv[2], …): the service is the port
  const gai = /getaddrinfo\s*\(\s*[^,]+,\s*argv\s*\[\s*(\d+)\s*\]/.exec(text);
  return gai ? Number(gai[1]) : null;
}

/** The placeholders of a usage message: `"Usage : %s <IP> <port>\n"` → ["IP", "port"]. */
function usagePlaceholders(text: string): string[] {
  const m = /"[^"\n]*[Uu]sage[^"\n]*%s((?:\s*<[^>"]+>)+)/.exec(text);
  return m ? [...m[1].matchAll(/<([^>]+)>/g)].map((p) => p[1].trim()) : [];
}

export function planArguments(source: string): ArgvPlan {
  const text = stripComments(source);
  const placeholders = usagePlaceholders(text);
  let portIndex = portIndexOf(text);
  if (portIndex === null) {
    const i = placeholders.findIndex((p) => /port/i.test(p));
    if (i >= 0) portIndex = i + 1;
  }
  const hostIndexes = new Set<number>();
  placeholders.forEach((p, i) => {
    if (/^(ip|host|hostname|addr|address|server|server[_ ]?ip)$/i.test(p)) hostIndexes.add(i + 1);
  });
  for (const m of text.matchAll(/(?:inet_addr|inet_aton|inet_pton\s*\(\s*\w+\s*,|gethostbyname|getaddrinfo)\s*\(?\s*argv\s*\[\s*(\d+)\s*\]/g)) hostIndexes.add(Number(m[1]));
  const argc = /argc\s*(?:!=|<|==)\s*(\d+)/.exec(text);
  const indexes = [...(portIndex !== null ? [portIndex] : []), ...hostIndexes];
  const count = Math.max(argc ? Number(argc[1]) - 1 : 0, placeholders.length, ...indexes, 0);
  return { count, portIndex, hostIndexes: [...hostIndexes].sort((a, b) => a - b) };
}

export class AutoArgumentsError extends Error {}

/** The argument list for "auto": the port where the program reads one, 127.0.0.1 for a host. */
export function autoArguments(source: string, port: number): string[] {
  const plan = planArguments(source);
  const args: string[] = [];
  for (let i = 1; i <= plan.count; i++) {
    if (i === plan.portIndex) args.push(String(port));
    else if (plan.hostIndexes.includes(i)) args.push('127.0.0.1');
    else throw new AutoArgumentsError(`--args auto cannot tell what argv[${i}] should be; pass the arguments yourself after --`);
  }
  return args;
}
