import type { Point, Tree } from 'web-tree-sitter';
import { Edit } from './treeSitter';
import type { CParser } from './parser';

/** The shape of a VS Code `TextDocumentContentChangeEvent` (0-based lines, UTF-16 characters). */
export interface ContentChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  rangeOffset?: number;
  rangeLength?: number;
  text: string;
}

/** One edit between two versions of a text: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface TextSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * A document version. `tree` is parsed on first access (undefined for input SockLens refuses: huge, binary) and
 * throws once the version has been replaced or evicted (its WASM tree is freed then).
 */
export interface CachedDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly tree: Tree | undefined;
  /** False until the whole text has been parsed (a hover can answer from the function around it meanwhile). */
  readonly parsed: boolean;
  /** Parses the whole text once the event loop is idle (no-op when parsed, replaced or evicted). */
  parseSoon(): void;
  /**
   * Set when this version came from `update()`: the span covering every change since `fromVersion`, so the
   * analysis can reuse what it knew about that version outside the span.
   */
  readonly edit?: TextSpan & { fromVersion: number };
}

/** The span covering `span` (already applied) and then `next` (in the coordinates of the text after `span`). */
function mergeSpans(span: TextSpan | undefined, next: TextSpan): TextSpan {
  if (!span) return next;
  const end = Math.max(span.newEnd, next.oldEnd);
  return { start: Math.min(span.start, next.start), oldEnd: end - (span.newEnd - span.oldEnd), newEnd: end + (next.newEnd - next.oldEnd) };
}

export const DEFAULT_MAX_TREES = 16;

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let row = 0; row < line; row++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + character, end);
}

function endPoint(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}

/** One cached version; its tree is parsed lazily and deleted by `drop()`. */
class CacheEntry implements CachedDocument {
  private state: 'pending' | 'parsed' | 'dropped';
  private parsedTree: Tree | undefined;
  private scheduled = false;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    private readonly parser: Pick<CParser, 'parse'>,
    parsed?: { tree: Tree | undefined },
    readonly edit?: TextSpan & { fromVersion: number },
  ) {
    this.state = parsed ? 'parsed' : 'pending';
    this.parsedTree = parsed?.tree;
  }

  get parsed(): boolean {
    return this.state !== 'pending';
  }

  get tree(): Tree | undefined {
    if (this.state === 'dropped') throw new Error(`SockLens: version ${this.version} of ${this.uri} was replaced or evicted; its tree is freed`);
    if (this.state === 'pending') {
      this.parsedTree = this.parser.parse(this.text);
      this.state = 'parsed';
    }
    return this.parsedTree;
  }

  /** The tree if it has been parsed, without parsing (for incremental reuse and freeing). */
  get treeIfParsed(): Tree | undefined {
    return this.state === 'parsed' ? this.parsedTree : undefined;
  }

  parseSoon(): void {
    if (this.state !== 'pending' || this.scheduled) return;
    this.scheduled = true;
    // unref: a pending background parse must not keep a CLI process alive.
    setImmediate(() => {
      if (this.state === 'pending') void this.tree;
    }).unref();
  }

  drop(): void {
    this.parsedTree?.delete();
    this.parsedTree = undefined;
    this.state = 'dropped';
  }
}

/**
 * Syntax trees per document, keyed by uri and version, updated incrementally from editor content changes.
 * A version from `get()` is parsed when its tree is first needed (or by `parseSoon()`), one from `update()` at
 * once, incrementally, when the previous version had a tree.
 * Bounded: the least recently used tree beyond `maxTrees` is deleted (its WASM memory freed).
 * Trees handed out stay valid until the document's next update or eviction; callers must not delete them.
 */
export class TreeCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly parser: Pick<CParser, 'parse'>,
    private readonly maxTrees: number = DEFAULT_MAX_TREES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached tree for this exact version, without parsing. */
  peek(uri: string, version: number): CachedDocument | undefined {
    const entry = this.entries.get(uri);
    return entry && entry.version === version ? this.touch(entry) : undefined;
  }

  /**
   * The document at `version`: from the cache when the version matches, else a new entry for `text`, parsed
   * when its tree is first needed. `text` may be a function (VS Code's `() => document.getText()`): it is then
   * called only on a cache miss, and a matching version is trusted without comparing a large string.
   */
  get(uri: string, version: number, text: string | (() => string)): CachedDocument {
    const entry = this.entries.get(uri);
    if (entry && entry.version === version && (typeof text === 'function' || entry.text === text)) return this.touch(entry);
    return this.store(new CacheEntry(uri, version, typeof text === 'function' ? text() : text, this.parser));
  }

  /**
   * Applies editor content changes (in the order VS Code reports them) to the cached tree and reparses
   * incrementally. `textAfter`, when given, is the document's full text after the changes: if the cache
   * disagrees with it (missed event, unknown document), the document is parsed from scratch instead.
   */
  update(uri: string, version: number, changes: readonly ContentChange[], textAfter?: string): CachedDocument {
    const entry = this.entries.get(uri);
    if (!entry) {
      if (textAfter === undefined) throw new Error(`SockLens: no cached text for ${uri}; pass the full text`);
      return this.get(uri, version, textAfter);
    }
    let text = entry.text;
    const tree = entry.treeIfParsed;
    let span: TextSpan | undefined;
    for (const change of changes) {
      const { start, end } = change.range;
      const startIndex = offsetAt(text, start.line, start.character);
      const oldEndIndex = offsetAt(text, end.line, end.character);
      const startPosition = { row: start.line, column: start.character };
      tree?.edit(
        new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: { row: end.line, column: end.character },
          newEndPosition: endPoint(startPosition, change.text),
        }),
      );
      text = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
      span = mergeSpans(span, { start: startIndex, oldEnd: oldEndIndex, newEnd: startIndex + change.text.length });
    }
    if (textAfter !== undefined && textAfter !== text) return this.store(new CacheEntry(uri, version, textAfter, this.parser));
    const edit = span && { ...span, fromVersion: entry.version };
    // Without a tree to reuse (never parsed, or refused) the new version is parsed when first needed.
    const parsed = tree ? { tree: this.parser.parse(text, tree) } : undefined;
    return this.store(new CacheEntry(uri, version, text, this.parser, parsed, edit));
  }

  /** Forgets a document (closed editor) and frees its tree. */
  delete(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    this.entries.delete(uri);
    entry.drop();
  }

  clear(): void {
    for (const uri of [...this.entries.keys()]) this.delete(uri);
  }

  private touch(entry: CacheEntry): CacheEntry {
    this.entries.delete(entry.uri);
    this.entries.set(entry.uri, entry);
    return entry;
  }

  private store(entry: CacheEntry): CacheEntry {
    this.entries.get(entry.uri)?.drop();
    this.entries.delete(entry.uri);
    this.entries.set(entry.uri, entry);
    while (this.entries.size > this.maxTrees) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
    return entry;
  }
}
