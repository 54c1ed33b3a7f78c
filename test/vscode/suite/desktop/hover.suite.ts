// The hover suite for desktop VS Code through @vscode/test-cli (see .vscode-test.mjs): the same cases and steps
// the code-server driver runs, here called in-process in the extension host under mocha's TDD interface.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SOCKLENS_ID, fileUri, hover, open, status } from '../../harness/src/steps';
import { hoverCases, hoverFailures, positionOf, type Lang } from '../hover-cases';

// mocha's TDD globals, declared here rather than through @types/mocha so they do not leak into other files.
declare const suite: (title: string, fn: () => void) => void;
declare const suiteSetup: (fn: () => Promise<void>) => void;
declare const test: (title: string, fn: () => Promise<void>) => void;

async function untilHover(file: string, line: number, character: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { contents } = await hover(file, line, character);
    if (contents.some((c) => c.trim() !== '') || Date.now() > deadline) return contents;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

suite('SockLens hovers (desktop VS Code)', () => {
  let lang: Lang = 'en';

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(SOCKLENS_ID);
    assert.ok(extension, `${SOCKLENS_ID} is not loaded (extensionDevelopmentPath should be the repository)`);
    lang = vscode.env.language.startsWith('ko') ? 'ko' : 'en';
    await open('hello_server.c');
  });

  test('SockLens activates on the C file', async () => {
    const deadline = Date.now() + 30_000;
    while (!status().socklens.active && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(status().socklens.active, true);
  });

  for (const hoverCase of hoverCases) {
    test(hoverCase.name, async () => {
      const { line, character } = positionOf(fs.readFileSync(fileUri(hoverCase.file).fsPath, 'utf8'), hoverCase);
      assert.deepEqual(hoverFailures(hoverCase, lang, await untilHover(hoverCase.file, line, character)), []);
    });
  }
});
