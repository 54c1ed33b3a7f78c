import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

test('socklens run: input piped into the CLI reaches the program even though it arrives while compiling, then EOF', () => {
  const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-cache-'));
  try {
    const env = { ...process.env, NO_COLOR: '1', SOCKLENS_CACHE_DIR: cacheDir };
    const out = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', fixture('stdin_echo.c')], { input: 'one\ntwo\n', encoding: 'utf8', env, timeout: 120000 });
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.split('\n').filter((l) => l.startsWith('│'));
    assert.deepEqual(lines, ['│ got: one', '│ got: two', '│ eof']);
    assert.match(out.stdout, /^compiled$/m, 'compiled afresh, not from the cache');
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
