/**
 * The run model: one fold of the event stream (schema v2, docs/events.md) into what a run is right now —
 * sockets per process and descriptor, the server's steps, services, test clients, problems, processes and how
 * the run ended. The runner, the CLI, the extension (status bar, live client) and the panel all read it.
 *
 * `reduce(state, event)` is deterministic and does no I/O; it updates `state` in place and returns it, because a
 * run can have hundreds of thousands of events and copying the model for each would cost more than the run.
 */
import { MESSAGE_COUNT_CALLS, RECEIVE_CALLS, SEND_CALLS, WAIT_CALLS, isRoutineErrno } from '../protocol/callKinds';
import type { CallEvent, CompileDiagnostic, SockLensEvent, SourceLocation, TcpStateEvent } from '../protocol/events';
import { isInet, parseAddress, type InetAddress, type SocketAddress } from './address';
import { addProblem, problemOfCall, problemOfEvent, type Problem } from './problems';

export type { Problem } from './problems';

/** What a descriptor is for: an accepted socket is a conversation with one caller. */
export type SocketRole = 'socket' | 'listening' | 'conversation' | 'client' | 'udp' | 'epoll';
/** The program's view of the descriptor, from its own calls (the kernel's TCP state is `tcp`). */
export type SocketPhase = 'open' | 'bound' | 'listening' | 'connecting' | 'connected' | 'peer-closed' | 'shut-down' | 'closed';

export interface KernelTcpState {
  state: TcpStateEvent['state'];
  seq: number;
  acceptQueue?: number;
  backlog?: number;
  /** The kernel still keeps the connection after the program closed it. */
  afterClose?: boolean;
  expiresInMs?: number;
}

export interface SocketEntry {
  /** Unique, in creation order (a descriptor number is reused after close; the closed entry stays). */
  id: number;
  /** The entry this one was copied from through fork(), or its own id: one connection, however many holders. */
  origin: number;
  pid: number;
  fd: number;
  role: SocketRole;
  state: SocketPhase;
  /** socket()'s family and type as the tracer names them ("AF_INET", "SOCK_STREAM|SOCK_NONBLOCK"). */
  family?: string;
  type?: string;
  datagram: boolean;
  local?: SocketAddress;
  peer?: SocketAddress;
  tcp?: KernelTcpState;
  bytesIn: number;
  bytesOut: number;
  createdAt?: SourceLocation;
  createdSeq: number;
  closedSeq?: number;
  /** The pid of the parent this descriptor came from through fork(). */
  inheritedFrom?: number;
  backlog?: number;
  /** For a conversation: the listening descriptor it was accepted on. */
  acceptedFrom?: number;
  lastErrno?: string;
  /** Position in the fold (seq can repeat or be 0 before the runner numbers events): orders copies at fork(). */
  order: number;
}

export type StepName = 'socket' | 'bind' | 'listen' | 'accept' | 'connect';

export interface StepStatus {
  reached: boolean;
  /** How many times the call succeeded (accept: callers answered). */
  count: number;
  /** The first success (or the latest failure while never reached). */
  seq?: number;
  src?: SourceLocation;
  fd?: number;
  address?: SocketAddress;
  backlog?: number;
  /** bind: the socket is a datagram (UDP) socket. */
  datagram?: boolean;
  errno?: string;
  problem?: Problem;
  /** listen: the kernel's accept queue (callers completed and waiting for accept()), from tcp-state. */
  queue?: { waiting: number; backlog: number };
}

/** An address the program serves on: a listening TCP socket, or a bound datagram socket. */
export interface Service {
  transport: 'tcp' | 'udp';
  address: InetAddress;
  pid: number;
  fd: number;
  seq: number;
}

export interface Blocked {
  call: string;
  fd: number | null;
  seq: number;
  src?: SourceLocation;
  /** select/poll/epoll: the descriptors watched. */
  watchFds?: number[];
}

