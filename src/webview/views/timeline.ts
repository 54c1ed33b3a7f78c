// The event timeline as a virtual list: fixed-height rows, only the visible ones (plus a margin) in the DOM.
import { clear, el, setText } from '../dom.js';
import { describeEvent } from '../describe.js';
import { TimelineIndex, type TimelineFilter } from '../timeline-index.js';
import type { ViewContext } from './context.js';

export const ROW_HEIGHT = 20;
/** Extra rows drawn above and below the viewport so fast scrolling shows no gaps. */
const OVERSCAN = 8;
/** Rows assumed visible before layout (hidden panel, or a DOM without layout as in tests). */
const FALLBACK_VISIBLE_ROWS = 30;

export interface TimelineUiState {
  filter: TimelineFilter;
  follow: boolean;
}

export class TimelineView {
  readonly root: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly fdLabel: HTMLElement;
  private readonly fdSelect: HTMLSelectElement;
  private readonly callLabel: HTMLElement;
  private readonly callSelect: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly followBox: HTMLInputElement;
  private readonly followLabel: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly rowsBox: HTMLElement;
  private readonly empty: HTMLElement;
  private index: TimelineIndex;
  private follow: boolean;
  /** What the filter option lists were built from, to rebuild them only when something new appears. */
  private optionsKey = '';
  /** Rows must be refilled even at the same position (the filter, the language or the run changed). */
  private stale = true;
  /** Drawn row elements by position in the (filtered) list. */
  private readonly drawn = new Map<number, HTMLElement>();
  /** Layout read at the start of a frame, before anything is written (reading after writes forces a layout). */
  private viewportHeight = 0;
  private scrollTop = 0;
  /** The scrollTop the view set itself while following, so its own scroll event is not taken for the user's. */
  private ownScrollTop = -1;
  /** Keyboard selection: a position in the (filtered) list, or -1. */
  private selected = -1;

  constructor(
    private readonly ctx: ViewContext,
    initial: TimelineUiState,
    private readonly onUiChange: (state: TimelineUiState) => void,
  ) {
    const doc = ctx.doc;
    this.follow = initial.follow;
    this.index = new TimelineIndex(ctx.model().events);
    this.index.setFilter(initial.filter);
    this.root = el(doc, 'section', 'timeline');
    this.heading = el(doc, 'h2');
    const controls = el(doc, 'div', 'timeline-controls');
    this.fdLabel = el(doc, 'label');
    this.fdSelect = el(doc, 'select', 'timeline-filter-fd');
    this.fdLabel.append(el(doc, 'span'), this.fdSelect);
    this.callLabel = el(doc, 'label');
    this.callSelect = el(doc, 'select', 'timeline-filter-call');
    this.callLabel.append(el(doc, 'span'), this.callSelect);
    this.followBox = el(doc, 'input', 'timeline-follow');
    this.followBox.type = 'checkbox';
    this.followBox.checked = this.follow;
    this.followLabel = el(doc, 'label', 'timeline-follow-label');
    this.followLabel.append(this.followBox, el(doc, 'span'));
    this.count = el(doc, 'span', 'timeline-count');
    controls.append(this.fdLabel, this.callLabel, this.followLabel, this.count);
    this.viewport = el(doc, 'div', 'timeline-viewport');
    this.viewport.tabIndex = 0;
    this.sizer = el(doc, 'div', 'timeline-sizer');
    this.rowsBox = el(doc, 'div', 'timeline-rows');
    this.sizer.append(this.rowsBox);
    this.viewport.append(this.sizer);
    this.empty = el(doc, 'div', 'empty');
    this.root.append(this.heading, controls, this.empty, this.viewport);
    // The row height lives here only; CSS reads it through this custom property (set via CSSOM, allowed by a strict CSP).
    this.viewport.style.setProperty('--timeline-row-height', `${ROW_HEIGHT}px`);

    this.fdSelect.addEventListener('change', () => this.setFilter(this.readFilter()));
    this.callSelect.addEventListener('change', () => this.setFilter(this.readFilter()));
    this.followBox.addEventListener('change', () => {
      this.follow = this.followBox.checked;
      this.changed();
    });
    this.viewport.setAttribute('role', 'listbox');
    this.viewport.addEventListener('scroll', () => this.onScroll());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsBox.addEventListener('click', (e) => this.onRowClick(e));
  }

  /** The model was replaced (a new run). */
  reset(): void {
    const filter = this.filter();
    this.index = new TimelineIndex(this.ctx.model().events);
    this.index.setFilter(filter);
    this.selected = -1;
    this.optionsKey = '';
    this.stale = true;
  }

