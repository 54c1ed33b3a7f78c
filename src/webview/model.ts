/**
 * The panel's state: the event stream folded into an fd table, the telephone-story steps, problems, exits and
 * test clients. No DOM and no I/O, so the extension may use it too (status bar, inline results).
 * `applyEvent` mutates the model in place: 100k events must fold without copying the world each time.
 */
import { MESSAGE_COUNT_CALLS, RECEIVE_CALLS, SEND_CALLS } from '../core/protocol/callKinds.js';
import type { Bilingual, CallEvent, CompileDiagnostic, ProblemHolder, SockLensEvent, SourceLocation } from '../core/protocol/events.js';

export type FdRole = 'socket' | 'listening' | 'connected' | 'udp' | 'client';
export type FdState = 'open' | 'bound' | 'listening' | 'connecting' | 'connected' | 'peer-closed' | 'shut-down' | 'closed';

export interface FdRow {
  /** Unique per row, in creation order (an fd number is reused after close; its closed row stays). */
  id: number;
  pid: number;
  fd: number;
  role: FdRole;
  state: FdState;
  local?: string;
  peer?: string;
  bytesIn: number;
  bytesOut: number;
  createdAt?: SourceLocation;
  createdSeq: number;
  closedSeq?: number;
  /** Set for a descriptor a forked child got from its parent. */
  inheritedFrom?: number;
  backlog?: number;
  /** For an accepted connection: the listening fd it came from. */
  acceptedFrom?: number;
  lastErrno?: string;
}

export type StepName = 'socket' | 'bind' | 'listen' | 'accept' | 'connect';
export const SERVER_STEPS: readonly StepName[] = ['socket', 'bind', 'listen', 'accept'];
export const CLIENT_STEPS: readonly StepName[] = ['socket', 'connect'];
/** A UDP server never listens or accepts: datagrams simply arrive at the bound address. */
export const UDP_STEPS: readonly StepName[] = ['socket', 'bind'];

export type StoryKind = 'server' | 'client' | 'udp';

export function storySteps(kind: StoryKind): readonly StepName[] {
  return kind === 'server' ? SERVER_STEPS : kind === 'client' ? CLIENT_STEPS : UDP_STEPS;
}

export interface StepStatus {
  reached: boolean;
  /** How many times the call succeeded (accept: calls answered). */
  count: number;
  /** The first success (or the latest failure while never reached). */
  seq?: number;
  src?: SourceLocation;
  fd?: number;
  address?: string;
  backlog?: number;
  /** bind: the socket is a datagram (UDP) socket. */
  datagram?: boolean;
  errno?: string;
  problem?: Problem;
}

export interface Problem {
  seq: number;
  /** The runner's code ("EADDRINUSE", "crash", "timeout" …); a failed call without a runner problem has none. */
  code?: string;
  message?: Bilingual;
  call?: string;
  errno?: string;
  explanation?: Bilingual;
  holder?: ProblemHolder[];
  advice?: Bilingual;
  src?: SourceLocation;
}

export interface StopInfo {
  seq: number;
  reason: 'exited' | 'stop' | 'timeout';
  portsFreed: boolean;
}

export interface ExitInfo {
  seq: number;
  pid: number;
  code: number | null;
  signal: string | null;
  reason: string;
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
  lines: ClientLine[];
}

export interface CompileStatus {
  state: 'none' | 'compiling' | 'ok' | 'failed';
  cached: boolean;
  compiler?: string;
  diagnostics: CompileDiagnostic[];
}

export interface PanelModel {
  events: SockLensEvent[];
  /** Every fd row ever seen, in creation order. */
  rows: FdRow[];
  /** Open rows by "pid:fd". */
  open: Map<string, FdRow>;
  /** The newest row (open or closed) by "pid:fd", and by fd number in any process: where inherited descriptors come from. */
  newestByKey: Map<string, FdRow>;
  newestByFd: Map<number, FdRow>;
  /**
   * Parent of each forked process and when it was forked: from the parent's `fork` call (exact), else from the
   * runner's process-started with a ppid (which can arrive after the parent went on accepting).
   */
  parents: Map<number, { ppid: number; seq: number }>;
  steps: Record<StepName, StepStatus>;
  problems: Problem[];
  exits: ExitInfo[];
  clients: Map<number, ClientSession>;
  compile: CompileStatus;
  mainPid?: number;
  /** Set once the runner reports the run over (process group gone). */
  stopped?: StopInfo;
  /** The first listening address (what the test client connects to), or a bound UDP address. */
  serviceAddress?: string;
  /** Descriptor numbers and call names seen, for the timeline filters. */
  fdsSeen: Set<number>;
  callsSeen: Set<string>;
  /** Kinds of runner events seen (stdout, client …), also offered by the timeline's call filter. */
  kindsSeen: Set<Exclude<SockLensEvent['kind'], 'call'>>;
  /** Bumped whenever anything in the fd table changes (byte counters included). */
  fdRevision: number;
  /**
   * Bumped when what the story, problems and the table's rows are changes: not for byte counters and output
   * lines, so a stream of send/recv does not rebuild them every frame.
   */
  shapeRevision: number;
  nextRowId: number;
  /** Failures not stored because of MAX_PROBLEMS. */
  problemsDropped: number;
  /** Oldest events let go by trimEvents (their effect on the fd table, steps … stays). */
  eventsDropped: number;
}

