/**
 * Decodes the tracer's binary records (tracer/protocol.h); ring.ts hands them over in batches.
 * Keep HEADER_SIZE, the offsets and CALL_NAMES in step with protocol.h.
 */
import * as os from 'node:os';

export const HEADER_SIZE = 88;

/** Indexed by `enum sl_call`. */
export const CALL_NAMES = [
  'hello', 'socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect',
  'send', 'sendto', 'sendmsg', 'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'readv', 'writev',
  'close', 'shutdown', 'setsockopt', 'dup', 'dup2', 'dup3', 'fcntl', 'fork', 'select', 'poll',
  'epoll_wait', 'epoll_ctl', 'exit',
] as const;
export type TracedCall = (typeof CALL_NAMES)[number];

export const FLAG_READY = 1;
export const FLAG_HAS_PC = 2;

export interface RawRecord {
  call: TracedCall;
  flags: number;
  pid: number;
  tid: number;
  fd: number;
  /** CLOCK_MONOTONIC microseconds. */
  tUs: number;
  ret: number;
  err: number;
  newFd: number;
  /** Offset into the main executable of the calling instruction; meaningful when flags & FLAG_HAS_PC. */
  pc: number;
  a: [number, number, number, number];
  local: Buffer | null;
  peer: Buffer | null;
  data: Buffer | null;
  fds: number[];
}

/** The tracer writes native words and every Linux target here (x86_64, aarch64) is little-endian. */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** 32-bit views of the buffer last decoded from (the ring reuses one buffer): aligned fields are read as words. */
let viewOf: Buffer | null = null;
let i32: Int32Array<ArrayBufferLike> = new Int32Array(0);
let u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

function wordsOf(b: Buffer): void {
  if (viewOf === b) return;
  viewOf = b;
  const aligned = b.byteOffset % 4 === 0;
  i32 = aligned ? new Int32Array(b.buffer, b.byteOffset, b.length >>> 2) : new Int32Array(0);
  u32 = aligned ? new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2) : new Uint32Array(0);
}

export class MalformedRecordError extends Error {}

/** A copy of b[start, end): the ring's buffer is reused by the next drain. One typed array, no view in between. */
function copyOf(b: Buffer, start: number, end: number): Buffer {
  const n = end - start;
  const out = Buffer.allocUnsafe(n);
  // the parts are short (a sockaddr, at most 64 data bytes): a plain loop beats the native copy call
  if (n <= 128) for (let i = 0; i < n; i++) out[i] = b[start + i];
  else b.copy(out, 0, start, end);
  return out;
}

/** The record of `len` bytes at `off` (its buffers are copies: `b` may be reused). */
export function decodeRecord(b: Buffer, off: number, len: number): RawRecord {
  const callId = b[off + 2];
  const call = CALL_NAMES[callId];
  if (call === undefined) throw new MalformedRecordError(`unknown call id ${callId}`);
  if (!LITTLE_ENDIAN) throw new MalformedRecordError('tracer records are little-endian; this host is not');
  if (off < 0 || off + Math.max(len, HEADER_SIZE) > b.length) throw new MalformedRecordError(`record of ${len} bytes at ${off} runs past the buffer`);
  wordsOf(b);
  // fields are read as 32-bit words; a record that is not 4-byte aligned (never one from the ring) is copied first
  const w = (b.byteOffset + off) % 4 === 0 && i32.length > 0 ? (off >>> 2) : -1;
  if (w < 0) {
    const aligned = Buffer.alloc(len); // never pooled: its own memory, offset 0
    b.copy(aligned, 0, off, off + len);
    return decodeRecord(aligned, 0, len);
  }
  const localLen = u32[w + 20] & 0xffff;
  const peerLen = u32[w + 20] >>> 16;
  const dataLen = u32[w + 21] & 0xffff;
  const nfds = u32[w + 21] >>> 16;
  let p = off + HEADER_SIZE;
  if (HEADER_SIZE + localLen + peerLen + dataLen + nfds * 4 !== len) throw new MalformedRecordError(`record length ${len} does not add up`);
  const local = localLen ? copyOf(b, p, p + localLen) : null;
  p += localLen;
  const peer = peerLen ? copyOf(b, p, p + peerLen) : null;
  p += peerLen;
  const data = dataLen ? copyOf(b, p, p + dataLen) : null;
  p += dataLen;
  const fds: number[] = [];
  for (let i = 0; i < nfds; i++, p += 4) fds.push(b.readInt32LE(p));
  return {
    call,
    flags: b[off + 3],
    pid: u32[w + 1],
    tid: u32[w + 2],
    fd: i32[w + 3],
    tUs: u32[w + 5] * 4294967296 + u32[w + 4],
    ret: i32[w + 7] * 4294967296 + u32[w + 6],
    err: i32[w + 8],
    newFd: i32[w + 9],
    pc: u32[w + 11] * 4294967296 + u32[w + 10],
    a: [i32[w + 13] * 4294967296 + u32[w + 12], i32[w + 15] * 4294967296 + u32[w + 14], i32[w + 17] * 4294967296 + u32[w + 16], i32[w + 19] * 4294967296 + u32[w + 18]],
    local,
    peer,
    data,
    fds,
  };
}
