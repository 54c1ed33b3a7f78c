import * as fs from 'node:fs';
import type { Language, Node, Query as QueryType, QueryMatch } from 'web-tree-sitter';
import { Query } from './treeSitter';
import { locateAsset } from './locate';

/** The query files under src/core/queries/ (copied to dist/queries/ by scripts/build.mjs). */
export type QueryName = 'calls' | 'declarations' | 'globals' | 'assignments' | 'functions';

const compiled = new Map<string, QueryType>();

export function queryPath(name: QueryName): string {
  const file = locateAsset([`queries/${name}.scm`, `src/core/queries/${name}.scm`]);
  if (!file) throw new Error(`SockLens: query file ${name}.scm not found`);
  return file;
}

/** The compiled query, loaded from its .scm file once per language. */
export function getQuery(language: Language, name: QueryName): QueryType {
  const key = `${language.name ?? 'c'}:${name}`;
  let query = compiled.get(key);
  if (!query) {
    query = new Query(language, fs.readFileSync(queryPath(name), 'utf8'));
    compiled.set(key, query);
  }
  return query;
}

/** A match's captures by name (the first node for each name). */
export function captureMap(match: QueryMatch): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const capture of match.captures) if (!map.has(capture.name)) map.set(capture.name, capture.node);
  return map;
}

/**
 * Runs a query over `node` (the whole tree or one function) and returns capture maps in document order.
 * `maxStartDepth` bounds how deep below `node` a match may start: a query anchored at the root (the file-scope
 * variables) then skips every function body, where walking a 10k-line tree costs tens of milliseconds.
 */
export function runQuery(language: Language, name: QueryName, node: Node, maxStartDepth?: number): Map<string, Node>[] {
  return getQuery(language, name).matches(node, maxStartDepth === undefined ? undefined : { maxStartDepth }).map(captureMap);
}
