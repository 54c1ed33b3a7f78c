import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { startRun } from '../../src/core/runner/run';
import { fixture } from './helpers';

test('stdin is forwarded line by line, events can be iterated, closing stdin ends the program', async () => {
  const run = startRun({ source: fixture('stdin_echo.c'), args: [] });
  const seen: SockLensEvent[] = [];
  for await (const ev of run) {
    seen.push(ev);
    if (ev.kind === 'process-started') assert.equal(run.writeStdin('first\n'), true);
    if (ev.kind === 'stdout' && ev.text === 'got: first') {
      run.writeStdin('second\n');
      run.closeStdin();
    }
  }
  const out = seen.filter((e): e is Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }> => e.kind === 'stdout').map((e) => e.text);
  assert.deepEqual(out, ['got: first', 'got: second', 'eof']);
  assert.equal((await run.done).exitCode, 0);
  assert.equal(seen.at(-1)?.kind, 'stopped');
  assert.equal(run.writeStdin('late\n'), false);
});
