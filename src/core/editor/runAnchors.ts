import type { Node, Tree } from 'web-tree-sitter';
import { runQuery } from '../parsing/queries';

/** What kind of socket program a file is, from the calls it makes. */
export type ProgramKind = 'server' | 'client' | 'program';

/** Where the Run lenses go: 0-based lines of `main` and of the first `listen`/`connect` call. */
export interface RunAnchors {
  kind: ProgramKind;
  lines: number[];
}

const SOCKET_CALLS = new Set(['socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect', 'sendto', 'recvfrom', 'getaddrinfo']);

function functionName(definition: Node): string | undefined {
  let declarator = definition.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  const name = declarator?.childForFieldName('declarator');
  return name?.type === 'identifier' ? name.text : undefined;
}

/** The 0-based line of `int main(…) {` when the file defines main at top level. */
export function mainLine(tree: Tree): number | undefined {
  for (const child of tree.rootNode.namedChildren) {
    if (child?.type === 'function_definition' && functionName(child) === 'main') return child.startPosition.row;
  }
  return undefined;
}

/** Calls by plain name in document order, from the tree (cheap: no value resolution). */
export function callsInTree(tree: Tree): { name: string; line: number }[] {
  return runQuery(tree.language, 'calls', tree.rootNode).flatMap((captures) => {
    const name = captures.get('call.name');
    return name ? [{ name: name.text, line: name.startPosition.row }] : [];
  });
}

/**
 * The lens anchors of a file, or undefined when it is not a runnable socket program (no `main`, or no
 * socket call). A program that listens (or binds without connecting) is a server; one that connects
 * without listening is a client. `calls` defaults to every call in the tree.
 */
export function runAnchors(tree: Tree, calls: readonly { name: string; line: number }[] = callsInTree(tree)): RunAnchors | undefined {
  const main = mainLine(tree);
  if (main === undefined || !calls.some((c) => SOCKET_CALLS.has(c.name))) return undefined;
  const listen = calls.find((c) => c.name === 'listen');
  const connect = calls.find((c) => c.name === 'connect');
  const bind = calls.find((c) => c.name === 'bind');
  const kind: ProgramKind = listen || (bind && !connect) ? 'server' : connect ? 'client' : 'program';
  const first = listen ?? connect;
  const lines = first && first.line !== main ? [main, first.line] : [main];
  return { kind, lines };
}
