import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { createAnalyzer, type Analyzer, type DocumentInput } from '../../src/core/analysis/index';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
});

function server(n: number): string {
  return `int serve_${n}(int argc, char *argv[])
{
\tint serv_sock = socket(PF_INET, SOCK_STREAM, 0);
\tstruct sockaddr_in serv_addr;
\tserv_addr.sin_port = htons(argc > 1 ? atoi(argv[1]) : PORT + ${n});
\tbind(serv_sock, (struct sockaddr *)&serv_addr, sizeof(serv_addr));
\tlisten(serv_sock, 5);
\treturn serv_sock;
}
`;
}

/** Functions, one inside #ifdef, file-scope statements between them, and trailing blank lines. */
function program(functions: number): string {
  const parts = ['#include <sys/socket.h>\n#define PORT 9190\nint global_sock;\n'];
  for (let i = 0; i < functions; i++) {
    if (i === 2) parts.push(`#ifdef USE_UDP\n${server(i)}#endif\n`);
    else parts.push(server(i));
    if (i === 3) parts.push('global_sock = socket(AF_INET, SOCK_DGRAM, 0);\nconnect(global_sock, 0, 0);\n');
  }
  return `${parts.join('\n')}\n\n\n`;
}

/** Every hover of the text, one per token start, as markdown (or '-' for nothing). */
function allHovers(doc: DocumentInput, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, row) => {
    for (const m of line.matchAll(/\b\w/g)) out.push(analyzer.explainAt(doc, row, m.index!)?.markdown ?? '-');
  });
  return out;
}

/** prepare() with `budgetMs` until done; the number of calls it took (bounded). */
function prepareAll(doc: DocumentInput, budgetMs: number, maxCalls: number): number {
  for (let calls = 1; calls <= maxCalls; calls++) if (analyzer.prepare(doc, budgetMs)) return calls;
  assert.fail(`prepare() not done after ${maxCalls} calls`);
}

describe('analyzer.prepare()', () => {
  it('finishes in resumable slices and changes no hover', () => {
    const text = program(8);
    const cache = analyzer.createTreeCache();
    const prepared = cache.get('file:///prepared.c', 1, text);
    // A budget this small stops after about one scope per call: it only finishes by resuming.
    const calls = prepareAll(prepared, 0.001, 1_000);
    assert.ok(calls > 1, `expected several slices, took ${calls}`);
    assert.equal(analyzer.prepare(prepared, 0.001), true, 'a finished version stays finished');
    const fresh = cache.get('file:///fresh.c', 1, text);
    assert.deepEqual(allHovers(prepared, text), allHovers(fresh, text));
    assert.equal(analyzer.lastFailure, undefined);
  });

  it('does no work without a budget and reports that work remains', () => {
    const doc = analyzer.createTreeCache().get('file:///zero.c', 1, program(3));
    assert.equal(analyzer.prepare(doc, 0), false);
    assert.equal(prepareAll(doc, 50, 10) >= 1, true);
  });

  it('starts afresh on a newer version and its hovers match a fresh parse', () => {
    const text = program(5);
    const cache = analyzer.createTreeCache();
    prepareAll(cache.get('file:///edited.c', 1, text), 50, 10);
    const at = text.indexOf('listen');
    const line = text.slice(0, at).split('\n').length - 1;
    const edited = cache.update('file:///edited.c', 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\tclose(serv_sock);\n' }]);
    const newText = edited.text;
    prepareAll(edited, 50, 10);
    assert.deepEqual(allHovers(edited, newText), allHovers(cache.get('file:///edited-fresh.c', 1, newText), newText));
  });

  it('schedules the whole-file parse of a large unparsed document instead of parsing it in the slice', async () => {
    const text = program(40);
    assert.ok(text.length >= 8 * 1024);
    const doc = analyzer.createTreeCache().get('file:///large.c', 1, () => text);
    assert.equal(analyzer.prepare(doc, 50), false);
    assert.equal(doc.parsed, false);
    for (let turns = 0; !doc.parsed; turns++) {
      assert.ok(turns < 1_000, 'the scheduled parse never ran');
      await nextTurn();
    }
    assert.equal(prepareAll(doc, 1_000, 10) >= 1, true);
  });

  it('steps over long runs of file-scope declarations and still prepares the function after them', () => {
    const text = `${Array.from({ length: 1_500 }, (_, i) => `int x_${i} = ${i};`).join('\n')}\nint main(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n`;
    const doc = analyzer.createTreeCache().get('file:///declarations.c', 1, text);
    assert.ok(doc.tree, 'parsed up front, as after the idle whole-file parse');
    prepareAll(doc, 4, 100);
    const line = text.split('\n').length - 2;
    assert.equal(analyzer.explainAt(doc, line, text.split('\n')[line].indexOf('socket'))?.name, 'socket');
    assert.equal(analyzer.explainAt(doc, 3, 5)?.markdown, analyzer.explainAt(analyzer.createTreeCache().get('file:///d2.c', 1, text), 3, 5)?.markdown);
  });

  it('answers done for text without functions, empty text and input it refuses', () => {
    assert.equal(analyzer.prepare('', 5), true);
    assert.equal(analyzer.prepare('\n\n\n', 5), true);
    assert.equal(analyzer.prepare('int x;\n', 5), true);
    assert.equal(analyzer.prepare('\0\0binary\0', 5), true);
    assert.equal(analyzer.lastFailure, undefined);
  });
});
