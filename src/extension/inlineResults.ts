import * as vscode from 'vscode';
import { InlineNoteBook, inlineNoteDetails, socketFacts, startLineLengthBefore, type InlineNote, type TextEdit } from '../core/editor/inlineNotes';
import { socketKey } from '../core/model/runModel';
import type { SockLensContext } from './context';
import type { RunController } from './runs';

/** How often decorations are redrawn while events stream in. */
const REDRAW_MS = 100;

function noteStyle(color: string, dimmed: boolean): vscode.DecorationRenderOptions {
  return {
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(color), fontStyle: 'italic' },
    opacity: dimmed ? '0.55' : undefined,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  };
}

/**
 * Inline results of the current run: after each traced source line, a faint note with its latest result
 * (`→ fd 3`, `✗ EADDRINUSE`), with the event's details on hover. Notes follow edits and disappear when
 * their line changes; on Stop they are cleared, or kept dimmed when `socklens.inlineResults.keepAfterStop`.
 * A program that exits by itself leaves its notes until the next run.
 */
export class InlineResults implements vscode.Disposable {
  private readonly book = new InlineNoteBook();
  private readonly ok = vscode.window.createTextEditorDecorationType(noteStyle('editorCodeLens.foreground', false));
  private readonly failed = vscode.window.createTextEditorDecorationType(noteStyle('errorForeground', false));
  private readonly lastRunOk = vscode.window.createTextEditorDecorationType(noteStyle('editorCodeLens.foreground', true));
  private readonly lastRunFailed = vscode.window.createTextEditorDecorationType(noteStyle('errorForeground', true));
  private dimmed = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly context: SockLensContext,
    runs: RunController,
  ) {
    this.subscriptions = [
      runs.onEvent(({ session, event }) => {
        if (event.kind !== 'call' || !this.context.settings.inlineResults) return;
        if (this.dimmed) this.reset();
        const socket = event.fd !== null ? socketFacts(session.model.newestByKey.get(socketKey(event.pid, event.fd))) : undefined;
        if (this.book.add(event, this.context.language, socket)) this.scheduleRedraw();
      }),
      runs.onDidChange((session) => {
        if (!session) return;
        if (session.phase === 'compiling') this.reset();
        else if (session.ended && session.stoppedByUser) this.runStopped();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
      vscode.workspace.onDidChangeTextDocument((e) => this.followEdits(e)),
      context.onDidChangeSettings((s) => {
        if (!s.inlineResults) this.reset();
      }),
    ];
  }

  /** Stop clears the notes (or dims them, by setting); a program that ends by itself keeps them. */
  private runStopped(): void {
    if (this.context.settings.keepInlineResultsAfterStop) {
      this.dimmed = true;
      this.redraw();
    } else this.reset();
  }

  private reset(): void {
    this.book.clear();
    this.dimmed = false;
    this.redraw();
  }

  private followEdits(e: vscode.TextDocumentChangeEvent): void {
    if (this.book.size === 0 || e.document.uri.scheme !== 'file') return;
    let changed = false;
    for (const change of e.contentChanges) {
      const edit: TextEdit = { range: change.range, text: change.text };
      const lineAfter = (n: number): string | undefined => (n < e.document.lineCount ? e.document.lineAt(n).text : undefined);
      // Only Enter at the end of a line needs the old length (to keep that line's note); it is a one-line edit.
      changed = this.book.applyEdit(e.document.uri.fsPath, edit, startLineLengthBefore(edit, change.rangeLength, lineAfter)) || changed;
    }
    if (changed) this.redraw();
  }

  private scheduleRedraw(): void {
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.redraw();
    }, REDRAW_MS);
  }

  private redraw(): void {
    const lang = this.context.language;
    for (const editor of vscode.window.visibleTextEditors) {
      const notes = editor.document.uri.scheme === 'file' ? this.book.forFile(editor.document.uri.fsPath) : [];
      const ok: vscode.DecorationOptions[] = [];
      const failed: vscode.DecorationOptions[] = [];
      for (const note of notes) {
        if (note.line > editor.document.lineCount) continue;
        (note.failed ? failed : ok).push(this.decoration(editor.document, note, lang));
      }
      editor.setDecorations(this.dimmed ? this.lastRunOk : this.ok, ok);
      editor.setDecorations(this.dimmed ? this.lastRunFailed : this.failed, failed);
      editor.setDecorations(this.dimmed ? this.ok : this.lastRunOk, []);
      editor.setDecorations(this.dimmed ? this.failed : this.lastRunFailed, []);
    }
  }

  private decoration(document: vscode.TextDocument, note: InlineNote, lang: 'en' | 'ko'): vscode.DecorationOptions {
    const end = document.lineAt(note.line - 1).range.end;
    const details = new vscode.MarkdownString(inlineNoteDetails(note.event, lang, note.socket));
    if (this.dimmed) details.appendMarkdown(`\n\n_${vscode.l10n.t('From the last run.')}_`);
    return { range: new vscode.Range(end, end), hoverMessage: details, renderOptions: { after: { contentText: note.text } } };
  }

  dispose(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    for (const s of this.subscriptions) s.dispose();
    for (const t of [this.ok, this.failed, this.lastRunOk, this.lastRunFailed]) t.dispose();
  }
}
