import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { cacheRoot } from '../../src/core/runner/cache';
import { RunnerSetupError, assertSupportedPlatform, compileProgram } from '../../src/core/runner/compiler';
import { formatDiagnostic } from '../../src/core/runner/diagnostics';
import { fixture, record } from './helpers';

// columns are gcc's display columns (a tab advances to the next multiple of 8), as gcc prints them
test('a compile error: structured diagnostics with the fix-it, warnings with their option, no binary', async () => {
  const result = await compileProgram({ source: fixture('compile_error.c') });
  assert.equal(result.ok, false);
  assert.equal(result.binary, null);
  const error = result.diagnostics.find((d) => d.severity === 'error')!;
  assert.equal(error.file, fixture('compile_error.c'));
  assert.equal(error.line, 6);
  assert.match(error.message, /expected ';' before 'return'/);
  assert.deepEqual(error.fixits, [{ line: 6, column: 38, endLine: 6, endColumn: 38, replacement: ';' }]);
  const warning = result.diagnostics.find((d) => d.severity === 'warning')!;
  assert.deepEqual([warning.line, warning.column, warning.option], [5, 13, '-Wunused-variable']);
  assert.equal(formatDiagnostic(warning), `${fixture('compile_error.c')}:5:13: warning: unused variable 'unused' [-Wunused-variable]`);
});

test('startRun with a compile error ends with reason compile-error and no process', async () => {
  const r = record({ source: fixture('compile_error.c'), args: [] });
  const result = await r.run.done;
  assert.equal(result.reason, 'compile-error');
  assert.deepEqual(r.events.map((e) => e.kind), ['compile-started', 'compile-finished']);
  assert.equal(r.run.pid, null);
});

test('socklens run: a compile error prints gcc-style diagnostics on stderr and exits 2', () => {
  const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  const out = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', fixture('compile_error.c')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 });
  assert.equal(out.status, 2);
  assert.match(out.stderr, /compile_error\.c:6:\d+: error: expected ';' before 'return'/);
});

test('the compile cache: outside the source folder, hit on the second build, keyed by flags', async () => {
  const first = await compileProgram({ source: fixture('crash.c') });
  const again = await compileProgram({ source: fixture('crash.c') });
  assert.equal(again.cached, true);
  assert.equal(again.binary, first.binary);
  assert.ok(first.binary!.startsWith(cacheRoot() + path.sep));
  assert.ok(!first.binary!.startsWith(path.dirname(fixture('crash.c'))));
  const other = await compileProgram({ source: fixture('crash.c'), flags: ['-g', '-O0'] });
  assert.notEqual(other.binary, first.binary);
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/socklens');
  assert.equal(cacheRoot({ HOME: os.homedir() }), path.join(os.homedir(), '.cache', 'socklens'));
});

test('refusals with clear messages: -static, a missing compiler, a missing file, another OS', async () => {
  await assert.rejects(compileProgram({ source: fixture('crash.c'), extraFlags: ['-static'] }), (e: Error) => e instanceof RunnerSetupError && /static/.test(e.message));
  await assert.rejects(compileProgram({ source: fixture('crash.c'), compiler: 'socklens-no-such-cc' }), /was not found\. Install it with: sudo apt install gcc/);
  await assert.rejects(compileProgram({ source: fixture('no-such-file.c') }), /Cannot read/);
  assert.throws(() => assertSupportedPlatform('darwin'), /not supported on macOS yet/);
  assert.throws(() => assertSupportedPlatform('win32'), /not supported on Windows yet/);
  const r = record({ source: fixture('crash.c'), args: [], compiler: 'socklens-no-such-cc' });
  const result = await r.run.done;
  assert.equal(result.reason, 'setup-error');
  const problem = r.events.find((e) => e.kind === 'problem') as Extract<SockLensEvent, { kind: 'problem' }>;
  assert.equal(problem.code, 'setup');
  assert.match(problem.message.en, /apt install gcc/);
  assert.match(problem.message.ko, /apt install gcc/);
  assert.ok(fs.existsSync(fixture('crash.c')));
});
