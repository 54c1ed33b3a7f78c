import * as vscode from 'vscode';
import type { Analysis } from './analysis';
import type { SockLensContext } from './context';
import { EXPLAIN_FULL, fullCardLink } from './fullCard';

/** Hovers for C files: socket calls, their arguments, constants, struct fields and socket variables. */
export class SocketHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly context: SockLensContext,
    private readonly analysis: Analysis,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const parsed = await this.analysis.parsed(document);
    if (!parsed || token.isCancellationRequested) return undefined;
    const explanation = parsed.engine.analyzer.explainAt(parsed.doc, position.line, position.character, this.context.language);
    if (!explanation) return undefined;
    let text = explanation.markdown;
    if (explanation.more) {
      // On the title line, so the link stays in view even when a long card makes the hover scroll.
      const titleEnd = text.indexOf('\n');
      const link = ` · ${fullCardLink(explanation.more.label, document, position)}`;
      text = titleEnd === -1 ? text + link : text.slice(0, titleEnd) + link + text.slice(titleEnd);
    }
    const markdown = new vscode.MarkdownString(text);
    if (explanation.more) {
      // Trusted for this one command only: no other command link in the card can run.
      markdown.isTrusted = { enabledCommands: [EXPLAIN_FULL] };
    }
    const { start, end } = explanation.range;
    return new vscode.Hover(markdown, new vscode.Range(start.line, start.character, end.line, end.character));
  }
}
