import { test } from 'node:test';
import type { SockLensEvent } from '../../src/core/protocol/events.js';
import assert from 'node:assert/strict';
import { applyEvents, openConversations, createModel, mainService, mainExit, nextClientId, openClientCount, requestClient, storyKind, MAX_PROBLEMS } from '../../src/webview/model.js';
import { TimelineIndex } from '../../src/webview/timeline-index.js';
import { describeEvent } from '../../src/webview/describe.js';
import { translator } from '../../src/webview/strings.js';
import { PID, addressInUseEvents, callEvent, crashEvents, helloServerEvents, helloServerUntilAccept, manyEvents } from './panel-fixtures.js';

test('hello server: fd 3 listens on the port, accept gives fd 4 from 127.0.0.1, both end closed', () => {
  const model = createModel();
  applyEvents(model, helloServerEvents(9190, 51234));
  assert.equal(model.sockets.length, 2);
  const [listening, accepted] = model.sockets;
  assert.deepEqual(
    { fd: listening!.fd, pid: listening!.pid, role: listening!.role, local: listening!.local?.text, backlog: listening!.backlog, line: listening!.createdAt?.line },
    { fd: 3, pid: PID, role: 'listening', local: '0.0.0.0:9190', backlog: 5, line: 26 },
  );
  assert.equal(accepted!.fd, 4);
  assert.equal(accepted!.role, 'conversation');
  assert.equal(accepted!.peer?.text, '127.0.0.1:51234');
  assert.equal(accepted!.acceptedFrom, 3);
  assert.equal(accepted!.bytesOut, 13);
  assert.equal(accepted!.createdAt?.line, 42);
  assert.ok(model.sockets.every((r) => r.state === 'closed'), 'closed fds stay in the table as closed');
  assert.equal(model.open.size, 0);
  assert.equal(mainService(model)?.address.text, '0.0.0.0:9190');
  assert.equal(mainExit(model)?.code, 0);
  assert.deepEqual(model.stopped, { seq: 17, reason: 'exited', portsFreed: true });
});

test('the four server steps light up in order with their source lines', () => {
  const model = createModel();
  const events = helloServerEvents();
  applyEvents(model, events.slice(0, 4));
  assert.equal(model.steps.socket.reached, true);
  assert.equal(model.steps.bind.reached, false);
  applyEvents(model, events.slice(4, 6));
  assert.equal(model.steps.listen.reached, true);
  assert.equal(model.steps.listen.backlog, 5);
  assert.equal(model.steps.listen.address?.text, '0.0.0.0:9190');
  assert.equal(model.steps.accept.reached, false);
  applyEvents(model, events.slice(6, 7));
  assert.equal(model.steps.accept.reached, true);
  assert.equal(model.steps.accept.count, 1);
  assert.deepEqual(
    [model.steps.socket.src?.line, model.steps.bind.src?.line, model.steps.listen.src?.line, model.steps.accept.src?.line],
    [26, 35, 38, 42],
  );
  assert.equal(storyKind(model), 'server');
});

test('an open accepted connection is a call in progress until it is closed', () => {
  const model = createModel();
  applyEvents(model, helloServerUntilAccept());
  assert.deepEqual(openConversations(model).map((r) => [r.fd, r.peer?.text]), [[4, '127.0.0.1:50304']]);
  applyEvents(model, [callEvent(8, { call: 'close', fd: 4 })]);
  assert.deepEqual(openConversations(model), []);
});

test('EADDRINUSE: bind fails where it happened, with explanation and who holds the port', () => {
  const model = createModel();
  applyEvents(model, addressInUseEvents(9190));
  const bind = model.steps.bind;
  assert.equal(bind.reached, false);
  assert.equal(bind.errno, 'EADDRINUSE');
  assert.equal(bind.src?.line, 35);
  assert.equal(bind.problem?.explanation?.en, 'Another socket already has this address.');
  assert.deepEqual(bind.problem?.holder, [{ pid: 777, command: 'other_server', state: 'LISTEN' }]);
  assert.equal(model.steps.listen.reached, false);
  assert.equal(model.sockets[0]!.lastErrno, 'EADDRINUSE');
  assert.equal(mainExit(model)?.code, 1);
});

test('a crash keeps its signal name and closes what the process had open', () => {
  const model = createModel();
  applyEvents(model, crashEvents());
  assert.equal(mainExit(model)?.signal, 'SIGSEGV');
  assert.equal(model.sockets[0]!.state, 'closed');
  assert.equal(model.problems.at(-1)?.code, 'crash');
});

