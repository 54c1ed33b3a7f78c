/** The call-site card: its essentials fit a hover without scrolling, the full card is one click away. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { fixtureNames, readFixture } from './analysis-fixture-helpers';

/** A hover at 1400×900 shows about 20 lines of about 100 characters; a blank line is half a line of spacing. */
const MAX_LINES = 20;
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
