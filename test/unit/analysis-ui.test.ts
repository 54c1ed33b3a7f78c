import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadUiStrings } from '../../src/core/analysis/render/ui';
import { placeholdersOf } from '../../src/core/l10n/fill';

const ROOT = path.join(__dirname, '..', '..');
const ui = loadUiStrings(path.join(ROOT, 'knowledge'));

function placeholders(template: string): string[] {
  return placeholdersOf(template).sort();
}

describe('knowledge/ui.json (hover labels)', () => {
  it('has exactly the same keys in English and Korean', () => {
    assert.deepEqual(Object.keys(ui.ko).sort(), Object.keys(ui.en).sort());
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(ui.en)) assert.deepEqual(placeholders(ui.ko[key]), placeholders(ui.en[key]), key);
  });

  it('Korean entries are written in Korean', () => {
    const latinOnly = Object.entries(ui.ko).filter(([, text]) => !/[가-힣]/.test(text) && /[a-z]{3,}/.test(text.replace(/`[^`]*`|\{\w+\}/g, '')));
    assert.deepEqual(latinOnly, []);
  });

  it('defines every key the renderer asks for', () => {
    const dir = path.join(ROOT, 'src', 'core', 'analysis', 'render');
    const used = new Set<string>();
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of source.matchAll(/\bt\(\s*(?:ctx\.)?lang,\s*'([\w.]+)'/g)) used.add(m[1]);
      for (const m of source.matchAll(/\bt\(\s*(?:ctx\.)?lang,\s*`([\w.]+)\$\{/g)) used.add(`${m[1]}*`);
    }
    assert.ok(used.size > 20, `found ${used.size} keys`);
    for (const key of used) {
      if (key.endsWith('*')) assert.ok(Object.keys(ui.en).some((k) => k.startsWith(key.slice(0, -1))), key);
      else assert.ok(key in ui.en, `missing ui key ${key}`);
    }
    for (const role of ['listening', 'connected', 'client', 'datagram', 'socket', 'epoll', 'unknown']) {
      assert.ok(`role.${role}` in ui.en && `roleText.${role}` in ui.en, role);
    }
  });
});
