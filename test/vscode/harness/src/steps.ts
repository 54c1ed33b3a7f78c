// The test steps that need the real VS Code API. The harness extension exposes them to the node:test driver
// (code-server); the desktop @vscode/test-cli suite calls them directly. Results are plain JSON.
import * as vscode from 'vscode';
import { runMocha } from './mocha';

export const SOCKLENS_ID = 'socklens.socklens';

export interface HoverResult {
  /** Each hover's contents as markdown/plain text, in provider order. */
  contents: string[];
}

export interface LensInfo {
  line: number;
  title: string;
  command: string | undefined;
}

export interface Status {
  trusted: boolean;
  language: string;
  workspaceFolders: string[];
  socklens: { installed: boolean; active: boolean; version: string | undefined; activationMs: number | undefined };
}

export interface EditorState {
  file: string | undefined;
  selectionLine: number | undefined;
  visibleLines: Array<[number, number]>;
}

export interface DiagnosticInfo {
  line: number;
  character: number;
  message: string;
  severity: string;
  source: string | undefined;
}

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri;
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), relativePath);
}

export function status(): Status {
  const ext = vscode.extensions.getExtension(SOCKLENS_ID);
  const version: unknown = ext?.packageJSON?.version;
  return {
    trusted: vscode.workspace.isTrusted,
    language: vscode.env.language,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    socklens: {
      installed: ext !== undefined,
      active: ext?.isActive ?? false,
      version: typeof version === 'string' ? version : undefined,
      activationMs: ext?.isActive && typeof ext.exports?.activationMs === 'number' ? ext.exports.activationMs : undefined,
    },
  };
}

export async function open(relativePath: string): Promise<{ languageId: string; lineCount: number }> {
  const doc = await vscode.workspace.openTextDocument(fileUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return { languageId: doc.languageId, lineCount: doc.lineCount };
}

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  if (content instanceof vscode.MarkdownString) return content.value;
  if ('value' in content && typeof content.value === 'string') return content.value;
  return String(content);
}

/** Hovers at a 0-based position through every registered hover provider. */
export async function hover(relativePath: string, line: number, character: number): Promise<HoverResult> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    fileUri(relativePath),
    new vscode.Position(line, character),
  );
  return { contents: (hovers ?? []).flatMap((h) => h.contents.map(markdownOf)) };
}

export async function codeLenses(relativePath: string): Promise<LensInfo[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(relativePath), 100);
  return (lenses ?? []).map((lens) => ({ line: lens.range.start.line, title: lens.command?.title ?? '', command: lens.command?.command }));
}

/** Runs a command; the result is returned only if it survives JSON. */
export async function command(id: string, args: unknown[]): Promise<unknown> {
  const result: unknown = await vscode.commands.executeCommand(id, ...args);
  try {
    return JSON.parse(JSON.stringify(result ?? null)) as unknown;
  } catch {
    return null;
  }
}

export function editorState(): EditorState {
  const editor = vscode.window.activeTextEditor;
  return {
    file: editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : undefined,
    selectionLine: editor?.selection.active.line,
    visibleLines: (editor?.visibleRanges ?? []).map((r) => [r.start.line, r.end.line]),
  };
}

export function diagnostics(relativePath: string): DiagnosticInfo[] {
  return vscode.languages.getDiagnostics(fileUri(relativePath)).map((d) => ({
    line: d.range.start.line,
    character: d.range.start.character,
    message: d.message,
    severity: vscode.DiagnosticSeverity[d.severity],
    source: d.source,
  }));
}

/** The dispatch table the harness serves; every entry takes JSON params and returns JSON. */
export const steps = {
  status: async () => status(),
  open: async (p: { path: string }) => open(p.path),
  hover: async (p: { path: string; line: number; character: number }) => hover(p.path, p.line, p.character),
  codeLenses: async (p: { path: string }) => codeLenses(p.path),
  command: async (p: { id: string; args?: unknown[] }) => command(p.id, p.args ?? []),
  editorState: async () => editorState(),
  diagnostics: async (p: { path: string }) => diagnostics(p.path),
  mocha: async (p: { mochaPath: string; files: string[] }) => runMocha(p.mochaPath, p.files),
} satisfies Record<string, (params: never) => Promise<unknown>>;

export type Steps = typeof steps;
export type StepName = keyof Steps;
