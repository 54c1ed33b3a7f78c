import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnalyzer } from '../../src/core/analysis';
import { mainLine, runAnchors } from '../../src/core/editor/runAnchors';

const root = path.join(__dirname, '..', '..');

async function anchorsOf(text: string) {
  const analyzer = await createAnalyzer();
  assert.ok(analyzer.available, analyzer.loadError);
  const cache = analyzer.createTreeCache();
  const doc = cache.get('file:///t.c', 1, text);
  assert.ok(doc.tree);
  const result = runAnchors(doc.tree, analyzer.listCalls(doc));
  assert.deepEqual(runAnchors(doc.tree), result, 'the cheap call scan agrees with the analysis');
  cache.clear();
  return result;
}

test('the hello server: lenses on main and on listen, as a server', async () => {
  const text = fs.readFileSync(path.join(root, 'examples', 'hello_server.c'), 'utf8');
  const lines = text.split('\n');
  const anchors = await anchorsOf(text);
  assert.ok(anchors);
  assert.equal(anchors.kind, 'server');
  assert.deepEqual(anchors.lines, [lines.findIndex((l) => l.startsWith('int main')), lines.findIndex((l) => /\blisten\(/.test(l))]);
});

test('a client connects without listening', async () => {
  const anchors = await anchorsOf(`#include <sys/socket.h>
int main(void)
{
  int s = socket(AF_INET, SOCK_STREAM, 0);
  connect(s, 0, 0);
  return 0;
}
`);
  assert.deepEqual(anchors, { kind: 'client', lines: [1, 4] });
});

test('a UDP server binds without listening', async () => {
  const anchors = await anchorsOf('int main(void) { int s = socket(AF_INET, SOCK_DGRAM, 0); bind(s, 0, 0); recvfrom(s, 0, 0, 0, 0, 0); }\n');
  assert.deepEqual(anchors, { kind: 'server', lines: [0] }, 'one lens when the call shares the line of main');
});

test('no lenses without main or without socket calls', async () => {
  assert.equal(await anchorsOf('int helper(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n'), undefined);
  assert.equal(await anchorsOf('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n'), undefined);
  assert.equal(await anchorsOf(''), undefined);
});

test('main is found with a pointer return type and after other functions', async () => {
  const analyzer = await createAnalyzer();
  const cache = analyzer.createTreeCache();
  const doc = cache.get('file:///m.c', 1, 'static int f(void) { return 0; }\n\nint\nmain(int argc, char **argv)\n{\n  return f();\n}\n');
  assert.equal(mainLine(doc.tree!), 2);
  cache.clear();
});
