/**
 * Decodes the tracer's binary records (tracer/protocol.h) from one process's byte stream, in batches.
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

function decodeOne(b: Buffer, off: number, len: number): RawRecord {
  const callId = b[off + 2];
  const call = CALL_NAMES[callId];
  if (call === undefined) throw new MalformedRecordError(`unknown call id ${callId}`);
  const localLen = b.readUInt16LE(off + 80);
  const peerLen = b.readUInt16LE(off + 82);
  const dataLen = b.readUInt16LE(off + 84);
  const nfds = b.readUInt16LE(off + 86);
  let p = off + HEADER_SIZE;
  if (HEADER_SIZE + localLen + peerLen + dataLen + nfds * 4 !== len) throw new MalformedRecordError(`record length ${len} does not add up`);
  const local = localLen ? b.subarray(p, p + localLen) : null;
  p += localLen;
  const peer = peerLen ? b.subarray(p, p + peerLen) : null;
  p += peerLen;
  const data = dataLen ? b.subarray(p, p + dataLen) : null;
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

/** Accumulates one stream's bytes and returns the complete records so far. */
export class RecordStream {
  private pending: Buffer | null = null;

  push(chunk: Buffer): RawRecord[] {
    const b = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: RawRecord[] = [];
    let off = 0;
    while (b.length - off >= 2) {
      const len = b.readUInt16LE(off);
      if (len < HEADER_SIZE) throw new MalformedRecordError(`record length ${len} shorter than the header`);
      if (b.length - off < len) break;
      out.push(decodeOne(b, off, len));
      off += len;
    }
    this.pending = off < b.length ? Buffer.from(b.subarray(off)) : null;
    return out;
  }

  /** Bytes of an incomplete record left over (non-zero at end of stream means a truncated record). */
  get leftover(): number {
    return this.pending?.length ?? 0;
  }
}