/** errno values that are part of normal non-blocking operation, not problems. */
const ROUTINE_ERRNOS = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINPROGRESS', 'EINTR', 'EALREADY']);

export function isRoutineErrno(errno: string): boolean {
  return ROUTINE_ERRNOS.has(errno);
}
/** Failures kept beyond this are counted, not stored: a tight loop of failing calls must not grow memory. */
export const MAX_PROBLEMS = 200;
/** A test client keeps its latest lines only: a flooding server must not grow memory without bound. */
export const MAX_CLIENT_LINES = 500;

const ACCEPT_CALLS = new Set(['accept', 'accept4']);
const DUP_CALLS = new Set(['dup', 'dup2', 'dup3', 'fcntl']);

/** The story step a call belongs to (accept4 is the accept step), if any. */
export function stepOfCall(call: string): StepName | undefined {
  if (ACCEPT_CALLS.has(call)) return 'accept';
  return call === 'socket' || call === 'bind' || call === 'listen' || call === 'connect' ? call : undefined;
}

function emptySteps(): Record<StepName, StepStatus> {
  return {
    socket: { reached: false, count: 0 },
    bind: { reached: false, count: 0 },
    listen: { reached: false, count: 0 },
    accept: { reached: false, count: 0 },
    connect: { reached: false, count: 0 },
  };
}

export function createModel(): PanelModel {
  return {
    events: [],
    rows: [],
    open: new Map(),
    newestByKey: new Map(),
    newestByFd: new Map(),
    parents: new Map(),
    steps: emptySteps(),
    problems: [],
    exits: [],
    clients: new Map(),
    compile: { state: 'none', cached: false, diagnostics: [] },
    fdsSeen: new Set(),
    callsSeen: new Set(),
    kindsSeen: new Set(),
    fdRevision: 0,
    shapeRevision: 0,
    nextRowId: 1,
    problemsDropped: 0,
    eventsDropped: 0,
  };
}

/**
 * Which story the program is telling: a client connects without binding or listening; a UDP server binds a
 * datagram socket and never listens; anything else is told as the four-step server.
 */
export function storyKind(model: PanelModel): StoryKind {
  const { bind, listen, connect } = model.steps;
  if (connect.reached && !listen.reached && !bind.reached) return 'client';
  if (bind.reached && !listen.reached && bind.datagram === true) return 'udp';
  return 'server';
}

/** Accepted connections that are still open: the "calls in progress". */
export function callsInProgress(model: PanelModel): FdRow[] {
  return [...model.open.values()].filter((r) => r.acceptedFrom !== undefined && r.state !== 'closed');
}

export function openClientCount(model: PanelModel): number {
  let n = 0;
  for (const c of model.clients.values()) if (c.state === 'connecting' || c.state === 'connected') n++;
  return n;
}

function key(pid: number, fd: number): string {
  return `${pid}:${fd}`;
}

function newRow(model: PanelModel, pid: number, fd: number, seq: number, src: SourceLocation | undefined, role: FdRole): FdRow {
  const previous = model.open.get(key(pid, fd));
  // An fd number can only be open once per process: an unseen close (e.g. by libc) ended the old one.
  if (previous) closeRow(model, previous, seq);
  const row: FdRow = { id: model.nextRowId++, pid, fd, role, state: 'open', bytesIn: 0, bytesOut: 0, createdSeq: seq };
  if (src) row.createdAt = src;
  model.rows.push(row);
  model.open.set(key(pid, fd), row);
  model.newestByKey.set(key(pid, fd), row);
  model.newestByFd.set(fd, row);
  model.fdsSeen.add(fd);
  return row;
}

function closeRow(model: PanelModel, row: FdRow, seq: number): void {
  row.state = 'closed';
  row.closedSeq = seq;
  model.open.delete(key(row.pid, row.fd));
}

