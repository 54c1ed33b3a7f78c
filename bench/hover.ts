/**
 * `npm run bench:hover`: SockLens hovers against clangd on generated socket servers of 1k, 10k and 50k lines.
 * Prints a table and, with --write, replaces the "Hover" section of docs/benchmarks.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnalyzer } from '../src/core/analysis';
import { ClangdSession, writeCompileFlags } from './lib/clangd';
import { generateServerSource, middleBindPosition } from './lib/generate';
import { ms, percentile } from './lib/stats';
import { replaceSection } from './lib/report';

const SIZES = [1_000, 10_000, 50_000];
const WARM_SAMPLES = 200;
const EDIT_SAMPLES = 100;

interface Row {
  lines: number;
  coldParse: number;
  firstHover: number;
  warmP50: number;
  warmP95: number;
  editP50: number;
  editP95: number;
  heapMb: number;
  clangdFirst: number;
  clangdWarmP50: number;
  clangdWarmP95: number;
}

async function time<T>(fn: () => T | Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

async function measureSockLens(source: string, lines: number): Promise<Omit<Row, 'clangdFirst' | 'clangdWarmP50' | 'clangdWarmP95'>> {
  const analyzer = await createAnalyzer();
  const position = middleBindPosition(source);
  const cache = analyzer.createTreeCache();
  const uri = `file:///bench/${lines}.c`;

  const [coldParse] = await time(() => cache.get(`${uri}#cold`, 1, source));
  cache.delete(`${uri}#cold`);

  const [firstHover, first] = await time(() => analyzer.explainAt(cache.get(uri, 1, source), position.line, position.character));
  if (first?.name !== 'bind') throw new Error(`expected the bind card at ${position.line}:${position.character}, got ${first?.name}`);

  const warm: number[] = [];
  const positions = source.split('\n').flatMap((text, line) => {
    const col = text.search(/\b(socket|bind|listen|accept|htons|serv_sock)\b/);
    return col >= 0 ? [{ line, character: col + 1 }] : [];
  });
  for (let i = 0; i < WARM_SAMPLES; i++) {
    const p = positions[(i * 7919) % positions.length];
    const [t] = await time(() => analyzer.explainAt(cache.get(uri, 1, source), p.line, p.character));
    warm.push(t);
  }

  const edits: number[] = [];
  let version = 1;
  let doc = cache.get(uri, version, source);
  for (let i = 0; i < EDIT_SAMPLES; i++) {
    const editLine = position.line - 2;
    const change = { range: { start: { line: editLine, character: 0 }, end: { line: editLine, character: 0 } }, text: i % 2 === 0 ? ' ' : '' };
    if (i % 2 === 1) change.range.end.character = 1;
    const [t, result] = await time(() => {
      doc = cache.update(uri, ++version, [change]);
      return analyzer.explainAt(doc, position.line, position.character);
    });
    if (result?.name !== 'bind') throw new Error('hover after edit lost the bind card');
    edits.push(t);
  }
  cache.clear();
  return {
    lines,
    coldParse,
    firstHover,
    warmP50: percentile(warm, 50),
    warmP95: percentile(warm, 95),
    editP50: percentile(edits, 50),
    editP95: percentile(edits, 95),
    heapMb: process.memoryUsage().rss / 2 ** 20,
  };
}

async function measureClangd(dir: string, file: string, source: string): Promise<Pick<Row, 'clangdFirst' | 'clangdWarmP50' | 'clangdWarmP95'>> {
  const session = await ClangdSession.start(dir);
  try {
    const position = middleBindPosition(source);
    const [clangdFirst] = await time(async () => {
      session.open(file, source);
      return session.hover(file, position);
    });
    const warm: number[] = [];
    for (let i = 0; i < WARM_SAMPLES; i++) {
      const [t] = await time(() => session.hover(file, position));
      warm.push(t);
    }
    session.close(file);
    return { clangdFirst, clangdWarmP50: percentile(warm, 50), clangdWarmP95: percentile(warm, 95) };
  } finally {
    await session.stop();
  }
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

function table(rows: Row[]): string {
  const head = '| lines | cold parse | first hover (SockLens / clangd) | warm hover p50 / p95 (SockLens) | warm hover p50 / p95 (clangd) | hover after 1-line edit p50 / p95 | RSS |';
  const sep = '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map(
    (r) =>
      `| ${r.lines.toLocaleString('en')} | ${ms(r.coldParse)} ms | ${ms(r.firstHover)} / ${ms(r.clangdFirst)} ms (${ratio(r.firstHover, r.clangdFirst)}) | ` +
      `${ms(r.warmP50)} / ${ms(r.warmP95)} ms | ${ms(r.clangdWarmP50)} / ${ms(r.clangdWarmP95)} ms (p95 ${ratio(r.warmP95, r.clangdWarmP95)}) | ` +
      `${ms(r.editP50)} / ${ms(r.editP95)} ms | ${r.heapMb.toFixed(0)} MB |`,
  );
  return [head, sep, ...body].join('\n');
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-bench-'));
  writeCompileFlags(dir);
  const [wasmLoad, analyzer] = await time(() => createAnalyzer());
  if (!analyzer.available) throw new Error(`parser unavailable: ${analyzer.loadError}`);
  const rows: Row[] = [];
  try {
    for (const lines of SIZES) {
      const source = generateServerSource(lines);
      const file = path.join(dir, `server_${lines}.c`);
      fs.writeFileSync(file, source);
      const ours = await measureSockLens(source, lines);
      const theirs = await measureClangd(dir, file, source);
      rows.push({ ...ours, ...theirs });
      console.error(`measured ${lines} lines`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const report = [
    `Command: \`npm run bench:hover\` (${os.cpus().length} cores, Node ${process.version}, clangd from Debian). ` +
      `WASM parser load (once per window, done during the idle warm-up after a C file opens): ${ms(wasmLoad)} ms.`,
    'First hover = open the document, parse it and answer a hover on the `bind` nearest the middle of the file. ' +
      `Warm hover = ${WARM_SAMPLES} hovers on socket calls spread over the file with the tree cached. ` +
      `Hover after edit = ${EDIT_SAMPLES} one-character edits, each followed by an incremental reparse and a hover.`,
    '',
    table(rows),
  ].join('\n');
  console.log(report);
  if (process.argv.includes('--write')) replaceSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), 'Hover', report);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
