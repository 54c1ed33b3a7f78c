import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { NO_COLORS, describeCall } from '../../src/core/runner/timeline';
import { exchange, fixture, freePort, record, startServer, type Recorder } from './helpers';

const line = (ev: CallEvent, lang: 'en' | 'ko' = 'en'): string => describeCall(ev, NO_COLORS, '', lang);

async function stop(r: Recorder): Promise<void> {
  const result = await r.run.stop();
  assert.equal(result.reason, 'stop');
  assert.equal(result.portsFreed, true);
}

/** Waits until the program has made `n` calls (it is back in its wait after the last one). */
function callCount(r: Recorder, n: number): Promise<SockLensEvent> {
  return r.waitFor(() => r.calls().length >= n, `${n} calls`);
}

/** The ppoll server's calls for one client sending "six" and closing. */
const PPOLL_SEQUENCE = [
  '22 socket - → 3', '27 bind 3 → 0', '27 listen 3 → 0',
  '34 ppoll:waiting - → 0', '34 ppoll:ready - → 1', '40 accept 3 → 4',
  '34 ppoll:waiting - → 0', '34 ppoll:ready - → 1', '47 recv 4 → 3', '52 send 4 → 3',
  '34 ppoll:waiting - → 0', '34 ppoll:ready - → 1', '47 recv 4 → 0', '49 close 4 → 0',
  '34 ppoll:waiting - → 0',
];

test('ppoll server: waiting and ready events with the watched and ready descriptors, like poll', async () => {
  const { r, port } = await startServer('ppoll_server.c');
  assert.equal(await exchange(port, 'six'), 'six');
  await callCount(r, PPOLL_SEQUENCE.length);
  assert.deepEqual(r.sequence(), PPOLL_SEQUENCE);
  const waits = r.calls().filter((c) => c.call === 'ppoll');
  assert.deepEqual(waits.map((c) => [c.phase, c.watchFds ?? c.readyFds]), [
    ['waiting', [3]], ['ready', [3]], ['waiting', [3, 4]], ['ready', [4]], ['waiting', [3, 4]], ['ready', [4]], ['waiting', [3]],
  ]);
  assert.ok(waits.every((c) => c.fd === null && c.args.timeoutMs === -1 && c.args.sigmask === true && c.src?.function === 'main'));
  assert.equal(waits[0].watchWriteFds, undefined);
  assert.equal(line(waits[2]), 'ppoll() waiting on 3 4…');
  assert.equal(line(waits[3]), 'ppoll() → ready 4');
  assert.equal(line(waits[2], 'ko'), 'ppoll() 대기 중: 3 4…');
  await stop(r);
});

test('fortified ppoll server (-O1 -D_FORTIFY_SOURCE=2): __ppoll_chk is reported as ppoll', async () => {
  const { r, port } = await startServer('ppoll_server.c', { flags: ['-g', '-O1', '-D_FORTIFY_SOURCE=2'] });
  const compiled = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
  const symbols = spawnSync('nm', ['-D', compiled.binary!], { encoding: 'utf8' }).stdout;
  assert.match(symbols, /__ppoll_chk/);
  assert.doesNotMatch(symbols, / ppoll@/);
  assert.equal(await exchange(port, 'six'), 'six');
  await r.waitForCall('close', (c) => c.fd === 4);
  const waits = r.calls().filter((c) => c.call === 'ppoll');
  assert.deepEqual(waits.slice(0, 4).map((c) => [c.phase, c.ret, c.watchFds ?? c.readyFds]), [['waiting', 0, [3]], ['ready', 1, [3]], ['waiting', 0, [3, 4]], ['ready', 1, [4]]]);
  assert.ok(waits.every((c) => c.src?.line === 34));
  await stop(r);
});

test('pselect server over IPv6: read and write sets, the timeout and the signal mask, like select', async () => {
  const { r, port } = await startServer('pselect_server.c');
  assert.equal(await exchange(port, 'six', '::1'), 'six');
  const sequence = [
    '24 socket - → 3', '29 bind 3 → 0', '29 listen 3 → 0',
    '41 pselect:waiting - → 0', '41 pselect:ready - → 1', '49 accept 3 → 4',
    '41 pselect:waiting - → 0', '41 pselect:ready - → 1', '58 recv 4 → 3',
    '41 pselect:waiting - → 0', '41 pselect:ready - → 1', '45 send 4 → 3',
    '41 pselect:waiting - → 0', '41 pselect:ready - → 1', '58 recv 4 → 0', '61 close 4 → 0',
    '41 pselect:waiting - → 0',
  ];
  await callCount(r, sequence.length);
  assert.deepEqual(r.sequence(), sequence);
  const waits = r.calls().filter((c) => c.call === 'pselect');
  const sets = (c: CallEvent) => (c.phase === 'waiting' ? [c.watchFds, c.watchWriteFds ?? null] : [c.readyFds, c.readyWriteFds ?? null]);
  assert.deepEqual(waits.map(sets), [
    [[3], null], [[3], null], [[3, 4], null], [[4], null], [[3], [4]], [[], [4]], [[3, 4], null], [[4], null], [[3], null],
  ]);
  // the timeout is known before the call (30.5 s); nfds is max + 1
  assert.deepEqual(waits[0].args, { nfds: 4, timeoutMs: 30500, sigmask: true });
  assert.deepEqual(waits[5].args, { nfds: 5, timeoutMs: null, sigmask: true });
  assert.equal(line(waits[4]), 'pselect() waiting on 3 4…');
  assert.equal(line(waits[5]), 'pselect() → ready 4');
  const accept = r.calls().find((c) => c.call === 'accept')!;
  assert.match(accept.peer ?? '', /^\[::1\]:\d+$/);
  await stop(r);
});

