/**
 * Floods: a thread that makes the same failing or empty call again and again (read returning 0 after the peer
 * closed, recv failing with EAGAIN in a busy loop) would otherwise produce an event per call. Identical
 * consecutive records of a thread (everything but the time stamp equal: process, thread, call, call site,
 * descriptor, arguments, result, errno) are counted here instead: the first becomes its `call` event, the rest
 * `repeated` events with a running count, at most one per REPEAT_EVERY_US of the program's time per streak.
 */
import type { CallEvent } from '../protocol/events';
import type { TracerRecord } from './records';

/** A streak is reported at most this often (program time), and once more when it ends. */
export const REPEAT_EVERY_US = 250_000;
/** Repeats of a known mistake after which the problem naming it is raised (once per streak). */
export const FLOOD_PROBLEM_REPEATS = 1000;

/** The mistakes a flood can name: reading on after end of stream, and busy-polling a non-blocking socket. */
export type FloodKind = 'end-of-stream' | 'busy-polling';

const READS = new Set(['read', 'recv', 'recvfrom', 'recvmsg', 'readv']);

/** Calls that can be coalesced: they moved nothing and made nothing (0, or failed); not the waits' phases, exit or fork. */
export function canRepeat(ev: CallEvent): boolean {
  return ev.ret <= 0 && ev.phase === undefined && ev.call !== 'exit' && ev.call !== 'fork';
}

/** Which mistake a flood of `ev` is, if any; `stream`: the descriptor is a stream socket (0 there means end of stream). */
export function floodKindOf(ev: CallEvent, stream: boolean): FloodKind | null {
  if (ev.errno === 'EAGAIN' || ev.errno === 'EWOULDBLOCK') return 'busy-polling';
  if (ev.ret === 0 && ev.errno === null && stream && READS.has(ev.call) && ev.args.length !== 0) return 'end-of-stream';
  return null;
}

export interface RepeatSink {
  /** `first` now stands for `repeats` calls (itself included), the latest at `atUs` (tracer clock). */
  repeated(first: CallEvent, repeats: number, atUs: number): void;
  /** The flood of `first` reached FLOOD_PROBLEM_REPEATS calls, the latest at `atUs`. */
  flood(first: CallEvent, kind: FloodKind, repeats: number, atUs: number): void;
}

interface Streak {
  /** The record that started it, but for its time. */
  saved: Buffer;
  savedLen: number;
  /** Its call event; null when the thread's last call cannot repeat. */
  first: CallEvent | null;
  kind: FloodKind | null;
  repeats: number;
  /** The count last reported, and when (program time). */
  reported: number;
  reportedUs: number;
  lastUs: number;
  problemRaised: boolean;
}

export class Repeats {
  /** By thread id (unique across the machine's live processes). */
  private readonly streaks = new Map<number, Streak>();

  constructor(private readonly sink: RepeatSink) {}

  /** True when `r` repeats its thread's last call: it is counted and needs no event. */
  absorb(r: TracerRecord): boolean {
    const s = this.streaks.get(r.tid);
    if (!s || !s.first || !r.sameAsSaved(s.saved, s.savedLen)) return false;
    s.repeats++;
    s.lastUs = r.tUs;
    if (s.kind && !s.problemRaised && s.repeats >= FLOOD_PROBLEM_REPEATS) {
      this.report(s);
      s.problemRaised = true;
      this.sink.flood(s.first, s.kind, s.repeats, s.lastUs);
    } else if (s.lastUs - s.reportedUs >= REPEAT_EVERY_US) this.report(s);
    return true;
  }

  /** `r` did not repeat: its thread's streak ends; `first` (its event, when it can repeat) starts the next. */
  begin(r: TracerRecord, first: CallEvent | null, kind: FloodKind | null): void {
    let s = this.streaks.get(r.tid);
    if (s?.first) this.report(s);
    if (!first) {
      if (s) s.first = null;
      return;
    }
    if (!s) this.streaks.set(r.tid, (s = newStreak(r.len)));
    else if (s.saved.length < r.len) s.saved = Buffer.allocUnsafe(r.len);
    r.saveInto(s.saved);
    s.savedLen = r.len;
    s.first = first;
    s.kind = kind;
    s.repeats = 1;
    s.reported = 1;
    s.reportedUs = s.lastUs = r.tUs;
    s.problemRaised = false;
  }

  /** Reports streaks that went quiet with repeats not yet told (the thread is now blocked elsewhere, or gone). */
  tick(nowUs: number): void {
    for (const s of this.streaks.values()) if (s.first && s.repeats > s.reported && nowUs - s.reportedUs >= REPEAT_EVERY_US) this.report(s);
  }

  /** The run is over: every count still untold is reported. */
  endAll(): void {
    for (const s of this.streaks.values()) if (s.first) this.report(s);
    this.streaks.clear();
  }

  private report(s: Streak): void {
    if (s.repeats === s.reported) return;
    s.reported = s.repeats;
    s.reportedUs = s.lastUs;
    this.sink.repeated(s.first!, s.repeats, s.lastUs);
  }
}

function newStreak(len: number): Streak {
  return {
    saved: Buffer.allocUnsafe(Math.max(len, 128)),
    savedLen: 0,
    first: null,
    kind: null,
    repeats: 0,
    reported: 0,
    reportedUs: 0,
    lastUs: 0,
    problemRaised: false,
  };
}