export interface ProcessEntry {
  pid: number;
  ppid: number | null;
  argv: string[];
  /** Running, waiting inside a call the tracer reported before it blocks, or gone. */
  status: 'running' | 'blocked' | 'exited';
  blockedIn?: Blocked;
  /** The latest call the process made (returned), so "what is it doing" has an answer between calls. */
  lastCall?: Blocked;
  exit?: ExitInfo;
}

export interface ExitInfo {
  seq: number;
  pid: number;
  code: number | null;
  signal: string | null;
  reason: string;
}

export interface StopInfo {
  seq: number;
  reason: 'exited' | 'stop' | 'timeout';
  portsFreed: boolean;
}

export type ClientState = 'connecting' | 'connected' | 'closed' | 'error';
export interface ClientLine {
  seq: number;
  direction: 'sent' | 'received' | 'error';
  text: string;
}
export interface ClientSession {
  id: number;
  state: ClientState;
  address?: string;
  lines: ClientLine[];
  /** The user pressed Disconnect (so a close that follows is theirs). */
  closing?: boolean;
  /** The server closed the connection (not the user's Disconnect). */
  closedByServer?: boolean;
}

export interface CompileStatus {
  state: 'none' | 'compiling' | 'ok' | 'failed';
  cached: boolean;
  compiler?: string;
  diagnostics: CompileDiagnostic[];
}

export interface RunState {
  /** Every socket entry kept, in creation order: the open ones and the newest MAX_CLOSED_SOCKETS closed ones. */
  sockets: SocketEntry[];
  /** Open entries by "pid:fd". */
  open: Map<string, SocketEntry>;
  /** The newest entry (open or closed) by "pid:fd", and by fd number in any process. */
  newestByKey: Map<string, SocketEntry>;
  newestByFd: Map<number, SocketEntry>;
  /** Parent of each forked process and the fold position of the fork (from the fork call, else process-started). */
  parents: Map<number, { ppid: number; order: number }>;
  steps: Record<StepName, StepStatus>;
  services: Service[];
  problems: Problem[];
  processes: Map<number, ProcessEntry>;
  exits: ExitInfo[];
  clients: Map<number, ClientSession>;
  compile: CompileStatus;
  mainPid?: number;
  stopped?: StopInfo;
  /** Bumped whenever anything changes (byte counters included). */
  revision: number;
  /** Bumped when what the sockets, steps, problems or processes are changes: not for byte counters or output lines. */
  shapeRevision: number;
  nextSocketId: number;
  /** Events folded so far. */
  order: number;
  /** Closed entries let go of (counted, not kept), and failures beyond MAX_PROBLEMS. */
  closedDropped: number;
  problemsDropped: number;
}

/** Closed entries kept: a connection-per-request server makes thousands. */
export const MAX_CLOSED_SOCKETS = 1000;
/** A test client keeps its latest lines only: a flooding server must not grow memory without bound. */
export const MAX_CLIENT_LINES = 500;

const ACCEPT_CALLS = new Set(['accept', 'accept4']);
const DUP_CALLS = new Set(['dup', 'dup2', 'dup3', 'fcntl']);
const EPOLL_CREATE_CALLS = new Set(['epoll_create', 'epoll_create1']);

export function initialRunState(): RunState {
  return {
    sockets: [],
    open: new Map(),
    newestByKey: new Map(),
    newestByFd: new Map(),
    parents: new Map(),
    steps: {
      socket: { reached: false, count: 0 },
      bind: { reached: false, count: 0 },
      listen: { reached: false, count: 0 },
      accept: { reached: false, count: 0 },
      connect: { reached: false, count: 0 },
    },
    services: [],
    problems: [],
    processes: new Map(),
    exits: [],
    clients: new Map(),
    compile: { state: 'none', cached: false, diagnostics: [] },
    revision: 0,
    shapeRevision: 0,
    nextSocketId: 1,
    order: 0,
    closedDropped: 0,
    problemsDropped: 0,
  };
}

