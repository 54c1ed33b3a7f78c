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
function upperBound(values: Int32Array, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Offsets of the line starts of `text` from `from` (exclusive of `from` itself) up to `to`, appended to `into`. */
function scanLineStarts(text: string, from: number, to: number, into: number[]): void {
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) into.push(i + 1);
}

/**
 * Offset ↔ position conversion for one text. Line starts live in a typed array: deriving the index of an edited
 * version copies and shifts it in microseconds, where a plain array of 50k numbers takes milliseconds.
 */
export class LineIndex {
  private readonly starts: Int32Array;

  constructor(
    readonly text: string,
    starts?: Int32Array,
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    // Two passes (count, then fill) instead of growing a plain array: much less garbage on a large file.
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    this.starts = new Int32Array(count);
    for (let i = text.indexOf('\n'), line = 1; i !== -1; i = text.indexOf('\n', i + 1)) this.starts[line++] = i + 1;
  }

  /**
   * The index of `text`, derived from this index of the text before `edit`: only the edited lines are scanned,
   * the line starts after them are shifted (a full scan of a large file after every keystroke costs milliseconds).
   */
  edited(text: string, edit: TextSpan): LineIndex {
    const kept = upperBound(this.starts, edit.start);
    const tail = upperBound(this.starts, edit.oldEnd);
    const inserted: number[] = [];
    scanLineStarts(text, edit.start, edit.newEnd, inserted);
    const starts = new Int32Array(kept + inserted.length + this.starts.length - tail);
    starts.set(this.starts.subarray(0, kept));
    starts.set(inserted, kept);
    const delta = edit.newEnd - edit.oldEnd;
    const shifted = this.starts.subarray(tail);
    const at = kept + inserted.length;
    for (let i = 0; i < shifted.length; i++) starts[at + i] = shifted[i] + delta;
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
