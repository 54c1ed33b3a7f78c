/** A position as editors count it: zero-based line and UTF-16 code unit within the line. */
export interface LineCharacter {
  line: number;
  character: number;
}

/** One content change as VS Code reports it (`TextDocumentContentChangeEvent`). */
export interface ContentChange {
  range: { start: LineCharacter; end: LineCharacter };
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface TreePoint {
  row: number;
  column: number;
}

/**
 * The edit tree-sitter's `Tree.edit` expects. web-tree-sitter parses JavaScript strings as UTF-16, so its
 * indices and columns count UTF-16 code units, exactly like VS Code offsets and characters.
 */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: TreePoint;
  oldEndPosition: TreePoint;
  newEndPosition: TreePoint;
}

export function toTreePoint(position: LineCharacter): TreePoint {
  return { row: position.line, column: position.character };
}

export function toLineCharacter(point: TreePoint): LineCharacter {
  return { line: point.row, character: point.column };
}

/** Where inserted text ends when it starts at `start`. */
export function endOfInsertedText(start: TreePoint, text: string): TreePoint {
  let row = start.row;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i;
  }
  // A lone '\r' also ends a line for VS Code; tree-sitter only counts '\n', so positions follow '\n'.
  return lineStart === -1 ? { row, column: start.column + text.length } : { row, column: text.length - lineStart - 1 };
}

/** Converts one editor content change into a tree-sitter edit. */
export function toTreeEdit(change: ContentChange): TreeEdit {
  const startPosition = toTreePoint(change.range.start);
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition,
    oldEndPosition: toTreePoint(change.range.end),
    newEndPosition: endOfInsertedText(startPosition, change.text),
  };
}
