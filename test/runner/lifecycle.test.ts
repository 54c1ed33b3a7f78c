import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { canBind, portReleased } from '../../src/core/runner/ports';
import { isAlive, liveGroupMembers, waitFor } from '../../src/core/runner/processGroup';
import { EXAMPLES, FIXTURES, fixture, freePort, record, startServer } from './helpers';

type Problem = Extract<SockLensEvent, { kind: 'problem' }>;
type Exited = Extract<SockLensEvent, { kind: 'exited' }>;
const HELLO = path.join(EXAMPLES, 'hello_server.c');

test('port already taken by a listener: EADDRINUSE problem naming the holder, then the program exits 1', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen({ port: 0, host: '0.0.0.0' }, resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const r = record({ source: HELLO, args: [String(port)] });
    const result = await r.run.done;
    assert.equal(result.exitCode, 1);
    assert.deepEqual(r.sequence(), ['26 socket - → 3', '35 bind 3 → EADDRINUSE', '56 exit - → 0']);
    const bind = r.calls()[1];
    assert.equal(bind.local, `0.0.0.0:${port}`);
    const problem = r.events.find((e) => e.kind === 'problem') as Problem;
    assert.equal(problem.seq, bind.seq + 1);
    assert.equal(problem.code, 'EADDRINUSE');
    assert.equal(problem.src?.line, 35);
    assert.match(problem.message.en, new RegExp(`port ${port} is already in use`));
    assert.ok(problem.explanation?.en && problem.explanation.ko);
    assert.ok(problem.holder?.some((h) => h.state === 'LISTEN' && h.pid === process.pid), JSON.stringify(problem.holder));
    assert.match(problem.advice?.en ?? '', new RegExp(`Port ${port} is taken by .*pid ${process.pid}`));
    assert.ok(r.events.some((e) => e.kind === 'stderr' && e.text === 'bind() error'));
  } finally {
    holder.close();
  }
});

test('port held only by TIME_WAIT: the advice is SO_REUSEADDR', async () => {
  // the server side closes first, so the TIME_WAIT connection sits on the server's port
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => {
    const c = net.connect({ port, host: '127.0.0.1' });
    c.on('close', () => resolve());
    c.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const r = record({ source: HELLO, args: [String(port)] });
  await r.run.done;
  const problem = r.events.find((e) => e.kind === 'problem') as Problem;
  assert.equal(problem.code, 'EADDRINUSE');
  assert.ok(problem.holder?.length && problem.holder.every((h) => h.state === 'TIME-WAIT'), JSON.stringify(problem.holder));
  assert.match(problem.advice?.en ?? '', /SO_REUSEADDR/);
  assert.match(problem.advice?.ko ?? '', /SO_REUSEADDR/);
});

test('a crash: exit reason names the signal, stdout before it arrived (line-buffered), problem at the last call', async () => {
  const r = record({ source: fixture('crash.c'), args: [] });
  const result = await r.run.done;
  assert.equal(result.signal, 'SIGSEGV');
  const exited = r.events.find((e) => e.kind === 'exited') as Exited;
  assert.equal(exited.reason, 'crashed: segmentation fault (SIGSEGV)');
  assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === 'socket 3'));
  const problem = r.events.find((e) => e.kind === 'problem') as Problem;
  assert.equal(problem.code, 'crash');
  assert.equal(problem.src?.line, 7);
  assert.deepEqual(r.sequence(), ['7 socket - → 3']);
  assert.equal(r.events.at(-1)?.kind, 'stopped');
});

test('a stdout flood: every line arrives, in order, and stop ends it', async () => {
  const r = record({ source: fixture('flood.c'), args: [] });
  const target = 20000;
  let count = 0;
  await r.waitFor((e) => e.kind === 'stdout' && ++count >= target, `${target} lines`, 60000);
  const result = await r.run.stop();
  assert.equal(result.reason, 'stop');
  const lines = r.events.filter((e): e is Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }> => e.kind === 'stdout').map((e) => e.text);
  assert.ok(lines.length >= target);
  // the last line may be cut by the kill; every complete one is there, in order
  const complete = lines.filter((l) => /^line \d+ of a flood from socket 3$/.test(l));
  assert.ok(complete.length >= lines.length - 1);
  complete.forEach((l, i) => assert.equal(l, `line ${i} of a flood from socket 3`));
  assert.deepEqual(liveGroupMembers(r.run.pid!), []);
});

test('a program that ignores SIGTERM and a helper that left the group: stop kills both and frees the port', async () => {
  const { r, port } = await startServer('never_exits.c', { stopGraceMs: 300 });
  const line = (await r.waitFor((e) => e.kind === 'stdout' && e.text.startsWith('helper '), 'helper line')) as { text: string };
  const helper = Number(line.text.split(' ')[1]);
  assert.ok(isAlive(helper));
  // its announcement comes through the ring, the line through the stdout pipe: either may arrive first
  await r.waitFor((e) => e.kind === 'process-started' && e.pid === helper, 'the helper announced itself');
  const t0 = Date.now();
  const result = await r.run.stop();
  assert.ok(Date.now() - t0 < 10000);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(isAlive(helper), false);
  assert.deepEqual(liveGroupMembers(r.run.pid!), []);
  assert.equal(result.portsFreed, true);
  assert.equal(await portReleased('127.0.0.1', port), true);
});

test('a run that is never stopped ends when the runner process ends', async () => {
  const port = await freePort();
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(FIXTURES, 'abandon.ts'), String(port)], { encoding: 'utf8', timeout: 60000 });
  assert.equal(out.status, 0, out.stderr);
  const [pid, helper] = out.stdout.trim().split(' ').map(Number);
  assert.ok(pid > 0 && helper > 0, out.stdout);
  assert.ok(await waitFor(() => liveGroupMembers(pid).length === 0 && !isAlive(helper), 5000));
  assert.ok(await waitFor(() => portReleased('127.0.0.1', port), 5000));
});

test('100 run/stop cycles leave no process, no port, no temp folder and no descriptor behind', async () => {
  const fdsBefore = fs.readdirSync('/proc/self/fd').length;
  // a private temp folder: other runs on this machine must not count
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const pids: number[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 100; i++) {
    const { r, port } = await startServer('echo_server.c');
    const result = await r.run.stop();
    assert.equal(result.reason, 'stop');
    assert.equal(result.portsFreed, true);
    pids.push(r.run.pid!);
    ports.push(port);
  }
  for (const pid of pids) assert.deepEqual(liveGroupMembers(pid), []);
  for (const port of ports.slice(-5)) assert.equal(await canBind('127.0.0.1', port), true);
  const addr2line = (): string => spawnSync('pgrep', ['-P', String(process.pid), 'addr2line'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(await waitFor(() => addr2line() === '', 3000), `addr2line left running: ${addr2line()}`);
  assert.ok(fs.readdirSync('/proc/self/fd').length <= fdsBefore + 2, 'descriptors leaked');
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  assert.deepEqual(fs.readdirSync(tmp), []);
  fs.rmdirSync(tmp);
});
