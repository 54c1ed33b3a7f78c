import type { ArgValue, CallEvent, ResolvedAddress } from '../protocol/events';
import { MESSAGE_COUNT_CALLS, RECEIVE_CALLS, SEND_CALLS, WAIT_CALLS } from '../protocol/callKinds';
import { EVENT_SCHEMA_VERSION } from '../protocol/events';
import {
  addrinfoFlagNames, epollEventNames, epollOpName, errnoName, familyName, fcntlCommandName, fileFlagNames, gaiErrorName,
  levelName, msgFlagNames, nameinfoFlagNames, optionName, protocolName, shutdownName, sockaddrText, socketFlagNames, typeName,
} from './names';
import { CALL_NAMES, FLAG_CLOSED_SOCKET, FLAG_HAS_PC, FLAG_READY, FLAG_UNREADABLE, type TracedCall, type TracerRecord } from './records';

/**
 * Per call id (CALL_NAMES order): whether its return value counts bytes moved, whether it counts messages with the
 * bytes in a[2] (sendmmsg/recvmmsg), whether it is a wait, whether its descriptors are a read set then a write set.
 */
const COUNTS_MESSAGES = CALL_NAMES.map((c) => MESSAGE_COUNT_CALLS.has(c));
const MOVES_BYTES = CALL_NAMES.map((c) => (SEND_CALLS.has(c) || RECEIVE_CALLS.has(c)) && !MESSAGE_COUNT_CALLS.has(c));
const WAITS = CALL_NAMES.map((c) => WAIT_CALLS.has(c));
const TWO_SETS = CALL_NAMES.map((c) => c === 'select' || c === 'pselect');
/** The resolver calls, whose data are their strings and results, not a payload preview. */
const RESOLVES = CALL_NAMES.map((c) => c === 'getaddrinfo' || c === 'getnameinfo');

type ArgsOf = (r: TracerRecord) => Record<string, ArgValue>;
const socketArgs: ArgsOf = (r) => ({ family: familyName(r.arg(0)), type: typeName(r.arg(1)), protocol: protocolName(r.arg(2)) });
const lengthAndFlags: ArgsOf = (r) => ({ length: r.arg(0), flags: msgFlagNames(r.arg(1)) });
const msgFlags: ArgsOf = (r) => ({ flags: msgFlagNames(r.arg(1)) });
const length: ArgsOf = (r) => ({ length: r.arg(0) });
const iovcnt: ArgsOf = (r) => ({ iovcnt: r.arg(0) });
const timeout: ArgsOf = (r) => ({ timeoutMs: r.arg(1) });
/** epoll_pwait: as epoll_wait, and whether a signal mask was passed. */
const timeoutAndMask: ArgsOf = (r) => ({ timeoutMs: r.arg(1), sigmask: r.arg(3) !== 0 });
const unreadable = (r: TracerRecord): boolean => (r.flags & FLAG_UNREADABLE) !== 0;
/** ppoll, epoll_pwait2: the timeout is a struct timespec the tracer copies; null when it could not be read. */
const copiedTimeoutAndMask: ArgsOf = (r) => ({ timeoutMs: unreadable(r) ? null : r.arg(1), sigmask: r.arg(3) !== 0 });
/** select, pselect: the timeout of the waiting phase (the call rewrites it), null when it could not be read. */
const selectTimeout = (r: TracerRecord): number | null => ((r.flags & (FLAG_READY | FLAG_UNREADABLE)) === 0 ? r.arg(1) : null);
/** The NUL-terminated strings that open a resolver record's data, and where the bytes after them start. */
function resolverStrings(r: TracerRecord, count: number): { texts: string[]; rest: number } {
  const b = r.dataBytes();
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nul = b.indexOf(0, at);
    const end = nul < 0 ? b.length : nul;
    texts.push(b.toString('utf8', at, end));
    at = end + 1;
  }
  return { texts, rest: at };
}

/** getaddrinfo: node and service (null when NULL was passed), and the hints (null each when no hints were given). */
function getaddrinfoArgs(r: TracerRecord): Record<string, ArgValue> {
  const given = r.arg(3);
  const [node, service] = resolverStrings(r, 2).texts;
  const hints = (given & 1) !== 0;
  return {
    node: given & 2 ? node : null,
    service: given & 4 ? service : null,
    family: hints ? familyName(r.arg(0)) : null,
    socktype: hints ? (r.arg(1) ? typeName(r.arg(1)) : '0') : null,
    flags: hints ? addrinfoFlagNames(r.arg(2)) : null,
  };
}

/** A getaddrinfo/getnameinfo record's results, failure code and gai_strerror text, onto its event. */
function addResolverResults(ev: CallEvent, r: TracerRecord): void {
  const getaddrinfo = ev.call === 'getaddrinfo';
  const { texts, rest } = resolverStrings(r, 3);
  if (ev.ret !== 0) {
    ev.errno = gaiErrorName(ev.ret);
    ev.errorText = r.err ? `${texts[2]}: ${errnoName(r.err)}` : texts[2];
    return;
  }
  if (!getaddrinfo) {
    if (r.arg(3) & 1) ev.host = texts[0];
    if (r.arg(3) & 2) ev.service = texts[1];
    return;
  }
  const b = r.dataBytes();
  const addresses: ResolvedAddress[] = [];
  for (let at = rest; at + 2 <= b.length; ) {
    const type = b[at];
    const len = b[at + 1];
    const address = sockaddrText(b, at + 2, Math.min(at + 2 + len, b.length));
    if (address) addresses.push({ address, type: typeName(type) });
    at += 2 + len;
  }
  ev.addresses = addresses;
}

