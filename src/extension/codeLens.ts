import * as vscode from 'vscode';
import type { Tree } from 'web-tree-sitter';
import type { ProgramKind, RunAnchors } from '../core/editor/runAnchors';
import type { Analysis } from './analysis';
import type { SockLensContext } from './context';
import { loadEngine } from './loadEngine';
import type { RunController } from './runs';
import { t } from './text';

function runTitle(kind: ProgramKind): string {
  if (kind === 'server') return t('▶ Run server');
  if (kind === 'client') return t('▶ Run client');
  return t('▶ Run');
}

/** "▶ Run server" above `main` and the first listen/connect; "■ Stop" and "⟳ Restart" while it runs. */
export class RunCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Anchors per syntax tree: lenses are asked for again on every scroll and run change, the tree only changes with edits. */
  private readonly anchors = new WeakMap<Tree, RunAnchors | undefined>();

  constructor(
    private readonly context: SockLensContext,
    private readonly analysis: Analysis,
    private readonly runs: RunController,
  ) {
    this.subscriptions = [runs.onDidChange(() => this.changed.fire()), context.onDidChangeSettings(() => this.changed.fire())];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.context.settings.codeLens) return [];
    const parsed = await this.analysis.parsed(document);
    if (!parsed?.doc.tree || token.isCancellationRequested) return [];
    const tree = parsed.doc.tree;
    if (!this.anchors.has(tree)) this.anchors.set(tree, loadEngine().runAnchors(tree));
    const anchors = this.anchors.get(tree);
    if (!anchors) return [];
    const running = this.runs.isRunning(document.uri);
    return anchors.lines.flatMap((line) => {
      const range = new vscode.Range(line, 0, line, 0);
      if (running) {
        return [
          new vscode.CodeLens(range, { title: t('■ Stop'), command: 'socklens.stop' }),
          new vscode.CodeLens(range, { title: t('⟳ Restart'), command: 'socklens.restart' }),
        ];
      }
      return [new vscode.CodeLens(range, { title: runTitle(anchors.kind), command: 'socklens.run', arguments: [document.uri] })];
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
