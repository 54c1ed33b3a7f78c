// The editor experience inside a real VS Code (code-server in Chromium, SockLens from the packaged .vsix):
// Run from the lens with a free port, the live panel, the test client, inline results, reveal, Stop; then the
// same in Korean, and Run refused in an untrusted folder while hovers still work. Screenshots of each step go
// to .test-output/vscode/.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { VSCodeSession } from './driver/session';
import { waitFor } from './driver/wait';

const FILE = 'hello_server.c';
/** 1-based lines of hello_server.c that the checks look at. */
const LISTEN_LINE = 38;
const ACCEPT_LINE = 42;

/** True when a TCP server can listen on 127.0.0.1:port right now (the program let go of it). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function textOf(frame: Frame, selector: string): Promise<string[]> {
  return frame.locator(selector).allInnerTexts();
}

/** Clicks ▶ Run …, accepts the suggested arguments and returns the port they contain. */
async function runFromLens(session: VSCodeSession, lens: RegExp): Promise<number> {
  await session.harness.call('open', { path: FILE });
  await session.workbench.waitForEditor(FILE);
  await session.workbench.clickCodeLens(lens);
  const suggested = await session.workbench.answerInputBox((s) => s);
  assert.match(suggested, /^\d{2,5}$/, 'the prompt suggests a port for argv[1]');
  return Number(suggested);
}

/** Waits until the panel shows fd 3 listening on the port. */
async function panelListening(session: VSCodeSession, port: number): Promise<Frame> {
  const frame = await session.workbench.webview();
  await waitFor(
    `fd 3 listening on :${port} in the panel`,
    async () => (await textOf(frame, '.fd-row[data-fd="3"] .fd-local')).some((t) => t.endsWith(`:${port}`)) && (await frame.locator('.step-listen.is-reached').count()) > 0,
    { timeoutMs: 90_000, intervalMs: 300 },
  );
  return frame;
}

/** Scrolls the editor to a line and returns the inline notes rendered there. */
async function notesNear(session: VSCodeSession, line: number, expect: RegExp): Promise<string[]> {
  await session.harness.call('open', { path: FILE });
  await session.workbench.goToLineColumn(line, 1);
  return waitFor(
    `an inline note matching ${expect}`,
    async () => {
      const notes = (await session.workbench.inlineNotes()).map((n) => `${n.lineText.trim()}  ${n.text}`);
      return notes.some((n) => expect.test(n)) ? notes : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 300 },
  );
}

