import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CallEvent } from '../../src/core/protocol/events';
import { shellQuote } from '../../src/core/protocol/shellQuote';
import { NO_COLORS, TimelinePrinter, describeCall } from '../../src/core/runner/timeline';

function call(fields: Partial<CallEvent>): CallEvent {
  return { v: 2, seq: 1, t: 0, kind: 'call', pid: 10, tid: 10, call: 'recv', fd: 4, ret: 1, errno: null, args: { length: 64, flags: '0' }, ...fields };
}

test('argv is shown as a shell would need it typed', () => {
  assert.equal(shellQuote(['./echo_client', '127.0.0.1', '9190']), './echo_client 127.0.0.1 9190');
  assert.equal(shellQuote(['./client', 'hello world', "it's", '', 'a;b']), `./client 'hello world' 'it'\\''s' '' 'a;b'`);
  const printer = new TimelinePrinter({ painter: NO_COLORS, lang: 'en' });
  assert.deepEqual(printer.lines({ v: 2, seq: 3, t: 0, kind: 'process-started', pid: 7, ppid: null, argv: ['./c', 'two words'] }), ["▶ ./c 'two words'  (pid 7)"]);
});

test('one byte is "1 byte", in both languages', () => {
  assert.equal(describeCall(call({ bytes: 1, data: 'x' }), NO_COLORS), 'recv(4, 64) → 1 byte "x"');
  assert.equal(describeCall(call({ ret: 2, bytes: 2, data: 'xy' }), NO_COLORS), 'recv(4, 64) → 2 bytes "xy"');
  assert.equal(describeCall(call({ bytes: 1, data: 'x' }), NO_COLORS, '', 'ko'), 'recv(4, 64) → 1바이트 "x"');
});
