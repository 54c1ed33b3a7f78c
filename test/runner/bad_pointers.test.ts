import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { fixture, record } from './helpers';

const SOURCE = fixture('bad_pointers.c');
const sourceLines = readFileSync(SOURCE, 'utf8').split('\n');

/** The 1-based line of the fixture holding `text` (exactly one). */
function lineOf(text: string): number {
  const found = sourceLines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  assert.equal(found.length, 1, `one line with ${text}`);
  return found[0];
}

test('bad pointers: every call fails (or succeeds) as untraced, the program never crashes, the events say so', async () => {
  const r = record({ source: SOURCE, args: [] });
  const result = await r.run.done;
  assert.equal(result.signal, null);
  assert.equal(result.exitCode, 0);
  const stdout = r.events.filter((e): e is Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }> => e.kind === 'stdout').map((e) => e.text);
  const compiled = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
  const untraced = spawnSync(compiled.binary!, [], { encoding: 'utf8', timeout: 15000 });
  assert.equal(untraced.signal, null);
  assert.equal(untraced.status, 0);
  assert.deepEqual(stdout, untraced.stdout.trim().split('\n'));
  assert.equal(stdout.at(-1), 'done');
  assert.ok(stdout.length > 60, `${stdout.length} calls`);

  // each printed call ("<line> <call> <ret> <errno>") has its event: the same result and errno
  const calls = r.calls();
  const at = (line: number, call: string): CallEvent[] => calls.filter((c) => c.src?.line === line && c.call === call);
  for (const printed of stdout.slice(0, -1)) {
    const [line, call, ret, errno] = printed.split(' ');
    const done = at(Number(line), call).filter((c) => c.phase !== 'waiting');
    assert.equal(done.length, 1, `one ${call} event at line ${line}`);
    assert.deepEqual([done[0].ret, done[0].errno], [Number(ret), errno === '-' ? null : errno], printed);
  }
  assert.ok(stdout.filter((l) => l.endsWith(' EFAULT')).length >= 40);

  // a wait given a bad array or set is reported waiting without a list (not an empty one), then failing
  for (const [text, call] of [['poll(BAD, 1, 0)', 'poll'], ['__ppoll_chk(BAD', 'ppoll'], ['select(4, NULL, BAD', 'select'], ['pselect(4, BAD', 'pselect']]) {
    const [waiting, ready] = at(lineOf(text), call);
    assert.deepEqual([waiting.phase, waiting.watchFds, ready.phase, ready.errno], ['waiting', undefined, 'ready', 'EFAULT'], text);
  }
  // an unreadable timespec (epoll_pwait2 takes it as it is) is an unknown timeout, not "none"
  const [pwait2Waiting] = at(lineOf('epoll_pwait2(ep, evs, 1, BAD'), 'epoll_pwait2');
  assert.deepEqual([pwait2Waiting.phase, pwait2Waiting.args.timeoutMs], ['waiting', null]);
  // good waits still list what they watch and what is ready (sp[0], writable)
  const [pollWaiting, pollReady] = at(lineOf('poll(&ok, 1, 0)'), 'poll');
  const sp0 = pollWaiting.watchFds?.[0];
  assert.equal(typeof sp0, 'number');
  assert.deepEqual([pollWaiting.watchFds, pollReady.readyFds], [[sp0], [sp0]]);
  const [selWaiting, selReady] = at(lineOf('select(sp[0] + 1'), 'select');
  assert.deepEqual([selWaiting.watchFds, selWaiting.watchWriteFds, selReady.readyFds, selReady.readyWriteFds], [[], [sp0], [], [sp0]]);
  assert.equal(selWaiting.args.timeoutMs, 0);
  const [ppollWaiting, ppollReady] = at(lineOf('ppoll(&ok, 1, &(struct timespec){ 1, 500000000 }'), 'ppoll');
  assert.deepEqual([ppollWaiting.watchFds, ppollWaiting.args.timeoutMs, ppollReady.readyFds], [[sp0], 1500, [sp0]]);
  const [manyWaiting, manyReady] = at(lineOf('poll(many, 300, 0)'), 'poll');
  assert.deepEqual([manyWaiting.watchFds, manyReady.readyFds], [[sp0, sp0! + 1], [sp0, sp0! + 1]]);

  // a failed call given good pointers still shows its address or value (read safely after the failure)
  const loopback = /^127\.0\.0\.1:\d+$/;
  const inUse = at(lineOf('bind(fresh, (struct sockaddr *)&ua'), 'bind')[0];
  assert.equal(inUse.errno, 'EADDRINUSE');
  assert.match(inUse.local ?? '', loopback);
  assert.match(at(lineOf('sendto(NO_FD, "x", 1, 0, (struct sockaddr *)&ua'), 'sendto')[0].peer ?? '', loopback);
  assert.match(at(lineOf('sendmsg(NO_FD, &to_ua'), 'sendmsg')[0].peer ?? '', loopback);
  assert.equal(at(lineOf('SO_REUSEADDR, &one'), 'setsockopt')[0].args.value, 1);
  assert.equal(at(lineOf('EPOLL_CTL_DEL, sp[0], &('), 'epoll_ctl')[0].args.events, 'EPOLLOUT');
  // ... and a bad one shows none
  assert.equal(at(lineOf('bind(fresh, BAD, sizeof'), 'bind')[0].local, undefined);
  assert.equal(at(lineOf('connect(tcp, BAD'), 'connect')[0].peer, undefined);
  assert.equal(at(lineOf('sendmsg(udp, &bad_name'), 'sendmsg')[0].peer, undefined);
  assert.equal(at(lineOf('EPOLL_CTL_DEL, sp[0], BAD'), 'epoll_ctl')[0].args.events, null);
  assert.equal(at(lineOf('setsockopt(udp, SOL_SOCKET, SO_REUSEADDR, BAD'), 'setsockopt')[0].args.value, null);
  assert.equal(at(lineOf('setsockopt(udp, SOL_SOCKET, SO_REUSEADDR, NUL'), 'setsockopt')[0].args.value, null);

  // received addresses the kernel could not write whole (a zero-length buffer; 28 bytes into 16 before unmapped memory)
  for (const [text, call] of [['BAD, &zero', 'recvfrom'], ['recvfrom(udp6', 'recvfrom'], ['recvmsg(udp6', 'recvmsg'], ['recvmmsg(udp6', 'recvmmsg']]) {
    const [ev] = at(lineOf(text), call);
    assert.deepEqual([ev.ret, ev.peer], [1, undefined], text);
  }
});

