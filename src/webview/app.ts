// Mounts the live panel into a root element and wires model, views and the host (VS Code's webview API).
import type { SourceLocation } from '../core/protocol/events.js';
import { parseToPanelMessage, type FromPanelMessage, type PanelLanguage, type RunState } from '../core/protocol/messages.js';
import { el } from './dom.js';
import { applyEvents, createModel, trimEvents, type PanelModel } from './model.js';
import { translator, type Translate } from './strings.js';
import type { TimelineFilter } from './timeline-index.js';
import type { ViewContext } from './views/context.js';
import { ClientsView } from './views/clients.js';
import { FdTableView } from './views/fd-table.js';
import { HeaderView } from './views/header.js';
import { ProblemsView } from './views/problems.js';
import { StoryView } from './views/story.js';
import { TimelineView, type TimelineUiState } from './views/timeline.js';

/** The part of `acquireVsCodeApi()` the panel uses. */
export interface PanelHost {
  postMessage(message: FromPanelMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface PanelOptions {
  /** The language the extension put in the page (body data-language), before any `language` message. */
  language?: PanelLanguage;
  /** Defaults to requestAnimationFrame; tests pass their own and call `flush()`. */
  requestFrame?: (callback: () => void) => void;
  /** Events the timeline keeps (default MAX_KEPT_EVENTS). */
  maxKeptEvents?: number;
}

export interface Panel {
  /** Handles one message from the extension; false (and nothing changes) when it is malformed. */
  receive(data: unknown): boolean;
  /** Renders now whatever is pending. */
  flush(): void;
  model(): PanelModel;
  /** Timeline rows currently in the DOM. */
  timelineRowCount(): number;
  setTimelineFilter(filter: TimelineFilter): void;
}

/** UI state kept through hide/show via the host's setState (the events themselves are re-sent by the extension). */
interface SavedUi {
  v: 1;
  language: PanelLanguage;
  timeline: TimelineUiState;
}

function readSaved(state: unknown): Partial<SavedUi> {
  if (typeof state !== 'object' || state === null || (state as { v?: unknown }).v !== 1) return {};
  const saved = state as Record<string, unknown>;
  const result: Partial<SavedUi> = {};
  if (saved.language === 'en' || saved.language === 'ko') result.language = saved.language;
  const timeline = saved.timeline as Partial<TimelineUiState> | undefined;
  if (timeline && typeof timeline === 'object' && typeof timeline.follow === 'boolean' && typeof timeline.filter === 'object' && timeline.filter !== null) {
    const filter: TimelineFilter = {};
    if (Number.isInteger(timeline.filter.fd)) filter.fd = timeline.filter.fd!;
    if (typeof timeline.filter.call === 'string') filter.call = timeline.filter.call;
    result.timeline = { follow: timeline.follow, filter };
  }
  return result;
}

export function mountPanel(root: HTMLElement, host: PanelHost, options: PanelOptions = {}): Panel {
  const doc = root.ownerDocument;
  const saved = readSaved(host.getState());
  let model = createModel();
  let run: RunState = { phase: 'idle', args: [] };
  let language: PanelLanguage = options.language ?? saved.language ?? 'en';
  let t: Translate = translator(language);
  let renderedLanguage: PanelLanguage | undefined;
  let timelineUi: TimelineUiState = saved.timeline ?? { filter: {}, follow: true };
  let pending = false;
  const requestFrame = options.requestFrame ?? ((cb: () => void) => void requestAnimationFrame(cb));

  const save = (): void => host.setState({ v: 1, language, timeline: timelineUi } satisfies SavedUi);
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    requestFrame(() => {
      if (pending) render();
    });
  };

  const ctx: ViewContext = {
    doc,
    model: () => model,
    run: () => run,
    t: () => t,
    post: (message) => host.postMessage(message),
    reveal: (src: SourceLocation) => host.postMessage({ type: 'reveal', file: src.file, line: src.line }),
    filterTimeline: (filter) => timeline.setFilter(filter),
    invalidate: schedule,
  };

  const header = new HeaderView(ctx);
  const story = new StoryView(ctx);
  const problems = new ProblemsView(ctx);
  const fdTable = new FdTableView(ctx);
  const clients = new ClientsView(ctx);
  const timeline = new TimelineView(ctx, timelineUi, (state) => {
    timelineUi = state;
    save();
  });

  const left = el(doc, 'div', 'column column-program');
  left.append(story.root, problems.root, fdTable.root);
  const right = el(doc, 'div', 'column column-activity');
  right.append(clients.root, timeline.root);
  const columns = el(doc, 'div', 'columns');
  columns.append(left, right);
  const main = el(doc, 'main', 'socklens-panel');
  main.append(header.root, columns);
  root.append(main);

  function render(): void {
    pending = false;
    const languageChanged = renderedLanguage !== language;
    renderedLanguage = language;
    if (languageChanged) doc.documentElement.lang = language;
    timeline.measure();
    header.update();
    story.update();
    problems.update();
    fdTable.update();
    clients.update();
    timeline.update(languageChanged);
  }

  function receive(data: unknown): boolean {
    const message = parseToPanelMessage(data);
    if (!message) return false;
    switch (message.type) {
      case 'events':
        applyEvents(model, message.events);
        if (trimEvents(model, options.maxKeptEvents)) timeline.reset();
        break;
      case 'run-state':
        run = message.state;
        break;
      case 'reset':
        model = createModel();
        clients.reset();
        timeline.reset();
        break;
      case 'text-size':
        root.ownerDocument.body.dataset.textSize = message.size;
        break;
      case 'language':
        language = message.language;
        t = translator(language);
        save();
        break;
    }
    schedule();
    return true;
  }

  render();
  return {
    receive,
    flush: render,
    model: () => model,
    timelineRowCount: () => timeline.renderedRowCount(),
    setTimelineFilter: (filter) => timeline.setFilter(filter),
  };
}
