import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SockLensEvent, TcpStateEvent } from '../../src/core/protocol/events';
import { readTcpTables } from '../../src/core/runner/procNetTcp';
import { TimelinePrinter, NO_COLORS } from '../../src/core/runner/timeline';
import { checkPort, freePort as freePortFor } from '../../src/core/runner/ports';
import { timeWaitBeforeRun } from '../../src/core/runner/problems';
import { EXAMPLES, fixture, freePort, record } from './helpers';

const isState = (e: SockLensEvent): e is TcpStateEvent => e.kind === 'tcp-state';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1' }, () => resolve(sock));
    sock.once('error', reject);
  });
}

/** A TIME_WAIT connection on the server's side of `port`: a server (with or without SO_REUSEADDR) hangs up first. */
function leaveTimeWait(port: number, serverReuse: boolean): void {
  const res = spawnSync(probe('time_wait_maker.c'), [String(port), serverReuse ? '1' : '0'], { encoding: 'utf8', timeout: 5000 });
  assert.equal(res.stdout.trim(), 'served', res.stderr);
}

const probes = new Map<string, string>();
/** Compiles a probe C program once (untraced: these tests ask the kernel, not the tracer). */
function probe(name: string): string {
  let exe = probes.get(name);
  if (exe) return exe;
  exe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-probe-')), name.replace(/\.c$/, ''));
  const cc = spawnSync('gcc', ['-Wall', '-o', exe, fixture(name)], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  probes.set(name, exe);
  return exe;
}

test('the kernel view of a server: LISTEN with a caller on hold, ESTABLISHED, CLOSE_WAIT, TIME_WAIT after the server hangs up first', async () => {
  const port = await freePort();
  const r = record({ source: fixture('phone_line.c'), args: [String(port), '3'] });
  const pid = await r.waitForCall('listen', (c) => c.ret === 0).then((c) => c.pid);
  const state = (what: string, pred: (e: TcpStateEvent) => boolean): Promise<TcpStateEvent> =>
    r.waitFor((e) => isState(e) && pred(e), what) as Promise<TcpStateEvent>;

  await state('LISTEN, nobody waiting', (e) => e.state === 'LISTEN' && e.acceptQueue === 0 && e.backlog === 3);
  const caller = await connect(port); // connect() completes before the server accepts: the kernel queued it
  const held = await state('LISTEN with 1 caller on hold', (e) => e.state === 'LISTEN' && e.acceptQueue === 1);
  assert.deepEqual(
    { pid: held.pid, fd: held.fd, local: held.local, peer: held.peer, backlog: held.backlog, closed: held.closed },
    { pid, fd: 3, local: `127.0.0.1:${port}`, peer: '0.0.0.0:0', backlog: 3, closed: undefined },
  );

  r.run.writeStdin('accept\n');
  const conversation = await state('ESTABLISHED', (e) => e.state === 'ESTABLISHED');
  assert.deepEqual([conversation.fd, conversation.local, conversation.peer], [4, `127.0.0.1:${port}`, `127.0.0.1:${caller.localPort}`]);
  await state('LISTEN, queue empty again', (e) => e.state === 'LISTEN' && e.acceptQueue === 0 && e.seq > held.seq);

  caller.end(); // the caller hangs up; the server has not closed yet
  await state('CLOSE_WAIT', (e) => e.state === 'CLOSE_WAIT' && e.fd === 4 && !e.closed);
  r.run.writeStdin('close\n');
  await r.waitForCall('close', (c) => c.fd === 4);

  const second = await connect(port);
  const secondPort = second.localPort;
  second.on('data', () => undefined); // reads "bye", and answers the server's FIN with its own (allowHalfOpen off)
  await new Promise((resolve) => second.on('close', resolve));
  const timeWait = await state('TIME_WAIT after close', (e) => e.state === 'TIME_WAIT');
  assert.equal(timeWait.closed, true);
  assert.equal(timeWait.fd, 4);
  assert.deepEqual([timeWait.local, timeWait.peer], [`127.0.0.1:${port}`, `127.0.0.1:${secondPort}`]);
  // TCP_TIMEWAIT_LEN is 60 s (man 7 tcp, tcp_fin_timeout: "the TIME_WAIT state … 60 seconds")
  assert.ok(timeWait.expiresInMs! > 50_000 && timeWait.expiresInMs! <= 60_000, String(timeWait.expiresInMs));

  r.run.writeStdin('quit\n');
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  assert.equal(result.portsFreed, true);
  const states = r.events.filter(isState);
  const listenerEnd = states.find((e) => e.fd === 3 && e.closed);
  assert.equal(listenerEnd?.state, 'CLOSE', JSON.stringify(states));
  // every change once, in order, and all before the end
  const fd4 = states.filter((e) => e.fd === 4).map((e) => `${e.state}${e.closed ? ' closed' : ''}`);
  assert.equal(fd4[0], 'ESTABLISHED');
  assert.ok(fd4.indexOf('CLOSE_WAIT') < fd4.indexOf('TIME_WAIT closed'), fd4.join(', '));
  assert.ok(states.every((e) => e.seq < r.events.at(-1)!.seq && e.pid === pid));

  const printer = new TimelinePrinter({ painter: NO_COLORS, lang: 'en' });
  const lines = r.events.flatMap((e) => printer.lines(e));
  assert.ok(lines.some((l) => l.includes(`kernel: fd 3 LISTEN (listening) 127.0.0.1:${port} (1 waiting · queue of 3)`)), lines.join('\n'));
  assert.ok(lines.some((l) => /kernel: fd 4 TIME_WAIT \(conversation\) after close 127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:\d+ \(expires in about (59|60) s\)/.test(l)), lines.join('\n'));
});

test('probe (Linux): TIME_WAIT blocks a new bind without SO_REUSEADDR; with it only when the old server had set it too', async () => {
  for (const oldServerReuse of [false, true]) {
    const port = await freePort();
    leaveTimeWait(port, oldServerReuse);
    const onPort = readTcpTables().filter((row) => row.localPort === port);
    assert.ok(onPort.length > 0 && onPort.every((row) => row.state === 'TIME_WAIT' && row.inode === 0), JSON.stringify(onPort));
    const bind = (reuse: boolean): string => spawnSync(probe('rebind.c'), [String(port), reuse ? '1' : '0'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(bind(false), 'EADDRINUSE');
    assert.equal(bind(true), oldServerReuse ? 'bound' : 'EADDRINUSE');
  }
});

test('probe: /proc/net/tcp gives a listener its accept queue in rx_queue and no backlog; ss (sock_diag) shows the backlog as Send-Q', async () => {
  const port = await freePort();
  const child = spawn(probe('queue_probe.c'), [String(port), '5'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve)); // "waiting": two callers sit in the queue
    const listener = readTcpTables().find((row) => row.localPort === port && row.state === 'LISTEN');
    assert.deepEqual([listener?.rxQueue, listener?.txQueue], [2, 0]);
    const ss = spawnSync('ss', ['-Hlnt', 'sport', '=', `:${port}`], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
    assert.deepEqual(ss.slice(0, 3), ['LISTEN', '2', '5']);
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.on('exit', resolve));
  }
});

/** Connects, reads until the server hangs up, then hangs up too (after the server: its side gets the TIME_WAIT). */
async function served(port: number): Promise<string> {
  const sock = await connect(port);
  let reply = '';
  sock.on('data', (d) => (reply += d.toString()));
  await new Promise((resolve) => sock.on('close', resolve));
  return reply;
}

type Problem = Extract<SockLensEvent, { kind: 'problem' }>;

test('restart after a client was served: TIME_WAIT is detected before the run, named as the holder, and a fresh port runs', async () => {
  const port = await freePort();
  const first = record({ source: path.join(EXAMPLES, 'hello_server.c'), args: [String(port)] });
  await first.waitForCall('listen', (c) => c.ret === 0);
  await served(port); // like the panel's Connect: the client only listens, so the server's close() sends a FIN
  assert.equal((await first.run.done).exitCode, 0);
  // the server hung up first: its side of the connection waits in TIME_WAIT on its own port
  const before = checkPort(port);
  assert.equal(before.status, 'time-wait', JSON.stringify(before));
  if (before.status !== 'time-wait') return;
  assert.equal(before.connections, 1);
  assert.ok(before.expiresInMs > 50_000 && before.expiresInMs <= 60_000, String(before.expiresInMs));
  const offer = timeWaitBeforeRun(port, before.connections, before.expiresInMs);
  assert.match(offer.notice.en, new RegExp(`Port ${port} is still held by connections in TIME_WAIT \\(1\\)`));
  assert.match(offer.notice.ko, new RegExp(`${port}번 포트`));
  assert.match(offer.explanation.en, /SO_REUSEADDR/);

  // run anyway on the same port: bind fails, and the holder line says what holds it (never "?")
  const again = record({ source: path.join(EXAMPLES, 'hello_server.c'), args: [String(port)] });
  await again.run.done;
  const problem = again.events.find((e): e is Problem => e.kind === 'problem')!;
  assert.equal(problem.code, 'EADDRINUSE');
  assert.equal(problem.holder?.length, 1);
  assert.match(problem.holder![0].text!.en, /^TIME_WAIT connections \(1\), expire in about (59|60) s$/);
  assert.match(problem.holder![0].text!.ko, /^TIME_WAIT 상태의 연결 1개, 약 (59|60)초 뒤에 사라짐$/);
  assert.match(problem.advice!.en, /left by the server that ran before/);
  assert.match(problem.advice!.en, /SO_REUSEADDR/); // hello_server does not set it: the advice suggests it
  const printer = new TimelinePrinter({ painter: NO_COLORS, lang: 'en' });
  const text = again.events.flatMap((e) => printer.lines(e)).join('\n');
  assert.match(text, /held by: TIME_WAIT connections \(1\)/);
  assert.doesNotMatch(text, /\?/);

  // the fresh port the offer names is free, and the program runs there
  const fresh = await freePortFor();
  assert.equal(checkPort(fresh).status, 'free');
  const rerun = record({ source: path.join(EXAMPLES, 'hello_server.c'), args: [String(fresh)] });
  await rerun.waitForCall('listen', (c) => c.ret === 0);
  assert.equal(await served(fresh), 'Hello World!\0');
  assert.equal((await rerun.run.done).exitCode, 0);
  assert.ok(rerun.calls().some((c) => c.call === 'listen' && c.ret === 0));
});

test('EADDRINUSE advice never suggests SO_REUSEADDR to a program that set it on the line before', async () => {
  const port = await freePort();
  leaveTimeWait(port, false); // left by a server without SO_REUSEADDR: the new one's option cannot help
  const r = record({ source: fixture('echo_server.c'), args: [String(port)] });
  await r.run.done;
  assert.ok(r.calls().some((c) => c.call === 'setsockopt' && c.args.option === 'SO_REUSEADDR' && c.ret === 0));
  const problem = r.events.find((e): e is Problem => e.kind === 'problem')!;
  assert.equal(problem.code, 'EADDRINUSE');
  assert.match(problem.advice!.en, /This program sets SO_REUSEADDR already/);
  assert.doesNotMatch(problem.advice!.en, /call setsockopt/i);
  assert.match(problem.advice!.ko, /이미 SO_REUSEADDR를 설정/);
});
