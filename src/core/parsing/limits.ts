/**
 * Inputs SockLens refuses to parse. They get "no explanation", never an error.
 *
 * MAX_SOURCE_CHARS: 2 MiB of UTF-16 code units (≈ 2 MB of ASCII C). A hand-written socket program is a few
 * kilobytes; above this size a full parse costs hundreds of milliseconds and tens of MB of WASM memory per
 * tree, which a hover must not pay. Generated files this large are not what SockLens explains.
 */
export const MAX_SOURCE_CHARS = 2 * 1024 * 1024;

export type SourceVerdict = 'ok' | 'too-large' | 'binary';

/** Share of U+FFFD (what invalid UTF-8 decodes to) above which text is treated as binary. */
const MAX_REPLACEMENT_SHARE = 0.01;

export function checkSource(text: string): SourceVerdict {
  if (text.length > MAX_SOURCE_CHARS) return 'too-large';
  if (text.includes('\u0000')) return 'binary';
  let replacements = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) replacements++;
  if (replacements > 8 && replacements > text.length * MAX_REPLACEMENT_SHARE) return 'binary';
  return 'ok';
}
