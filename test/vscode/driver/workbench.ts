// Driving the VS Code workbench UI in the browser the way a user does: keyboard, mouse, visible widgets.
import type { Frame, Locator, Page } from 'playwright-core';
import { waitFor } from './wait';

/** An inline decoration's text (`contentText` of an after/before decoration) with the text of its line. */
export interface InlineNote {
  lineText: string;
  text: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await this.page.locator('.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
  }

  /** The editor that has keyboard focus (or the only visible one). */
  private activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Waits until the active editor tab shows `fileName`. */
  async waitForEditor(fileName: string): Promise<void> {
    await this.page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 60_000 });
    await this.activeEditor().locator('.view-lines').waitFor({ timeout: 60_000 });
  }

  /** Opens the quick-input with a prefix (`>` commands, `:` go to line) and types `text`. */
  private async quickInput(prefixKey: string, text: string): Promise<void> {
    await this.page.keyboard.press(prefixKey);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.pressSequentially(text, { delay: 5 });
  }

  /**
   * Places the cursor with Go to Line/Column: 1-based line and character (a tab counts as one character,
   * unlike the status bar's visual "Col").
   */
  async goToLineColumn(line: number, column: number): Promise<void> {
    await this.activeEditor().click({ position: { x: 200, y: 10 } });
    await this.quickInput('Control+G', `${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
    await waitFor(
      `the cursor on line ${line}`,
      async () => (await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText()).startsWith(`Ln ${line},`),
      { timeoutMs: 15_000 },
    );
  }

  /** Runs a palette command by its label (F1 then the label, Enter on the matching entry). */
  async runCommand(label: string): Promise<void> {
    await this.quickInput('F1', label);
    const item = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    // The palette closes, or turns into the command's own input box (which no longer starts with '>').
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await waitFor(`the palette to run "${label}"`, async () => !(await widget.isVisible()) || !(await input.inputValue()).startsWith('>'), {
      timeoutMs: 30_000,
    });
  }

  /**
   * Moves the real mouse onto the character right after the cursor, waits for the hover widget and returns
   * its text. Monaco shows a hover only after the pointer rests there, so this moves away first.
   */
  async hoverAtCursor(expect: RegExp, timeoutMs = 60_000): Promise<string> {
    const cursor = this.activeEditor().locator('.cursors-layer .cursor').first();
    await cursor.waitFor({ state: 'attached', timeout: 15_000 });
    const hoverWidget = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-editor-hover:not(.hidden) .hover-contents').first();
    return waitFor(
      `a hover matching ${expect}`,
      async () => {
        const box = await cursor.boundingBox();
        if (!box) return undefined;
        await this.page.mouse.move(5, 5);
        await this.page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 3 });
        await hoverWidget.waitFor({ state: 'visible', timeout: 5_000 });
        const text = await waitFor('the hover to finish loading', async () => {
          const t = await hoverWidget.innerText();
          return expect.test(t) ? t : undefined;
        }, { timeoutMs: 5_000 });
        return text;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  /** Leaves the hover (mouse away, Escape) so the next step starts clean. */
  async dismissHover(): Promise<void> {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
  }

  /** Clicks the first visible CodeLens whose title matches (lenses scrolled out of view stay in the DOM, hidden). */
  async clickCodeLens(title: RegExp, timeoutMs = 60_000): Promise<void> {
    const lens = this.activeEditor().locator('.codelens-decoration a', { hasText: title }).filter({ visible: true }).first();
    await lens.waitFor({ state: 'visible', timeout: timeoutMs });
    await lens.click();
  }

  /** Answers an input box (showInputBox) with `value`, replacing the suggested text; returns the suggestion. */
  async answerInputBox(value: string | ((suggested: string) => string), timeoutMs = 60_000): Promise<string> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    const suggested = await input.inputValue();
    await input.fill(typeof value === 'string' ? value : value(suggested));
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
    return suggested;
  }

  /**
   * The content frame of a webview panel. In code-server a webview is an `iframe.webview` in the workbench
   * whose document hosts the extension's page in a nested `iframe#active-frame`.
   */
  webview(timeoutMs = 90_000): Promise<Frame> {
    return waitFor(
      'a webview to show its content',
      async () => {
        for (const frame of this.page.frames()) {
          if (frame.name() === 'active-frame' || /\/fake\.html/.test(frame.url())) {
            const hasBody = await frame.evaluate(() => document.body !== null && document.body.childElementCount > 0).catch(() => false);
            if (hasBody) return frame;
          }
        }
        return undefined;
      },
      { timeoutMs, intervalMs: 300 },
    );
  }

  /**
   * Inline notes in the active editor: the text of `before`/`after` decorations (rendered by Monaco as CSS
   * pseudo-element content), each with the text of the line it sits on.
   */
  async inlineNotes(): Promise<InlineNote[]> {
    return this.activeEditor().evaluate((editor) => {
      const notes: Array<{ lineText: string; text: string }> = [];
      for (const line of Array.from(editor.querySelectorAll('.view-lines .view-line'))) {
        for (const span of Array.from(line.querySelectorAll('span'))) {
          for (const pseudo of ['::after', '::before']) {
            const content = getComputedStyle(span, pseudo).content;
            if (content && content !== 'none' && content !== 'normal' && content !== '""') {
              notes.push({ lineText: (line.textContent ?? '').replace(/\u00a0/g, ' '), text: content.replace(/^"|"$/g, '').replace(/\\"/g, '"') });
            }
          }
        }
      }
      return notes;
    });
  }

  /** Waits for a notification toast whose text matches and returns its text. */
  async waitForNotification(text: RegExp, timeoutMs = 60_000): Promise<string> {
    const toast = this.page.locator('.notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast.innerText();
  }

  /** The status bar's text (all items), for "SockLens: listening …" style checks. */
  async statusBarText(): Promise<string> {
    return this.page.locator('.statusbar').innerText();
  }
}
