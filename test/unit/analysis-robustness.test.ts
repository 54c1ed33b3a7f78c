import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { checkSource, createAnalyzer, findPortArgument, MAX_SOURCE_CHARS, type Analyzer } from '../../src/core/analysis/index';
import { FIXTURE_DIR } from './analysis-fixture-helpers';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
});

const SERVER = fs.readFileSync(path.join(FIXTURE_DIR, 'textbook_server.c'), 'utf8');

/** A deterministic byte soup with NULs, like an object file opened by mistake. */
function binaryBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

describe('analysis on hostile input', () => {
  it('a 5 MB C file gets no explanation, quickly and without an error', () => {
    const chunk = 'int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n';
    const text = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
    assert.ok(text.length >= 5 * 1024 * 1024);
    assert.equal(checkSource(text), 'too-large');
    const started = performance.now();
    assert.deepEqual(analyzer.listCalls(text), []);
    assert.equal(analyzer.explainAt(text, 0, 22), undefined);
    assert.equal(analyzer.findPortArgument(text), undefined);
    assert.ok(performance.now() - started < 2000, 'refused without parsing');
  });

  it('the size limit sits exactly at MAX_SOURCE_CHARS', () => {
    assert.equal(checkSource('x'.repeat(MAX_SOURCE_CHARS)), 'ok');
    assert.equal(checkSource('x'.repeat(MAX_SOURCE_CHARS + 1)), 'too-large');
  });

  it('a 300 kB file of many servers is explained, and a hover needs only its own function', () => {
    let text = '';
    for (let i = 0; text.length < 300_000; i++) text += SERVER.replace('int main(int argc', `int main_${i}(int argc`);
    analyzer.warmUp();
    const cache = analyzer.createTreeCache();
    const doc = cache.get('big', 1, text);
    assert.ok(doc.tree);
    const lines = text.split('\n');
    const line = lines.findLastIndex((l) => l.includes('/*@bind-name*/bind('));
    const started = performance.now();
    const got = analyzer.explainAt(doc, line, lines[line].indexOf('bind('));
    const elapsed = performance.now() - started;
    assert.equal(got?.kind, 'function');
    assert.ok(got?.markdown.includes('0.0.0.0:<argv[1]>'));
    assert.ok(elapsed < 2000, `first hover took ${elapsed} ms`);
    const character = lines[line].indexOf('bind(');
    const around = analyzer.explainAround(text, line, character);
    assert.equal(around?.markdown, analyzer.explainAt(doc, line, character)?.markdown, 'the windowed parse gives the same card');
    const socketLine = lines.findLastIndex((l) => l.includes('/*@bind-fd*/serv_sock'));
    const socketCharacter = lines[socketLine].indexOf('/*@bind-fd*/') + '/*@bind-fd*/'.length;
    assert.equal(analyzer.explainAround(text, socketLine, socketCharacter)?.markdown, analyzer.explainAt(doc, socketLine, socketCharacter)?.markdown);
    cache.clear();
  });

  it('a binary file (NUL bytes) gets no explanation', () => {
    const text = binaryBytes(64 * 1024).toString('utf8');
    assert.equal(checkSource(text), 'binary');
    assert.deepEqual(analyzer.listCalls(text), []);
    assert.equal(analyzer.explainAt(text, 0, 0), undefined);
  });

  it('invalid UTF-8 without NULs is treated as binary', () => {
    const bytes = binaryBytes(4096).map((b) => (b === 0 ? 0xff : b | 0x80));
    const text = Buffer.from(bytes).toString('utf8');
    assert.equal(text.includes('\u0000'), false);
    assert.equal(checkSource(text), 'binary');
    assert.deepEqual(analyzer.listCalls(text), []);
  });

  it('an empty file and positions outside the text give nothing', () => {
    assert.deepEqual(analyzer.listCalls(''), []);
    assert.equal(analyzer.explainAt('', 0, 0), undefined);
    assert.equal(analyzer.explainAt(SERVER, 9999, 0), undefined);
    assert.equal(analyzer.explainAt(SERVER, 0, 9999), undefined);
    assert.equal(analyzer.explainAt(SERVER, -1, 0), undefined);
  });

  it('garbage C (unbalanced braces, unterminated strings and comments) never throws', () => {
    const inputs = ['{{{{ socket(', ')))) bind(fd, "unterminated', '/* never closed socket(AF_INET', 'listen(,,,,);', '#define X(\nX(socket(', "accept('\\", 'socket(AF_INET SOCK_STREAM 0)'];
    for (const text of inputs) {
      const calls = analyzer.listCalls(text);
      assert.ok(Array.isArray(calls));
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character++) analyzer.explainAt(text, line, character, 'ko');
      }
    }
    assert.equal(analyzer.lastFailure, undefined, analyzer.lastFailure?.stack);
  });

  it('a tree deleted under the caller gives "nothing", not an exception', async () => {
    const isolated = await createAnalyzer(analyzer.kb);
    const cache = isolated.createTreeCache();
    const doc = cache.get('gone', 1, SERVER);
    cache.delete('gone');
    assert.equal(isolated.explainAt(doc, 34, 3), undefined);
    assert.deepEqual(isolated.listCalls(doc), []);
    assert.ok(isolated.lastFailure, 'the failure is recorded');
  });

  it('every position of every fixture explains without throwing, in both languages', () => {
    for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.c'))) {
      const text = fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8');
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character < lines[line].length; character += 4) {
          for (const lang of ['en', 'ko'] as const) {
            const got = analyzer.explainAt(text, line, character, lang);
            if (got) assert.ok(got.markdown.length > 0 && !got.markdown.includes('undefined'), `${file}:${line + 1}:${character + 1} ${got.markdown}`);
          }
        }
      }
    }
  });

  it('findPortArgument() works standalone for the runner', async () => {
    assert.deepEqual(await findPortArgument(SERVER), { argIndex: 1, line: 34, usage: 'Usage : %s <port>\n' });
    assert.equal(await findPortArgument('int main(void) { return 0; }'), undefined);
  });

  it('renders no raw ui.json keys and keeps Korean free of English labels', () => {
    const p = { line: 34, character: SERVER.split('\n')[34].indexOf('bind(') };
    const ko = analyzer.explainAt(SERVER, p.line, p.character, 'ko')!.markdown;
    for (const label of ['Returns', 'Errors', 'Arguments here', 'Step 2 of 4', 'Header']) assert.ok(!ko.includes(label), label);
    assert.doesNotMatch(ko, /\b(event|value|role|roleText)\.[a-zA-Z]+/);
  });
});

