import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { monotonicUs } from '../../src/core/runner/timeOrder';
import { EXAMPLES, Recorder, fixture, record } from './helpers';

type ClientEvent = Extract<SockLensEvent, { kind: 'client' }>;

/** Compiles a probe untraced and runs it. */
function runProbe(name: string): { stdout: string; status: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-probe-'));
  try {
    const bin = path.join(dir, name);
    const cc = spawnSync('gcc', ['-O0', '-Wall', '-o', bin, fixture(`${name}.c`)], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const run = spawnSync(bin, [], { encoding: 'utf8', timeout: 10000 });
    return { stdout: run.stdout, status: run.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Events are emitted in time order with seq 1, 2, 3 … */
function assertTimeOrdered(r: Recorder): void {
  r.events.forEach((e, i) => {
    assert.equal(e.seq, i + 1);
    if (i > 0) assert.ok(e.t >= r.events[i - 1].t, `event ${e.seq} (${describe(e)}) at ${e.t} µs comes after ${describe(r.events[i - 1])} at ${r.events[i - 1].t} µs`);
  });
}

function describe(e: SockLensEvent): string {
  if (e.kind === 'call') return `${e.call}${e.phase ? `:${e.phase}` : ''}`;
  if (e.kind === 'client') return `client ${e.action}`;
  if (e.kind === 'stdout' || e.kind === 'stderr') return `${e.kind} "${e.text}"`;
  return e.kind;
}

/** Compact names of the events in emitted order (calls by name, clients by action, output by text). */
function story(r: Recorder): string[] {
  return r.events.map(describe);
}

function indexOf(r: Recorder, what: string): number {
  const i = story(r).indexOf(what);
  assert.ok(i >= 0, `${what} missing from ${story(r).join(', ')}`);
  return i;
}

test("Node's process.hrtime is CLOCK_MONOTONIC: a C program's clock_gettime(CLOCK_MONOTONIC) lies between two readings", () => {
  const before = monotonicUs();
  const probe = runProbe('clock_probe');
  const after = monotonicUs();
  assert.equal(probe.status, 0);
  const c = Number(probe.stdout.trim());
  assert.ok(before <= c && c <= after, `${before} ≤ ${c} ≤ ${after}`);
});

test('kernel probe: a TCP connect() completes before the server calls accept() (the connection waits in the queue)', () => {
  const probe = runProbe('backlog_probe');
  assert.equal(probe.status, 0);
  assert.equal(probe.stdout.trim(), 'connect 0 before accept; accept took it');
});

test("the tracer's call times and the runner's are one clock, counted from one run origin", async () => {
  const before = monotonicUs();
  const r = record({ source: fixture('clock_probe.c'), args: [] });
  const after = monotonicUs();
  await r.run.done;
  const socket = r.calls().find((c) => c.call === 'socket') as CallEvent;
  const printed = Number((r.events.find((e) => e.kind === 'stdout') as { text: string }).text);
  // the run's origin lies in [before, after]; the program read its clock just after socket() returned
  assert.ok(before + socket.t <= printed + 1, `socket at origin+${socket.t} µs, printed ${printed}`);
  assert.ok(printed - (after + socket.t) < 50_000, `the program's clock reading is ${printed - (after + socket.t)} µs after socket() returned`);
  assert.ok(indexOf(r, 'process-started') < indexOf(r, 'socket'));
  assertTimeOrdered(r);
});

test('hello server and the hello client: one time order across the program and the client', async () => {
  const r = record({ source: path.join(EXAMPLES, 'hello_server.c'), args: 'auto', client: { text: 'hello' } });
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  assertTimeOrdered(r);
  const s = story(r);
  assert.deepEqual(s.slice(0, 6), ['compile-started', 'compile-finished', 'process-started', 'socket', 'bind', 'listen']);
  // the client closes when it has read the server's end of stream: before or after the program's exit
  assert.deepEqual(s.filter((x) => !x.startsWith('client')).slice(-3), ['exit', 'exited', 'stopped']);
  // the kernel completed the connection before the server's accept() returned it from the queue
  assert.ok(indexOf(r, 'listen') < indexOf(r, 'client connected'));
  assert.ok(indexOf(r, 'client connected') < indexOf(r, 'accept'));
  // what the client received was written by the server first
  assert.ok(indexOf(r, 'write') < indexOf(r, 'client received'));
  assert.ok(indexOf(r, 'client connected') < indexOf(r, 'client sent'));
  assert.ok(indexOf(r, 'client received') < indexOf(r, 'client closed'));
  assert.deepEqual(s.filter((x) => x.startsWith('client')), ['client connected', 'client sent', 'client received', 'client closed']);
});

test('UDP echo with the built-in client: sent, recvfrom, sendto, received in time order', async () => {
  const r = record({ source: fixture('udp_echo.c'), args: 'auto', client: { text: 'ping' } });
  await r.waitFor((e) => e.kind === 'client' && e.action === 'closed', 'the client to finish');
  await r.run.stop();
  assertTimeOrdered(r);
  const sent = indexOf(r, 'client sent');
  const recvfrom = r.events.findIndex((e) => e.kind === 'call' && e.call === 'recvfrom' && e.ret > 0);
  const sendto = indexOf(r, 'sendto');
  const received = indexOf(r, 'client received');
  assert.ok(indexOf(r, 'bind') < sent && sent < recvfrom && recvfrom < sendto && sendto < received, story(r).join(', '));
  assert.equal((r.events[received] as ClientEvent).text, 'ping');
});

test("a client program's output line comes after the connect and recv that produced it", async () => {
  const server = net.createServer((sock) => sock.end('Hello World!'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const r = record({ source: fixture('hello_client.c'), args: ['127.0.0.1', String(port)] });
    assert.equal((await r.run.done).exitCode, 0);
    assertTimeOrdered(r);
    const s = story(r);
    const line = indexOf(r, 'stdout "client: received Hello World!"');
    assert.ok(indexOf(r, 'connect') < indexOf(r, 'recv') && indexOf(r, 'recv') < line, s.join(', '));
    assert.ok(line < indexOf(r, 'exited'));
  } finally {
    server.close();
  }
});

test('input piped while the program is still compiling reaches it, then EOF (uncached compile)', async () => {
  const server = net.createServer((sock) => sock.on('data', (d) => sock.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-cache-'));
  try {
    const r = record({ source: fixture('stdin_client.c'), args: ['127.0.0.1', String(port)], cacheDir });
    // nothing has been compiled yet: the first event is emitted on a later tick
    assert.equal(r.run.writeStdin('first\n'), true);
    assert.equal(r.run.writeStdin('second\n'), true);
    r.run.closeStdin();
    const result = await r.run.done;
    assert.equal(result.exitCode, 0);
    const finished = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
    assert.equal(finished.cached, false);
    const out = r.events.flatMap((e) => (e.kind === 'stdout' ? [e.text] : []));
    assert.deepEqual(out, [
      'Input message (Q to quit): Message from server: first',
      'Message from server: second',
      'bye',
    ]);
    assert.deepEqual(r.sequence().map((x) => x.replace(/^\S+ /, '')), ['socket - → 3', 'connect 3 → 0', 'write 3 → 6', 'read 3 → 6', 'write 3 → 7', 'read 3 → 7', 'close 3 → 0', 'exit - → 0']);
  } finally {
    server.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a UDP run whose program exits without answering ends promptly; the client says it got no answer', async () => {
  const r = record({ source: fixture('udp_once.c'), args: 'auto', client: { text: 'hi' } });
  await r.waitFor((e) => e.kind === 'exited', 'the program to exit');
  const exitedAt = Date.now();
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  assert.ok(Date.now() - exitedAt < 2000, `the run ended ${Date.now() - exitedAt} ms after the program`);
  const client = r.events.filter((e): e is ClientEvent => e.kind === 'client');
  assert.deepEqual(client.map((e) => e.action), ['sent', 'error', 'closed']);
  assert.equal(client[1].message, 'no answer before the program ended');
  assert.ok(indexOf(r, 'client sent') < indexOf(r, 'stdout "got: hi"'));
  assertTimeOrdered(r);
});
