import * as vscode from 'vscode';
import { Analysis, isCDocument } from './analysis';
import { RunCodeLensProvider } from './codeLens';
import { CompileDiagnostics } from './compileDiagnostics';
import { StaticDiagnostics } from './staticDiagnostics';
import { SockLensContext } from './context';
import { EXPLAIN_FULL, FullCards } from './fullCard';
import { SocketHoverProvider } from './hover';
import { InlineResults } from './inlineResults';
import { PanelHost } from './panel';
import { ProgramArguments } from './programArguments';
import { RunController } from './runs';
import { RunStatusBar } from './statusBar';
import { runSummary } from '../core/model/queries';
import { t } from './text';
import { LessonTracker } from './lesson';

const C_FILES: vscode.DocumentSelector = [{ language: 'c' }];

/** Set by the bundle's first statement (scripts/build.mjs); absent when this file runs unbundled. */
declare const __socklensBundleStart: number | undefined;

/** What `vscode.extensions.getExtension('socklens.socklens').exports` offers (used by the editor tests). */
export interface SockLensApi {
  /** The phase of the current run and how many events it has produced so far. */
  runState(): { phase: string; events: number; listeningPorts: number[]; openConnections: number } | undefined;
  /** Milliseconds spent evaluating this bundle plus running activate(), without the host's own gaps between them. */
  readonly activationMs: number;
}

let active: SockLensContext | undefined;

/** The C document a command acts on: the one given (a lens passes its uri), else the active editor's. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const document = vscode.window.activeTextEditor?.document;
  if (document && isCDocument(document)) return document;
  void vscode.window.showInformationMessage(t('Open a C file to run it with SockLens.'));
  return undefined;
}

/**
 * Activated by the first C document (`onLanguage:c`) or a panel restored after a reload. Only registers
 * providers and commands: the parser and the runner load on first use.
 */
export function activate(extension: vscode.ExtensionContext): SockLensApi {
  const activateStarted = performance.now();
  const context = new SockLensContext(extension);
  active = context;
  extension.subscriptions.push(context);

  const analysis = new Analysis();
  const diagnostics = new CompileDiagnostics();
  const programArguments = new ProgramArguments(context, analysis);
  const runs = new RunController(context, diagnostics, programArguments);
  const panelHost = new PanelHost(context, runs);
  const lenses = new RunCodeLensProvider(context, analysis, runs);
  const fullCards = new FullCards(context, analysis);
  const staticDiagnostics = new StaticDiagnostics(context, analysis);

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'socklens.run': async (arg) => {
      const document = await targetDocument(arg);
      if (document) await runs.start(document);
    },
    'socklens.stop': () => runs.stop(),
    'socklens.restart': async () => {
      if (runs.current) return runs.restart();
      const document = await targetDocument(undefined);
      if (document) await runs.start(document);
    },
    'socklens.showPanel': () => panelHost.show(false),
    [EXPLAIN_FULL]: (uri, line, character) => fullCards.show(uri, line, character),
    'socklens.editArguments': async (arg) => {
      const document = await targetDocument(arg);
      if (document) await programArguments.edit(document);
    },
  };

  context.track(
    analysis,
    diagnostics,
    runs,
    panelHost,
    lenses,
    fullCards,
    new RunStatusBar(context, runs),
    new InlineResults(context, runs),
    new LessonTracker(runs),
    vscode.languages.registerHoverProvider(C_FILES, new SocketHoverProvider(context, analysis)),
    vscode.languages.registerCodeLensProvider(C_FILES, lenses),
    vscode.languages.registerCodeActionsProvider(C_FILES, diagnostics, CompileDiagnostics.metadata),
    staticDiagnostics,
    vscode.languages.registerCodeActionsProvider(C_FILES, staticDiagnostics, StaticDiagnostics.metadata),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );

  const firstC = vscode.workspace.textDocuments.find(isCDocument);
  if (firstC) analysis.scheduleWarmUp(firstC);

  const activationMs = bundleLoadMs + (performance.now() - activateStarted);
  return {
    activationMs,
    runState: () => {
      const session = runs.current;
      if (!session) return undefined;
      const { listeningPorts, openConnections } = runSummary(session.model);
      return { phase: session.phase, events: session.events.length, listeningPorts, openConnections };
    },
  };
}

/** Closing the window or disabling the extension: every program started here is killed with its process group. */
export function deactivate(): void {
  active?.dispose();
  active = undefined;
}

const bundleLoadMs = typeof __socklensBundleStart === 'number' ? performance.now() - __socklensBundleStart : 0;
