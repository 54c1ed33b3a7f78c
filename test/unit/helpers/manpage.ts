/**
 * Reads the Linux man pages installed on this machine (`man -P cat`, flattened with `col -bx`) and extracts
 * the two facts the knowledge base copies from them: a function's prototype from SYNOPSIS and the errno
 * names tagged in ERRORS. Used by the knowledge-base tests to check the data against the real pages.
 */
import { execFile } from 'node:child_process';

export interface ManParam {
  name: string;
  /** Normalized C type (see normalizeType); "..." for a variadic tail. */
  type: string;
}

export interface ManPrototype {
  /** The declaration as printed (whitespace collapsed, attributes such as [[deprecated]] removed). */
  declaration: string;
  returnType: string;
  params: ManParam[];
}

export interface ManPage {
  /** e.g. "bind(2)" */
  ref: string;
  sections: Map<string, string>;
}

/** Splits "bind(2)" into page and section; undefined for anything else. */
export function parseManRef(ref: string): { page: string; section: string } | undefined {
  const m = /^([A-Za-z_][\w.-]*)\((\d[a-z]*)\)$/.exec(ref);
  return m ? { page: m[1], section: m[2] } : undefined;
}

/** The page rendered as plain text, 200 columns wide, so long prototypes and tags stay on one line. */
export function renderManPage(ref: string): Promise<string> {
  const parsed = parseManRef(ref);
  if (!parsed) return Promise.reject(new Error(`not a man page reference: "${ref}" (expected e.g. "bind(2)")`));
  // MAN_DISABLE_SECCOMP: man-db's sandbox setup costs more than rendering these small system pages
  const env = { ...process.env, MANWIDTH: '200', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', MAN_DISABLE_SECCOMP: '1' };
  // one shell pipeline: feeding col from node's side of a pipe sometimes delivered nothing under load
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', 'man -P cat "$0" "$1" | col -bx', parsed.section, parsed.page], { env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`man ${parsed.section} ${parsed.page} failed: ${stderr.trim() || err.message}`));
      else if (!/^NAME$/m.test(stdout))
        reject(new Error(`man ${parsed.section} ${parsed.page} printed no page (${stderr.trim() || 'empty output'}); install man-db, manpages and manpages-dev`));
      else resolve(stdout);
    });
  });
}

/** Splits rendered text into its top-level sections (headings start in column 0). */
export function splitSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (/^[A-Z][A-Z ]*[A-Z]$/.test(line)) {
      if (current) sections.set(current, lines.join('\n'));
      current = line;
      lines = [];
    } else if (current) {
      lines.push(line);
    }
  }
  if (current) sections.set(current, lines.join('\n'));
  return sections;
}

const pageCache = new Map<string, Promise<ManPage>>();

/** Loads (once per process) and splits a man page. */
export function loadManPage(ref: string): Promise<ManPage> {
  let page = pageCache.get(ref);
  if (!page) {
    page = renderManPage(ref).then((text) => ({ ref, sections: splitSections(text) }));
    pageCache.set(ref, page);
  }
  return page;
}

/** Canonical spelling of a C type: no qualifiers that do not change the type's meaning for a caller
 * (`restrict`, `_Nullable`, `_Nonnull`), single spaces, `*` written as " *", "**" kept together. */
export function normalizeType(type: string): string {
  return type
    .replace(/\b(restrict|_Nullable|_Nonnull|__restrict)\b/g, ' ')
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\* \*/g, '**')
    .replace(/\*\s+\*/g, '**')
    .replace(/\s+/g, ' ')
    .trim();
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Parses one parameter as the man pages write it: `const void buf[.len]`, `int sv[2]`,
 * `socklen_t *_Nullable restrict addrlen`, and `...@arg` (findPrototype's spelling of `... /\* arg *\/`). */
export function parseParam(text: string): ManParam {
  const variadic = /^\.\.\.(?:@(\w+))?$/.exec(text);
  if (variadic) return { name: variadic[1] ?? '...', type: '...' };
  let body = text.trim();
  let pointer = '';
  const array = /^(.*?)\s*\[[^\]]*\]\s*$/.exec(body);
  if (array) {
    body = array[1];
    pointer = ' *';
  }
  const m = /^(.*?)([A-Za-z_]\w*)$/.exec(body);
  if (!m || normalizeType(m[1]) === '') return { name: '', type: normalizeType(body + pointer) };
  return { name: m[2], type: normalizeType(m[1] + pointer) };
}

/** Finds the prototype of `name` in a SYNOPSIS section. */
/** Compares two C declarations ignoring layout: whitespace runs, spaces next to brackets and commas. */
export function sameDeclaration(a: string, b: string): boolean {
  const canon = (s: string) =>
    s
      .replace(/\[\[[^\]]*\]\]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/\s*([(),\[\]])\s*/g, '$1')
      .replace(/\s*\*\s*/g, '*')
      .trim();
  return canon(a) === canon(b);
}

export function findPrototype(synopsis: string, name: string): ManPrototype | undefined {
  const end = synopsis.search(/^ {3}Feature Test Macro Requirements/m);
  const body = (end >= 0 ? synopsis.slice(0, end) : synopsis)
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join(' ')
    // keep the name in `... /* arg */` (fcntl), drop every other comment
    .replace(/\.\.\.\s*\/\*\s*(\w+)\s*\*\//g, '...@$1')
    .replace(/\/\*.*?\*\//g, ' ');
  for (const raw of body.split(';')) {
    const decl = raw.replace(/\[\[[^\]]*\]\]/g, ' ').replace(/\s+/g, ' ').trim();
    const m = new RegExp(`^(.*?)\\b${name}\\s*\\((.*)\\)$`).exec(decl);
    if (!m) continue;
    const inner = m[2].trim();
    const params = inner === 'void' ? [] : splitTopLevel(inner).map(parseParam);
    const declaration = decl.replace(/\.\.\.@(\w+)/g, '... /* $1 */');
    return { declaration, returnType: normalizeType(m[1]), params };
  }
  return undefined;
}

/** errno names tagged in a section: lines indented by exactly seven spaces that start with `EXXX`,
 * `EXXX or EYYY`, or `EXXX, EYYY`. */
export function taggedErrnos(section: string): string[] {
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const m = /^ {7}(E[A-Z0-9_]+(?:(?:,| or) E[A-Z0-9_]+)*)(?:\s|$)/.exec(line);
    if (!m) continue;
    for (const name of m[1].split(/,| or /)) names.add(name.trim());
  }
  return [...names].sort();
}

/** The errno names a page documents for its functions: the tags of ERRORS; for pages without an ERRORS
 * section (getaddrinfo(3), inet_pton(3)), the tags of RETURN VALUE plus names in "errno is set to EXXX". */
export function documentedErrnos(page: ManPage): string[] {
  const errors = page.sections.get('ERRORS');
  if (errors !== undefined) return taggedErrnos(errors);
  const returnValue = page.sections.get('RETURN VALUE') ?? '';
  const names = new Set(taggedErrnos(returnValue));
  for (const m of returnValue.matchAll(/errno\s+is\s+set\s+to\s+(E[A-Z0-9]+)/g)) names.add(m[1]);
  return [...names].sort();
}
