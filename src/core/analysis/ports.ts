import type { CallSite } from './model';
import type { FileAnalysis, Scope } from './scope';
import type { Resolver } from './values';

/** Where a server program takes its port from, for the runner: `./server 9190` when argIndex is 1. */
export interface PortArgument {
  /** Index into argv (1 = the first program argument). */
  argIndex: number;
  /** 0-based line of the call that uses it (bind, htons or getaddrinfo). */
  line: number;
  /** The program's usage text if it prints one, e.g. "Usage : %s <port>\n". */
  usage?: string;
}

const PRINTERS = new Set(['printf', 'fprintf', 'puts', 'fputs']);

function usageText(scope: Scope, resolver: Resolver): string | undefined {
  for (const call of scope.calls) {
    if (!PRINTERS.has(call.name)) continue;
    for (const arg of call.args) {
      const value = resolver.resolve(arg.expr, call.start);
      if (value.kind === 'string' && /usage/i.test(value.value)) return value.value;
    }
  }
  return undefined;
}

function portArgvOf(call: CallSite, resolver: Resolver): number | undefined {
  if (call.name === 'bind') {
    const address = call.args[1] ? resolver.resolve(call.args[1].expr, call.start) : undefined;
    const port = address?.kind === 'address' ? address.endpoint?.port : undefined;
    return port?.kind === 'argv' ? port.index : undefined;
  }
  if (call.name === 'htons' && call.args[0]) {
    const port = resolver.portOf(call.args[0].expr, call.start);
    return port.kind === 'argv' ? port.index : undefined;
  }
  if (call.name === 'getaddrinfo' && call.args[1]) {
    const port = resolver.portOf(call.args[1].expr, call.start);
    return port.kind === 'argv' ? port.index : undefined;
  }
  return undefined;
}

/** Finds "the port comes from argv[N]" in any function of the file; bind() evidence first. */
export function findPortArgumentIn(file: FileAnalysis, resolverFor: (scope: Scope) => Resolver): PortArgument | undefined {
  const seen = new Set<number>();
  let fallback: PortArgument | undefined;
  for (const covered of file.coveredCalls()) {
    if (covered.name !== 'bind' && covered.name !== 'htons' && covered.name !== 'getaddrinfo') continue;
    const scope = file.scopeAt(covered.nameStart);
    if (seen.has(scope.key)) continue;
    seen.add(scope.key);
    const resolver = resolverFor(scope);
    for (const call of scope.calls) {
      const argIndex = portArgvOf(call, resolver);
      if (argIndex === undefined) continue;
      const found = { argIndex, line: file.lines.positionAt(call.nameStart).line, usage: usageText(scope, resolver) };
      if (call.name === 'bind') return found;
      fallback ??= found;
    }
  }
  return fallback;
}