describe('Run, panel, test client and inline results (English)', { timeout: 600_000 }, () => {
  let session: VSCodeSession | undefined;
  const current = (): VSCodeSession => {
    assert.ok(session, 'VS Code did not start');
    return session;
  };
  before(async () => {
    session = await VSCodeSession.start({ name: 'editor-run-en' });
  });
  after(async () => {
    await session?.harness.call('command', { id: 'socklens.stop' }).catch(() => undefined);
    await session?.stop();
  });

  let port = 0;
  let frame: Frame | undefined;

  test('the lens runs the server with a free port; the panel shows fd 3 listening; status bar', async () => {
    const s = current();
    port = await runFromLens(s, /▶ Run server/);
    frame = await panelListening(s, port);
    assert.match((await textOf(frame, '.fd-row[data-fd="3"] .fd-role')).join(' '), /listen/i);
    const status = await waitFor('the status bar item', async () => {
      const text = await s.workbench.statusBarText();
      return text.includes(`SockLens: listening :${port} · 0 clients`) ? text : undefined;
    });
    assert.ok(status);
    const lenses = await s.harness.call('codeLenses', { path: FILE });
    assert.deepEqual([...new Set(lenses.map((l) => l.title))].sort(), ['■ Stop', '⟳ Restart']);
    await s.screenshot('editor-run-en-listening');
  });

  test('Connect in the panel: accept gives fd 4, the reply shows, the inline note → fd 4 is on the accept line', async () => {
    const s = current();
    assert.ok(frame);
    const panel = s.workbench.webviewLocator();
    await panel.locator('.client-connect').click();
    await waitFor('the reply in the client card', async () => (await textOf(frame!, '.client-line.received .client-line-text')).join('').includes('Hello World!'), {
      timeoutMs: 30_000,
    });
    await waitFor('fd 4 in the fd table', async () => (await frame!.locator('.fd-row[data-fd="4"]').count()) > 0, { timeoutMs: 30_000 });
    await s.screenshot('editor-run-en-client');
    const notes = await notesNear(s, ACCEPT_LINE, /accept\(.*→ fd 4 ← 127\.0\.0\.1:\d+/);
    assert.ok(notes.some((n) => /listen\(serv_sock, 5\).*→ listening \(backlog 5\)/.test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => /bind\(.*→ bound 0\.0\.0\.0:\d+/.test(n)), notes.join('\n'));
    await s.screenshot('editor-run-en-inline');
  });

  test('clicking an event in the timeline reveals its source line', async () => {
    const s = current();
    const panel = s.workbench.webviewLocator();
    await panel.locator('.timeline-row', { hasText: 'listen' }).first().click();
    const state = await waitFor('the editor to reveal the listen line', async () => {
      const st = await s.harness.call('editorState');
      return st.file === FILE && st.selectionLine === LISTEN_LINE - 1 ? st : undefined;
    });
    assert.equal(state.selectionLine, LISTEN_LINE - 1);
  });

  test('Restart, then Stop while it listens: the port can be bound again and the notes are cleared', async () => {
    const s = current();
    await waitFor('the first run to end (the hello server answers one client)', async () => !(await s.workbench.statusBarText()).includes('SockLens: listening'));
    await s.harness.call('command', { id: 'socklens.restart' });
    frame = await panelListening(s, port);
    assert.equal(await canListen(port), false, 'the restarted server holds the port');
    await s.harness.call('command', { id: 'socklens.stop' });
    await waitFor('the port to be free again', () => canListen(port), { timeoutMs: 30_000, intervalMs: 300 });
    await waitFor('the status bar item to go', async () => !(await s.workbench.statusBarText()).includes('SockLens:'));
    await s.harness.call('open', { path: FILE });
    await s.workbench.goToLineColumn(LISTEN_LINE, 1);
    await waitFor('inline notes to clear on Stop', async () => (await s.workbench.inlineNotes()).every((n) => !n.text.startsWith('→')));
    await s.screenshot('editor-run-en-stopped');
  });
});

describe('Run in Korean (--locale ko)', { timeout: 600_000 }, () => {
  let session: VSCodeSession | undefined;
  before(async () => {
    session = await VSCodeSession.start({ name: 'editor-run-ko', locale: 'ko' });
  });
  after(async () => {
    await session?.stop();
  });

  test('lens, status bar and inline notes in Korean', async () => {
    assert.ok(session);
    const s = session;
    const port = await runFromLens(s, /▶ 서버 실행/);
    await panelListening(s, port);
    await waitFor('the Korean status bar item', async () => (await s.workbench.statusBarText()).includes(`SockLens: :${port}에서 대기 중 · 클라이언트 0개`));
    const notes = await notesNear(s, LISTEN_LINE, /listen\(serv_sock, 5\).*→ 연결 대기 중 \(backlog 5\)/);
    assert.ok(notes.length > 0);
    await s.screenshot('editor-run-ko');
    await s.harness.call('command', { id: 'socklens.stop' });
    await waitFor('the port to be free again', () => canListen(port), { timeoutMs: 30_000, intervalMs: 300 });
  });
});

describe('Restricted Mode: hovers work, Run is refused', { timeout: 600_000 }, () => {
  let session: VSCodeSession | undefined;
  before(async () => {
    session = await VSCodeSession.start({ name: 'editor-run-untrusted', trusted: false });
  });
  after(async () => {
    await session?.stop();
  });

  test('the socket() hover works and Run says why it is refused and how to trust', async () => {
    assert.ok(session);
    const s = session;
    assert.equal((await s.harness.call('status')).trusted, false);
    await s.harness.call('open', { path: FILE });
    const hover = await waitFor(
      'a hover on socket()',
      async () => {
        const h = await s.harness.call('hover', { path: FILE, line: 25, character: 16 });
        return h.contents.some((c) => c.includes('int socket(')) ? h : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.ok(hover.contents.length > 0);
    await s.workbench.clickCodeLens(/▶ Run server/);
    const message = await s.workbench.waitForNotification(/Restricted Mode/);
    assert.match(message, /trust/i);
    assert.doesNotMatch(await s.workbench.statusBarText(), /SockLens: (compiling|running|listening)/);
    await s.screenshot('editor-run-untrusted');
  });
});
