import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { portOf, RunSummaryTracker } from '../../src/core/editor/runSummary';

let seq = 0;
const base = () => ({ v: 2 as const, seq: ++seq, t: 0 });
function call(pid: number, c: string, extra: Partial<CallEvent> = {}): SockLensEvent {
  return { ...base(), kind: 'call', pid, tid: pid, call: c, fd: null, ret: 0, errno: null, args: {}, ...extra };
}

test('portOf reads IPv4 and IPv6 addresses', () => {
  assert.equal(portOf('0.0.0.0:9190'), 9190);
  assert.equal(portOf('[::]:5000'), 5000);
  assert.equal(portOf('/tmp/sock'), undefined);
  assert.equal(portOf(undefined), undefined);
});

test('an iterative server: listening port and open connections', () => {
  const t = new RunSummaryTracker();
  t.apply({ ...base(), kind: 'compile-finished', ok: true, cached: false, binary: '/x', diagnostics: [] });
  t.apply({ ...base(), kind: 'process-started', pid: 10, ppid: null, argv: ['x', '9190'] });
  assert.equal(t.summary.stage, 'running');
  t.apply(call(10, 'listen', { fd: 3, local: '0.0.0.0:9190' }));
  t.apply(call(10, 'accept', { fd: 3, ret: 4, newFd: 4 }));
  t.apply(call(10, 'accept', { fd: 3, ret: 5, newFd: 5 }));
  assert.deepEqual(t.summary.listeningPorts, [9190]);
  assert.equal(t.summary.openConnections, 2);
  t.apply(call(10, 'close', { fd: 4 }));
  assert.equal(t.summary.openConnections, 1);
  t.apply(call(10, 'accept', { fd: 3, ret: -1, errno: 'EINTR' }));
  assert.equal(t.summary.openConnections, 1, 'a failed accept adds nothing');
  t.apply({ ...base(), kind: 'exited', pid: 10, code: 0, signal: null, reason: 'exit code 0' });
  assert.deepEqual([t.summary.stage, t.summary.exitCode, t.summary.listeningPorts, t.summary.openConnections], ['exited', 0, [], 0]);
});

test('a forking server keeps counting a connection the parent closed', () => {
  const t = new RunSummaryTracker();
  t.apply({ ...base(), kind: 'process-started', pid: 10, ppid: null, argv: ['x'] });
  t.apply(call(10, 'listen', { fd: 3, local: '0.0.0.0:7000' }));
  t.apply(call(10, 'accept', { fd: 3, ret: 4, newFd: 4 }));
  t.apply(call(10, 'fork', { ret: 11 }));
  t.apply(call(10, 'close', { fd: 4 }));
  assert.equal(t.summary.openConnections, 1);
  t.apply(call(11, 'close', { fd: 3 }));
  assert.deepEqual(t.summary.listeningPorts, [7000], 'the parent still listens');
  t.apply({ ...base(), kind: 'exited', pid: 11, code: 0, signal: null, reason: '' });
  assert.equal(t.summary.openConnections, 0);
  assert.equal(t.summary.stage, 'running', 'a child exiting does not end the run');
});

test('a failed compile', () => {
  const t = new RunSummaryTracker();
  t.apply({ ...base(), kind: 'compile-finished', ok: false, cached: false, binary: null, diagnostics: [] });
  t.apply({ ...base(), kind: 'stopped', reason: 'exited', portsFreed: true });
  assert.equal(t.summary.stage, 'compile-failed');
});
