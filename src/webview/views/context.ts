import type { FromPanelMessage, RunState } from '../../core/protocol/messages.js';
import type { SourceLocation } from '../../core/protocol/events.js';
import type { PanelModel } from '../model.js';
import type { Translate } from '../strings.js';
import type { TimelineFilter } from '../timeline-index.js';

/** What every view reads and may do; the model and language can change under it (reset, language message). */
export interface ViewContext {
  readonly doc: Document;
  model(): PanelModel;
  run(): RunState;
  t(): Translate;
  post(message: FromPanelMessage): void;
  reveal(src: SourceLocation): void;
  /** Narrow the timeline (e.g. from a click on an fd in the table). */
  filterTimeline(filter: TimelineFilter): void;
  /** Ask for a render on the next frame (after scrolling, typing …). */
  invalidate(): void;
}
