import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { EventChannel } from '../../src/core/runner/channel';
import { outputWriteOf, type OutputWrite } from '../../src/core/runner/callEvents';
import { compileProgram } from '../../src/core/runner/compiler';
import { ensureTracer } from '../../src/core/runner/tracerBuild';
import { waitFor } from '../../src/core/runner/processGroup';
import { fixture, record } from './helpers';

type Output = Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }>;
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

test('output records: every write the program makes to stdout and stderr (printf, write, a child\'s), timed on the runner\'s clock', async () => {
  const compiled = await compileProgram({ source: fixture('output_times.c') });
  assert.ok(compiled.binary, JSON.stringify(compiled.diagnostics));
  const tracer = await ensureTracer();
  const writes: OutputWrite[] = [];
  const pids: number[] = [];
  let closed = 0;
  const channel = await EventChannel.open({
    opened: () => undefined,
    record: (r) => {
      if (r.call === 'hello') pids.push(r.pid);
      if (r.call === 'output') writes.push(outputWriteOf(r));
    },
    drained: () => undefined,
    closed: () => closed++,
  });
  try {
    const before = nowUs();
    const child = spawn(compiled.binary!, [], { env: { ...process.env, LD_PRELOAD: tracer, ...channel.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
    const after = nowUs();
    assert.ok(await waitFor(() => closed === 2, 10000, 5), 'both processes ended');
    channel.drain(true);

    assert.equal(out, 'one\ntwo\nfour five\nchild\n');
    assert.equal(err, 'three\n');
    // untraced with stdout line-buffered as the tracer makes it (docs/runner.md), the same text
    const untraced = spawnSync('stdbuf', ['-oL', compiled.binary!], { encoding: 'utf8' });
    assert.equal(untraced.stdout, out);
    assert.equal(untraced.stderr, err);

    const [main, forked] = pids;
    assert.deepEqual(writes.map((w) => [w.pid, w.fd, w.bytes]), [[main, 1, 4], [main, 1, 4], [main, 2, 6], [main, 1, 10], [forked, 1, 6]]);
    // printf's, write's and fprintf's call sites are in the program: the runner can point at the line
    assert.ok(writes.every((w) => w.pc !== null));
    // CLOCK_MONOTONIC, the clock of process.hrtime: every write falls inside the run as Node measured it
    assert.ok(writes.every((w) => w.tUs >= before && w.tUs <= after), JSON.stringify({ before, after, writes }));
    // each line is timed where it was written (the program pauses 100 ms between them; "four " waits for "five")
    const gaps = writes.slice(1, 4).map((w, i) => (w.tUs - writes[i].tUs) / 1000);
    assert.ok(gaps[0] >= 95 && gaps[1] >= 95 && gaps[2] >= 195, `gaps ${gaps.join(' ')} ms`);
  } finally {
    channel.close();
  }
});

test('a program that re-opens stdout onto a file with freopen: its lines go to the file, as untraced', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-freopen-'));
  try {
    const file = path.join(dir, 'out.txt');
    const r = record({ source: fixture('freopen_stdout.c'), args: [file] });
    const result = await r.run.done;
    assert.deepEqual([result.exitCode, result.signal], [0, null]);
    const lines = r.events.filter((e): e is Output => e.kind === 'stdout' || e.kind === 'stderr').map((e) => `${e.kind} ${e.text}`);
    assert.deepEqual(lines, ['stdout before', 'stderr still stderr']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'into the file\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
