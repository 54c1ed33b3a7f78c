// The live panel tells the truth, in a real VS Code (code-server in Chromium at 1400×900, SockLens from the
// .vsix): at the default layout the fd table shows every column (the kernel's TCP state included) and the
// timeline shows file:line; the processes say what each one is doing; after hello_server hangs up the test client
// says so and offers a new connection; a program that ended by itself is "Exited (code 0)"; closing the panel
// leaves a running program running and says how to stop it or come back; Problems from a failed compile clear
// once a quick fix makes the file compile.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { canBindLoopback } from './driver/ports';
import { VSCodeSession } from './driver/session';
import { sessionForSuite } from './driver/suite';
import { waitFor } from './driver/wait';

const FILE = 'hello_server.c';

/** Whether an element's content fits its box (nothing cut off or scrolled sideways). */
async function fits(frame: Frame, selector: string): Promise<boolean[]> {
  return frame.locator(selector).evaluateAll((nodes) => nodes.map((n) => n.scrollWidth <= n.clientWidth + 1));
}

/** Runs a server fixture for the first time in this session (so its arguments are asked for, with a fresh port). */
async function startServer(s: VSCodeSession, file: string): Promise<{ frame: Frame; port: number }> {
  await s.harness.call('open', { path: file });
  await s.workbench.waitForEditor(file);
  await s.workbench.clickCodeLens(/▶ Run server/);
  const port = Number(await s.workbench.answerInputBox((value) => value));
  const frame = await s.workbench.webview(180_000).catch(async (err: unknown) => {
    await s.screenshot('panel-truth-no-panel');
    throw err;
  });
  await waitFor(
    `the panel listening on :${port}`,
    async () =>
      (await frame.locator('[data-fd="3"] .fd-local').allInnerTexts()).some((t) => t.endsWith(`:${port}`)) &&
      (await frame.locator('.step-listen.is-reached').count()) > 0,
    { timeoutMs: 90_000, intervalMs: 300 },
  );
  return { frame, port };
}

