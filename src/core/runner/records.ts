/**
 * Reads the tracer's binary records (tracer/protocol.h) where they lie in the ring's drain buffer: a record is
 * visited through one reusable TracerRecord view, so draining allocates nothing per record; only what a consumer
 * asks for (an address, a data preview) becomes a string. Keep HEADER_SIZE, the offsets and CALL_NAMES in step
 * with protocol.h.
 */
import * as os from 'node:os';
import { previewText, sockaddrText } from './names';

export const HEADER_SIZE = 88;

/** Indexed by `enum sl_call`. */
export const CALL_NAMES = [
  'hello', 'socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect',
  'send', 'sendto', 'sendmsg', 'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'readv', 'writev',
  'close', 'shutdown', 'setsockopt', 'dup', 'dup2', 'dup3', 'fcntl', 'fork', 'select', 'poll',
  'epoll_wait', 'epoll_ctl', 'exit',
  // appended: existing ids keep their numbers
  'ppoll', 'pselect', 'epoll_pwait', 'epoll_pwait2', 'sendmmsg', 'recvmmsg', 'sendfile',
  'epoll_create', 'epoll_create1', 'getaddrinfo', 'getnameinfo',
  // not a call: the program wrote to its stdout or stderr (see outputWriteOf)
  'output',
] as const;
export type TracedCall = (typeof CALL_NAMES)[number];

export const FLAG_READY = 1;
export const FLAG_HAS_PC = 2;
/** Memory the caller's pointer named could not be read (a bad pointer): what it held is absent from the record. */
export const FLAG_UNREADABLE = 4;
/** The call failed with EBADF on a descriptor that was a socket until this process closed it (close, fclose). */
export const FLAG_CLOSED_SOCKET = 8;

/** The tracer writes native words and every Linux target here (x86_64, aarch64) is little-endian. */
const LITTLE_ENDIAN = os.endianness() === 'LE';

export class MalformedRecordError extends Error {}

/**
 * One record of a buffer, read in place. `at()` points it at a record; everything read from it is valid until
 * the next `at()` (the ring reuses its buffer), so a consumer keeps numbers and strings, never the view.
 */
export class TracerRecord {
  private readonly buf: Buffer;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  /** Word index of the record's first byte. */
  private w = 0;
  private off = 0;
  /** Whole record, header included. */
  len = 0;

  /**
   * A view over `buf`, which must start 4-byte aligned in its memory (the ring's drain buffer does). One view per
   * buffer: optimized code that met one buffer is not thrown away when the next run brings another.
   */
  constructor(buf: Buffer) {
    if (!LITTLE_ENDIAN) throw new MalformedRecordError('tracer records are little-endian; this host is not');
    if (buf.byteOffset % 4 !== 0) throw new MalformedRecordError('record buffers must be 4-byte aligned');
    this.buf = buf;
    this.i32 = new Int32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
    this.u32 = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
  }

  /**
   * Points the view at the record of `len` bytes at `off`, a 4-byte multiple (the ring's slots are). Throws
   * MalformedRecordError for a record that cannot be read.
   */
  at(off: number, len: number): this {
    const buf = this.buf;
    if (off % 4 !== 0 || off < 0 || len < HEADER_SIZE || off + len > buf.length) {
      throw new MalformedRecordError(`record of ${len} bytes at ${off} does not fit the buffer`);
    }
    if (CALL_NAMES[buf[off + 2]] === undefined) throw new MalformedRecordError(`unknown call id ${buf[off + 2]}`);
    this.off = off;
    this.w = off >>> 2;
    this.len = len;
    if (HEADER_SIZE + this.localLen + this.peerLen + this.dataLen + this.nfds * 4 !== len) {
      throw new MalformedRecordError(`record length ${len} does not add up`);
    }
    return this;
  }

  get call(): TracedCall {
    return CALL_NAMES[this.buf[this.off + 2]];
  }

  /** The call's index in CALL_NAMES (`enum sl_call`). */
  get callId(): number {
    return this.buf[this.off + 2];
  }

  get flags(): number {
    return this.buf[this.off + 3];
  }

  get pid(): number {
    return this.u32[this.w + 1];
  }

