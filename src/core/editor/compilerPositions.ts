import type { CompileDiagnostic } from '../protocol/events';

/** 0-based line and UTF-16 character, as editors count. */
export interface EditorPosition {
  line: number;
  character: number;
}

/** Columns a tab advances to the next multiple of (gcc's default -ftabstop). */
const TAB_STOP = 8;

/** Code points gcc counts as two columns wide (East Asian wide and fullwidth forms, most emoji). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

function isCombining(code: number): boolean {
  return (code >= 0x0300 && code <= 0x036f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f);
}

/**
 * gcc's JSON diagnostics give `column` as a 1-based *display* column: a tab advances to the next multiple of
 * 8, wide characters (Hangul, CJK, emoji) take two columns. Editors count UTF-16 code units. Converts using
 * the line's text (when known); columns past the end clamp to the line's end.
 */
export function gccColumnToCharacter(lineText: string | undefined, displayColumn: number): number {
  const target = Math.max(0, displayColumn - 1);
  if (lineText === undefined) return target;
  let column = 0;
  let i = 0;
  while (i < lineText.length) {
    const code = lineText.codePointAt(i)!;
    const width = code === 0x09 ? TAB_STOP - (column % TAB_STOP) : isCombining(code) ? 0 : isWide(code) ? 2 : 1;
    if (column + width > target && width > 0) break;
    column += width;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}

export interface EditorRange {
  start: EditorPosition;
  end: EditorPosition;
}

/**
 * The editor range of a gcc span or fix-it (`endColumn` exclusive; an insertion fix-it is empty). A span
 * without a column covers its whole line. `lineText(n)` gives the 0-based line's text, undefined when out of range.
 */
export function gccRange(
  span: Pick<CompileDiagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>,
  lineText: (line: number) => string | undefined,
): EditorRange {
  const startLine = Math.max(0, span.line - 1);
  const endLine = Math.max(startLine, span.endLine - 1);
  if (span.column <= 0) return { start: { line: startLine, character: 0 }, end: { line: startLine, character: lineText(startLine)?.length ?? 0 } };
  const start = { line: startLine, character: gccColumnToCharacter(lineText(startLine), span.column) };
  const end = { line: endLine, character: gccColumnToCharacter(lineText(endLine), span.endColumn) };
  return end.line === start.line && end.character < start.character ? { start, end: start } : { start, end };
}

/** Like `gccRange`, but never empty, so the squiggle is visible (a caret-only diagnostic gets one character). */
export function gccDiagnosticRange(
  span: Pick<CompileDiagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>,
  lineText: (line: number) => string | undefined,
): EditorRange {
  const range = gccRange(span, lineText);
  const { start, end } = range;
  return end.line === start.line && end.character <= start.character ? { start, end: { line: start.line, character: start.character + 1 } } : range;
}
