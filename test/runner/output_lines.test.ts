import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { fixture, record, type Recorder } from './helpers';

type Output = Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }>;

function describe(e: SockLensEvent): string {
  if (e.kind === 'call') return `${e.pid} ${e.call}`;
  if (e.kind === 'stdout' || e.kind === 'stderr') return `${e.pid} ${e.kind} ${e.text}`;
  return `${'pid' in e ? `${e.pid} ` : ''}${e.kind}`;
}

function assertTimeOrdered(r: Recorder): void {
  r.events.forEach((e, i) => {
    assert.equal(e.seq, i + 1);
    if (i > 0) assert.ok(e.t >= r.events[i - 1].t, `${describe(e)} at ${e.t} µs comes after ${describe(r.events[i - 1])} at ${r.events[i - 1].t} µs`);
  });
}

test('each output line sits where the program wrote it: between the calls around its write, in the writing process', async () => {
  const r = record({ source: fixture('lines_between_calls.c') });
  const result = await r.run.done;
  assert.deepEqual([result.exitCode, result.signal], [0, null]);
  assertTimeOrdered(r);
  const main = r.run.pid!;
  const child = (r.events.find((e) => e.kind === 'process-started' && e.pid !== main) as Extract<SockLensEvent, { kind: 'process-started' }>).pid;
  // the main process's calls and lines, in the order they were emitted (fork, wait and exit left out)
  const mainStory = r.events
    .filter((e) => (e.kind === 'call' && e.pid === main && (e.call === 'socket' || e.call === 'close')) || ((e.kind === 'stdout' || e.kind === 'stderr') && e.pid === main))
    .map(describe);
  const m = String(main);
  assert.deepEqual(mainStory, [
    `${m} socket`, `${m} stdout socket 1 made`, `${m} close`,
    `${m} socket`, `${m} stdout socket 2 made`, `${m} close`,
    `${m} socket`, `${m} stdout socket 3 made`, `${m} close`,
    `${m} socket`, `${m} stderr to stderr`, `${m} close`,
    // the line is placed at its newline's write, after the socket() between its two halves
    `${m} socket`, `${m} stdout half whole`, `${m} close`,
    `${m} stdout parent`,
  ]);
  // the child's line carries the child's pid (it prints its own), after the child started and before the parent's next line
  const lines = r.events.filter((e): e is Output => e.kind === 'stdout');
  const childLine = lines.find((e) => e.text.startsWith('child '))!;
  assert.equal(childLine.text, `child ${child}`);
  assert.equal(childLine.pid, child);
  const at = (pred: (e: SockLensEvent) => boolean): number => r.events.findIndex(pred);
  const started = at((e) => e.kind === 'process-started' && e.pid === child);
  const fork = at((e) => e.kind === 'call' && e.call === 'fork');
  const childIdx = r.events.indexOf(childLine);
  const parentIdx = at((e) => e.kind === 'stdout' && e.text === 'parent');
  assert.ok(fork >= 0 && started >= 0 && started < childIdx && childIdx < parentIdx, r.events.map(describe).join(', '));
});