/** The kernel closes whatever a process still had open when it ends. */
function closeProcess(model: PanelModel, pid: number, seq: number): void {
  for (const row of [...model.open.values()]) if (row.pid === pid) closeRow(model, row, seq);
}

/**
 * The row an event of `pid` on `fd` acts on. A forked child uses descriptors it never created: the row is then
 * copied from its parent's newest row of that fd (the parent often closes its copy right after the fork), or,
 * when the parent is not known, from the newest row of that fd number in another process.
 */
function rowFor(model: PanelModel, pid: number, fd: number, seq: number): FdRow | undefined {
  const row = model.open.get(key(pid, fd));
  if (row) return row;
  const candidate = parentRow(model, pid, fd) ?? model.newestByFd.get(fd);
  if (candidate && candidate.pid !== pid) {
    const child = newRow(model, pid, fd, seq, candidate.createdAt, candidate.role);
    child.state = candidate.state === 'closed' ? (candidate.role === 'listening' ? 'listening' : 'connected') : candidate.state;
    child.inheritedFrom = candidate.pid;
    if (candidate.local !== undefined) child.local = candidate.local;
    if (candidate.peer !== undefined) child.peer = candidate.peer;
    if (candidate.acceptedFrom !== undefined) child.acceptedFrom = candidate.acceptedFrom;
    return child;
  }
  return undefined;
}

/** How far back to look for the descriptor a parent had when it forked; beyond it, its newest row is taken. */
const FORK_LOOKBACK_ROWS = 512;

/** The parent's row of `fd` as it was when `pid` was forked: the newest one created before the fork. */
function parentRow(model: PanelModel, pid: number, fd: number): FdRow | undefined {
  const parent = model.parents.get(pid);
  if (parent === undefined) return undefined;
  const stop = Math.max(0, model.rows.length - FORK_LOOKBACK_ROWS);
  for (let i = model.rows.length - 1; i >= stop; i--) {
    const row = model.rows[i]!;
    if (row.pid === parent.ppid && row.fd === fd && row.createdSeq < parent.seq) return row;
  }
  return model.newestByKey.get(key(parent.ppid, fd));
}

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

function addProblem(model: PanelModel, problem: Problem): void {
  if (model.problems.length >= MAX_PROBLEMS) {
    model.problemsDropped++;
    return;
  }
  model.problems.push(problem);
}

function isDatagram(ev: CallEvent): boolean {
  return Object.values(ev.args).some((v) => typeof v === 'string' && v.includes('SOCK_DGRAM'));
}

