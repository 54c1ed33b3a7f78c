import * as vscode from 'vscode';
import { LessonProgress, lessonContextKey } from '../core/editor/lessonProgress';
import type { RunController, RunSession } from './runs';

/**
 * Completes the Get Started walkthrough's steps (package.json `walkthroughs`) from real runs: each step's
 * completion event is `onContext:socklens.lesson.<step>`, set here when the run's events reach it.
 */
export class LessonTracker implements vscode.Disposable {
  private readonly progress = new WeakMap<RunSession, LessonProgress>();
  private readonly subscription: vscode.Disposable;

  constructor(runs: RunController) {
    this.subscription = runs.onEvent(({ session, event }) => {
      let progress = this.progress.get(session);
      if (!progress) this.progress.set(session, (progress = new LessonProgress()));
      for (const step of progress.apply(event)) void vscode.commands.executeCommand('setContext', lessonContextKey(step), true);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
