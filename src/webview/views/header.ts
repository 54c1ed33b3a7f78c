// Run state, Stop/Restart, compile result and how the run ended.
import { button, el, setText } from '../dom.js';
import { isCrash, mainExit, mainService, type PanelModel } from '../model.js';
import { shellQuote } from '../../core/protocol/shellQuote.js';
import { baseName } from '../describe.js';
import type { ViewContext } from './context.js';

export class HeaderView {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly phase: HTMLElement;
  private readonly details: HTMLElement;
  private readonly stop: HTMLButtonElement;
  private readonly restart: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    const doc = ctx.doc;
    this.root = el(doc, 'header', 'run-header');
    this.title = el(doc, 'h1', 'panel-title');
    this.phase = el(doc, 'span', 'run-phase');
    this.details = el(doc, 'span', 'run-details');
    this.stop = button(doc, 'run-stop', '', () => ctx.post({ type: 'stop' }));
    this.restart = button(doc, 'run-restart secondary', '', () => ctx.post({ type: 'restart' }));
    this.status = el(doc, 'div', 'run-status');
    this.status.setAttribute('role', 'status');
    const line = el(doc, 'div', 'run-line');
    // the buttons come first and keep their place: the details after them grow and shrink with the run
    const actions = el(doc, 'span', 'run-actions');
    actions.append(this.stop, this.restart);
    line.append(this.phase, actions, this.details);
    this.root.append(this.title, line, this.status);
  }

  update(): void {
    const t = this.ctx.t();
    const run = this.ctx.run();
    setText(this.title, t('panel.title'));
    const phase = this.phaseLabel();
    setText(this.phase, phase.text);
    this.phase.className = `run-phase phase-${phase.tone}`;
    const parts: string[] = [];
    if (run.file) parts.push(baseName(run.file));
    if (run.pid !== undefined) parts.push(t('run.pid', { pid: run.pid }));
    if (run.port !== undefined) parts.push(t('run.port', { port: run.port }));
    parts.push(run.args.length > 0 ? t('run.args', { args: shellQuote(run.args) }) : t('run.noArgs'));
    setText(this.details, parts.join(' · '));
    setText(this.stop, t('button.stop'));
    setText(this.restart, t('button.restart'));
    this.stop.disabled = run.phase !== 'running' && run.phase !== 'compiling';
    this.restart.disabled = run.phase === 'idle' || !run.file;
    setText(this.status, this.statusText());
    this.status.className = `run-status${this.failed() ? ' is-error' : ''}`;
  }

  /** What the run is: a program that ended by itself "Exited (code 0)", a crash, or one the user stopped. */
  private phaseLabel(): { text: string; tone: string } {
    const t = this.ctx.t();
    const run = this.ctx.run();
    const model = this.ctx.model();
    if (run.phase !== 'stopped') return { text: t(`run.phase.${run.phase}`), tone: run.phase };
    if (model.compile.state === 'failed') return { text: t('run.phase.compileFailed'), tone: 'failed' };
    const exit = mainExit(model);
    if (exit?.signal) return isCrash(exit) ? { text: t('run.phase.crashed', { signal: exit.signal }), tone: 'failed' } : { text: t('run.phase.stopped'), tone: 'stopped' };
    if (exit?.code !== undefined && exit.code !== null) return { text: t('run.phase.exited', { code: exit.code }), tone: exit.code === 0 ? 'exited' : 'failed' };
    return { text: t('run.phase.stopped'), tone: 'stopped' };
  }

  private failed(): boolean {
    const model = this.ctx.model();
    const exit = mainExit(model);
    return model.compile.state === 'failed' || (exit !== undefined && (isCrash(exit) || (exit.code ?? 0) !== 0));
  }

  private statusText(): string {
    const t = this.ctx.t();
    const model = this.ctx.model();
    const lines: string[] = [];
    const compile = model.compile;
    if (compile.state === 'compiling') lines.push(t('compile.running'));
    else if (compile.state === 'ok') lines.push(t(compile.cached ? 'compile.cached' : 'compile.ok'));
    else if (compile.state === 'failed') {
      const count = (severity: string): number => compile.diagnostics.filter((d) => d.severity === severity).length;
      lines.push(t('compile.failed', { errors: count('error'), warnings: count('warning') }));
    }
    const exit = mainExit(model);
    if (exit) {
      if (exit.signal !== null) lines.push(t(isCrash(exit) ? 'exit.signal' : 'exit.stopped', { signal: exit.signal }));
      else if (exit.code !== null) lines.push(t('exit.code', { code: exit.code }));
      else lines.push(exit.reason);
    }
    // only a program that got a port can give it back (a bind that failed with EADDRINUSE got none)
    if (model.stopped && mainService(model) !== undefined) {
      const waitS = timeWaitLeft(model);
      if (!model.stopped.portsFreed) lines.push(t('run.portsHeld'));
      else lines.push(waitS > 0 ? t('run.portsTimeWait', { seconds: waitS }) : t('run.portsFreed'));
    }
    return lines.join(' ');
  }
}

/** Seconds until the last TIME_WAIT connection the program left expires, as of the run's end (0: none). */
function timeWaitLeft(model: PanelModel): number {
  const end = model.events.findLast((e) => e.kind === 'stopped')?.t;
  let left = 0;
  for (const e of model.events) {
    if (e.kind !== 'tcp-state' || e.state !== 'TIME_WAIT' || e.expiresInMs === undefined) continue;
    left = Math.max(left, e.expiresInMs / 1000 - ((end ?? e.t) - e.t) / 1e6);
  }
  return Math.round(left);
}
