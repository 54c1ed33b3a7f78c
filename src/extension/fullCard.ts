import * as vscode from 'vscode';
import type { Analysis } from './analysis';
import type { SockLensContext } from './context';

/** The command behind a hover's "More…" link: the full card of a call, in a Markdown preview beside the editor. */
export const EXPLAIN_FULL = 'socklens.explainFull';
const SCHEME = 'socklens-card';

/** The link appended to a hover: the command with the document and position, nothing else. */
export function fullCardLink(label: string, document: vscode.TextDocument, position: vscode.Position): string {
  const args = encodeURIComponent(JSON.stringify([document.uri.toString(), position.line, position.character]));
  return `[${label}](command:${EXPLAIN_FULL}?${args})`;
}

/** Serves the full cards as read-only virtual Markdown documents and opens them. */
export class FullCards implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly cards = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly context: SockLensContext,
    private readonly analysis: Analysis,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.cards.get(uri.toString()) ?? '';
  }

  /** Arguments come from a hover link: anything but (uri, line, character) of an open document is ignored. */
  async show(uri: unknown, line: unknown, character: unknown): Promise<void> {
    if (typeof uri !== 'string' || !Number.isInteger(line) || !Number.isInteger(character)) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    const parsed = document && (await this.analysis.parsed(document));
    const explanation = parsed?.engine.analyzer.explainAt(parsed.doc, line as number, character as number, this.context.language);
    if (!explanation?.more) return;
    // One preview per call name: opening the same call again refreshes it instead of piling up tabs.
    const card = vscode.Uri.from({ scheme: SCHEME, path: `/${explanation.name}().md` });
    this.cards.set(card.toString(), explanation.more.markdown);
    this.changes.fire(card);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', card);
    } catch {
      // Without the built-in Markdown extension: the card as text, read-only.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(card), { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changes.dispose();
    this.cards.clear();
  }
}