test('a reused fd number gets a new row; the closed one stays', () => {
  const model = createModel();
  applyEvents(model, helloServerUntilAccept());
  applyEvents(model, [
    callEvent(8, { call: 'close', fd: 4 }),
    callEvent(9, { call: 'accept', fd: 3, ret: 4, newFd: 4, peer: '127.0.0.1:6000' }),
  ]);
  const fours = model.sockets.filter((r) => r.fd === 4);
  assert.deepEqual(fours.map((r) => [r.state, r.peer?.text]), [['closed', '127.0.0.1:50304'], ['connected', '127.0.0.1:6000']]);
  assert.equal(model.steps.accept.count, 2);
});

test('fork: the child inherits the accepted fd from its parent, per-process closes do not mix', () => {
  const model = createModel();
  applyEvents(model, helloServerUntilAccept());
  const child = PID + 1;
  applyEvents(model, [
    callEvent(8, { call: 'close', fd: 4 }), // the parent hands the connection to the child
    callEvent(9, { call: 'close', fd: 3, pid: child, tid: child }),
    callEvent(10, { call: 'send', fd: 4, pid: child, tid: child, ret: 5, bytes: 5 }),
  ]);
  const childRow = model.sockets.find((r) => r.pid === child && r.fd === 4)!;
  assert.equal(childRow.inheritedFrom, PID);
  assert.equal(childRow.peer?.text, '127.0.0.1:50304');
  assert.equal(childRow.bytesOut, 5);
  assert.equal(childRow.state, 'connected');
  assert.equal(model.open.get(`${PID}:3`)?.role, 'listening', "the child's close(3) leaves the parent's listening socket open");
});

test('UDP sockets, client connect, dup and socketpair', () => {
  const udp = createModel();
  applyEvents(udp, [
    callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_DGRAM', protocol: '0' } }),
    callEvent(2, { call: 'bind', fd: 3, local: '127.0.0.1:7000' }),
    callEvent(3, { call: 'recvfrom', fd: 3, ret: 4, bytes: 4, peer: '127.0.0.1:40000' }),
  ]);
  assert.equal(udp.sockets[0]!.role, 'udp');
  assert.equal(udp.sockets[0]!.bytesIn, 4);
  assert.equal(mainService(udp)?.address.text, '127.0.0.1:7000');
  assert.equal(storyKind(udp), 'udp');

  const client = createModel();
  applyEvents(client, [
    callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' } }),
    callEvent(2, { call: 'connect', fd: 3, peer: '127.0.0.1:9190', local: '127.0.0.1:45000' }),
    callEvent(3, { call: 'dup2', fd: 3, ret: 5, newFd: 5 }),
    callEvent(4, { call: 'socketpair', ret: 0, fds: [6, 7], args: { family: 'AF_UNIX', type: 'SOCK_STREAM', protocol: '0' } }),
    callEvent(5, { call: 'recv', fd: 3, ret: 0, bytes: 0 }),
  ]);
  assert.equal(storyKind(client), 'client');
  assert.equal(client.steps.connect.address?.text, '127.0.0.1:9190');
  const byFd = new Map(client.sockets.map((r) => [r.fd, r]));
  assert.equal(byFd.get(3)!.role, 'client');
  assert.equal(byFd.get(3)!.state, 'peer-closed');
  assert.equal(byFd.get(5)!.peer?.text, '127.0.0.1:9190');
  assert.deepEqual([byFd.get(6)!.state, byFd.get(7)!.state], ['open', 'open']);
});

test('batched and file sends count their bytes, not their return value: sendmmsg, recvmmsg, sendfile', () => {
  const model = createModel();
  applyEvents(model, [
    callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' } }),
    callEvent(2, { call: 'connect', fd: 3, peer: '127.0.0.1:9190', local: '127.0.0.1:45000' }),
    callEvent(3, { call: 'sendmmsg', fd: 3, ret: 2, bytes: 11, args: { vlen: 2, flags: '0' } }),
    callEvent(4, { call: 'sendfile', fd: 3, ret: 6, bytes: 6, args: { inFd: 5, count: 6, offset: 0 } }),
    callEvent(5, { call: 'recvmmsg', fd: 3, ret: 0, bytes: 0, args: { vlen: 2, flags: 'MSG_DONTWAIT' } }),
  ]);
  const row = model.sockets.find((r) => r.fd === 3)!;
  assert.equal(row.bytesOut, 17);
  assert.equal(row.state, 'connected', 'no message is not the peer closing');
});

