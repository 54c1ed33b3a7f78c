// What the editor suites share: one VS Code per describe block, the lens titles of a file, the panel listening.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Frame } from 'playwright-core';
import { VSCodeSession } from './session';
import { waitFor } from './wait';

/** Starts one VS Code for the enclosing describe block and stops it (and any run it left) after; returns its accessor. */
export function sessionForSuite(name: string): () => VSCodeSession {
  let session: VSCodeSession | undefined;
  before(async () => {
    session = await VSCodeSession.start({ name });
  });
  after(async () => {
    await session?.harness.call('command', { id: 'socklens.stop' }).catch(() => undefined);
    await session?.stop();
  });
  return () => {
    assert.ok(session, 'VS Code did not start');
    return session;
  };
}

/** The distinct CodeLens titles over `file`, sorted. */
export async function lensTitles(session: VSCodeSession, file: string): Promise<string[]> {
  return [...new Set((await session.harness.call('codeLenses', { path: file })).map((l) => l.title))].sort();
}

/** Waits until the panel shows fd 3 bound to the port and the listening step lit. */
export async function panelListening(session: VSCodeSession, port: number): Promise<Frame> {
  const frame = await session.workbench.webview();
  await waitFor(
    `fd 3 listening on :${port} in the panel`,
    async () =>
      (await frame.locator('[data-fd="3"] .fd-local').allInnerTexts()).some((t) => t.endsWith(`:${port}`)) &&
      (await frame.locator('.step-listen.is-reached').count()) > 0,
    { timeoutMs: 90_000, intervalMs: 300 },
  );
  return frame;
}
