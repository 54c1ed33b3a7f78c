import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAnalyzer, checkSource, MAX_SOURCE_CHARS } from '../core/analysis/index';
import { toJson, toSarif, toText, type FileDiagnostics } from '../core/diagnostics/formats';
import { findKnowledgeDir } from '../core/knowledge/loader';
import type { Lang } from '../core/knowledge/schema';
import type { UiMessage } from '../core/l10n/uiText';
import { cliText, localeLanguage, parseFlags, UsageError, type CliIO, type Command } from './command';
import { readSource } from './input';

const USAGE: UiMessage = `Usage:
  socklens check FILE... [--json | --sarif] [--lang en|ko]
      Finds socket mistakes in C files without running them: missing htons(), constants in the wrong
      argument, address lengths, unchecked results … (codes SL1xx, documented in docs/diagnostics.md).
      A folder stands for the .c files in it and its subfolders.

Text output is gcc's style: FILE:LINE:COL: warning: MESSAGE [SL101] (severity error, warning or note).
--json prints {"diagnostics":[{"file","line","column","endLine","endColumn","code","severity","message",
   "fixes":[{"title","edits":[{"line","column","endLine","endColumn","newText"}]}]}]} (1-based).
--sarif prints a SARIF 2.1.0 log for code scanning services.
--lang defaults to Korean when the locale (LC_ALL, LC_MESSAGES, LANG) is ko_*, else English.
Exit codes: 0 no error or warning, 1 at least one error or warning, 2 bad arguments or unreadable file.`;

/** The .c files a command-line argument stands for: itself, or those under a folder (sorted, recursive). */
function expand(arg: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(arg);
  } catch {
    throw new UsageError('{0}: no such file or folder', arg);
  }
  if (!stat.isDirectory()) return [arg];
  return fs
    .readdirSync(arg, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(arg, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : expand(full);
      return entry.name.endsWith('.c') ? [full] : [];
    });
}

function packageVersion(): string {
  const file = path.join(findKnowledgeDir(), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseFlags(args, ['lang'], ['json', 'sarif', 'help']);
  const t = cliText();
  if (flags.has('help')) {
    io.out(t(USAGE));
    return 0;
  }
  if (positional.length === 0) throw new UsageError('missing FILE');
  if (flags.has('json') && flags.has('sarif')) throw new UsageError('--json and --sarif cannot be used together');
  const lang = (flags.get('lang') ?? localeLanguage()) as string;
  if (lang !== 'en' && lang !== 'ko') throw new UsageError('bad --lang "{0}": use en or ko', lang);
  const files = positional.flatMap(expand);
  const sources = files.map((file) => ({ file, text: readSource(file) }));

  const analyzer = await createAnalyzer();
  if (!analyzer.available) io.err(t('socklens: the C parser could not be loaded ({0})', analyzer.loadError ?? '?'));
  const results: FileDiagnostics[] = [];
  for (const { file, text } of sources) {
    const verdict = checkSource(text);
    if (verdict !== 'ok') {
      io.err(verdict === 'too-large' ? t('socklens: {0} is larger than {1} characters; not checked', file, MAX_SOURCE_CHARS) : t('socklens: {0} looks binary; not checked', file));
      continue;
    }
    results.push({ file, diagnostics: analyzer.diagnose(text, lang as Lang) });
  }

  if (flags.has('json')) io.out(JSON.stringify(toJson(results), null, 2));
  else if (flags.has('sarif')) {
    const root = path.join(findKnowledgeDir(), '..');
    const tool = {
      version: packageVersion(),
      srcRoot: pathToFileURL(process.cwd()).href.replace(/\/?$/, '/'),
      artifact: (file: string) =>
        path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: encodeURI(file.split(path.sep).join('/')), uriBaseId: 'SRCROOT' },
      helpUri: (docs: string) => {
        const [file, fragment] = docs.split('#');
        return pathToFileURL(path.join(root, file)).href + (fragment ? `#${fragment}` : '');
      },
    };
    io.out(JSON.stringify(toSarif(results, [...analyzer.kb.diagnostics.rules.values()], lang as Lang, tool, analyzer.kb.diagnostics.docs), null, 2));
  } else for (const line of toText(results)) io.out(line);
  return results.some((r) => r.diagnostics.some((d) => d.severity !== 'info')) ? 1 : 0;
}

export const command: Command = {
  name: 'check',
  summary: 'find socket mistakes in C files without running them (SL1xx diagnostics)',
  usage: USAGE,
  run,
};
