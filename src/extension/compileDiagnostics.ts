import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompileDiagnostic } from '../core/protocol/events';
import { gccDiagnosticRange, gccRange } from '../core/editor/compilerPositions';

type Fixit = CompileDiagnostic['fixits'][number];

const SEVERITY: Record<Exclude<CompileDiagnostic['severity'], 'note'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
};

function lineReader(uri: vscode.Uri): (line: number) => string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return (line) => (doc && line < doc.lineCount ? doc.lineAt(line).text : undefined);
}

function fixitKey(uri: vscode.Uri, diagnostic: vscode.Diagnostic): string {
  const r = diagnostic.range;
  return `${uri.toString()}\n${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\n${diagnostic.message}`;
}

function toRange(range: ReturnType<typeof gccRange>): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/**
 * gcc's diagnostics in the Problems panel, with exact ranges, and its fix-it hints as quick fixes. Notes are
 * attached to the diagnostic they explain; messages without a usable location (linker errors) go on the
 * first line of the compiled file.
 */
/** Internal: saves the document a compiler quick fix just edited (not in the command palette). */
const SAVE_AFTER_FIX = 'socklens.saveAfterCompilerFix';

export class CompileDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('socklens');
  /**
   * Fix-its by diagnostic identity. Keyed by uri, range and message rather than by the Diagnostic object:
   * the diagnostics a code action request carries are copies made by VS Code.
   */
  private readonly fixits = new Map<string, Fixit[]>();
  /** Compiled source → the files its last compile put diagnostics on. */
  private readonly shownFor = new Map<string, vscode.Uri[]>();
  /** A quick fix saves its file afterwards, so the save's recompile clears what it fixed. */
  private readonly saveCommand = vscode.commands.registerCommand(SAVE_AFTER_FIX, async (uri: vscode.Uri) => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    await document?.save();
  });

  /** Whether the last compile of `source` left diagnostics (so a save should check it again). */
  hasShown(source: vscode.Uri): boolean {
    return this.shownFor.has(source.toString());
  }

  /** Replaces the diagnostics of one compile of `source`; returns the number of errors. */
  show(source: vscode.Uri, diagnostics: readonly CompileDiagnostic[]): number {
    this.clear(source);
    const byFile = new Map<string, { uri: vscode.Uri; items: vscode.Diagnostic[] }>();
    let previous: vscode.Diagnostic | undefined;
    let errors = 0;
    for (const d of diagnostics) {
      const located = d.file !== '' && d.line > 0;
      const uri = located ? vscode.Uri.file(path.resolve(path.dirname(source.fsPath), d.file)) : source;
      const lines = lineReader(uri);
      const range = toRange(gccDiagnosticRange(located ? d : { line: 1, column: 0, endLine: 1, endColumn: 0 }, lines));
      if (d.severity === 'note') {
        if (previous) {
          previous.relatedInformation = [...(previous.relatedInformation ?? []), new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range), d.message)];
          continue;
        }
      }
      const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'note' ? vscode.DiagnosticSeverity.Information : SEVERITY[d.severity]);
      diagnostic.source = 'gcc';
      if (d.option) diagnostic.code = d.option;
      if (d.fixits.length > 0) this.fixits.set(fixitKey(uri, diagnostic), d.fixits);
      if (d.severity === 'error') errors++;
      const entry = byFile.get(uri.toString()) ?? { uri, items: [] };
      entry.items.push(diagnostic);
      byFile.set(uri.toString(), entry);
      previous = diagnostic;
    }
    for (const { uri, items } of byFile.values()) this.collection.set(uri, items);
    this.shownFor.set(source.toString(), [...byFile.values()].map((e) => e.uri));
    return errors;
  }

  /** Forgets what the last compile of `source` reported (in every file it touched). */
  clear(source: vscode.Uri): void {
    for (const uri of this.shownFor.get(source.toString()) ?? [source]) {
      this.collection.delete(uri);
      for (const key of [...this.fixits.keys()]) if (key.startsWith(`${uri.toString()}\n`)) this.fixits.delete(key);
    }
    this.shownFor.delete(source.toString());
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const fixits = this.fixits.get(fixitKey(document.uri, diagnostic));
      if (!fixits) continue;
      const edit = new vscode.WorkspaceEdit();
      const lines = (n: number): string | undefined => (n < document.lineCount ? document.lineAt(n).text : undefined);
      for (const f of fixits) {
        edit.replace(document.uri, toRange(gccRange({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }, lines)), f.replacement);
      }
      const action = new vscode.CodeAction(vscode.l10n.t('Apply the compiler\'s suggestion: {0}', diagnostic.message), vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.command = { command: SAVE_AFTER_FIX, title: '', arguments: [document.uri] };
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    this.saveCommand.dispose();
    this.collection.dispose();
  }
}
