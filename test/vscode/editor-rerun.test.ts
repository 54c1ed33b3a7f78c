// The re-run trap in a real VS Code (code-server in Chromium, SockLens from the .vsix): hello_server is run from
// "▶ Run server" with the suggested free port, a client is served (the server hangs up first, so its side of
// the connection waits in TIME_WAIT on that port) and the program exits. "▶ Run server" again: before anything
// runs, a notification says the port is held by TIME_WAIT connections and when they expire; Explain tells why
// (TIME_WAIT, SO_REUSEADDR); one click runs the program on a fresh free port, which is remembered.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { canBindLoopback } from './driver/ports';
import { lensTitles, panelListening, sessionForSuite } from './driver/suite';
import { waitFor } from './driver/wait';

const FILE = 'hello_server.c';

/** A client that only listens: it reads the greeting until the server hangs up, then hangs up too. */
function served(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.on('data', (d) => (reply += d.toString()));
    sock.on('close', () => resolve(reply));
    sock.on('error', reject);
  });
}

describe('No re-run trap: a port held by TIME_WAIT', { timeout: 600_000 }, () => {
  const current = sessionForSuite('editor-rerun');

  let port = 0;

  test('a served client leaves the port to TIME_WAIT when hello_server hangs up first', async () => {
    const s = current();
    await s.harness.call('open', { path: FILE });
    await s.workbench.waitForEditor(FILE);
    await waitFor('the Run lens', async () => (await lensTitles(s, FILE)).includes('▶ Run server'), { timeoutMs: 60_000 });
    await s.workbench.clickCodeLens(/▶ Run server/);
    port = Number(await s.workbench.answerInputBox((value) => value));
    await panelListening(s, port);
    assert.match(await served(port), /^Hello World!/);
    await waitFor('the run to end (▶ Run is back)', async () => (await lensTitles(s, FILE)).includes('▶ Run server'), { timeoutMs: 60_000 });
    assert.equal(await canBindLoopback(port), false, 'TIME_WAIT blocks a plain bind');
  });

  test('Run again: the offer names TIME_WAIT and its expiry, Explain says why, one click runs on a free port', async () => {
    const s = current();
    await s.workbench.clickCodeLens(/▶ Run server/);
    await s.screenshot('editor-rerun-clicked');
    const toasts = (): Promise<string[]> => s.page.locator('.notification-toast').allInnerTexts();
    const notice = await waitFor(
      'the TIME_WAIT offer',
      async () => {
        const shown = await toasts();
        const offer = shown.find((text) => /still held by connections in TIME_WAIT/.test(text));
        if (!offer) throw new Error(`notifications shown: ${JSON.stringify(shown)}`);
        return offer;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.match(notice, new RegExp(`Port ${port} is still held by connections in TIME_WAIT \\(1\\) from the last run: they expire in about \\d+ s`));
    const toast = s.page.locator('.notification-toast', { hasText: 'TIME_WAIT' }).first();
    const freeButton = toast.locator('.monaco-button', { hasText: /^Run on port \d+ \(free\)$/ });
    const fresh = Number(/(\d+)/.exec(await freeButton.innerText())![1]);
    assert.notEqual(fresh, port);
    await s.screenshot('editor-rerun-offer');
    await toast.locator('.monaco-button', { hasText: 'Explain' }).click();

    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const explanation = await dialog.innerText();
    assert.match(explanation, /TIME_WAIT for 60 s/);
    assert.match(explanation, /SO_REUSEADDR/);
    await s.screenshot('editor-rerun-explain');
    await dialog.locator('.monaco-button', { hasText: `Run on port ${fresh} (free)` }).click();

    await panelListening(s, fresh);
    assert.equal(await canBindLoopback(fresh), false, 'the program listens on the fresh port');
    const frame = await s.workbench.webview();
    assert.equal(await frame.locator('.step-bind.is-failed').count(), 0, 'bind did not fail');
    await s.screenshot('editor-rerun-fresh-port');
  });

  test('the fresh port is remembered: Restart uses it', async () => {
    const s = current();
    await s.harness.call('command', { id: 'socklens.stop' });
    await waitFor('the Run lens to come back', async () => (await lensTitles(s, FILE)).includes('▶ Run server'), { timeoutMs: 30_000 });
    await s.workbench.clickCodeLens(/▶ Run server/);
    const frame = await s.workbench.webview();
    await waitFor(
      'the program listening again on the remembered port',
      async () => (await frame.locator('[data-fd="3"] .fd-local').allInnerTexts()).some((t) => t !== `0.0.0.0:${port}` && /:\d+$/.test(t)),
      { timeoutMs: 90_000, intervalMs: 300 },
    );
    assert.equal(await s.page.locator('.notification-toast', { hasText: 'TIME_WAIT' }).count(), 0, 'no offer for a port that is free');
    await s.harness.call('command', { id: 'socklens.stop' });
  });
});
