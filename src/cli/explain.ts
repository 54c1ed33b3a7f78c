import { createAnalyzer, checkSource, MAX_SOURCE_CHARS } from '../core/analysis/index';
import type { Lang } from '../core/knowledge/schema';
import type { UiMessage } from '../core/l10n/uiText';
import { cliText, localeLanguage, parseFlags, UsageError, type CliIO, type Command } from './command';
import { readSource } from './input';

const USAGE: UiMessage = `Usage:
  socklens explain FILE [--lang en|ko] [--json]
      Lists every socket API call in FILE: "LINE:COL name — summary".
  socklens explain FILE --at LINE:COL [--lang en|ko] [--json]
      Prints what the editor hover shows at that position (Markdown).

LINE and COL are 1-based; COL counts characters as editors do (UTF-16 code units).
--lang defaults to Korean when the locale (LC_ALL, LC_MESSAGES, LANG) is ko_*, else English.
--json prints {"calls":[{"name","line","column","args":[{"text","meaning","value"}]}]}
   or, with --at, {"kind","name","markdown"}.
Exit codes: 0 done, 1 nothing to explain at --at, 2 bad arguments, missing file or bad position.`;

function parsePosition(text: string): { line: number; column: number } {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new UsageError('bad position "{0}": expected LINE:COL, e.g. 35:6', text);
  const line = Number(match[1]);
  const column = Number(match[2]);
  if (line < 1 || column < 1) throw new UsageError('bad position "{0}": LINE and COL start at 1', text);
  return { line, column };
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

function lineLength(text: string, line: number): number {
  return (text.split('\n')[line - 1] ?? '').replace(/\r$/, '').length;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseFlags(args, ['at', 'lang'], ['json', 'help']);
  const t = cliText();
  if (flags.has('help')) {
    io.out(t(USAGE));
    return 0;
  }
  if (positional.length > 1) throw new UsageError('expected one FILE, got {0}', positional.length);
  if (positional.length === 0) throw new UsageError('missing FILE');
  const lang = (flags.get('lang') ?? localeLanguage()) as string;
  if (lang !== 'en' && lang !== 'ko') throw new UsageError('bad --lang "{0}": use en or ko', lang);
  const at = flags.get('at');
  if (at === true) throw new UsageError('--at needs LINE:COL');
  const position = at ? parsePosition(at) : undefined;
  const file = positional[0];
  const text = readSource(file);
  const json = flags.has('json');

  if (position) {
    if (position.line > lineCount(text) || position.column > lineLength(text, position.line) + 1) {
      const { line, column } = position;
      if (line > lineCount(text)) throw new UsageError('bad position {0}:{1}: {2} has {3} lines', line, column, file, lineCount(text));
      throw new UsageError('bad position {0}:{1}: {2} has {3} lines and line {4} has {5} characters', line, column, file, lineCount(text), line, lineLength(text, line));
    }
  }
  const verdict = checkSource(text);
  if (verdict !== 'ok') {
    io.err(verdict === 'too-large' ? t('socklens: {0} is larger than {1} characters; not explained', file, MAX_SOURCE_CHARS) : t('socklens: {0} looks binary; not explained', file));
  }
  const analyzer = await createAnalyzer();
  if (!analyzer.available) io.err(t('socklens: the C parser could not be loaded ({0})', analyzer.loadError ?? t('unknown reason')));

  if (!position) {
    const calls = analyzer.listCalls(text, lang as Lang);
    if (json) {
      const out = calls.map((c) => ({
        name: c.name,
        line: c.line + 1,
        column: c.character + 1,
        args: c.args.map((a) => ({ text: a.text, meaning: a.meaning ?? null, value: a.value ?? null })),
      }));
      io.out(JSON.stringify({ calls: out }, null, 2));
    } else {
      for (const c of calls) io.out(`${c.line + 1}:${c.character + 1} ${c.name} — ${c.summary}`);
    }
    return 0;
  }

  const explanation = analyzer.explainAt(text, position.line - 1, position.column - 1, lang as Lang);
  if (json) {
    io.out(JSON.stringify(explanation ? { kind: explanation.kind, name: explanation.name, markdown: explanation.markdown } : null, null, 2));
  } else if (explanation) {
    io.out(explanation.markdown);
  } else {
    io.err(t('socklens: nothing to explain at {0}:{1}', position.line, position.column));
  }
  return explanation ? 0 : 1;
}

export const command: Command = {
  name: 'explain',
  summary: 'list the socket calls in a C file, or explain what is at LINE:COL',
  usage: USAGE,
  run,
};
