import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LINE_MAX_WAIT_US, MAX_LINE_BYTES, OutputLines, type OutputKind } from '../../src/core/runner/outputLines';
import type { OrderMark } from '../../src/core/runner/timeOrder';

interface Placed {
  kind: OutputKind;
  text: string;
  pid: number | null;
  atUs: number;
}

/** OutputLines with a sink that keeps what it was given: the lines placed and the marks still open. */
function lines(): { out: OutputLines; placed: Placed[]; openMarks: () => number[] } {
  const placed: Placed[] = [];
  const marks = new Set<OrderMark>();
  const out = new OutputLines({
    line: (kind, text, pid, atUs) => placed.push({ kind, text, pid, atUs }),
    readTime: (readUs) => readUs,
    mark: (us) => {
      const m: OrderMark = { us, firm: false, settle: () => marks.delete(m) };
      marks.add(m);
      return m;
    },
  });
  return { out, placed, openMarks: () => [...marks].map((m) => m.us) };
}

const write = (pid: number, fd: 1 | 2, bytes: number, tUs: number) => ({ pid, fd, bytes, tUs, pc: null });

test('output lines: a line read before its write was recorded waits for the record, then takes its time and pid', () => {
  const { out, placed, openMarks } = lines();
  out.read(1, Buffer.from('half '), 1000);
  out.read(1, Buffer.from('whole\nchild\n'), 1100);
  out.settle(1100);
  assert.deepEqual(placed, []);
  assert.deepEqual(openMarks(), [1100]); // later events wait for the line read at 1100
  out.written(write(10, 1, 5, 900)); // "half "
  out.written(write(10, 1, 6, 1050)); // "whole\n"
  out.written(write(11, 1, 6, 1080)); // "child\n", a forked child
  out.settle(1200);
  assert.deepEqual(placed, [
    { kind: 'stdout', text: 'half whole', pid: 10, atUs: 1050 },
    { kind: 'stdout', text: 'child', pid: 11, atUs: 1080 },
  ]);
  assert.deepEqual(openMarks(), []);
});

test('output lines: a write recorded before its bytes were read holds a mark at its time until they are read', () => {
  const { out, placed, openMarks } = lines();
  out.written(write(10, 2, 4, 500)); // "err\n"
  out.settle(600);
  assert.deepEqual(openMarks(), [500]);
  out.read(2, Buffer.from('err\n'), 700);
  out.settle(700);
  assert.deepEqual(placed, [{ kind: 'stderr', text: 'err', pid: 10, atUs: 500 }]);
  assert.deepEqual(openMarks(), []);
});

test('output lines: a line whose write never comes is placed by its read time after the bound, with no pid', () => {
  const { out, placed, openMarks } = lines();
  out.read(1, Buffer.from('untraced\n'), 1000);
  out.settle(1000 + LINE_MAX_WAIT_US - 1);
  assert.deepEqual(placed, []);
  out.settle(1000 + LINE_MAX_WAIT_US);
  assert.deepEqual(placed, [{ kind: 'stdout', text: 'untraced', pid: null, atUs: 1000 }]);
  assert.deepEqual(openMarks(), []);
});

test('output lines: a long line is cut at a UTF-8 boundary; the last piece without a newline ends with the pipe', () => {
  const { out, placed } = lines();
  const long = 'a'.repeat(MAX_LINE_BYTES - 1) + '한글'; // the cut falls inside 한 (3 bytes)
  out.read(1, Buffer.from(long), 100);
  out.ended(1, 200);
  out.settleAll();
  assert.deepEqual(placed.map((p) => p.text), ['a'.repeat(MAX_LINE_BYTES - 1), '한글']);
  assert.ok(placed.every((p) => p.pid === null));
});
