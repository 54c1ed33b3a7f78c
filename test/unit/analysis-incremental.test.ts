import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createAnalyzer, type Analyzer, type ContentChange } from '../../src/core/analysis/index';
import { LineIndex } from '../../src/core/analysis/text';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
});

const SERVER = `#include <sys/socket.h>
#include <arpa/inet.h>
#define PORT 9190
enum { BACKLOG = 5, SPARE };
/* 서버 😀 */
int main(void)
{
\tint serv_sock = socket(PF_INET, SOCK_STREAM, 0);
\tstruct sockaddr_in serv_addr;
\tserv_addr.sin_port = htons(PORT);
\tbind(serv_sock, (struct sockaddr *)&serv_addr, sizeof(serv_addr));
\tlisten(serv_sock, BACKLOG);
\treturn 0;
}
`;

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

function change(text: string, start: number, end: number, insert: string): ContentChange {
  return { range: { start: positionOf(text, start), end: positionOf(text, end) }, text: insert };
}

/** Every hover of the text, one per token start, as markdown (or '-' for nothing). */
function allHovers(doc: Parameters<Analyzer['explainAt']>[0], text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, row) => {
    for (const m of line.matchAll(/\b\w/g)) out.push(`${row}:${m.index} ${analyzer.explainAt(doc, row, m.index!)?.markdown ?? '-'}`);
  });
  return out;
}

describe('LineIndex.edited', () => {
  it('equals a fresh index after inserting and deleting lines, Korean text and emoji', () => {
    let text = SERVER;
    let index = new LineIndex(text);
    const edits: [string, number, string][] = [
      ['PORT 9190', 4, '\n\n'],
      ['😀', 2, '줄\n바꿈\n'],
      ['\treturn', 0, ''],
      ['int main', 0, '/* a */\n'],
      ['listen', 0, 'x'],
    ];
    for (const [needle, length, insert] of edits) {
      const start = text.indexOf(needle);
      const next = text.slice(0, start) + insert + text.slice(start + length);
      index = index.edited(next, { start, oldEnd: start + length, newEnd: start + insert.length });
      text = next;
      const fresh = new LineIndex(text);
      assert.equal(index.lineCount, fresh.lineCount);
      for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(index.positionAt(offset), fresh.positionAt(offset), `offset ${offset}`);
    }
    // A multi-line deletion: every line start after it shifts back.
    const start = text.indexOf('#define');
    const end = text.indexOf('int main');
    const next = text.slice(0, start) + text.slice(end);
    index = index.edited(next, { start, oldEnd: end, newEnd: start });
    assert.deepEqual(
      Array.from({ length: next.length + 1 }, (_, i) => index.positionAt(i)),
      Array.from({ length: next.length + 1 }, (_, i) => new LineIndex(next).positionAt(i)),
    );
  });
});

describe('analysis of edited versions', () => {
  it('answers every hover like a fresh analysis after each edit, macros and enums included', () => {
    const cache = analyzer.createTreeCache();
    const uri = 'file:///incremental.c';
    let text = SERVER;
    let version = 1;
    analyzer.explainAt(cache.get(uri, version, text), 0, 0);
    // [what, replaced by]: the first occurrence is replaced.
    const edits: [string, string][] = [
      ['serv_addr.sin_port', ' serv_addr.sin_port'], // inside the function: macros are reused
      ['9190', '8080'], // the macro's value changes
      ['BACKLOG = 5', 'BACKLOG = 50'], // an enumerator's value changes
      ['/* 서버', '#define BACKLOG 7\n/* 서버'], // a new macro on a new line
      ['#define BACKLOG 7\n', ''], // and gone again
      ['SPARE };', 'SPARE }'], // the enum body loses its semicolon
      ['htons(PORT)', 'htons(PORT + SPARE)'],
    ];
    for (const [needle, insert] of edits) {
      const start = text.indexOf(needle);
      assert.notEqual(start, -1, needle);
      const length = needle.length;
      const doc = cache.update(uri, ++version, [change(text, start, start + length, insert)]);
      text = text.slice(0, start) + insert + text.slice(start + length);
      assert.equal(doc.text, text);
      assert.deepEqual(doc.edit && { ...doc.edit }, { start, oldEnd: start + length, newEnd: start + insert.length, fromVersion: version - 1 });
      assert.deepEqual(allHovers(doc, text), allHovers(text, text), `after replacing ${JSON.stringify(needle)} with ${JSON.stringify(insert)}`);
    }
    const row = text.split('\n').findIndex((l) => l.includes('htons('));
    const got = analyzer.explainAt(cache.peek(uri, version)!, row, text.split('\n')[row].indexOf('PORT'));
    assert.ok(got?.markdown.includes('port 8131'), `PORT 8080 + SPARE 51 (after BACKLOG = 50), both edited:\n${got?.markdown}`);
    assert.equal(analyzer.lastFailure, undefined, analyzer.lastFailure?.stack);
    cache.clear();
  });

  it('merges the changes of one event into one span (VS Code order: last position first)', () => {
    const cache = analyzer.createTreeCache();
    cache.get('u', 1, SERVER);
    const a = SERVER.indexOf('BACKLOG);');
    const b = SERVER.indexOf('PF_INET');
    const after = SERVER.slice(0, b) + 'AF' + SERVER.slice(b + 2, a) + 'SOMAXCONN' + SERVER.slice(a + 'BACKLOG'.length);
    const doc = cache.update('u', 2, [change(SERVER, a, a + 'BACKLOG'.length, 'SOMAXCONN'), change(SERVER, b, b + 2, 'AF')], after);
    assert.equal(doc.text, after);
    assert.deepEqual(doc.edit && { ...doc.edit }, { start: b, oldEnd: a + 'BACKLOG'.length, newEnd: a + 'SOMAXCONN'.length, fromVersion: 1 });
    assert.deepEqual(allHovers(doc, after), allHovers(after, after));
    cache.clear();
  });
});

describe('first hover on a document', () => {
  it('parses a small file whole at once (file-scope facts from the first hover)', () => {
    const cache = analyzer.createTreeCache();
    const doc = cache.get('file:///small.c', 1, () => SERVER);
    assert.equal(doc.parsed, false);
    const row = SERVER.split('\n').findIndex((l) => l.includes('listen('));
    assert.equal(analyzer.explainAt(doc, row, 2)?.name, 'listen');
    assert.equal(doc.parsed, true);
    cache.clear();
  });

  it('answers a large file from the function around it, then parses the whole file once the event loop is idle', async () => {
    let text = '';
    for (let i = 0; text.length < 100_000; i++) text += SERVER.replace('int main(void)', `int main_${i}(void)`).replace(/^#.*\n|^enum.*\n/gm, '');
    text = SERVER.slice(0, SERVER.indexOf('/*')) + text;
    const lines = text.split('\n');
    const line = lines.findLastIndex((l) => l.includes('htons(PORT)'));
    const character = lines[line].indexOf('PORT');
    const cache = analyzer.createTreeCache();
    const doc = cache.get('file:///large.c', 1, () => text);
    assert.equal(doc.parsed, false);
    const first = analyzer.explainAt(doc, line, character);
    assert.ok(first?.markdown.includes('9190'), first?.markdown);
    assert.equal(first?.markdown, analyzer.explainAt(text, line, character)?.markdown);
    for (let turns = 0; !doc.parsed; turns++) {
      assert.ok(turns < 100_000, 'the background parse never ran');
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(doc.tree);
    assert.equal(analyzer.explainAt(doc, line, character)?.markdown, first?.markdown);
    cache.clear();
    assert.throws(() => doc.tree, /replaced or evicted/);
  });
});
