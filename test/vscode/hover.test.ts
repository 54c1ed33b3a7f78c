// Hovers inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3) in Debian's Chromium, SockLens installed
// from the packaged .vsix. The harness extension asks VS Code's own hover machinery (vscode.executeHoverProvider);
// the mouse tests hover in the Monaco editor like a user and save screenshots.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outputDir, repoRoot } from './driver/paths';
import { VSCodeSession } from './driver/session';
import { waitFor } from './driver/wait';
import { hoverCases, hoverFailures, positionOf, sourceFile, type Lang } from './suite/hover-cases';

const socketCase = hoverCases[0];

/** Hovers through the harness until the provider answers (the first hover loads the parser's WASM). */
async function hoverMarkdown(session: VSCodeSession, file: string, line: number, character: number): Promise<string[]> {
  const result = await waitFor(
    `a SockLens hover at ${file}:${line + 1}:${character + 1}`,
    async () => {
      const hover = await session.harness.call('hover', { path: file, line, character });
      return hover.contents.some((c) => c.trim() !== '') ? hover : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  return result.contents;
}

function checkAllCases(getSession: () => VSCodeSession, lang: Lang): void {
  for (const hoverCase of hoverCases) {
    test(`${lang}: ${hoverCase.name}`, async () => {
      const text = fs.readFileSync(sourceFile(repoRoot, hoverCase.file), 'utf8');
      const { line, character } = positionOf(text, hoverCase);
      const contents = await hoverMarkdown(getSession(), hoverCase.file, line, character);
      assert.deepEqual(hoverFailures(hoverCase, lang, contents), []);
    });
  }
}

/** Puts the cursor on the socket() call with Go to Line/Column and hovers it with the mouse. */
async function mouseHoverSocket(session: VSCodeSession, expect: RegExp): Promise<string> {
  await session.harness.call('open', { path: socketCase.file });
  await session.workbench.waitForEditor(socketCase.file);
  const text = fs.readFileSync(sourceFile(repoRoot, socketCase.file), 'utf8');
  const { line, character } = positionOf(text, socketCase);
  // Go to Line/Column puts the cursor before the given character: aim at the token's first letter.
  await session.workbench.goToLineColumn(line + 1, character + 1 - Math.floor(socketCase.token.length / 2));
  return session.workbench.hoverAtCursor(expect);
}

describe('SockLens hovers in VS Code (English)', { timeout: 300_000 }, () => {
  let session: VSCodeSession | undefined;
  const current = (): VSCodeSession => {
    assert.ok(session, 'VS Code did not start');
    return session;
  };
  before(async () => {
    session = await VSCodeSession.start({ name: 'hover-en' });
  });
  after(async () => {
    await session?.stop();
  });

  test('SockLens is installed from the .vsix and waits for a C file before activating', async () => {
    const status = await current().harness.call('status');
    assert.equal(status.socklens.installed, true);
    assert.equal(status.socklens.active, false, 'SockLens must not activate at start-up');
    assert.equal(status.trusted, true);
    assert.equal(status.language, 'en');
    const opened = await current().harness.call('open', { path: 'hello_server.c' });
    assert.equal(opened.languageId, 'c');
    await waitFor('SockLens to activate on the C file', async () => (await current().harness.call('status')).socklens.active, { timeoutMs: 60_000 });
    const { activationMs } = (await current().harness.call('status')).socklens;
    assert.ok(typeof activationMs === 'number' && activationMs > 0, `the extension reports how long it took to activate (${activationMs})`);
    fs.mkdirSync(outputDir, { recursive: true });
    fs.writeFileSync(path.join(outputDir, 'activation-en.json'), JSON.stringify({ activationMs }, null, 2));
  });

  checkAllCases(current, 'en');

  test('en: ▶ Run server lenses above main and above listen()', async () => {
    const lines = fs.readFileSync(sourceFile(repoRoot, 'hello_server.c'), 'utf8').split('\n');
    const mainLine = lines.findIndex((l) => /^int main\(/.test(l));
    const listenLine = lines.findIndex((l) => /\blisten\(/.test(l));
    const lenses = await waitFor(
      'the Run lenses',
      async () => {
        const found = await current().harness.call('codeLenses', { path: 'hello_server.c' });
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000 },
    );
    assert.deepEqual(
      lenses.map((l) => [l.line, l.title, l.command]),
      [mainLine, listenLine].map((line) => [line, '▶ Run server', 'socklens.run']),
    );
  });

  test('en: the mouse hover over socket() shows the card; screenshot', async () => {
    const shown = await mouseHoverSocket(current(), /a TCP byte stream/);
    assert.match(shown, /Step 1 of 4/);
    assert.match(shown, /More…/);
    await current().screenshot('hover-en');
  });

  test('en: "More…" in the hover opens the full card in a Markdown preview', async () => {
    const { page } = current().workbench;
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: 'More…' }).first().click();
    // The preview's tab is titled after the virtual document, socket().md.
    await page.locator('.tab', { hasText: 'socket().md' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The preview renders the full card: the signature is there, which the hover leaves out.
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await preview.locator('code', { hasText: 'int socket(int domain, int type, int protocol);' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await current().screenshot('hover-en-full-card');
  });

  test('the desktop @vscode/test-cli suite passes in this extension host too', async () => {
    const { buildDesktopSuites } = await import('./suite/desktop/build.mjs');
    const files = await buildDesktopSuites(path.join(repoRoot, 'out', 'vscode-test'));
    const result = await current().harness.call('mocha', { mochaPath: path.join(repoRoot, 'node_modules', 'mocha'), files });
    assert.deepEqual(result.failed, []);
    assert.equal(result.passed.length, hoverCases.length + 1);
  });
});

describe('SockLens hovers in VS Code (Korean, --locale ko)', { timeout: 300_000 }, () => {
  let session: VSCodeSession | undefined;
  const current = (): VSCodeSession => {
    assert.ok(session, 'VS Code did not start');
    return session;
  };
  before(async () => {
    session = await VSCodeSession.start({ name: 'hover-ko', locale: 'ko' });
  });
  after(async () => {
    await session?.stop();
  });

  test('VS Code runs in Korean', async () => {
    assert.equal((await current().harness.call('status')).language, 'ko');
  });

  checkAllCases(current, 'ko');

  test('ko: the mouse hover over socket() shows the Korean card; screenshot', async () => {
    const shown = await mouseHoverSocket(current(), /TCP 바이트 스트림/);
    assert.match(shown, /4단계 중 1단계/);
    assert.match(shown, /자세히…/);
    await current().screenshot('hover-ko');
    await current().workbench.dismissHover();
  });
});
