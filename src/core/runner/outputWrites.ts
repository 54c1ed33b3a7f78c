/**
 * Which write of the program carried a given byte of its stdout or stderr pipe: the tracer's `output` records
 * (outputWriteOf) list every write to fd 1 and 2 with its byte count, in the order the bytes entered the pipe (exact
 * within a process), so the pipe's n-th byte belongs to the write whose bytes cover n. The runner asks for the byte
 * that ends a line (its newline) to place the line at that write's time and process.
 */
import type { OutputWrite } from './callEvents';

interface Covered {
  /** Pipe offset just past this write's bytes. */
  end: number;
  write: OutputWrite;
}

/** Writes of one fd still to be asked about, oldest first (a queue: a flood of writes is dropped in O(1) each). */
class CoveredQueue {
  private items: (Covered | undefined)[] = [];
  private head = 0;

  push(c: Covered): void {
    this.items.push(c);
  }

  first(): Covered | undefined {
    return this.items[this.head];
  }

  dropFirst(): void {
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export class OutputWrites {
  private readonly covered: Record<1 | 2, CoveredQueue> = { 1: new CoveredQueue(), 2: new CoveredQueue() };
  private readonly recorded: Record<1 | 2, number> = { 1: 0, 2: 0 };

  /** One `output` record, in ring order. Failed writes (bytes < 0) put nothing into the pipe. */
  add(write: OutputWrite): void {
    if (write.bytes <= 0) return;
    this.recorded[write.fd] += write.bytes;
    this.covered[write.fd].push({ end: this.recorded[write.fd], write });
  }

  /**
   * The write that carried byte `offset` (counted from 0 over everything the program wrote to `fd`), or null when
   * its record has not arrived yet (the ring is drained in batches: ask again after the next drain). Offsets must
   * be asked for in increasing order: writes wholly before `offset` are forgotten.
   */
  carrying(fd: 1 | 2, offset: number): OutputWrite | null {
    const queue = this.covered[fd];
    let first = queue.first();
    while (first && first.end <= offset) {
      queue.dropFirst();
      first = queue.first();
    }
    return first?.write ?? null;
  }
}
