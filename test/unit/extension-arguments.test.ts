import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { joinArguments, splitArguments, suggestArguments } from '../../src/core/editor/programArguments';
import { gccColumnToCharacter, gccDiagnosticRange, gccRange } from '../../src/core/editor/compilerPositions';

test('arguments split like a shell, without expansions', () => {
  assert.deepEqual(splitArguments(''), []);
  assert.deepEqual(splitArguments('  9190  '), ['9190']);
  assert.deepEqual(splitArguments('127.0.0.1 9190'), ['127.0.0.1', '9190']);
  assert.deepEqual(splitArguments(`'hello world' "a \\"b\\"" c\\ d ''`), ['hello world', 'a "b"', 'c d', '']);
  assert.deepEqual(splitArguments('$HOME *'), ['$HOME', '*']);
  assert.deepEqual(splitArguments("'unterminated"), ['unterminated']);
});

test('joining quotes what needs it and round-trips', () => {
  for (const args of [['9190'], ['hello world', "it's", ''], ['a"b', 'c\\d']]) {
    assert.deepEqual(splitArguments(joinArguments(args)), args);
  }
  assert.equal(joinArguments(['127.0.0.1', '9190']), '127.0.0.1 9190');
});

test('suggested arguments put the free port and loopback where the program reads them', () => {
  assert.deepEqual(suggestArguments({ count: 1, portIndex: 1, hostIndexes: [] }, 40001), ['40001']);
  assert.deepEqual(suggestArguments({ count: 2, portIndex: 2, hostIndexes: [1] }, 40001), ['127.0.0.1', '40001']);
  assert.deepEqual(suggestArguments({ count: 3, portIndex: 1, hostIndexes: [] }, 5), ['5', '', '']);
  assert.deepEqual(suggestArguments({ count: 0, portIndex: null, hostIndexes: [] }, 5), []);
});

test('gcc display columns (tabs to 8, wide characters 2) become UTF-16 characters', () => {
  assert.equal(gccColumnToCharacter('int x;', 5), 4);
  assert.equal(gccColumnToCharacter('\tprintf("x");', 9), 1, 'a leading tab spans columns 1-8');
  assert.equal(gccColumnToCharacter('a\tb', 9), 2, 'a tab after one character reaches column 8');
  assert.equal(gccColumnToCharacter('/* 한 */ int x;', 14), 12, 'a Hangul syllable is 2 columns, 1 character');
  assert.equal(gccColumnToCharacter('"😀" x', 6), 5, 'an emoji is 2 columns, 2 UTF-16 units');
  assert.equal(gccColumnToCharacter('ab', 99), 2, 'clamped to the line end');
  assert.equal(gccColumnToCharacter(undefined, 7), 6);
});

test('gcc spans become editor ranges', () => {
  const lines = ['int main(void) {', '  int unused;', '}'];
  const at = (n: number) => lines[n];
  assert.deepEqual(gccDiagnosticRange({ line: 2, column: 7, endLine: 2, endColumn: 13 }, at), { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } });
  assert.deepEqual(gccDiagnosticRange({ line: 2, column: 7, endLine: 2, endColumn: 7 }, at), { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } }, 'a caret gets one character');
  assert.deepEqual(gccRange({ line: 2, column: 7, endLine: 2, endColumn: 7 }, at), { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, 'an insertion fix-it stays empty');
  assert.deepEqual(gccDiagnosticRange({ line: 3, column: 0, endLine: 3, endColumn: 0 }, at), { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, 'no column: the whole line');
});
