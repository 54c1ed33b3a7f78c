// Failures the story does not already show: failed calls, crashes, time-outs, runner trouble.
import { clear, el } from '../dom.js';
import { stepOfCall, storyKind, storySteps, type Problem } from '../model.js';
import type { ViewContext } from './context.js';
import { renderProblem } from './problem.js';

export class ProblemsView {
  readonly root: HTMLElement;
  private renderedRevision = -1;
  private renderedLanguage = '';

  constructor(private readonly ctx: ViewContext) {
    this.root = el(ctx.doc, 'section', 'problems');
  }

  update(): void {
    const model = this.ctx.model();
    const t = this.ctx.t();
    if (model.shapeRevision === this.renderedRevision && t.language === this.renderedLanguage) return;
    this.renderedRevision = model.shapeRevision;
    this.renderedLanguage = t.language;
    clear(this.root);
    const shownSteps = new Set<string>(storySteps(storyKind(model)));
    const shownInStory = (p: Problem): boolean => {
      const step = p.call !== undefined ? stepOfCall(p.call) : undefined;
      return step !== undefined && shownSteps.has(step) && !model.steps[step].reached;
    };
    const problems = model.problems.filter((p) => !shownInStory(p));
    this.root.hidden = problems.length === 0;
    if (problems.length === 0) return;
    this.root.append(el(this.ctx.doc, 'h2', '', t('problems.title')));
    for (const problem of problems) this.root.append(renderProblem(this.ctx, problem));
    if (model.problemsDropped > 0) this.root.append(el(this.ctx.doc, 'div', 'empty', t('problems.more', { count: model.problemsDropped })));
  }
}
