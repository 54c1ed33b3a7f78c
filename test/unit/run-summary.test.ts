import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { initialRunState, reduce } from '../../src/core/model/runModel';
import { runSummary } from '../../src/core/model/queries';

/** The summary as the status bar reads it, after each event folded into the run model. */
class Tracker {
  private readonly state = initialRunState();
  apply(ev: SockLensEvent): void {
    reduce(this.state, ev);
  }
  get summary() {
    return runSummary(this.state);
  }
}

let seq = 0;
const base = () => ({ v: 2 as const, seq: ++seq, t: 0 });
function call(pid: number, c: string, extra: Partial<CallEvent> = {}): SockLensEvent {
  return { ...base(), kind: 'call', pid, tid: pid, call: c, fd: null, ret: 0, errno: null, args: {}, ...extra };
}

test('an iterative server: listening port and open connections', () => {
  const t = new Tracker();
  t.apply({ ...base(), kind: 'compile-finished', ok: true, cached: false, binary: '/x', diagnostics: [] });
  t.apply({ ...base(), kind: 'process-started', pid: 10, ppid: null, argv: ['x', '9190'] });
  assert.equal(t.summary.stage, 'running');
  t.apply(call(10, 'socket', { ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM' } }));
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
  const t = new Tracker();
  t.apply({ ...base(), kind: 'process-started', pid: 10, ppid: null, argv: ['x'] });
  t.apply(call(10, 'socket', { ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM' } }));
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
  const t = new Tracker();
  t.apply({ ...base(), kind: 'compile-finished', ok: false, cached: false, binary: null, diagnostics: [] });
  t.apply({ ...base(), kind: 'stopped', reason: 'exited', portsFreed: true });
  assert.equal(t.summary.stage, 'compile-failed');
});
