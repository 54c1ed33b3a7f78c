import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseLanguage } from '../../src/core/editor/language';
import { DEFAULT_SETTINGS, readSettings, SETTING_KEYS } from '../../src/core/editor/settings';

test('language: the setting wins, auto follows a Korean display language', () => {
  assert.equal(chooseLanguage('en', 'ko'), 'en');
  assert.equal(chooseLanguage('ko', 'en-US'), 'ko');
  assert.equal(chooseLanguage('auto', 'ko'), 'ko');
  assert.equal(chooseLanguage('auto', 'ko-KR'), 'ko');
  assert.equal(chooseLanguage('auto', 'KO'), 'ko');
  assert.equal(chooseLanguage('auto', 'en'), 'en');
  assert.equal(chooseLanguage('auto', 'kok'), 'en', 'Konkani is not Korean');
  assert.equal(chooseLanguage('auto', 'zh-cn'), 'en');
  assert.equal(chooseLanguage(undefined, 'ko'), 'ko');
  assert.equal(chooseLanguage('fr', 'en'), 'en', 'an unknown setting falls back to auto');
});

test('settings: values of the wrong type fall back to the defaults', () => {
  assert.deepEqual(readSettings(() => undefined), DEFAULT_SETTINGS);
  const bad: Record<string, unknown> = {
    [SETTING_KEYS.language]: 'de',
    [SETTING_KEYS.compilerPath]: '   ',
    [SETTING_KEYS.compilerFlags]: ['-Wall', 3],
    [SETTING_KEYS.defaultArguments]: 9190,
    [SETTING_KEYS.inlineResults]: 'yes',
    [SETTING_KEYS.codeLens]: null,
  };
  assert.deepEqual(readSettings((k) => bad[k]), DEFAULT_SETTINGS);
});

test('settings: valid values are used as given', () => {
  const good: Record<string, unknown> = {
    [SETTING_KEYS.language]: 'ko',
    [SETTING_KEYS.compilerPath]: ' /usr/bin/clang ',
    [SETTING_KEYS.compilerFlags]: ['-O0'],
    [SETTING_KEYS.defaultArguments]: '9190',
    [SETTING_KEYS.inlineResults]: false,
    [SETTING_KEYS.keepInlineResultsAfterStop]: true,
    [SETTING_KEYS.codeLens]: false,
    [SETTING_KEYS.panelTextSize]: 'larger',
  };
  assert.deepEqual(readSettings((k) => good[k]), {
    language: 'ko',
    compilerPath: '/usr/bin/clang',
    compilerFlags: ['-O0'],
    defaultArguments: '9190',
    inlineResults: false,
    keepInlineResultsAfterStop: true,
    codeLens: false,
    panelTextSize: 'larger',
  });
});

test('settings: every key is declared in package.json with the same default', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const declared = manifest.contributes.configuration.properties;
  for (const [field, key] of Object.entries(SETTING_KEYS)) {
    const property = declared[`socklens.${key}`];
    assert.ok(property, `socklens.${key} is declared`);
    assert.deepEqual(property.default, DEFAULT_SETTINGS[field as keyof typeof SETTING_KEYS], `default of socklens.${key}`);
  }
});
