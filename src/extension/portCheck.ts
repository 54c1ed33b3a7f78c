import * as vscode from 'vscode';
import type { SockLensContext } from './context';
import { loadEngine } from './loadEngine';

/**
 * The re-run trap: a server that hung up first leaves its port to connections in TIME_WAIT, and running it
 * again on that port fails in bind(). Before a run, when the program's port is held only by such connections,
 * this offers the same run on a fresh free port (one click), the same port anyway, or the explanation.
 * Returns the arguments to run with, or undefined when the user closed the offer.
 */
export async function avoidTimeWait(context: SockLensContext, source: string, args: string[]): Promise<string[] | undefined> {
  const engine = loadEngine();
  const { portIndex } = await engine.planArguments(source);
  // portIndex counts argv, where argv[0] is the program itself: args[0] is argv[1]
  const at = portIndex === null ? -1 : portIndex - 1;
  const port = /^\d+$/.test(args[at] ?? '') ? Number(args[at]) : null;
  if (port === null || port === 0 || port > 65535) return args;
  const check = engine.checkPort(port);
  if (check.status !== 'time-wait') return args;
  const texts = engine.timeWaitBeforeRun(port, check.connections, check.expiresInMs);
  const fresh = await engine.freePort();
  const runFresh = vscode.l10n.t('Run on port {0} (free)', fresh);
  const runAnyway = vscode.l10n.t('Run on port {0} anyway', port);
  const explain = vscode.l10n.t('Explain');
  const lang = context.language;
  let choice = await vscode.window.showWarningMessage(texts.notice[lang], runFresh, explain, runAnyway);
  if (choice === explain) choice = await vscode.window.showInformationMessage(texts.explanation[lang], { modal: true }, runFresh, runAnyway);
  if (choice === runAnyway) return args;
  if (choice !== runFresh) return undefined;
  return args.map((arg, i) => (i === at ? String(fresh) : arg));
}
