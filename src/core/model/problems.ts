import type { Bilingual, CallEvent, ProblemHolder, SockLensEvent, SourceLocation } from '../protocol/events';

/** Something that went wrong: a failed call (then the runner's `problem` follows it), a crash, a setup failure. */
export interface Problem {
  seq: number;
  /** The runner's code ("EADDRINUSE", "crash", "setup" …); a failed call alone has none. */
  code?: string;
  message?: Bilingual;
  call?: string;
  errno?: string;
  explanation?: Bilingual;
  holder?: ProblemHolder[];
  advice?: Bilingual;
  src?: SourceLocation;
}

/** Failures kept beyond this are counted, not stored: a tight loop of failing calls must not grow memory. */
export const MAX_PROBLEMS = 200;

export function problemOfCall(ev: CallEvent): Problem {
  const problem: Problem = { seq: ev.seq, call: ev.call, errno: ev.errno! };
  if (ev.src) problem.src = ev.src;
  return problem;
}

export function problemOfEvent(ev: Extract<SockLensEvent, { kind: 'problem' }>): Problem {
  const problem: Problem = { seq: ev.seq, code: ev.code, message: ev.message };
  if (ev.src !== undefined) problem.src = ev.src;
  if (ev.call !== undefined) problem.call = ev.call;
  if (ev.errno !== undefined) problem.errno = ev.errno;
  if (ev.explanation !== undefined) problem.explanation = ev.explanation;
  if (ev.holder !== undefined) problem.holder = ev.holder;
  if (ev.advice !== undefined) problem.advice = ev.advice;
  return problem;
}

export function addProblem(state: { problems: Problem[]; problemsDropped: number }, problem: Problem): void {
  if (state.problems.length >= MAX_PROBLEMS) {
    state.problemsDropped++;
    return;
  }
  state.problems.push(problem);
}