/** The story step a call belongs to (accept4 is the accept step), if any. */
export function stepOfCall(call: string): StepName | undefined {
  if (ACCEPT_CALLS.has(call)) return 'accept';
  return call === 'socket' || call === 'bind' || call === 'listen' || call === 'connect' ? call : undefined;
}

export function socketKey(pid: number, fd: number): string {
  return `${pid}:${fd}`;
}

/** The open socket `fd` of process `pid`, if the model knows one. */
export function socketOf(state: RunState, pid: number, fd: number | null): SocketEntry | undefined {
  return fd === null ? undefined : state.open.get(socketKey(pid, fd));
}

/** Folds one event into the state (in place) and returns it. */
export function reduce(state: RunState, ev: SockLensEvent): RunState {
  state.order++;
  state.revision++;
  switch (ev.kind) {
    case 'call':
      reduceCall(state, ev);
      return state;
    case 'tcp-state':
      reduceTcpState(state, ev);
      return state;
    case 'stdout':
    case 'stderr':
    case 'repeated':
      return state;
    default:
      break;
  }
  state.shapeRevision++;
  switch (ev.kind) {
    case 'compile-started':
      state.compile = { state: 'compiling', cached: false, compiler: ev.compiler, diagnostics: [] };
      break;
    case 'compile-finished':
      state.compile = { ...state.compile, state: ev.ok ? 'ok' : 'failed', cached: ev.cached, diagnostics: ev.diagnostics };
      break;
    case 'process-started':
      state.mainPid ??= ev.pid;
      processOf(state, ev.pid, ev.ppid).argv = ev.argv;
      if (ev.ppid !== null && !state.parents.has(ev.pid)) state.parents.set(ev.pid, { ppid: ev.ppid, order: state.order });
      break;
    case 'exited':
      endProcess(state, ev.pid, ev.seq, { seq: ev.seq, pid: ev.pid, code: ev.code, signal: ev.signal, reason: ev.reason });
      break;
    case 'problem': {
      const problem = problemOfEvent(ev);
      const stepName = ev.call !== undefined ? stepOfCall(ev.call) : undefined;
      if (stepName !== undefined) state.steps[stepName].problem = problem;
      addProblem(state, problem);
      break;
    }
    case 'client':
      reduceClient(state, ev);
      break;
    case 'stopped':
      state.stopped = { seq: ev.seq, reason: ev.reason, portsFreed: ev.portsFreed };
      for (const proc of state.processes.values()) if (proc.status !== 'exited') markExited(proc);
      break;
  }
  return state;
}

/** Folds a whole sequence into a fresh state. */
export function reduceAll(events: Iterable<SockLensEvent>, state = initialRunState()): RunState {
  for (const ev of events) reduce(state, ev);
  return state;
}

// ---- processes ----

function processOf(state: RunState, pid: number, ppid: number | null = null): ProcessEntry {
  let proc = state.processes.get(pid);
  if (!proc) state.processes.set(pid, (proc = { pid, ppid, argv: [], status: 'running' }));
  if (ppid !== null) proc.ppid = ppid;
  return proc;
}

function markExited(proc: ProcessEntry): void {
  proc.status = 'exited';
  delete proc.blockedIn;
}

/** The kernel closes whatever a process still had open when it ends. */
function endProcess(state: RunState, pid: number, seq: number, exit?: ExitInfo): void {
  for (const entry of [...state.open.values()]) if (entry.pid === pid) closeEntry(state, entry, seq);
  const proc = processOf(state, pid);
  markExited(proc);
  if (exit) {
    proc.exit = exit;
    state.exits.push(exit);
  }
}

function noteActivity(state: RunState, ev: CallEvent): void {
  const proc = processOf(state, ev.pid);
  const where: Blocked = { call: ev.call, fd: ev.fd, seq: ev.seq };
  if (ev.src) where.src = ev.src;
  if (WAIT_CALLS.has(ev.call) && ev.phase === 'waiting') {
    if (ev.watchFds) where.watchFds = ev.watchFds;
    proc.status = 'blocked';
    proc.blockedIn = where;
    state.shapeRevision++;
    return;
  }
  if (proc.status === 'blocked') {
    proc.status = 'running';
    delete proc.blockedIn;
    state.shapeRevision++;
  }
  if (proc.status !== 'exited') proc.lastCall = where;
}

