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
  /** Rows must be refilled even at the same index (the filter or the language changed). */
  private stale = true;

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
    this.viewport.addEventListener('scroll', () => this.onScroll());
    this.rowsBox.addEventListener('click', (e) => this.onRowClick(e));
  }

  /** The model was replaced (a new run). */
  reset(): void {
    const filter = this.filter();
    this.index = new TimelineIndex(this.ctx.model().events);
    this.index.setFilter(filter);
    this.optionsKey = '';
    this.stale = true;
  }

  filter(): TimelineFilter {
    return this.index.getFilter();
  }

  setFilter(filter: TimelineFilter): void {
    this.index.setFilter(filter);
    this.stale = true;
    this.optionsKey = '';
    this.changed();
  }

  /** Number of row elements currently in the DOM (what virtualization keeps small). */
  renderedRowCount(): number {
    return this.rowsBox.childElementCount;
  }

  update(languageChanged: boolean): void {
    const t = this.ctx.t();
    if (languageChanged) {
      this.stale = true;
      this.optionsKey = '';
      setText(this.heading, t('timeline.title'));
      setText(this.fdLabel.firstElementChild!, t('timeline.filter.fd'));
      setText(this.callLabel.firstElementChild!, t('timeline.filter.call'));
      setText(this.followLabel.lastElementChild!, t('timeline.follow'));
      setText(this.empty, t('timeline.empty'));
    }
    this.updateOptions();
    const model = this.ctx.model();
    const total = this.index.length;
    setText(this.count, t('timeline.count', { shown: total, total: model.events.length }));
    this.empty.hidden = model.events.length > 0;
    this.followBox.checked = this.follow;
    this.sizer.style.height = `${total * ROW_HEIGHT}px`;

    const visible = this.viewport.clientHeight > 0 ? Math.ceil(this.viewport.clientHeight / ROW_HEIGHT) : FALLBACK_VISIBLE_ROWS;
    if (this.follow) {
      const bottom = Math.max(0, total * ROW_HEIGHT - this.viewport.clientHeight);
      if (this.viewport.scrollTop !== bottom) this.viewport.scrollTop = bottom;
    }
    const top = this.follow ? Math.max(0, total - visible) : Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
    const first = Math.max(0, Math.min(top, total - 1) - OVERSCAN);
    const last = Math.min(total, top + visible + OVERSCAN);
    this.rowsBox.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.drawRows(first, last);
  }

  private drawRows(first: number, last: number): void {
    const doc = this.ctx.doc;
    const t = this.ctx.t();
    const events = this.ctx.model().events;
    const wanted = Math.max(0, last - first);
    while (this.rowsBox.childElementCount > wanted) this.rowsBox.lastElementChild!.remove();
    while (this.rowsBox.childElementCount < wanted) {
      const row = el(doc, 'div', 'timeline-row');
      row.append(el(doc, 'span', 'tl-seq'), el(doc, 'span', 'tl-time'), el(doc, 'span', 'tl-where'), el(doc, 'span', 'tl-text'));
      this.rowsBox.append(row);
    }
    let row = this.rowsBox.firstElementChild as HTMLElement | null;
    for (let i = first; i < last && row; i++, row = row.nextElementSibling as HTMLElement | null) {
      const eventIndex = this.index.eventIndex(i);
      const key = String(eventIndex);
      if (!this.stale && row.dataset.index === key) continue;
      const ev = events[eventIndex]!;
      const line = describeEvent(ev, t);
      row.dataset.index = key;
      const revealable = (ev.kind === 'call' || ev.kind === 'problem') && ev.src !== undefined;
      row.className = `timeline-row tone-${line.tone}${revealable ? ' is-revealable' : ''}`;
      row.title = revealable ? t('timeline.reveal') : '';
      const [seq, time, where, text] = Array.from(row.children);
      setText(seq!, String(ev.seq));
      setText(time!, line.time);
      setText(where!, line.where);
      setText(text!, line.text);
    }
    this.stale = false;
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
    calls.push(...[...model.kindsSeen].sort().map((k): [string, string] => [`kind:${k}`, k]));
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
    const ev = this.ctx.model().events[Number(row.dataset.index)];
    if (ev && (ev.kind === 'call' || ev.kind === 'problem') && ev.src) this.ctx.reveal(ev.src);
  }
}
