import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OutputWrites } from '../../src/core/runner/outputWrites';

test('output writes: a pipe byte maps to the write that carried it, per descriptor, failed writes skipped', () => {
  const w = new OutputWrites();
  const one = { pid: 10, fd: 1 as const, bytes: 4, tUs: 100, pc: null }; // "one\n"
  const failed = { pid: 10, fd: 1 as const, bytes: -1, tUs: 150, pc: null };
  const err = { pid: 10, fd: 2 as const, bytes: 6, tUs: 200, pc: null }; // "three\n"
  const pieces = { pid: 11, fd: 1 as const, bytes: 10, tUs: 300, pc: null }; // "four five\n" from a child
  for (const x of [one, failed, err, pieces]) w.add(x);
  assert.equal(w.carrying(1, 3), one); // the newline of "one\n"
  assert.equal(w.carrying(2, 5), err);
  assert.equal(w.carrying(1, 13), pieces);
  assert.equal(w.carrying(1, 14), null); // not recorded yet
  w.add({ pid: 10, fd: 1, bytes: 2, tUs: 400, pc: null });
  assert.equal(w.carrying(1, 15)?.tUs, 400);
});
