import type { ArgValue, CallEvent } from '../protocol/events';
import { EVENT_SCHEMA_VERSION } from '../protocol/events';
import {
  epollEventNames, epollOpName, errnoName, familyName, fcntlCommandName, fileFlagNames, levelName, msgFlagNames,
  optionName, protocolName, shutdownName, socketFlagNames, typeName,
} from './names';
import { FLAG_READY, type TracedCall, type TracerRecord } from './records';

const DATA_CALLS = new Set<TracedCall>(['send', 'sendto', 'sendmsg', 'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'readv', 'writev']);
const WAIT_CALLS = new Set<TracedCall>(['select', 'poll', 'epoll_wait']);

function decodeArgs(r: TracerRecord, call: TracedCall): Record<string, ArgValue> {
  switch (call) {
    case 'socket':
    case 'socketpair':
      return { family: familyName(r.arg(0)), type: typeName(r.arg(1)), protocol: protocolName(r.arg(2)) };
    case 'listen':
      return { backlog: r.arg(0) };
    case 'accept4':
      return { flags: socketFlagNames(r.arg(0)) };
    case 'send':
    case 'sendto':
    case 'recv':
    case 'recvfrom':
      return { length: r.arg(0), flags: msgFlagNames(r.arg(1)) };
    case 'sendmsg':
    case 'recvmsg':
      return { flags: msgFlagNames(r.arg(1)) };
    case 'read':
    case 'write':
      return { length: r.arg(0) };
    case 'readv':
    case 'writev':
      return { iovcnt: r.arg(0) };
    case 'shutdown':
      return { how: shutdownName(r.arg(0)) };
    case 'setsockopt':
      return { level: levelName(r.arg(0)), option: optionName(r.arg(0), r.arg(1)), value: r.arg(3) >= 4 ? r.arg(2) : null, optlen: r.arg(3) };
    case 'dup2':
      return { newfd: r.arg(0) };
    case 'dup3':
      return { newfd: r.arg(0), flags: r.arg(1) ? 'O_CLOEXEC' : '0' };
    case 'fcntl':
      return r.arg(0) === 4
        ? { command: fcntlCommandName(r.arg(0)), flags: fileFlagNames(r.arg(1)), nonblocking: (r.arg(1) & 0o4000) !== 0 }
        : { command: fcntlCommandName(r.arg(0)), minFd: r.arg(1) };
    case 'fork':
      return { child: r.ret > 0 ? r.ret : null };
    case 'select':
      return { nfds: r.arg(2), timeoutMs: (r.flags & FLAG_READY) === 0 ? r.arg(1) : null };
    case 'poll':
    case 'epoll_wait':
      return { timeoutMs: r.arg(1) };
    case 'epoll_ctl':
      return { op: epollOpName(r.arg(0)), epfd: r.arg(1), events: epollEventNames(r.arg(2)) };
    case 'exit':
      return r.arg(1) ? { code: null, returnedFromMain: true } : { code: r.arg(0) };
    default:
      return {};
  }
}

/** A call event from the record `r` points at, without `seq`, `t` and `src` (the runner adds those). */
export function callEventOf(r: TracerRecord): CallEvent {
  const call = r.call;
  const ret = r.ret;
  const err = r.err;
  const flags = r.flags;
  const ev: CallEvent = {
    v: EVENT_SCHEMA_VERSION,
    seq: 0,
    t: 0,
    kind: 'call',
    pid: r.pid,
    tid: r.tid,
    call,
    fd: r.fd >= 0 ? r.fd : null,
    ret,
    errno: ret < 0 && err ? errnoName(err) : null,
    args: decodeArgs(r, call),
    local: undefined,
    peer: undefined,
    bytes: undefined,
    data: undefined,
    newFd: undefined,
    src: undefined,
  };
  const local = r.localText();
  const peer = r.peerText();
  if (local) ev.local = local;
  if (peer) ev.peer = peer;
  if (ret >= 0 && DATA_CALLS.has(call)) ev.bytes = ret;
  const data = call !== 'hello' ? r.dataPreview() : null;
  if (data !== null) ev.data = data;
  const newFd = r.newFd;
  if (newFd >= 0) ev.newFd = newFd;
  if (call === 'socketpair' && r.nfds === 2) ev.fds = r.fds();
  if (WAIT_CALLS.has(call)) {
    const ready = (flags & FLAG_READY) !== 0;
    const fds = r.fds();
    ev.phase = ready ? 'ready' : 'waiting';
    // select lists the read set first (a[0] of them), then the write set
    const split = call === 'select' && fds.length > r.arg(0) ? r.arg(0) : fds.length;
    const reads = split < fds.length ? fds.slice(0, split) : fds;
    const writes = split < fds.length ? fds.slice(split) : null;
    if (ready) {
      ev.readyFds = reads;
      if (writes) ev.readyWriteFds = writes;
    } else {
      ev.watchFds = reads;
      if (writes) ev.watchWriteFds = writes;
    }
  }
  return ev;
}
