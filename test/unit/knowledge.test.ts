/**
 * Structure of the knowledge base: every file parses and has the shape of src/core/knowledge/schema.ts,
 * English and Korean cover exactly the same keys, cross-references resolve, and the functions the product
 * promises are all there. Each test collects every problem and fails once, listing them all by entry.
 * Facts against the machine (man pages, gcc) are checked in knowledge-man.test.ts and knowledge-gcc.test.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledgeBase } from '../../src/core/knowledge/loader';

const dir = path.join(__dirname, '..', '..', 'knowledge');

/** The functions issue 2 requires the knowledge base to cover. */
const REQUIRED_FUNCTIONS = [
  'socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect', 'send', 'sendto', 'sendmsg',
  'recv', 'recvfrom', 'recvmsg', 'read', 'write', 'close', 'shutdown', 'setsockopt', 'getsockopt',
  'getsockname', 'getpeername', 'htons', 'htonl', 'ntohs', 'ntohl', 'inet_pton', 'inet_ntop', 'inet_addr',
  'inet_aton', 'inet_ntoa', 'getaddrinfo', 'freeaddrinfo', 'gai_strerror', 'select', 'FD_ZERO', 'FD_SET',
  'FD_ISSET', 'FD_CLR', 'poll', 'epoll_create1', 'epoll_ctl', 'epoll_wait', 'fcntl', 'fork', 'perror', 'strerror',
];

/** Calls the runner traces beyond issue 2's list (waits with signal masks, batched and zero-copy I/O, descriptor
 * copies); hovering them in the editor must explain them too. */
const TRACED_FUNCTIONS = [
  'ppoll', 'pselect', 'epoll_pwait', 'epoll_pwait2', 'sendmmsg', 'recvmmsg', 'sendfile', 'readv', 'writev', 'dup',
  'dup2', 'dup3',
];

/** Flags only those traced calls take. */
const TRACED_CONSTANTS = ['MSG_WAITFORONE', 'O_CLOEXEC'];

/** The constants issue 2 and its knowledge-base brief require. */
const REQUIRED_CONSTANTS = [
  'AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_UNSPEC', 'PF_INET', 'PF_INET6', 'PF_UNIX', 'PF_UNSPEC',
  'SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_SEQPACKET', 'SOCK_NONBLOCK', 'SOCK_CLOEXEC',
  'IPPROTO_TCP', 'IPPROTO_UDP', 'IPPROTO_IP', 'IPPROTO_IPV6', 'INADDR_ANY', 'INADDR_LOOPBACK', 'INADDR_NONE',
  'INADDR_BROADCAST', 'in6addr_any', 'IN6ADDR_ANY_INIT', 'in6addr_loopback', 'SOL_SOCKET', 'SO_REUSEADDR',
  'SO_REUSEPORT', 'SO_KEEPALIVE', 'SO_RCVBUF', 'SO_SNDBUF', 'SO_LINGER', 'SO_ERROR', 'SO_BROADCAST',
  'SO_RCVTIMEO', 'SO_SNDTIMEO', 'TCP_NODELAY', 'IPV6_V6ONLY', 'SHUT_RD', 'SHUT_WR', 'SHUT_RDWR', 'MSG_PEEK',
  'MSG_WAITALL', 'MSG_DONTWAIT', 'MSG_NOSIGNAL', 'MSG_OOB', 'MSG_TRUNC', 'MSG_MORE', 'SOMAXCONN', 'O_NONBLOCK',
  'F_GETFL', 'F_SETFL', 'EPOLLIN', 'EPOLLOUT', 'EPOLLERR', 'EPOLLHUP', 'EPOLLET', 'EPOLL_CTL_ADD',
  'EPOLL_CTL_MOD', 'EPOLL_CTL_DEL', 'EPOLL_CLOEXEC', 'POLLIN', 'POLLOUT', 'POLLERR', 'POLLHUP', 'FD_SETSIZE',
  'INET_ADDRSTRLEN', 'INET6_ADDRSTRLEN', 'AI_PASSIVE', 'AI_CANONNAME', 'AI_NUMERICHOST',
];

