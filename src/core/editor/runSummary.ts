import type { SockLensEvent } from '../protocol/events';

export type RunStage = 'compiling' | 'compile-failed' | 'running' | 'exited';

/** What the status bar says about a run, folded from its events. */
export interface RunSummary {
  stage: RunStage;
  /** Ports the program listens on (from successful `listen` calls). */
  listeningPorts: number[];
  /** Accepted connections that some process still holds open. */
  openConnections: number;
  exitCode?: number | null;
  signal?: string | null;
}

/** The port of an address as the tracer reports it ("0.0.0.0:9190", "[::]:9190"); undefined for UNIX paths. */
export function portOf(address: string | undefined): number | undefined {
  const m = address ? /:(\d{1,5})$/.exec(address) : null;
  const port = m ? Number(m[1]) : NaN;
  return port >= 0 && port <= 65535 ? port : undefined;
}

type Held = { kind: 'listening'; port: number } | { kind: 'connection'; id: number };

/**
 * Folds a run's events into a summary. Descriptors are tracked per process and copied to forked children,
 * so a fork-per-client server whose parent closes the accepted socket still counts the connection until
 * the child closes it too.
 */
export class RunSummaryTracker {
  readonly summary: RunSummary = { stage: 'compiling', listeningPorts: [], openConnections: 0 };
  private mainPid: number | undefined;
  private nextConnection = 1;
  /** "pid:fd" → what that descriptor is. */
  private readonly descriptors = new Map<string, Held>();

  apply(event: SockLensEvent): void {
    const s = this.summary;
    switch (event.kind) {
      case 'compile-finished':
        s.stage = event.ok ? 'running' : 'compile-failed';
        break;
      case 'process-started':
        this.mainPid ??= event.pid;
        if (s.stage === 'compiling') s.stage = 'running';
        break;
      case 'exited':
        this.dropProcess(event.pid);
        if (event.pid === this.mainPid) {
          s.stage = 'exited';
          s.exitCode = event.code;
          s.signal = event.signal;
        }
        break;
      case 'stopped':
        if (s.stage !== 'compile-failed') s.stage = 'exited';
        this.descriptors.clear();
        break;
      case 'call':
        if (!event.errno) this.applyCall(event.pid, event.call, event.fd, event.ret, event.newFd, event.local);
        break;
      default:
        return;
    }
    const held = [...this.descriptors.values()];
    s.listeningPorts = [...new Set(held.flatMap((h) => (h.kind === 'listening' ? [h.port] : [])))].sort((a, b) => a - b);
    s.openConnections = new Set(held.flatMap((h) => (h.kind === 'connection' ? [h.id] : []))).size;
  }

  private applyCall(pid: number, call: string, fd: number | null, ret: number, newFd: number | undefined, local: string | undefined): void {
    if (call === 'listen' && fd !== null) {
      const port = portOf(local);
      if (port !== undefined) this.descriptors.set(`${pid}:${fd}`, { kind: 'listening', port });
    } else if ((call === 'accept' || call === 'accept4') && ret >= 0) {
      this.descriptors.set(`${pid}:${newFd ?? ret}`, { kind: 'connection', id: this.nextConnection++ });
    } else if (call === 'close' && fd !== null) {
      this.descriptors.delete(`${pid}:${fd}`);
    } else if (call === 'fork' && ret > 0) {
      for (const [key, held] of [...this.descriptors]) {
        const [owner, descriptor] = key.split(':');
        if (Number(owner) === pid) this.descriptors.set(`${ret}:${descriptor}`, held);
      }
    }
  }

  private dropProcess(pid: number): void {
    for (const key of [...this.descriptors.keys()]) if (key.startsWith(`${pid}:`)) this.descriptors.delete(key);
  }
}