const MSG_WAITFORONE = 0x10000;
/** recvmmsg's own MSG_WAITFORONE, then the usual message flags. */
function mmsgFlagNames(n: number): string {
  if (!(n & MSG_WAITFORONE)) return msgFlagNames(n);
  const rest = n & ~MSG_WAITFORONE;
  return rest ? `${msgFlagNames(rest)}|MSG_WAITFORONE` : 'MSG_WAITFORONE';
}
const mmsgArgs: ArgsOf = (r) => ({ vlen: r.arg(0), flags: mmsgFlagNames(r.arg(1)) });
/** offset: where in the file it started; null when NULL was passed (the file's own position); unknown after a failure. */
const sendfileArgs: ArgsOf = (r): Record<string, ArgValue> => {
  if (r.arg(3) === 0) return { inFd: r.arg(0), count: r.arg(1), offset: null };
  return r.ret >= 0 ? { inFd: r.arg(0), count: r.arg(1), offset: r.arg(2) } : { inFd: r.arg(0), count: r.arg(1) };
};

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
  setsockopt: (r) => ({
    level: levelName(r.arg(0)), option: optionName(r.arg(0), r.arg(1)), value: r.arg(3) >= 4 && !unreadable(r) ? r.arg(2) : null, optlen: r.arg(3),
  }),
  dup2: (r) => ({ newfd: r.arg(0) }),
  dup3: (r) => ({ newfd: r.arg(0), flags: r.arg(1) ? 'O_CLOEXEC' : '0' }),
  fcntl: (r): Record<string, ArgValue> => {
    const command = fcntlCommandName(r.arg(0));
    if (r.arg(0) === 4) return { command, flags: fileFlagNames(r.arg(1)), nonblocking: (r.arg(1) & 0o4000) !== 0 };
    // F_SETOWN: the process (or, negative, the process group) SIGURG and SIGIO go to; an int in the caller
    if (r.arg(0) === 8) return { command, owner: r.arg(1) | 0 };
    return { command, minFd: r.arg(1) };
  },
  fork: (r) => ({ child: r.ret > 0 ? r.ret : null }),
  select: (r) => ({ nfds: r.arg(2), timeoutMs: selectTimeout(r) }),
  pselect: (r) => ({ nfds: r.arg(2), timeoutMs: selectTimeout(r), sigmask: r.arg(3) !== 0 }),
  poll: timeout,
  ppoll: copiedTimeoutAndMask,
  epoll_wait: timeout,
  epoll_pwait: timeoutAndMask,
  epoll_pwait2: copiedTimeoutAndMask,
  sendmmsg: mmsgArgs,
  recvmmsg: mmsgArgs,
  sendfile: sendfileArgs,
  epoll_ctl: (r) => ({ op: epollOpName(r.arg(0)), epfd: r.arg(1), events: unreadable(r) ? null : epollEventNames(r.arg(2)) }),
  exit: (r): Record<string, ArgValue> => (r.arg(1) ? { code: null, returnedFromMain: true } : { code: r.arg(0) }),
  epoll_create: (r) => ({ size: r.arg(0) }),
  epoll_create1: (r) => ({ flags: r.arg(0) & 0o2000000 ? 'EPOLL_CLOEXEC' : '0' }),
  getaddrinfo: getaddrinfoArgs,
  getnameinfo: (r) => ({ flags: nameinfoFlagNames(r.arg(0)) }),
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
  else if (ret >= 0 && COUNTS_MESSAGES[id]) ev.bytes = r.arg(2);
  if (call === 'getaddrinfo' || call === 'getnameinfo') addResolverResults(ev, r);
  if (flags & FLAG_CLOSED_SOCKET) ev.closedSocket = true;
  const data = call !== 'hello' && !RESOLVES[id] ? r.dataPreview() : null;
  if (data !== null) ev.data = data;
  const newFd = r.newFd;
  if (newFd >= 0) ev.newFd = newFd;
  if (call === 'socketpair' && r.nfds === 2) ev.fds = r.fds();
  if (WAITS[id]) {
    const ready = (flags & FLAG_READY) !== 0;
    const fds = r.fds();
    ev.phase = ready ? 'ready' : 'waiting';
    // select lists the read set first (a[0] of them), then the write set
    const split = TWO_SETS[id] && fds.length > r.arg(0) ? r.arg(0) : fds.length;
    const reads = split < fds.length ? fds.slice(0, split) : fds;
    const writes = split < fds.length ? fds.slice(split) : null;
    if (ready) {
      ev.readyFds = reads;
      if (writes) ev.readyWriteFds = writes;
    } else if (fds.length > 0 || !unreadable(r)) {
      // no list at all when the descriptors the program passed could not be read: not an empty set
      ev.watchFds = reads;
      if (writes) ev.watchWriteFds = writes;
    }
  }
  return ev;
}

/** A program's write to its stdout (fd 1) or stderr (fd 2), from an `output` record: not a call event. */
export interface OutputWrite {
  pid: number;
  fd: 1 | 2;
  /** Bytes written (the return value); −1 when the write failed. */
  bytes: number;
  /** When the write returned: CLOCK_MONOTONIC microseconds, the clock of every record's `tUs`. */
  tUs: number;
  /** Where in the executable the program called printf, puts, fprintf, write … (as a record's `pc`), or null. */
  pc: number | null;
}

/** The write an `output` record (r.call === 'output') stands for. */
export function outputWriteOf(r: TracerRecord): OutputWrite {
  return { pid: r.pid, fd: r.fd === 2 ? 2 : 1, bytes: r.ret, tUs: r.tUs, pc: r.flags & FLAG_HAS_PC ? r.pc : null };
}
