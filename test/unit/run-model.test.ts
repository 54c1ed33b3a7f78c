// The run model (src/core/model): one fold of the event stream that the runner, CLI, extension and panel read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SockLensEvent, TcpStateEvent } from '../../src/core/protocol/events.js';
import { parseAddress } from '../../src/core/model/address.js';
import { MAX_CLOSED_SOCKETS, initialRunState, reduce, reduceAll, socketOf } from '../../src/core/model/runModel.js';
import { liveClientTarget, mainService, openConversations, runSummary } from '../../src/core/model/queries.js';
import { TimelinePrinter, NO_COLORS } from '../../src/core/runner/timeline.js';
import { PID, addressInUseEvents, callEvent, helloServerEvents, helloServerUntilAccept } from './panel-fixtures.js';

function tcpState(seq: number, fields: Partial<TcpStateEvent> & Pick<TcpStateEvent, 'fd' | 'state'>): TcpStateEvent {
  return { v: 2, seq, t: seq * 1000, kind: 'tcp-state', pid: PID, local: '0.0.0.0:9190', peer: '0.0.0.0:*', ...fields };
}

test('addresses are read once from the event text into structured values', () => {
  assert.deepEqual(parseAddress('0.0.0.0:9190'), { family: 'inet', text: '0.0.0.0:9190', host: '0.0.0.0', port: 9190 });
  assert.deepEqual(parseAddress('[::ffff:127.0.0.1]:7'), { family: 'inet6', text: '[::ffff:127.0.0.1]:7', host: '::ffff:127.0.0.1', port: 7 });
  assert.deepEqual(parseAddress('/tmp/sock'), { family: 'unix', text: '/tmp/sock', path: '/tmp/sock', abstract: false });
  assert.deepEqual(parseAddress('@hidden'), { family: 'unix', text: '@hidden', path: 'hidden', abstract: true });
  assert.equal(parseAddress('1.2.3.4:99999'), undefined, 'not a port');
  assert.equal(parseAddress(''), undefined);
  assert.equal(parseAddress('nonsense'), undefined);
});

test('recorded hello server: sockets with role, family/type, structured addresses, bytes, lines; exited with code 0', () => {
  const state = reduceAll(helloServerEvents(9190, 51234));
  const [listening, conversation] = state.sockets;
  assert.deepEqual(
    [listening!.role, listening!.family, listening!.type, listening!.local, listening!.backlog, listening!.createdAt?.line],
    ['listening', 'AF_INET', 'SOCK_STREAM', { family: 'inet', text: '0.0.0.0:9190', host: '0.0.0.0', port: 9190 }, 5, 26],
  );
  assert.deepEqual(
    [conversation!.role, conversation!.family, conversation!.peer?.text, conversation!.acceptedFrom, conversation!.bytesOut, conversation!.state],
    ['conversation', 'AF_INET', '127.0.0.1:51234', 3, 13, 'closed'],
  );
  assert.deepEqual(state.services.map((s) => [s.transport, s.address.text, s.fd]), [['tcp', '0.0.0.0:9190', 3]]);
  const main = state.processes.get(PID)!;
  assert.deepEqual([main.status, main.exit?.code, main.argv], ['exited', 0, ['./hello_server', '9190']]);
  assert.deepEqual(runSummary(state), { stage: 'exited', listeningPorts: [], openConnections: 0, exitCode: 0, signal: null });
  assert.deepEqual(liveClientTarget(state), { ok: true, transport: 'tcp', host: '127.0.0.1', port: 9190, address: '0.0.0.0:9190' });
});

test('the four steps, then the kernel queue on the listen step from tcp-state', () => {
  const state = reduceAll(helloServerEvents(9190).slice(0, 6));
  assert.deepEqual(
    (['socket', 'bind', 'listen', 'accept'] as const).map((s) => state.steps[s].reached),
    [true, true, true, false],
  );
  reduce(state, tcpState(50, { fd: 3, state: 'LISTEN', acceptQueue: 2, backlog: 5 }));
  assert.deepEqual(state.steps.listen.queue, { waiting: 2, backlog: 5 });
  assert.deepEqual(socketOf(state, PID, 3)?.tcp, { state: 'LISTEN', seq: 50, acceptQueue: 2, backlog: 5 });
  reduce(state, tcpState(51, { fd: 3, state: 'LISTEN', acceptQueue: 0, backlog: 5 }));
  assert.deepEqual(state.steps.listen.queue, { waiting: 0, backlog: 5 }, 'the newest sample wins');
});

