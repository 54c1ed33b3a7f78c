// Renders the real panel into happy-dom (a DOM without layout) and drives it like a user would.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Window } from 'happy-dom' with { 'resolution-mode': 'import' };
import type { FromPanelMessage } from '../../src/core/protocol/messages.js';
import { mountPanel, type Panel } from '../../src/webview/app.js';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events.js';
import { problemOf } from '../../src/core/runner/problems.js';
import { addressInUseEvents, callEvent, crashEvents, helloServerEvents, helloServerUntilAccept, manyEvents, PID } from './panel-fixtures.js';

interface Mounted {
  window: Window;
  doc: Document;
  panel: Panel;
  posted: FromPanelMessage[];
  state: { value: unknown };
  $(selector: string): HTMLElement;
  $$(selector: string): HTMLElement[];
}

// happy-dom is an ES module; the tests are CommonJS (tsx), so it is loaded with import().
let WindowClass: typeof Window;
before(async () => {
  WindowClass = (await import('happy-dom')).Window;
});

function mount(saved?: unknown, maxKeptEvents?: number): Mounted {
  const window = new WindowClass();
  const doc = window.document as unknown as Document;
  const posted: FromPanelMessage[] = [];
  const state = { value: saved };
  const host = { postMessage: (m: FromPanelMessage) => void posted.push(m), getState: () => state.value, setState: (s: unknown) => void (state.value = s) };
  const panel = mountPanel(doc.body, host, { requestFrame: () => {}, ...(maxKeptEvents !== undefined ? { maxKeptEvents } : {}) });
  const $ = (selector: string): HTMLElement => {
    const found = doc.querySelector(selector);
    assert.ok(found, `no element matches ${selector}`);
    return found as HTMLElement;
  };
  const $$ = (selector: string): HTMLElement[] => Array.from(doc.querySelectorAll(selector)) as HTMLElement[];
  return { window, doc, panel, posted, state, $, $$ };
}

function send(m: Mounted, ...messages: unknown[]): void {
  for (const message of messages) assert.ok(m.panel.receive(message), `rejected ${JSON.stringify(message).slice(0, 80)}`);
  m.panel.flush();
}

const running = { type: 'run-state', state: { phase: 'running', file: '/work/main/examples/hello_server.c', port: 9190, args: ['9190'], pid: PID } };

function cells(row: HTMLElement): string[] {
  return Array.from(row.querySelectorAll('td')).map((td) => td.textContent ?? '');
}

test('fd table for the hello server: fd 3 listening on the port, fd 4 accepted from 127.0.0.1', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerUntilAccept(9190) });
  const rows = m.$$('.fd-table tbody tr');
  assert.equal(rows.length, 2);
  assert.deepEqual(cells(rows[0]!), ['3', String(PID), 'listening', '0.0.0.0:9190', '', 'listening', '', '0', '0', 'hello_server.c:26']);
  assert.deepEqual(cells(rows[1]!), ['4', String(PID), 'conversation', '127.0.0.1:9190', '127.0.0.1:50304', 'connected', '', '0', '0', 'hello_server.c:42']);
  assert.deepEqual(
    m.$$('.step').map((s) => [s.dataset.step, s.classList.contains('is-reached')]),
    [['socket', true], ['bind', true], ['listen', true], ['accept', true]],
  );
  assert.match(m.$('.conversation-list').textContent!, new RegExp(`fd 4 \\(pid ${PID}\\) talking with 127\\.0\\.0\\.1:50304`));
  send(m, { type: 'events', events: [callEvent(100, { call: 'recv', fd: 4, ret: 6, bytes: 6 }), callEvent(101, { call: 'send', fd: 4, ret: 2, bytes: 2 })] });
  assert.deepEqual(cells(m.$$('.fd-table tbody tr')[1]!).slice(7, 9), ['6', '2'], 'byte counters update in place');
  send(m, { type: 'events', events: helloServerEvents(9190).filter((e) => e.seq > 7) });
  assert.equal(m.$$('.fd-row.is-closed').length, 2, 'closed fds stay, dimmed');
  assert.match(m.$('.run-status').textContent!, /exited with code 0/);
  m.window.close();
});

