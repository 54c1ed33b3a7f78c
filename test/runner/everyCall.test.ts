import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { isSockLensEvent } from '../../src/core/protocol/messages';
import { compileProgram } from '../../src/core/runner/compiler';
import { NO_COLORS, describeCall } from '../../src/core/runner/timeline';
import { exchange, fixture, freePort, record, startServer, type Recorder } from './helpers';

type Output = Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }>;
const stdoutOf = (r: Recorder): string[] => r.events.filter((e): e is Output => e.kind === 'stdout').map((e) => e.text);

async function binaryOf(name: string): Promise<string> {
  const compiled = await compileProgram({ source: fixture(name) });
  assert.ok(compiled.binary, JSON.stringify(compiled.diagnostics));
  return compiled.binary;
}

/** Runs the receiver (a server taking its port) and then the sender untraced; resolves with the receiver's stdout lines. */
async function untracedPair(receiver: string, sender: string, senderArgs = (port: number): string[] => [String(port)]): Promise<string[]> {
  const port = await freePort();
  const [recvBin, sendBin] = await Promise.all([binaryOf(receiver), binaryOf(sender)]);
  const child = spawn(recvBin, [String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise((resolve) => child.on('close', resolve));
  // the receiver is listening once a connect succeeds; the sender retries nothing, so wait for the port first
  for (let i = 0; i < 100 && spawnSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' }).stdout.trim() === ''; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(spawnSync(sendBin, senderArgs(port)).status, 0);
  await closed;
  return out.trim().split('\n');
}

test('recv(MSG_OOB) inside a SIGURG handler is reported, and the signal arrives as in an untraced run', async () => {
  const { r, port } = await startServer('oob_recv.c');
  const sender = record({ source: fixture('oob_send.c'), args: [String(port)] });
  assert.equal((await sender.run.done).exitCode, 0);
  assert.equal((await r.run.done).exitCode, 0);
  const main = r.run.pid!;
  assert.deepEqual(r.sequence(main), [
    '36 socket - → 3',
    '38 setsockopt 3 → 0',
    '43 bind 3 → 0',
    '43 listen 3 → 0',
    '47 accept 3 → 4',
    '53 fcntl 4 → 0', // F_SETOWN: this process gets the socket's SIGURG
    '56 recv 4 → 3',
    // the handler, run while the main loop was blocked in recv: that recv then fails with EINTR (sa_flags 0)
    '21 recv 4 → 1',
    '56 recv 4 → EINTR',
    '56 recv 4 → 3',
    '56 recv 4 → 0',
    '67 close 4 → 0',
    '68 close 3 → 0',
    '- exit - → 0',
  ]);
  assert.deepEqual(r.calls().find((c) => c.call === 'fcntl')?.args, { command: 'F_SETOWN', owner: main });
  const urgent = r.calls().find((c) => c.src?.line === 21)!;
  assert.deepEqual([urgent.args, urgent.data, urgent.src?.function], [{ length: 1, flags: 'MSG_OOB' }, '!', 'on_urgent']);
  assert.deepEqual(stdoutOf(r), ['in band: abc', 'in band: def', 'urgent: !, signals: 1']);
  assert.deepEqual(stdoutOf(r), await untracedPair('oob_recv.c', 'oob_send.c'));
  assert.deepEqual(sender.sequence().filter((s) => / send /.test(s)), ['26 send 3 → 3', '28 send 3 → 1', '30 send 3 → 3']);
  assert.equal(sender.calls().find((c) => c.src?.line === 28)?.args.flags, 'MSG_OOB');
});

test('sigaction and signal hand back the program\'s own handlers, not the tracer\'s trampoline', async () => {
  const r = record({ source: fixture('signal_handlers.c'), args: [] });
  assert.equal((await r.run.done).exitCode, 0);
  const expected = ['sigaction old: same', 'signal old: same', 'handler ran: 2', 'recv in handler: EAGAIN'];
  assert.deepEqual(stdoutOf(r), expected);
  const binary = (r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>).binary!;
  assert.deepEqual(spawnSync(binary, [], { encoding: 'utf8' }).stdout.trim().split('\n'), expected);
  // the timer's handler runs inside main's blocked recv (which then fails with EINTR), raise()'s outside any call:
  // both handlers' recv calls are reported
  assert.deepEqual(r.calls().filter((c) => c.call === 'recv').map((c) => [c.src?.function, c.errno]), [
    ['on_signal', 'EAGAIN'],
    ['main', 'EINTR'],
    ['on_signal', 'EAGAIN'],
  ]);
});

test('stdio on sockets: fdopen streams read, write, flush and close through traced calls; half-close with shutdown(fileno(fp))', async () => {
  const { r, port } = await startServer('fdopen_server.c');
  const client = record({ source: fixture('fdopen_client.c'), args: ['127.0.0.1', String(port)] });
  assert.equal((await client.run.done).exitCode, 0);
  assert.equal((await r.run.done).exitCode, 0);
  assert.deepEqual(r.sequence(r.run.pid!), [
    '19 socket - → 3',
    '21 setsockopt 3 → 0',
    '26 bind 3 → 0',
    '26 listen 3 → 0',
    '30 accept 3 → 4',
    '32 dup 4 → 5',
    '36 write 5 → 39', // fflush: both buffered lines in one write
    '37 shutdown 5 → 0',
    '38 close 5 → 0', // fclose(writefp)
    '40 read 4 → 23', // fgets
    '43 close 4 → 0', // fclose(readfp)
    '44 read 4 → EBADF', // the socket fclose closed
    '46 close 3 → 0',
    '- exit - → 0',
  ]);
  const calls = r.calls();
  assert.equal(calls.find((c) => c.call === 'write')?.data, 'FROM SERVER: hello, client\\nand goodbye\\n');
  // the stream's buffer is sized as glibc sizes a socket stream's (st_blksize), so the reads ask for the same
  assert.deepEqual(calls.find((c) => c.call === 'read')?.args, { length: 4096 });
  assert.deepEqual(stdoutOf(r), ['from client: FROM CLIENT: thank you', 'fds 4 4']);
  assert.equal(calls.find((c) => c.call === 'read' && c.errno)?.closedSocket, true);
  assert.ok(r.events.some((e) => e.kind === 'stderr' && e.text === 'read after fclose: Bad file descriptor'));
  assert.deepEqual(stdoutOf(r), await untracedPair('fdopen_server.c', 'fdopen_client.c', (p) => ['127.0.0.1', String(p)]));
  assert.deepEqual(client.sequence(), [
    '18 socket - → 3',
    '23 connect 3 → 0',
    '28 dup 3 → 4',
    '30 read 3 → 39',
    '30 read 3 → 0', // the server's half-close: end of stream
    '33 write 4 → 23', // fflush after fprintf
    '34 close 4 → 0',
    '35 close 3 → 0',
    '- exit - → 0',
  ]);
  assert.deepEqual(stdoutOf(client), ['got: FROM SERVER: hello, client', 'got: and goodbye']);
});

test('a second close and a read after close fail with EBADF and are reported, tied to the socket closed before', async () => {
  const r = record({ source: fixture('closed_socket.c'), args: [] });
  assert.equal((await r.run.done).exitCode, 0);
  // the file that reuses the number afterwards (line 20-22) is not a socket: its read and close are not reported
  assert.deepEqual(r.sequence(), ['13 socket - → 3', '14 close 3 → 0', '15 close 3 → EBADF', '17 read 3 → EBADF', '- exit - → 0']);
  assert.deepEqual(r.calls().map((c) => c.closedSocket ?? false), [false, false, true, true, false]);
  assert.ok(r.events.every((e) => isSockLensEvent(e)));
  const problems = r.events.filter((e) => e.kind === 'problem');
  assert.deepEqual(problems.map((p) => p.kind === 'problem' && [p.call, p.errno]), [['close', 'EBADF'], ['read', 'EBADF']]);
  const expected = ['close: -1 Bad file descriptor, read: -1 Bad file descriptor', 'file 3 read 0'];
  assert.deepEqual(stdoutOf(r), expected);
  const binary = (r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>).binary!;
  assert.deepEqual(spawnSync(binary, [], { encoding: 'utf8' }).stdout.trim().split('\n'), expected);
});

test('epoll_create (the textbook form) shows the epoll descriptor when it is made, and its close', async () => {
  const { r, port } = await startServer('epoll_create_server.c');
  assert.equal(await exchange(port, 'hi'), 'hi');
  assert.equal((await r.run.done).exitCode, 0);
  const seq = r.sequence().filter((s) => !s.includes('epoll_wait'));
  assert.deepEqual(seq, [
    '22 socket - → 3',
    '24 setsockopt 3 → 0',
    '29 bind 3 → 0',
    '29 listen 3 → 0',
    '33 epoll_create - → 4',
    '36 epoll_ctl 3 → 0',
    '41 accept 3 → 5',
    '44 epoll_ctl 5 → 0',
    '47 read 5 → 2',
    '53 write 5 → 2',
    '47 read 5 → 0',
    '49 epoll_ctl 5 → 0',
    '50 close 5 → 0',
    '57 close 4 → 0',
    '58 close 3 → 0',
    '- exit - → 0',
  ]);
  const create = r.calls().find((c) => c.call === 'epoll_create')!;
  assert.deepEqual([create.newFd, create.args], [4, { size: 50 }]);
  assert.deepEqual(r.calls().filter((c) => c.call === 'epoll_ctl').map((c) => c.args.epfd), [4, 4, 4]);
  assert.equal(describeCall(create, NO_COLORS), 'epoll_create(50) → fd 4');
});

test('getaddrinfo and getnameinfo: arguments, results, and a failure with gai_strerror\'s text', async () => {
  const r = record({ source: fixture('resolver.c'), args: [] });
  assert.equal((await r.run.done).exitCode, 2);
  const calls = r.calls().filter((c): c is CallEvent => c.call !== 'exit');
  assert.deepEqual(r.sequence().slice(0, 3), ['16 getaddrinfo - → 0', '19 getnameinfo - → 0', '22 getaddrinfo - → EAI_NONAME']);
  const hints = { family: 'AF_INET', socktype: 'SOCK_STREAM', flags: 'AI_NUMERICHOST|AI_NUMERICSERV' };
  assert.deepEqual(calls[0].args, { node: '127.0.0.1', service: '9190', ...hints });
  assert.deepEqual(calls[0].addresses, [{ address: '127.0.0.1:9190', type: 'SOCK_STREAM' }]);
  assert.deepEqual([calls[1].peer, calls[1].host, calls[1].service, calls[1].args], ['127.0.0.1:9190', '127.0.0.1', '9190', { flags: 'NI_NUMERICHOST|NI_NUMERICSERV' }]);
  assert.deepEqual(calls[2].args, { node: 'www.example.invalid', service: '80', ...hints });
  assert.equal(calls[2].ret, -2);
  assert.equal(calls[2].addresses, undefined);
  // the program printed gai_strerror() itself: the event carries the same text
  assert.deepEqual(stdoutOf(r), ['name: 127.0.0.1 9190', `getaddrinfo: ${calls[2].errorText}`]);
  assert.equal(calls[2].errorText, 'Name or service not known');
  const problem = r.events.find((e) => e.kind === 'problem');
  assert.ok(problem && problem.kind === 'problem' && problem.errno === 'EAI_NONAME' && problem.explanation?.en.includes('AI_NUMERICHOST'));
  assert.deepEqual(calls.map((c) => describeCall(c, NO_COLORS)), [
    'getaddrinfo("127.0.0.1", "9190") → 127.0.0.1:9190',
    'getnameinfo(127.0.0.1:9190) → 127.0.0.1 9190',
    'getaddrinfo("www.example.invalid", "80") → -2 EAI_NONAME "Name or service not known"',
  ]);
  // the panel's validator takes the new fields
  assert.ok(r.events.every((e) => isSockLensEvent(e)));
});
