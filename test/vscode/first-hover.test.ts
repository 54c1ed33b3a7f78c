// The first hover always comes (issue 10): in fresh windows of a real VS Code (code-server in Chromium, SockLens
// from the .vsix), the mouse rests on `socket` as soon as the editor shows the file's text, once, and the hover
// must appear on that first try. Each window is a reload of the workbench (a new extension host, SockLens not yet
// active), then hello_server.c is opened from the Explorer: the moment the reported hover never came. Times go to
// .test-output/vscode/first-hover.json (p50/p95 in docs/benchmarks.md).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outputDir } from './driver/paths';
import { VSCodeSession } from './driver/session';
import { waitFor } from './driver/wait';

/** 5 windows in `npm test` (3–5 minutes on 2 busy cores); the outcome asks for 20 (SOCKLENS_FIRST_HOVER_WINDOWS=20). */
const WINDOWS = Number(process.env.SOCKLENS_FIRST_HOVER_WINDOWS ?? 5);
/** How long one resting mouse may wait for the hover: SockLens activates 10–15 s after the text shows in a fresh window here. */
const FIRST_TRY_MS = 20_000;
/**
 * Known to fail (issue 10, outcome 8, open): in a fresh window SockLens activates 10–15 s after the editor shows
 * the text; the hover is asked for again once its provider registers, but the CodeLens view zones registered at
 * the same moment push line 26 down, out from under the resting pointer. Kept as a measured `todo` until fixed.
 */
const KNOWN_FAILURE = 'the first hover races activation and the CodeLens layout shift (docs/benchmarks.md, First hover)';
const FILE = 'hello_server.c';
const SOCKET_LINE = 'serv_sock = socket(';

interface Sample {
  window: number;
  /** From the editor showing the text to the hover widget showing SockLens's socket() card; null when it never came. */
  hoverMs: number | null;
  /** From the editor showing the text to SockLens's first CodeLens (SockLens active, its providers registered). */
  lensMs: number | null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function writeSummary(samples: Sample[]): object {
  const times = samples.flatMap((s) => (s.hoverMs === null ? [] : [s.hoverMs])).sort((a, b) => a - b);
  const summary = { windows: samples.length, appeared: times.length, p50Ms: times.length ? percentile(times, 50) : null, p95Ms: times.length ? percentile(times, 95) : null, samples };
  fs.mkdirSync(outputDir, { recursive: true });
  fs.writeFileSync(path.join(outputDir, 'first-hover.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/** Start-up, then a reload, the file, and up to 20 s of resting mouse per window. */
describe('the first hover after opening a file', { timeout: 120_000 + WINDOWS * 60_000 }, () => {
  let session: VSCodeSession | undefined;
  before(async () => {
    session = await VSCodeSession.start({ name: 'first-hover' });
  });
  after(async () => {
    await session?.stop();
  });

  test(`appears on the first try in ${WINDOWS} of ${WINDOWS} fresh windows`, { todo: KNOWN_FAILURE }, async () => {
    assert.ok(session, 'VS Code did not start');
    const page = session.page;
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-editor-hover:not(.hidden) .hover-contents').first();
    const samples: Sample[] = [];
    for (let window = 1; window <= WINDOWS; window++) {
      await page.mouse.move(5, 5);
      await page.reload({ timeout: 60_000 });
      await session.workbench.waitUntilReady();
      // open the file as a user does: a click on it in the Explorer
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click({ timeout: 60_000 });
      const line = page.locator('.editor-group-container.active .view-line', { hasText: SOCKET_LINE }).first();
      await line.waitFor({ state: 'visible', timeout: 90_000 });
      const shown = Date.now();
      const token = line.locator('span', { hasText: /^socket$/ }).first();
      const box = await waitFor('the socket token to have a position', () => token.boundingBox().then((b) => b ?? undefined), { timeoutMs: 10_000, intervalMs: 20 });
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const lens = page.locator('.editor-group-container.active .codelens-decoration a').first();
      const lensSeen = lens.waitFor({ state: 'visible', timeout: FIRST_TRY_MS }).then(() => Date.now() - shown, () => null);
      let hoverMs: number | null = null;
      try {
        await waitFor('the socket() hover', async () => /int socket\(int domain/.test(await hover.innerText({ timeout: 250 })), { timeoutMs: FIRST_TRY_MS, intervalMs: 25 });
        hoverMs = Date.now() - shown;
      } catch {
        await session.screenshot(`first-hover-missed-${window}`);
      }
      samples.push({ window, hoverMs, lensMs: await lensSeen });
      writeSummary(samples); // after every window, so a run cut short still leaves its numbers
    }
    const summary = writeSummary(samples);
    assert.deepEqual(samples.filter((s) => s.hoverMs === null).map((s) => s.window), [], `windows where the first hover never came (${JSON.stringify(summary)})`);
  });
});
