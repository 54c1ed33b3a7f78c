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

export class OutputWrites {
  private readonly covered: Record<1 | 2, Covered[]> = { 1: [], 2: [] };
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
    const list = this.covered[fd];
    let drop = 0;
    while (drop < list.length && list[drop].end <= offset) drop++;
    if (drop) list.splice(0, drop);
    return list.length ? list[0].write : null;
  }
}
