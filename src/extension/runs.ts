import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../core/runner/run';
import type { SockLensEvent } from '../core/protocol/events';
import { shellQuote } from '../core/protocol/shellQuote';
import type { RunState } from '../core/protocol/messages';
import type { LiveClients } from '../core/editor/liveClients';
import { initialRunState, reduce } from '../core/model/runModel';
import { liveClientTarget, runSummary } from '../core/model/queries';
import type { CompileDiagnostics } from './compileDiagnostics';
import type { SockLensContext } from './context';
import { loadEngine } from './loadEngine';
import { avoidTimeWait } from './portCheck';
import type { ProgramArguments } from './programArguments';
import { ProgramTerminal } from './terminal';
import { ensureTrustedForRun } from './trust';

/** Events kept per run so the panel can be rebuilt (hidden and shown, window reloaded); older ones are dropped. */
const MAX_KEPT_EVENTS = 200_000;

/** One compile-and-run of one file, from the Run click until its program is gone. */
export class RunSession implements vscode.Disposable {
  /** The run model of this run (src/core/model): what the status bar, the live client and the panel state read. */
  readonly model = initialRunState();
  /** Every event of this run as the core emitted it (its seq and clock; the panel's test clients are the run's own). */
  readonly events: SockLensEvent[] = [];
  phase: RunState['phase'] = 'compiling';
  /** The user stopped this run (Stop, Restart, closing its panel or terminal), rather than it ending by itself. */
  stoppedByUser = false;
  readonly clients: LiveClients;
  terminal: ProgramTerminal | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly args: string[],
    readonly run: Run,
    private readonly onEvent: (session: RunSession, event: SockLensEvent) => void,
  ) {
    this.clients = run.liveClients;
  }

  get fileName(): string {
    return path.basename(this.uri.fsPath);
  }

  get ended(): boolean {
    return this.phase === 'stopped';
  }

  get state(): RunState {
    const portArg = runSummary(this.model).listeningPorts[0];
    return {
      phase: this.phase,
      file: vscode.workspace.asRelativePath(this.uri, false),
      ...(portArg !== undefined ? { port: portArg } : {}),
      args: this.args,
      ...(this.run.pid !== null ? { pid: this.run.pid } : {}),
    };
  }

  add(event: SockLensEvent): void {
    reduce(this.model, event);
    this.events.push(event);
    if (this.events.length > MAX_KEPT_EVENTS) this.events.splice(0, this.events.length - MAX_KEPT_EVENTS);
    this.onEvent(this, event);
  }

  /** Opens a panel test client to the program's first listening address (TCP) or bound UDP address, over loopback. */
  connectClient(id: number): void {
    const target = liveClientTarget(this.model);
    if (!target.ok) {
      this.clients.refuse(
        id,
        target.reason === 'not-loopback'
          ? vscode.l10n.t('The program listens on {0}, which the test client cannot reach over loopback.', target.address)
          : vscode.l10n.t('The program is not listening yet.'),
      );
      return;
    }
    this.clients.connect(id, target.host, target.port, target.transport);
  }

  dispose(): void {
    this.clients.closeAll();
    this.run.killNow();
  }
}

/**
 * Starts, stops and restarts runs (one at a time) and tells the editor parts about them: lenses, status
 * bar, inline results and the panel subscribe to `onDidChange` and `onEvent`.
 */
export class RunController implements vscode.Disposable {
  private session: RunSession | undefined;
  private readonly changed = new vscode.EventEmitter<RunSession | undefined>();
  private readonly eventEmitter = new vscode.EventEmitter<{ session: RunSession; event: SockLensEvent }>();
  /** A run started, changed phase or ended. */
  readonly onDidChange = this.changed.event;
  /** Every event of the current run, in order. */
  readonly onEvent = this.eventEmitter.event;

  private readonly saveListener: vscode.Disposable;

  constructor(
    private readonly context: SockLensContext,
    private readonly diagnostics: CompileDiagnostics,
    private readonly programArguments: ProgramArguments,
  ) {
    this.saveListener = vscode.workspace.onDidSaveTextDocument((document) => void this.recheckCompile(document));
  }

  /**
   * A file whose last compile failed or warned is compiled again when it is saved (a quick fix saves too), so
   * Problems shows what is still wrong — and nothing once it compiles — without waiting for the next Run.
   */
  private async recheckCompile(document: vscode.TextDocument): Promise<void> {
    if (!vscode.workspace.isTrusted || !this.diagnostics.hasShown(document.uri) || this.isRunning(document.uri)) return;
    const settings = this.context.settings;
    try {
      const result = await loadEngine().compileProgram({ source: document.uri.fsPath, compiler: settings.compilerPath, flags: settings.compilerFlags });
      if (this.diagnostics.hasShown(document.uri)) this.diagnostics.show(document.uri, result.diagnostics);
      if (result.ok && !result.diagnostics.length) this.diagnostics.clear(document.uri);
    } catch {
      // no compiler or an unsupported platform: the next Run says so; the old diagnostics stay
    }
  }

  get current(): RunSession | undefined {
    return this.session;
  }

  isRunning(uri?: vscode.Uri): boolean {
    const s = this.session;
    return s !== undefined && !s.ended && (uri === undefined || s.uri.toString() === uri.toString());
  }

