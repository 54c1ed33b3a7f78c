import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DRAIN_BUSY_MS, DRAIN_FLOOD_MS, DRAIN_QUIET_MS, EventChannel, drainRepeatedly, nextDrainDelay, type TraceConnection } from '../../src/core/runner/channel';
import { compileProgram } from '../../src/core/runner/compiler';
import type { TracedCall, TracerRecord } from '../../src/core/runner/records';
import { EventRing } from '../../src/core/runner/ring';
import { ensureTracer } from '../../src/core/runner/tracerBuild';
import { waitFor } from '../../src/core/runner/processGroup';
import { fixture } from './helpers';

const THREADS = 4;
const CALLS = 3000;

/** What the tests check of a record, kept (the view itself is only valid while it is handed over). */
interface Seen {
  call: TracedCall;
  pid: number;
  tid: number;
  ret: number;
  /** setsockopt's value: ring_stress.c counts its calls in it. */
  value: number;
  /** hello: the executable. */
  exe: string;
}

function seen(r: TracerRecord): Seen {
  return { call: r.call, pid: r.pid, tid: r.tid, ret: r.ret, value: r.arg(2), exe: r.call === 'hello' ? r.dataText() : '' };
}

interface Outcome {
  records: Seen[];
  exitCode: number | null;
  announced: number[];
  closed: number;
  channel: EventChannel;
}

