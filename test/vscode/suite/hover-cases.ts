// The hover suite's cases, shared by the code-server driver (test/vscode/hover.test.ts) and the desktop
// @vscode/test-cli suite (test/vscode/suite/desktop/hover.suite.ts). Positions are found in the example's text,
// so edits to the example move them along; expectations are per display language.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Lang = 'en' | 'ko';

export interface HoverCase {
  name: string;
  /** File relative to the workspace (examples/ plus test/vscode/fixtures/). */
  file: string;
  /** A regex that picks the line; `token` is then found on that line. */
  line: RegExp;
  token: string;
  /** Every pattern must match the hover's markdown. */
  expect: Record<Lang, RegExp[]>;
}

const hangul = /[가-힣]/;

export const hoverCases: HoverCase[] = [
  {
    name: 'socket() call: the call card with a link to the full card',
    file: 'hello_server.c',
    line: /=\s*socket\(PF_INET/,
    token: 'socket',
    expect: {
      en: [/Step 1 of 4/, /`PF_INET` — \*\*IPv4\*\*/, /a TCP byte stream/, /EMFILE/, /\[More…\]\(command:socklens\.explainFull\?/],
      ko: [/4단계 중 1단계/, hangul, /`PF_INET` — \*\*IPv4\*\*/, /TCP 바이트 스트림/, /\[자세히…\]\(command:socklens\.explainFull\?/],
    },
  },
  {
    name: 'argument PF_INET of socket()',
    file: 'hello_server.c',
    line: /=\s*socket\(PF_INET/,
    token: 'PF_INET',
    expect: {
      en: [/PF_INET/, /`2`/, /argument 1 \(`domain`\) of `socket\(\)`/],
      ko: [/PF_INET/, /`2`/, hangul],
    },
  },
  {
    name: 'constant AF_INET',
    file: 'hello_server.c',
    line: /sin_family\s*=\s*AF_INET/,
    token: 'AF_INET',
    expect: { en: [/AF_INET/, /`2`/, /IPv4/], ko: [/AF_INET/, /`2`/, hangul] },
  },
  {
    name: 'struct field sin_port',
    file: 'hello_server.c',
    line: /\.sin_port\s*=/,
    token: 'sin_port',
    expect: { en: [/sin_port/, /network byte order/, /argv\[1\]/], ko: [/sin_port/, /argv\[1\]/, hangul] },
  },
  {
    name: 'listening socket variable serv_sock',
    file: 'hello_server.c',
    line: /bind\(serv_sock/,
    token: 'serv_sock',
    expect: { en: [/serv_sock/, /listening socket/, /accept\(\)/], ko: [/serv_sock/, /리스닝/, hangul] },
  },
  {
    name: 'connected socket variable clnt_sock',
    file: 'hello_server.c',
    line: /write\(clnt_sock/,
    token: 'clnt_sock',
    expect: { en: [/clnt_sock/, /connected socket/, /accept\(\)/], ko: [/clnt_sock/, /연결된 소켓/, hangul] },
  },
  {
    name: 'misspelled constant SOCK_RAM',
    file: 'misspelled_client.c',
    line: /SOCK_RAM/,
    token: 'SOCK_RAM',
    expect: { en: [/`SOCK_RAM`/, /did you mean `SOCK_RAW`/], ko: [/`SOCK_RAW`/, hangul] },
  },
];

/** Where a case's files come from: the workspace the tests open is a copy of these two folders. */
export function sourceFile(repoRoot: string, file: string): string {
  const inExamples = path.join(repoRoot, 'examples', file);
  return fs.existsSync(inExamples) ? inExamples : path.join(repoRoot, 'test', 'vscode', 'fixtures', file);
}

/** The 0-based position of the middle of the case's token (tabs count as one character, as in VS Code). */
export function positionOf(text: string, hoverCase: Pick<HoverCase, 'line' | 'token' | 'name'>): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => hoverCase.line.test(l));
  if (line < 0) throw new Error(`${hoverCase.name}: no line matches ${hoverCase.line}`);
  const match = new RegExp(`\\b${hoverCase.token}\\b`).exec(lines[line]);
  if (!match) throw new Error(`${hoverCase.name}: line ${line + 1} has no token ${hoverCase.token}`);
  return { line, character: match.index + Math.floor(hoverCase.token.length / 2) };
}

/** The patterns a hover's markdown fails, as readable lines (empty when it passes). */
export function hoverFailures(hoverCase: HoverCase, lang: Lang, contents: string[]): string[] {
  const markdown = contents.join('\n\n');
  if (markdown.trim() === '') return [`${hoverCase.name}: no hover at all`];
  const failures = hoverCase.expect[lang].filter((re) => !re.test(markdown)).map((re) => `${hoverCase.name} (${lang}): hover lacks ${re}`);
  if (lang === 'en' && hangul.test(markdown)) failures.push(`${hoverCase.name} (en): English hover contains Korean text`);
  return failures.length > 0 ? [...failures, `--- hover was:\n${markdown}`] : [];
}
