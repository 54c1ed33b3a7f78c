/**
 * Property test: real programs (the explain fixtures and examples/hello_server.c), mutated 10,000 times the way
 * an editor sees them mid-typing (tokens and lines deleted, inserted, duplicated; the text cut off). For every
 * mutant the analysis must not throw, must not hang, and once analysed must answer hovers in under 1 ms (p95).
 * The generator is seeded: a failure names the seed and the mutant so it can be replayed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { tokenize } from '../../src/core/analysis/tokens';
import { FIXTURE_DIR } from './analysis-fixture-helpers';

const MUTATIONS = 10_000;
const SEED = Number(process.env.SOCKLENS_MUTATION_SEED ?? 20261202);
/**
 * Whole run bound: 60 s of CPU time. On a shared machine the wall clock runs several times slower than the CPU
 * time, so it only guards against a hang (WALL_BUDGET_MS).
 */
const CPU_BUDGET_MS = 60_000;
const WALL_BUDGET_MS = 300_000;
/** The whole-file queries (listing, misspellings, port, socket model) run on every this-many-th mutant. */
const FULL_QUERIES_EVERY = 10;
/** One mutant (parse, analysis of every function, hovers): far beyond this is a hang. */
const MUTANT_BUDGET_MS = 1_000;
const HOVERS_PER_MUTANT = 6;
const HOVER_P95_MS = 1;

/** xorshift32: small, fast and reproducible. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const PROGRAMS = [
  ...fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.c')).map((f) => path.join(FIXTURE_DIR, f)),
  path.join(FIXTURE_DIR, '..', '..', '..', 'examples', 'hello_server.c'),
].map((file) => fs.readFileSync(file, 'utf8'));

type Mutation = (text: string, pick: (n: number) => number) => string;

const TOKEN_POOL = [...new Set(PROGRAMS.flatMap((p) => tokenize(p).map((t) => t.text)))];
const LINE_POOL = PROGRAMS.flatMap((p) => p.split('\n'));

function tokenSpan(text: string, pick: (n: number) => number): { start: number; end: number } | undefined {
  const tokens = tokenize(text);
  return tokens.length ? tokens[pick(tokens.length)] : undefined;
}

function lineSpan(text: string, pick: (n: number) => number): { start: number; end: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const line = pick(starts.length);
  return { start: starts[line], end: line + 1 < starts.length ? starts[line + 1] : text.length };
}

const MUTATIONS_BY_KIND: Record<string, Mutation> = {
  deleteToken: (text, pick) => {
    const t = tokenSpan(text, pick);
    return t ? text.slice(0, t.start) + text.slice(t.end) : text;
  },
  insertToken: (text, pick) => {
    const at = pick(text.length + 1);
    return `${text.slice(0, at)} ${TOKEN_POOL[pick(TOKEN_POOL.length)]} ${text.slice(at)}`;
  },
  duplicateToken: (text, pick) => {
    const t = tokenSpan(text, pick);
    return t ? text.slice(0, t.end) + text.slice(t.start, t.end) + text.slice(t.end) : text;
  },
  deleteLine: (text, pick) => {
    const l = lineSpan(text, pick);
    return text.slice(0, l.start) + text.slice(l.end);
  },
  duplicateLine: (text, pick) => {
    const l = lineSpan(text, pick);
    return text.slice(0, l.end) + text.slice(l.start, l.end) + text.slice(l.end);
  },
  insertLine: (text, pick) => {
    const l = lineSpan(text, pick);
    return `${text.slice(0, l.start)}${LINE_POOL[pick(LINE_POOL.length)]}\n${text.slice(l.start)}`;
  },
  truncate: (text, pick) => text.slice(0, pick(text.length + 1)),
};
const KINDS = Object.keys(MUTATIONS_BY_KIND);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
  assert.ok(analyzer.available, `parser did not load: ${analyzer.loadError}`);
  analyzer.warmUp();
});

test(`${MUTATIONS} mutations of real programs: no exception, no hang, hovers under ${HOVER_P95_MS} ms p95 after analysis`, { timeout: WALL_BUDGET_MS + 30_000 }, (t) => {
  const next = random(SEED);
  const pick = (n: number): number => Math.floor(next() * n);
  const hoverTimes: number[] = [];
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const cpuMs = (): number => {
    const used = process.cpuUsage(cpuStarted);
    return (used.user + used.system) / 1000;
  };
  let slowest = { ms: 0, text: '' };
  for (let i = 0; i < MUTATIONS; i++) {
    let text = PROGRAMS[pick(PROGRAMS.length)];
    const steps = 1 + pick(3);
    const applied: string[] = [];
    for (let s = 0; s < steps; s++) {
      const kind = KINDS[pick(KINDS.length)];
      applied.push(kind);
      text = MUTATIONS_BY_KIND[kind](text, pick);
    }
    const mutantStarted = performance.now();
    const lines = text.split('\n');
    // As the editor does: the document is analysed (idle slices), then hovered.
    analyzer.prepare(text, Infinity);
    const full = i % FULL_QUERIES_EVERY === 0;
    if (full) {
      analyzer.listCalls(text, i % 2 ? 'ko' : 'en');
      analyzer.misspellings(text);
      analyzer.findPortArgument(text);
    }
    for (let h = 0; h < HOVERS_PER_MUTANT; h++) {
      const line = pick(lines.length + 1);
      const character = pick((lines[line]?.length ?? 0) + 2);
      const t0 = performance.now();
      analyzer.explainAt(text, line, character, h % 2 ? 'ko' : 'en');
      hoverTimes.push(performance.now() - t0);
      if (full) analyzer.socketsAt(text, line, character);
    }
    const ms = performance.now() - mutantStarted;
    if (ms > slowest.ms) slowest = { ms, text };
    const failure = analyzer.lastFailure;
    assert.equal(failure, undefined, `seed ${SEED}, mutant ${i} (${applied.join(', ')}) threw: ${failure?.stack}\n--- mutant ---\n${text}`);
    assert.ok(ms < MUTANT_BUDGET_MS, `seed ${SEED}, mutant ${i} (${applied.join(', ')}) took ${ms.toFixed(0)} ms\n--- mutant ---\n${text}`);
    assert.ok(cpuMs() < CPU_BUDGET_MS, `seed ${SEED}: ${i} mutants used more than ${CPU_BUDGET_MS} ms of CPU time`);
    assert.ok(performance.now() - started < WALL_BUDGET_MS, `seed ${SEED}: ${i} mutants took longer than ${WALL_BUDGET_MS} ms`);
  }
  const p95 = percentile(hoverTimes, 95);
  t.diagnostic(
    `${MUTATIONS} mutants in ${((performance.now() - started) / 1000).toFixed(1)} s (${(cpuMs() / 1000).toFixed(1)} s CPU); hover p50 ${percentile(hoverTimes, 50).toFixed(3)} ms, ` +
      `p95 ${p95.toFixed(3)} ms, max ${Math.max(...hoverTimes).toFixed(2)} ms; slowest mutant ${slowest.ms.toFixed(1)} ms`,
  );
  assert.ok(p95 < HOVER_P95_MS, `hover p95 ${p95.toFixed(3)} ms ≥ ${HOVER_P95_MS} ms`);
});