// ---- sockets ----

function newEntry(state: RunState, pid: number, fd: number, seq: number, src: SourceLocation | undefined, role: SocketRole): SocketEntry {
  const previous = state.open.get(socketKey(pid, fd));
  // A number is open once per process: an unseen close (by libc, say) ended the old one.
  if (previous) closeEntry(state, previous, seq);
  const id = state.nextSocketId++;
  const entry: SocketEntry = { id, origin: id, pid, fd, role, state: 'open', datagram: role === 'udp', bytesIn: 0, bytesOut: 0, createdSeq: seq, order: state.order };
  if (src) entry.createdAt = src;
  state.sockets.push(entry);
  state.open.set(socketKey(pid, fd), entry);
  state.newestByKey.set(socketKey(pid, fd), entry);
  state.newestByFd.set(fd, entry);
  return entry;
}

function closeEntry(state: RunState, entry: SocketEntry, seq: number): void {
  entry.state = 'closed';
  entry.closedSeq = seq;
  state.open.delete(socketKey(entry.pid, entry.fd));
  if (state.sockets.length > state.open.size + 2 * MAX_CLOSED_SOCKETS) dropOldClosed(state);
}

/** Lets go of the oldest closed entries beyond MAX_CLOSED_SOCKETS (amortized: runs once per MAX_CLOSED_SOCKETS closes). */
function dropOldClosed(state: RunState): void {
  let closedToDrop = state.sockets.length - state.open.size - MAX_CLOSED_SOCKETS;
  state.closedDropped += closedToDrop;
  state.sockets = state.sockets.filter((e) => e.state !== 'closed' || closedToDrop-- <= 0);
}

/** A copy of `from` in process `pid`: what a forked child holds. */
function inherit(state: RunState, from: SocketEntry, pid: number, seq: number): SocketEntry {
  const copy = newEntry(state, pid, from.fd, seq, from.createdAt, from.role);
  copy.origin = from.origin;
  copy.state = from.state === 'closed' ? (from.role === 'listening' ? 'listening' : 'connected') : from.state;
  copy.inheritedFrom = from.pid;
  copy.datagram = from.datagram;
  copyDetails(from, copy);
  if (from.acceptedFrom !== undefined) copy.acceptedFrom = from.acceptedFrom;
  if (from.backlog !== undefined) copy.backlog = from.backlog;
  return copy;
}

function copyDetails(from: SocketEntry, to: SocketEntry): void {
  if (from.family !== undefined) to.family = from.family;
  if (from.type !== undefined) to.type = from.type;
  if (from.local !== undefined) to.local = from.local;
  if (from.peer !== undefined) to.peer = from.peer;
}

/** fork(): the child starts with every descriptor its parent has open at that moment. */
function forkDescriptors(state: RunState, parent: number, child: number, seq: number): void {
  for (const entry of [...state.open.values()]) {
    // the child's own events may have come first: what it already used or closed is not copied again
    if (entry.pid === parent && !state.newestByKey.has(socketKey(child, entry.fd))) inherit(state, entry, child, seq);
  }
}

/** How far back to look for the descriptor a parent had when it forked; beyond it, its newest entry is taken. */
const FORK_LOOKBACK = 512;

/**
 * The entry an event of `pid` on `fd` acts on. A process can use a descriptor never seen in it (its parent's
 * fork was not reported before its own events): it is then copied from the parent's entry as it was at the
 * fork, or, with no parent known, from the newest entry of that number in another process.
 */
function entryFor(state: RunState, pid: number, fd: number, seq: number): SocketEntry | undefined {
  const entry = state.open.get(socketKey(pid, fd));
  if (entry) return entry;
  if (state.newestByKey.has(socketKey(pid, fd))) return undefined; // this process closed it: not a socket any more
  const candidate = parentEntry(state, pid, fd) ?? state.newestByFd.get(fd);
  return candidate && candidate.pid !== pid ? inherit(state, candidate, pid, seq) : undefined;
}

