import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { spawnSync } from 'node:child_process';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { canBind, portReleased } from '../../src/core/runner/ports';
import { liveGroupMembers } from '../../src/core/runner/processGroup';
import { exchange, exchangeFrom, fixture, freePort, record, startServer, type Recorder } from './helpers';

async function stopAndCheck(r: Recorder, port: number, host = '127.0.0.1', reuseaddr = true): Promise<void> {
  const result = await r.run.stop();
  assert.equal(result.reason, 'stop');
  assert.equal(result.portsFreed, true, `port ${port} still held:\n${spawnSync('ss', ['-tanp']).stdout}`);
  assert.deepEqual(liveGroupMembers(r.run.pid!), []);
  // with SO_REUSEADDR the port binds again at once; without it only TIME_WAIT may be left
  assert.equal(await (reuseaddr ? canBind(host, port) : portReleased(host, port)), true);
  assert.equal(r.events.at(-1)?.kind, 'stopped');
}

test('echo server: two clients in turn, read/write with bytes and data, setsockopt decoded', async () => {
  const { r, port } = await startServer('echo_server.c');
  assert.equal(await exchange(port, 'one'), 'one');
  assert.equal(await exchange(port, 'two!'), 'two!');
  await r.waitForCall('close', (c) => c.fd === 4 && r.calls().filter((x) => x.call === 'close').length === 2);
  const setsockopt = r.calls().find((c) => c.call === 'setsockopt')!;
  assert.deepEqual(setsockopt.args, { level: 'SOL_SOCKET', option: 'SO_REUSEADDR', value: 1, optlen: 4 });
  assert.equal(setsockopt.src?.line, 21);
  const bind = r.calls().find((c) => c.call === 'bind')!;
  assert.equal(bind.local, `127.0.0.1:${port}`);
  const reads = r.calls().filter((c) => c.call === 'read');
  assert.deepEqual(reads.map((c) => [c.fd, c.ret, c.data ?? null]), [[4, 3, 'one'], [4, 0, null], [4, 4, 'two!'], [4, 0, null]]);
  const writes = r.calls().filter((c) => c.call === 'write');
  assert.deepEqual(writes.map((c) => [c.fd, c.bytes, c.data, c.src?.line, c.src?.function]), [[4, 3, 'one', 38, 'main'], [4, 4, 'two!', 38, 'main']]);
  assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === 'listening'));
  await stopAndCheck(r, port);
  const exited = r.events.find((e) => e.kind === 'exited') as Extract<SockLensEvent, { kind: 'exited' }>;
  assert.equal(exited.signal, 'SIGTERM');
});

test('fork-per-connection server: children traced under their own pid, stop frees the port', async () => {
  const { r, port } = await startServer('fork_server.c');
  const replies = await Promise.all([exchange(port, 'alpha'), exchange(port, 'beta')]);
  assert.deepEqual(replies.sort(), ['alpha', 'beta']);
  const main = r.run.pid!;
  await r.waitFor(() => r.calls().filter((c) => c.call === 'exit' && c.pid !== main).length === 2, 'both children exited');
  const forks = r.calls().filter((c) => c.call === 'fork');
  assert.ok(forks.length === 2 && forks.every((f) => f.pid === main && f.ret > 0 && f.src?.line === 40));
  const children = [...new Set(r.calls().filter((c) => c.pid !== main).map((c) => c.pid))].sort();
  assert.deepEqual(children, forks.map((c) => c.ret).sort());
  for (const child of children) {
    const n = r.calls().find((c) => c.pid === child && c.call === 'recv')!.ret;
    assert.deepEqual(r.sequence(child), ['42 close 3 → 0', `13 recv 4 → ${n}`, `15 send 4 → ${n}`, '16 close 4 → 0', '44 exit - → 0']);
    assert.ok(r.events.some((e) => e.kind === 'process-started' && e.pid === child && e.ppid === main));
    const recv = r.calls().find((c) => c.pid === child && c.call === 'recv')!;
    assert.equal(recv.src?.function, 'serve');
  }
  // in the parent every accepted socket is fd 4 again after close
  assert.deepEqual(r.calls().filter((c) => c.pid === main && c.call === 'accept').map((c) => c.newFd), [4, 4]);
  await stopAndCheck(r, port);
});

