import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CallEvent } from '../../src/core/protocol/events';
import { InlineNoteBook, inlineNoteDetails, inlineNoteFor, inlineNoteText, socketFacts, startLineLengthBefore } from '../../src/core/editor/inlineNotes';
import { reduceAll, socketKey } from '../../src/core/model/runModel';
import { PID, callEvent, helloServerUntilAccept } from './panel-fixtures';

let seq = 0;
function call(c: string, extra: Partial<CallEvent> = {}): CallEvent {
  return { v: 2, seq: ++seq, t: 1500, kind: 'call', pid: 100, tid: 100, call: c, fd: null, ret: 0, errno: null, args: {}, src: { file: '/w/s.c', line: 10, function: 'main' }, ...extra };
}

test('the notes of the issue, in English', () => {
  assert.equal(inlineNoteText(call('socket', { ret: 3, newFd: 3 }), 'en'), '→ fd 3');
  assert.equal(inlineNoteText(call('bind', { fd: 3, local: '0.0.0.0:9190' }), 'en'), '→ bound 0.0.0.0:9190');
  assert.equal(inlineNoteText(call('listen', { fd: 3, args: { backlog: 5 } }), 'en'), '→ listening (backlog 5)');
  assert.equal(inlineNoteText(call('accept', { fd: 3, ret: 4, newFd: 4, peer: '127.0.0.1:51234' }), 'en'), '→ fd 4 ← 127.0.0.1:51234');
  assert.equal(inlineNoteText(call('bind', { fd: 3, ret: -1, errno: 'EADDRINUSE' }), 'en'), '✗ EADDRINUSE');
});

test('the same notes in Korean keep numbers and addresses', () => {
  assert.equal(inlineNoteText(call('socket', { ret: 3, newFd: 3 }), 'ko'), '→ fd 3');
  assert.equal(inlineNoteText(call('bind', { fd: 3, local: '0.0.0.0:9190' }), 'ko'), '→ 0.0.0.0:9190에 바인드됨');
  assert.equal(inlineNoteText(call('listen', { fd: 3, args: { backlog: 5 } }), 'ko'), '→ 연결 대기 중 (backlog 5)');
  assert.equal(inlineNoteText(call('bind', { ret: -1, errno: 'EADDRINUSE' }), 'ko'), '✗ EADDRINUSE');
});

test('data transfer, close, waits and plain results', () => {
  assert.equal(inlineNoteText(call('write', { fd: 4, ret: 13, bytes: 13 }), 'en'), '→ sent 13 bytes');
  assert.equal(inlineNoteText(call('recv', { fd: 4, ret: 1, bytes: 1 }), 'en'), '→ received 1 byte');
  assert.equal(inlineNoteText(call('read', { fd: 4, ret: 0, bytes: 0 }), 'en'), '→ peer closed (0 bytes)');
  assert.equal(inlineNoteText(call('close', { fd: 4 }), 'en'), '→ closed fd 4');
  assert.equal(inlineNoteText(call('connect', { fd: 3, peer: '127.0.0.1:9190' }), 'en'), '→ connected to 127.0.0.1:9190');
  assert.equal(inlineNoteText(call('select', { phase: 'waiting' }), 'en'), '⧗ waiting…');
  assert.equal(inlineNoteText(call('select', { phase: 'ready', ret: 2, readyFds: [3, 5] }), 'en'), '→ 2 ready');
  assert.equal(inlineNoteText(call('ppoll', { phase: 'waiting' }), 'en'), '⧗ waiting…');
  assert.equal(inlineNoteText(call('epoll_pwait', { phase: 'ready', ret: 1, readyFds: [5] }), 'en'), '→ 1 ready');
  assert.equal(inlineNoteText(call('sendmmsg', { fd: 4, ret: 2, bytes: 11 }), 'en'), '→ sent 11 bytes');
  assert.equal(inlineNoteText(call('setsockopt', { fd: 3 }), 'en'), '→ ok');
  assert.equal(inlineNoteText(call('socketpair', { fds: [3, 4] }), 'en'), '→ fd 3, 4');
});

test('events without a source line give no note', () => {
  assert.equal(inlineNoteFor(call('socket', { ret: 3, src: undefined }), 'en'), undefined);
  const note = inlineNoteFor(call('socket', { ret: 3 }), 'en');
  assert.deepEqual([note?.file, note?.line, note?.failed], ['/w/s.c', 10, false]);
});

test('details render every field as code, so program data cannot inject markdown', () => {
  const md = inlineNoteDetails(call('recv', { fd: 4, ret: 6, bytes: 6, data: '<b>`x`</b>', peer: '127.0.0.1:5' }), 'en');
  assert.match(md, /^\*\*`recv\(\)`\*\* — → received 6 bytes/);
  assert.match(md, /- data: `<b>ˋxˋ<\/b>`/);
  assert.match(md, /- peer address: `127\.0\.0\.1:5`/);
  assert.match(inlineNoteDetails(call('socket', { ret: 3 }), 'ko'), /- 반환값: `3`/);
});