test('program and network data render as text, never as HTML', () => {
  const m = mount();
  const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  send(m, running, {
    type: 'events',
    events: [
      ...helloServerUntilAccept(),
      { v: 2, seq: 8, t: 8, kind: 'stdout', pid: PID, text: `<b>bold</b>${attack}` },
      { v: 2, seq: 9, t: 9, kind: 'client', client: 1, action: 'connected' },
      { v: 2, seq: 10, t: 10, kind: 'client', client: 1, action: 'received', text: attack },
      callEvent(11, { call: 'recv', fd: 4, ret: 10, bytes: 10, data: attack }),
      { v: 2, seq: 12, t: 12, kind: 'problem', code: 'runner', message: { en: attack, ko: attack } },
    ],
  });
  assert.equal(m.doc.querySelectorAll('script, img, b').length, 0);
  assert.equal(m.$('.client-line.received .client-line-text').textContent, attack);
  const timelineText = m.$$('.timeline-row .tl-text').map((e) => e.textContent).join('\n');
  assert.ok(timelineText.includes(`<b>bold</b>${attack}`));
  assert.ok(timelineText.includes(attack));
  assert.equal(m.$('.problems .problem-message').textContent, attack);
  m.window.close();
});

test('100k events: the timeline keeps only about a screenful of rows while appending and filtering', () => {
  const m = mount();
  send(m, running, { type: 'events', events: manyEvents(100_000) });
  const total = 100_007;
  assert.ok(m.panel.timelineRowCount() > 10 && m.panel.timelineRowCount() <= 60, `rows in DOM: ${m.panel.timelineRowCount()}`);
  assert.equal(m.$('.timeline-count').textContent, `${total} of ${total} events`);
  const lastRow = m.$$('.timeline-row').at(-1)!;
  assert.equal(lastRow.querySelector('.tl-seq')!.textContent, String(total), 'following shows the newest event');

  const more = Array.from({ length: 1000 }, (_, i) => callEvent(total + 1 + i, { call: 'send', fd: 4, ret: 1, bytes: 1 }));
  send(m, { type: 'events', events: more });
  assert.ok(m.panel.timelineRowCount() <= 60);
  assert.equal(m.$$('.timeline-row').at(-1)!.querySelector('.tl-seq')!.textContent, String(total + 1000));

  m.panel.setTimelineFilter({ call: 'kind:stdout' });
  m.panel.flush();
  assert.equal(m.$('.timeline-count').textContent, `33333 of ${total + 1000} events`);
  assert.ok(m.panel.timelineRowCount() <= 60);
  assert.ok(m.$$('.timeline-row .tl-text').every((e) => /^line \d+$/.test(e.textContent!)));

  const callSelect = m.$('.timeline-filter-call') as HTMLSelectElement;
  callSelect.value = '';
  callSelect.dispatchEvent(new m.window.Event('change') as unknown as Event);
  const fdSelect = m.$('.timeline-filter-fd') as HTMLSelectElement;
  fdSelect.value = '3';
  fdSelect.dispatchEvent(new m.window.Event('change') as unknown as Event);
  m.panel.flush();
  assert.equal(m.$('.timeline-count').textContent, `4 of ${total + 1000} events`, 'socket, bind, listen, accept on fd 3');
  assert.equal(m.panel.timelineRowCount(), 4);
  m.window.close();
});

test('scrolled away from the bottom, the timeline draws the rows at the scroll position', () => {
  const m = mount();
  send(m, running, { type: 'events', events: manyEvents(10_000) });
  const follow = m.$('.timeline-follow') as HTMLInputElement;
  follow.checked = false;
  follow.dispatchEvent(new m.window.Event('change') as unknown as Event);
  m.$('.timeline-viewport').scrollTop = 5000 * 20;
  m.panel.flush();
  const drawnSeqs = (): number[] => m.$$('.timeline-row .tl-seq').map((e) => Number(e.textContent));
  const ascending = (seqs: number[]): boolean => seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1);
  let seqs = drawnSeqs();
  assert.ok(seqs.length <= 60);
  assert.ok(seqs.includes(5001), `drawn: ${seqs[0]}…${seqs.at(-1)}`);
  assert.ok(ascending(seqs), 'rows are in order in the DOM');
  for (const position of [4990, 5010, 100, 9000]) {
    m.$('.timeline-viewport').scrollTop = position * 20;
    m.panel.flush();
    seqs = drawnSeqs();
    assert.ok(seqs.includes(position + 1) && ascending(seqs) && seqs.length <= 60, `at ${position}: ${seqs.join(',')}`);
  }
  m.window.close();
});