test('thread-per-connection server: events carry the thread id', async () => {
  const { r, port } = await startServer('thread_server.c');
  const replies = await Promise.all([exchange(port, 'x1'), exchange(port, 'x2'), exchange(port, 'x3')]);
  assert.deepEqual(replies.sort(), ['x1', 'x2', 'x3']);
  await r.waitFor(() => r.calls().filter((c) => c.call === 'close').length === 3, 'three closes');
  const main = r.run.pid!;
  const writes = r.calls().filter((c) => c.call === 'write');
  assert.equal(writes.length, 3);
  for (const w of writes) {
    assert.equal(w.pid, main);
    assert.notEqual(w.tid, main);
    assert.equal(w.src?.function, 'serve');
    assert.equal(w.src?.line, 16);
  }
  await stopAndCheck(r, port, '127.0.0.1', false);
});

test('select server over IPv6: waiting and ready events with descriptor lists', async () => {
  const { r, port } = await startServer('select_server.c');
  const listen = r.calls().find((c) => c.call === 'listen')!;
  assert.equal(listen.local, `[::1]:${port}`);
  assert.equal(await exchange(port, 'six', '::1'), 'six');
  await r.waitForCall('close', (c) => c.fd === 4);
  const selects = r.calls().filter((c) => c.call === 'select');
  assert.deepEqual(selects[0].watchFds, [3]);
  assert.equal(selects[0].phase, 'waiting');
  assert.deepEqual(selects[1].readyFds, [3]);
  assert.equal(selects[1].phase, 'ready');
  assert.ok(selects.some((s) => s.phase === 'waiting' && s.watchFds?.join() === '3,4'));
  assert.ok(selects.some((s) => s.phase === 'ready' && s.readyFds?.join() === '4'));
  const accept = r.calls().find((c) => c.call === 'accept')!;
  assert.match(accept.peer ?? '', /^\[::1\]:\d+$/);
  await stopAndCheck(r, port, '::1');
});

test('epoll server: fcntl O_NONBLOCK, epoll_ctl and ready descriptors; accept(fd, NULL, NULL) still reports both addresses', async () => {
  const { r, port } = await startServer('epoll_server.c');
  const { reply, clientPort } = await exchangeFrom(port, 'epoll');
  assert.equal(reply, 'epoll');
  await r.waitForCall('close', (c) => c.fd === 5);
  const accept = r.calls().find((c) => c.call === 'accept')!;
  assert.equal(accept.local, `127.0.0.1:${port}`); // the listening socket's own address: no getsockname() needed
  assert.equal(accept.peer, `127.0.0.1:${clientPort}`); // from the accept itself, into the tracer's buffer
  const fcntl = r.calls().find((c) => c.call === 'fcntl')!;
  assert.equal(fcntl.args.command, 'F_SETFL');
  assert.equal(fcntl.args.nonblocking, true);
  assert.equal(fcntl.src?.line, 21);
  const ctl = r.calls().filter((c) => c.call === 'epoll_ctl');
  assert.deepEqual(ctl.map((c) => [c.args.op, c.fd, c.args.events]), [['EPOLL_CTL_ADD', 3, 'EPOLLIN'], ['EPOLL_CTL_ADD', 5, 'EPOLLIN'], ['EPOLL_CTL_DEL', 5, '0']]);
  const ready = r.calls().filter((c) => c.call === 'epoll_wait' && c.phase === 'ready');
  assert.deepEqual(ready[0].readyFds, [3]);
  assert.equal(ready[0].fd, 4);
  assert.ok(ready.some((c) => c.readyFds?.join() === '5'));
  await stopAndCheck(r, port);
});

test('a descriptor number reused for a wildcard listener: accept reports the address the connection came to', async () => {
  const [first, second] = [await freePort(), await freePort()];
  const r = record({ source: fixture('relisten.c'), args: [String(first), String(second)] });
  await r.waitForCall('listen', (c) => c.ret === 0 && c.local === `0.0.0.0:${second}`);
  const { reply, clientPort } = await exchangeFrom(second, 'again');
  assert.equal(reply, 'again');
  const accept = await r.waitForCall('accept');
  assert.equal(accept.fd, 3);
  assert.equal(accept.local, `127.0.0.1:${second}`);
  assert.equal(accept.peer, `127.0.0.1:${clientPort}`);
  assert.equal((await r.run.done).exitCode, 0);
});

