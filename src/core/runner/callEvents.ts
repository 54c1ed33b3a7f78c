import type { ArgValue, CallEvent } from '../protocol/events';
import { EVENT_SCHEMA_VERSION } from '../protocol/events';
import {
  epollEventNames, epollOpName, errnoName, familyName, fcntlCommandName, fileFlagNames, levelName, msgFlagNames,
  optionName, protocolName, shutdownName, socketFlagNames, typeName,
} from './names';
import { CALL_NAMES, FLAG_READY, type TracedCall, type TracerRecord } from './records';

/** Per call id (CALL_NAMES order): whether its return value counts bytes moved, whether it is a wait. */
const MOVES_BYTES = CALL_NAMES.map((c) => ['send', 'sendto', 'sendmsg', 'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'readv', 'writev'].includes(c));
const WAITS = CALL_NAMES.map((c) => c === 'select' || c === 'poll' || c === 'epoll_wait');

type ArgsOf = (r: TracerRecord) => Record<string, ArgValue>;
const socketArgs: ArgsOf = (r) => ({ family: familyName(r.arg(0)), type: typeName(r.arg(1)), protocol: protocolName(r.arg(2)) });
const lengthAndFlags: ArgsOf = (r) => ({ length: r.arg(0), flags: msgFlagNames(r.arg(1)) });
const msgFlags: ArgsOf = (r) => ({ flags: msgFlagNames(r.arg(1)) });
const length: ArgsOf = (r) => ({ length: r.arg(0) });
const iovcnt: ArgsOf = (r) => ({ iovcnt: r.arg(0) });
const timeout: ArgsOf = (r) => ({ timeoutMs: r.arg(1) });

/** How each call's numbers a[0..3] read as named arguments; calls not listed have none. */
const ARGS: Partial<Record<TracedCall, ArgsOf>> = {
  socket: socketArgs,
  socketpair: socketArgs,
  listen: (r) => ({ backlog: r.arg(0) }),
  accept4: (r) => ({ flags: socketFlagNames(r.arg(0)) }),
  send: lengthAndFlags,
  sendto: lengthAndFlags,
  recv: lengthAndFlags,
  recvfrom: lengthAndFlags,
  sendmsg: msgFlags,
  recvmsg: msgFlags,
  read: length,
  write: length,
  readv: iovcnt,
  writev: iovcnt,
  shutdown: (r) => ({ how: shutdownName(r.arg(0)) }),
  setsockopt: (r) => ({ level: levelName(r.arg(0)), option: optionName(r.arg(0), r.arg(1)), value: r.arg(3) >= 4 ? r.arg(2) : null, optlen: r.arg(3) }),
  dup2: (r) => ({ newfd: r.arg(0) }),
  dup3: (r) => ({ newfd: r.arg(0), flags: r.arg(1) ? 'O_CLOEXEC' : '0' }),
  fcntl: (r): Record<string, ArgValue> =>
    r.arg(0) === 4
      ? { command: fcntlCommandName(r.arg(0)), flags: fileFlagNames(r.arg(1)), nonblocking: (r.arg(1) & 0o4000) !== 0 }
      : { command: fcntlCommandName(r.arg(0)), minFd: r.arg(1) },
  fork: (r) => ({ child: r.ret > 0 ? r.ret : null }),
  select: (r) => ({ nfds: r.arg(2), timeoutMs: (r.flags & FLAG_READY) === 0 ? r.arg(1) : null }),
  poll: timeout,
  epoll_wait: timeout,
  epoll_ctl: (r) => ({ op: epollOpName(r.arg(0)), epfd: r.arg(1), events: epollEventNames(r.arg(2)) }),
  exit: (r): Record<string, ArgValue> => (r.arg(1) ? { code: null, returnedFromMain: true } : { code: r.arg(0) }),
};
const noArgs: ArgsOf = () => ({});
const ARGS_BY_ID: ArgsOf[] = CALL_NAMES.map((c) => ARGS[c] ?? noArgs);

/** A call event from the record `r` points at, without `seq`, `t` and `src` (the runner adds those). */
export function callEventOf(r: TracerRecord): CallEvent {
  const id = r.callId;
  const call = CALL_NAMES[id];
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
    args: ARGS_BY_ID[id](r),
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
  if (ret >= 0 && MOVES_BYTES[id]) ev.bytes = ret;
  const data = call !== 'hello' ? r.dataPreview() : null;
  if (data !== null) ev.data = data;
  const newFd = r.newFd;
  if (newFd >= 0) ev.newFd = newFd;
  if (call === 'socketpair' && r.nfds === 2) ev.fds = r.fds();
  if (WAITS[id]) {
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
