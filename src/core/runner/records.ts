/**
 * Decodes the tracer's binary records (tracer/protocol.h); ring.ts hands them over in batches.
 * Keep HEADER_SIZE, the offsets and CALL_NAMES in step with protocol.h.
 */

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

function i64(b: Buffer, off: number): number {
  return b.readInt32LE(off + 4) * 4294967296 + b.readUInt32LE(off);
}

function u64(b: Buffer, off: number): number {
  return b.readUInt32LE(off + 4) * 4294967296 + b.readUInt32LE(off);
}

export class MalformedRecordError extends Error {}

/** A copy of b[start, end): the ring's buffer is reused by the next drain. One typed array, no view in between. */
function copyOf(b: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  b.copy(out, 0, start, end);
  return out;
}

/** The record of `len` bytes at `off` (its buffers are copies: `b` may be reused). */
export function decodeRecord(b: Buffer, off: number, len: number): RawRecord {
  const callId = b[off + 2];
  const call = CALL_NAMES[callId];
  if (call === undefined) throw new MalformedRecordError(`unknown call id ${callId}`);
  const localLen = b.readUInt16LE(off + 80);
  const peerLen = b.readUInt16LE(off + 82);
  const dataLen = b.readUInt16LE(off + 84);
  const nfds = b.readUInt16LE(off + 86);
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
    pid: b.readUInt32LE(off + 4),
    tid: b.readUInt32LE(off + 8),
    fd: b.readInt32LE(off + 12),
    tUs: u64(b, off + 16),
    ret: i64(b, off + 24),
    err: b.readInt32LE(off + 32),
    newFd: b.readInt32LE(off + 36),
    pc: u64(b, off + 40),
    a: [i64(b, off + 48), i64(b, off + 56), i64(b, off + 64), i64(b, off + 72)],
    local,
    peer,
    data,
    fds,
  };
}
