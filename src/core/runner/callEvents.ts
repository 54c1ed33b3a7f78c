import type { ArgValue, CallEvent } from '../protocol/events';
import { EVENT_SCHEMA_VERSION } from '../protocol/events';
import {
  epollEventNames, epollOpName, errnoName, familyName, fcntlCommandName, fileFlagNames, levelName, msgFlagNames,
  optionName, previewText, protocolName, shutdownName, sockaddrText, socketFlagNames, typeName,
} from './names';
import { FLAG_READY, type RawRecord } from './records';

const DATA_CALLS = new Set(['send', 'sendto', 'sendmsg', 'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'readv', 'writev']);

function decodeArgs(r: RawRecord): Record<string, ArgValue> {
  const [a0, a1, a2, a3] = r.a;
  switch (r.call) {
    case 'socket':
    case 'socketpair':
      return { family: familyName(a0), type: typeName(a1), protocol: protocolName(a2) };
    case 'listen':
      return { backlog: a0 };
    case 'accept4':
      return { flags: socketFlagNames(a0) };
    case 'send':
    case 'sendto':
    case 'recv':
    case 'recvfrom':
      return { length: a0, flags: msgFlagNames(a1) };
    case 'sendmsg':
    case 'recvmsg':
      return { flags: msgFlagNames(a1) };
    case 'read':
    case 'write':
      return { length: a0 };
    case 'readv':
    case 'writev':
      return { iovcnt: a0 };
    case 'shutdown':
      return { how: shutdownName(a0) };
    case 'setsockopt':
      return { level: levelName(a0), option: optionName(a0, a1), value: a3 >= 4 ? a2 : null, optlen: a3 };
    case 'dup2':
      return { newfd: a0 };
    case 'dup3':
      return { newfd: a0, flags: a1 ? 'O_CLOEXEC' : '0' };
    case 'fcntl':
      return a0 === 4
        ? { command: fcntlCommandName(a0), flags: fileFlagNames(a1), nonblocking: (a1 & 0o4000) !== 0 }
        : { command: fcntlCommandName(a0), minFd: a1 };
    case 'fork':
      return { child: r.ret > 0 ? r.ret : null };
    case 'select':
      return { nfds: a2, timeoutMs: (r.flags & FLAG_READY) === 0 ? a1 : null };
    case 'poll':
    case 'epoll_wait':
      return { timeoutMs: a1 };
    case 'epoll_ctl':
      return { op: epollOpName(a0), epfd: a1, events: epollEventNames(a2) };
    case 'exit':
      return a1 ? { code: null, returnedFromMain: true } : { code: a0 };
    default:
      return {};
  }
}

/** A call event from one tracer record, without `seq`, `t` and `src` (the runner adds those). */
export function callEventOf(r: RawRecord): CallEvent {
  const ev: CallEvent = {
    v: EVENT_SCHEMA_VERSION,
    seq: 0,
    t: 0,
    kind: 'call',
    pid: r.pid,
    tid: r.tid,
    call: r.call,
    fd: r.fd >= 0 ? r.fd : null,
    ret: r.ret,
    errno: r.ret < 0 && r.err ? errnoName(r.err) : null,
    args: decodeArgs(r),
  };
  const local = r.local ? sockaddrText(r.local) : null;
  const peer = r.peer ? sockaddrText(r.peer) : null;
  if (local) ev.local = local;
  if (peer) ev.peer = peer;
  if (DATA_CALLS.has(r.call) && r.ret >= 0) ev.bytes = r.ret;
  if (r.data && r.call !== 'hello') ev.data = previewText(r.data);
  if (r.newFd >= 0) ev.newFd = r.newFd;
  if (r.call === 'socketpair' && r.fds.length === 2) ev.fds = r.fds;
  if (r.call === 'select' || r.call === 'poll' || r.call === 'epoll_wait') {
    const ready = (r.flags & FLAG_READY) !== 0;
    ev.phase = ready ? 'ready' : 'waiting';
    if (ready) ev.readyFds = r.fds;
    else ev.watchFds = r.fds;
    if (r.call === 'select') {
      // the tracer lists the read set first (a[0] of them), then the write set
      const split = r.a[0];
      if (r.fds.length > split) {
        if (ready) {
          ev.readyFds = r.fds.slice(0, split);
          ev.readyWriteFds = r.fds.slice(split);
        } else {
          ev.watchFds = r.fds.slice(0, split);
          ev.watchWriteFds = r.fds.slice(split);
        }
      }
    }
  }
  return ev;
}
