import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import en from '../../src/webview/i18n/en.json';
import ko from '../../src/webview/i18n/ko.json';
import { fill, translator } from '../../src/webview/strings.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

test('English and Korean panel strings have the same keys, none empty, same placeholders', () => {
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const [key, english] of Object.entries(en)) {
    const korean = (ko as Record<string, string>)[key]!;
    assert.ok(english.trim() && korean.trim(), `empty string for ${key}`);
    assert.deepEqual(placeholders(korean), placeholders(english), `placeholders differ for ${key}`);
  }
});

test('Korean strings are translated, not copied (except technical labels)', () => {
  const sameAllowed = new Set(['run.pid', 'fd.col.fd', 'fd.col.pid', 'role.udp', 'role.epoll', 'proc.who', 'timeline.filter.fd', 'step.fd']);
  for (const [key, english] of Object.entries(en)) {
    if (sameAllowed.has(key)) continue;
    assert.notEqual((ko as Record<string, string>)[key], english, `${key} is not translated`);
  }
});

test('fill replaces known placeholders and leaves unknown ones visible', () => {
  assert.equal(fill('port {port} of {host}', { port: 9190 }), 'port 9190 of {host}');
  assert.equal(translator('ko')('run.port', { port: 80 }), '포트 80');
});

test('the panel source never parses strings as HTML', () => {
  const root = path.join(__dirname, '../../src/webview');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 5);
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\(\s*['"]style/, file);
  }
});