  get tid(): number {
    return this.u32[this.w + 2];
  }

  get fd(): number {
    return this.i32[this.w + 3];
  }

  /** CLOCK_MONOTONIC microseconds. */
  get tUs(): number {
    return this.u32[this.w + 5] * 4294967296 + this.u32[this.w + 4];
  }

  get ret(): number {
    return this.i32[this.w + 7] * 4294967296 + this.u32[this.w + 6];
  }

  get err(): number {
    return this.i32[this.w + 8];
  }

  get newFd(): number {
    return this.i32[this.w + 9];
  }

  /** Offset into the main executable of the calling instruction; meaningful when flags & FLAG_HAS_PC. */
  get pc(): number {
    return this.u32[this.w + 11] * 4294967296 + this.u32[this.w + 10];
  }

  /** The call-specific numbers a[0..3] (see docs/runner.md). */
  arg(i: 0 | 1 | 2 | 3): number {
    const w = this.w + 12 + i * 2;
    return this.i32[w + 1] * 4294967296 + this.u32[w];
  }

  get localLen(): number {
    return this.u32[this.w + 20] & 0xffff;
  }

  get peerLen(): number {
    return this.u32[this.w + 20] >>> 16;
  }

  get dataLen(): number {
    return this.u32[this.w + 21] & 0xffff;
  }

  get nfds(): number {
    return this.u32[this.w + 21] >>> 16;
  }

  /** "0.0.0.0:9190", "[::1]:5000", a Unix path; null when the record has no local address. */
  localText(): string | null {
    const n = this.localLen;
    const start = this.off + HEADER_SIZE;
    return n ? sockaddrText(this.buf, start, start + n) : null;
  }

  peerText(): string | null {
    const n = this.peerLen;
    const start = this.off + HEADER_SIZE + this.localLen;
    return n ? sockaddrText(this.buf, start, start + n) : null;
  }

  /** The data bytes as escaped printable text (a payload preview), or null when there are none. */
  dataPreview(): string | null {
    const n = this.dataLen;
    const start = this.off + HEADER_SIZE + this.localLen + this.peerLen;
    return n ? previewText(this.buf, start, start + n) : null;
  }

  /** The data bytes themselves, valid until the next `at()` (the resolver records' strings and results). */
  dataBytes(): Buffer {
    const start = this.off + HEADER_SIZE + this.localLen + this.peerLen;
    return this.buf.subarray(start, start + this.dataLen);
  }

  /** The data bytes as UTF-8 (the executable path of a hello record). */
  dataText(): string {
    const start = this.off + HEADER_SIZE + this.localLen + this.peerLen;
    return this.buf.toString('utf8', start, start + this.dataLen);
  }

  /** Whether `saved` (filled by saveInto) holds this very record but for its time stamp. */
  sameAsSaved(saved: Buffer, savedLen: number): boolean {
    if (savedLen !== this.len) return false;
    const o = this.off;
    // bytes 16..24 are t_us; everything else (call, flags, pid, tid, fd, result, errno, call site, arguments, data) must match
    return this.buf.compare(saved, 0, 16, o, o + 16) === 0 && this.buf.compare(saved, 24, savedLen, o + 24, o + savedLen) === 0;
  }

  /** Copies the record into `target` (at least `len` bytes). */
  saveInto(target: Buffer): void {
    this.buf.copy(target, 0, this.off, this.off + this.len);
  }

  /** A copy of the whole record, to keep past the view's next `at()`. */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(this.off, this.off + this.len));
  }

  /** The descriptors the record lists (select/poll/epoll_wait, socketpair). */
  fds(): number[] {
    const n = this.nfds;
    const start = (this.off + HEADER_SIZE + this.localLen + this.peerLen + this.dataLen) >>> 2;
    const out: number[] = [];
    // the descriptor list starts 4-byte aligned only when the variable parts before it add up to a multiple of 4
    if ((this.localLen + this.peerLen + this.dataLen) % 4 === 0) for (let i = 0; i < n; i++) out.push(this.i32[start + i]);
    else for (let i = 0, p = this.off + this.len - n * 4; i < n; i++, p += 4) out.push(this.buf.readInt32LE(p));
    return out;
  }
}