test('epoll_pwait2 that times out at once, then epoll_pwait with a signal mask, like epoll_wait', async () => {
  const { r, port } = await startServer('epoll_pwait_server.c');
  assert.equal(await exchange(port, 'six'), 'six');
  const sequence = [
    '23 socket - → 3', '28 bind 3 → 0', '28 listen 3 → 0', '30 epoll_create1 - → 4', '33 epoll_ctl 3 → 0',
    '34 epoll_pwait2:waiting 4 → 0', '34 epoll_pwait2:ready 4 → 0',
    '37 epoll_pwait:waiting 4 → 0', '37 epoll_pwait:ready 4 → 1', '41 accept 3 → 5', '44 epoll_ctl 5 → 0',
    '37 epoll_pwait:waiting 4 → 0', '37 epoll_pwait:ready 4 → 1', '46 recv 5 → 3', '51 send 5 → 3',
    '37 epoll_pwait:waiting 4 → 0', '37 epoll_pwait:ready 4 → 1', '46 recv 5 → 0', '48 epoll_ctl 5 → 0', '49 close 5 → 0',
    '37 epoll_pwait:waiting 4 → 0',
  ];
  await callCount(r, sequence.length);
  assert.deepEqual(r.sequence(), sequence);
  const [waiting2, ready2] = r.calls().filter((c) => c.call === 'epoll_pwait2');
  assert.deepEqual(waiting2.args, { timeoutMs: 0, sigmask: false });
  assert.deepEqual(ready2.readyFds, []);
  assert.equal(line(waiting2), 'epoll_pwait2(4) waiting…');
  assert.equal(line(ready2), 'epoll_pwait2(4) → timed out');
  const ready = r.calls().filter((c) => c.call === 'epoll_pwait' && c.phase === 'ready');
  assert.deepEqual(ready.map((c) => c.readyFds), [[3], [5], [5]]);
  assert.ok(ready.every((c) => c.args.timeoutMs === -1 && c.args.sigmask === true));
  assert.equal(line(ready[1]), 'epoll_pwait(4) → ready 5');
  assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === 'first wait: 0'));
  await stop(r);
});

test('sendmmsg and recvmmsg over UDP: one event per call with the message count, total bytes and the first message', async () => {
  const port = await freePort();
  const r = record({ source: fixture('mmsg_udp.c'), args: [String(port)] });
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  assert.deepEqual(r.sequence(), [
    '21 socket - → 3', '22 socket - → 4', '27 bind 3 → 0', '38 sendmmsg 4 → 2', '48 recvmmsg 3 → 2', '49 recvmmsg 3 → EAGAIN',
    '51 close 4 → 0', '52 close 3 → 0', '- exit - → 0',
  ]);
  const [sent, got, none] = r.calls().slice(3, 6);
  assert.deepEqual([sent.bytes, sent.data, sent.peer, sent.args], [11, 'hello', `127.0.0.1:${port}`, { vlen: 2, flags: '0' }]);
  assert.deepEqual([got.bytes, got.data, got.args], [11, 'hello', { vlen: 2, flags: '0' }]);
  assert.match(got.peer ?? '', /^127\.0\.0\.1:\d+$/);
  assert.notEqual(got.peer, `127.0.0.1:${port}`);
  assert.deepEqual([none.ret, none.errno, none.bytes, none.data, none.args], [-1, 'EAGAIN', undefined, undefined, { vlen: 2, flags: 'MSG_DONTWAIT|MSG_WAITFORONE' }]);
  assert.ok(!r.events.some((e) => e.kind === 'problem'));
  assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === '2 2 -1 5 6'));
  assert.equal(line(sent), `sendmmsg(4, "hello", 2) → 2 messages, 11 bytes  to 127.0.0.1:${port}`);
  assert.equal(line(got), `recvmmsg(3, 2) → 2 messages, 11 bytes "hello"  from ${got.peer}`);
  assert.equal(line(none), 'recvmmsg(3, 2, MSG_DONTWAIT|MSG_WAITFORONE) → -1 EAGAIN');
  assert.equal(line(got, 'ko'), `recvmmsg(3, 2) → 메시지 2개, 11 바이트 "hello"  상대 ${got.peer}`);
});

test('sendfile to a socket: bytes sent and where in the file, no preview; sendfile to a file is not reported', async () => {
  const { r, port } = await startServer('sendfile_server.c');
  assert.equal(await exchange(port, ''), 'hello from a file\n');
  const sequence = ['20 socket - → 3', '25 bind 3 → 0', '25 listen 3 → 0', '28 accept 3 → 4', '34 sendfile 4 → 6', '36 sendfile 4 → 12', '42 close 4 → 0'];
  await callCount(r, sequence.length);
  assert.deepEqual(r.sequence(), sequence);
  const [first, rest] = r.calls().filter((c) => c.call === 'sendfile');
  assert.deepEqual([first.bytes, first.data, first.args], [6, undefined, { inFd: 5, count: 6, offset: 0 }]);
  assert.deepEqual([rest.bytes, rest.data, rest.args], [12, undefined, { inFd: 5, count: 64, offset: null }]);
  assert.equal(line(first), 'sendfile(4, 5, offset 0, 6) → 6 bytes');
  assert.equal(line(rest), 'sendfile(4, 5, NULL, 64) → 12 bytes');
  await stop(r);
  // the copy to /dev/null (line 39) and the closes of /dev/null and the file never became events
  assert.deepEqual(r.calls().filter((c) => [39, 40, 41].includes(c.src?.line ?? 0)), []);
});
