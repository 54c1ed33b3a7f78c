// The telephone story: socket → bind → listen → accept (or socket → connect), lighting up as they are reached.
import { clear, el } from '../dom.js';
import { openConversations, processList, storyKind, storySteps, type StepName, type StepStatus } from '../model.js';
import type { ProcessEntry } from '../../core/model/runModel.js';
import { baseName } from '../describe.js';
import type { ViewContext } from './context.js';
import { renderProblem, sourceLink } from './problem.js';

export class StoryView {
  readonly root: HTMLElement;
  /** What the story was last drawn from: the model's shape, the language and the run phase. */
  private renderedKey = '';

  constructor(private readonly ctx: ViewContext) {
    this.root = el(ctx.doc, 'section', 'story');
  }

  update(): void {
    const model = this.ctx.model();
    const t = this.ctx.t();
    const key = `${model.shapeRevision}/${t.language}/${this.ctx.run().phase}`;
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    const doc = this.ctx.doc;
    clear(this.root);
    const kind = storyKind(model);
    this.root.append(el(doc, 'h2', '', t(`story.${kind}.title`)));
    const list = el(doc, 'ol', 'steps');
    storySteps(kind).forEach((name, i) => list.append(this.step(name, i + 1, model.steps[name])));
    this.root.append(list);
    if (kind === 'udp') this.root.append(el(doc, 'div', 'story-note', t('story.udp.note')));
    if (kind === 'server') this.root.append(this.conversations());
    this.root.append(this.processes());
  }

  private step(name: StepName, number: number, status: StepStatus): HTMLElement {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const state = status.reached ? 'reached' : status.errno !== undefined || status.problem ? 'failed' : 'pending';
    const item = el(doc, 'li', `step step-${name} is-${state}`);
    item.dataset.step = name;
    item.append(el(doc, 'span', 'step-number', state === 'reached' ? '✓' : state === 'failed' ? '✗' : String(number)));
    const body = el(doc, 'div', 'step-body');
    const head = el(doc, 'div', 'step-head');
    head.append(el(doc, 'span', 'step-title', t(`step.${name}.title`)), el(doc, 'code', 'step-call', `${name}()`));
    body.append(head, el(doc, 'div', 'step-explain', t(`step.${name}.body`)));
    const facts: string[] = [];
    if (state === 'reached') facts.push(t('step.reached'));
    else if (state === 'failed') facts.push(t('step.failed', { errno: status.errno ?? status.problem?.errno ?? status.problem?.code ?? '?' }));
    else if (name === 'accept' && this.waitingForCaller()) facts.push(t('step.accept.waiting'));
    else facts.push(t('step.pending'));
    if (status.reached) {
      if (status.fd !== undefined && name !== 'accept') facts.push(t('step.fd', { fd: status.fd }));
      if (status.address !== undefined && name !== 'accept') facts.push(t('step.address', { address: status.address.text }));
      if (status.queue !== undefined) facts.push(t('step.queue', { waiting: status.queue.waiting, backlog: status.queue.backlog }));
      else if (status.backlog !== undefined) facts.push(t('step.backlog', { backlog: status.backlog }));
      if (name === 'accept') facts.push(t('step.accepted', { count: status.count }));
    }
    const factLine = el(doc, 'div', 'step-facts', facts.join(' · '));
    if (status.src) factLine.append(' ', sourceLink(this.ctx, status.src.file, status.src.line, status.src.function));
    body.append(factLine);
    if (state === 'failed' && status.problem) body.append(renderProblem(this.ctx, status.problem));
    item.append(body);
    return item;
  }

  /** Listening, and the program still runs: the next thing to happen is a caller. */
  private waitingForCaller(): boolean {
    const model = this.ctx.model();
    return model.steps.listen.reached && model.stopped === undefined && this.ctx.run().phase === 'running';
  }

  /** Accepted connections still open: each is one conversation with one caller. */
  private conversations(): HTMLElement {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const box = el(doc, 'div', 'conversations');
    box.append(el(doc, 'h3', '', t('conv.title')));
    const open = openConversations(this.ctx.model());
    if (open.length === 0) {
      box.append(el(doc, 'div', 'empty', t('conv.none')));
      return box;
    }
    const list = el(doc, 'ul', 'conversation-list');
    for (const entry of open) {
      const item = el(doc, 'li', 'conversation-item', t('conv.item', { fd: entry.fd, pid: entry.pid, peer: entry.peer?.text ?? t('conv.unknownPeer') }));
      item.dataset.fd = String(entry.fd);
      list.append(item);
    }
    box.append(list);
    return box;
  }

  /** What each process is doing: waiting inside a call, running (with its latest call), or gone (how). */
  private processes(): HTMLElement {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const box = el(doc, 'div', 'processes');
    const procs = processList(this.ctx.model());
    if (procs.length === 0) return box;
    box.append(el(doc, 'h3', '', t('proc.title')));
    const list = el(doc, 'ul', 'process-list');
    for (const proc of procs) {
      const item = el(doc, 'li', `process-item is-${proc.status}`, this.processText(proc));
      item.dataset.pid = String(proc.pid);
      const at = proc.blockedIn?.src ?? (proc.status === 'running' ? proc.lastCall?.src : undefined);
      if (at) item.append(' ', sourceLink(this.ctx, at.file, at.line, at.function));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  private processText(proc: ProcessEntry): string {
    const t = this.ctx.t();
    const who = t('proc.who', { pid: proc.pid, name: proc.argv[0] !== undefined ? baseName(proc.argv[0]) : '' }).trim();
    if (proc.status === 'blocked' && proc.blockedIn) {
      const fds = proc.blockedIn.watchFds?.length ? proc.blockedIn.watchFds.join(', ') : proc.blockedIn.fd !== null ? String(proc.blockedIn.fd) : '';
      return `${who}: ${fds ? t('proc.blockedOn', { call: proc.blockedIn.call, fds }) : t('proc.blocked', { call: proc.blockedIn.call })}`;
    }
    if (proc.status === 'exited') {
      const exit = proc.exit;
      if (exit?.signal) return `${who}: ${t('proc.signaled', { signal: exit.signal })}`;
      if (exit?.code !== undefined && exit.code !== null) return `${who}: ${t('proc.exited', { code: exit.code })}`;
      return `${who}: ${t('proc.ended')}`;
    }
    return `${who}: ${proc.lastCall ? t('proc.lastCall', { call: proc.lastCall.call }) : t('proc.running')}`;
  }
}
