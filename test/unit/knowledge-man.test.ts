/**
 * Function facts against the man pages installed on this machine: each knowledge/functions/<name>.json
 * names its page ("bind(2)"); its signature, return type and parameters must match that page's SYNOPSIS and
 * its `errors` must equal the errno names the page documents (ERRORS tags, "ENOBUFS or ENOMEM" and
 * "ENOSPC, EDQUOT" counting as both; see helpers/manpage.ts for pages without an ERRORS section).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionEntry } from '../../src/core/knowledge/schema';
import { documentedErrnos, findPrototype, loadManPage, normalizeType, sameDeclaration, type ManPage } from './helpers/manpage';

const dir = path.join(__dirname, '..', '..', 'knowledge', 'functions');

/**
 * Functions whose errno list is deliberately not the page's list. Each needs a reason; the check for every
 * other function stays exact.
 */
const ERRNO_EXCEPTIONS: Record<string, { errors: string[]; reason: string }> = {
  FD_ZERO: { errors: [], reason: 'a macro on select(2); it never sets errno, the ERRORS there belong to select()' },
  FD_SET: { errors: [], reason: 'a macro on select(2); it never sets errno, the ERRORS there belong to select()' },
  FD_CLR: { errors: [], reason: 'a macro on select(2); it never sets errno, the ERRORS there belong to select()' },
  FD_ISSET: { errors: [], reason: 'a macro on select(2); it never sets errno, the ERRORS there belong to select()' },
  freeaddrinfo: { errors: [], reason: 'cannot fail; the EAI_ codes on getaddrinfo(3) are returned by getaddrinfo() only' },
  gai_strerror: { errors: [], reason: 'cannot fail; the EAI_ codes on getaddrinfo(3) are its input, not its errors' },
};

/**
 * Functions whose page documents errors for several functions at once, or defers to another page. `alsoFrom`:
 * pages the ERRORS section points to ("Errors are as for sendmsg(2)"), whose tags count as this function's
 * too; `omit`: tags the page gives to a sibling function only ("(dup3()) flags contain an invalid value").
 * The rest of the check stays exact, and the rules are themselves checked against the pages.
 */
const ERRNO_RULES: Record<string, { alsoFrom?: string[]; omit?: string[]; observed?: string[]; reason: string }> = {
  socket: { observed: ['EPERM'], reason: 'Linux answers EPERM (not the page\'s EACCES) for SOCK_RAW without CAP_NET_RAW: probe test/probes/socket-raw-unprivileged.c' },
  sendmmsg: { alsoFrom: ['sendmsg(2)'], reason: 'sendmmsg(2): "Errors are as for sendmsg(2)"' },
  recvmmsg: { alsoFrom: ['recvmsg(2)'], reason: 'recvmmsg(2): "Errors are as for recvmsg(2)", plus its own EINVAL' },
  readv: { alsoFrom: ['read(2)'], omit: ['EOPNOTSUPP'], reason: 'readv(2) defers to read(2) for readv(); EOPNOTSUPP is about the flags of preadv2()/pwritev2()' },
  writev: { alsoFrom: ['write(2)'], omit: ['EOPNOTSUPP'], reason: 'readv(2) defers to write(2) for writev(); EOPNOTSUPP is about the flags of preadv2()/pwritev2()' },
  dup: { omit: ['EBUSY', 'EINTR', 'EINVAL'], reason: 'dup(2) gives EBUSY and EINTR to dup2()/dup3() and EINVAL to dup3() only' },
  dup2: { omit: ['EINVAL'], reason: 'dup(2) tags EINVAL "(dup3())" only' },
  waitpid: { omit: ['EAGAIN'], reason: 'wait(2) tags EAGAIN for a nonblocking PID file descriptor, which only waitid() takes' },
};

/** The errno names a function's page documents for it, after its rule (if any). */
function expectedErrnos(name: string, page: ManPage, pages: Map<string, ManPage | Error>): string[] {
  const rule = ERRNO_RULES[name];
  const names = new Set(documentedErrnos(page));
  for (const e of rule?.omit ?? []) names.delete(e);
  for (const e of rule?.observed ?? []) names.add(e);
  for (const ref of rule?.alsoFrom ?? []) {
    const other = pages.get(ref);
    if (other && !(other instanceof Error)) for (const e of documentedErrnos(other)) names.add(e);
  }
  return [...names].sort();
}

function loadFunctions(): { file: string; entry: FunctionEntry }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      try {
        return [{ file, entry: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as FunctionEntry }];
      } catch {
        return []; // reported by knowledge.test.ts
      }
    });
}

const functions = loadFunctions();

