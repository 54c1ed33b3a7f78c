/**
 * The run's one clock and the order events leave the core in.
 *
 * Every event is stamped on CLOCK_MONOTONIC (the tracer's `clock_gettime(CLOCK_MONOTONIC)`, Node's
 * `process.hrtime.bigint()` on Linux), in microseconds. Events come from several sources that report late by
 * different amounts (the tracer's ring is drained every 4–50 ms, pipes and test clients at once), so they wait
 * here, sorted by time, until every source has reported everything up to their time, and then leave in time order.
 */

/** Now on the run clock, in microseconds (CLOCK_MONOTONIC on Linux). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * A tracer record is stamped a moment before it is published in the ring (a process preempted between the two
 * can take longer): a drain that began at D is taken to have seen every record stamped before D − this.
 */
export const ORDER_SLACK_US = 5_000;
/**
 * The reorder window: no event waits longer than this for sources that lag (a ring slot reserved and not yet
 * published, a busy event loop). An event that reaches the core later than this after its time can leave after
 * events stamped later than it.
 */
export const ORDER_MAX_WAIT_US = 200_000;

interface Stamped {
  /** Microseconds since the run's origin. */
  t: number;
}

/** An event still to come, stamped now: nothing later leaves until it is settled. */
export interface OrderMark {
  readonly us: number;
  /** Held past the wait bound: the runner's own mark for an event it will surely add (the main process's exit). */
  readonly firm: boolean;
  settle(): void;
}

/**
 * Events in time order (equal times keep their arrival order). An event leaves once its time is at most the
 * watermark — the earliest of: what the tracer has surely delivered, every open mark, now — or once it has
 * waited ORDER_MAX_WAIT_US; an event held (waiting for its source line) stops everything after it.
 */
export class TimeOrder<E extends Stamped> {
  private readonly queue: (E | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private readonly held = new Map<E, number>();
  private readonly marks = new Set<OrderMark>();
  /** Every tracer record stamped before this has been delivered; null while no traced process can be producing. */
  private tracerComplete: number | null = null;
  private flushing = false;

  /**
   * `originUs`: the run's origin on the clock (events' `t` count from it; marks and the tracer's progress are
   * absolute). `catchUp`: reads what lagging sources have (drains the ring) before an event leaves only because it
   * waited too long: after a stalled event loop the records are there, just not read yet.
   */
  constructor(
    private readonly originUs: number,
    private readonly emit: (ev: E) => void,
    private readonly catchUp: () => void = () => undefined,
    private readonly now: () => number = monotonicUs,
  ) {}

  /** Queues `ev` by its time, after those with the same time. */
  add(ev: E): E {
    const q = this.queue;
    let i = this.tail;
    while (i > this.head && q[i - 1]!.t > ev.t) i--;
    if (i === this.tail) q[this.tail++] = ev;
    else {
      q.splice(i, 0, ev);
      this.tail++;
    }
    return ev;
  }

  hold(ev: E): void {
    this.held.set(ev, (this.held.get(ev) ?? 0) + 1);
  }

  release(ev: E): void {
    const n = (this.held.get(ev) ?? 0) - 1;
    if (n > 0) this.held.set(ev, n);
    else this.held.delete(ev);
  }

  get holding(): boolean {
    return this.held.size > 0;
  }

  /**
   * Stamps `us` (default now, absolute) for an event that will be added later with that time. A `firm` mark holds
   * later events even past the wait bound (its event must come, and settle it).
   */
  mark(us = this.now(), firm = false): OrderMark {
    const mark: OrderMark = { us, firm, settle: () => this.marks.delete(mark) };
    this.marks.add(mark);
    return mark;
  }

  /** Every record a traced process stamped before `us` (absolute) has been delivered (null: none can publish more). */
  tracerDeliveredUpTo(us: number | null): void {
    this.tracerComplete = us;
  }

  /** The time up to which every source has reported, as a `t` (relative to the origin). */
  private watermark(now: number): number {
    let limit = this.tracerComplete === null ? now : Math.min(now, this.tracerComplete);
    for (const m of this.marks) {
      // a mark never settled (its report lost) must not slow every later event down: it lapses with the bound
      if (!m.firm && m.us < now - ORDER_MAX_WAIT_US) this.marks.delete(m);
      else if (m.us < limit) limit = m.us;
    }
    return limit - this.originUs;
  }

  /** Events after the earliest firm mark wait for it whatever their age. */
  private firmLimit(): number {
    let limit = Infinity;
    for (const m of this.marks) if (m.firm && m.us - this.originUs < limit) limit = m.us - this.originUs;
    return limit;
  }

  /** Emits what may leave; `all`: every event not held, whatever its time (no source will report more). */
  flush(all = false): void {
    if (this.flushing) return; // catchUp's drain flushes again
    this.flushing = true;
    try {
      this.leave(all);
    } finally {
      this.flushing = false;
    }
  }

  private leave(all: boolean): void {
    const q = this.queue;
    const now = this.now();
    let limit = all ? Infinity : this.watermark(now);
    const overdue = Math.min(now - this.originUs - ORDER_MAX_WAIT_US, all ? Infinity : this.firmLimit());
    let caughtUp = false;
    while (this.head < this.tail) {
      const ev = q[this.head]!;
      if (this.held.size > 0 && this.held.has(ev)) break;
      if (ev.t > limit) {
        if (ev.t > overdue) break;
        if (!caughtUp) {
          caughtUp = true;
          this.catchUp(); // may add earlier events before this one
          limit = this.watermark(now);
          continue;
        }
      }
      // let go of emitted events at once: still referenced, they would outlive young-generation collections
      q[this.head++] = undefined;
      this.emit(ev);
    }
    this.compact();
  }

  /** At the very end: held events go out as they are. */
  flushEverything(): void {
    this.held.clear();
    this.marks.clear();
    this.flush(true);
  }

  private compact(): void {
    const q = this.queue;
    // the array keeps its capacity; slots outside head..tail are always undefined
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      q.copyWithin(0, this.head, this.tail);
      q.fill(undefined, this.tail - this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
  }
}
