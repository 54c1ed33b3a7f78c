import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** Every `%key%` placeholder used anywhere in package.json. */
function manifestKeys(value: unknown, keys = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) keys.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) manifestKeys(v, keys);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) manifestKeys(v, keys);
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

interface Found {
  messages: Set<string>;
  problems: string[];
}

/** Functions and error classes whose first argument is a message of the l10n bundles (src/core/l10n). */
const MESSAGE_CALLS = new Set(['t', 'text', 'bilingual']);
const MESSAGE_ERRORS = new Set(['LocalizedError', 'RunnerSetupError', 'AutoArgumentsError', 'UsageError']);

/** The message of every such call anywhere under src/; the message must be a literal. */
function l10nMessages(): Found {
  const found: Found = { messages: new Set(), problems: [] };
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    // only files that use the bundles (the hovers' and the panel's own `t` read other tables)
    const usesBundles = /from '(?:\.\/text|[./]*l10n\/(?:uiText|messages))'|new (?:RunnerSetupError|AutoArgumentsError|UsageError)\(|cliText/.test(text);
    if (!usesBundles || path.relative(root, file).startsWith(path.join('src', 'core', 'l10n'))) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      const isMessageCall =
        (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && MESSAGE_CALLS.has(node.expression.text)) ||
        (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && MESSAGE_ERRORS.has(node.expression.text));
      const first = isMessageCall ? node.arguments?.[0] : undefined;
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) found.messages.add(first.text);
      else if (first && (ts.isIdentifier(first) || ts.isPropertyAccessExpression(first))) {
        // a constant typed UiMessage (a usage text, a command's summary): its literal is collected below
      } else if (first) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.problems.push(`${path.relative(root, file)}:${line + 1}: a message of the l10n bundles must be a string literal`);
      }
      if (ts.isVariableDeclaration(node) && node.type?.getText(source) === 'UiMessage' && node.initializer && (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))) {
        found.messages.add(node.initializer.text);
      }
      if (ts.isPropertyAssignment(node) && ['summary', 'usage'].includes(node.name.getText(source)) && ts.isStringLiteral(node.initializer)) {
        found.messages.add(node.initializer.text); // Command.summary is a UiMessage
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Argument numbers a message uses; a Korean `{0|로}` is argument 0 with its particle. */
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\d+)(?:\|[^}]+)?\}/g)].map((m) => m[1]).sort();

test('package.json: every %key% has English and Korean text, and both files have the same keys', () => {
  const used = manifestKeys(readJson('package.json'));
  const en = readJson('package.nls.json') as Record<string, string>;
  const ko = readJson('package.nls.ko.json') as Record<string, string>;
  assert.ok(used.size > 0);
  for (const key of used) {
    assert.ok(en[key]?.trim(), `package.nls.json lacks ${key}`);
    assert.ok(ko[key]?.trim(), `package.nls.ko.json lacks ${key}`);
  }
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort(), 'package.nls.json and package.nls.ko.json have the same keys');
  for (const key of Object.keys(en)) assert.ok(used.has(key), `package.nls.json has ${key}, which package.json never uses`);
});

test('l10n bundles: every message used under src/ has a Korean translation with the same placeholders', () => {
  const { messages, problems } = l10nMessages();
  assert.deepEqual(problems, []);
  const en = readJson('l10n/bundle.l10n.json') as Record<string, string>;
  const ko = readJson('l10n/bundle.l10n.ko.json') as Record<string, string>;
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort(), 'the English and the Korean bundle have the same messages');
  for (const [key, text] of Object.entries(en)) assert.equal(text, key, 'the English bundle maps each message to itself');
  const displayLanguageOnly = sourceFiles(path.join(root, 'src')).filter((f) => /\bl10n\.t\(/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(displayLanguageOnly, [], 'vscode.l10n.t follows the display language, not socklens.language: use t() from text.ts');
  const missing = [...messages].filter((m) => !ko[m]?.trim());
  assert.deepEqual(missing, [], 'messages without a Korean translation in l10n/bundle.l10n.ko.json');
  const stale = Object.keys(ko).filter((m) => !messages.has(m));
  assert.deepEqual(stale, [], 'translations of messages the code no longer uses');
  for (const m of messages) assert.deepEqual(placeholders(ko[m]), placeholders(m), `placeholders of "${m}"`);
});
