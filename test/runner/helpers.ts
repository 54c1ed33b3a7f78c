import * as net from 'node:net';
import { after } from 'node:test';
import * as path from 'node:path';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { startRun, type Run, type RunOptions } from '../../src/core/runner/run';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'runner');
export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
export const fixture = (name: string): string => path.join(FIXTURES, name);

/** Collects a run's events and lets a test wait for one (bounded). */
export class Recorder {
  readonly events: SockLensEvent[] = [];
  private waiters: { pred: (e: SockLensEvent) => boolean; resolve: (e: SockLensEvent) => void }[] = [];

  constructor(readonly run: Run) {
    run.on('event', (e: SockLensEvent) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  waitFor(pred: (e: SockLensEvent) => boolean, what: string, timeoutMs = 15000): Promise<SockLensEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got:\n${this.events.map((e) => JSON.stringify(e)).join('\n')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  waitForCall(call: string, extra: (e: CallEvent) => boolean = () => true, timeoutMs?: number): Promise<CallEvent> {
    return this.waitFor((e) => e.kind === 'call' && e.call === call && extra(e), `call ${call}`, timeoutMs) as Promise<CallEvent>;
  }

  calls(): CallEvent[] {
    return this.events.filter((e): e is CallEvent => e.kind === 'call');
  }

  /** "line call fd→ret" for compact sequence assertions. */
  sequence(pid?: number): string[] {
    return this.calls()
      .filter((c) => pid === undefined || c.pid === pid)
      .map((c) => `${c.src?.line ?? '-'} ${c.call}${c.phase ? `:${c.phase}` : ''} ${c.fd ?? '-'} → ${c.errno ?? c.ret}`);
  }
}

const started = new Set<Run>();
// a failed assertion must not leave a program running
after(() => Promise.all([...started].map((run) => run.stop())));

export function record(options: RunOptions): Recorder {
  const run = startRun(options);
  started.add(run);
  return new Recorder(run);
}

/** A TCP port nobody listens on right now (loopback). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Connects, sends `text`, resolves with everything received until the server closes or goes quiet (bounded). */
export async function exchange(port: number, text: string, host = '127.0.0.1', quietMs = 300): Promise<string> {
  return (await exchangeFrom(port, text, host, quietMs)).reply;
}

/** exchange(), also telling the client's own port (what the server sees as its peer's). */
export function exchangeFrom(port: number, text: string, host = '127.0.0.1', quietMs = 300): Promise<{ reply: string; clientPort: number }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let got = '';
    let clientPort = 0;
    let quiet: NodeJS.Timeout | undefined;
    const overall = setTimeout(() => done(), 5000);
    const done = (): void => {
      clearTimeout(overall);
      if (quiet) clearTimeout(quiet);
      sock.destroy();
      resolve({ reply: got, clientPort });
    };
    sock.on('connect', () => {
      clientPort = sock.localPort ?? 0;
      sock.write(text);
    });
    sock.on('data', (d) => {
      got += d.toString();
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    });
    sock.on('end', done);
    sock.on('error', (err) => {
      clearTimeout(overall);
      reject(err);
    });
  });
}

/** Starts `name` with a free port as argv[1] and waits for its listen (TCP) or bind (UDP) event. */
export async function startServer(name: string, options: Partial<RunOptions> = {}, ready = 'listen'): Promise<{ r: Recorder; port: number }> {
  const port = await freePort();
  const r = record({ source: fixture(name), args: [String(port)], ...options });
  await r.waitForCall(ready, (c) => c.ret === 0);
  return { r, port };
}
