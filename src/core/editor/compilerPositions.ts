import type { CompileDiagnostic } from '../protocol/events';

/** 0-based line and UTF-16 character, as editors count. */
export interface EditorPosition {
  line: number;
  character: number;
}

/**
 * gcc reports 1-based columns counted in bytes of the UTF-8 source; editors count UTF-16 code units.
 * Converts using the line's text (when known); columns past the end clamp to the line's end.
 */
export function gccColumnToCharacter(lineText: string | undefined, byteColumn: number): number {
  const bytes = Math.max(0, byteColumn - 1);
  if (lineText === undefined) return bytes;
  let used = 0;
  let i = 0;
  while (i < lineText.length && used < bytes) {
    const code = lineText.codePointAt(i)!;
    used += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
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