test('a seccomp filter refusing process_vm_readv: records go without the memory they could not copy, nothing crashes', async () => {
  const r = record({ source: fixture('no_vm_read.c'), args: [] });
  const result = await r.run.done;
  assert.deepEqual([result.exitCode, result.signal], [0, null]);
  const stdout = r.events.filter((e): e is Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }> => e.kind === 'stdout').map((e) => e.text);
  const compiled = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
  const untraced = spawnSync(compiled.binary!, [], { encoding: 'utf8', timeout: 15000 });
  assert.equal(untraced.status, 0);
  assert.deepEqual(stdout, untraced.stdout.trim().split('\n'));
  assert.equal(stdout.length, 8);
  const calls = r.calls().filter((c) => c.call !== 'exit');
  assert.deepEqual(calls.map((c) => `${c.src?.line} ${c.call}${c.phase ? `:${c.phase}` : ''} ${c.errno ?? c.ret}`), [
    '39 socketpair 0',
    '41 poll:waiting 0', '41 poll:ready 1',
    '42 poll:waiting 0', '42 poll:ready EFAULT',
    '46 select:waiting 0', '46 select:ready 1',
    '47 select:waiting 0', '47 select:ready EFAULT',
    '48 bind EFAULT',
    '49 setsockopt 0',
    '50 send 2',
  ]);
  const by = (line: number, phase?: string): CallEvent => calls.find((c) => c.src?.line === line && c.phase === phase)!;
  // what is watched is read before the call: not without a copy; what is ready the kernel has just written
  assert.deepEqual([by(41, 'waiting').watchFds, by(41, 'ready').readyFds], [undefined, [3]]);
  assert.deepEqual([by(46, 'waiting').watchFds, by(46, 'waiting').args.timeoutMs], [undefined, null]);
  assert.equal(by(48).local, undefined);
  // success paths read directly, as before
  assert.equal(by(49).args.value, 1);
  assert.equal(by(50).data, 'hi');
});
