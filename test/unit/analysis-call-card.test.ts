/** The call-site card: its essentials fit a hover without scrolling, the full card is one click away. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { fixtureNames, readFixture } from './analysis-fixture-helpers';

/**
 * A hover in a 1400×900 window is at most about 250 px high (code-server 1.100: a quarter of the editor, at least
 * 250 px; see .test-output/vscode/hover-en.png) and about 100 characters wide: some 13 lines of text, a blank line
 * being half a line of spacing. This estimate counts a line per started 100 characters, which overcounts
 * proportional text; a card of 17 estimated lines is about what a 250 px hover holds (the socket() card, 12, is seen whole there).
 */
const MAX_LINES = 17;
const LINE_CHARS = 100;

function renderedLines(markdown: string): number {
  return markdown.split('\n').reduce((sum, line) => sum + (line.trim() === '' ? 0.5 : Math.ceil(line.length / LINE_CHARS)), 0);
}

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
});

test('every call in every fixture: the essentials fit a hover, with a link label and a longer full card', () => {
  const problems: string[] = [];
  for (const name of fixtureNames()) {
    const { text } = readFixture(name);
    for (const call of analyzer.listCalls(text)) {
      for (const lang of ['en', 'ko'] as const) {
        const got = analyzer.explainAt(text, call.line, call.character, lang);
        if (got?.kind !== 'function') continue;
        const lines = renderedLines(got.markdown);
        if (lines > MAX_LINES) problems.push(`${name}.c:${call.line + 1} ${call.name}() (${lang}): ${lines} lines`);
        if (!got.more || got.more.markdown.length <= got.markdown.length || got.more.label === '') problems.push(`${name}.c:${call.line + 1} ${call.name}() (${lang}): no full card`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