/** Every page the function files name, loaded once before the tests run, a few at a time (2 shared cores). */
async function loadPages(): Promise<Map<string, ManPage | Error>> {
  const named = functions.map((f) => f.entry.man).filter((m): m is string => typeof m === 'string');
  const refs = [...new Set([...named, ...Object.values(ERRNO_RULES).flatMap((r) => r.alsoFrom ?? [])])];
  const pages = new Map<string, ManPage | Error>();
  const worker = async (): Promise<void> => {
    for (let ref = refs.shift(); ref !== undefined; ref = refs.shift()) {
      try {
        pages.set(ref, await loadManPage(ref));
      } catch (err) {
        pages.set(ref, err as Error);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return pages;
}

const pagesReady = loadPages();

/** "struct sockaddr *addr", "int fd" */
function cParam(type: string, name: string): string {
  // a function pointer ("void *( *)(void *)") carries its name inside: "void *( *start_routine)(void *)"
  if (type.includes('( *)')) return type.replace('( *)', `( *${name})`);
  return (type.endsWith('*') ? `${type}${name}` : `${type} ${name}`).trim();
}

function report(title: string, problems: string[]): void {
  assert.equal(problems.length, 0, `${title} (${problems.length}):\n  ${problems.join('\n  ')}`);
}

test('the man pages named by the function files exist on this machine', async () => {
  const pages = await pagesReady;
  const problems = functions.flatMap(({ file, entry }) => {
    const page = pages.get(entry.man);
    return page instanceof Error ? [`${file}: ${page.message}`] : [];
  });
  report('missing man pages', problems);
});

test('signatures, return types and parameters match the man page SYNOPSIS', async () => {
  const pages = await pagesReady;
  const problems: string[] = [];
  for (const { file, entry } of functions) {
    const page = pages.get(entry.man);
    if (!page || page instanceof Error) continue;
    const proto = findPrototype(page.sections.get('SYNOPSIS') ?? '', entry.name);
    if (!proto) {
      problems.push(`${file}: ${entry.man} SYNOPSIS has no prototype for ${entry.name}`);
      continue;
    }
    if (typeof entry.signature !== 'string' || !sameDeclaration(entry.signature, proto.declaration))
      problems.push(`${file}: signature ${JSON.stringify(entry.signature)} differs from the man page's ${JSON.stringify(proto.declaration)}`);
    if (typeof entry.returnType !== 'string' || normalizeType(entry.returnType) !== proto.returnType)
      problems.push(`${file}: returnType ${JSON.stringify(entry.returnType)} differs from the man page's "${proto.returnType}"`);
    const params = Array.isArray(entry.params) ? entry.params : [];
    const ours = params.map((p) => cParam(normalizeType(String(p.type)), String(p.name))).join(', ');
    const theirs = proto.params.map((p) => cParam(p.type, p.name)).join(', ');
    if (ours !== theirs) problems.push(`${file}: params (${ours}) differ from the man page's (${theirs})`);
  }
  report('functions that disagree with their SYNOPSIS', problems);
});

test('errors equal the errno names the man page documents', async () => {
  const pages = await pagesReady;
  const problems: string[] = [];
  for (const { file, entry } of functions) {
    const page = pages.get(entry.man);
    if (!page || page instanceof Error) continue;
    const exception = ERRNO_EXCEPTIONS[entry.name];
    const expected = exception ? [...exception.errors].sort() : expectedErrnos(entry.name, page, pages);
    const actual = Array.isArray(entry.errors) ? [...entry.errors].map(String).sort() : [];
    const missing = expected.filter((e) => !actual.includes(e));
    const extra = actual.filter((e) => !expected.includes(e));
    const rule = ERRNO_RULES[entry.name];
    const source = exception ? `the exception list (${exception.reason})` : rule ? `${entry.man} with its rule (${rule.reason})` : entry.man;
    if (missing.length) problems.push(`${file}: missing ${missing.join(', ')} (listed by ${source})`);
    if (extra.length) problems.push(`${file}: ${extra.join(', ')} not listed by ${source}`);
  }
  report('functions whose errors differ from their man page', problems);
});

test('the exception list only names functions that exist and still need it', async () => {
  const pages = await pagesReady;
  const problems: string[] = [];
  for (const [name, exception] of Object.entries(ERRNO_EXCEPTIONS)) {
    const fn = functions.find((f) => f.entry.name === name);
    if (!fn) continue; // the coverage test in knowledge.test.ts reports missing functions
    const page = pages.get(fn.entry.man);
    if (!page || page instanceof Error) continue;
    if (documentedErrnos(page).join(',') === [...exception.errors].sort().join(','))
      problems.push(`${name}: the man page already lists exactly ${exception.errors.join(', ') || 'nothing'}; drop the exception`);
  }
  report('stale exceptions', problems);
});

test('the errno rules point at pages the ERRORS sections name, and omit only tags those pages have', async () => {
  const pages = await pagesReady;
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(ERRNO_RULES)) {
    const fn = functions.find((f) => f.entry.name === name);
    if (!fn) {
      problems.push(`${name}: a rule for a function without a knowledge/functions file`);
      continue;
    }
    const page = pages.get(fn.entry.man);
    if (!page || page instanceof Error) continue;
    const errors = (page.sections.get('ERRORS') ?? '').replace(/\s+/g, ' ');
    for (const ref of rule.alsoFrom ?? []) {
      if (!errors.includes(ref)) problems.push(`${name}: ${fn.entry.man} ERRORS does not refer to ${ref}`);
      const other = pages.get(ref);
      if (other instanceof Error) problems.push(`${name}: ${other.message}`);
    }
    const tags = documentedErrnos(page);
    for (const e of rule.omit ?? []) if (!tags.includes(e)) problems.push(`${name}: omits ${e}, which ${fn.entry.man} does not tag; drop it from the rule`);
    for (const e of rule.observed ?? []) {
      if (tags.includes(e)) problems.push(`${name}: ${fn.entry.man} now tags ${e}; drop it from the rule`);
      if (!(fn.entry.evidence ?? []).some((ev) => ev.claim === `errors.${e}.cause` && ev.probe !== undefined)) {
        problems.push(`${name}: observed ${e} needs a probe as evidence for errors.${e}.cause`);
      }
    }
  }
  report('errno rules that no longer match the pages', problems);
});
