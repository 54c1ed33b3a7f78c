// The telephone story: socket → bind → listen → accept (or socket → connect), lighting up as they are reached.
import { clear, el } from '../dom.js';
import { callsInProgress, storyKind, storySteps, type StepName, type StepStatus } from '../model.js';
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
    if (kind === 'server') this.root.append(this.calls());
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
      if (status.address !== undefined && name !== 'accept') facts.push(t('step.address', { address: status.address }));
      if (status.backlog !== undefined) facts.push(t('step.backlog', { backlog: status.backlog }));
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

  private calls(): HTMLElement {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const box = el(doc, 'div', 'calls');
    box.append(el(doc, 'h3', '', t('calls.title')));
    const rows = callsInProgress(this.ctx.model());
    if (rows.length === 0) {
      box.append(el(doc, 'div', 'empty', t('calls.none')));
      return box;
    }
    const list = el(doc, 'ul', 'calls-list');
    for (const row of rows) {
      const item = el(doc, 'li', 'call-item', t('calls.item', { fd: row.fd, peer: row.peer ?? t('calls.unknownPeer') }));
      item.dataset.fd = String(row.fd);
      list.append(item);
    }
    box.append(list);
    return box;
  }
}