const REQUIRED_STRUCTS = [
  'sockaddr', 'sockaddr_in', 'in_addr', 'sockaddr_in6', 'in6_addr', 'sockaddr_un', 'sockaddr_storage', 'addrinfo',
  'pollfd', 'epoll_event', 'fd_set', 'msghdr', 'iovec', 'linger', 'timeval', 'socklen_t', 'sa_family_t',
  'in_port_t', 'in_addr_t', 'ssize_t',
];

/** The source tutorial's own (socket-tutorial-ko.md): constants, and the parameter name `ptorocol`. */
const REQUIRED_MISSPELLINGS = ['AF_DGFAM', 'SOCK_RAM', 'IPROTO_TCP', 'IPROTO_UDP', 'ptorocol'];

type Json = unknown;
type Obj = Record<string, Json>;

/** Collects problems, each prefixed with where it was found. */
class Problems {
  readonly list: string[] = [];
  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }
  assertNone(title: string): void {
    assert.equal(this.list.length, 0, `${title} (${this.list.length}):\n  ${this.list.join('\n  ')}`);
  }
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: Json): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

const HANGUL = /[\uac00-\ud7a3]/;

/** Checks an object's keys: all required present, nothing outside required + optional. */
function checkKeys(p: Problems, where: string, o: Obj, required: string[], optional: string[] = []): void {
  for (const k of required) if (!(k in o)) p.add(where, `missing "${k}"`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) p.add(where, `unknown key "${k}"`);
}

