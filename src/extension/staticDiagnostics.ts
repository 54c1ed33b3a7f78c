import * as vscode from 'vscode';
import type { DiagnosticFix, SourceRange, StaticDiagnostic } from '../core/analysis';
import { Analysis, isCDocument } from './analysis';
import type { SockLensContext } from './context';

/** Work per idle turn while analysing a document for its diagnostics (as for the hovers). */
const SLICE_MS = 4;
/** Quiet time after the last keystroke before the diagnostics are computed again. */
const AFTER_EDIT_MS = 250;

const SEVERITY: Record<StaticDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function fixKey(uri: vscode.Uri, diagnostic: vscode.Diagnostic): string {
  const r = diagnostic.range;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return `${uri.toString()}\n${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\n${String(code)}`;
}

/**
 * SockLens's static diagnostics (src/core/diagnostics) in the Problems panel, source `SockLens`, each code
 * linking to its section of docs/diagnostics.md, with related locations and the certain fixes as quick fixes.
 * Computed on idle turns in bounded slices like the hovers' analysis, when a C file opens and after edits.
 */
export class StaticDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('socklens-static');
  /** Fixes by diagnostic identity (VS Code hands code actions copies of the diagnostics). */
  private readonly fixes = new Map<string, DiagnosticFix[]>();
  private readonly timers = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly context: SockLensContext,
    private readonly analysis: Analysis,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, AFTER_EDIT_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      context.onDidChangeSettings(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0))),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isCDocument(document)) return;
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(key, delayMs > 0 ? setTimeout(() => void this.compute(document), delayMs) : setImmediate(() => void this.compute(document)));
  }

  /** Prepares the document's analysis one slice per idle turn, then publishes; gives up on a newer version. */
  private async compute(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    this.timers.delete(key);
    const version = document.version;
    const parsed = await this.analysis.parsed(document);
    if (!parsed || document.isClosed || document.version !== version) return;
    const slice = (): void => {
      this.timers.delete(key);
      if (document.isClosed || document.version !== version) return;
      const { analyzer } = parsed.engine;
      if (!analyzer.prepare(parsed.doc, SLICE_MS) || !analyzer.diagnoseSlice(parsed.doc, SLICE_MS)) {
        this.timers.set(key, setImmediate(slice));
        return;
      }
      this.publish(document.uri, analyzer.diagnose(parsed.doc, this.context.language));
    };
    slice();
  }

  private publish(uri: vscode.Uri, found: StaticDiagnostic[]): void {
    this.clearFixes(uri);
    const root = this.context.extension.extensionUri;
    this.collection.set(
      uri,
      found.map((d) => {
        const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
        diagnostic.source = 'SockLens';
        const [file, fragment] = d.docs.split('#');
        diagnostic.code = { value: d.code, target: vscode.Uri.joinPath(root, file).with({ fragment }) };
        diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
        if (d.fixes.length > 0) this.fixes.set(fixKey(uri, diagnostic), d.fixes);
        return diagnostic;
      }),
    );
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'SockLens') continue;
      for (const fix of this.fixes.get(fixKey(document.uri, diagnostic)) ?? []) {
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(document.uri, toRange(e.range), e.newText);
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = edit;
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
    }
    return actions;
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    this.timers.delete(key);
  }

  private clearFixes(uri: vscode.Uri): void {
    for (const key of [...this.fixes.keys()]) if (key.startsWith(`${uri.toString()}\n`)) this.fixes.delete(key);
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri.toString());
    this.collection.delete(uri);
    this.clearFixes(uri);
  }

  dispose(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