test('TCP states follow a conversation through close: CLOSE_WAIT while open, TIME_WAIT after close', () => {
  const state = reduceAll(helloServerUntilAccept());
  reduce(state, tcpState(20, { fd: 4, state: 'CLOSE_WAIT', local: '127.0.0.1:9190', peer: '127.0.0.1:50304' }));
  assert.equal(socketOf(state, PID, 4)?.tcp?.state, 'CLOSE_WAIT');
  reduce(state, callEvent(21, { call: 'close', fd: 4 }));
  reduce(state, tcpState(22, { fd: 4, state: 'TIME_WAIT', closed: true, expiresInMs: 59000, local: '127.0.0.1:9190', peer: '127.0.0.1:50304' }));
  const closed = state.sockets.find((s) => s.fd === 4)!;
  assert.deepEqual([closed.state, closed.tcp?.state, closed.tcp?.afterClose, closed.tcp?.expiresInMs], ['closed', 'TIME_WAIT', true, 59000]);
  // a sample for a descriptor the model never saw changes nothing
  const before = JSON.stringify(state.sockets);
  reduce(state, tcpState(23, { fd: 9, state: 'ESTABLISHED' }));
  assert.equal(JSON.stringify(state.sockets), before);
});

test('processes: blocked in a wait call until it returns, then running with its latest call; a child exit code', () => {
  const state = reduceAll(helloServerEvents(9190).slice(0, 6));
  reduce(state, callEvent(7, { call: 'select', fd: null, ret: 0, phase: 'waiting', watchFds: [3], args: { nfds: 4, timeoutMs: -1 }, src: { file: '/x.c', line: 40, function: 'main' } }));
  let main = state.processes.get(PID)!;
  assert.deepEqual([main.status, main.blockedIn?.call, main.blockedIn?.watchFds, main.blockedIn?.src?.line], ['blocked', 'select', [3], 40]);
  reduce(state, callEvent(8, { call: 'select', fd: null, ret: 1, phase: 'ready', readyFds: [3] }));
  main = state.processes.get(PID)!;
  assert.deepEqual([main.status, main.blockedIn, main.lastCall?.call], ['running', undefined, 'select']);
  reduce(state, callEvent(9, { call: 'fork', ret: PID + 1 }));
  reduce(state, callEvent(10, { pid: PID + 1, tid: PID + 1, call: 'exit', args: { code: 3 } }));
  const child = state.processes.get(PID + 1)!;
  assert.deepEqual([child.ppid, child.status, child.exit?.code], [PID, 'exited', 3]);
  assert.equal(state.exits.length, 0, "a child's exit call is not the run's exit");
});

test('fork: the child holds every descriptor its parent had open, and the connection counts once', () => {
  const state = reduceAll(helloServerUntilAccept());
  reduce(state, callEvent(8, { call: 'fork', ret: 5000 }));
  assert.deepEqual([...state.open.keys()].sort(), [`${PID}:3`, `${PID}:4`, '5000:3', '5000:4']);
  assert.equal(openConversations(state).length, 1, 'one conversation, two holders');
  reduce(state, callEvent(9, { call: 'close', fd: 4 }));
  assert.equal(runSummary(state).openConnections, 1, "the parent closed its copy; the child's is open");
  reduce(state, callEvent(10, { pid: 5000, tid: 5000, call: 'close', fd: 3 }));
  assert.deepEqual(runSummary(state).listeningPorts, [9190], 'the parent still listens');
  reduce(state, callEvent(11, { pid: 5000, tid: 5000, call: 'read', fd: 4, ret: 0, bytes: 0 }));
  assert.equal(socketOf(state, 5000, 4)?.state, 'peer-closed');
  reduce(state, callEvent(12, { pid: 5000, tid: 5000, call: 'exit', args: { code: 0 } }));
  assert.equal(runSummary(state).openConnections, 0);
});

test('a child whose events come before its parent\'s fork keeps what it did', () => {
  const state = reduceAll(helloServerUntilAccept());
  reduce(state, { v: 2, seq: 8, t: 8, kind: 'process-started', pid: 5000, ppid: PID, argv: ['x'] });
  reduce(state, callEvent(9, { pid: 5000, tid: 5000, call: 'close', fd: 3 }));
  reduce(state, callEvent(10, { call: 'fork', ret: 5000 }));
  assert.equal(state.open.has('5000:3'), false, 'the copy the child closed is not brought back');
  assert.equal(state.open.has('5000:4'), true);
});

