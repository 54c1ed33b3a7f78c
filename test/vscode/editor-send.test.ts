// The live panel's test client end to end against a server that answers: in a real VS Code (code-server in
// Chromium, SockLens from the .vsix), test/vscode/fixtures/echo_server.c is run from "▶ Run server" with a
// free loopback port; in the panel a client connects, types and sends text, and the exact text comes back;
// the fd table and the timeline show the accepted connection (fd 4) and the recv/send of those bytes; typed
// markup stays text everywhere (never HTML); after Disconnect the server accepts the next client; Stop frees
// the port. One session, English only: editor.test.ts covers the Korean panel.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { canBindLoopback } from './driver/ports';
import { sessionForSuite } from './driver/suite';
import { waitFor } from './driver/wait';

/** test/vscode/fixtures/echo_server.c: echoes with recv/send on 127.0.0.1 until the client closes, then accepts again. */
const FILE = 'echo_server.c';
const PLAIN = 'hello, echo server';
/** Markup a webview must show as these characters, never as a <b> element. */
const MARKUP = '<b>x</b>';

/** A literal string as a RegExp source. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The test client's card with this id, once the panel has drawn it. */
async function clientCard(panel: Frame, id: number): Promise<Locator> {
  const card = panel.locator(`.client-card[data-client="${id}"]`);
  await card.waitFor({ timeout: 30_000 });
  return card;
}

/** Everything the card shows as received, chunks joined (TCP may deliver an echo in more than one piece). */
async function receivedText(card: Locator): Promise<string> {
  return (await card.locator('.client-line.received .client-line-text').allTextContents()).join('');
}

/** Types `text` into the card's Send box and presses Send, then waits until the echo has come back in full. */
async function sendAndAwaitEcho(card: Locator, text: string): Promise<void> {
  const before = await receivedText(card);
  await card.locator('.client-input').fill(text);
  await card.locator('.client-send').click();
  await waitFor(`the echo of ${JSON.stringify(text)} in the client's log`, async () => (await receivedText(card)) === before + text, { timeoutMs: 30_000 });
}

/** The fd table row of fd `fd` whose role cell says `role` (the newest, when the fd number was reused). */
function fdRow(panel: Frame, fd: number, role: string): Locator {
  return panel
    .locator(`tr[data-fd="${fd}"]`)
    .filter({ has: panel.locator('.fd-role', { hasText: role }) })
    .last();
}

/** Texts of the timeline rows drawn now (the list is virtual: rows far outside the viewport are not in the DOM). */
function timelineTexts(panel: Frame): Promise<string[]> {
  return panel.locator('.timeline-row .tl-text').allTextContents();
}

