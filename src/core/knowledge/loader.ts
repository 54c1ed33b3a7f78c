import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  ConstantGroupFile,
  DiagnosticsFile,
  ErrnoEntry,
  FunctionEntry,
  GlossaryFile,
  KnowledgeBase,
  Misspelling,
  ProblemTexts,
  StoryFile,
  StructEntry,
} from './schema';

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function readOptional<T>(file: string, fallback: T): T {
  return fs.existsSync(file) ? readJson<T>(file) : fallback;
}

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Finds the `knowledge/` folder from the running code (source tree, bundle in dist/, or packaged extension). */
export function findKnowledgeDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'knowledge');
    if (fs.existsSync(path.join(candidate, 'functions'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`SockLens: knowledge base folder not found above ${start}`);
    dir = parent;
  }
}

export function loadKnowledgeBase(dir: string = findKnowledgeDir()): KnowledgeBase {
  const functions = new Map<string, FunctionEntry>();
  for (const file of jsonFiles(path.join(dir, 'functions'))) {
    const entry = readJson<FunctionEntry>(file);
    functions.set(entry.name, entry);
  }
  const constants = new Map<string, ConstantGroupFile['entries'][number]>();
  for (const file of jsonFiles(path.join(dir, 'constants'))) {
    for (const entry of readJson<ConstantGroupFile>(file).entries) constants.set(entry.name, entry);
  }
  const structs = new Map<string, StructEntry>();
  const fields: KnowledgeBase['fields'] = new Map();
  for (const entry of readOptional<{ entries: StructEntry[] }>(path.join(dir, 'structs.json'), { entries: [] }).entries) {
    structs.set(entry.name, entry);
    for (const field of entry.fields) {
      const list = fields.get(field.name) ?? [];
      list.push({ struct: entry, field });
      fields.set(field.name, list);
    }
  }
  const errnos = new Map<string, ErrnoEntry>();
  for (const entry of readOptional<{ entries: ErrnoEntry[] }>(path.join(dir, 'errno.json'), { entries: [] }).entries) {
    errnos.set(entry.name, entry);
  }
  const misspellings = new Map<string, Misspelling>();
  for (const entry of readOptional<{ entries: Misspelling[] }>(path.join(dir, 'misspellings.json'), { entries: [] }).entries) {
    misspellings.set(entry.wrong, entry);
  }
  const story = readOptional<StoryFile>(path.join(dir, 'story.json'), { steps: [] }).steps;
  const diagnosticsFile = readOptional<DiagnosticsFile>(path.join(dir, 'diagnostics.json'), { docs: '', rules: [], related: {}, optionLevels: {}, protocolTypes: {} });
  const diagnostics = { ...diagnosticsFile, rules: new Map(diagnosticsFile.rules.map((r) => [r.code, r])) };
  const glossary = readOptional<Partial<GlossaryFile>>(path.join(dir, 'glossary.json'), {}).terms ?? [];
  const problems = readJson<ProblemTexts>(path.join(dir, 'problems.json'));
  return { functions, constants, structs, fields, errnos, misspellings, story, glossary, problems, diagnostics };
}

let cached: KnowledgeBase | undefined;

/** The knowledge base, loaded once per process. */
export function knowledgeBase(): KnowledgeBase {
  cached ??= loadKnowledgeBase();
  return cached;
}