  filter(): TimelineFilter {
    return this.index.getFilter();
  }

  setFilter(filter: TimelineFilter): void {
    this.index.setFilter(filter);
    this.selected = -1;
    this.stale = true;
    this.optionsKey = '';
    this.changed();
  }

  /** Number of row elements currently in the DOM (what virtualization keeps small). */
  renderedRowCount(): number {
    return this.rowsBox.childElementCount;
  }

  /** Reads the layout the frame needs; call before any view writes to the DOM. */
  measure(): void {
    this.viewportHeight = this.viewport.clientHeight;
    this.scrollTop = this.viewport.scrollTop;
  }

  update(languageChanged: boolean): void {
    const t = this.ctx.t();
    if (languageChanged) {
      this.stale = true;
      this.optionsKey = '';
      setText(this.heading, t('timeline.title'));
      this.viewport.setAttribute('aria-label', `${t('timeline.title')}: ${t('timeline.keys')}`);
      setText(this.fdLabel.firstElementChild!, t('timeline.filter.fd'));
      setText(this.callLabel.firstElementChild!, t('timeline.filter.call'));
      setText(this.followLabel.lastElementChild!, t('timeline.follow'));
      setText(this.empty, t('timeline.empty'));
    }
    this.updateOptions();
    const model = this.ctx.model();
    const total = this.index.length;
    const count = t('timeline.count', { shown: total, total: model.events.length });
    setText(this.count, model.eventsDropped > 0 ? `${count} ${t('timeline.dropped', { count: model.eventsDropped })}` : count);
    this.empty.hidden = model.events.length > 0;
    this.followBox.checked = this.follow;
    this.sizer.style.height = `${total * ROW_HEIGHT}px`;

    const visible = this.viewportHeight > 0 ? Math.ceil(this.viewportHeight / ROW_HEIGHT) : FALLBACK_VISIBLE_ROWS;
    const top = this.follow ? Math.max(0, total - visible) : Math.floor(this.scrollTop / ROW_HEIGHT);
    const first = Math.max(0, Math.min(top, total - 1) - OVERSCAN);
    const last = Math.min(total, top + visible + OVERSCAN);
    this.drawRows(first, last);
    if (this.follow) {
      const bottom = Math.max(0, total * ROW_HEIGHT - this.viewportHeight);
      if (this.scrollTop !== bottom) {
        this.viewport.scrollTop = bottom;
        this.ownScrollTop = this.viewport.scrollTop;
      }
    }
  }

  /**
   * Keeps a row element per drawn position. Each row is absolutely placed at its own offset, so rows that stay
   * visible are not touched (no text layout) when new events arrive; only new positions are filled. Rows stay in
   * position order in the DOM (the visible range only grows or shrinks at its ends), for screen readers.
   */
  private drawRows(first: number, last: number): void {
    if (this.stale) {
      for (const row of this.drawn.values()) row.remove();
      this.drawn.clear();
      this.stale = false;
    }
    if (this.selected >= this.index.length) this.select(-1);
    const spare: HTMLElement[] = [];
    for (const [position, row] of this.drawn) {
      if (position < first || position >= last) {
        this.drawn.delete(position);
        row.remove();
        spare.push(row);
      }
    }
    // The kept rows are one contiguous run: new positions go either before it or after it.
    const keptFirst = this.drawn.size > 0 ? Math.min(...this.drawn.keys()) : last;
    const above = this.ctx.doc.createDocumentFragment();
    const below = this.ctx.doc.createDocumentFragment();
    for (let position = first; position < last; position++) {
      if (this.drawn.has(position)) continue;
      const row = spare.pop() ?? this.createRow();
      this.fillRow(row, position);
      this.drawn.set(position, row);
      (position < keptFirst ? above : below).append(row);
    }
    this.rowsBox.insertBefore(above, this.rowsBox.firstChild);
    this.rowsBox.append(below);
  }

  private createRow(): HTMLElement {
    const doc = this.ctx.doc;
    const row = el(doc, 'div', 'timeline-row');
    row.append(el(doc, 'span', 'tl-seq'), el(doc, 'span', 'tl-time'), el(doc, 'span', 'tl-where'), el(doc, 'span', 'tl-text'));
    return row;
  }

