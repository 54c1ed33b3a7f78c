/**
 * Every function in the knowledge base is picked up by the analysis once it has a file: a call of it is listed
 * with its summary and its arguments matched to the parameter names, and hovering its name shows its card
 * in English and in Korean. Guards against a query or filter that knows only some of the covered names (the
 * calls the runner traces, such as ppoll, sendmmsg or sendfile, must be explained like the classic ones).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import type { FunctionEntry } from '../../src/core/knowledge/schema';

let analyzer: Analyzer;
let functions: FunctionEntry[];
/** One statement per line: `\tname(a1, a2, ...);`, the name starting at column 1 (0-based). */
let text: string;
/** First line of the calls (0-based). */
const FIRST_LINE = 2;

before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
  functions = [...analyzer.kb.functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  const calls = functions.map((f) => `\t${f.name}(${f.params.map((_, i) => `a${i + 1}`).join(', ')});`);
  text = ['int a1, a2, a3, a4, a5, a6;', 'void probe(void) {', ...calls, '}', ''].join('\n');
});

test('a call of every knowledge-base function is listed, with its arguments named after its parameters', () => {
  const listed = analyzer.listCalls(text);
  assert.deepEqual(listed.map((c) => c.name), functions.map((f) => f.name));
  for (const [i, call] of listed.entries()) {
    const entry = functions[i];
    assert.equal(call.line, FIRST_LINE + i, `${entry.name}: line`);
    assert.equal(call.summary, entry.en.summary, `${entry.name}: summary`);
    assert.deepEqual(call.args.map((a) => a.param), entry.params.map((p) => p.name), `${entry.name}: parameters`);
  }
});

test('hovering each function name shows its card in English and in Korean', () => {
  const problems: string[] = [];
  for (const [i, entry] of functions.entries()) {
    for (const lang of ['en', 'ko'] as const) {
      const got = analyzer.explainAt(text, FIRST_LINE + i, 1, lang);
      if (got?.kind !== 'function' || got.name !== entry.name) {
        problems.push(`${entry.name} (${lang}): got ${got ? `${got.kind} ${got.name}` : 'nothing'}`);
        continue;
      }
      const full = got.more?.markdown ?? '';
      if (!full.includes(entry[lang].summary)) problems.push(`${entry.name} (${lang}): full card lacks the summary`);
      const last = entry.params.at(-1);
      if (last && !full.includes(`*${last.name}*`)) problems.push(`${entry.name} (${lang}): full card lacks the argument *${last.name}*`);
      if (!got.markdown.includes(entry[lang].summary)) problems.push(`${entry.name} (${lang}): hover lacks what the call does`);
      const story = entry[lang].story;
      if (story && !full.includes(`> ${story}`)) problems.push(`${entry.name} (${lang}): full card lacks the story`);
      if (!got.markdown.includes(entry[lang].returns)) problems.push(`${entry.name} (${lang}): hover lacks the return value`);
      if (/\*\*[^*\n]+\*\*\n*$|\*\*[^*\n]+\*\*\n\n\*\*/.test(got.markdown)) problems.push(`${entry.name} (${lang}): an empty section`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a function file added to the knowledge base is listed and explained with no code change', async () => {
  const base = analyzer.kb;
  const model = base.functions.get('epoll_create1')!;
  const added = {
    ...model,
    name: 'classic_create',
    signature: 'int classic_create(int size)',
    params: [{ name: 'size', type: 'int' }],
    en: { ...model.en, params: { size: { meaning: 'A size hint.' } } },
    ko: { ...model.ko, params: { size: { meaning: '크기 힌트입니다.' } } },
  };
  const extended = await createAnalyzer({ ...base, functions: new Map([...base.functions, ['classic_create', added]]) });
  const source = 'int main(void)\n{\n\tint ep = classic_create(16);\n\treturn ep;\n}\n';
  assert.deepEqual(extended.listCalls(source).map((c) => c.name), ['classic_create']);
  const card = extended.explainAt(source, 2, 12);
  assert.equal(card?.kind, 'function');
  assert.equal(card?.name, 'classic_create');
  assert.ok(card?.more?.markdown.includes('int classic_create(int size);'));
  assert.equal(extended.socketsAt(source, 2, 12)?.get('ep')?.role, 'epoll', 'returnsDescriptor from the data names the descriptor');
});
