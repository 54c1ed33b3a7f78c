import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EVENT_SCHEMA_VERSION, type CallEvent, type CompileDiagnostic, type RepeatedEvent, type RunnerEvent, type SockLensEvent, type SourceLocation,
  type TcpStateEvent,
} from '../protocol/events';
import { LiveClients } from '../editor/liveClients';
import { callEventOf } from './callEvents';
import { EventChannel, type TraceConnection } from './channel';
import { RunnerSetupError, assertSupportedPlatform, compileProgram, type CompileOptions } from './compiler';
import { initialRunState, reduce, socketOf, type Service } from '../model/runModel';
import { exitReason, isCrashSignal } from './names';
import { freePort, loopbackFor, portHolders, portReleased, splitAddress } from './ports';
import { ReuseAddrOptions, floodProblemOf, isProblem, problemOf } from './problems';
import { groupGone, isAlive, killGroupNow, stopGroup, waitFor } from './processGroup';
import { AutoArgumentsError, autoArguments } from './programArgs';
import { FLAG_HAS_PC, type TracerRecord } from './records';
import { Repeats, canRepeat, floodKindOf, type FloodKind } from './repeats';
import { SourceLines } from './sourceLines';
import { TcpStateSampler } from './tcpStates';
import { tcpExchange, udpExchange, type ClientClock, type ClientReport, type ClientResult } from './testClient';
import { ORDER_SLACK_US, TimeOrder, monotonicUs, type OrderMark } from './timeOrder';
import { ensureTracer } from './tracerBuild';

export interface ClientRequest {
  text: string;
  /** Clients at once (default 1). */
  count?: number;
  /** Default: the first listening (TCP) or bound (UDP) address of the program, reached over loopback. */
  host?: string;
  port?: number;
  udp?: boolean;
  quietMs?: number;
  timeoutMs?: number;
}

export interface RunOptions extends Omit<CompileOptions, 'source' | 'onStart'> {
  /** The C file to compile and run. */
  source: string;
  /** Program arguments, or "auto" to supply a free port (and 127.0.0.1 for a host) where the program reads them. */
  args?: string[] | 'auto';
  /** Working directory of the program (default: the source's folder). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Start test clients after the first `listen` (TCP) or `bind` of a datagram socket (UDP). */
  client?: ClientRequest;
  /** Stop the run after this long. */
  timeoutMs?: number;
  /** How long Stop waits after SIGTERM before SIGKILL (default 2000 ms). */
  stopGraceMs?: number;
  /** Source files under this folder win when choosing among inlined frames (default: the source's folder). */
  workspaceRoot?: string;
}

export type EndReason = 'exited' | 'stop' | 'timeout' | 'compile-error' | 'setup-error';

export interface RunResult {
  reason: EndReason;
  /** The main process's exit code, or null (killed by a signal, or never started). */
  exitCode: number | null;
  signal: string | null;
  diagnostics: CompileDiagnostic[];
  /** Every port the program listened on could be bound again when the run ended. */
  portsFreed: boolean;
  /** For setup errors: the message to show. */
  error?: string;
}

interface ListenAddress {
  host: string;
  port: number;
  udp: boolean;
}

const MAX_LINE = 64 * 1024;
const EXIT_SETTLE_MS = 300;

const liveRuns = new Set<Run>();
let exitHookInstalled = false;

/** A run that is never stopped ends when the runner ends. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const run of liveRuns) run.killNow();
  });
}

/**
 * One compile-and-run of a C program under the tracer. Events arrive through `on('event')` or by iterating the
 * run (subscribe before awaiting anything: the first event is emitted asynchronously); `on('end')` follows the
 * last one. Nothing here writes to the console or exits the process.
 */
