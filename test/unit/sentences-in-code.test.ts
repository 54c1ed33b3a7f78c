/**
 * Facts and user-visible sentences live in data (knowledge/, l10n/, src/webview/i18n/), never in code: this scans
 * every string literal under src/ and fails on Korean text or an English sentence, except the message ids of the
 * l10n bundles (the literal is the key; its text in every language is in l10n/), developer diagnostics
 * (`console.*`, `new …Error(...)`: the errors a user reads are LocalizedErrors and take message ids only) and the explicit allow-list below.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');

/** Files allowed to hold sentences, each with the reason. Keep it short. */
const ALLOWED_FILES: Record<string, string> = {
  'src/core/l10n/particles.ts': 'the Korean particles themselves (the mechanism that chooses them)',
};

/** Single literals allowed, as "file: start of the text", each with the reason. */
const ALLOWED_LITERALS: Record<string, string> = {
  'src/core/editor/liveClients.ts: not a loopback address: ': 'the `client` event message is English-only in event schema v2',
  'src/core/editor/liveClients.ts: at most ': 'the `client` event message is English-only in event schema v2',
  'src/core/editor/liveClients.ts: not sent: the client is closing or ': 'the `client` event message is English-only in event schema v2',
  'src/core/editor/liveClients.ts:  texts already wait for the connection': 'the `client` event message is English-only in event schema v2',
  'src/core/runner/run.ts: the test client only uses loopback; the program is bound to ': 'the `client` event message is English-only in event schema v2',
  'src/core/runner/run.ts: an unknown address': 'the `client` event message is English-only in event schema v2',
  'src/core/runner/testClient.ts: no answer before the program ended': 'the `client` event message is English-only in event schema v2',
};

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;
/** Four or more words in a row: a sentence or a phrase a person reads. */
const ENGLISH_SENTENCE = /[A-Za-z]+(?:'[a-z]+)?(?:[ ,;:]+[A-Za-z]+(?:'[a-z]+)?){3,}/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

const messageIds = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>));

/** Inside `console.x(...)` or `new SomeError(...)`: text for developers, not for the learner. */
function isDiagnostic(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.getText() === 'console') return true;
    // errors of the code (Error, MalformedRecordError …); the ones a user reads (UsageError, RunnerSetupError) only take message ids
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text.endsWith('Error')) return true;
    if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Sentences and Korean text written in the code of `files` (paths relative to `base`). */
export function sentencesInCode(base: string, files: string[]): Finding[] {
  const found: Finding[] = [];
  for (const file of files) {
    const rel = path.relative(base, file).split(path.sep).join('/');
    if (ALLOWED_FILES[rel]) continue;
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      let text: string | undefined;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) text = node.text;
      const inImport = text !== undefined && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || ts.isExternalModuleReference(node.parent));
      if (text !== undefined && !inImport && (HANGUL.test(text) || ENGLISH_SENTENCE.test(text))) {
        const allowed = messageIds.has(text) || isDiagnostic(node) || ALLOWED_LITERALS[`${rel}: ${text}`] !== undefined;
        if (!allowed) found.push({ file: rel, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

test('no fact or user-visible sentence is written in code under src/', () => {
  const findings = sentencesInCode(root, sourceFiles(path.join(root, 'src')));
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line}: ${f.text}`), []);
});

test('the allow-lists name only what still exists', () => {
  for (const file of Object.keys(ALLOWED_FILES)) assert.ok(fs.existsSync(path.join(root, file)), file);
  for (const key of Object.keys(ALLOWED_LITERALS)) {
    const [file, text] = [key.slice(0, key.indexOf(': ')), key.slice(key.indexOf(': ') + 2)];
    assert.ok(fs.readFileSync(path.join(root, file), 'utf8').includes(text.trim()), key);
  }
});

test('the scanner finds a Korean sentence, an English sentence and a fact written in code', () => {
  const dir = fs.mkdtempSync(path.join(root, '.sentence-scan-'));
  try {
    const file = path.join(dir, 'sample.ts');
    fs.writeFileSync(
      file,
      [
        "export const a = '프로그램이 끝났습니다';",
        "export const b = `The program ended with code ${1}.`;",
        "export const c = 'SO_REUSEADDR lets bind reuse a port in TIME_WAIT';",
        "export const d = 'fd';",
        "export const e = 'SockLens: live sockets';",
        "console.error('SockLens: the parser failed to load here');",
      ].join('\n'),
    );
    const found = sentencesInCode(dir, [file]).map((f) => f.line);
    assert.deepEqual(found, [1, 2, 3], 'Korean, an English sentence, a fact; not a short word, a message id or a console diagnostic');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