test('clicking an event, a step or an fd line reveals the source line', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerUntilAccept() });
  const acceptRow = m.$$('.timeline-row').find((r) => r.textContent!.includes('accept('))!;
  (acceptRow.querySelector('.tl-text') as HTMLElement).click();
  (m.$('.step-bind .source-link') as HTMLElement).click();
  (m.$$('.fd-table .source-link')[0] as HTMLElement).click();
  assert.deepEqual(m.posted, [
    { type: 'reveal', file: '/work/main/examples/hello_server.c', line: 42 },
    { type: 'reveal', file: '/work/main/examples/hello_server.c', line: 35 },
    { type: 'reveal', file: '/work/main/examples/hello_server.c', line: 26 },
  ]);
  const processRow = m.$$('.timeline-row')[2]!;
  processRow.click();
  assert.equal(m.posted.length, 3, 'events without a source line reveal nothing');
  m.window.close();
});

test('test client: connect once listening, send, see replies, disconnect, several at once', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerUntilAccept().slice(0, 5) });
  const connect = m.$('.client-connect') as HTMLButtonElement;
  assert.equal(connect.disabled, true, 'nothing listens yet');
  send(m, { type: 'events', events: [helloServerUntilAccept()[5]!] });
  assert.equal(connect.disabled, false);
  assert.match(m.$('.client-target').textContent!, /0\.0\.0\.0:9190/);
  assert.match(m.$('.step-accept .step-facts').textContent!, /waiting for a caller/);
  send(m, { type: 'run-state', state: { ...running.state, phase: 'stopped' } });
  assert.match(m.$('.step-accept .step-facts').textContent!, /not reached yet/, 'nobody waits once the run is over');
  send(m, running);
  connect.click();
  connect.click();
  m.panel.flush();
  assert.deepEqual(m.posted, [{ type: 'client-connect', clientId: 1 }, { type: 'client-connect', clientId: 2 }]);
  assert.equal(m.$$('.client-card').length, 2);
  assert.equal(m.$('.client-card[data-client="1"] .client-state').textContent, 'connecting…');

  const second = m.$('.client-card[data-client="2"]');
  (second.querySelector('.client-input') as HTMLInputElement).value = 'early';
  (second.querySelector('.client-send') as HTMLButtonElement).click();
  assert.equal(m.posted.length, 2, 'text typed while connecting waits for the connection');
  send(m, { type: 'events', events: [{ v: 2, seq: 6, t: 6, kind: 'client', client: 2, action: 'connected' }] });
  assert.deepEqual(m.posted.at(-1), { type: 'client-send', clientId: 2, text: 'early' });
  send(m, { type: 'events', events: [{ v: 2, seq: 7, t: 7, kind: 'client', client: 1, action: 'connected' }] });
  const card = m.$('.client-card[data-client="1"]');
  const input = card.querySelector('.client-input') as HTMLInputElement;
  input.value = 'hello';
  (card.querySelector('.client-send') as HTMLButtonElement).click();
  assert.deepEqual(m.posted.at(-1), { type: 'client-send', clientId: 1, text: 'hello' });
  assert.equal(input.value, '');

  input.value = 'half typed';
  send(m, {
    type: 'events',
    events: [
      { v: 2, seq: 8, t: 8, kind: 'client', client: 1, action: 'sent', text: 'hello' },
      { v: 2, seq: 9, t: 9, kind: 'client', client: 1, action: 'received', text: 'Hello World!\u0000' },
    ],
  });
  assert.equal(input.value, 'half typed', 'new events keep what the user is typing');
  assert.deepEqual(
    Array.from(card.querySelectorAll('.client-line')).map((l) => l.textContent),
    ['senthello', 'receivedHello World!\\x00'],
  );
  (card.querySelector('.client-disconnect') as HTMLButtonElement).click();
  assert.deepEqual(m.posted.at(-1), { type: 'client-disconnect', clientId: 1 });
  send(m, { type: 'events', events: [{ v: 2, seq: 10, t: 10, kind: 'client', client: 1, action: 'closed' }] });
  assert.ok(card.classList.contains('is-closed'));
  const posted = m.posted.length;
  input.value = 'too late';
  (card.querySelector('.client-send') as HTMLButtonElement).click();
  assert.equal(m.posted.length, posted, 'nothing is sent on a closed connection');
  assert.match(card.querySelector('.client-line.note')!.textContent!, /Not connected/);
  assert.equal(input.value, 'too late', 'the text stays for a new client');
  m.window.close();
});

