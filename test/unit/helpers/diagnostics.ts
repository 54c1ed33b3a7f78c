import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiagnosticFix } from '../../../src/core/analysis/index';

export const DIAGNOSTICS_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'diagnostics');

/** The mistake programs (`slNNN_*.c`), each with its corrected `slNNN_*.fixed.c`. */
export function fixturePairs(): { name: string; mistake: string; fixed: string }[] {
  return fs
    .readdirSync(DIAGNOSTICS_FIXTURES)
    .filter((f) => /^sl\d+_.*\.c$/.test(f) && !f.endsWith('.fixed.c'))
    .sort()
    .map((f) => ({ name: f.replace(/\.c$/, ''), mistake: path.join(DIAGNOSTICS_FIXTURES, f), fixed: path.join(DIAGNOSTICS_FIXTURES, f.replace(/\.c$/, '.fixed.c')) }));
}

/** `// expect: SL101` comments → "LINE SL101" (1-based line), sorted. */
export function expectations(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/expect: (SL\d+)/g)) found.push(`${i + 1} ${m[1]}`);
  });
  return found.sort();
}

function offsetOf(text: string, position: { line: number; character: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** What the editor does with a quick fix: the edits applied to the text (they never overlap). */
export function applyFix(text: string, fix: DiagnosticFix): string {
  const edits = fix.edits.map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