export class Run extends EventEmitter implements AsyncIterable<SockLensEvent> {
  /** Resolves when the run has ended (program gone, ports checked); never rejects. */
  readonly done: Promise<RunResult>;
  /** The main process, once started. */
  pid: number | null = null;
  argv: string[] = [];
  /** Addresses the program listens on (TCP) or has bound (UDP), as "0.0.0.0:9190". */
  get listening(): string[] {
    return this.model.services.map((s) => s.address.text);
  }
  /** Interactive test clients (the editor's panel): their events are this run's, on its clock and in its order. */
  readonly liveClients: LiveClients;

  private readonly options: RunOptions;
  /** The run's origin on the one clock (CLOCK_MONOTONIC µs): every event's `t` counts from here. */
  private readonly startUs = monotonicUs();
  private seq = 0;
  /** Events wait here until they may leave in time order (timeOrder.ts). */
  private readonly order = new TimeOrder<SockLensEvent>(
    this.startUs,
    (ev) => this.emitEvent(ev),
    () => this.channel?.drain(),
  );
  private readonly clientClock: ClientClock = { mark: () => this.order.mark() };
  /** Floods of identical calls, counted instead of emitted one by one. */
  private readonly repeats = new Repeats({
    repeated: (first, repeats, atUs) => this.addRepeated(first, repeats, atUs),
    flood: (first, kind, repeats, atUs) => this.addFloodProblem(first, kind, repeats, atUs),
  });
  /**
   * What an event takes from the call it refers to as it leaves: a `repeated` event the call's `seq`, a flood
   * problem its source line (both known only once the call has left, and it leaves first).
   */
  private readonly completions = new WeakMap<SockLensEvent, () => void>();
  /** Input given before the program started (while compiling), and whether it was ended then. */
  private readonly earlyInput: string[] = [];
  private earlyInputClosed = false;
  /** When the main process exited (run clock, absolute), held open in the order until `exited` is added. */
  private exitMark: OrderMark | null = null;
  /** After `stopped`: nothing more leaves. */
  private sealed = false;
  private readonly clientsAbort = new AbortController();
  private child: ChildProcessWithoutNullStreams | null = null;
  private channel: EventChannel | null = null;
  private lines: SourceLines | null = null;
  private tcpStates: TcpStateSampler | null = null;
  private readonly reuseAddr = new ReuseAddrOptions();
  private binary: string | null = null;
  private diagnostics: CompileDiagnostic[] = [];
  private readonly openConns = new Map<number, TraceConnection>();
  /** Processes whose tracer stream must be read to the end: the main one and every child a fork() reported. */
  private readonly expectedPids = new Set<number>();
  private readonly seenPids = new Set<number>();
  /** What the runner keeps per traced process, from its hello record on. */
  private readonly processes = new Map<number, TracedProcess>();
  /** The run model of the program's calls (src/core/model): its sockets and the addresses it serves on. */
  private readonly model = initialRunState();
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exitedEmitted = false;
  private exitedPushed = false;
  private stopReason: 'stop' | 'timeout' | null = null;
  private stopping: Promise<RunResult> | null = null;
  private ended = false;
  private resolveDone!: (r: RunResult) => void;
  private timeoutTimer: NodeJS.Timeout | null = null;
  private clientCounter = 0;
  private autoClientStarted = false;
  private readonly clientRuns: Promise<unknown>[] = [];

  constructor(options: RunOptions) {
    super();
    this.options = options;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.liveClients = new LiveClients((r, at) => this.addClientReport(r, at), this.clientClock);
    installExitHook();
    void this.start();
  }

  // ---- public API ----

  /** Stops the program's whole process group and resolves once it is gone and its ports can be bound. */
  stop(): Promise<RunResult> {
    return this.requestStop('stop');
  }

  /**
   * Forwards text to the program's stdin; before the program starts (while compiling) it is kept and given to it
   * first. False when the program has ended (or its input was closed before it started).
   */
  writeStdin(text: string): boolean {
    if (!this.child) {
      if (this.ended || this.earlyInputClosed) return false;
      this.earlyInput.push(text);
      return true;
    }
    if (this.exitInfo || this.child.stdin.destroyed) return false;
    this.child.stdin.write(text);
    return true;
  }

