/**
 * Static diagnostics (src/core/diagnostics): each rule's fixture program gets exactly the diagnostics its
 * `// expect:` comments name, its corrected version none; the fixes are certain (applied, the diagnostic goes
 * and gcc compiles the result); correct programs get nothing; both languages say the same thing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { createAnalyzer, type Analyzer, type StaticDiagnostic } from '../../src/core/analysis/index';
import { FIXTURE_DIR } from './analysis-fixture-helpers';
import { applyFix, DIAGNOSTICS_FIXTURES, expectations, fixturePairs } from './helpers/diagnostics';

const ROOT = path.join(__dirname, '..', '..');
let analyzer: Analyzer;
let tmp: string;

before(async () => {
  analyzer = await createAnalyzer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-diag-'));
});

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const found = (diagnostics: StaticDiagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`).sort();

/** Real gcc: the program is valid C (warnings allowed for mistakes such as a truncating htons()). */
function compiles(text: string, strict: boolean): void {
  const file = path.join(tmp, 'program.c');
  fs.writeFileSync(file, text);
  execFileSync('gcc', [...(strict ? ['-Wall', '-Werror'] : []), '-fsyntax-only', file], { stdio: 'pipe' });
}

describe('each rule on its fixture', () => {
  for (const pair of fixturePairs()) {
    it(`${pair.name}: the expected diagnostics, none on the corrected version`, () => {
      const text = read(pair.mistake);
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'the fixture names what it expects');
      assert.deepEqual(found(analyzer.diagnose(text)), expected);
      assert.deepEqual(analyzer.diagnose(read(pair.fixed)), []);
      assert.equal(analyzer.lastFailure, undefined);
      compiles(read(pair.fixed), true);
      if (!pair.name.startsWith('sl150')) compiles(text, false);
    });

    it(`${pair.name}: each fix removes its diagnostic and the fixed program compiles`, () => {
      let text = read(pair.mistake);
      const unfixable = analyzer.diagnose(text).filter((d) => d.fixes.length === 0).map((d) => d.code);
      for (let round = 0; round < 10; round++) {
        const next = analyzer.diagnose(text).find((d) => d.fixes.length > 0);
        if (!next) break;
        const after = applyFix(text, next.fixes[0]);
        const left = analyzer.diagnose(after);
        assert.ok(!left.some((d) => d.code === next.code && d.range.start.line === next.range.start.line), `${next.code} stays after "${next.fixes[0].title}"`);
        text = after;
      }
      assert.deepEqual(analyzer.diagnose(text).map((d) => d.code), unfixable);
      if (unfixable.length === 0) compiles(text, true);
    });
  }
});

describe('precision: programs without the mistakes', () => {
  it('examples/hello_server.c has no diagnostics', () => {
    assert.deepEqual(analyzer.diagnose(read(path.join(ROOT, 'examples', 'hello_server.c'))), []);
  });

  it('test/fixtures/diagnostics/correct_*.c (tricky correct code) have no diagnostics and compile cleanly', () => {
    const correct = fs.readdirSync(DIAGNOSTICS_FIXTURES).filter((f) => f.startsWith('correct_') && f.endsWith('.c'));
    assert.ok(correct.length > 0);
    for (const file of correct) {
      const text = read(path.join(DIAGNOSTICS_FIXTURES, file));
      assert.deepEqual(analyzer.diagnose(text), [], file);
      compiles(text, true);
    }
  });

  /** The explain fixtures with deliberate mistakes, and the codes they must get besides SL130. */
  const DELIBERATE: Record<string, string[]> = {
    'byte_order.c': ['SL101', 'SL102', 'SL103', 'SL104', 'SL105'],
    'typos.c': ['SL150'],
    'named_things.c': ['SL150'],
    'udp_listen.c': ['SL140'],
  };

  for (const file of fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.c'))) {
    it(`explain fixture ${file}: only its deliberate mistakes, and SL130 only on results really left unchecked`, () => {
      const text = read(path.join(FIXTURE_DIR, file));
      const lines = text.split('\n');
      const diagnostics = analyzer.diagnose(text);
      const codes = [...new Set(diagnostics.map((d) => d.code).filter((c) => c !== 'SL130'))].sort();
      assert.deepEqual(codes, DELIBERATE[file] ?? []);
      for (const d of diagnostics.filter((x) => x.code === 'SL130')) {
        // These hover fixtures skip error handling for brevity: the call's line compares nothing.
        assert.doesNotMatch(lines[d.range.start.line], /==|!=|<|>|\bif\b|\bwhile\b/, `${file}:${d.range.start.line + 1}`);
      }
    });
  }
});