test('EADDRINUSE shows at the bind step with the explanation, who holds the port and advice', () => {
  const m = mount();
  send(m, running, { type: 'events', events: addressInUseEvents(9190) });
  const bind = m.$('.step-bind');
  assert.ok(bind.classList.contains('is-failed'));
  assert.match(bind.textContent!, /failed: EADDRINUSE/);
  assert.match(bind.textContent!, /Another socket already has this address\./);
  assert.match(bind.textContent!, /Who holds it: other_server pid 777 \(LISTEN\)/);
  assert.match(bind.textContent!, /What to try: Port 9190 is taken by other_server/);
  assert.ok(m.$('.step-listen').classList.contains('is-pending'));
  assert.equal(m.$('.problems').hidden, true, 'the failure is shown at its step, not twice');
  assert.match(m.$('.run-status').textContent!, /exited with code 1/);
  m.window.close();
});

test('a port held only by TIME_WAIT: the holder line names the connections and their expiry, and no "ports are free again"', () => {
  const m = mount();
  const [started, socket, bind, , stderr, exited] = addressInUseEvents(9190);
  const details = problemOf(bind as CallEvent, [{ pid: null, command: null, state: 'TIME-WAIT', connections: 2, expiresInMs: 41_200 }]);
  const problem = { v: 2, seq: 4, t: 4000, kind: 'problem', ...details } as SockLensEvent;
  const stopped: SockLensEvent = { v: 2, seq: 7, t: 7000, kind: 'stopped', reason: 'exited', portsFreed: true };
  send(m, running, { type: 'events', events: [started, socket, bind, problem, stderr, exited, stopped] });
  const text = m.$('.step-bind').textContent!;
  assert.match(text, /Who holds it: TIME_WAIT connections \(2\), expire in about 41 s/);
  assert.match(text, /What to try: Port 9190 is held only by connections in TIME_WAIT \(2\)/);
  assert.doesNotMatch(text, /\?/);
  assert.doesNotMatch(m.$('.run-status').textContent!, /free again/);
  m.window.close();
});

test('a server that hung up first: the header says TIME_WAIT keeps its port for about N s, not "free again"', () => {
  const m = mount();
  const events = helloServerEvents(9190);
  const stopped = events.pop()!;
  // the kernel's view 2 s before the end: fd 4's connection in TIME_WAIT, 59.5 s to go
  const timeWait: SockLensEvent = {
    v: 2, seq: 17, t: stopped.t - 2_000_000, kind: 'tcp-state', pid: PID, fd: 4, state: 'TIME_WAIT',
    local: '127.0.0.1:9190', peer: '127.0.0.1:50000', closed: true, expiresInMs: 59_500,
  };
  send(m, running, { type: 'events', events: [...events, timeWait, { ...stopped, seq: 18 }] });
  const status = m.$('.run-status').textContent!;
  assert.match(status, /connections in TIME_WAIT keep its port for about 58 s more/);
  assert.doesNotMatch(status, /free again/);
  m.window.close();
});

test('a crash is shown by its signal name', () => {
  const m = mount();
  send(m, running, { type: 'events', events: crashEvents() });
  assert.match(m.$('.run-status').textContent!, /crashed: it was killed by SIGSEGV/);
  assert.ok(m.$('.run-status').classList.contains('is-error'));
  assert.match(m.$('.problems').textContent!, /segmentation fault/);
  m.window.close();
});

