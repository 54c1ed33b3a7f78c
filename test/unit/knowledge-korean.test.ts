/**
 * The Korean of the knowledge base, as a Korean engineer would write it. Over every Korean text in knowledge/
 * (ui.json's, problems.json's and diagnostics.json's templates with `{placeholders}` are left to the generated-sentence particle helper, except for
 * the glossary check): no unresolved particle pairs such as "(으)로" or "을(를)"; one term per idea, as chosen
 * in knowledge/glossary.json (a rejected variant fails); no English words left in running text (code, quoted
 * system messages, a parenthesised original term after a Korean one, acronyms and the glossary's allowed names
 * excepted); and the same name in code always takes the same particle form (`SO_REUSEADDR`를 everywhere, never
 * `SO_REUSEADDR`을), a call being read by its function name.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GlossaryFile } from '../../src/core/knowledge/schema';

const dir = path.join(__dirname, '..', '..', 'knowledge');


interface KoreanText {
  where: string;
  text: string;
  /** A ui.json template, completed by code at run time. */
  template: boolean;
}

const glossary = JSON.parse(fs.readFileSync(path.join(dir, 'glossary.json'), 'utf8')) as GlossaryFile;

function jsonFiles(d: string): string[] {
  return fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonFiles(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []))
    .sort();
}

/** Every string under a `ko` key, with where it is. */
function koreanTexts(): KoreanText[] {
  const out: KoreanText[] = [];
  for (const file of jsonFiles(dir)) {
    const rel = path.relative(dir, file);
    if (rel === 'glossary.json') continue;
    const walk = (v: unknown, where: string, inKo: boolean): void => {
      if (typeof v === 'string') {
        if (inKo) out.push({ where, text: v, template: (rel === 'ui.json' || rel === 'problems.json' || rel === 'diagnostics.json') && /\{\w+(?:\|[^}]*)?\}/.test(v) });
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`, inKo));
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const id = typeof o.name === 'string' ? o.name : typeof o.wrong === 'string' ? o.wrong : undefined;
        const here = id === undefined ? where : `${where} ${id}`;
        for (const [k, x] of Object.entries(o)) walk(x, `${here}.${k}`, inKo || k === 'ko');
      }
    };
    walk(JSON.parse(fs.readFileSync(file, 'utf8')), rel, false);
  }
  return out;
}

const texts = koreanTexts();
const prose = texts.filter((t) => !t.template);

function report(title: string, problems: string[]): void {
  assert.equal(problems.length, 0, `${title} (${problems.length}):\n  ${problems.join('\n  ')}`);
}

test('the Korean texts are found', () => {
  assert.ok(prose.length > 1500, `only ${prose.length} Korean texts found`);
});

test('no unresolved particle pairs: the particle is chosen from the word before it', () => {
  const pair = /\(으\)로|을\(를\)|를\(을\)|은\(는\)|는\(은\)|이\(가\)|가\(이\)|과\(와\)|와\(과\)|\(이\)라|\(와\/과\)/;
  report('unresolved particles', prose.filter((t) => pair.test(t.text)).map((t) => `${t.where}: ${t.text}`));
});

/** The variant as a word of its own, outside code: "로 소켓" inside "…으로 소켓" does not count. */
function rejectedIn(text: string, variant: string): boolean {
  const prose = text.replace(/`[^`]*`/g, ' ');
  const escaped = variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\uac00-\\ud7a3A-Za-z])${escaped}`).test(prose);
}

test('one term per idea: no Korean text uses a variant the glossary rejected', () => {
  const problems: string[] = [];
  for (const term of glossary.terms) {
    for (const variant of term.rejected) {
      for (const t of texts) {
        if (rejectedIn(t.text, variant)) problems.push(`${t.where}: "${variant}" — the glossary says "${term.ko}" (${term.en})`);
      }
    }
  }
  report('rejected terms', problems);
});

/** Latin words left after code, quoted messages, glosses such as 하프 클로즈(half-close), numbers and
 * acronyms are taken out. */
function englishWords(text: string): string[] {
  const allowed = new Set(glossary.names.allowed);
  const rest = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/([\uac00-\ud7a3])\([A-Za-z][A-Za-z ,/-]*\)/g, '$1')
    .replace(/\b0x[0-9A-Fa-f]+\b/g, ' ')
    .replace(/\b(?:x86(?:_64)?|ARM)\b/g, ' ')
    .replace(/\b[\w.-]+\(\d\)/g, ' ') // man page references: bind(2)
    .replace(/\b[A-Za-z_]\w*\(\)/g, ' '); // a call named in plain-text messages: bind()
  return (rest.match(/[A-Za-z][A-Za-z_-]*/g) ?? []).filter(
    (w) => !/^[A-Z0-9_]+$/.test(w) && !/^(?:IPv|[A-Z]+[a-z]?$)/.test(w) && !allowed.has(w),
  );
}

test('no English words left in Korean running text', () => {
  const problems = prose.flatMap((t) => {
    const words = englishWords(t.text);
    return words.length ? [`${t.where}: ${words.join(', ')}`] : [];
  });
  report('English in Korean text', problems);
});

const CONSONANT = new Set(['은', '이', '을', '과']);
const VOWEL = new Set(['는', '가', '를', '와']);

/** How a name in code is read: a call by its function name. */
function readingKey(code: string): string {
  const call = /^([A-Za-z_]\w*)\(.*\)$/s.exec(code);
  return call ? `${call[1]}()` : code;
}

test('a name in code always takes the same particle form', () => {
  const seen = new Map<string, Map<string, string>>();
  for (const t of prose) {
    for (const m of t.text.matchAll(/`([^`]+)`(으로|은|는|이|가|을|를|과|와|로)(?![\uac00-\ud7a3])/g)) {
      const key = readingKey(m[1]);
      const forms = seen.get(key) ?? new Map<string, string>();
      if (!forms.has(m[2])) forms.set(m[2], t.where);
      seen.set(key, forms);
    }
  }
  const problems: string[] = [];
  for (const [key, forms] of seen) {
    const has = (set: Set<string>): boolean => [...forms.keys()].some((p) => set.has(p));
    const euro = forms.has('으로');
    if ((has(CONSONANT) && has(VOWEL)) || (euro && forms.has('로')) || (euro && has(VOWEL))) {
      problems.push(`\`${key}\`: ${[...forms].map(([p, where]) => `${p} (${where})`).join(', ')}`);
    }
  }
  report('names read two ways', problems);
});