function parentEntry(state: RunState, pid: number, fd: number): SocketEntry | undefined {
  const parent = state.parents.get(pid);
  if (parent === undefined) return undefined;
  const stop = Math.max(0, state.sockets.length - FORK_LOOKBACK);
  for (let i = state.sockets.length - 1; i >= stop; i--) {
    const entry = state.sockets[i]!;
    if (entry.pid === parent.ppid && entry.fd === fd && entry.order < parent.order) return entry;
  }
  return state.newestByKey.get(socketKey(parent.ppid, fd));
}

function addService(state: RunState, transport: 'tcp' | 'udp', address: SocketAddress | undefined, ev: CallEvent): void {
  if (!isInet(address) || address.port === 0 || ev.fd === null) return;
  if (state.services.some((s) => s.transport === transport && s.address.host === address.host && s.address.port === address.port)) return;
  state.services.push({ transport, address, pid: ev.pid, fd: ev.fd, seq: ev.seq });
}

// ---- calls ----

function reachStep(step: StepStatus, ev: CallEvent, details: Partial<StepStatus>): void {
  step.count++;
  if (step.reached) return;
  step.reached = true;
  step.seq = ev.seq;
  delete step.errno;
  if (ev.src) step.src = ev.src;
  Object.assign(step, details);
}

function failStep(step: StepStatus, ev: CallEvent): void {
  if (step.reached) return;
  step.seq = ev.seq;
  step.errno = ev.errno ?? undefined;
  if (ev.src) step.src = ev.src;
}

function reduceFailedCall(state: RunState, ev: CallEvent, step: StepStatus | undefined): void {
  state.shapeRevision++;
  if (step) failStep(step, ev);
  const entry = socketOf(state, ev.pid, ev.fd);
  if (entry) entry.lastErrno = ev.errno!;
  addProblem(state, problemOfCall(ev));
}

function reduceCall(state: RunState, ev: CallEvent): void {
  noteActivity(state, ev);
  // a non-blocking connect that has started is dialing, not failing
  const failed = ev.errno !== null && !(ev.call === 'connect' && ev.errno === 'EINPROGRESS');
  const stepName = stepOfCall(ev.call);
  const step = stepName !== undefined ? state.steps[stepName] : undefined;
  if (failed) {
    // EAGAIN and friends are the normal life of a non-blocking socket: nothing to show, no step failed
    if (!isRoutineErrno(ev.errno!)) reduceFailedCall(state, ev, step);
    return;
  }
  const entry = ev.fd !== null ? entryFor(state, ev.pid, ev.fd, ev.seq) : undefined;
  const countBefore = state.nextSocketId;
  const phaseBefore = entry?.state;
  if (!reduceSetupCall(state, ev, entry, step)) {
    reduceDataCall(ev, entry);
    if (state.nextSocketId === countBefore && entry?.state === phaseBefore) return;
  }
  state.shapeRevision++;
}