/** Runs ring_stress.c under the tracer with a deliberately small ring, so producers wrap it and wait for space. */
async function stress(slots: number, slotSize: number): Promise<Outcome> {
  const compiled = await compileProgram({ source: fixture('ring_stress.c') });
  assert.ok(compiled.binary, JSON.stringify(compiled.diagnostics));
  const tracer = await ensureTracer();
  const records: Seen[] = [];
  const conns = new Set<TraceConnection>();
  let closed = 0;
  const channel = await EventChannel.open(
    { opened: (c) => conns.add(c), record: (r) => records.push(seen(r)), drained: () => undefined, closed: () => closed++ },
    { slots, slotSize },
  );
  const child = spawn(compiled.binary!, [String(THREADS), String(CALLS)], {
    env: { ...process.env, LD_PRELOAD: tracer, ...channel.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(out.trim(), 'done 0');
  // the parent, its forked child and the child's exec'd image each announced themselves and have ended
  assert.ok(await waitFor(() => closed === 3, 10000, 5), `connections closed: ${closed}`);
  channel.drain(true);
  return { records, exitCode, announced: [...conns].map((c) => c.pid), closed, channel };
}

function checkEveryThread(records: Seen[], images: number): void {
  const setsockopts = records.filter((r) => r.call === 'setsockopt');
  assert.equal(setsockopts.length, images * THREADS * CALLS, 'every call arrived once');
  const next = new Map<number, number>();
  for (const r of setsockopts) {
    const expected = (next.get(r.tid) ?? 0) + 1;
    assert.equal(r.value, expected, `thread ${r.tid} in order`);
    next.set(r.tid, expected === CALLS ? 0 : expected); // the exec'd image reuses the child's pid and maybe a tid
  }
}

test('ring transport: threads, a forked child and its exec, a ring wrapped many times: nothing lost, order kept', async () => {
  const { records, exitCode, announced, channel } = await stress(64, 256);
  try {
    assert.equal(exitCode, 0);
    checkEveryThread(records, 3);
    const hellos = records.filter((r) => r.call === 'hello');
    assert.equal(hellos.length, 3);
    const [parent, child] = [hellos[0].pid, hellos.find((h) => h.pid !== hellos[0].pid)!.pid];
    assert.deepEqual([...new Set(announced)].sort(), [parent, child].sort());
    // per process: hello first, exit last (the exec'd image says hello again under the same pid)
    for (const pid of [parent, child]) {
      const own = records.filter((r) => r.pid === pid);
      assert.equal(own[0].call, 'hello');
      assert.equal(own.at(-1)!.call, 'exit');
    }
    const fork = records.find((r) => r.call === 'fork')!;
    assert.equal(fork.ret, child);
    assert.equal(channel.ring.malformed, 0);
    assert.equal(channel.ring.abandoned, 0);
    assert.equal(channel.pending, false);
  } finally {
    channel.close();
  }
});

test('ring transport: records longer than a slot span several slots, across the end of the ring', async () => {
  const { records, channel } = await stress(32, 128); // 128-byte slots: every hello (88 bytes + the path) takes two or more
  try {
    checkEveryThread(records, 3);
    const exe = records.filter((r) => r.call === 'hello').map((r) => r.exe);
    assert.equal(new Set(exe).size, 1);
    assert.match(exe[0] ?? '', /ring_stress$/);
    assert.equal(channel.ring.malformed, 0);
  } finally {
    channel.close();
  }
});

test('a runner that stops draining: producers wait on a full ring, and closing it lets the program run on untraced', async () => {
  const compiled = await compileProgram({ source: fixture('ring_stress.c') });
  const tracer = await ensureTracer();
  const ring = EventRing.create({ slots: 16 }); // never drained
  const ringFile = ring.path;
  const child = spawn(compiled.binary!, ['2', '2000'], { env: { ...process.env, LD_PRELOAD: tracer, SOCKLENS_RING: ringFile }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  let gone = false;
  void exited.then(() => (gone = true));
  const head = (): number => {
    const b = Buffer.alloc(8);
    const fd = fs.openSync(ringFile, 'r');
    fs.readSync(fd, b, 0, 8, 64);
    fs.closeSync(fd);
    return Number(b.readBigUInt64LE(0));
  };
  // full: more slots reserved than the ring holds (every thread waits for space)
  assert.ok(await waitFor(() => head() > 16, 10000, 5), 'the ring filled up');
  assert.equal(gone, false, 'a full ring makes the program wait, it does not drop records');
  ring.close();
  assert.equal(fs.existsSync(path.dirname(ringFile)), false);
  assert.equal(await exited, 0);
});

test('a killed runner\'s ring and announcement folder are removed when the next run opens its channel; live ones stay', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-rings-'));
  try {
    const live = EventRing.create({ dir });
    const orphan = EventRing.create({ dir });
    // the orphan's runner: a process that has ended (its pid is gone)
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('close', resolve));
    const fd = fs.openSync(orphan.path, 'r+');
    const pid = Buffer.alloc(4);
    pid.writeUInt32LE(gone.pid!, 0);
    fs.writeSync(fd, pid, 0, 4, 16);
    fs.closeSync(fd);
    const next = EventRing.create({ dir });
    assert.equal(fs.existsSync(orphan.path), false, 'the orphaned ring is gone');
    assert.equal(fs.existsSync(live.path), true, 'the live ring stays');
    for (const ring of [live, orphan, next]) ring.close();
    assert.deepEqual(fs.readdirSync(dir), []);
    // the announcement socket's folder carries the runner's pid in its name
    const orphanChannel = path.join(os.tmpdir(), `socklens-chan-${gone.pid}-test`);
    fs.mkdirSync(orphanChannel);
    const channel = await EventChannel.open({ opened: () => undefined, record: () => undefined, drained: () => undefined, closed: () => undefined });
    try {
      assert.equal(fs.existsSync(orphanChannel), false, 'the orphaned announcement folder is gone');
      assert.match(path.basename(path.dirname(channel.path)), new RegExp(`^socklens-chan-${process.pid}-`));
    } finally {
      channel.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('drains repeat quickly while quiet, and stop() holds even when a drain stops them itself', async () => {
  let calls = 0;
  let stopNow: (() => void) | null = null;
  const drains = drainRepeatedly(() => {
    calls++;
    if (calls === 3) stopNow?.();
    return 0;
  }, 16384);
  stopNow = () => drains.stop();
  assert.ok(await waitFor(() => calls >= 3, 5000, 2), 'quiet drains come every few milliseconds');
  await new Promise((resolve) => setTimeout(resolve, DRAIN_BUSY_MS * 4));
  assert.equal(calls, 3, 'no drain after stop()');
});

test('a busy program is drained less often, more often again when it would fill half the ring by then', () => {
  assert.equal(nextDrainDelay(10, 4, 16384), DRAIN_QUIET_MS, 'quiet: drain again soon');
  // the new-connection benchmark: about 75 records a millisecond, 3750 in 50 ms
  assert.equal(nextDrainDelay(3750, 50, 16384), DRAIN_BUSY_MS);
  // a flood of 600 records a millisecond would fill the ring in 27 ms
  assert.equal(nextDrainDelay(9600, 16, 16384), DRAIN_FLOOD_MS);
  assert.equal(nextDrainDelay(300, 0, 16384), DRAIN_FLOOD_MS, 'no time passed: counts as a millisecond, 300 records a millisecond');
});
