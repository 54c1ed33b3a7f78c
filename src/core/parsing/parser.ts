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

/** The [start, end) offsets and rows of the function-sized window around `line`. */
function windowAround(text: string, line: number): { startIndex: number; endIndex: number; startRow: number; endRow: number; endColumn: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (row: number): string => text.slice(starts[row], row + 1 < starts.length ? starts[row + 1] - 1 : text.length);
  const target = Math.max(0, Math.min(line, starts.length - 1));
  let startRow = target;
  while (startRow > 0 && target - startRow < AROUND_MAX_LINES && !lineAt(startRow - 1).startsWith('}')) startRow--;
  let endRow = target;
  while (endRow < starts.length - 1 && endRow - target < AROUND_MAX_LINES && !lineAt(endRow).startsWith('}')) endRow++;
  const endIndex = starts[endRow] + lineAt(endRow).length;
  return { startIndex: starts[startRow], endIndex, startRow, endRow, endColumn: endIndex - starts[endRow] };
}

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
          return parser.parse(text, null, { includedRanges: [range] }) ?? undefined;
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