describe('misspellings()', () => {
  it('finds misspelled socket constants with the right name and range, skipping file macros', () => {
    const text = '#define AF_INTE 2\nint a = socket(AF_INTE, SOCK_RAM, IPROTO_TCP);\nint b = socket(PF_INET, AF_DGFAM, 0); /* SOCK_RAM in a comment */\n';
    const found = analyzer.misspellings(text).map((m) => `${m.range.start.line}:${m.range.start.character} ${m.wrong}→${m.right}`);
    assert.deepEqual(found, ['1:24 SOCK_RAM→SOCK_RAW', '1:34 IPROTO_TCP→IPPROTO_TCP', '2:24 AF_DGFAM→SOCK_DGRAM']);
  });
});

describe('line endings', () => {
  it('CRLF files give the same calls, positions and explanations as LF files', () => {
    const crlf = SERVER.replace(/\n/g, '\r\n');
    const strip = (calls: ReturnType<Analyzer['listCalls']>) => calls.map((c) => [c.name, c.line, c.character, c.args.map((a) => [a.text, a.value])]);
    assert.deepEqual(strip(analyzer.listCalls(crlf)), strip(analyzer.listCalls(SERVER)));
    const line = 34;
    const character = SERVER.split('\n')[line].indexOf('bind(');
    assert.equal(analyzer.explainAt(crlf, line, character)?.markdown, analyzer.explainAt(SERVER, line, character)?.markdown);
  });
});

describe('typing through a file', () => {
  it('every prefix of the textbook server (as if typed line by line) is explained without failures', () => {
    const lines = SERVER.split('\n');
    const cache = analyzer.createTreeCache();
    let previous = '';
    for (let n = 1; n <= lines.length; n++) {
      // Cut each line in the middle too, the way a half-typed line looks.
      for (const text of [lines.slice(0, n - 1).join('\n') + '\n' + lines[n - 1].slice(0, Math.ceil(lines[n - 1].length / 2)), lines.slice(0, n).join('\n')]) {
        const doc = cache.update('typing', n * 2 + (text.length % 2), [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }], text);
        assert.equal(doc.text, text);
        const calls = analyzer.listCalls(doc);
        for (const call of calls) assert.ok(analyzer.explainAt(doc, call.line, call.character), `${call.name} at ${call.line + 1}:${call.character + 1} after ${n} lines`);
        previous = text;
      }
    }
    assert.equal(previous, SERVER);
    assert.equal(analyzer.lastFailure, undefined, analyzer.lastFailure?.stack);
    cache.clear();
  });
});
