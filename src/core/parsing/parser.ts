import type { Language as LanguageType, Parser as ParserType, Tree } from 'web-tree-sitter';
import { Language, Parser } from './treeSitter';
import { locateAsset } from './locate';
import { checkSource } from './limits';

/** A ready C parser. Positions in its trees are 0-based rows and UTF-16 columns, like VS Code's. */
export interface CParser {
  readonly parser: ParserType;
  readonly language: LanguageType;
  /** Parses `text` (incrementally when `oldTree` has been edited); undefined for refused or failed input. */
  parse(text: string, oldTree?: Tree): Tree | undefined;
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
