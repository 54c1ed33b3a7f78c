// One problem drawn as text: what failed, what it means, who holds the port, what to try.
import { el, withCode } from '../dom.js';
import type { Problem } from '../model.js';
import type { ProblemHolder } from '../../core/protocol/events.js';
import type { ViewContext } from './context.js';
import { baseName } from '../describe.js';

/** The runner names each holder in both languages (a process, or TIME_WAIT connections and when they expire). */
export function holderText(holder: ProblemHolder, lang: 'en' | 'ko'): string {
  if (holder.text) return holder.text[lang];
  const who = [holder.command, holder.pid !== null ? `pid ${holder.pid}` : null].filter((part) => part !== null).join(' ');
  return who ? `${who} (${holder.state})` : holder.state;
}

export function renderProblem(ctx: ViewContext, problem: Problem): HTMLElement {
  const t = ctx.t();
  const lang = t.language;
  const box = el(ctx.doc, 'div', 'problem');
  const headline =
    problem.message?.[lang] ??
    (problem.call !== undefined && problem.errno !== undefined
      ? t('problems.failedCall', { call: problem.call, errno: problem.errno })
      : (problem.code ?? ''));
  box.append(withCode(ctx.doc, el(ctx.doc, 'div', 'problem-message'), headline));
  if (problem.explanation) box.append(withCode(ctx.doc, el(ctx.doc, 'div', 'problem-explanation'), problem.explanation[lang]));
  if (problem.holder && problem.holder.length > 0) {
    box.append(el(ctx.doc, 'div', 'problem-holder', t('problems.holder', { holder: problem.holder.map((h) => holderText(h, lang)).join(', ') })));
  }
  if (problem.advice) box.append(withCode(ctx.doc, el(ctx.doc, 'div', 'problem-advice'), t('problems.advice', { advice: problem.advice[lang] })));
  if (problem.src) box.append(sourceLink(ctx, problem.src.file, problem.src.line, problem.src.function));
  return box;
}

export function sourceLink(ctx: ViewContext, file: string, line: number, fn: string): HTMLButtonElement {
  const link = el(ctx.doc, 'button', 'source-link', `${baseName(file)}:${line}`);
  link.type = 'button';
  link.title = ctx.t()('timeline.reveal');
  link.addEventListener('click', () => ctx.reveal({ file, line, function: fn }));
  return link;
}
