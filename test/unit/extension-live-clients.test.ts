import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { LiveClients, MAX_PENDING_SENDS } from '../../src/core/editor/liveClients';
import { liveClientTarget as targetOfState } from '../../src/core/model/queries';
import { reduceAll } from '../../src/core/model/runModel';

/** The target the run model gives after folding these events. */
const liveClientTarget = (events: Iterable<SockLensEvent>) => targetOfState(reduceAll(events));
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import type { ClientReport } from '../../src/core/runner/testClient';
import { startServer } from '../runner/helpers';

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An echo server on 127.0.0.1 that upper-cases what it receives. */
async function echoServer(): Promise<{ port: number; close: () => Promise<void>; connections: () => number }> {
  let open = 0;
  const server = net.createServer((socket) => {
    open++;
    socket.on('data', (d) => socket.write(d.toString('utf8').toUpperCase()));
    socket.on('end', () => socket.end());
    // clients destroyed mid-reply (closeAll) reset the connection: expected, not a failure
    socket.on('error', () => undefined);
    socket.on('close', () => open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, connections: () => open, close: () => new Promise((r) => server.close(() => r())) };
}

test('a client connects, sends, receives and disconnects over loopback', async () => {
  const server = await echoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', server.port);
  await until(() => reports.some((r) => r.action === 'connected'), 'connected');
  assert.equal(clients.send(1, 'héllo <b>'), true);
  await until(() => reports.some((r) => r.action === 'received'), 'the reply');
  assert.equal(reports.filter((r) => r.action === 'received').map((r) => r.text).join(''), 'HÉLLO <B>');
  assert.ok(reports.some((r) => r.action === 'sent' && r.text === 'héllo <b>'));
  clients.disconnect(1);
  await until(() => reports.some((r) => r.action === 'closed'), 'closed');
  await until(() => server.connections() === 0, 'the server side to close');
  assert.equal(clients.size, 0);
  assert.equal(clients.send(1, 'x'), false, 'a closed client cannot send');
  await server.close();
});

test('two clients at once are independent', async () => {
  const server = await echoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', server.port);
  clients.connect(2, '127.0.0.1', server.port);
  await until(() => reports.filter((r) => r.action === 'connected').length === 2, 'both connected');
  clients.send(2, 'two');
  await until(() => reports.some((r) => r.action === 'received' && r.client === 2), 'reply to 2');
  assert.ok(!reports.some((r) => r.action === 'received' && r.client === 1));
  clients.closeAll();
  await until(() => reports.filter((r) => r.action === 'closed').length === 2, 'both closed');
  await server.close();
});

test('refused connections and non-loopback hosts are reported, not thrown', async () => {
  const server = await echoServer();
  const port = server.port;
  await server.close();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', port);
  await until(() => reports.some((r) => r.action === 'error'), 'the refusal');
  assert.equal(reports.find((r) => r.action === 'error')?.message, 'ECONNREFUSED');
  clients.connect(2, '192.0.2.1', 80);
  assert.match(reports.at(-1)?.message ?? '', /loopback/);
  await until(() => clients.size === 0, 'the refused client to be forgotten');
});

/** A UDP echo server on 127.0.0.1 (or ::1) that upper-cases each datagram back to its sender. */
async function udpEchoServer(host = '127.0.0.1'): Promise<{ port: number; close: () => Promise<void>; received: string[] }> {
  const server = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const received: string[] = [];
  server.on('message', (msg, from) => {
    received.push(msg.toString('utf8'));
    server.send(msg.toString('utf8').toUpperCase(), from.port, from.address);
  });
  await new Promise<void>((r) => server.bind(0, host, r));
  const port = server.address().port;
  return { port, received, close: () => new Promise((r) => server.close(() => r())) };
}

test('texts sent while a TCP client is still connecting are queued and sent in order once connected', async () => {
  const server = await echoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', server.port);
  // connect() has only started: nothing is connected yet
  assert.equal(reports.length, 0);
  assert.equal(clients.send(1, 'one,'), true);
  assert.equal(clients.send(1, 'two'), true);
  await until(() => reports.filter((r) => r.action === 'received').map((r) => r.text).join('') === 'ONE,TWO', 'both replies');
  const actions = reports.map((r) => (r.action === 'sent' ? `sent ${r.text}` : r.action)).filter((a) => a !== 'received');
  assert.deepEqual(actions, ['connected', 'sent one,', 'sent two']);
  clients.closeAll();
  await until(() => clients.size === 0, 'closed');
  await server.close();
});

test('queued texts are bounded while connecting, with a clear report', async () => {
  const server = await echoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', server.port);
  for (let i = 0; i < MAX_PENDING_SENDS; i++) assert.equal(clients.send(1, 'x'), true);
  assert.equal(clients.send(1, 'one too many'), false);
  assert.match(reports.at(-1)?.message ?? '', /wait for the connection/);
  await until(() => reports.filter((r) => r.action === 'sent').length === MAX_PENDING_SENDS, 'every queued text sent');
  await until(() => reports.filter((r) => r.action === 'received').map((r) => r.text).join('') === 'X'.repeat(MAX_PENDING_SENDS), 'every reply');
  clients.closeAll();
  await until(() => clients.size === 0, 'closed');
  await server.close();
});

test('a UDP client sends each text as one datagram and reports every reply as it comes', async () => {
  const server = await udpEchoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', server.port, 'udp');
  // sent before the socket is connected: queued, not lost
  assert.equal(clients.send(1, 'héllo'), true);
  await until(() => reports.some((r) => r.action === 'received'), 'the first reply');
  assert.equal(clients.send(1, '<b>two</b>'), true);
  await until(() => reports.filter((r) => r.action === 'received').length === 2, 'the second reply');
  assert.deepEqual(server.received, ['héllo', '<b>two</b>'], 'one datagram per send');
  assert.deepEqual(reports.filter((r) => r.action === 'received').map((r) => r.text), ['HÉLLO', '<B>TWO</B>']);
  assert.equal(reports[0]?.action, 'connected');
  assert.equal(reports[0]?.address, `127.0.0.1:${server.port}`);
  assert.deepEqual(reports.filter((r) => r.action === 'sent').map((r) => r.text), ['héllo', '<b>two</b>']);
  clients.disconnect(1);
  await until(() => reports.some((r) => r.action === 'closed'), 'closed');
  assert.equal(clients.size, 0);
  assert.equal(clients.send(1, 'x'), false);
  await server.close();
});

test('a UDP client over ::1, and a UDP client next to a TCP one', async () => {
  const udp6 = await udpEchoServer('::1');
  const tcp = await echoServer();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '::1', udp6.port, 'udp');
  clients.connect(2, '127.0.0.1', tcp.port, 'tcp');
  clients.send(1, 'six');
  clients.send(2, 'four');
  await until(() => reports.filter((r) => r.action === 'received').length === 2, 'both replies');
  assert.equal(reports.find((r) => r.action === 'received' && r.client === 1)?.text, 'SIX');
  assert.equal(reports.find((r) => r.action === 'received' && r.client === 1)?.address, `[::1]:${udp6.port}`);
  assert.equal(reports.find((r) => r.action === 'received' && r.client === 2)?.text, 'FOUR');
  clients.closeAll();
  await until(() => reports.filter((r) => r.action === 'closed').length === 2 && clients.size === 0, 'both closed');
  await Promise.all([udp6.close(), tcp.close()]);
});

test('a UDP client to a port nobody has bound reports the refusal and stays open until disconnected', async () => {
  const server = await udpEchoServer();
  const port = server.port;
  await server.close();
  const reports: ClientReport[] = [];
  const clients = new LiveClients((r) => reports.push(r));
  clients.connect(1, '127.0.0.1', port, 'udp');
  await until(() => reports.some((r) => r.action === 'connected'), 'connected');
  // the ICMP "port unreachable" of the first datagram surfaces on a later one
  for (let i = 0; i < 20 && !reports.some((r) => r.action === 'error'); i++) {
    clients.send(1, 'anyone?');
    await until(() => reports.filter((r) => r.action === 'sent' || r.action === 'error').length > i, 'the send to finish');
  }
  assert.equal(reports.find((r) => r.action === 'error')?.message, 'ECONNREFUSED');
  assert.equal(clients.size, 1);
  clients.disconnect(1);
  await until(() => clients.size === 0 && reports.some((r) => r.action === 'closed'), 'closed');
});

let seq = 0;
function call(pid: number, name: string, fd: number | null, ret: number, extra: Partial<CallEvent> = {}): CallEvent {
  return { v: 2, seq: ++seq, t: seq, kind: 'call', pid, tid: pid, call: name, fd, ret, errno: null, args: {}, ...extra };
}
const tcpSocket = (pid: number, fd: number): CallEvent => call(pid, 'socket', null, fd, { newFd: fd, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' } });
const udpSocket = (pid: number, fd: number, type = 'SOCK_DGRAM'): CallEvent => call(pid, 'socket', null, fd, { newFd: fd, args: { family: 'AF_INET', type, protocol: '0' } });

test('target: a TCP server that listened is reached over TCP, wildcard addresses over loopback', () => {
  const events = [tcpSocket(10, 3), call(10, 'bind', 3, 0, { local: '0.0.0.0:9190' }), call(10, 'listen', 3, 0, { local: '0.0.0.0:9190' })];
  assert.deepEqual(liveClientTarget(events), { ok: true, transport: 'tcp', host: '127.0.0.1', port: 9190, address: '0.0.0.0:9190' });
  const v6 = [tcpSocket(10, 3), call(10, 'listen', 3, 0, { local: '[::]:5000' })];
  assert.deepEqual(liveClientTarget(v6), { ok: true, transport: 'tcp', host: '::1', port: 5000, address: '[::]:5000' });
});

test('target: a bound datagram socket that never listens is reached over UDP', () => {
  const events = [udpSocket(10, 3), call(10, 'bind', 3, 0, { local: '0.0.0.0:7000' }), call(10, 'recvfrom', 3, -1, { errno: 'EINTR' })];
  assert.deepEqual(liveClientTarget(events), { ok: true, transport: 'udp', host: '127.0.0.1', port: 7000, address: '0.0.0.0:7000' });
  const flags = [udpSocket(10, 4, 'SOCK_DGRAM|SOCK_NONBLOCK'), call(10, 'bind', 4, 0, { local: '[::1]:7001' })];
  assert.deepEqual(liveClientTarget(flags), { ok: true, transport: 'udp', host: '::1', port: 7001, address: '[::1]:7001' });
});

test('target: TCP listening wins over an earlier UDP bind; only bound datagram sockets count as UDP', () => {
  const both = [udpSocket(10, 3), call(10, 'bind', 3, 0, { local: '127.0.0.1:7000' }), tcpSocket(10, 4), call(10, 'bind', 4, 0, { local: '127.0.0.1:8000' }), call(10, 'listen', 4, 0, { local: '127.0.0.1:8000' })];
  assert.deepEqual(liveClientTarget(both), { ok: true, transport: 'tcp', host: '127.0.0.1', port: 8000, address: '127.0.0.1:8000' });
  // a stream socket bound but not listening yet: nothing to reach
  assert.deepEqual(liveClientTarget([tcpSocket(10, 3), call(10, 'bind', 3, 0, { local: '127.0.0.1:8000' })]), { ok: false, reason: 'not-listening' });
  // the fd number was reused by a stream socket after the datagram socket closed
  const reused = [udpSocket(10, 3), call(10, 'close', 3, 0), tcpSocket(10, 3), call(10, 'bind', 3, 0, { local: '127.0.0.1:8000' })];
  assert.deepEqual(liveClientTarget(reused), { ok: false, reason: 'not-listening' });
  // a failed bind and a port-0 bind are not addresses to reach
  const failed = [udpSocket(10, 3), call(10, 'bind', 3, -1, { errno: 'EADDRINUSE', local: '127.0.0.1:7000' }), call(10, 'bind', 3, 0, { local: '127.0.0.1:0' })];
  assert.deepEqual(liveClientTarget(failed), { ok: false, reason: 'not-listening' });
  assert.deepEqual(liveClientTarget([]), { ok: false, reason: 'not-listening' });
});

test('target: a forked child binds the datagram socket it inherited', () => {
  const events: SockLensEvent[] = [
    udpSocket(10, 3),
    call(10, 'fork', null, 11),
    { v: 2, seq: ++seq, t: seq, kind: 'process-started', pid: 11, ppid: 10, argv: ['a.out'] },
    call(11, 'bind', 3, 0, { local: '0.0.0.0:7002' }),
  ];
  assert.deepEqual(liveClientTarget(events), { ok: true, transport: 'udp', host: '127.0.0.1', port: 7002, address: '0.0.0.0:7002' });
});

test('target: an address that is neither loopback nor wildcard is named, not reached', () => {
  const events = [tcpSocket(10, 3), call(10, 'listen', 3, 0, { local: '192.0.2.7:9190' })];
  assert.deepEqual(liveClientTarget(events), { ok: false, reason: 'not-loopback', address: '192.0.2.7:9190' });
});

test('the real UDP echo fixture, run by the runner: target chosen from its events, datagrams answered', async () => {
  const { r, port } = await startServer('udp_echo.c', {}, 'bind');
  const target = liveClientTarget(r.events);
  assert.deepEqual(target, { ok: true, transport: 'udp', host: '127.0.0.1', port, address: `0.0.0.0:${port}` });
  assert.ok(target.ok);
  const reports: ClientReport[] = [];
  const clients = new LiveClients((rep) => reports.push(rep));
  clients.connect(1, target.host, target.port, target.transport);
  clients.send(1, 'first');
  clients.send(1, 'second <i>');
  await until(() => reports.filter((rep) => rep.action === 'received').length === 2, 'both answers', 15000);
  assert.deepEqual(reports.filter((rep) => rep.action === 'received').map((rep) => rep.text), ['first', 'second <i>']);
  const recvfrom = await r.waitForCall('recvfrom', (c) => c.data === 'second <i>');
  assert.match(recvfrom.peer ?? '', /^127\.0\.0\.1:\d+$/);
  clients.disconnect(1);
  await until(() => clients.size === 0, 'the client closed');
  const result = await r.run.stop();
  assert.equal(result.portsFreed, true);
});
