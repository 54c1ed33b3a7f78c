import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileProgram } from '../../src/core/runner/compiler';
import { gccDiagnosticRange, gccRange, type EditorRange } from '../../src/core/editor/compilerPositions';

/** A line with a tab and Hangul before the mistake, so display columns, bytes and UTF-16 all differ. */
const SOURCE = [
  '#include <sys/socket.h>',
  '#include <netinet/in.h>',
  'int main(void)',
  '{',
  '\tstruct sockaddr_in a; /* 주소 */ a.sin_prot = 0;',
  '\treturn 0;',
  '}',
  '',
].join('\n');

function textIn(lines: string[], range: EditorRange): string {
  assert.equal(range.start.line, range.end.line, 'one-line range');
  return lines[range.start.line].slice(range.start.character, range.end.character);
}

function applyEdits(text: string, edits: { range: EditorRange; replacement: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: EditorRange['start']): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let result = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    result = result.slice(0, offset(e.range.start)) + e.replacement + result.slice(offset(e.range.end));
  }
  return result;
}

test('real gcc diagnostics land on the exact characters, and their fix-its repair the file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-gcc-'));
  try {
    const source = path.join(dir, 'broken.c');
    fs.writeFileSync(source, SOURCE);
    const compiled = await compileProgram({ source, cacheDir: path.join(dir, 'cache') });
    assert.equal(compiled.ok, false);
    const lines = SOURCE.split('\n');
    const lineText = (n: number): string | undefined => lines[n];
    const error = compiled.diagnostics.find((d) => d.severity === 'error' && /sin_prot/.test(d.message));
    assert.ok(error, JSON.stringify(compiled.diagnostics));
    assert.equal(textIn(lines, gccDiagnosticRange(error, lineText)), 'sin_prot');
    assert.ok(error.fixits.length > 0, 'gcc suggests sin_port');
    const fixed = applyEdits(
      SOURCE,
      error.fixits.map((f) => ({ range: gccRange(f, lineText), replacement: f.replacement })),
    );
    assert.match(fixed, /a\.sin_port = 0;/);
    fs.writeFileSync(source, fixed);
    const again = await compileProgram({ source, cacheDir: path.join(dir, 'cache') });
    assert.equal(again.ok, true, JSON.stringify(again.diagnostics));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