  /** Compiles and runs the C file (asking for its arguments the first time). */
  async start(document: vscode.TextDocument, args?: string[]): Promise<RunSession | undefined> {
    if (!(await ensureTrustedForRun())) return undefined;
    if (document.languageId !== 'c' || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('SockLens runs C files saved on disk; save this file as a .c file first.'));
      return undefined;
    }
    if (document.isDirty && !(await document.save())) return undefined;
    const askedArgs = args ?? (await this.programArguments.forRun(document));
    if (!askedArgs) return undefined;
    await this.stop();
    const programArgs = await avoidTimeWait(this.context, document.getText(), askedArgs);
    if (!programArgs) return undefined;
    if (programArgs !== askedArgs) await this.programArguments.remember(document.uri, programArgs);
    this.session?.terminal?.dispose();

    const { startRun } = loadEngine();
    const settings = this.context.settings;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const run = startRun({
      source: document.uri.fsPath,
      args: programArgs,
      compiler: settings.compilerPath,
      flags: settings.compilerFlags,
      ...(folder ? { workspaceRoot: folder.uri.fsPath } : {}),
    });
    const session = new RunSession(document.uri, programArgs, run, (s, e) => this.handle(s, e));
    this.session = session;
    this.diagnostics.clear(document.uri);
    run.on('event', (event: SockLensEvent) => session.add(event));
    void run.done.then(() => this.finished(session));
    this.showCompileProgress(session);
    this.setRunningContext();
    this.changed.fire(session);
    return session;
  }

  /** Stops the current run (its whole process group) and waits until it is gone. */
  async stop(): Promise<void> {
    const session = this.session;
    if (!session || session.ended) return;
    session.stoppedByUser = true;
    session.clients.closeAll();
    await session.run.stop();
    this.finished(session);
  }

  /** Stops the current run and starts the same file again with the same arguments. */
  async restart(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await this.stop();
    const document = await vscode.workspace.openTextDocument(session.uri);
    await this.start(document, session.args);
  }

  private showCompileProgress(session: RunSession): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SockLens: compiling {0}…', session.fileName), cancellable: true },
      (_progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => void session.run.stop());
          const done = (): void => {
            listener.dispose();
            resolve();
          };
          const listener = this.onDidChange(() => {
            if (session.phase !== 'compiling') done();
          });
          if (session.phase !== 'compiling') done();
        }),
    );
  }

  private handle(session: RunSession, event: SockLensEvent): void {
    if (session !== this.session) return;
    switch (event.kind) {
      case 'compile-finished': {
        const errors = this.diagnostics.show(session.uri, event.diagnostics);
        if (event.ok) {
          session.phase = 'running';
          this.changed.fire(session);
        } else {
          this.finished(session);
          void this.reportCompileFailure(session, errors);
        }
        break;
      }
      case 'process-started':
        if (!session.terminal) {
          session.terminal = new ProgramTerminal(vscode.l10n.t('SockLens: {0}', session.fileName), {
            send: (text) => session.run.writeStdin(text),
            endOfInput: () => session.run.closeStdin(),
            interrupt: () => void this.stopIfCurrent(session),
            closed: () => void this.stopIfCurrent(session),
          });
          session.terminal.notice(`$ ${shellQuote(event.argv)}`);
          session.terminal.show();
        }
        this.changed.fire(session);
        break;
      case 'stdout':
      case 'stderr':
        session.terminal?.write(event.kind === 'stderr' ? `\x1b[31m${event.text}\x1b[0m\n` : `${event.text}\n`);
        break;
      case 'exited':
        if (event.pid === session.run.pid) {
          session.terminal?.notice(
            event.signal ? vscode.l10n.t('[program ended by signal {0}]', event.signal) : vscode.l10n.t('[program exited with code {0}]', event.code ?? '?'),
          );
        }
        this.changed.fire(session);
        break;
      case 'problem':
        if (event.code === 'setup' || event.code === 'runner') void vscode.window.showErrorMessage(event.message[this.context.language]);
        break;
      case 'call':
        if (event.call === 'listen' || event.call === 'accept' || event.call === 'accept4' || event.call === 'close') this.changed.fire(session);
        break;
      default:
        break;
    }
    this.eventEmitter.fire({ session, event });
  }

  private async reportCompileFailure(session: RunSession, errors: number): Promise<void> {
    const showProblems = vscode.l10n.t('Show Problems');
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('{0} did not compile ({1} error(s)); nothing was run. The Problems panel shows where.', session.fileName, errors),
      showProblems,
    );
    if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  private async stopIfCurrent(session: RunSession): Promise<void> {
    if (this.session === session) await this.stop();
  }

  private finished(session: RunSession): void {
    if (session.ended) return;
    session.phase = 'stopped';
    session.clients.closeAll();
    if (this.session === session) {
      this.setRunningContext();
      this.changed.fire(session);
    }
  }

  private setRunningContext(): void {
    void vscode.commands.executeCommand('setContext', 'socklens.running', this.isRunning());
  }

  dispose(): void {
    this.saveListener.dispose();
    // Synchronous on purpose: at deactivation or window close there is no time to wait for a graceful stop.
    this.session?.dispose();
    this.session?.terminal?.dispose();
    this.changed.dispose();
    this.eventEmitter.dispose();
  }
}
