import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledgeBase } from '../../src/core/knowledge/loader';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { grammars: { path: string; scopeName: string; injectTo: string[] }[] };
};
const contributed = manifest.contributes.grammars.find((g) => g.scopeName === 'socklens.socket-api.injection');
assert.ok(contributed, 'package.json contributes the socket API injection grammar');
interface Rule {
  match: string;
  name: string;
}
const grammar = JSON.parse(fs.readFileSync(path.join(root, contributed.path), 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, Rule>;
};
const kb = loadKnowledgeBase(path.join(root, 'knowledge'));

function ruleFor(scope: string): RegExp {
  const rule = Object.values(grammar.repository).find((r) => r.name === scope);
  assert.ok(rule, `the grammar has a rule for ${scope}`);
  return new RegExp(rule.match, 'g');
}

function matches(re: RegExp, line: string): string[] {
  return [...line.matchAll(re)].map((m) => m[0]);
}

test('the grammar injects into C outside comments and strings', () => {
  assert.equal(grammar.scopeName, contributed.scopeName);
  assert.deepEqual(contributed.injectTo, ['source.c']);
  assert.match(grammar.injectionSelector, /source\.c/);
  assert.match(grammar.injectionSelector, /-comment/);
  assert.match(grammar.injectionSelector, /-string/);
});

test('every knowledge-base function is scoped support.function.socket.c when called', () => {
  const re = ruleFor('support.function.socket.c');
  assert.ok(kb.functions.size > 0);
  for (const name of kb.functions.keys()) {
    assert.deepEqual(matches(re, `  x = ${name} (a, b);`), [name], `${name}( is a socket function call`);
  }
});

test('every knowledge-base constant is scoped support.constant.socket.c', () => {
  const re = ruleFor('support.constant.socket.c');
  assert.ok(kb.constants.size > 0);
  for (const name of kb.constants.keys()) {
    assert.deepEqual(matches(re, `f(${name}, 0);`), [name], `${name} is a socket constant`);
  }
});

test('every knowledge-base struct and type is scoped support.type.socket.c', () => {
  if (kb.structs.size === 0) return;
  const re = ruleFor('support.type.socket.c');
  for (const name of kb.structs.keys()) assert.deepEqual(matches(re, `struct ${name} a;`), [name]);
});

test('names that only contain a covered name are left alone', () => {
  const fn = ruleFor('support.function.socket.c');
  assert.deepEqual(matches(fn, 'my_bind(x); bindings(y); socket_count = 1; bind(fd, a, n);'), ['bind']);
  assert.deepEqual(matches(fn, 'int socket;'), [], 'a variable named like a function is not a call');
  const constant = ruleFor('support.constant.socket.c');
  assert.deepEqual(matches(constant, 'MY_AF_INET AF_INET6X AF_INET'), ['AF_INET']);
});
