import * as vscode from 'vscode';
import { runSummary } from '../core/model/queries';
import type { RunController, RunSession } from './runs';

/** Status text of a run: "SockLens: listening :9190 · 2 clients". */
export function statusText(session: RunSession): string {
  const { stage, listeningPorts, openConnections } = runSummary(session.model);
  if (stage === 'compiling') return vscode.l10n.t('SockLens: compiling {0}', session.fileName);
  if (listeningPorts.length === 0) return vscode.l10n.t('SockLens: running {0}', session.fileName);
  const ports = listeningPorts.map((p) => `:${p}`).join(' ');
  return openConnections === 1
    ? vscode.l10n.t('SockLens: listening {0} · 1 client', ports)
    : vscode.l10n.t('SockLens: listening {0} · {1} clients', ports, openConnections);
}

/** The status bar item shown while a program runs; clicking it opens the live panel. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('socklens.run', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly runs: RunController) {
    this.item.name = vscode.l10n.t('SockLens run');
    this.item.command = 'socklens.showPanel';
    this.subscriptions = [runs.onDidChange(() => this.update())];
  }

  private update(): void {
    const session = this.runs.current;
    if (!session || session.ended) {
      this.item.hide();
      return;
    }
    this.item.text = `$(pulse) ${statusText(session)}`;
    this.item.tooltip = vscode.l10n.t('Open the live socket panel');
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