test('the book keeps the latest note per line and follows edits', () => {
  const book = new InlineNoteBook();
  book.add(call('socket', { ret: 3, src: { file: '/w/s.c', line: 5, function: 'main' } }), 'en');
  book.add(call('accept', { ret: 4, newFd: 4, src: { file: '/w/s.c', line: 9, function: 'main' } }), 'en');
  book.add(call('accept', { ret: 5, newFd: 5, src: { file: '/w/s.c', line: 9, function: 'main' } }), 'en');
  book.add(call('socket', { ret: 3, src: { file: '/w/other.c', line: 5, function: 'main' } }), 'en');
  const lines = () => book.forFile('/w/s.c').map((n) => `${n.line}:${n.text}`).sort();
  assert.deepEqual(lines(), ['5:→ fd 3', '9:→ fd 5']);

  // Two lines inserted at the start of line 1 (0-based 0): both notes move down.
  book.applyEdit('/w/s.c', { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'a\nb\n' }, 10);
  assert.deepEqual(lines(), ['11:→ fd 5', '7:→ fd 3']);
  // Enter at the end of line 7 (0-based 6, length 20): its note stays, the one below moves.
  book.applyEdit('/w/s.c', { range: { start: { line: 6, character: 20 }, end: { line: 6, character: 20 } }, text: '\n' }, 20);
  assert.deepEqual(lines(), ['12:→ fd 5', '7:→ fd 3']);
  // Typing inside line 12 clears its note.
  book.applyEdit('/w/s.c', { range: { start: { line: 11, character: 3 }, end: { line: 11, character: 3 } }, text: 'x' }, 30);
  assert.deepEqual(lines(), ['7:→ fd 3']);
  // Deleting lines 2–4 moves the note up by three lines.
  book.applyEdit('/w/s.c', { range: { start: { line: 1, character: 0 }, end: { line: 4, character: 0 } }, text: '' }, 5);
  assert.deepEqual(lines(), ['4:→ fd 3']);
  assert.equal(book.forFile('/w/other.c').length, 1, 'other files are untouched');
});

test('the old length of an edited line is recovered from the document after the edit', () => {
  const at = (line: number, character: number) => ({ line, character });
  // "int x;" + Enter at its end (auto-indent adds two spaces): the old line had 6 characters.
  const enterAtEnd = { range: { start: at(3, 6), end: at(3, 6) }, text: '\n  ' };
  assert.equal(startLineLengthBefore(enterAtEnd, 0, (n) => ['', '', '', 'int x;', '  '][n]), 6);
  // Enter in the middle of "int x;" after "int": the rest " x;" moved down, so the old line had 6 characters.
  const enterInside = { range: { start: at(0, 3), end: at(0, 3) }, text: '\n' };
  assert.equal(startLineLengthBefore(enterInside, 0, (n) => ['int', ' x;'][n]), 6);
  // Replacing two characters on one line: start + replaced.
  assert.equal(startLineLengthBefore({ range: { start: at(0, 2), end: at(0, 4) }, text: 'zz' }, 2, () => 'abzzef'), 4);

  // Together with the book: Enter at the end keeps the note, Enter inside drops it.
  const book = new InlineNoteBook();
  book.add(call('socket', { ret: 3, src: { file: '/w/s.c', line: 4, function: 'main' } }), 'en');
  book.applyEdit('/w/s.c', enterAtEnd, startLineLengthBefore(enterAtEnd, 0, (n) => ['', '', '', 'int x;', '  '][n]));
  assert.deepEqual(book.forFile('/w/s.c').map((n) => n.line), [4]);
  const split = { range: { start: at(3, 3), end: at(3, 3) }, text: '\n' };
  book.applyEdit('/w/s.c', split, startLineLengthBefore(split, 0, (n) => ['', '', '', 'int', ' x;'][n]));
  assert.deepEqual(book.forFile('/w/s.c'), []);
});

test('the hover names the socket from the run model: its role and the kernel\'s TCP state', () => {
  const state = reduceAll([
    ...helloServerUntilAccept(),
    { v: 2, seq: 20, t: 20, kind: 'tcp-state', pid: PID, fd: 4, state: 'ESTABLISHED', local: '127.0.0.1:9190', peer: '127.0.0.1:50304' },
  ]);
  const recv = callEvent(21, { call: 'recv', fd: 4, ret: 5, bytes: 5 });
  const facts = socketFacts(state.newestByKey.get(socketKey(PID, 4)));
  assert.deepEqual(facts, { role: 'conversation', tcpState: 'ESTABLISHED' });
  assert.match(inlineNoteDetails(recv, 'en', facts), /- socket: conversation with one caller \(TCP `ESTABLISHED`\)/);
  assert.match(inlineNoteDetails(recv, 'ko', facts), /- 소켓: 상대 하나와의 통화 \(TCP `ESTABLISHED`\)/);
  assert.equal(socketFacts(state.newestByKey.get(socketKey(PID, 9))), undefined);
});