test('Korean: the language message switches every label, lang attribute included', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerUntilAccept() });
  assert.equal(m.$('.step-socket .step-title').textContent, 'Buy a phone');
  send(m, { type: 'language', language: 'ko' });
  assert.equal(m.doc.documentElement.lang, 'ko');
  assert.equal(m.$('.step-socket .step-title').textContent, '전화기 장만');
  assert.equal(m.$('.step-accept .step-title').textContent, '전화 받기');
  assert.equal(m.$('.fd-table h2').textContent, '파일 디스크립터');
  assert.equal(m.$('.client-connect').textContent, '연결');
  assert.equal(m.$('.run-phase').textContent, '실행 중');
  assert.match(m.$('.timeline-count').textContent!, /이벤트 7개 중 7개/);
  m.window.close();
});

test('hidden and shown again: UI state comes back from getState, events from the extension', () => {
  const first = mount();
  send(first, running, { type: 'language', language: 'ko' }, { type: 'events', events: helloServerEvents() });
  first.panel.setTimelineFilter({ fd: 4 });
  first.panel.flush();
  const saved = first.state.value;
  first.window.close();

  const second = mount(saved);
  assert.equal(second.$('.step-socket .step-title').textContent, '전화기 장만', 'language restored before any message');
  send(second, { type: 'reset' }, running, { type: 'events', events: helloServerEvents() });
  assert.equal((second.$('.timeline-filter-fd') as HTMLSelectElement).value, '4');
  assert.match(second.$('.timeline-count').textContent!, /17개 중 3개/);
  second.window.close();
});

test('reset clears the previous run; malformed messages are refused', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerEvents() });
  assert.equal(m.panel.receive({ type: 'events', events: 'lots' }), false);
  assert.equal(m.panel.receive('<script>'), false);
  send(m, { type: 'reset' });
  assert.equal(m.$$('.fd-row').length, 0);
  assert.equal(m.$$('.client-card').length, 0);
  assert.equal(m.panel.timelineRowCount(), 0);
  assert.ok(m.$$('.step').every((s) => s.classList.contains('is-pending')));
  m.window.close();
});

test('a client program tells the dial story; clicking an fd in the table filters the timeline by it', () => {
  const m = mount();
  send(m, running, {
    type: 'events',
    events: [
      callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' } }),
      callEvent(2, { call: 'connect', fd: 3, peer: '127.0.0.1:9190', local: '127.0.0.1:45000' }),
      callEvent(3, { call: 'send', fd: 3, ret: 5, bytes: 5 }),
      { v: 2, seq: 4, t: 4, kind: 'stdout', pid: PID, text: 'sent' },
    ],
  });
  assert.deepEqual(m.$$('.step').map((s) => s.dataset.step), ['socket', 'connect']);
  assert.match(m.$('.step-connect').textContent!, /Dial the number.*at 127\.0\.0\.1:9190/s);
  assert.equal(m.$$('.calls').length, 0);
  assert.deepEqual(cells(m.$('.fd-row')).slice(2, 6), ['client', '127.0.0.1:45000', '127.0.0.1:9190', 'connected']);
  (m.$('.fd-row .fd-filter') as HTMLElement).click();
  m.panel.flush();
  assert.equal(m.$('.timeline-count').textContent, '3 of 4 events');
  assert.equal((m.$('.timeline-filter-fd') as HTMLSelectElement).value, '3');
  m.window.close();
});

test('a UDP server shows its two steps and why there is no listen or accept', () => {
  const m = mount();
  send(m, running, {
    type: 'events',
    events: [
      callEvent(1, { call: 'socket', ret: 3, newFd: 3, args: { family: 'AF_INET', type: 'SOCK_DGRAM', protocol: '0' } }),
      callEvent(2, { call: 'bind', fd: 3, local: '0.0.0.0:7000' }),
    ],
  });
  assert.deepEqual(m.$$('.step').map((s) => s.dataset.step), ['socket', 'bind']);
  assert.match(m.$('.story-note').textContent!, /recvfrom\(\)/);
  assert.equal((m.$('.client-connect') as HTMLButtonElement).disabled, false, 'the test client can send datagrams to the bound address');
  m.window.close();
});

