import * as vscode from 'vscode';
import type { CachedDocument, TreeCache } from '../core/parsing/treeCache';

/** The parts of the core that need the WASM parser, available once it has loaded. */
export interface Engine {
  readonly cache: TreeCache;
}

export function isCDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'c' && document.uri.scheme !== 'output';
}

/**
 * Owns the lazily loaded analysis core. Nothing loads at activation: the first hover, or the warm-up
 * scheduled when a C file opens, starts loading the WASM parser. Open C documents are kept in the core's
 * tree cache, updated incrementally from the editor's content changes and evicted when closed.
 */
export class Analysis implements vscode.Disposable {
  private loading: Promise<Engine | undefined> | undefined;
  private engine: Engine | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private warmUpTimer: NodeJS.Immediate | undefined;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.scheduleWarmUp(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.applyChanges(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.engine?.cache.delete(d.uri.toString())),
    ];
  }

  /** Loads the parser (once); undefined when the WASM cannot be loaded. */
  load(): Promise<Engine | undefined> {
    this.loading ??= (async () => {
      const [{ loadCParser }, { TreeCache }] = await Promise.all([import('../core/parsing/parser'), import('../core/parsing/treeCache')]);
      const parser = await loadCParser();
      if (!parser) return undefined;
      this.engine = { cache: new TreeCache(parser) };
      return this.engine;
    })().catch((err: unknown) => {
      console.error('SockLens: the analysis core failed to load', err);
      return undefined;
    });
    return this.loading;
  }

  /** The document's syntax tree for its current version (parsed now when not cached). */
  async parsed(document: vscode.TextDocument): Promise<{ engine: Engine; doc: CachedDocument } | undefined> {
    const engine = this.engine ?? (await this.load());
    if (!engine) return undefined;
    return { engine, doc: engine.cache.get(document.uri.toString(), document.version, document.getText()) };
  }

  /** Starts loading and parses the document once the extension host is idle, so the first hover is fast. */
  scheduleWarmUp(document: vscode.TextDocument): void {
    if (!isCDocument(document) || this.warmUpTimer) return;
    this.warmUpTimer = setImmediate(() => {
      this.warmUpTimer = undefined;
      if (!document.isClosed) void this.parsed(document);
    });
  }

  private applyChanges(e: vscode.TextDocumentChangeEvent): void {
    if (!this.engine || !isCDocument(e.document) || e.contentChanges.length === 0) return;
    const uri = e.document.uri.toString();
    try {
      this.engine.cache.update(uri, e.document.version, e.contentChanges);
    } catch {
      // Not cached (never hovered, or evicted): the next hover parses the document from scratch.
    }
  }

  dispose(): void {
    if (this.warmUpTimer) clearImmediate(this.warmUpTimer);
    for (const s of this.subscriptions) s.dispose();
    this.engine?.cache.clear();
  }
}
