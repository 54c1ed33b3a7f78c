import * as fs from 'node:fs';
import type { EventEmitter } from 'node:events';
import type { SockLensEvent, TcpStateEvent } from '../protocol/events';
import { readTcpTables, socketDescriptors, ticksToMs, type TcpRow } from './procNetTcp';

export type TcpStateReport = Omit<TcpStateEvent, 'v' | 'seq' | 't'>;

export interface TcpStateOptions {
  /** The traced processes to look into (dead ones are fine: their sockets count as closed). */
  pids: () => Iterable<number>;
  report: (state: TcpStateReport) => void;
  /** Shortest time between two samples (default 100 ms). */
  intervalMs?: number;
}

/** One socket a traced process has (or had) open, by process and inode. */
interface Tracked {
  pid: number;
  fd: number;
  inode: number;
  /** The connection's addresses as the table prints them: how it is found again once no descriptor names it. */
  tupleKey: string;
  local: string;
  peer: string;
  /** What was last reported, to report changes only. */
  reported: string;
  closed: boolean;
}

/** A sample may take at most this share of the time between samples (reading a table of thousands of TIME_WAIT rows costs milliseconds). */
const MAX_DUTY = 0.05;
/** Sockets followed at once: beyond that, new ones are not reported (a flood of short connections stays cheap). */
const MAX_TRACKED = 256;
/** After the program is gone: how long to follow its connections through FIN_WAIT, LAST_ACK … (TIME_WAIT reports its own expiry). */
const SETTLE_MS = 1500;
const SETTLE_INTERVAL_MS = 50;

/**
 * Samples the kernel's TCP state of the traced processes' sockets (/proc/net/tcp{,6}, matched by inode through
 * /proc/PID/fd) and reports each change: LISTEN with its accept queue, the handshake, ESTABLISHED, the closing
 * states, and after close (matched by the connection's addresses) FIN_WAIT*, TIME_WAIT with its expiry, LAST_ACK.
 * Runs on a timer in the runner process, only once the run's events show a TCP socket.
 */
export class TcpStateSampler {
  private readonly tracked = new Map<string, Tracked>();
  /** Connections by "pid:fd" as accept() reported them, for one that is closed before a sample ever saw it open. */
  private readonly accepted = new Map<string, { local: string; peer: string }>();
  /** listen()'s backlog per "pid:fd", as the kernel applies it. */
  private readonly backlogs = new Map<string, number>();
  private active = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly somaxconn = readSomaxconn();

  constructor(private readonly options: TcpStateOptions) {
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** Follows `source`'s events (listen's backlog; the first TCP socket starts the sampling). */
  watch(source: EventEmitter): this {
    source.on('event', (ev: SockLensEvent) => this.observe(ev));
    return this;
  }

  observe(ev: SockLensEvent): void {
    if (ev.kind !== 'call' || ev.ret < 0) return;
    if (ev.call === 'listen' && ev.fd !== null) {
      this.backlogs.set(`${ev.pid}:${ev.fd}`, this.appliedBacklog(Number(ev.args.backlog)));
    } else if ((ev.call === 'accept' || ev.call === 'accept4') && ev.newFd !== undefined && ev.local && ev.peer) {
      this.accepted.set(`${ev.pid}:${ev.newFd}`, { local: ev.local, peer: ev.peer });
    } else if (ev.call === 'close' && ev.fd !== null) {
      this.followUnseen(ev.pid, ev.fd);
    }
    if (!this.active && usesTcp(ev)) {
      this.active = true;
      this.schedule(0);
    }
  }