/** Calls that make, name, connect, copy or end descriptors; false for the others. */
function reduceSetupCall(state: RunState, ev: CallEvent, entry: SocketEntry | undefined, step: StepStatus | undefined): boolean {
  switch (ev.call) {
    case 'socket':
    case 'socketpair':
      reduceSocket(state, ev, step);
      return true;
    case 'bind':
      if (entry) {
        const local = parseAddress(ev.local);
        if (local) entry.local = local;
        if (entry.state === 'open') entry.state = 'bound';
        if (entry.datagram) addService(state, 'udp', entry.local, ev);
      }
      if (step) reachStep(step, ev, { ...where(ev.fd, parseAddress(ev.local)), ...(entry?.datagram ? { datagram: true } : {}) });
      return true;
    case 'listen':
      reduceListen(state, ev, entry, step);
      return true;
    case 'accept':
    case 'accept4':
      reduceAccept(state, ev, entry, step);
      return true;
    case 'connect':
      if (entry) {
        if (!entry.datagram) entry.role = 'client';
        entry.state = ev.errno === 'EINPROGRESS' ? 'connecting' : 'connected';
        entry.peer = parseAddress(ev.peer) ?? entry.peer;
        entry.local = parseAddress(ev.local) ?? entry.local;
        if (entry.peer === undefined) delete entry.peer;
        if (entry.local === undefined) delete entry.local;
      }
      if (step) reachStep(step, ev, where(ev.fd, parseAddress(ev.peer)));
      return true;
    case 'close':
      if (entry) closeEntry(state, entry, ev.seq);
      return true;
    case 'shutdown':
      if (entry) entry.state = 'shut-down';
      return true;
    case 'fork':
    case 'vfork':
      if (ev.ret > 0) {
        state.parents.set(ev.ret, { ppid: ev.pid, order: state.order });
        processOf(state, ev.ret, ev.pid);
        forkDescriptors(state, ev.pid, ev.ret, ev.seq);
      }
      return true;
    case 'exit':
    case '_exit': {
      endProcess(state, ev.pid, ev.seq);
      // the runner's `exited` reports the main process; a child's code is known only from its exit() call
      const proc = processOf(state, ev.pid);
      if (typeof ev.args.code === 'number') proc.exit ??= { seq: ev.seq, pid: ev.pid, code: ev.args.code, signal: null, reason: '' };
      return true;
    }
    default:
      if (EPOLL_CREATE_CALLS.has(ev.call)) {
        newEntry(state, ev.pid, ev.newFd ?? ev.ret, ev.seq, ev.src, 'epoll');
        return true;
      }
      if (DUP_CALLS.has(ev.call) && ev.newFd !== undefined && entry) {
        const copy = newEntry(state, ev.pid, ev.newFd, ev.seq, ev.src, entry.role);
        copy.state = entry.state;
        copy.datagram = entry.datagram;
        copy.origin = entry.origin;
        copyDetails(entry, copy);
        return true;
      }
      return false;
  }
}

function reduceSocket(state: RunState, ev: CallEvent, step: StepStatus | undefined): void {
  const type = typeof ev.args.type === 'string' ? ev.args.type : undefined;
  const datagram = type !== undefined && type.includes('SOCK_DGRAM');
  const fds = ev.fds ?? [ev.newFd ?? ev.ret];
  for (const fd of fds) {
    if (fd < 0) continue;
    const entry = newEntry(state, ev.pid, fd, ev.seq, ev.src, datagram ? 'udp' : 'socket');
    if (typeof ev.args.family === 'string') entry.family = ev.args.family;
    if (type !== undefined) entry.type = type;
  }
  if (ev.call === 'socket' && step) reachStep(step, ev, { fd: fds[0]! });
}

function reduceListen(state: RunState, ev: CallEvent, entry: SocketEntry | undefined, step: StepStatus | undefined): void {
  const backlog = typeof ev.args.backlog === 'number' ? ev.args.backlog : undefined;
  if (entry) {
    entry.role = 'listening';
    entry.state = 'listening';
    entry.local = parseAddress(ev.local) ?? entry.local;
    if (entry.local === undefined) delete entry.local;
    if (backlog !== undefined) entry.backlog = backlog;
  }
  addService(state, 'tcp', parseAddress(ev.local) ?? entry?.local, ev);
  if (step) reachStep(step, ev, { ...where(ev.fd, parseAddress(ev.local) ?? entry?.local), ...(backlog !== undefined ? { backlog } : {}) });
}

