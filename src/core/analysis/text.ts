import type { TextSpan } from '../parsing/treeCache';

/** 0-based line and UTF-16 character, as in VS Code and in web-tree-sitter's trees for JS strings. */
export interface Position {
  line: number;
  character: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}


/** Index of the first element of the sorted `values` greater than `value`. */
function upperBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Offset ↔ position conversion for one text. */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    this.starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /**
   * The index of `text`, derived from this index of the text before `edit`: only the edited lines are scanned,
   * the line starts after them are shifted (a full scan of a large file after every keystroke costs milliseconds).
   */
  edited(text: string, edit: TextSpan): LineIndex {
    const kept = upperBound(this.starts, edit.start);
    const starts = this.starts.slice(0, kept);
    for (let i = text.indexOf('\n', edit.start); i !== -1 && i < edit.newEnd; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const delta = edit.newEnd - edit.oldEnd;
    for (let i = upperBound(this.starts, edit.oldEnd); i < this.starts.length; i++) starts.push(this.starts[i] + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  /** undefined when the position is outside the text. */
  offsetAt(line: number, character: number): number | undefined {
    if (line < 0 || line >= this.starts.length || character < 0) return undefined;
    const start = this.starts[line];
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return start + character <= end ? start + character : undefined;
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  range(start: number, end: number): SourceRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}