test('routine errnos are not problems nor failed steps, and problems are bounded', () => {
  const model = createModel();
  applyEvents(model, [callEvent(1, { call: 'accept', fd: 3, ret: -1, errno: 'EAGAIN' })]);
  assert.equal(model.problems.length, 0);
  assert.equal(model.steps.accept.errno, undefined, 'a non-blocking accept with nobody waiting did not fail');
  const dialing = createModel();
  applyEvents(dialing, [
    callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' } }),
    callEvent(2, { call: 'connect', fd: 3, ret: -1, errno: 'EINPROGRESS', peer: '127.0.0.1:9190' }),
  ]);
  assert.deepEqual([dialing.sockets[0]!.role, dialing.sockets[0]!.state, dialing.sockets[0]!.peer?.text], ['client', 'connecting', '127.0.0.1:9190']);
  assert.equal(dialing.steps.connect.reached, true);
  assert.equal(dialing.problems.length, 0);
  const failures = Array.from({ length: MAX_PROBLEMS + 50 }, (_, i) => callEvent(i + 2, { call: 'recv', fd: 9, ret: -1, errno: 'ECONNRESET' }));
  applyEvents(model, failures);
  assert.equal(model.problems.length, MAX_PROBLEMS);
  assert.equal(model.problemsDropped, 50);
});

test('test clients: requested ids, transcript and state from client events', () => {
  const model = createModel();
  assert.equal(nextClientId(model), 1);
  requestClient(model, 1);
  assert.equal(openClientCount(model), 1);
  assert.equal(nextClientId(model), 2);
  applyEvents(model, helloServerEvents().filter((e) => e.kind === 'client'));
  const session = model.clients.get(1)!;
  assert.equal(session.state, 'closed');
  assert.deepEqual(session.lines.map((l) => [l.direction, l.text]), [['sent', 'hello'], ['received', 'Hello World!\u0000']]);
  assert.equal(openClientCount(model), 0);
});

test('timeline index filters by fd and by call, and picks up appended events', () => {
  const model = createModel();
  applyEvents(model, helloServerEvents());
  const index = new TimelineIndex(model.events);
  assert.equal(index.length, 17);
  index.setFilter({ fd: 4 });
  assert.deepEqual(Array.from({ length: index.length }, (_, i) => index.at(i).seq), [7, 8, 9]);
  index.setFilter({ call: 'call:close' });
  assert.equal(index.length, 2);
  index.setFilter({ call: 'kind:client' });
  assert.equal(index.length, 4);
  index.setFilter({ fd: 4, call: 'call:write' });
  assert.equal(index.length, 1);
  applyEvents(model, [callEvent(18, { call: 'write', fd: 4, ret: 1, bytes: 1 })]);
  assert.equal(index.length, 2);
});

test('event lines read like the source: calls with fds, addresses, results and errors', () => {
  const t = translator('en');
  const lines = helloServerEvents(9190, 51234).map((e) => describeEvent(e, t));
  assert.equal(lines[3]!.text, 'socket(AF_INET, SOCK_STREAM, 0) → fd 3');
  assert.equal(lines[3]!.where, 'hello_server.c:26');
  assert.equal(lines[4]!.text, 'bind(fd 3, 0.0.0.0:9190) → 0');
  assert.equal(lines[5]!.text, 'listen(fd 3, backlog=5) → 0');
  assert.equal(lines[6]!.text, 'accept(fd 3) → fd 4 ← 127.0.0.1:51234');
  assert.equal(lines[7]!.text, 'write(fd 4, length=13) → 13 bytes "Hello World!\\x00"');
  const failed = describeEvent(addressInUseEvents()[2]!, t);
  assert.equal(failed.text, 'bind(fd 3, 0.0.0.0:9190) ✗ EADDRINUSE');
  assert.equal(failed.tone, 'error');
  assert.equal(lines[13]!.text, 'test client 1 received: Hello World!\\x00');
  const stopped = { v: 2, seq: 1, t: 1, kind: 'exited', pid: 7, code: null, signal: 'SIGTERM', reason: 'terminated (SIGTERM)' } as const;
  assert.deepEqual([describeEvent(stopped, t).text, describeEvent(stopped, t).tone], ['process 7 stopped by SIGTERM', 'runner']);
  const ko = translator('ko');
  assert.equal(describeEvent(crashEvents()[2]!, ko).text, '프로세스 4242 비정상 종료: SIGSEGV');
  assert.equal(describeEvent(addressInUseEvents()[3]!, ko).text, 'bind() 실패: 9190번 포트를 이미 쓰고 있습니다');
});

test('100k events fold in one pass', () => {
  const model = createModel();
  applyEvents(model, manyEvents(100_000));
  assert.equal(model.events.length, 100_007);
  const row = model.open.get(`${PID}:4`)!;
  assert.ok(row.bytesIn > 0 && row.bytesOut > 0);
});

