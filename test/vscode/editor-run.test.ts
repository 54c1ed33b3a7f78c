// Extension behaviours beyond the main scenario of editor.test.ts, in a real VS Code (code-server in Chromium,
// SockLens from the .vsix): a failed compile shows gcc's error at its exact range and runs nothing, its fix-it
// is a quick fix; the lenses switch to ■ Stop / ⟳ Restart while a program runs, Restart runs it again
// with the remembered arguments, and Stop frees the port, hides the status item and clears the inline notes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canBindLoopback } from './driver/ports';
import { lensTitles, panelListening, sessionForSuite } from './driver/suite';
import { waitFor } from './driver/wait';

const FILE = 'hello_server.c';
/** test/vscode/fixtures/typo_server.c: does not compile (a misspelled field). */
const TYPO_FILE = 'typo_server.c';
/** 1-based line of `listen(serv_sock, 5)` in hello_server.c. */
const LISTEN_LINE = 38;

describe('Lenses while running, Restart, and Stop', { timeout: 600_000 }, () => {
  const current = sessionForSuite('editor-run');

  let port = 0;

  test('a failed compile puts gcc\'s error in Problems at the exact range and opens nothing else', async () => {
    const s = current();
    await s.harness.call('open', { path: TYPO_FILE });
    await s.workbench.waitForEditor(TYPO_FILE);
    await s.workbench.clickCodeLens(/▶ Run server/);
    await s.workbench.waitForNotification(/did not compile/);
    const error = await waitFor('the gcc error in Problems', async () =>
      (await s.harness.call('diagnostics', { path: TYPO_FILE })).find((d) => d.source === 'gcc' && /sin_prot/.test(d.message)),
    );
    // Line 11 is "<tab>addr.sin_prot = htons(9);": gcc's display column 14 is character 6.
    assert.deepEqual([error.line, error.character, error.severity], [10, 6, 'Error']);
    assert.equal(s.page.frames().some((f) => f.name() === 'active-frame'), false, 'no panel opened');
    assert.equal(await s.page.locator('.xterm').count(), 0, 'no terminal opened');
    assert.doesNotMatch(await s.workbench.statusBarText(), /SockLens:/);
    await s.screenshot('editor-run-compile-error');
  });

  test('gcc\'s fix-it is offered as a quick fix and repairs the line', async () => {
    const s = current();
    await s.harness.call('open', { path: TYPO_FILE });
    await s.workbench.goToLineColumn(11, 8);
    await s.page.keyboard.press('Control+.');
    const fix = s.page.locator('.action-widget .monaco-list-row', { hasText: "Apply the compiler's suggestion" }).first();
    await fix.waitFor({ state: 'visible', timeout: 30_000 });
    await s.screenshot('editor-run-quick-fix');
    // The compiler's fix is the preferred action, so it is the focused one; Enter applies it.
    assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/);
    await s.page.keyboard.press('Enter');
    await s.page.locator('.monaco-editor .view-line', { hasText: 'addr.sin_port = htons(9);' }).first().waitFor({ timeout: 30_000 });
  });

  test('while the server listens the lenses offer ■ Stop and ⟳ Restart, and inline notes show', async () => {
    const s = current();
    await s.harness.call('open', { path: FILE });
    await s.workbench.waitForEditor(FILE);
    await waitFor('the Run lens', async () => (await lensTitles(s, FILE)).includes('▶ Run server'), { timeoutMs: 60_000 });
    await s.workbench.clickCodeLens(/▶ Run server/);
    const suggested = await s.workbench.answerInputBox((value) => value);
    assert.match(suggested, /^\d{2,5}$/, 'a free port is suggested for argv[1]');
    port = Number(suggested);
    await panelListening(s, port);
    await waitFor('the Stop and Restart lenses', async () => (await lensTitles(s, FILE)).join('|') === '■ Stop|⟳ Restart', { timeoutMs: 30_000 });
    await s.harness.call('open', { path: FILE });
    await s.workbench.goToLineColumn(LISTEN_LINE, 1);
    await waitFor('the listen note', async () => (await s.workbench.inlineNotes()).some((n) => n.text === '→ listening (backlog 5)'), { timeoutMs: 30_000 });
  });

  test('Restart runs the program again with the remembered arguments', async () => {
    const s = current();
    const pidOf = (details: string): string | undefined => /pid (\d+)/.exec(details)?.[1];
    const frame = await s.workbench.webview();
    const firstPid = pidOf(await frame.locator('.run-details').innerText());
    assert.ok(firstPid, 'the panel shows the running pid');
    await s.harness.call('command', { id: 'socklens.restart' });
    await waitFor('the panel to show the restarted program', async () => {
      const pid = pidOf(await (await s.workbench.webview()).locator('.run-details').innerText());
      return pid !== undefined && pid !== firstPid;
    }, { timeoutMs: 60_000, intervalMs: 300 });
    await panelListening(s, port);
    assert.equal(await canBindLoopback(port), false, 'the restarted server holds the port');
    await waitFor('the status bar item', async () => (await s.workbench.statusBarText()).includes(`SockLens: listening :${port} · 0 clients`), { timeoutMs: 30_000 });
  });

  test('Stop frees the port, hides the status item, clears the inline notes and brings ▶ Run back', async () => {
    const s = current();
    await s.harness.call('command', { id: 'socklens.stop' });
    await waitFor(`port ${port} to be free again`, () => canBindLoopback(port), { timeoutMs: 30_000 });
    await waitFor('the status bar item to go', async () => !(await s.workbench.statusBarText()).includes('SockLens:'), { timeoutMs: 30_000 });
    await waitFor('the Run lens to come back', async () => (await lensTitles(s, FILE)).includes('▶ Run server'), { timeoutMs: 30_000 });
    await s.harness.call('open', { path: FILE });
    await s.workbench.goToLineColumn(LISTEN_LINE, 1);
    await waitFor('the inline notes to clear', async () => (await s.workbench.inlineNotes()).every((n) => !/^[→✗]/.test(n.text)), { timeoutMs: 30_000 });
    await s.screenshot('editor-run-stopped');
  });
});
