import type { Language as LanguageType, Parser as ParserType, Tree } from 'web-tree-sitter';
import { Language, Parser } from './treeSitter';
import { locateAsset } from './locate';
import { checkSource } from './limits';

/**
 * A ready C parser. web-tree-sitter parses a JS string as UTF-16, so `startIndex` and `column` in its trees
 * count UTF-16 code units (not UTF-8 bytes as in the C library): exactly VS Code's offsets and characters,
 * also after Korean text or emoji (covered by the Korean fixtures and treecache tests).
 */
export interface CParser {
  readonly parser: ParserType;
  readonly language: LanguageType;
  /** Parses `text` (incrementally when `oldTree` has been edited); undefined for refused or failed input. */
  parse(text: string, oldTree?: Tree): Tree | undefined;
  /**
   * Parses only the top-level item around `line` (bounded by lines that start with `}`, at most
   * AROUND_MAX_LINES each way): about a millisecond even in a huge file. Positions match the whole text.
   */
  parseAround(text: string, line: number): Tree | undefined;
}

/** How far parseAround() looks for the edges of the function around a line. */
export const AROUND_MAX_LINES = 2000;

/**
 * The [start, end) offsets and rows of the function-sized window around `line`. Walks only the lines it needs
 * (no index of every line start): this runs on the first hover of a freshly opened, possibly huge, file.
 */
function windowAround(text: string, line: number): { startIndex: number; endIndex: number; startRow: number; endRow: number; endColumn: number } {
  let row = 0;
  let lineStart = 0;
  while (row < line) {
    const next = text.indexOf('\n', lineStart);
    if (next === -1) break;
    lineStart = next + 1;
    row++;
  }
  let startRow = row;
  let startIndex = lineStart;
  while (startRow > 0 && row - startRow < AROUND_MAX_LINES) {
    const previousStart = startIndex >= 2 ? text.lastIndexOf('\n', startIndex - 2) + 1 : 0;
    if (text.startsWith('}', previousStart)) break;
    startIndex = previousStart;
    startRow--;
  }
  let endRow = row;
  let endStart = lineStart;
  while (endRow - row < AROUND_MAX_LINES && !text.startsWith('}', endStart)) {
    const next = text.indexOf('\n', endStart);
    if (next === -1) break;
    endStart = next + 1;
    endRow++;
  }
  const lineEnd = text.indexOf('\n', endStart);
  const endIndex = lineEnd === -1 ? text.length : lineEnd;
  return { startIndex, endIndex, startRow, endRow, endColumn: endIndex - endStart };
}

/** Chunk size handed to the parser when it reads a window of a text. */
const WINDOW_CHUNK = 8192;

let loading: Promise<CParser | undefined> | undefined;
let lastError: string | undefined;

function wasmPath(file: string, packageName: string): string | undefined {
  return locateAsset([file, `dist/${file}`, `node_modules/${packageName}/${file}`]);
}

async function load(): Promise<CParser | undefined> {
  try {
    const runtime = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter');
    const grammar = wasmPath('tree-sitter-c.wasm', 'tree-sitter-c');
    if (!runtime || !grammar) throw new Error('tree-sitter WASM files not found next to the bundle or in node_modules');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    return {
      parser,
      language,
      parse(text: string, oldTree?: Tree): Tree | undefined {
        if (checkSource(text) !== 'ok') return undefined;
        try {
          return parser.parse(text, oldTree) ?? undefined;
        } catch {
          return undefined;
        }
      },
      parseAround(text: string, line: number): Tree | undefined {
        if (checkSource(text) !== 'ok') return undefined;
        const w = windowAround(text, line);
        try {
          const range = { startIndex: w.startIndex, endIndex: w.endIndex, startPosition: { row: w.startRow, column: 0 }, endPosition: { row: w.endRow, column: w.endColumn } };
          // Hand the parser only the window's text: given the whole string it copies far more than it reads.
          const read = (index: number): string => (index < w.endIndex ? text.slice(index, Math.min(w.endIndex, index + WINDOW_CHUNK)) : '');
          return parser.parse(read, null, { includedRanges: [range] }) ?? undefined;
        } catch {
          return undefined;
        }
      },
    };
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
    return undefined;
  }
}

/**
 * Loads web-tree-sitter and the C grammar once, lazily. Never rejects: resolves to undefined when the WASM
 * cannot be loaded (see `parserLoadError()` for why).
 */
export function loadCParser(): Promise<CParser | undefined> {
  loading ??= load();
  return loading;
}

export function parserLoadError(): string | undefined {
  return lastError;
}
