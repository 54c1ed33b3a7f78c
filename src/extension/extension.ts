import * as vscode from 'vscode';
import { Analysis, isCDocument } from './analysis';
import { SockLensContext } from './context';
import { SocketHoverProvider } from './hover';

const C_FILES: vscode.DocumentSelector = [{ language: 'c' }];

let active: SockLensContext | undefined;

/** Activated by the first C document (`onLanguage:c`). Registers providers only; the parser loads lazily. */
export function activate(extension: vscode.ExtensionContext): void {
  const context = new SockLensContext(extension);
  active = context;
  extension.subscriptions.push(context);

  const analysis = new Analysis();
  context.track(analysis, vscode.languages.registerHoverProvider(C_FILES, new SocketHoverProvider(context, analysis)));

  const firstC = vscode.workspace.textDocuments.find(isCDocument);
  if (firstC) analysis.scheduleWarmUp(firstC);
}

export function deactivate(): void {
  active?.dispose();
  active = undefined;
}