describe('languages and data', () => {
  it('English and Korean: same diagnostics, same code spans, every placeholder filled', () => {
    for (const pair of fixturePairs()) {
      const text = read(pair.mistake);
      const en = analyzer.diagnose(text, 'en');
      const ko = analyzer.diagnose(text, 'ko');
      assert.deepEqual(ko.map((d) => [d.code, d.range, d.severity]), en.map((d) => [d.code, d.range, d.severity]));
      for (const [i, d] of en.entries()) {
        const spans = (s: string): string[] => [...s.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort();
        for (const text of [d.message, ko[i].message, ...d.fixes.map((f) => f.title), ...ko[i].fixes.map((f) => f.title), ...d.related.map((r) => r.message), ...ko[i].related.map((r) => r.message)]) {
          assert.doesNotMatch(text, /\{\w+\}/, `${pair.name}: unfilled placeholder in "${text}"`);
        }
        if (d.code !== 'SL150') assert.deepEqual(spans(ko[i].message), spans(d.message), `${pair.name} ${d.code}`);
        assert.match(d.docs, new RegExp(`^docs/diagnostics\\.md#${d.code.toLowerCase()}$`));
      }
    }
  });

  it('every rule has the same placeholders in both languages and a section in docs/diagnostics.md', () => {
    const docs = read(path.join(ROOT, 'docs', 'diagnostics.md'));
    const names = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const rule of analyzer.kb.diagnostics.rules.values()) {
      assert.deepEqual(names(rule.ko.message), names(rule.en.message), rule.code);
      assert.deepEqual(names(rule.ko.fix), names(rule.en.fix), rule.code);
      assert.match(docs, new RegExp(`^## ${rule.code}\\b`, 'm'), `docs/diagnostics.md has no "## ${rule.code}" section`);
    }
  });
});

describe('robustness', () => {
  it('half-typed code (every fixture cut at many points) never makes diagnose() fail', () => {
    const files = [...fixturePairs().map((p) => p.mistake), ...fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.c')).map((f) => path.join(FIXTURE_DIR, f))];
    for (const file of files) {
      const text = read(file);
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 40))) {
        for (const lang of ['en', 'ko'] as const) {
          for (const d of analyzer.diagnose(text.slice(0, cut), lang)) assert.doesNotMatch(d.message, /\{\w+\}|undefined/, `${path.basename(file)} cut at ${cut}`);
        }
        assert.equal(analyzer.lastFailure, undefined, `${path.basename(file)} cut at ${cut}: ${analyzer.lastFailure?.stack}`);
      }
    }
  });

  it('diagnoseSlice() in 0 ms slices (one item each) ends with the same diagnostics as diagnose() at once', () => {
    const text = fixturePairs().map((p) => read(p.mistake).replace(/\bmain\b/g, `main_${p.name}`).replace(/\bfail\b/g, `fail_${p.name}`).replace(/\bbind_to\b/g, `bind_to_${p.name}`)).join('\n');
    const whole = analyzer.diagnose(text + '\n');
    const sliced = text + '\n\n';
    let slices = 1;
    while (!analyzer.diagnoseSlice(sliced, 0)) slices++;
    assert.ok(slices > 10, `${slices} slices`);
    assert.deepEqual(analyzer.diagnose(sliced), whole);
    assert.ok(whole.length >= fixturePairs().length);
  });

  it('a 10,000-line file is diagnosed in well under a second once prepared', () => {
    const unit = read(path.join(ROOT, 'examples', 'hello_server.c')).replace(/\bmain\b/g, 'main_N').replace(/\berror_handling\b/g, 'error_handling_N');
    const parts: string[] = [];
    for (let i = 0; parts.join('\n').split('\n').length < 10_000; i++) parts.push(unit.replace(/_N\b/g, `_${i}`));
    const text = parts.join('\n');
    while (!analyzer.prepare(text, 50));
    const started = performance.now();
    const found = analyzer.diagnose(text);
    const ms = performance.now() - started;
    assert.deepEqual(found, []);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});
