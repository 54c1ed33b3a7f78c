/** Reading a C file, shared by the commands that read source files. */
import * as fs from 'node:fs';
import { UsageError } from './command';

export function readSource(file: string): string {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('{0}: no such file', file);
    if (code === 'EISDIR') throw new UsageError('{0}: is a directory', file);
    throw new UsageError('{0}: cannot read ({1})', file, code ?? String(err));
  }
  // Editors hide a UTF-8 byte order mark; so do we, to keep columns the same as theirs.
  return data.toString('utf8').replace(/^\uFEFF/, '');
}
