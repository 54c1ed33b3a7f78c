/** Reading a C file and choosing the output language, shared by the commands that read source files. */
import * as fs from 'node:fs';
import type { Lang } from '../core/knowledge/schema';
import { UsageError } from './command';

export function readSource(file: string): string {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : code === 'EISDIR' ? `${file}: is a directory` : `${file}: cannot read (${code ?? String(err)})`);
  }
  // Editors hide a UTF-8 byte order mark; so do we, to keep columns the same as theirs.
  return data.toString('utf8').replace(/^\uFEFF/, '');
}

/** Korean when the locale says so (LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else English. */
export function localeLanguage(): Lang {
  const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
