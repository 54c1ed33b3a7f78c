import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createAnalyzer, MAX_SOURCE_CHARS, type Analyzer, type ContentChange } from '../../src/core/analysis/index';
import type { Tree } from 'web-tree-sitter';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
});

const BASE = `#include <sys/socket.h>
/* 서버: 한국어 주석 😀 */
int main(void)
{
\tint serv_sock = socket(PF_INET, SOCK_STREAM, 0);
\tlisten(serv_sock, 5);
\treturn 0;
}
`;

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** A VS Code-shaped change replacing text[start, end) with `insert`. */
function change(text: string, start: number, end: number, insert: string): ContentChange {
  return { range: { start: positionOf(text, start), end: positionOf(text, end) }, rangeOffset: start, rangeLength: end - start, text: insert };
}

function apply(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function isDeleted(tree: Tree): boolean {
  try {
    void tree.rootNode.type;
    return false;
  } catch {
    return true;
  }
}

describe('TreeCache', () => {
  it('returns the cached tree for the same uri and version', () => {
    const cache = analyzer.createTreeCache();
    const first = cache.get('file:///a.c', 1, BASE);
    assert.ok(first.tree);
    assert.equal(cache.get('file:///a.c', 1, BASE).tree, first.tree);
    assert.equal(cache.peek('file:///a.c', 1)?.tree, first.tree);
    assert.equal(cache.peek('file:///a.c', 2), undefined);
    cache.clear();
  });

  it('after incremental edits (Korean, emoji, multi-line) gives the same tree and analysis as a fresh parse', () => {
    const cache = analyzer.createTreeCache();
    const uri = 'file:///edit.c';
    let text = BASE;
    cache.get(uri, 1, text);
    const anchor = (needle: string): number => {
      const i = text.indexOf(needle);
      assert.notEqual(i, -1, needle);
      return i;
    };
    const edits: [() => number, number, string][] = [
      [() => anchor('listen'), 0, '/* 대기 */ '],
      [() => anchor('return 0;'), 0, 'bind(serv_sock, (struct sockaddr *)&addr, sizeof addr);\n\t'],
      [() => anchor('PF_INET'), 'PF_INET'.length, 'AF_INET'],
      [() => anchor('😀'), 2, '🙂 소켓'],
      [() => anchor('bind('), 0, 'struct sockaddr_in addr;\n\taddr.sin_port = htons(9190);\n\t'],
      [() => anchor('\t/* 대기 */ listen'), '\t/* 대기 */ listen(serv_sock, 5);\n'.length, ''],
      [() => anchor('sizeof addr)'), 'sizeof addr)'.length, ''],
    ];
    let version = 1;
    for (const [at, length, insert] of edits) {
      const start = at();
      const next = apply(text, start, start + length, insert);
      const doc = cache.update(uri, ++version, [change(text, start, start + length, insert)]);
      text = next;
      assert.equal(doc.text, text);
      assert.ok(doc.tree);
      const fresh = analyzer.createTreeCache().get('fresh', 1, text);
      assert.equal(doc.tree.rootNode.toString(), fresh.tree!.rootNode.toString(), `tree differs after inserting ${JSON.stringify(insert)}`);
      assert.deepEqual(analyzer.listCalls(doc), analyzer.listCalls(text));
    }
    const calls = analyzer.listCalls(cache.peek(uri, version)!);
    assert.deepEqual(calls.map((c) => c.name), ['socket', 'htons', 'bind']);
    assert.equal(calls.find((c) => c.name === 'bind')?.recovered, true, 'the unclosed bind( is recovered');
    cache.clear();
  });

  it('applies several changes of one event in VS Code order (last position first)', () => {
    const cache = analyzer.createTreeCache();
    cache.get('u', 1, BASE);
    const a = BASE.indexOf('5)');
    const b = BASE.indexOf('PF_INET');
    const changes = [change(BASE, a, a + 1, 'SOMAXCONN'), change(BASE, b, b + 2, 'AF')];
    const expected = apply(apply(BASE, a, a + 1, 'SOMAXCONN'), b, b + 2, 'AF');
    const doc = cache.update('u', 2, changes, expected);
    assert.equal(doc.text, expected);
    assert.equal(doc.tree!.rootNode.toString(), analyzer.createTreeCache().get('x', 1, expected).tree!.rootNode.toString());
    assert.deepEqual(analyzer.listCalls(doc)[1].args.map((x) => x.text), ['serv_sock', 'SOMAXCONN']);
    cache.clear();
  });

  it('reparses from scratch when its text disagrees with the editor (missed event)', () => {
    const cache = analyzer.createTreeCache();
    cache.get('u', 1, BASE);
    const actual = BASE.replace('listen(serv_sock, 5);', 'close(serv_sock);');
    const doc = cache.update('u', 3, [change(BASE, 0, 0, '')], actual);
    assert.equal(doc.text, actual);
    assert.deepEqual(analyzer.listCalls(doc).map((c) => c.name), ['socket', 'close']);
    cache.clear();
  });

  it('evicts the least recently used tree beyond its bound and frees it', () => {
    const cache = analyzer.createTreeCache(2);
    const a = cache.get('a', 1, BASE).tree!;
    const b = cache.get('b', 1, BASE).tree!;
    cache.get('a', 1, BASE);
    const c = cache.get('c', 1, BASE).tree!;
    assert.equal(cache.size, 2);
    assert.equal(isDeleted(b), true, 'b was least recently used');
    assert.equal(isDeleted(a), false);
    assert.equal(isDeleted(c), false);
    assert.equal(cache.peek('b', 1), undefined);
    const a2 = cache.update('a', 2, [change(BASE, 0, 0, '// x\n')]).tree!;
    assert.equal(isDeleted(a), true, 'the edited tree is replaced and freed');
    cache.delete('c');
    assert.equal(isDeleted(c), true);
    cache.clear();
    assert.equal(isDeleted(a2), true);
    assert.equal(cache.size, 0);
  });

  it('keeps no tree for text over the size limit, and parses again once it shrinks', () => {
    const cache = analyzer.createTreeCache();
    const huge = BASE + '/*' + 'x'.repeat(MAX_SOURCE_CHARS) + '*/\n';
    const big = cache.get('h', 1, huge);
    assert.equal(big.tree, undefined);
    assert.deepEqual(analyzer.listCalls(big), analyzer.listCalls(huge));
    assert.deepEqual(analyzer.listCalls(huge), []);
    const start = BASE.length;
    const doc = cache.update('h', 2, [change(huge, start, huge.length, '')]);
    assert.equal(doc.text, BASE);
    assert.ok(doc.tree);
    assert.deepEqual(analyzer.listCalls(doc).map((c) => c.name), ['socket', 'listen']);
    cache.clear();
  });
});