test('past the kept-events limit the timeline drops the oldest and says so', () => {
  const m = mount(undefined, 20_000);
  send(m, running, { type: 'events', events: manyEvents(20_000) });
  assert.match(m.$('.timeline-count').textContent!, /^18000 of 18000 events \(the oldest 2007 are no longer kept\)$/);
  assert.ok(m.panel.timelineRowCount() <= 60);
  assert.equal(m.$$('.timeline-row .tl-seq').map((e) => Number(e.textContent)).at(-1), 20_007);
  assert.equal(m.$$('.fd-row').length, 2);
  m.window.close();
});

test('a saved state that is not ours, or damaged, is ignored', () => {
  for (const saved of [42, 'x', { v: 2, language: 'ko' }, { v: 1, language: 'fr', timeline: { follow: 'yes', filter: null } }]) {
    const m = mount(saved);
    assert.equal(m.$('.step-socket .step-title').textContent, 'Buy a phone');
    assert.equal((m.$('.timeline-follow') as HTMLInputElement).checked, true);
    assert.equal((m.$('.timeline-filter-fd') as HTMLSelectElement).value, '');
    m.window.close();
  }
});

test('keyboard: arrows and Home/End choose a timeline event, Enter reveals its line', () => {
  const m = mount();
  send(m, running, { type: 'events', events: manyEvents(1000) });
  const viewport = m.$('.timeline-viewport');
  const press = (key: string): void => {
    viewport.dispatchEvent(new m.window.KeyboardEvent('keydown', { key, bubbles: true }) as unknown as Event);
    m.panel.flush();
  };
  press('Home');
  assert.equal(m.$('.timeline-row.is-selected .tl-seq').textContent, '1');
  assert.equal((m.$('.timeline-follow') as HTMLInputElement).checked, false, 'choosing an older event stops following');
  press('ArrowDown');
  press('ArrowDown');
  press('ArrowDown');
  assert.equal(m.$('.timeline-row.is-selected .tl-seq').textContent, '4');
  assert.equal(viewport.getAttribute('aria-activedescendant'), m.$('.timeline-row.is-selected').id);
  press('Enter');
  assert.deepEqual(m.posted.at(-1), { type: 'reveal', file: '/work/main/examples/hello_server.c', line: 26 });
  press('End');
  assert.equal(m.$('.timeline-row.is-selected .tl-seq').textContent, '1007');
  assert.equal((m.$('.timeline-follow') as HTMLInputElement).checked, true);
  assert.equal(m.$$('.timeline-row.is-selected').length, 1);
  m.window.close();
});

const stoppedState = { type: 'run-state', state: { ...running.state, phase: 'stopped' } };

test('the kernel\'s TCP state has its own column; the listen step shows the accept queue', () => {
  const m = mount();
  send(m, running, {
    type: 'events',
    events: [
      ...helloServerUntilAccept(9190),
      { v: 2, seq: 20, t: 20, kind: 'tcp-state', pid: PID, fd: 3, state: 'LISTEN', local: '0.0.0.0:9190', peer: '0.0.0.0:*', acceptQueue: 2, backlog: 5 },
      { v: 2, seq: 21, t: 21, kind: 'tcp-state', pid: PID, fd: 4, state: 'CLOSE_WAIT', local: '127.0.0.1:9190', peer: '127.0.0.1:50304' },
    ],
  });
  const [listening, conversation] = m.$$('.fd-table tbody tr');
  assert.equal(listening!.querySelector('.fd-tcp')!.textContent, 'LISTEN · 2 waiting of 5');
  assert.equal(conversation!.querySelector('.fd-tcp')!.textContent, 'CLOSE_WAIT');
  assert.match((conversation!.querySelector('.fd-tcp') as HTMLElement).title, /peer hung up/);
  assert.match(m.$('.step-listen .step-facts').textContent!, /2 callers waiting · queue of 5/);
  m.window.close();
});

