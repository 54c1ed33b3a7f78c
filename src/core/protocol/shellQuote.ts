/**
 * An argv as a shell would need it typed: arguments with spaces, quotes or shell characters (and empty ones) in
 * single quotes, so `./client 'hello world'` shows two arguments, not three.
 */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