function applyCall(model: PanelModel, ev: CallEvent): void {
  model.callsSeen.add(ev.call);
  if (ev.fd !== null) model.fdsSeen.add(ev.fd);
  // A non-blocking connect that has started is dialing, not failing.
  const failed = ev.errno !== null && !(ev.call === 'connect' && ev.errno === 'EINPROGRESS');
  const stepName = stepOfCall(ev.call);
  const step = stepName !== undefined ? model.steps[stepName] : undefined;

  if (failed) {
    // EAGAIN and friends are the normal life of a non-blocking socket: nothing to show, no step failed.
    if (ROUTINE_ERRNOS.has(ev.errno!)) return;
    model.shapeRevision++;
    if (step) failStep(step, ev);
    if (ev.fd !== null) {
      const row = model.open.get(key(ev.pid, ev.fd));
      if (row) {
        row.lastErrno = ev.errno!;
        model.fdRevision++;
      }
    }
    const problem: Problem = { seq: ev.seq, call: ev.call, errno: ev.errno! };
    if (ev.src) problem.src = ev.src;
    addProblem(model, problem);
    return;
  }

  const rowsBefore = model.rows.length;
  const fdRow = ev.fd !== null ? rowFor(model, ev.pid, ev.fd, ev.seq) : undefined;
  const stateBefore = fdRow?.state;
  let shapeChanged = true;
  switch (ev.call) {
    case 'socket':
    case 'socketpair': {
      const fds = ev.fds ?? [ev.newFd ?? ev.ret];
      for (const fd of fds) if (fd >= 0) newRow(model, ev.pid, fd, ev.seq, ev.src, isDatagram(ev) ? 'udp' : 'socket');
      if (ev.call === 'socket' && step) reachStep(step, ev, { fd: fds[0]! });
      break;
    }
    case 'bind': {
      if (fdRow) {
        if (ev.local !== undefined) fdRow.local = ev.local;
        if (fdRow.state === 'open') fdRow.state = 'bound';
        if (fdRow.role === 'udp' && ev.local !== undefined) model.serviceAddress ??= ev.local;
      }
      if (step) reachStep(step, ev, { ...withAddress(ev.fd, ev.local), ...(fdRow?.role === 'udp' ? { datagram: true } : {}) });
      break;
    }
    case 'listen': {
      const backlog = typeof ev.args.backlog === 'number' ? ev.args.backlog : undefined;
      if (fdRow) {
        fdRow.role = 'listening';
        fdRow.state = 'listening';
        if (ev.local !== undefined) fdRow.local = ev.local;
        if (backlog !== undefined) fdRow.backlog = backlog;
        const address = fdRow.local;
        if (address !== undefined && (model.serviceAddress === undefined || !isListeningAddress(model, model.serviceAddress))) {
          model.serviceAddress = address;
        }
      }
      if (step) reachStep(step, ev, { ...withAddress(ev.fd, ev.local ?? fdRow?.local), ...(backlog !== undefined ? { backlog } : {}) });
      break;
    }
    case 'accept':
    case 'accept4': {
      const fd = ev.newFd ?? ev.ret;
      if (fd >= 0) {
        const row = newRow(model, ev.pid, fd, ev.seq, ev.src, 'connected');
        row.state = 'connected';
        if (ev.peer !== undefined) row.peer = ev.peer;
        row.local = ev.local ?? fdRow?.local;
        if (row.local === undefined) delete row.local;
        if (ev.fd !== null) row.acceptedFrom = ev.fd;
      }
      if (step) reachStep(step, ev, { fd, ...(ev.peer !== undefined ? { address: ev.peer } : {}) });
      break;
    }
    case 'connect': {
      if (fdRow) {
        if (fdRow.role !== 'udp') fdRow.role = 'client';
        fdRow.state = ev.errno === 'EINPROGRESS' ? 'connecting' : 'connected';
        if (ev.peer !== undefined) fdRow.peer = ev.peer;
        if (ev.local !== undefined) fdRow.local = ev.local;
      }
      if (step) reachStep(step, ev, withAddress(ev.fd, ev.peer));
      break;
    }
    case 'close': {
      if (fdRow) closeRow(model, fdRow, ev.seq);
      break;
    }
    case 'fork':
    case 'vfork': {
      if (ev.ret > 0) model.parents.set(ev.ret, { ppid: ev.pid, seq: ev.seq });
      shapeChanged = false;
      break;
    }
    case 'exit':
    case '_exit': {
      closeProcess(model, ev.pid, ev.seq);
      break;
    }
    case 'shutdown': {
      if (fdRow) fdRow.state = 'shut-down';
      break;
    }
    default: {
      if (DUP_CALLS.has(ev.call) && ev.newFd !== undefined && fdRow) {
        const copy = newRow(model, ev.pid, ev.newFd, ev.seq, ev.src, fdRow.role);
        copy.state = fdRow.state;
        if (fdRow.local !== undefined) copy.local = fdRow.local;
        if (fdRow.peer !== undefined) copy.peer = fdRow.peer;
        break;
      }
      // Data (and other) calls reshape the table only by adding an inherited row or changing a state or address.
      shapeChanged = model.rows.length !== rowsBefore;
      if (!fdRow) break;
      const amount = ev.bytes ?? Math.max(ev.ret, 0);
      if (SEND_CALLS.has(ev.call)) fdRow.bytesOut += amount;
      else if (RECEIVE_CALLS.has(ev.call)) {
        fdRow.bytesIn += amount;
        // 0 bytes from a stream: the peer closed its side (recvmmsg counts messages, not bytes)
        if (ev.ret === 0 && !MESSAGE_COUNT_CALLS.has(ev.call) && fdRow.role !== 'udp') fdRow.state = 'peer-closed';
      }
      if (fdRow.role === 'udp' && ev.local !== undefined && fdRow.local === undefined) {
        fdRow.local = ev.local;
        shapeChanged = true;
      }
      if (fdRow.state !== stateBefore) shapeChanged = true;
    }
  }
  model.fdRevision++;
  if (shapeChanged) model.shapeRevision++;
}

function isListeningAddress(model: PanelModel, address: string): boolean {
  for (const row of model.open.values()) if (row.role === 'listening' && row.local === address) return true;
  return false;
}

function withAddress(fd: number | null, address: string | undefined): Partial<StepStatus> {
  const details: Partial<StepStatus> = {};
  if (fd !== null) details.fd = fd;
  if (address !== undefined) details.address = address;
  return details;
}

function client(model: PanelModel, id: number): ClientSession {
  let session = model.clients.get(id);
  if (!session) {
    session = { id, state: 'connecting', lines: [] };
    model.clients.set(id, session);
  }
  return session;
}