test('failed calls: a routine errno is nothing, EADDRINUSE fails the bind step with the runner problem', () => {
  const routine = reduceAll([...helloServerUntilAccept(), callEvent(20, { call: 'recv', fd: 4, ret: -1, errno: 'EAGAIN' })]);
  assert.deepEqual([routine.problems.length, socketOf(routine, PID, 4)?.lastErrno], [0, undefined]);
  const state = reduceAll(addressInUseEvents());
  assert.equal(state.steps.bind.reached, false);
  assert.equal(state.steps.bind.errno, 'EADDRINUSE');
  assert.equal(state.steps.bind.problem?.code, 'EADDRINUSE');
  assert.ok(state.problems.length >= 1);
});

test('UDP: a bound datagram socket is the service; a 0-byte datagram is not a hang-up', () => {
  const state = reduceAll([
    callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET6', type: 'SOCK_DGRAM|SOCK_NONBLOCK', protocol: '0' } }),
    callEvent(2, { call: 'bind', fd: 3, local: '[::]:7000' }),
    callEvent(3, { call: 'recvfrom', fd: 3, ret: 0, bytes: 0, peer: '[::1]:40000' }),
  ]);
  const udp = socketOf(state, PID, 3)!;
  assert.deepEqual([udp.role, udp.datagram, udp.state, udp.local?.text], ['udp', true, 'bound', '[::]:7000']);
  assert.deepEqual(mainService(state)?.transport, 'udp');
  assert.deepEqual(liveClientTarget(state), { ok: true, transport: 'udp', host: '::1', port: 7000, address: '[::]:7000' });
});

test('test clients: a close the user did not ask for is the server hanging up', () => {
  const state = reduceAll(helloServerEvents(9190));
  const client = state.clients.get(1)!;
  assert.deepEqual([client.state, client.closedByServer], ['closed', true]);
  const asked = initialRunState();
  reduce(asked, { v: 2, seq: 1, t: 1, kind: 'client', client: 1, action: 'connected', address: '127.0.0.1:9190' });
  asked.clients.get(1)!.closing = true;
  reduce(asked, { v: 2, seq: 2, t: 2, kind: 'client', client: 1, action: 'closed' });
  assert.equal(asked.clients.get(1)!.closedByServer, undefined);
});

test('a connection-per-request server: closed entries are bounded, counted, and the fold stays fast', () => {
  const events: SockLensEvent[] = helloServerEvents(9190).slice(0, 6);
  let seq = 100;
  const CONNECTIONS = 50_000;
  for (let i = 0; i < CONNECTIONS; i++) {
    events.push(callEvent(seq++, { call: 'accept', fd: 3, ret: 4, newFd: 4, peer: `127.0.0.1:${1024 + (i % 60000)}`, local: '127.0.0.1:9190' }));
    events.push(callEvent(seq++, { call: 'read', fd: 4, ret: 5, bytes: 5 }));
    events.push(callEvent(seq++, { call: 'write', fd: 4, ret: 5, bytes: 5 }));
    events.push(callEvent(seq++, { call: 'close', fd: 4 }));
  }
  const started = performance.now();
  const state = reduceAll(events);
  const elapsed = performance.now() - started;
  assert.ok(state.sockets.length <= 2 * MAX_CLOSED_SOCKETS + 1, `kept ${state.sockets.length}`);
  assert.equal(state.closedDropped + state.sockets.length, CONNECTIONS + 1);
  assert.equal(state.steps.accept.count, CONNECTIONS);
  // 200k events: generous bound for a shared 2-core machine (it takes well under a second)
  assert.ok(elapsed < 3000, `folding 200k events took ${elapsed.toFixed(0)} ms`);
});

test('the CLI timeline reads the model: a kernel state line names the descriptor\'s role', () => {
  const printer = new TimelinePrinter({ painter: NO_COLORS, lang: 'en' });
  for (const ev of helloServerUntilAccept()) printer.lines(ev);
  const [line] = printer.lines(tcpState(30, { fd: 4, state: 'ESTABLISHED', local: '127.0.0.1:9190', peer: '127.0.0.1:50304' }));
  assert.match(line!, /kernel: fd 4 ESTABLISHED \(conversation\) 127\.0\.0\.1:9190 ↔ 127\.0\.0\.1:50304/);
});