  private fillRow(row: HTMLElement, position: number): void {
    const t = this.ctx.t();
    const eventIndex = this.index.eventIndex(position);
    const ev = this.ctx.model().events[eventIndex]!;
    const line = describeEvent(ev, t);
    row.dataset.index = String(eventIndex);
    row.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    const revealable = (ev.kind === 'call' || ev.kind === 'problem') && ev.src !== undefined;
    row.className = `timeline-row tone-${line.tone}${revealable ? ' is-revealable' : ''}`;
    row.id = `timeline-position-${position}`;
    row.setAttribute('role', 'option');
    this.markSelected(row, position);
    row.title = revealable ? `${line.text}\n${t('timeline.reveal')}` : line.text;
    const [seq, time, where, text] = Array.from(row.children);
    setText(seq!, String(ev.seq));
    setText(time!, line.time);
    setText(where!, line.where);
    setText(text!, line.text);
  }

  private updateOptions(): void {
    const model = this.ctx.model();
    const key = `${model.fdsSeen.size}/${model.callsSeen.size}/${model.kindsSeen.size}`;
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    const t = this.ctx.t();
    const filter = this.filter();
    const fds = [...model.fdsSeen].sort((a, b) => a - b);
    if (filter.fd !== undefined && !model.fdsSeen.has(filter.fd)) fds.push(filter.fd);
    this.fillSelect(this.fdSelect, fds.map((fd) => [String(fd), `fd ${fd}`]), filter.fd !== undefined ? String(filter.fd) : '', t('timeline.filter.all'));
    const calls: [string, string][] = [...model.callsSeen].sort().map((c) => [`call:${c}`, `${c}()`]);
    calls.push(...[...model.kindsSeen].sort().map((k): [string, string] => [`kind:${k}`, t(`kind.${k}`)]));
    if (filter.call !== undefined && !calls.some(([v]) => v === filter.call)) calls.push([filter.call, filter.call.replace(/^\w+:/, '')]);
    this.fillSelect(this.callSelect, calls, filter.call ?? '', t('timeline.filter.all'));
  }

  private fillSelect(select: HTMLSelectElement, options: [string, string][], selected: string, allLabel: string): void {
    clear(select);
    const doc = this.ctx.doc;
    const all = el(doc, 'option', '', allLabel);
    all.value = '';
    select.append(all);
    for (const [value, label] of options) {
      const option = el(doc, 'option', '', label);
      option.value = value;
      select.append(option);
    }
    select.value = selected;
  }

  private readFilter(): TimelineFilter {
    const filter: TimelineFilter = {};
    if (this.fdSelect.value !== '') filter.fd = Number(this.fdSelect.value);
    if (this.callSelect.value !== '') filter.call = this.callSelect.value;
    return filter;
  }

  private onScroll(): void {
    if (this.follow && this.viewport.scrollTop === this.ownScrollTop) return;
    const atBottom = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - ROW_HEIGHT;
    if (atBottom !== this.follow) {
      this.follow = atBottom;
      this.changed();
    } else this.ctx.invalidate();
  }

  private changed(): void {
    this.onUiChange({ filter: this.filter(), follow: this.follow });
    this.ctx.invalidate();
  }

  private onRowClick(e: Event): void {
    const target = e.target as Element | null;
    const row = target?.closest('.timeline-row') as HTMLElement | null;
    if (!row || row.dataset.index === undefined) return;
    for (const [position, drawn] of this.drawn) if (drawn === row) this.select(position);
    this.revealEvent(Number(row.dataset.index));
  }

  private revealEvent(eventIndex: number): void {
    const ev = this.ctx.model().events[eventIndex];
    if (ev && (ev.kind === 'call' || ev.kind === 'problem') && ev.src) this.ctx.reveal(ev.src);
  }

  /** Arrows, Page Up/Down, Home/End move the selection; Enter reveals the selected event's line. */
  private onKey(e: KeyboardEvent): void {
    const total = this.index.length;
    if (total === 0) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const from = this.selected < 0 ? (this.follow ? total : Math.floor(this.viewport.scrollTop / ROW_HEIGHT)) : this.selected;
    const moves: Record<string, number> = { ArrowDown: from + 1, ArrowUp: from - 1, PageDown: from + page, PageUp: from - page, Home: 0, End: total - 1 };
    if (e.key === 'Enter' && this.selected >= 0) {
      e.preventDefault();
      this.revealEvent(this.index.eventIndex(this.selected));
      return;
    }
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const position = Math.max(0, Math.min(total - 1, to));
    this.select(position);
    this.follow = position === total - 1;
    const top = position * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    this.changed();
  }

  private select(position: number): void {
    this.selected = position;
    for (const [drawnPosition, row] of this.drawn) this.markSelected(row, drawnPosition);
    if (position >= 0) this.viewport.setAttribute('aria-activedescendant', `timeline-position-${position}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  private markSelected(row: HTMLElement, position: number): void {
    const selected = position === this.selected;
    row.classList.toggle('is-selected', selected);
    row.setAttribute('aria-selected', String(selected));
  }
}
