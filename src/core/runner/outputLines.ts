/**
 * The program's stdout and stderr, cut into lines, each placed where the program wrote it: at the time and in the
 * process of the write that carried its newline (outputWrites.ts). The runner reads the pipes at once but the
 * tracer's `output` records come with the next drain of the ring, so a line waits for its write's record — bounded:
 * after LINE_MAX_WAIT_US it takes the time it was read instead (a write the tracer did not see).
 *
 * While bytes are on their way (a write recorded and not read from the pipe yet, or a line read and not placed
 * yet) the fd holds an order mark at the earliest of them, so events after it wait in the time order.
 */
import type { OutputWrite } from './callEvents';
import { OutputWrites } from './outputWrites';
import { ORDER_MAX_WAIT_US, type OrderMark } from './timeOrder';

/** Longer lines are cut into pieces of this many bytes (at a UTF-8 character boundary). */
export const MAX_LINE_BYTES = 64 * 1024;
/**
 * How long a line read from the pipe waits for the record of its write: half the reorder window, so it is placed
 * before the mark holding later events for it lapses (drains come every 4–50 ms).
 */
export const LINE_MAX_WAIT_US = ORDER_MAX_WAIT_US / 2;

export type OutputKind = 'stdout' | 'stderr';

export interface OutputSink {
  /** A line placed: `atUs` absolute on the run clock; `pid` null when its write is unknown (it was placed by its read time). */
  line(kind: OutputKind, text: string, pid: number | null, atUs: number): void;
  /** The time of a line whose write is unknown, read at `readUs`. */
  readTime(readUs: number): number;
  /** An order mark at `us` (absolute), settled by this module. */
  mark(us: number): OrderMark;
}

interface WaitingLine {
  text: string;
  /** Pipe offset of the line's last byte (its newline, or the last byte of a cut or final piece). */
  lastByte: number;
  readUs: number;
}

class Pipe {
  /** Bytes read from the pipe so far (the offset of the next one). */
  readOffset = 0;
  /** Bytes read after the last newline. */
  partial: Buffer[] = [];
  partialBytes = 0;
  waiting: WaitingLine[] = [];
  mark: OrderMark | null = null;

  constructor(
    readonly fd: 1 | 2,
    readonly kind: OutputKind,
  ) {}
}

export class OutputLines {
  private readonly writes = new OutputWrites();
  private readonly pipes: Record<1 | 2, Pipe> = { 1: new Pipe(1, 'stdout'), 2: new Pipe(2, 'stderr') };

  constructor(private readonly sink: OutputSink) {}

  /** An `output` record of the tracer, in ring order. */
  written(write: OutputWrite): void {
    this.writes.add(write);
  }

  /** Bytes the runner read from the program's fd 1 or 2 at `readUs`. */
  read(fd: 1 | 2, chunk: Buffer, readUs: number): void {
    const pipe = this.pipes[fd];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.addLine(pipe, this.takePartial(pipe, chunk.subarray(start, nl)), pipe.readOffset + nl, readUs);
      start = nl + 1;
    }
    if (start < chunk.length) {
      pipe.partial.push(chunk.subarray(start));
      pipe.partialBytes += chunk.length - start;
    }
    pipe.readOffset += chunk.length;
    while (pipe.partialBytes > MAX_LINE_BYTES) this.cutLongLine(pipe, readUs);
  }

  /** The pipe ended: what follows the last newline is a line too. */
  ended(fd: 1 | 2, readUs: number): void {
    const pipe = this.pipes[fd];
    if (pipe.partialBytes > 0) this.addLine(pipe, this.takePartial(pipe, Buffer.alloc(0)), pipe.readOffset - 1, readUs);
  }

  /** Places the lines whose writes are known, and those that waited too long by their read time; moves the marks. */
  settle(nowUs: number): void {
    for (const pipe of [this.pipes[1], this.pipes[2]]) {
      this.placeWaiting(pipe, nowUs);
      this.moveMark(pipe);
    }
  }

  /** The end of the run: every line still waiting is placed now, by its write if known, else by its read time. */
  settleAll(): void {
    for (const pipe of [this.pipes[1], this.pipes[2]]) {
      this.placeWaiting(pipe, Infinity);
      pipe.mark?.settle();
      pipe.mark = null;
    }
  }

  private takePartial(pipe: Pipe, tail: Buffer): Buffer {
    if (pipe.partialBytes === 0) return tail;
    const whole = Buffer.concat([...pipe.partial, tail]);
    pipe.partial = [];
    pipe.partialBytes = 0;
    return whole;
  }

  private cutLongLine(pipe: Pipe, readUs: number): void {
    const bytes = this.takePartial(pipe, Buffer.alloc(0));
    let cut = MAX_LINE_BYTES;
    while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--; // not inside a UTF-8 character
    const firstByte = pipe.readOffset - bytes.length;
    this.addLine(pipe, bytes.subarray(0, cut), firstByte + cut - 1, readUs);
    pipe.partial = [bytes.subarray(cut)];
    pipe.partialBytes = bytes.length - cut;
  }

  private addLine(pipe: Pipe, bytes: Buffer, lastByte: number, readUs: number): void {
    pipe.waiting.push({ text: bytes.toString('utf8'), lastByte, readUs });
  }

  private placeWaiting(pipe: Pipe, nowUs: number): void {
    let placed = 0;
    for (const line of pipe.waiting) {
      const write = this.writes.carrying(pipe.fd, line.lastByte);
      if (write) this.sink.line(pipe.kind, line.text, write.pid, write.tUs);
      else if (line.readUs <= nowUs - LINE_MAX_WAIT_US) this.sink.line(pipe.kind, line.text, null, this.sink.readTime(line.readUs));
      else break;
      placed++;
    }
    if (placed === pipe.waiting.length) pipe.waiting = [];
    else if (placed > 0) pipe.waiting = pipe.waiting.slice(placed);
  }

  /** The fd's mark goes to the earliest of its bytes still on their way, or away when there are none. */
  private moveMark(pipe: Pipe): void {
    const waiting = pipe.waiting[0];
    const at = waiting ? waiting.readUs : this.writes.carrying(pipe.fd, pipe.readOffset)?.tUs;
    if (pipe.mark?.us === at) return;
    pipe.mark?.settle();
    pipe.mark = at === undefined ? null : this.sink.mark(at);
  }
}
