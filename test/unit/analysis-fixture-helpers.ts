import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'explain');

/** `/*@ID*\/` markers → 0-based position of the first non-space character after each marker. */
export function findMarkers(text: string): Map<string, { line: number; character: number }> {
  const markers = new Map<string, { line: number; character: number }>();
  const pattern = /\/\*@([A-Za-z0-9_.-]+)\*\/[ \t]*/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const offset = match.index + match[0].length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    markers.set(match[1], { line, character: offset - (before.lastIndexOf('\n') + 1) });
  }
  return markers;
}

export interface AtExpectation {
  marker?: string;
  lang?: 'en' | 'ko';
  kind?: string;
  name?: string;
  /** In the hover or, for a call's card, in the full card behind its "More" link. */
  includes?: string[];
  /** Neither in the hover nor in the full card. */
  excludes?: string[];
  /** In the hover itself (a call's essentials). */
  hoverIncludes?: string[];
  /** The answer depends on code outside the enclosing function, so explainAround() may differ. */
  outsideFunction?: boolean;
}

export interface Expectations {
  calls?: string[];
  callArgs?: { name: string; nth?: number; args?: string[]; values?: Record<string, string | null>; recovered?: boolean }[];
  at?: Record<string, AtExpectation | null>;
  sockets?: { at: string; expect: Record<string, { role?: string; events?: string[] }> };
  port?: { argIndex: number } | null;
}

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2))
    .sort();
}

export function readFixture(name: string): { text: string; expect: Expectations } {
  const text = fs.readFileSync(path.join(FIXTURE_DIR, `${name}.c`), 'utf8');
  const expectFile = path.join(FIXTURE_DIR, `${name}.expect.json`);
  const expect = fs.existsSync(expectFile) ? (JSON.parse(fs.readFileSync(expectFile, 'utf8')) as Expectations) : {};
  return { text, expect };
}
