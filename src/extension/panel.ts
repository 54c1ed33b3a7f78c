import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { panelPage } from '../core/editor/panelPage';
import type { SockLensEvent } from '../core/protocol/events';
import { parsePanelMessage, type FromPanelMessage, type RunState, type ToPanelMessage } from '../core/protocol/messages';
import type { SockLensContext } from './context';
import type { RunController, RunSession } from './runs';

export const PANEL_VIEW_TYPE = 'socklens.panel';

/** Events per message: big enough for throughput, small enough to keep each postMessage cheap. */
const EVENTS_PER_MESSAGE = 2000;
/** Events are collected this long before being posted, so a burst becomes one message. */
const FLUSH_MS = 30;

/** The panel page for this webview, loading dist/webview.js (and dist/webview.css when built). */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, language: 'en' | 'ko'): string {
  const asset = (file: string): vscode.Uri => vscode.Uri.joinPath(extensionUri, 'dist', file);
  const css = asset('webview.css');
  return panelPage(
    {
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(asset('webview.js')).toString(),
      ...(fs.existsSync(css.fsPath) ? { styleUri: webview.asWebviewUri(css).toString() } : {}),
    },
    language,
  );
}

const IDLE_STATE: RunState = { phase: 'idle', args: [] };

/**
 * Hosts the live panel: creates (or restores) the webview, replays the current run when the page (re)loads,
 * streams new events in batches, and carries out what the panel asks, after validating each message.
 * Closing the panel leaves the run going and says how to stop it or bring the panel back.
 */
export class PanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private pending: SockLensEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The page has said `ready` since it was last (re)loaded: only then are messages delivered. */
  private pageReady = false;
  private shownSession: RunSession | undefined;

  constructor(
    private readonly context: SockLensContext,
    private readonly runs: RunController,
  ) {
    this.subscriptions = [
      runs.onEvent(({ session, event }) => this.onRunEvent(session, event)),
      runs.onDidChange((session) => this.onRunChange(session)),
      context.onDidChangeSettings(() => {
        this.post({ type: 'language', language: this.context.language });
        this.post({ type: 'text-size', size: this.context.settings.panelTextSize });
      }),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
    ];
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel beside the editor, creating it when needed. */
  show(preserveFocus = true): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('SockLens: live sockets'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const root = this.context.extension.extensionUri;
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.pageReady = false;
    panel.iconPath = vscode.Uri.joinPath(this.context.extension.extensionUri, 'media', 'icon.png');
    panel.webview.options = this.webviewOptions();
    panel.webview.html = panelHtml(panel.webview, this.context.extension.extensionUri, this.context.language);
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.onPanelClosed(panel)),
    ];
  }

  private onPanelClosed(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    for (const s of this.panelSubscriptions) s.dispose();
    this.panelSubscriptions = [];
    this.panel = undefined;
    this.pageReady = false;
    this.pending = [];
    // Closing the panel is not Stop: the program keeps running, and the user is told how to stop it or come back.
    if (this.runs.isRunning()) void this.offerAfterClose();
  }

  private async offerAfterClose(): Promise<void> {
    const session = this.runs.current;
    if (!session) return;
    const stop = vscode.l10n.t('Stop it');
    const show = vscode.l10n.t('Show the panel');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('{0} is still running. The SockLens item in the status bar opens the panel again.', session.fileName),
      stop,
      show,
    );
    if (this.runs.current !== session || session.ended) return;
    if (choice === stop) await this.runs.stop();
    else if (choice === show) this.show(false);
  }

  private receive(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if (!message) {
      console.warn('SockLens: ignored a malformed message from the panel');
      return;
    }
    void this.handle(message);
  }

  private async handle(message: FromPanelMessage): Promise<void> {
    const session = this.runs.current;
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.replay();
        return;
      case 'reveal':
        return this.reveal(message.file, message.line);
      case 'client-connect':
        if (session && !session.ended) session.connectClient(message.clientId);
        return;
      case 'client-send':
        session?.clients.send(message.clientId, message.text);
        return;
      case 'client-disconnect':
        session?.clients.disconnect(message.clientId);
        return;
      case 'stop':
        return this.runs.stop();
      case 'restart':
        return this.runs.restart();
    }
  }

  /** Opens the source file of an event at its line; only files of the current run or the workspace. */
  private async reveal(file: string, line: number): Promise<void> {
    const uri = vscode.Uri.file(file);
    const ownFile = this.runs.current?.uri.fsPath === file;
    if (!ownFile && !vscode.workspace.getWorkspaceFolder(uri)) return;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const at = new vscode.Position(Math.min(line - 1, document.lineCount - 1), 0);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
      editor.selection = new vscode.Selection(at, document.lineAt(at.line).range.end);
      editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('SockLens could not open {0}.', file));
    }
  }

  /** Sends the whole current run to a freshly loaded page. */
  private replay(): void {
    this.pending = [];
    const session = this.runs.current;
    this.shownSession = session;
    this.post({ type: 'language', language: this.context.language });
    this.post({ type: 'text-size', size: this.context.settings.panelTextSize });
    this.post({ type: 'reset' });
    this.post({ type: 'run-state', state: session?.state ?? IDLE_STATE });
    if (!session) return;
    for (let i = 0; i < session.events.length; i += EVENTS_PER_MESSAGE) {
      this.post({ type: 'events', events: session.events.slice(i, i + EVENTS_PER_MESSAGE) });
    }
  }

  private onRunChange(session: RunSession | undefined): void {
    if (!this.pageReady) return;
    if (session !== this.shownSession) {
      this.replay();
      return;
    }
    this.post({ type: 'run-state', state: session?.state ?? IDLE_STATE });
  }

  private onRunEvent(session: RunSession, event: SockLensEvent): void {
    // The program started: show its panel beside the editor (a failed compile never gets here).
    if (event.kind === 'process-started' && event.ppid === null) this.show(true);
    if (!this.pageReady || session !== this.shownSession) return;
    this.pending.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const events = this.pending;
    this.pending = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_MESSAGE) this.post({ type: 'events', events: events.slice(i, i + EVENTS_PER_MESSAGE) });
  }

  private post(message: ToPanelMessage): void {
    if (this.panel && this.pageReady) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const s of [...this.subscriptions, ...this.panelSubscriptions]) s.dispose();
    this.panel?.dispose();
  }
}