/** Text with no words of any language: only `code`, numbers and punctuation (e.g. "`0`."). */
function onlyCode(v: string): boolean {
  return !/[A-Za-z\uac00-\ud7a3]/.test(v.replace(/`[^`]*`/g, ''));
}

/** A sentence in one language: non-empty, Korean text contains Hangul (unless it is only code), English
 * text does not. */
function checkSentence(p: Problems, where: string, v: Json, lang: 'en' | 'ko'): void {
  if (!nonEmptyString(v)) {
    p.add(where, 'must be a non-empty string');
    return;
  }
  if (lang === 'ko' && !HANGUL.test(v) && !onlyCode(v)) p.add(where, 'Korean text has no Hangul (untranslated?)');
  if (lang === 'en' && HANGUL.test(v)) p.add(where, 'English text contains Hangul');
}

function sameKeys(p: Problems, where: string, en: Obj, ko: Obj): void {
  const a = Object.keys(en).sort().join(',');
  const b = Object.keys(ko).sort().join(',');
  if (a !== b) p.add(where, `en keys [${a}] differ from ko keys [${b}]`);
}

interface Loaded {
  file: string;
  data: Json;
}

function readAll(p: Problems): { functions: Loaded[]; constants: Loaded[]; single: Map<string, Json> } {
  const read = (file: string): Json | undefined => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    } catch (err) {
      p.add(path.relative(dir, file), `does not parse: ${(err as Error).message}`);
      return undefined;
    }
  };
  const list = (sub: string): Loaded[] =>
    fs
      .readdirSync(path.join(dir, sub))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) => {
        const data = read(path.join(dir, sub, f));
        return data === undefined ? [] : [{ file: `${sub}/${f}`, data }];
      });
  const single = new Map<string, Json>();
  for (const name of ['structs', 'errno', 'misspellings', 'story']) {
    const data = read(path.join(dir, `${name}.json`));
    if (data !== undefined) single.set(name, data);
  }
  return { functions: list('functions'), constants: list('constants'), single };
}

function checkFunction(p: Problems, file: string, f: Json): void {
  if (!isObj(f)) return p.add(file, 'must be an object');
  checkKeys(p, file, f, ['name', 'headers', 'signature', 'returnType', 'params', 'man', 'errors', 'en', 'ko'], ['serverStep', 'macro', 'returnsDescriptor', 'evidence']);
  if (!nonEmptyString(f.name)) p.add(file, '"name" must be a non-empty string');
  else if (`functions/${f.name}.json` !== file) p.add(file, `file name does not match "name" ${f.name}`);
  if (!Array.isArray(f.headers) || f.headers.length === 0 || !f.headers.every(nonEmptyString)) p.add(file, '"headers" must be a non-empty string array');
  else for (const h of f.headers) if (!/^[\w/.+-]+\.h$/.test(h)) p.add(file, `header "${h}" should look like "sys/socket.h" (no <>)`);
  if (!nonEmptyString(f.signature)) p.add(file, '"signature" must be a non-empty string');
  else if (f.signature.trim().endsWith(';')) p.add(file, '"signature" must not end with ";"');
  if (!nonEmptyString(f.returnType)) p.add(file, '"returnType" must be a non-empty string');
  const paramNames: string[] = [];
  if (!Array.isArray(f.params)) p.add(file, '"params" must be an array');
  else
    f.params.forEach((param, i) => {
      if (!isObj(param)) return p.add(file, `params[${i}] must be an object`);
      checkKeys(p, `${file} params[${i}]`, param, ['name', 'type']);
      if (!nonEmptyString(param.name) || !nonEmptyString(param.type)) return p.add(file, `params[${i}] needs string name and type`);
      if (paramNames.includes(param.name)) p.add(file, `duplicate parameter "${param.name}"`);
      paramNames.push(param.name);
    });
  if (!nonEmptyString(f.man) || !/^[A-Za-z_][\w.-]*\(\d[a-z]*\)$/.test(f.man)) p.add(file, `"man" must look like "bind(2)", got ${JSON.stringify(f.man)}`);
  const errors: string[] = [];
  if (!Array.isArray(f.errors) || !f.errors.every(nonEmptyString)) p.add(file, '"errors" must be a string array');
  else {
    errors.push(...f.errors);
    const dup = errors.filter((e, i) => errors.indexOf(e) !== i);
    if (dup.length) p.add(file, `duplicate errors ${dup.join(', ')}`);
  }
  if (f.serverStep !== undefined && ![1, 2, 3, 4].includes(f.serverStep as number)) p.add(file, '"serverStep" must be 1..4');
  if (f.macro !== undefined && typeof f.macro !== 'boolean') p.add(file, '"macro" must be a boolean');
  if (f.returnsDescriptor !== undefined && !['socket', 'connected', 'epoll', 'pid'].includes(f.returnsDescriptor as string))
    p.add(file, '"returnsDescriptor" must be socket | connected | epoll | pid');
  const texts: Partial<Record<'en' | 'ko', Obj>> = {};
  for (const lang of ['en', 'ko'] as const) {
    const t = f[lang];
    const where = `${file} ${lang}`;
    if (!isObj(t)) {
      p.add(where, 'must be an object');
      continue;
    }
    texts[lang] = t;
    checkKeys(p, where, t, ['summary', 'description', 'params', 'returns', 'errors'], ['story', 'notes']);
    for (const k of ['summary', 'description', 'returns', 'story', 'notes']) if (k in t) checkSentence(p, `${where}.${k}`, t[k], lang);
    if (nonEmptyString(t.summary) && t.summary.includes('\n')) p.add(`${where}.summary`, 'must be one line');
    if (f.serverStep !== undefined && !('story' in t)) p.add(where, 'a server step needs a "story" line');
    if (f.serverStep === undefined && 'story' in t) p.add(where, '"story" is only for the four server steps (set serverStep)');
    if (!isObj(t.params)) p.add(where, '"params" must be an object');
    else {
      const keys = Object.keys(t.params).sort().join(',');
      const want = [...paramNames].sort().join(',');
      if (keys !== want) p.add(`${where}.params`, `keys [${keys}] must equal the parameter names [${want}]`);
      for (const [name, pt] of Object.entries(t.params)) {
        if (!isObj(pt)) {
          p.add(`${where}.params.${name}`, 'must be an object');
          continue;
        }
        checkKeys(p, `${where}.params.${name}`, pt, ['meaning'], ['values', 'mistakes']);
        for (const [k, v] of Object.entries(pt)) checkSentence(p, `${where}.params.${name}.${k}`, v, lang);
      }
    }
    if (!isObj(t.errors)) p.add(where, '"errors" must be an object');
    else {
      const keys = Object.keys(t.errors).sort().join(',');
      const want = [...errors].sort().join(',');
      if (keys !== want) p.add(`${where}.errors`, `keys [${keys}] must equal "errors" [${want}]`);
      for (const [name, et] of Object.entries(t.errors)) {
        if (!isObj(et)) {
          p.add(`${where}.errors.${name}`, 'must be an object');
          continue;
        }
        checkKeys(p, `${where}.errors.${name}`, et, ['cause', 'fix']);
        for (const [k, v] of Object.entries(et)) checkSentence(p, `${where}.errors.${name}.${k}`, v, lang);
      }
    }
  }
  const { en, ko } = texts;
  if (en && ko) {
    sameKeys(p, `${file} en/ko`, en, ko);
    for (const part of ['params', 'errors'] as const) {
      const a = en[part];
      const b = ko[part];
      if (!isObj(a) || !isObj(b)) continue;
      for (const k of Object.keys(a)) {
        const x = a[k];
        const y = b[k];
        if (isObj(x) && isObj(y)) sameKeys(p, `${file} en/ko ${part}.${k}`, x, y);
      }
    }
  }
}

function checkBilingual(p: Problems, where: string, o: Obj): void {
  checkSentence(p, `${where}.en`, o.en, 'en');
  checkSentence(p, `${where}.ko`, o.ko, 'ko');
}

function entriesOf(p: Problems, where: string, data: Json): Obj[] {
  if (!isObj(data) || !Array.isArray(data.entries)) {
    p.add(where, 'must be an object with an "entries" array');
    return [];
  }
  return data.entries.filter((e, i): e is Obj => {
    if (!isObj(e)) p.add(`${where} entries[${i}]`, 'must be an object');
    return isObj(e);
  });
}

function checkUnique(p: Problems, where: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) p.add(where, `"${n}" is defined more than once`);
    seen.add(n);
  }
}

const C_IDENT = /^[A-Za-z_]\w*$/;

function checkConstants(p: Problems, files: Loaded[]): Obj[] {
  const all: Obj[] = [];
  for (const { file, data } of files) {
    if (isObj(data)) {
      checkKeys(p, file, data, ['group', 'entries']);
      if (!nonEmptyString(data.group)) p.add(file, '"group" must be a non-empty string');
      else if (`constants/${data.group}.json` !== file) p.add(file, `group "${data.group}" does not match the file name`);
    }
    for (const e of entriesOf(p, file, data)) {
      const where = `${file} ${String(e.name)}`;
      checkKeys(p, where, e, ['name', 'value', 'header', 'en', 'ko'], ['usedIn', 'aliasOf', 'evidence']);
      if (!nonEmptyString(e.name) || !C_IDENT.test(e.name)) p.add(where, '"name" must be a C identifier');
      if (typeof e.value === 'number') {
        if (!Number.isSafeInteger(e.value)) p.add(where, '"value" must be an integer');
      } else if (typeof e.value !== 'string' || e.value === '') p.add(where, '"value" must be a number or a non-empty string');
      if (!nonEmptyString(e.header) || !/^[\w/.+-]+\.h$/.test(e.header)) p.add(where, '"header" must look like "sys/socket.h"');
      if (e.usedIn !== undefined && (!Array.isArray(e.usedIn) || !e.usedIn.every(nonEmptyString))) p.add(where, '"usedIn" must be a string array');
      if (e.aliasOf !== undefined && !nonEmptyString(e.aliasOf)) p.add(where, '"aliasOf" must be a string');
      checkBilingual(p, where, e);
      all.push(e);
    }
  }
  checkUnique(p, 'constants', all.map((e) => String(e.name)));
  return all;
}

function checkStructs(p: Problems, data: Json | undefined): Obj[] {
  if (data === undefined) {
    p.add('structs.json', 'missing');
    return [];
  }
  const entries = entriesOf(p, 'structs.json', data);
  for (const e of entries) {
    const where = `structs.json ${String(e.name)}`;
    checkKeys(p, where, e, ['name', 'kind', 'header', 'size', 'fields', 'en', 'ko'], ['evidence']);
    if (!nonEmptyString(e.name) || !C_IDENT.test(e.name)) p.add(where, '"name" must be a C identifier');
    if (e.kind !== 'struct' && e.kind !== 'type') p.add(where, '"kind" must be "struct" or "type"');
    if (!nonEmptyString(e.header)) p.add(where, '"header" must be a string');
    if (typeof e.size !== 'number' || !Number.isInteger(e.size) || e.size <= 0) p.add(where, '"size" must be a positive integer');
    if (!Array.isArray(e.fields)) p.add(where, '"fields" must be an array');
    else {
      e.fields.forEach((field, i) => {
        if (!isObj(field)) return p.add(`${where} fields[${i}]`, 'must be an object');
        const fw = `${where}.${String(field.name)}`;
        checkKeys(p, fw, field, ['name', 'type', 'en', 'ko'], ['evidence']);
        if (!nonEmptyString(field.name) || !C_IDENT.test(field.name)) p.add(fw, '"name" must be a C identifier');
        if (!nonEmptyString(field.type)) p.add(fw, '"type" must be a non-empty string');
        checkBilingual(p, fw, field);
      });
      checkUnique(p, where, e.fields.filter(isObj).map((f) => String(f.name)));
    }
    checkBilingual(p, where, e);
  }
  checkUnique(p, 'structs.json', entries.map((e) => String(e.name)));
  return entries;
}

function checkErrnos(p: Problems, data: Json | undefined): Obj[] {
  if (data === undefined) {
    p.add('errno.json', 'missing');
    return [];
  }
  const entries = entriesOf(p, 'errno.json', data);
  for (const e of entries) {
    const where = `errno.json ${String(e.name)}`;
    checkKeys(p, where, e, ['name', 'value', 'message', 'en', 'ko'], ['evidence']);
    if (!nonEmptyString(e.name) || !/^E[A-Z0-9_]+$/.test(e.name)) p.add(where, '"name" must look like EXXX');
    if (typeof e.value !== 'number' || !Number.isInteger(e.value)) p.add(where, '"value" must be an integer');
    if (!nonEmptyString(e.message)) p.add(where, '"message" must be a non-empty string');
    checkBilingual(p, where, e);
  }
  checkUnique(p, 'errno.json', entries.map((e) => String(e.name)));
  return entries;
}

function checkMisspellings(p: Problems, data: Json | undefined): Obj[] {
  if (data === undefined) {
    p.add('misspellings.json', 'missing');
    return [];
  }
  const entries = entriesOf(p, 'misspellings.json', data);
  for (const e of entries) {
    const where = `misspellings.json ${String(e.wrong)}`;
    checkKeys(p, where, e, ['wrong', 'right', 'en', 'ko'], ['evidence']);
    if (!nonEmptyString(e.wrong) || !nonEmptyString(e.right)) p.add(where, '"wrong" and "right" must be non-empty strings');
    else if (e.wrong === e.right) p.add(where, '"wrong" equals "right"');
    checkBilingual(p, where, e);
  }
  checkUnique(p, 'misspellings.json', entries.map((e) => String(e.wrong)));
  return entries;
}

function checkStory(p: Problems, data: Json | undefined): void {
  if (!isObj(data) || !Array.isArray(data.steps)) return p.add('story.json', 'must be an object with a "steps" array');
  checkKeys(p, 'story.json', data, ['steps']);
  const steps = data.steps.filter(isObj);
  const numbers = steps.map((s) => s.step).join(',');
  if (numbers !== '1,2,3,4') p.add('story.json', `steps must be 1,2,3,4 in order, got ${numbers}`);
  const calls = steps.map((s) => s.call).join(',');
  if (calls !== 'socket,bind,listen,accept') p.add('story.json', `calls must be socket,bind,listen,accept, got ${calls}`);
  for (const s of steps) {
    const where = `story.json step ${String(s.step)}`;
    checkKeys(p, where, s, ['step', 'call', 'en', 'ko']);
    for (const lang of ['en', 'ko'] as const) {
      const t = s[lang];
      if (!isObj(t)) {
        p.add(`${where}.${lang}`, 'must be an object');
        continue;
      }
      checkKeys(p, `${where}.${lang}`, t, ['title', 'line']);
      checkSentence(p, `${where}.${lang}.title`, t.title, lang);
      checkSentence(p, `${where}.${lang}.line`, t.line, lang);
    }
  }
}

const parseProblems = new Problems();
const raw = readAll(parseProblems);
const functions = raw.functions.map((l) => l.data).filter(isObj);

test('every knowledge file parses', () => parseProblems.assertNone('knowledge files that do not parse'));

test('function files match the schema and have identical en/ko keys', () => {
  const p = new Problems();
  for (const { file, data } of raw.functions) checkFunction(p, file, data);
  p.assertNone('function file problems');
});

const shape = new Problems();
const constants = checkConstants(shape, raw.constants);
const structs = checkStructs(shape, raw.single.get('structs'));
const errnos = checkErrnos(shape, raw.single.get('errno'));
const misspellings = checkMisspellings(shape, raw.single.get('misspellings'));
checkStory(shape, raw.single.get('story'));

test('constants, structs, errno, misspellings and story match the schema, in English and Korean', () =>
  shape.assertNone('data file problems'));

test('the required functions are all covered', () => {
  const have = new Set(functions.map((f) => f.name));
  const missing = [...REQUIRED_FUNCTIONS, ...TRACED_FUNCTIONS].filter((n) => !have.has(n));
  assert.deepEqual(missing, [], `functions without a knowledge/functions/<name>.json: ${missing.join(', ')}`);
});

test('the required constants, structs and misspellings are all covered', () => {
  const missing = [
    ...[...REQUIRED_CONSTANTS, ...TRACED_CONSTANTS].filter((n) => !constants.some((c) => c.name === n)).map((n) => `constant ${n}`),
    ...REQUIRED_STRUCTS.filter((n) => !structs.some((s) => s.name === n)).map((n) => `struct/type ${n}`),
    ...REQUIRED_MISSPELLINGS.filter((n) => !misspellings.some((m) => m.wrong === n)).map((n) => `misspelling ${n}`),
  ];
  assert.deepEqual(missing, [], `missing: ${missing.join(', ')}`);
});

test('every errno named by a function has an errno.json entry', () => {
  const known = new Set(errnos.map((e) => e.name));
  const p = new Problems();
  for (const f of functions)
    if (Array.isArray(f.errors)) for (const e of f.errors) if (!known.has(e)) p.add(`functions/${String(f.name)}.json`, `${String(e)} has no errno.json entry`);
  p.assertNone('errno names without an entry');
});

test('cross-references resolve: misspellings, aliases, usedIn, story calls', () => {
  const p = new Problems();
  const byName = new Map(constants.map((c) => [String(c.name), c]));
  const structByName = new Map(structs.map((s) => [String(s.name), s]));
  const fieldNames = new Set(structs.flatMap((s) => (Array.isArray(s.fields) ? s.fields.filter(isObj).map((f) => String(f.name)) : [])));
  const functionByName = new Map(functions.map((f) => [String(f.name), f]));
  const paramNames = new Set(functions.flatMap((f) => (Array.isArray(f.params) ? f.params.filter(isObj).map((q) => String(q.name)) : [])));
  const rightExists = (right: string): boolean =>
    byName.has(right) || structByName.has(right) || fieldNames.has(right) || functionByName.has(right) || paramNames.has(right);
  for (const m of misspellings)
    if (typeof m.right === 'string' && !rightExists(m.right)) p.add(`misspellings.json ${String(m.wrong)}`, `"right" ${m.right} is not a known constant, struct, field, function or parameter`);
  for (const m of misspellings)
    if (typeof m.wrong === 'string' && rightExists(m.wrong)) p.add(`misspellings.json ${m.wrong}`, 'the "wrong" name is a real name in the knowledge base');
  for (const c of constants) {
    const where = `constant ${String(c.name)}`;
    if (typeof c.aliasOf === 'string') {
      const target = byName.get(c.aliasOf);
      if (!target) p.add(where, `aliasOf ${c.aliasOf} is not a known constant`);
      else if (target.value !== c.value) p.add(where, `value ${String(c.value)} differs from its alias target ${c.aliasOf} (${String(target.value)})`);
    }
    if (!Array.isArray(c.usedIn)) continue;
    for (const use of c.usedIn) {
      const call = /^(\w+):(\w+)$/.exec(String(use));
      const field = /^(\w+)\.(\w+)$/.exec(String(use));
      if (call) {
        const fn = functionByName.get(call[1]);
        if (!fn) {
          // a missing required function is reported once by the coverage test
          if (![...REQUIRED_FUNCTIONS, ...TRACED_FUNCTIONS].includes(call[1])) p.add(where, `usedIn "${use}": no function file for ${call[1]}`);
          continue;
        }
        const params = Array.isArray(fn.params) ? fn.params.filter(isObj).map((x) => x.name) : [];
        if (!params.includes(call[2])) p.add(where, `usedIn "${use}": ${call[1]} has no parameter ${call[2]} (has ${params.join(', ')})`);
      } else if (field) {
        const s = structByName.get(field[1]);
        const fields = s && Array.isArray(s.fields) ? s.fields.filter(isObj).map((x) => x.name) : [];
        if (!s) p.add(where, `usedIn "${use}": no struct ${field[1]}`);
        else if (!fields.includes(field[2])) p.add(where, `usedIn "${use}": ${field[1]} has no field ${field[2]}`);
      } else p.add(where, `usedIn "${use}" must be "function:param" or "struct.field"`);
    }
  }
  p.assertNone('unresolved references');
});

/** Facts the socket tracker and the story rely on, fixed by the issue rather than by a man page. */
const EXPECTED_ROLES: Record<string, { serverStep?: number; returnsDescriptor?: string; macro?: boolean }> = {
  socket: { serverStep: 1, returnsDescriptor: 'socket' },
  bind: { serverStep: 2 },
  listen: { serverStep: 3 },
  accept: { serverStep: 4, returnsDescriptor: 'connected' },
  accept4: { serverStep: 4, returnsDescriptor: 'connected' },
  epoll_create: { returnsDescriptor: 'epoll' },
  epoll_create1: { returnsDescriptor: 'epoll' },
  fork: { returnsDescriptor: 'pid' },
  FD_ZERO: { macro: true },
  FD_SET: { macro: true },
  FD_CLR: { macro: true },
  FD_ISSET: { macro: true },
};

test('server steps, descriptor roles and macros are marked on the right functions, matching story.json', () => {
  const p = new Problems();
  for (const f of functions) {
    const want = EXPECTED_ROLES[String(f.name)] ?? {};
    for (const key of ['serverStep', 'returnsDescriptor', 'macro'] as const)
      if (f[key] !== want[key]) p.add(`functions/${String(f.name)}.json`, `${key} is ${JSON.stringify(f[key])}, expected ${JSON.stringify(want[key])}`);
  }
  const story = raw.single.get('story');
  const steps = isObj(story) && Array.isArray(story.steps) ? story.steps.filter(isObj) : [];
  for (const step of steps) {
    const fn = functions.find((f) => f.name === step.call);
    if (fn && fn.serverStep !== step.step) p.add(`story.json step ${String(step.step)}`, `${String(step.call)} has serverStep ${String(fn.serverStep)}`);
  }
  p.assertNone('role problems');
});

test('the loader builds the same knowledge base the files describe', () => {
  const kb = loadKnowledgeBase(dir);
  assert.equal(kb.functions.size, functions.length);
  assert.equal(kb.constants.size, constants.length);
  assert.equal(kb.structs.size, structs.length);
  assert.equal(kb.errnos.size, errnos.length);
  assert.equal(kb.misspellings.size, misspellings.length);
  assert.deepEqual(kb.story.map((s) => s.call), ['socket', 'bind', 'listen', 'accept']);
  assert.deepEqual(kb.fields.get('sin_port')?.map((f) => f.struct.name), ['sockaddr_in']);
  assert.equal(kb.misspellings.get('AF_DGFAM')?.right, 'SOCK_DGRAM');
  assert.equal(kb.constants.get('PF_INET')?.aliasOf, 'AF_INET');
  assert.equal(kb.glossary.find((t) => t.en === 'half-close')?.ko, '하프 클로즈');
});

test('problems.json: the runner\'s problem sentences, the same keys and placeholders in English and Korean', () => {
  const { problems } = loadKnowledgeBase(dir);
  const placeholders = (text: string): string => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  assert.deepEqual(Object.keys(problems.ko).sort(), Object.keys(problems.en).sort());
  for (const key of Object.keys(problems.en) as (keyof typeof problems.en)[]) {
    assert.equal(placeholders(problems.ko[key]), placeholders(problems.en[key]), key);
    assert.match(problems.ko[key], /[가-힣]/, `${key}: Korean text`);
    assert.doesNotMatch(problems.en[key], /[가-힣]/, key);
  }
});