test('UDP echo with the built-in datagram client after bind', async () => {
  const { r, port } = await startServer('udp_echo.c', { client: { text: 'datagram', timeoutMs: 5000 } }, 'bind');
  await r.waitFor((e) => e.kind === 'client' && e.action === 'closed', 'client closed');
  const received = r.events.find((e) => e.kind === 'client' && e.action === 'received') as { text?: string };
  assert.equal(received?.text, 'datagram');
  const recvfrom = await r.waitForCall('recvfrom', (c) => c.ret > 0);
  assert.equal(recvfrom.bytes, 8);
  assert.equal(recvfrom.data, 'datagram');
  assert.match(recvfrom.peer ?? '', /^127\.0\.0\.1:\d+$/);
  const sendto = await r.waitForCall('sendto');
  assert.equal(sendto.peer, recvfrom.peer);
  assert.deepEqual(r.calls()[0].args, { family: 'AF_INET', type: 'SOCK_DGRAM', protocol: '0' });
  const result = await r.run.stop();
  assert.equal(result.portsFreed, true);
  assert.equal(await canBind('0.0.0.0', port, true), true);
});

test('client with --args auto and nobody listening: ECONNREFUSED with the explanation, exit code 1', async () => {
  const r = record({ source: fixture('gai_client.c'), args: 'auto' });
  const result = await r.run.done;
  assert.equal(result.exitCode, 1);
  assert.equal(r.run.argv[1], '127.0.0.1');
  assert.deepEqual(r.sequence(), ['20 getaddrinfo - → 0', '22 socket - → 3', '23 connect 3 → ECONNREFUSED', '- exit - → 0']);
  const connect = r.calls()[2];
  assert.equal(connect.peer, `127.0.0.1:${r.run.argv[2]}`);
  const problem = r.events.find((e) => e.kind === 'problem') as Extract<SockLensEvent, { kind: 'problem' }>;
  assert.equal(problem.seq, connect.seq + 1);
  assert.equal(problem.errno, 'ECONNREFUSED');
  assert.equal(problem.src?.line, 23);
  assert.ok(problem.explanation && problem.explanation.en.length > 20 && problem.explanation.ko.length > 10);
  assert.ok(r.events.some((e) => e.kind === 'stderr' && e.text === 'connect: Connection refused'));
});

test('client with explicit arguments reaches the server and prints its reply', async () => {
  const server = net.createServer((s) => s.on('data', (d) => s.end(`pong:${d.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const r = record({ source: fixture('gai_client.c'), args: ['::1', String(port)] });
    const result = await r.run.done;
    assert.equal(result.exitCode, 0);
    assert.deepEqual(r.sequence(), ['20 getaddrinfo - → 0', '22 socket - → 3', '23 connect 3 → 0', '28 send 3 → 4', '29 recv 3 → 9', '32 close 3 → 0', '- exit - → 0']);
    const connect = r.calls()[2];
    assert.equal(connect.peer, `[::1]:${port}`);
    assert.match(connect.local ?? '', /^\[::1\]:\d+$/);
    assert.deepEqual(r.calls()[0].args, { node: '::1', service: String(port), family: 'AF_UNSPEC', socktype: 'SOCK_STREAM', flags: 'AI_NUMERICHOST|AI_NUMERICSERV' });
    assert.deepEqual(r.calls()[0].addresses, [{ address: `[::1]:${port}`, type: 'SOCK_STREAM' }]);
    assert.deepEqual(r.calls()[1].args, { family: 'AF_INET6', type: 'SOCK_STREAM', protocol: 'IPPROTO_TCP' });
    assert.equal(r.calls()[4].data, 'pong:ping');
    assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === 'reply: pong:ping'));
  } finally {
    server.close();
  }
});

test('several built-in clients at once against the iterative echo server', async () => {
  const { r, port } = await startServer('echo_server.c', { client: { text: 'many', count: 3, quietMs: 200 } });
  await r.waitFor(() => r.events.filter((e) => e.kind === 'client' && e.action === 'closed').length === 3, 'three clients closed', 20000);
  const received = r.events.filter((e): e is Extract<SockLensEvent, { kind: 'client' }> => e.kind === 'client' && e.action === 'received');
  assert.deepEqual(received.map((e) => e.text), ['many', 'many', 'many']);
  assert.deepEqual(new Set(received.map((e) => e.client)), new Set([1, 2, 3]));
  assert.ok(received.every((e) => e.address === `127.0.0.1:${port}`));
  await r.waitFor(() => r.calls().filter((c) => c.call === 'close' && c.fd === 4).length === 3, 'three closes');
  await stopAndCheck(r, port);
});