  /** Ends the program's input (EOF after what was written); before it starts, once it has read what was given. */
  closeStdin(): void {
    if (!this.child) this.earlyInputClosed = true;
    else this.child.stdin.end();
  }

  /** Runs test clients against the program (default: its first listening address over loopback). */
  async connectClient(req: ClientRequest): Promise<ClientResult[]> {
    const target = this.clientTarget(req);
    if (!target) throw new Error('the program is not listening on a loopback or wildcard address yet');
    const count = Math.max(1, req.count ?? 1);
    const runs: Promise<ClientResult>[] = [];
    for (let i = 0; i < count; i++) {
      const id = ++this.clientCounter;
      const opts = { host: target.host, port: target.port, text: req.text, quietMs: req.quietMs, timeoutMs: req.timeoutMs, signal: this.clientsAbort.signal };
      const report = (r: ClientReport, at?: OrderMark): void => this.addClientReport(r, at);
      runs.push(target.udp ? udpExchange(id, opts, report, this.clientClock) : tcpExchange(id, opts, report, this.clientClock));
    }
    const all = Promise.all(runs);
    this.clientRuns.push(all);
    return all;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SockLensEvent> {
    const buffered: SockLensEvent[] = [];
    let wake: (() => void) | null = null;
    let finished = this.ended;
    const onEvent = (ev: SockLensEvent): void => {
      buffered.push(ev);
      wake?.();
    };
    const onEnd = (): void => {
      finished = true;
      wake?.();
    };
    this.on('event', onEvent);
    this.once('end', onEnd);
    try {
      for (;;) {
        while (buffered.length) yield buffered.shift()!;
        if (finished) return;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      this.off('event', onEvent);
      this.off('end', onEnd);
    }
  }

  /** Synchronous last resort (the runner is exiting). */
  killNow(): void {
    if (this.child?.pid) killGroupNow(this.child.pid, this.announcedPids());
    this.tcpStates?.stop();
    this.channel?.close();
  }

  // ---- events: stamped on the run clock, they leave in time order (timeOrder.ts) with their seq ----

  private enqueue<E extends SockLensEvent>(ev: E): E {
    return this.order.add(ev) as E;
  }

  private flush(): void {
    this.order.flush();
  }

  private emitEvent(ev: SockLensEvent): void {
    if (this.sealed) return;
    ev.seq = ++this.seq;
    if (ev.kind === 'repeated' || ev.kind === 'problem') this.completions.get(ev)?.();
    this.emit('event', ev);
  }

  /** `t` of an event that happened at `us` on the run clock. */
  private runTime(us: number): number {
    return Math.max(0, us - this.startUs);
  }

  /** Queues a runner event (or the kernel's view of a socket) stamped `atUs` (default now); pushRunner also lets what may leave go. */
  private addRunner(body: DistributiveOmit<RunnerEvent | TcpStateEvent, 'v' | 'seq' | 't'>, atUs = monotonicUs()): void {
    if (this.sealed) return;
    this.enqueue({ v: EVENT_SCHEMA_VERSION, seq: 0, t: this.runTime(atUs), ...body } as RunnerEvent | TcpStateEvent);
  }

  private pushRunner(body: DistributiveOmit<RunnerEvent | TcpStateEvent, 'v' | 'seq' | 't'>, atUs?: number): void {
    this.addRunner(body, atUs);
    this.flush();
  }

  /** A test client's report, stamped with the mark it was taken for (then settled) or now. */
  private addClientReport(r: ClientReport, at?: OrderMark): void {
    this.addRunner({ kind: 'client', ...r }, at?.us);
    at?.settle();
    this.flush();
  }

  /** After a drain: the tracer has delivered everything stamped before `upToUs` (null: not surely). */
  private onDrained(upToUs: number | null): void {
    if (upToUs !== null) this.order.tracerDeliveredUpTo(upToUs - ORDER_SLACK_US);
    this.repeats.tick(monotonicUs());
    this.flush();
  }

  /**
   * When a line of the program's output was written. Until the tracer reports the program's writes to fds 1 and
   * 2 (with their time), it is when the runner read the line, but never after the main process exited: a line
   * read after that, before `exited` is out, was written before it (later ones come from children that outlived it).
   */
  private outputLineTime(readUs: number): number {
    return this.exitMark && !this.exitedPushed ? Math.min(readUs, this.exitMark.us) : readUs;
  }

  // ---- lifecycle ----

  private async start(): Promise<void> {
    await Promise.resolve(); // let the caller subscribe first
    const o = this.options;
    const source = path.resolve(o.source);
    try {
      assertSupportedPlatform();
      const compiler = o.compiler ?? 'gcc';
      const tracer = ensureTracer(compiler, o.cacheDir);
      tracer.catch(() => undefined); // awaited below; a compile error is reported first
      const compiled = await compileProgram({
        ...o,
        source,
        onStart: (c, args) => this.pushRunner({ kind: 'compile-started', compiler: c, args }),
      });
      this.diagnostics = compiled.diagnostics;
      this.pushRunner({ kind: 'compile-finished', ok: compiled.ok, cached: compiled.cached, binary: compiled.binary, diagnostics: compiled.diagnostics });
      if (!compiled.ok || !compiled.binary) return this.finish('compile-error', false);
      const tracerLib = await tracer;
      if (this.stopReason) return this.finish(this.stopReason, true);
      this.binary = compiled.binary;
      this.channel = await EventChannel.open({
        opened: (conn) => this.openConns.set(conn.id, conn),
        record: (record) => this.onRecord(record),
        drained: (upToUs) => this.onDrained(upToUs),
        closed: (conn) => this.onConnClosed(conn),
      });
      let args: string[];
      if (o.args === 'auto') args = await autoArguments(fs.readFileSync(source, 'utf8'), await freePort());
      else args = o.args ?? [];
      if (this.stopReason) return this.finish(this.stopReason, true);
      this.lines = new SourceLines(compiled.binary, o.workspaceRoot ?? path.dirname(source));
      this.spawnProgram(compiled.binary, args, tracerLib, o.cwd ?? path.dirname(source));
    } catch (err) {
      if (err instanceof RunnerSetupError || err instanceof AutoArgumentsError) {
        this.pushRunner({ kind: 'problem', code: 'setup', message: { en: err.message, ko: koreanSetupMessage(err.message) } });
        return this.finish('setup-error', false, err.message);
      }
      const message = err instanceof Error ? err.message : String(err);
      this.pushRunner({ kind: 'problem', code: 'runner', message: { en: `The runner failed: ${message}`, ko: `실행기에 오류가 났습니다: ${message}` } });
      return this.finish('setup-error', false, message);
    }
  }

  private spawnProgram(binary: string, args: string[], tracerLib: string, cwd: string): void {
    const env = { ...(this.options.env ?? process.env) };
    env.LD_PRELOAD = env.LD_PRELOAD ? `${tracerLib}:${env.LD_PRELOAD}` : tracerLib;
    Object.assign(env, this.channel!.env);
    const argv0 = `./${path.basename(binary)}`;
    // stamped before the spawn, so it precedes everything the program does; no record can be older than this
    const spawnUs = monotonicUs();
    this.order.tracerDeliveredUpTo(spawnUs);
    const child = spawn(binary, args, { argv0, cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.argv = [argv0, ...args];
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    this.giveEarlyInput(child);
    this.pipeLines(child.stdout, 'stdout');
    this.pipeLines(child.stderr, 'stderr');
    child.on('error', (err) => {
      this.pushRunner({ kind: 'problem', code: 'runner', message: { en: `Could not start the program: ${err.message}`, ko: `프로그램을 시작하지 못했습니다: ${err.message}` } });
      void this.finish('setup-error', false, err.message);
    });
    if (child.pid === undefined) return;
    this.pid = child.pid;
    this.expectedPids.add(child.pid);
    liveRuns.add(this);
    this.pushRunner({ kind: 'process-started', pid: child.pid, ppid: null, argv: this.argv }, spawnUs);
    const mainPid = child.pid;
    this.tcpStates = new TcpStateSampler({ pids: () => [mainPid, ...this.announcedPids()], report: (s) => this.pushRunner(s) }).watch(this);
    child.on('exit', (code, signal) => {
      this.exitMark ??= this.order.mark(undefined, true);
      this.exitInfo = { code, signal };
      // children that inherited stdout can keep 'close' from coming: do not wait for them
      setTimeout(() => void this.onMainExited(), EXIT_SETTLE_MS).unref();
    });
    child.on('close', () => void this.onMainExited());
    if (this.options.timeoutMs !== undefined) {
      this.timeoutTimer = setTimeout(() => void this.requestStop('timeout'), this.options.timeoutMs);
    }
  }

  /** What was typed or piped while compiling goes to the program first, then EOF when input had ended. */
  private giveEarlyInput(child: ChildProcessWithoutNullStreams): void {
    for (const text of this.earlyInput.splice(0)) child.stdin.write(text);
    if (this.earlyInputClosed) child.stdin.end();
  }

  private pipeLines(stream: NodeJS.ReadableStream, kind: 'stdout' | 'stderr'): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      const readUs = monotonicUs();
      const parts = (partial + d).split('\n');
      partial = parts.pop() ?? '';
      while (partial.length > MAX_LINE) {
        parts.push(partial.slice(0, MAX_LINE));
        partial = partial.slice(MAX_LINE);
      }
      for (const text of parts) this.addRunner({ kind, pid: this.pid ?? 0, text }, this.outputLineTime(readUs));
      this.flush();
    });
    stream.on('end', () => {
      if (partial) this.pushRunner({ kind, pid: this.pid ?? 0, text: partial }, this.outputLineTime(monotonicUs()));
      partial = '';
    });
  }

  private async onMainExited(): Promise<void> {
    if (this.exitedEmitted || !this.exitInfo || !this.pid) return;
    this.exitedEmitted = true;
    const pid = this.pid;
    // the main process's announcement may not even be accepted yet: wait until it has ended, then take its last records
    await waitFor(() => {
      this.channel?.drain();
      return this.seenPids.has(pid) && ![...this.openConns.values()].some((c) => c.pid === pid);
    }, 2000, 5);
    this.channel?.drain();
    await waitFor(() => !this.hasPending(), 2000, 5); // the crash report points at the last source line
    const { code, signal } = this.exitInfo;
    this.addRunner({ kind: 'exited', pid, code, signal, reason: exitReason(code, signal) }, this.exitMark?.us);
    this.exitMark?.settle();
    this.flush();
    this.exitedPushed = true;
    if (isCrashSignal(signal)) {
      const words = exitReason(code, signal);
      const src = this.processes.get(pid)?.lastSrc;
      this.pushRunner({
        kind: 'problem',
        code: 'crash',
        pid,
        message: { en: `The program ${words}.`, ko: `프로그램이 비정상 종료되었습니다 (${signal}).` },
        ...(src ? { src } : {}),
        explanation: {
          en: 'The last traced call before the crash is shown with it; the crash itself happened after that line.',
          ko: '비정상 종료 직전에 기록된 호출을 함께 보여 줍니다. 실제 오류는 그 줄 다음에 일어났습니다.',
        },
      });
    }
    if (!this.stopping) void this.waitForNaturalEnd();
  }

  /** After the main process exited by itself: the run ends when the rest of its group is gone too. */
  private async waitForNaturalEnd(): Promise<void> {
    const pgid = this.pid!;
    let goneSince: number | null = null;
    while (!this.stopping && !this.ended) {
      if (groupGone(pgid, this.announcedPids())) {
        goneSince ??= Date.now();
        // a process can be gone before its stream was accepted: wait (bounded) for every expected stream to end
        if (this.streamsDone() || Date.now() - goneSince > 2000) return this.finish('exited', true);
      }
      await new Promise((r) => setTimeout(r, goneSince === null ? 50 : 5));
    }
  }

  /** Every expected process has said hello, every traced process has ended, and the ring is drained. */
  private streamsDone(): boolean {
    this.channel?.drain();
    if (this.openConns.size > 0) return false;
    for (const pid of this.expectedPids) if (!this.seenPids.has(pid)) return false;
    this.channel?.drain(true); // no producer is left: slots reserved by a killed process are skipped
    this.order.tracerDeliveredUpTo(null);
    return true;
  }

  /** Traced processes besides the main one: those with an open stream, and children a fork() reported that still run. */
  private announcedPids(): number[] {
    const pids = new Set([...this.openConns.values()].map((c) => c.pid));
    for (const pid of this.expectedPids) if (isAlive(pid)) pids.add(pid);
    pids.delete(0);
    if (this.pid) pids.delete(this.pid);
    return [...pids];
  }

  private requestStop(reason: 'stop' | 'timeout'): Promise<RunResult> {
    if (this.ended) return this.done;
    if (this.stopping) return this.stopping;
    this.stopReason = reason;
    if (!this.child?.pid) return this.done; // still compiling: start() ends the run at its next step
    const pgid = this.child.pid;
    this.stopping = (async () => {
      await stopGroup(pgid, this.announcedPids(), this.options.stopGraceMs ?? 2000);
      await waitFor(() => this.exitedPushed, 3000, 5);
      await waitFor(() => this.streamsDone(), 1000, 5);
      await this.finish(reason, true);
      return this.done;
    })();
    return this.stopping;
  }

  private async finish(reason: EndReason, checkPorts: boolean, error?: string): Promise<void> {
    if (this.ended) return;
    this.channel?.drain(true);
    this.order.tracerDeliveredUpTo(null);
    this.repeats.endAll();
    this.ended = true;
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    await this.endClients();
    await this.tcpStates?.settle();
    let portsFreed = true;
    if (checkPorts && this.model.services.length) {
      portsFreed = await waitFor(async () => {
        for (const s of this.model.services) if (!(await portReleased(s.address.host, s.address.port, s.transport === 'udp'))) return false;
        return true;
      }, 3000, 50);
    }
    await waitFor(() => !this.hasPending(), 2000, 5);
    if (reason !== 'compile-error' && reason !== 'setup-error') {
      this.addRunner({ kind: 'stopped', reason, portsFreed });
    }
    this.order.flushEverything();
    this.sealed = true;
    this.channel?.close();
    this.lines?.close();
    liveRuns.delete(this);
    this.child?.stdin.destroy();
    const result: RunResult = {
      reason,
      exitCode: this.exitInfo?.code ?? null,
      signal: this.exitInfo?.signal ?? null,
      diagnostics: this.diagnostics,
      portsFreed,
      ...(error ? { error } : {}),
    };
    this.emit('end', result);
    this.resolveDone(result);
  }

  private hasPending(): boolean {
    return this.order.holding;
  }

  /** The program is gone: clients still waiting for an answer (UDP has no end of stream) give up, live ones close. */
  private async endClients(): Promise<void> {
    this.clientsAbort.abort();
    this.liveClients.closeAll();
    await Promise.allSettled(this.clientRuns);
    await waitFor(() => this.liveClients.size === 0, 1000, 5);
  }

  // ---- tracer records ----

  private onConnClosed(conn: TraceConnection): void {
    this.openConns.delete(conn.id);
  }

  /** One record of a drain (the channel calls flush after the last one). */
  private onRecord(r: TracerRecord): void {
    if (this.ended) return;
    if (r.call === 'hello') this.onHello(r);
    else if (r.call === 'output') return; // the program's own stdout/stderr writes (outputWriteOf): timing for its lines, not a call
    else if (!this.repeats.absorb(r)) this.onCall(r);
  }

  private onHello(r: TracerRecord): void {
    this.seenPids.add(r.pid);
    const exe = r.dataText();
    const ppid = r.arg(0);
    const known = this.processes.get(r.pid);
    const proc = known ?? this.processOf(r.pid);
    proc.isProgram = exe === this.binary;
    if (r.pid !== this.pid) {
      reduce(this.model, this.enqueue({ v: EVENT_SCHEMA_VERSION, seq: 0, t: this.runTime(r.tUs), kind: 'process-started', pid: r.pid, ppid, argv: exe ? [exe] : [] }));
    }
  }

  /** The process's state, made on its first record (its hello, unless that was lost). */
  private processOf(pid: number): TracedProcess {
    let proc = this.processes.get(pid);
    if (!proc) this.processes.set(pid, (proc = { isProgram: false, lastSrc: null }));
    return proc;
  }

  private onCall(r: TracerRecord): void {
    const ev = callEventOf(r);
    ev.t = this.runTime(r.tUs);
    this.startStreak(r, ev);
    this.enqueue(ev);
    const proc = this.processOf(ev.pid);
    reduce(this.model, ev);
    this.reuseAddr.observe(ev);
    if (ev.call === 'fork' && ev.ret > 0) this.expectedPids.add(ev.ret);
    const lines = this.lines;
    const problem = isProblem(ev) ? this.problemEntry(ev) : null;
    if ((r.flags & FLAG_HAS_PC) && lines && proc.isProgram) {
      const pc = r.pc;
      const known = lines.cached(pc);
      if (known !== undefined) this.setSrc(ev, proc, known);
      else {
        this.order.hold(ev);
        if (problem) this.order.hold(problem.ev);
        void lines.lookup(pc).then((loc) => {
          this.setSrc(ev, proc, loc);
          this.order.release(ev);
          if (problem) {
            problem.fill();
            this.order.release(problem.ev);
          }
          this.flush();
        });
      }
    }
    problem?.fill();
    this.maybeStartAutoClient(ev, r);
  }

  /** `ev` ends its thread's streak of identical calls and, when it could repeat, starts the next. */
  private startStreak(r: TracerRecord, ev: CallEvent): void {
    if (!canRepeat(ev)) return this.repeats.begin(r, null, null);
    const socket = socketOf(this.model, ev.pid, ev.fd);
    const stream = socket !== undefined && !socket.datagram && socket.role !== 'epoll';
    this.repeats.begin(r, ev, floodKindOf(ev, stream));
  }

  private addRepeated(first: CallEvent, repeats: number, atUs: number): void {
    const ev: RepeatedEvent = { v: EVENT_SCHEMA_VERSION, seq: 0, t: this.runTime(atUs), kind: 'repeated', pid: first.pid, tid: first.tid, of: 0, repeats };
    this.completions.set(ev, () => (ev.of = first.seq));
    this.enqueue(ev);
  }

  private addFloodProblem(first: CallEvent, kind: FloodKind, repeats: number, atUs: number): void {
    const ev = this.enqueue<SockLensEvent>({ v: EVENT_SCHEMA_VERSION, seq: 0, t: this.runTime(atUs), kind: 'problem', ...floodProblemOf(first, kind, repeats) });
    this.completions.set(ev, () => {
      if (first.src && ev.kind === 'problem') ev.src = first.src;
    });
  }

  private setSrc(ev: CallEvent, proc: TracedProcess, loc: SourceLocation | null): void {
    if (!loc) return;
    ev.src = loc;
    proc.lastSrc = loc;
  }

  /** The problem event that follows a failed call; for EADDRINUSE it waits for who holds the port. */
  private problemEntry(call: CallEvent): { ev: SockLensEvent; fill: () => void } {
    const ev = this.enqueue<SockLensEvent>({ v: EVENT_SCHEMA_VERSION, seq: 0, t: call.t, kind: 'problem', code: call.errno ?? 'unknown', message: { en: '', ko: '' } });
    let holders: Awaited<ReturnType<typeof portHolders>> | undefined;
    const fill = (): void => {
      Object.assign(ev, problemOf(call, holders, this.reuseAddr.isSet(call.pid, call.fd)));
    };
    const port = call.errno === 'EADDRINUSE' && call.local ? splitAddress(call.local)?.port : undefined;
    if (port !== undefined) {
      this.order.hold(ev);
      const udp = socketOf(this.model, call.pid, call.fd)?.datagram ?? false;
      void portHolders(port, udp).then((h) => {
        holders = h;
        fill();
        this.order.release(ev);
        this.flush();
      });
    }
    return { ev, fill };
  }

  private clientTarget(req: ClientRequest): ListenAddress | null {
    if (req.port !== undefined) return { host: req.host ?? '127.0.0.1', port: req.port, udp: req.udp ?? false };
    const candidates = this.model.services.filter((s) => req.udp === undefined || (s.transport === 'udp') === req.udp);
    for (const s of candidates) {
      const host = loopbackFor(s.address.host);
      if (host) return { host, port: s.address.port, udp: s.transport === 'udp' };
    }
    return null;
  }

  private maybeStartAutoClient(ev: CallEvent, r: TracerRecord): void {
    const req = this.options.client;
    if (!req || this.autoClientStarted || ev.ret < 0) return;
    const udpBind = r.call === 'bind' && (socketOf(this.model, ev.pid, ev.fd)?.datagram ?? false);
    if (r.call !== 'listen' && !udpBind) return;
    this.autoClientStarted = true;
    const service: Service | undefined = this.model.services.find((s) => s.pid === ev.pid && s.fd === ev.fd);
    const host = service ? loopbackFor(service.address.host) : null;
    if (!service || !host) {
      this.pushRunner({ kind: 'client', client: 0, action: 'error', message: `the test client only uses loopback; the program is bound to ${ev.local ?? 'an unknown address'}` });
      return;
    }
    void this.connectClient({ ...req, host, port: service.address.port, udp: udpBind }).catch(() => undefined);
  }
}

interface TracedProcess {
  /** Whether the process's current image is the compiled program (an exec'd one keeps its pid, not its binary). */
  isProgram: boolean;
  /** Where its last traced call came from (a crash report points there). */
  lastSrc: SourceLocation | null;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function koreanSetupMessage(en: string): string {
  if (/not supported on/.test(en)) return '이 운영체제에서는 아직 프로그램 실행과 추적을 지원하지 않습니다 (지금은 Linux만).';
  const compiler = /The C compiler "([^"]+)" was not found\. Install it with: (.*)$/.exec(en);
  if (compiler) return `C 컴파일러 "${compiler[1]}"를 찾지 못했습니다. 다음 명령으로 설치하세요: ${compiler[2]}`;
  if (/static binary/.test(en)) return 'SockLens는 정적 바이너리를 추적할 수 없습니다(LD_PRELOAD를 무시합니다). 컴파일러 옵션에서 -static을 빼세요.';
  if (/--args auto/.test(en)) return '--args auto로는 이 프로그램의 인자를 알아낼 수 없습니다. -- 뒤에 인자를 직접 적어 주세요.';
  return `실행 준비 중 문제가 생겼습니다: ${en}`;
}

/** Compiles and runs `options.source` under the tracer; see Run. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}
