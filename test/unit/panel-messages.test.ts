import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CLIENT_TEXT, isSockLensEvent, parsePanelMessage, parseToPanelMessage } from '../../src/core/protocol/messages.js';
import { addressInUseEvents, crashEvents, helloServerEvents } from './panel-fixtures.js';

test('every event of the recorded and hand-made sequences is valid', () => {
  for (const ev of [...helloServerEvents(), ...addressInUseEvents(), ...crashEvents()]) {
    assert.ok(isSockLensEvent(ev), JSON.stringify(ev));
  }
});

test('malformed events are rejected', () => {
  const [socket] = helloServerEvents().filter((e) => e.kind === 'call');
  const bad: unknown[] = [
    null,
    42,
    { ...socket, v: 1 },
    { ...socket, v: 3 },
    { ...socket, kind: 'nope' },
    { ...socket, seq: '4' },
    { ...socket, fd: 'three' },
    { ...socket, args: { family: { nested: true } } },
    { ...socket, src: { file: 'x.c', line: 'ten', function: 'main' } },
    { v: 2, seq: 1, t: 0, kind: 'problem', code: 'EADDRINUSE', message: 'not bilingual' },
    { v: 2, seq: 1, t: 0, kind: 'client', client: 1, action: 'exploded' },
    { v: 2, seq: 1, t: 0, kind: 'exited', pid: 1, code: 0, signal: null },
  ];
  for (const x of bad) assert.equal(isSockLensEvent(x), false, JSON.stringify(x));
});

test('extension → panel: valid messages pass; an events batch keeps its good events only', () => {
  assert.deepEqual(parseToPanelMessage({ type: 'reset' }), { type: 'reset' });
  assert.deepEqual(parseToPanelMessage({ type: 'language', language: 'ko' }), { type: 'language', language: 'ko' });
  const state = { phase: 'running', file: '/w/hello_server.c', port: 9190, args: ['9190'], pid: 12 };
  assert.deepEqual(parseToPanelMessage({ type: 'run-state', state }), { type: 'run-state', state });
  const events = helloServerEvents();
  const parsed = parseToPanelMessage({ type: 'events', events: [events[0], { junk: true }, events[1]] });
  assert.deepEqual(parsed, { type: 'events', events: [events[0], events[1]] });
});

test('extension → panel: malformed messages give undefined', () => {
  const bad: unknown[] = [
    undefined,
    'reset',
    [],
    { type: 'events' },
    { type: 'events', events: 'many' },
    { type: 'language', language: 'fr' },
    { type: 'run-state', state: { phase: 'flying', args: [] } },
    { type: 'run-state', state: { phase: 'running', args: [1] } },
    { type: 'run-state', state: { phase: 'running', args: [], port: 70000 } },
    { type: 'ready' },
  ];
  for (const x of bad) assert.equal(parseToPanelMessage(x), undefined, JSON.stringify(x));
});

test('panel → extension: valid messages pass, copied without extra fields', () => {
  assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parsePanelMessage({ type: 'stop', extra: 1 }), { type: 'stop' });
  assert.deepEqual(parsePanelMessage({ type: 'restart' }), { type: 'restart' });
  assert.deepEqual(parsePanelMessage({ type: 'reveal', file: '/w/a.c', line: 26 }), { type: 'reveal', file: '/w/a.c', line: 26 });
  assert.deepEqual(parsePanelMessage({ type: 'client-connect', clientId: 2 }), { type: 'client-connect', clientId: 2 });
  assert.deepEqual(parsePanelMessage({ type: 'client-send', clientId: 2, text: '<script>alert(1)</script>' }), {
    type: 'client-send',
    clientId: 2,
    text: '<script>alert(1)</script>',
  });
  assert.deepEqual(parsePanelMessage({ type: 'client-disconnect', clientId: 2 }), { type: 'client-disconnect', clientId: 2 });
});

test('panel → extension: malformed messages give undefined', () => {
  const bad: unknown[] = [
    null,
    { type: 'reveal', file: '', line: 3 },
    { type: 'reveal', file: 'a.c', line: 0 },
    { type: 'reveal', file: 'a.c', line: 2.5 },
    { type: 'client-connect', clientId: 0 },
    { type: 'client-connect', clientId: '1' },
    { type: 'client-send', clientId: 1 },
    { type: 'client-send', clientId: 1, text: 'x'.repeat(MAX_CLIENT_TEXT + 1) },
    { type: 'events', events: [] },
    { type: '__proto__' },
  ];
  for (const x of bad) assert.equal(parsePanelMessage(x), undefined, JSON.stringify(x).slice(0, 80));
});
