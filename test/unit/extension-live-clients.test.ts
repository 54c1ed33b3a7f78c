import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { LiveClients, MAX_PENDING_SENDS } from '../../src/core/editor/liveClients';
import type { ClientReport } from '../../src/core/runner/testClient';

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