function reduceAccept(state: RunState, ev: CallEvent, listening: SocketEntry | undefined, step: StepStatus | undefined): void {
  const fd = ev.newFd ?? ev.ret;
  const peer = parseAddress(ev.peer);
  if (fd >= 0) {
    const entry = newEntry(state, ev.pid, fd, ev.seq, ev.src, 'conversation');
    entry.state = 'connected';
    if (peer) entry.peer = peer;
    const local = parseAddress(ev.local) ?? listening?.local;
    if (local) entry.local = local;
    if (listening?.family !== undefined) entry.family = listening.family;
    if (listening?.type !== undefined) entry.type = listening.type;
    if (ev.fd !== null) entry.acceptedFrom = ev.fd;
  }
  if (step) reachStep(step, ev, { fd, ...(peer ? { address: peer } : {}) });
}

/** Bytes each way, and a 0-byte read from a stream: the peer hung up. */
function reduceDataCall(ev: CallEvent, entry: SocketEntry | undefined): void {
  if (!entry) return;
  const amount = ev.bytes ?? Math.max(ev.ret, 0);
  if (SEND_CALLS.has(ev.call)) entry.bytesOut += amount;
  else if (RECEIVE_CALLS.has(ev.call)) {
    entry.bytesIn += amount;
    // recvmmsg counts messages, not bytes; a datagram of 0 bytes is a message, not a hang-up
    if (ev.ret === 0 && !MESSAGE_COUNT_CALLS.has(ev.call) && !entry.datagram) entry.state = 'peer-closed';
  }
  if (entry.datagram && entry.local === undefined) {
    const local = parseAddress(ev.local);
    if (local) entry.local = local;
  }
}

function where(fd: number | null, address: SocketAddress | undefined): Partial<StepStatus> {
  const details: Partial<StepStatus> = {};
  if (fd !== null) details.fd = fd;
  if (address !== undefined) details.address = address;
  return details;
}

// ---- the kernel's view ----

function reduceTcpState(state: RunState, ev: TcpStateEvent): void {
  const key = socketKey(ev.pid, ev.fd);
  const entry = ev.closed ? state.newestByKey.get(key) : (state.open.get(key) ?? state.newestByKey.get(key));
  if (!entry) return;
  const before = entry.tcp?.state;
  const tcp: KernelTcpState = { state: ev.state, seq: ev.seq };
  if (ev.acceptQueue !== undefined) tcp.acceptQueue = ev.acceptQueue;
  if (ev.backlog !== undefined) tcp.backlog = ev.backlog;
  if (ev.closed) tcp.afterClose = true;
  if (ev.expiresInMs !== undefined) tcp.expiresInMs = ev.expiresInMs;
  entry.tcp = tcp;
  if (ev.state === 'LISTEN' && ev.acceptQueue !== undefined && ev.backlog !== undefined && state.steps.listen.fd === ev.fd) {
    state.steps.listen.queue = { waiting: ev.acceptQueue, backlog: ev.backlog };
  }
  if (before !== ev.state || ev.state === 'LISTEN') state.shapeRevision++;
}

// ---- test clients ----

function reduceClient(state: RunState, ev: Extract<SockLensEvent, { kind: 'client' }>): void {
  const session = clientOf(state, ev.client);
  if (ev.address !== undefined) session.address = ev.address;
  switch (ev.action) {
    case 'connected':
      session.state = 'connected';
      break;
    case 'closed':
      // closed while still connected and never asked to: the server hung up
      if (session.state === 'connected' && !session.closing) session.closedByServer = true;
      session.state = 'closed';
      break;
    case 'error':
      session.state = 'error';
      session.lines.push({ seq: ev.seq, direction: 'error', text: ev.message ?? ev.text ?? '' });
      break;
    default:
      session.lines.push({ seq: ev.seq, direction: ev.action, text: ev.text ?? '' });
  }
  if (session.lines.length > MAX_CLIENT_LINES) session.lines.splice(0, session.lines.length - MAX_CLIENT_LINES);
}

/** The client `id`, made (connecting) when new: the panel calls this when the user presses Connect. */
export function clientOf(state: RunState, id: number): ClientSession {
  let session = state.clients.get(id);
  if (!session) {
    session = { id, state: 'connecting', lines: [] };
    state.clients.set(id, session);
  }
  return session;
}
