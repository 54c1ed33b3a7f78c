// Which events the timeline shows under a filter, kept incrementally so appending to 100k events stays cheap.
import type { SockLensEvent } from '../core/protocol/events.js';

export interface TimelineFilter {
  /** Only call events on this descriptor (acted on or produced). */
  fd?: number;
  /** "call:accept" for one socket call, "kind:stdout" for one kind of runner event. */
  call?: string;
}

export function isUnfiltered(filter: TimelineFilter): boolean {
  return filter.fd === undefined && filter.call === undefined;
}

function touchesFd(ev: SockLensEvent, fd: number): boolean {
  if (ev.kind !== 'call') return false;
  return (
    ev.fd === fd ||
    ev.newFd === fd ||
    (ev.fds?.includes(fd) ?? false) ||
    (ev.readyFds?.includes(fd) ?? false) ||
    (ev.watchFds?.includes(fd) ?? false)
  );
}

export function callFilterValue(ev: SockLensEvent): string {
  return ev.kind === 'call' ? `call:${ev.call}` : `kind:${ev.kind}`;
}

export function matchesFilter(ev: SockLensEvent, filter: TimelineFilter): boolean {
  if (filter.fd !== undefined && !touchesFd(ev, filter.fd)) return false;
  if (filter.call !== undefined && callFilterValue(ev) !== filter.call) return false;
  return true;
}

export class TimelineIndex {
  private filter: TimelineFilter = {};
  private matches: number[] = [];
  private scanned = 0;

  constructor(private readonly events: readonly SockLensEvent[]) {}

  setFilter(filter: TimelineFilter): void {
    this.filter = { ...filter };
    this.matches = [];
    this.scanned = 0;
  }

  getFilter(): TimelineFilter {
    return { ...this.filter };
  }

  /** Number of events shown; scans only the events appended since the last call. */
  get length(): number {
    if (isUnfiltered(this.filter)) return this.events.length;
    for (; this.scanned < this.events.length; this.scanned++) {
      if (matchesFilter(this.events[this.scanned]!, this.filter)) this.matches.push(this.scanned);
    }
    return this.matches.length;
  }

  /** Position in the full event list of the i-th shown event. */
  eventIndex(i: number): number {
    return isUnfiltered(this.filter) ? i : this.matches[i]!;
  }

  at(i: number): SockLensEvent {
    return this.events[this.eventIndex(i)]!;
  }
}