  /** After the program is gone: follow its closing connections until only TIME_WAIT (or nothing) is left, bounded. */
  async settle(): Promise<void> {
    this.stopTimer();
    if (!this.active || this.stopped) return;
    const until = Date.now() + SETTLE_MS;
    for (;;) {
      this.sample();
      const busy = [...this.tracked.values()].some((t) => !t.reported.startsWith('TIME_WAIT'));
      if (!busy || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, SETTLE_INTERVAL_MS));
    }
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.stopTimer();
  }

  /** One look at the kernel: report what changed since the last one. */
  sample(): void {
    if (this.stopped) return;
    const open = new Map<string, { pid: number; fd: number; inode: number }>();
    const claimed = new Set<number>(); // a socket shared after fork() is reported for one process: the first listed
    for (const pid of this.options.pids()) {
      for (const [inode, fds] of socketDescriptors(pid)) {
        if (claimed.has(inode)) continue;
        claimed.add(inode);
        open.set(`${pid}:${inode}`, { pid, fd: Math.min(...fds), inode });
      }
    }
    if (open.size === 0 && this.tracked.size === 0) return;
    const rows = readTcpTables();
    const byInode = new Map<number, TcpRow>();
    const orphans = new Map<string, TcpRow>();
    for (const row of rows) {
      if (row.inode !== 0) byInode.set(row.inode, row);
      else if (row.state !== 'LISTEN') orphans.set(row.tupleKey, row);
    }
    for (const [key, t] of this.tracked) {
      if (!open.has(key)) this.followClosed(key, t, byInode, orphans);
    }
    for (const [key, s] of open) {
      const row = byInode.get(s.inode);
      if (row) this.followOpen(key, s, row);
    }
  }

  /** A connection accepted and closed between two samples: look for what it left behind (TIME_WAIT …) by its addresses. */
  private followUnseen(pid: number, fd: number): void {
    const conn = this.accepted.get(`${pid}:${fd}`);
    this.accepted.delete(`${pid}:${fd}`);
    if (!conn || this.tracked.size >= MAX_TRACKED) return;
    const tupleKey = `${conn.local} ${conn.peer}`;
    for (const t of this.tracked.values()) if (t.pid === pid && t.tupleKey === tupleKey) return;
    this.tracked.set(`${pid}:${tupleKey}`, { pid, fd, inode: -1, tupleKey, ...conn, reported: '', closed: true });
  }

  private followOpen(key: string, s: { pid: number; fd: number; inode: number }, row: TcpRow): void {
    let t = this.tracked.get(key);
    if (!t) {
      if (this.tracked.size >= MAX_TRACKED) return;
      t = { ...s, tupleKey: row.tupleKey, local: row.local, peer: row.peer, reported: '', closed: false };
      this.tracked.set(key, t);
    }
    t.fd = s.fd;
    t.tupleKey = row.tupleKey;
    t.local = row.local;
    t.peer = row.peer;
    this.reportIfChanged(t, row);
  }

  /** The process no longer has the descriptor: the connection lives on without one, or is gone. */
  private followClosed(key: string, t: Tracked, byInode: Map<number, TcpRow>, orphans: Map<string, TcpRow>): void {
    if (byInode.has(t.inode)) {
      this.tracked.delete(key); // another process still has it open (a forked child, a passed descriptor)
      return;
    }
    t.closed = true;
    const row = orphans.get(t.tupleKey);
    if (row) return this.reportIfChanged(t, row);
    this.tracked.delete(key);
    if (t.reported !== '') this.report(t, 'CLOSE', 'CLOSE'); // the kernel has forgotten the connection
  }

  private reportIfChanged(t: Tracked, row: TcpRow): void {
    const backlog = row.state === 'LISTEN' ? this.backlogs.get(`${t.pid}:${t.fd}`) : undefined;
    const signature = `${row.state}|${row.state === 'LISTEN' ? row.rxQueue : ''}|${backlog ?? ''}|${t.closed}`;
    if (signature === t.reported) return;
    if (row.state === 'CLOSE' || row.state === 'NEW_SYN_RECV') return; // not a state a connection rests in
    this.report(t, signature, row.state, {
      ...(row.state === 'LISTEN' ? { acceptQueue: row.rxQueue, ...(backlog !== undefined ? { backlog } : {}) } : {}),
      ...(row.state === 'TIME_WAIT' ? { expiresInMs: ticksToMs(row.timerTicks) } : {}),
    });
  }

  private report(t: Tracked, signature: string, state: TcpStateReport['state'], extra: Partial<TcpStateReport> = {}): void {
    t.reported = signature;
    this.options.report({ kind: 'tcp-state', pid: t.pid, fd: t.fd, state, local: t.local, peer: t.peer, ...extra, ...(t.closed ? { closed: true } : {}) });
  }

  /** listen(2): a backlog above /proc/sys/net/core/somaxconn is silently capped to it (compared unsigned: a negative one too). */
  private appliedBacklog(backlog: number): number {
    if (!Number.isFinite(backlog)) return this.somaxconn;
    return backlog >>> 0 > this.somaxconn ? this.somaxconn : backlog;
  }

  private schedule(afterMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const began = performance.now();
      this.sample();
      const cost = performance.now() - began;
      this.schedule(Math.max(this.intervalMs, cost / MAX_DUTY));
    }, afterMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** A call that shows the program has (or is about to have) a TCP socket. */
function usesTcp(ev: Extract<SockLensEvent, { kind: 'call' }>): boolean {
  switch (ev.call) {
    case 'socket':
      return String(ev.args.type).startsWith('SOCK_STREAM') && (ev.args.family === 'AF_INET' || ev.args.family === 'AF_INET6');
    case 'listen':
    case 'accept':
    case 'accept4':
    case 'connect':
      return true;
    default:
      return false;
  }
}

function readSomaxconn(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim()) || 4096;
  } catch {
    return 4096;
  }
}
