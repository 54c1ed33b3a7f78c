import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CallEvent, RepeatedEvent, SockLensEvent } from '../../src/core/protocol/events';
import { FLOOD_PROBLEM_REPEATS } from '../../src/core/runner/repeats';
import { NO_COLORS, TimelinePrinter } from '../../src/core/runner/timeline';
import { fixture, record } from './helpers';

type Problem = Extract<SockLensEvent, { kind: 'problem' }>;

function timeline(events: SockLensEvent[], lang: 'en' | 'ko' = 'en'): string[] {
  const printer = new TimelinePrinter({ painter: NO_COLORS, lang });
  return events.flatMap((e) => printer.lines(e));
}

/** The repeated events of one call: running counts, ending with `total`. */
function assertRunningCount(events: SockLensEvent[], of: CallEvent, total: number): RepeatedEvent[] {
  const repeated = events.filter((e): e is RepeatedEvent => e.kind === 'repeated');
  assert.ok(repeated.length > 0);
  for (const [i, e] of repeated.entries()) {
    assert.equal(e.of, of.seq);
    assert.equal(e.pid, of.pid);
    assert.equal(e.tid, of.tid);
    assert.ok(e.seq > of.seq && e.t >= of.t);
    if (i > 0) assert.ok(e.repeats > repeated[i - 1].repeats && e.t >= repeated[i - 1].t);
  }
  assert.equal(repeated.at(-1)!.repeats, total);
  return repeated;
}

test('a server that keeps reading after its peer closed: one read → 0 event, repeated counts, a problem naming the mistake', async () => {
  const r = record({ source: fixture('eof_reader.c'), args: 'auto', client: { text: 'bye' } });
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  const out = r.events.flatMap((e) => (e.kind === 'stdout' ? [e.text] : []));
  assert.deepEqual(out, ['zero reads: 200000']);

  assert.deepEqual(r.sequence(), [
    '17 socket - → 3', '22 bind 3 → 0', '22 listen 3 → 0', '24 accept 3 → 4',
    '26 read 4 → 3', '26 read 4 → 0', '33 close 4 → 0', '34 close 3 → 0', '- exit - → 0',
  ]);
  const eof = r.calls().find((c) => c.call === 'read' && c.ret === 0)!;
  const repeated = assertRunningCount(r.events, eof, 200000);
  // bounded: a few events a second of the flood, not one per call
  assert.ok(r.events.length < 80, `${r.events.length} events`);
  assert.ok(repeated.length <= 40, `${repeated.length} repeated events`);

  const problems = r.events.filter((e): e is Problem => e.kind === 'problem');
  assert.equal(problems.length, 1);
  const [problem] = problems;
  assert.equal(problem.code, 'end-of-stream');
  assert.equal(problem.call, 'read');
  assert.equal(problem.src?.line, 26);
  assert.equal(problem.message.en, 'read() on fd 4 returned 0 1,000 times in a row: the peer closed the connection.');
  assert.equal(problem.message.ko, 'fd 4의 read() 호출이 연달아 1,000번 0을 반환했습니다: 상대가 연결을 닫았습니다.');
  assert.match(problem.explanation?.en ?? '', /Treat 0 as the end/);
  // raised when the count reached the threshold, right after the repeated event that says so
  const at = r.events.indexOf(problem);
  assert.deepEqual([r.events[at - 1].kind, (r.events[at - 1] as RepeatedEvent).repeats], ['repeated', FLOOD_PROBLEM_REPEATS]);

  const lines = timeline(r.events);
  assert.ok(lines.includes('eof_reader.c:26      read(4, 1024) → 0 bytes'), lines.join('\n'));
  assert.ok(lines.includes('eof_reader.c:26      read(4, 1024) → 0 bytes ×200,000'), lines.join('\n'));
  assert.ok(timeline(r.events, 'ko').includes('eof_reader.c:26      read(4, 1024) → 0 바이트 ×200,000'));
});

test('busy-polling a non-blocking socket: recv → EAGAIN once, then its running count, and the busy-polling problem', async () => {
  const r = record({ source: fixture('eagain_poller.c'), args: [] });
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  const recvs = r.calls().filter((c) => c.call === 'recv');
  assert.equal(recvs.length, 1);
  assert.equal(recvs[0].errno, 'EAGAIN');
  assertRunningCount(r.events, recvs[0], 50000);
  const problems = r.events.filter((e): e is Problem => e.kind === 'problem');
  assert.deepEqual(problems.map((p) => p.code), ['busy-polling']);
  assert.equal(problems[0].errno, 'EAGAIN');
  assert.equal(problems[0].src?.line, 23, 'the source line of the call, though it was still being looked up when the count was reached');
  assert.equal(problems[0].message.en, 'recv() on fd 3 failed with EAGAIN 1,000 times in a row: the program is busy-polling.');
  assert.match(problems[0].explanation?.ko ?? '', /select\(\), poll\(\), epoll_wait\(\) 가운데 하나를 써서/);
  assert.ok(r.events.length < 60, `${r.events.length} events`);
  assert.ok(timeline(r.events).some((l) => /recv\(3, 512\) → -1 EAGAIN ×50,000$/.test(l)));
});
