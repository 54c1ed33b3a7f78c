import type { SockLensEvent } from '../protocol/events';

/**
 * The steps of the Get Started walkthrough (the source tutorial's telephone story, then the client's side),
 * each reached when the student's own program gets there in a real run.
 */
export type LessonStep = 'socket' | 'bind' | 'listen' | 'accept' | 'connect';

export const LESSON_STEPS: readonly LessonStep[] = ['socket', 'bind', 'listen', 'accept', 'connect'];

/** The context key the extension sets for a reached step; the walkthrough's `onContext:` completion events use it. */
export const lessonContextKey = (step: LessonStep): string => `socklens.lesson.${step}`;

const STEP_OF_CALL: Readonly<Record<string, LessonStep>> = {
  socket: 'socket',
  bind: 'bind',
  listen: 'listen',
  accept: 'accept',
  accept4: 'accept',
  connect: 'connect',
};

/**
 * Follows one run's events. socket, bind and listen are reached by the program's successful call; accept once
 * the program has accepted a connection *and* a test client (the panel's or `--client`) has connected in the
 * same run, in either order (the tracer's accept record and the client's report race); connect by a successful
 * `connect()` of the student's client program to a peer.
 */
export class LessonProgress {
  private readonly reached = new Set<LessonStep>();
  private accepted = false;
  private clientConnected = false;

  /** The steps this event newly completes (usually none). */
  apply(event: SockLensEvent): LessonStep[] {
    if (event.kind === 'client' && event.action === 'connected') {
      this.clientConnected = true;
      return this.reach(this.accepted ? 'accept' : undefined);
    }
    if (event.kind !== 'call' || event.errno !== null || event.phase === 'waiting') return [];
    const step = STEP_OF_CALL[event.call];
    if (step === 'accept') {
      this.accepted = true;
      return this.reach(this.clientConnected ? 'accept' : undefined);
    }
    if (step === 'connect' && !event.peer) return [];
    return this.reach(step);
  }

  has(step: LessonStep): boolean {
    return this.reached.has(step);
  }

  private reach(step: LessonStep | undefined): LessonStep[] {
    if (!step || this.reached.has(step)) return [];
    this.reached.add(step);
    return [step];
  }
}