describe('The panel says what is true', { timeout: 600_000 }, () => {
  const current = sessionForSuite('panel-truth');

  test('at 1400×900 the fd table shows all its columns, the timeline file:line, the processes what they do', async () => {
    const s = current();
    const { frame } = await startServer(s, FILE);
    const headers = await frame.locator('.fd-table th').allInnerTexts();
    assert.deepEqual(headers, ['fd', 'pid', 'role', 'local address', 'peer address', 'state', 'TCP state (kernel)', 'bytes in', 'bytes out', 'created at']);
    assert.deepEqual(await fits(frame, '.fd-table .table-scroll'), [true], 'the table needs no sideways scrolling');
    const where = await frame.locator('.timeline-row .tl-where').allInnerTexts();
    assert.ok(where.some((w) => /^hello_server\.c:\d+$/.test(w)), `timeline places: ${where.join(', ')}`);
    assert.ok((await fits(frame, '.timeline-row .tl-where')).every(Boolean), 'file:line is not cut off');
    await waitFor('the process line', async () => /pid \d+ hello_server: running; its latest call was listen\(\)/.test(await frame.locator('.process-list').innerText()), { timeoutMs: 30_000 });
    assert.equal(await frame.locator('.conversations .empty').innerText(), 'No conversation is open.');
    assert.equal(await frame.locator('.run-stop').isDisabled(), false);
    await s.screenshot('panel-truth-listening-1400x900');
    await frame.locator('.fd-table').scrollIntoViewIfNeeded();
    await s.screenshot('panel-truth-fd-table-1400x900');
    await frame.locator('.timeline').scrollIntoViewIfNeeded();
    await s.screenshot('panel-truth-timeline-1400x900');
  });

  test('after hello_server hangs up the client says so and offers a new connection; the run is "Exited (code 0)"', async () => {
    const s = current();
    const frame = await s.workbench.webview();
    await frame.locator('.client-connect').click();
    const card = frame.locator('.client-card[data-client="1"]');
    await waitFor('the greeting', async () => (await card.locator('.client-line.received .client-line-text').allInnerTexts()).some((t) => t.startsWith('Hello World!')), { timeoutMs: 30_000 });
    await waitFor('the hang-up note', async () => card.locator('.client-hungup').isVisible(), { timeoutMs: 30_000 });
    assert.equal(await card.locator('.client-hungup-text').innerText(), 'The server closed this connection.');
    assert.equal(await card.locator('.client-again').innerText(), 'New connection');
    await waitFor('Exited (code 0)', async () => (await frame.locator('.run-phase').innerText()) === 'Exited (code 0)', { timeoutMs: 30_000 });
    assert.equal(await frame.locator('.run-stop').isDisabled(), true);
    assert.equal(await card.locator('.client-again').isDisabled(), true, 'nothing to connect to once the program is gone');
    const opacity = await frame.locator('.run-stop').evaluate((b) => getComputedStyle(b).opacity);
    assert.ok(Number(opacity) < 0.7, `a disabled button looks disabled (opacity ${opacity})`);
    await s.screenshot('panel-truth-exited-1400x900');
  });

  test('closing the panel keeps the program running and says how to stop it or bring the panel back', async () => {
    const s = current();
    // start from one editor group: the earlier panel (its program has exited) goes
    await s.harness.call('command', { id: 'workbench.action.focusFirstEditorGroup' });
    await s.harness.call('command', { id: 'workbench.action.closeEditorsInOtherGroups' });
    // echo_server.c keeps serving; hello_server.c would ask no arguments again and reuse a port in TIME_WAIT
    const { port } = await startServer(s, 'echo_server.c');
    // the panel is the only editor in the second group: focus the first one and close the others
    await s.harness.call('command', { id: 'workbench.action.focusFirstEditorGroup' });
    await s.harness.call('command', { id: 'workbench.action.closeEditorsInOtherGroups' });
    const notice = await s.workbench.waitForNotification(/is still running/);
    assert.match(notice, /echo_server\.c is still running/);
    assert.equal(await canBindLoopback(port), false, 'the server still holds its port');
    assert.match(await s.workbench.statusBarText(), new RegExp(`SockLens: listening :${port}`));
    await s.screenshot('panel-truth-closed-panel');
    await s.harness.call('command', { id: 'socklens.showPanel' });
    const frame = await s.workbench.webview();
    await waitFor('the panel back with the run', async () => (await frame.locator('.run-phase').innerText()) === 'Running', { timeoutMs: 30_000 });
    await s.harness.call('command', { id: 'socklens.stop' });
    await waitFor(`port ${port} free`, () => canBindLoopback(port), { timeoutMs: 30_000 });
  });

  test('Problems from a failed compile clear once a quick fix makes the file compile, without another Run', async () => {
    const s = current();
    await s.harness.call('command', { id: 'workbench.action.focusFirstEditorGroup' });
    await s.harness.call('open', { path: 'typo_server.c' });
    await s.workbench.waitForEditor('typo_server.c');
    await s.workbench.clickCodeLens(/▶ Run server/);
    await s.workbench.waitForNotification(/did not compile/);
    await waitFor('the gcc error in Problems', async () => (await s.harness.call('diagnostics', { path: 'typo_server.c' })).some((d) => d.source === 'gcc'));
    await s.workbench.goToLineColumn(11, 8);
    await s.page.keyboard.press('Control+.');
    const fix = s.page.locator('.action-widget .monaco-list-row', { hasText: "Apply the compiler's suggestion" }).first();
    await fix.waitFor({ state: 'visible', timeout: 30_000 });
    await s.page.keyboard.press('Enter');
    await waitFor('Problems to clear after the fix (saved and compiled again)', async () => (await s.harness.call('diagnostics', { path: 'typo_server.c' })).every((d) => d.source !== 'gcc'), { timeoutMs: 60_000 });
    await s.screenshot('panel-truth-fixed-compile');
  });
});