test('processes: what each one waits in; a program that ended by itself is "Exited (code 0)", not "Stopped"', () => {
  const m = mount();
  send(m, running, {
    type: 'events',
    events: [
      ...helloServerEvents(9190).slice(0, 6),
      callEvent(7, { call: 'select', ret: 0, phase: 'waiting', watchFds: [3], args: { nfds: 4, timeoutMs: -1 } }),
    ],
  });
  assert.equal(m.$('.process-item').textContent, `pid ${PID} hello_server: waiting inside select() on fd 3`);
  assert.equal(m.$('.conversations .empty').textContent, 'No conversation is open.');
  send(m, { type: 'events', events: helloServerEvents(9190).slice(6) }, stoppedState);
  assert.equal(m.$('.run-phase').textContent, 'Exited (code 0)');
  assert.equal((m.$('.run-stop') as HTMLButtonElement).disabled, true);
  assert.match(m.$('.process-item').textContent!, /exited \(code 0\)/);
  m.window.close();
});

test('a program stopped by the user is "Stopped"; a crash names its signal', () => {
  const m = mount();
  send(m, running, { type: 'events', events: [...helloServerEvents(9190).slice(0, 6), { v: 2, seq: 30, t: 30, kind: 'exited', pid: PID, code: null, signal: 'SIGTERM', reason: 'terminated (SIGTERM)' }] }, stoppedState);
  assert.equal(m.$('.run-phase').textContent, 'Stopped');
  const c = mount();
  send(c, running, { type: 'events', events: crashEvents() }, stoppedState);
  assert.equal(c.$('.run-phase').textContent, 'Crashed (SIGSEGV)');
  m.window.close();
  c.window.close();
});

test('code spans in problem texts are <code> elements, built from text (never parsed as HTML)', () => {
  const m = mount();
  send(m, running, {
    type: 'events',
    events: [{
      v: 2, seq: 1, t: 1, kind: 'problem', code: 'runner',
      message: { en: 'Use `SO_REUSEADDR` before `bind()` <b>now</b>', ko: '`bind()` 전에' },
      advice: { en: 'an unpaired ` stays', ko: '' },
    }],
  });
  const message = m.$('.problems .problem-message');
  assert.deepEqual(Array.from(message.querySelectorAll('code')).map((c) => c.textContent), ['SO_REUSEADDR', 'bind()']);
  assert.equal(message.textContent, 'Use SO_REUSEADDR before bind() <b>now</b>');
  assert.equal(message.querySelector('b'), null);
  assert.equal(m.$('.problems .problem-advice').textContent, 'What to try: an unpaired ` stays');
  m.window.close();
});

test('after the server hangs up the client card says so and offers a new connection', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerEvents(9190).slice(0, 11) });
  m.$('.client-connect').click();
  send(m, { type: 'events', events: helloServerEvents(9190).slice(11, 16) });
  const card = m.$('.client-card[data-client="1"]');
  assert.equal((card.querySelector('.client-hungup') as HTMLElement).hidden, false);
  assert.equal(card.querySelector('.client-hungup-text')!.textContent, 'The server closed this connection.');
  (card.querySelector('.client-again') as HTMLButtonElement).click();
  assert.deepEqual(m.posted.filter((p) => p.type === 'client-connect').map((p) => (p as { clientId: number }).clientId), [1, 2]);
  m.window.close();
});

test('a close the user asked for is not reported as the server hanging up', () => {
  const m = mount();
  send(m, running, { type: 'events', events: helloServerUntilAccept(9190) });
  m.$('.client-connect').click();
  send(m, { type: 'events', events: [{ v: 2, seq: 40, t: 40, kind: 'client', client: 1, action: 'connected', address: '127.0.0.1:9190' }] });
  m.$('.client-card[data-client="1"] .client-disconnect').click();
  send(m, { type: 'events', events: [{ v: 2, seq: 41, t: 41, kind: 'client', client: 1, action: 'closed' }] });
  assert.equal((m.$('.client-card[data-client="1"] .client-hungup') as HTMLElement).hidden, true);
  m.window.close();
});

test('the text-size message enlarges the panel for projecting in class; a bad size is refused', () => {
  const m = mount();
  send(m, { type: 'text-size', size: 'larger' });
  assert.equal(m.doc.body.dataset.textSize, 'larger');
  assert.equal(m.panel.receive({ type: 'text-size', size: 'huge' }), false);
  assert.equal(m.doc.body.dataset.textSize, 'larger');
  m.window.close();
});