test('the fd table draws open rows and the newest closed ones only', async () => {
  const { visibleRows, MAX_CLOSED_ROWS } = await import('../../src/webview/views/fd-table.js');
  const model = createModel();
  applyEvents(model, helloServerUntilAccept());
  let seq = 8;
  for (let i = 0; i < 300; i++) {
    applyEvents(model, [callEvent(seq++, { call: 'close', fd: 4 }), callEvent(seq++, { call: 'accept', fd: 3, ret: 4, newFd: 4, peer: `127.0.0.1:${6000 + i}` })]);
  }
  const { shown, hiddenClosed } = visibleRows(model);
  assert.equal(shown.length, 2 + MAX_CLOSED_ROWS);
  assert.equal(hiddenClosed, 302 - shown.length);
  assert.equal(shown[0]!.role, 'listening', 'the long-open listening socket stays first');
  assert.equal(shown.at(-1)!.peer?.text, '127.0.0.1:6299');
  assert.ok(shown.every((r, i) => i === 0 || r.id > shown[i - 1]!.id));
});

test('fork with announced children: each child inherits its own connection from its parent', () => {
  const model = createModel();
  applyEvents(model, helloServerUntilAccept()); // parent accepted fd 4 from port 50304
  const [c1, c2] = [PID + 1, PID + 2];
  applyEvents(model, [
    { v: 2, seq: 8, t: 8, kind: 'process-started', pid: c1, ppid: PID, argv: [] },
    callEvent(9, { call: 'close', fd: 4 }),
    callEvent(10, { call: 'accept', fd: 3, ret: 4, newFd: 4, peer: '127.0.0.1:6000' }),
    { v: 2, seq: 11, t: 11, kind: 'process-started', pid: c2, ppid: PID, argv: [] },
    callEvent(12, { call: 'close', fd: 4 }),
    callEvent(13, { call: 'send', fd: 4, pid: c2, tid: c2, ret: 1, bytes: 1 }),
    // an unknown process falls back to the newest row of that fd anywhere
    callEvent(14, { call: 'send', fd: 4, pid: 999, tid: 999, ret: 1, bytes: 1 }),
    // the first child speaks only after its parent accepted again: it still gets the connection it was forked with
    callEvent(15, { call: 'recv', fd: 4, pid: c1, tid: c1, ret: 2, bytes: 2 }),
  ]);
  assert.equal(model.sockets.find((r) => r.pid === c2)?.peer?.text, '127.0.0.1:6000');
  assert.equal(model.sockets.find((r) => r.pid === c2)?.inheritedFrom, PID);
  assert.equal(model.sockets.find((r) => r.pid === 999)?.inheritedFrom, c2);
  assert.equal(model.sockets.find((r) => r.pid === c1)?.peer?.text, '127.0.0.1:50304');
  assert.equal(model.sockets.find((r) => r.pid === c1)?.bytesIn, 2);
  assert.equal(model.mainPid, PID);
});

test('recorded fork-per-connection server with 3 clients: each child serves its own caller', async () => {
  const { default: recorded } = await import('./panel-fork-server.json');
  const model = createModel();
  applyEvents(model, recorded as SockLensEvent[]);
  const parent = model.mainPid!;
  const children = [...model.parents.keys()];
  assert.equal(children.length, 3);
  const peers = children.map((pid) => model.sockets.find((r) => r.pid === pid && r.fd === 4)?.peer?.text);
  assert.deepEqual(peers, ['127.0.0.1:58410', '127.0.0.1:58420', '127.0.0.1:58434']);
  for (const pid of children) {
    const served = model.sockets.find((r) => r.pid === pid && r.fd === 4)!;
    assert.deepEqual([served.bytesIn, served.bytesOut, served.state, served.inheritedFrom], [6, 6, 'closed', parent]);
    assert.equal(model.sockets.find((r) => r.pid === pid && r.fd === 3)?.state, 'closed', "the child's copy of the listening socket");
  }
  assert.equal(model.sockets.filter((r) => r.pid === parent && r.fd === 4).length, 3);
  assert.equal(model.steps.accept.count, 3);
  assert.equal(mainExit(model)?.signal, 'SIGTERM');
  assert.equal(model.open.size, 0);
  assert.deepEqual([...model.clients.values()].map((c) => c.lines.map((l) => l.text)), [['hello\n', 'hello\n'], ['hello\n', 'hello\n'], ['hello\n', 'hello\n']]);
});

test('the timeline lets go of the oldest events beyond its limit; the folded state stays', async () => {
  const { trimEvents } = await import('../../src/webview/model.js');
  const model = createModel();
  applyEvents(model, manyEvents(1000)); // 1007 events
  assert.equal(trimEvents(model, 2000), false);
  assert.equal(trimEvents(model, 500), true);
  assert.equal(model.events.length, 450, 'a tenth of slack goes too, so trimming is rare');
  assert.equal(model.eventsDropped, 557);
  assert.equal(model.events[0]!.seq, 558);
  assert.equal(trimEvents(model, 500), false);
  assert.equal(model.steps.listen.reached, true);
  assert.equal(model.sockets.length, 2);
});
