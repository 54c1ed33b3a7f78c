import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { LiveClients } from '../../src/core/editor/liveClients';
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
