import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from './processGroup';
import { HEADER_SIZE, TracerRecord } from './records';

/**
 * The shared-memory ring the preloaded tracer writes its records into (layout: `struct sl_ring_header` in
 * tracer/protocol.h). Node cannot mmap, so the runner reads the file with pread: on Linux that sees the
 * producers' MAP_SHARED stores. A record counts once the ready word of its first slot holds its sequence
 * number + 1; the ready words are read in one system call and the slots in a later one, so (x86 TSO, and the
 * producers' release store after writing the record) a record seen as ready is read whole.
 */
export const RING_MAGIC = 0x31524c53;
export const RING_VERSION = 1;
const HEADER_BYTES = 4096;
const OFF_CLOSED = 20;
const OFF_HEAD = 64;
const OFF_TAIL = 128;
const RING_DIR_PREFIX = 'socklens-ring-';
const RING_FILE = 'events.ring';

export interface RingOptions {
  /** A power of two (default 16384: one 16 ms drain interval's worth at a million events a second). */
  slots?: number;
  /** Bytes, a power of two at least the record header (default 128: most records fit one slot; longer ones take several). */
  slotSize?: number;
  /** Where the ring file goes (default /dev/shm when it exists, else the temp folder). */
  dir?: string;
}

function defaultDir(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** Removes ring folders in `dir` left by runners that were killed before they could (their pid is gone). */
function removeStaleRings(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(RING_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const folder = path.join(dir, name);
    try {
      const header = Buffer.alloc(20);
      const fd = fs.openSync(path.join(folder, RING_FILE), 'r');
      try {
        fs.readSync(fd, header, 0, header.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      // a ring still being set up has no magic yet; a live (or recycled) pid keeps its ring
      const pid = header.readUInt32LE(16);
      if (header.readUInt32LE(0) !== RING_MAGIC || pid === 0 || isAlive(pid)) continue;
      fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to read
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export class EventRing {
  readonly path: string;
  readonly slots: number;
  readonly slotSize: number;
  private readonly fd: number;
  private readonly readyOff: number;
  private readonly dataOff: number;
  private readonly word = Buffer.alloc(8);
  private readonly readyBuf: Buffer;
  /** readyBuf as 32-bit words (little-endian host: low word first). */
  private readonly readyWords: Uint32Array;
  /** Reused by every drain: a fresh large buffer each time would make V8 collect garbage far more often. */
  private readonly dataBuf: Buffer;
  /** The view every record of a drain is handed over in. */
  private readonly record: TracerRecord;
  private tail = 0;
  private head = 0;
  private closed = false;
  /** Records that did not decode (skipped). */
  malformed = 0;
  /** Slots reserved by a process that ended before publishing them (skipped by a final drain). */
  abandoned = 0;

  private constructor(file: string, fd: number, slots: number, slotSize: number) {
    this.path = file;
    this.fd = fd;
    this.slots = slots;
    this.slotSize = slotSize;
    this.readyOff = HEADER_BYTES;
    this.dataOff = HEADER_BYTES + Math.ceil((slots * 8) / HEADER_BYTES) * HEADER_BYTES;
    // written through now: zeroed memory from the allocator is mapped lazily, and each of its pages would otherwise
    // fault the first time a drain reads into it, while the program runs
    this.readyBuf = Buffer.allocUnsafeSlow(slots * 8).fill(0);
    this.readyWords = new Uint32Array(this.readyBuf.buffer, this.readyBuf.byteOffset, slots * 2);
    this.dataBuf = Buffer.allocUnsafeSlow(slots * slotSize).fill(0);
    this.record = new TracerRecord(this.dataBuf);
  }

  /** A fresh ring file, owned by this (runner) process. */
  static create(options: RingOptions = {}): EventRing {
    const slots = options.slots ?? 16384;
    const slotSize = options.slotSize ?? 128;
    if (!isPowerOfTwo(slots) || !isPowerOfTwo(slotSize) || slotSize < HEADER_SIZE) {
      throw new Error(`ring: slots (${slots}) and slot size (${slotSize}) must be powers of two, the slot at least ${HEADER_SIZE} bytes`);
    }
    const parent = options.dir ?? defaultDir();
    removeStaleRings(parent);
    const dir = fs.mkdtempSync(path.join(parent, RING_DIR_PREFIX));
    const file = path.join(dir, RING_FILE);
    const fd = fs.openSync(file, 'wx+', 0o600);
    const ring = new EventRing(file, fd, slots, slotSize);
    fs.ftruncateSync(fd, ring.dataOff + slots * slotSize);
    const h = Buffer.alloc(32);
    h.writeUInt32LE(RING_MAGIC, 0);
    h.writeUInt32LE(RING_VERSION, 4);
    h.writeUInt32LE(slotSize, 8);
    h.writeUInt32LE(slots, 12);
    h.writeUInt32LE(process.pid, 16);
    h.writeUInt32LE(0, 20);
    h.writeUInt32LE(ring.readyOff, 24);
    h.writeUInt32LE(ring.dataOff, 28);
    fs.writeSync(fd, h, 0, h.length, 0);
    return ring;
  }

  private readU64(pos: number): number {
    fs.readSync(this.fd, this.word, 0, 8, pos);
    return this.word.readUInt32LE(4) * 4294967296 + this.word.readUInt32LE(0);
  }

  /** Reads `count` slots' worth of bytes from sequence number `seq` on, unwrapped. */
  private readSlots(base: number, unit: number, seq: number, count: number, into: Buffer): void {
    const first = seq % this.slots;
    const n1 = Math.min(count, this.slots - first);
    fs.readSync(this.fd, into, 0, n1 * unit, base + first * unit);
    if (count > n1) fs.readSync(this.fd, into, n1 * unit, (count - n1) * unit, base);
  }

  /**
   * Hands each record published since the last drain to `visit`, in reservation order (each process's call
   * order), through one view valid only during that call. Stops at the first slot reserved but not yet
   * published; with `final` (no producer is left), such slots are skipped. Returns how many records it visited.
   */
  drain(visit: (record: TracerRecord) => void, final = false): number {
    let visited = 0;
    if (this.closed) return visited;
    for (;;) {
      this.head = this.readU64(OFF_HEAD);
      const count = Math.min(this.head - this.tail, this.slots);
      if (count <= 0) break;
      this.readSlots(this.readyOff, 8, this.tail, count, this.readyBuf);
      const data = this.dataBuf;
      this.readSlots(this.dataOff, this.slotSize, this.tail, count, data);
      let i = 0;
      while (i < count) {
        const seq = this.tail + i;
        const ready = this.readyWords[i * 2 + 1] * 4294967296 + this.readyWords[i * 2];
        if (ready !== seq + 1) {
          if (!final) break;
          this.abandoned++;
          i++;
          continue;
        }
        const off = i * this.slotSize;
        const len = data.readUInt16LE(off);
        const span = Math.ceil(len / this.slotSize);
        if (len < HEADER_SIZE || i + span > count) {
          this.malformed++;
          i++;
          continue;
        }
        try {
          visit(this.record.at(off, len));
          visited++;
        } catch {
          this.malformed++;
        }
        i += span;
      }
      if (i === 0) break;
      this.tail += i;
      this.word.writeUInt32LE(this.tail % 4294967296, 0);
      this.word.writeUInt32LE(Math.floor(this.tail / 4294967296), 4);
      fs.writeSync(this.fd, this.word, 0, 8, OFF_TAIL);
      if (i < count || this.head - this.tail <= 0) break;
    }
    return visited;
  }

  /** Slots reserved and not yet consumed, as of the last drain. */
  get pending(): boolean {
    return this.head > this.tail;
  }

  /** Tells producers still mapping it to write nothing more, and removes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const one = Buffer.alloc(4);
    one.writeUInt32LE(1, 0);
    try {
      fs.writeSync(this.fd, one, 0, 4, OFF_CLOSED);
      fs.closeSync(this.fd);
    } finally {
      fs.rmSync(path.dirname(this.path), { recursive: true, force: true });
    }
  }
}