describe('The panel test client against an echo server', { timeout: 300_000 }, () => {
  let panel: Frame | undefined;
  let port = 0;
  const current = sessionForSuite('editor-send');
  const currentPanel = (): Frame => {
    assert.ok(panel, 'no panel');
    return panel;
  };

  test('▶ Run server with the suggested free port: the panel shows fd 3 listening on 127.0.0.1 only', async () => {
    const s = current();
    await s.harness.call('open', { path: FILE });
    await s.workbench.waitForEditor(FILE);
    await s.workbench.clickCodeLens(/▶ Run server/);
    const suggested = await s.workbench.answerInputBox((value) => value);
    assert.match(suggested, /^\d{2,5}$/, `the argument box should hold a port, not ${JSON.stringify(suggested)}`);
    port = Number(suggested);
    panel = await s.workbench.webview();
    const listening = fdRow(panel, 3, 'listening');
    await listening.waitFor({ timeout: 90_000 });
    await waitFor('fd 3 bound to the port', async () => (await listening.locator('.fd-local').innerText()) === `127.0.0.1:${port}`, { timeoutMs: 30_000 });
    assert.equal(await canBindLoopback(port), false, 'the running server should hold its port');
  });

  test('Connect and Send: the exact text comes back, and markup stays text', async () => {
    const p = currentPanel();
    const connect = p.locator('.client-connect');
    await waitFor('Connect to be enabled', () => connect.isEnabled(), { timeoutMs: 30_000 });
    assert.equal((await p.locator('.client-target').innerText()).trim(), `to 127.0.0.1:${port}`);
    await connect.click();
    const card = await clientCard(p, 1);
    await waitFor('client 1 to be connected', async () => (await card.getAttribute('class'))?.includes('is-connected'), { timeoutMs: 30_000 });

    await sendAndAwaitEcho(card, PLAIN);
    await sendAndAwaitEcho(card, MARKUP);
    assert.deepEqual(await card.locator('.client-line.sent .client-line-text').allTextContents(), [PLAIN, MARKUP]);
    assert.equal(await receivedText(card), PLAIN + MARKUP);
    // The characters are in the page as text; no element was made from them, in the card or anywhere else.
    assert.ok((await p.locator('.client-log').textContent())?.includes(MARKUP), 'the typed markup shows as its characters');
    assert.equal(await p.locator('b').count(), 0, 'program data was rendered as HTML');
    await current().screenshot('editor-send-1-echo');
  });

  test('the fd table and the timeline show fd 4 accepted and the recv/send of those bytes', async () => {
    const p = currentPanel();
    const total = Buffer.byteLength(PLAIN + MARKUP);
    const fd4 = fdRow(p, 4, 'conversation');
    await fd4.waitFor({ timeout: 30_000 });
    assert.match(await fd4.locator('.fd-local').innerText(), new RegExp(`^127\\.0\\.0\\.1:${port}$`));
    assert.match(await fd4.locator('.fd-peer').innerText(), /^127\.0\.0\.1:\d+$/);
    await waitFor(`${total} bytes in and out on fd 4`, async () => {
      const [bytesIn, bytesOut] = [await fd4.locator('.fd-in').innerText(), await fd4.locator('.fd-out').innerText()];
      return bytesIn === String(total) && bytesOut === String(total);
    }, { timeoutMs: 30_000 });

    // Only fd 4's events, chosen in the timeline's own fd filter, so none is scrolled out of the virtual list.
    await p.locator('.timeline-filter-fd').selectOption('4');
    const expected = [
      /^accept\(fd 3\b.*→ fd 4 ← 127\.0\.0\.1:\d+$/,
      ...[PLAIN, MARKUP].flatMap((text) => {
        const bytes = Buffer.byteLength(text);
        return [
          new RegExp(`^recv\\(fd 4\\b.*→ ${bytes} bytes "${literal(text)}"$`),
          new RegExp(`^send\\(fd 4\\b.*→ ${bytes} bytes "${literal(text)}"$`),
        ];
      }),
    ];
    const rows = await waitFor(
      'the accept and each recv/send on fd 4 in the timeline',
      async () => {
        const texts = await timelineTexts(p);
        // In order: each expected row after the previous one.
        let from = 0;
        for (const pattern of expected) {
          const at = texts.findIndex((t, i) => i >= from && pattern.test(t));
          if (at < 0) return undefined;
          from = at + 1;
        }
        return texts;
      },
      { timeoutMs: 30_000 },
    );
    assert.ok(rows.some((t) => t.includes(`"${MARKUP}"`)), 'the timeline shows the markup as text');
    assert.equal(await p.locator('b').count(), 0, 'program data was rendered as HTML in the timeline');
    await current().screenshot('editor-send-2-fd4');
    await p.locator('.timeline-filter-fd').selectOption('');
  });

  test('after Disconnect the server closes fd 4 and accepts the next client, which gets its echo too', async () => {
    const p = currentPanel();
    const first = await clientCard(p, 1);
    await first.locator('.client-disconnect').click();
    await waitFor('client 1 to be closed', async () => (await first.getAttribute('class'))?.includes('is-closed'), { timeoutMs: 30_000 });
    await waitFor('the server to close fd 4', async () => (await timelineTexts(p)).some((t) => /^close\(fd 4\b.*→ 0$/.test(t)), { timeoutMs: 30_000 });
    const firstPeer = await p.locator('tr[data-fd="4"].is-closed .fd-peer').innerText();
    await p.locator('.client-connect').click();
    const second = await clientCard(p, 2);
    await waitFor('client 2 to be connected', async () => (await second.getAttribute('class'))?.includes('is-connected'), { timeoutMs: 30_000 });
    await sendAndAwaitEcho(second, PLAIN);
    // The closed fd 4 stays in the table, dimmed; the new connection is fd 4 again, from another client port.
    const reused = p.locator('tr[data-fd="4"]:not(.is-closed)');
    await reused.waitFor({ timeout: 30_000 });
    assert.equal(await p.locator('tr[data-fd="4"]').count(), 2);
    assert.notEqual(await reused.locator('.fd-peer').innerText(), firstPeer);
    assert.equal(await receivedText(second), PLAIN);
  });

  test('■ Stop: the port can be bound again', async () => {
    const s = current();
    // The panel had the focus: back to the source in the first editor group, where the lenses are.
    await s.harness.call('command', { id: 'workbench.action.focusFirstEditorGroup' });
    await s.workbench.waitForEditor(FILE);
    await s.workbench.clickCodeLens(/■ Stop/);
    await waitFor(`port ${port} to be free again`, () => canBindLoopback(port), { timeoutMs: 30_000 });
    await waitFor('the Run lens to come back', async () => (await s.harness.call('codeLenses', { path: FILE })).some((l) => /▶ Run server/.test(l.title)), { timeoutMs: 30_000 });
    await s.screenshot('editor-send-3-stopped');
  });
});