/** The user pressed Connect: the client shows as connecting until the extension reports back. */
export function requestClient(model: PanelModel, id: number): void {
  client(model, id);
  model.shapeRevision++;
}

/** The smallest client id not used yet (ids are positive and chosen by the panel). */
export function nextClientId(model: PanelModel): number {
  let max = 0;
  for (const id of model.clients.keys()) max = Math.max(max, id);
  return max + 1;
}

export function applyEvent(model: PanelModel, ev: SockLensEvent): void {
  model.events.push(ev);
  if (ev.kind !== 'call') model.kindsSeen.add(ev.kind);
  if (ev.kind !== 'call' && ev.kind !== 'stdout' && ev.kind !== 'stderr') model.shapeRevision++;
  switch (ev.kind) {
    case 'call':
      applyCall(model, ev);
      break;
    case 'compile-started':
      model.compile = { state: 'compiling', cached: false, compiler: ev.compiler, diagnostics: [] };
      break;
    case 'compile-finished':
      model.compile = { ...model.compile, state: ev.ok ? 'ok' : 'failed', cached: ev.cached, diagnostics: ev.diagnostics };
      break;
    case 'process-started':
      model.mainPid ??= ev.pid;
      if (ev.ppid !== null && !model.parents.has(ev.pid)) model.parents.set(ev.pid, { ppid: ev.ppid, seq: ev.seq });
      break;
    case 'exited': {
      model.exits.push({ seq: ev.seq, pid: ev.pid, code: ev.code, signal: ev.signal, reason: ev.reason });
      closeProcess(model, ev.pid, ev.seq);
      model.fdRevision++;
      break;
    }
    case 'problem': {
      const problem: Problem = { seq: ev.seq, code: ev.code, message: ev.message };
      if (ev.src !== undefined) problem.src = ev.src;
      if (ev.call !== undefined) problem.call = ev.call;
      if (ev.errno !== undefined) problem.errno = ev.errno;
      if (ev.explanation !== undefined) problem.explanation = ev.explanation;
      if (ev.holder !== undefined) problem.holder = ev.holder;
      if (ev.advice !== undefined) problem.advice = ev.advice;
      const stepName = ev.call !== undefined ? stepOfCall(ev.call) : undefined;
      if (stepName !== undefined) model.steps[stepName].problem = problem;
      addProblem(model, problem);
      break;
    }
    case 'client': {
      const session = client(model, ev.client);
      if (ev.action === 'connected') session.state = 'connected';
      else if (ev.action === 'closed') session.state = 'closed';
      else if (ev.action === 'error') {
        session.state = 'error';
        session.lines.push({ seq: ev.seq, direction: 'error', text: ev.message ?? ev.text ?? '' });
      } else session.lines.push({ seq: ev.seq, direction: ev.action, text: ev.text ?? '' });
      if (session.lines.length > MAX_CLIENT_LINES) session.lines.splice(0, session.lines.length - MAX_CLIENT_LINES);
      break;
    }
    case 'stopped':
      model.stopped = { seq: ev.seq, reason: ev.reason, portsFreed: ev.portsFreed };
      break;
    case 'stdout':
    case 'stderr':
      break;
  }
}

export function applyEvents(model: PanelModel, events: readonly SockLensEvent[]): void {
  for (const ev of events) applyEvent(model, ev);
}

/** The timeline keeps at most this many events (as many as the extension keeps to replay): a webview has little memory. */
export const MAX_KEPT_EVENTS = 200_000;
/** Trimming lets go of a tenth more than needed, so it happens once per that many events, not on every batch. */
const TRIM_SLACK = 0.1;

/** Lets go of the oldest events beyond `max`; true when it did (positions in `model.events` moved). */
export function trimEvents(model: PanelModel, max = MAX_KEPT_EVENTS): boolean {
  if (model.events.length <= max) return false;
  const drop = model.events.length - max + Math.floor(max * TRIM_SLACK);
  model.events.splice(0, drop);
  model.eventsDropped += drop;
  return true;
}

/** Signals that stop a program on purpose (Stop, a time limit, Ctrl-C): an ending, not a crash. */
const STOP_SIGNALS = new Set(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP']);

export function isCrash(exit: Pick<ExitInfo, 'signal'>): boolean {
  return exit.signal !== null && !STOP_SIGNALS.has(exit.signal);
}

/** Exit that ended the run: the main process's, else the last one seen. */
export function mainExit(model: PanelModel): ExitInfo | undefined {
  return model.exits.find((e) => e.pid === model.mainPid) ?? model.exits[model.exits.length - 1];
}
