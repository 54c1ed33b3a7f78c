/**
 * Numbers in the knowledge base against the real toolchain: one C file is generated from the data, compiled
 * with gcc and run; it prints every constant's value, every struct's and type's sizeof, whether each field
 * exists with the declared type, and every errno's value and glibc message (strerror, gai_strerror for EAI_).
 * A check that does not compile is reported with gcc's message, and the rest still run.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ConstantEntry, ErrnoEntry, FunctionEntry, StructEntry } from '../../src/core/knowledge/schema';
import { normalizeType } from './helpers/manpage';

const run = promisify(execFile);
const dir = path.join(__dirname, '..', '..', 'knowledge');

/** errno names that fork(2) and friends list but <errno.h> does not define: kernel-internal restart codes. */
const KERNEL_ONLY_ERRNOS: Record<string, string> = {
  ERESTARTNOINTR: 'kernel-internal (include/linux/errno.h); fork(2) lists it, programs never receive it',
};

function readEntries<T>(file: string): T[] {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { entries?: unknown };
    return Array.isArray(data.entries) ? (data.entries as T[]) : [];
  } catch {
    return []; // parse errors are reported by knowledge.test.ts
  }
}

const constants = fs
  .readdirSync(path.join(dir, 'constants'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => readEntries<ConstantEntry>(path.join('constants', f)));
const structs = readEntries<StructEntry>('structs.json');
const errnos = readEntries<ErrnoEntry>('errno.json');
const functions = fs
  .readdirSync(path.join(dir, 'functions'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f): FunctionEntry[] => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(dir, 'functions', f), 'utf8')) as FunctionEntry];
    } catch {
      return [];
    }
  });

const IDENT = /^[A-Za-z_]\w*$/;
/** A C type as the data may spell it: identifiers, spaces, `*`, one array bound. Anything else is not
 * pasted into the generated program. */
const C_TYPE = /^[A-Za-z_][\w ]*(?:\s*\*)*(?:\[\d+\])?$/;
const HEADER = /^[\w/.+-]+\.h$/;
/** A function-pointer parameter type as the data spells it, e.g. "void *(*)(void *)". */
const FUNCTION_POINTER = /^[A-Za-z_][\w ]*(?:\s*\*)*\s*\(\s*\*\)\s*\([\w ,*]*\)$/;

interface Check {
  label: string;
  /** One C statement that prints `label\t<result>`. */
  code: string;
}

function printNumber(label: string, expr: string): string {
  return `printf("%s\\t%lld\\n", "${label}", (long long)(${expr}));`;
}

function constantCheck(c: ConstantEntry): Check {
  const label = `const:${c.name}`;
  if (typeof c.value === 'number') return { label, code: printNumber(label, c.name) };
  // String values are IPv6 addresses (in6addr_any, IN6ADDR_ANY_INIT …), compared in inet_ntop's text form.
  const source = c.name.endsWith('_INIT') ? `static const struct in6_addr v = ${c.name};` : `const struct in6_addr v = ${c.name};`;
  return {
    label,
    code: `{ char b[INET6_ADDRSTRLEN]; ${source} printf("%s\\t%s\\n", "${label}", inet_ntop(AF_INET6, &v, b, sizeof b)); }`,
  };
}

function structChecks(s: StructEntry): Check[] {
  const ctype = s.kind === 'struct' ? `struct ${s.name}` : s.name;
  const checks = [{ label: `size:${s.name}`, code: printNumber(`size:${s.name}`, `sizeof(${ctype})`) }];
  for (const f of Array.isArray(s.fields) ? s.fields : []) {
    const label = `field:${s.name}.${f.name}`;
    if (!IDENT.test(String(f.name)) || !C_TYPE.test(String(f.type))) {
      checks.push({ label, code: `#error field ${label} has a name or type this test cannot paste into C` });
      continue;
    }
    checks.push({ label, code: printNumber(label, `__builtin_types_compatible_p(__typeof__(((${ctype} *)0)->${f.name}), ${f.type})`) });
  }
  return checks;
}

function errnoCheck(e: ErrnoEntry): Check {
  const label = `errno:${e.name}`;
  const message = e.name.startsWith('EAI_') ? 'gai_strerror' : 'strerror';
  const value = Number.isInteger(e.value) ? e.value : 0;
  return {
    label,
    code:
      `{\n#ifdef ${e.name}\nprintf("%s\\t%d\\t%s\\n", "${label}", ${e.name}, ${message}(${e.name}));\n` +
      `#else\nprintf("%s\\tundefined\\t%s\\n", "${label}", ${message}(${value}));\n#endif\n}`,
  };
}

function buildChecks(): { checks: Check[]; invalid: string[] } {
  const invalid: string[] = [];
  const checks: Check[] = [];
  for (const c of constants) {
    if (!IDENT.test(String(c.name))) invalid.push(`constant ${JSON.stringify(c.name)} is not a C identifier`);
    else checks.push(constantCheck(c));
  }
  for (const s of structs) {
    if (!IDENT.test(String(s.name))) invalid.push(`struct ${JSON.stringify(s.name)} is not a C identifier`);
    else checks.push(...structChecks(s));
  }
  for (const e of errnos) {
    if (!IDENT.test(String(e.name))) invalid.push(`errno ${JSON.stringify(e.name)} is not a C identifier`);
    else checks.push(errnoCheck(e));
  }
  return { checks, invalid };
}

const BASE_HEADERS = ['sys/types.h', 'sys/socket.h', 'netinet/in.h', 'arpa/inet.h', 'netdb.h', 'errno.h', 'stdio.h', 'string.h'];

function headers(): string[] {
  const fromData = [...constants.map((c) => c.header), ...structs.map((s) => s.header)].filter(
    (h): h is string => typeof h === 'string' && HEADER.test(h),
  );
  return [...new Set([...BASE_HEADERS, ...fromData])];
}

/** Writes the program; returns it with a map from source line to the check printed there. */
function program(checks: Check[]): { source: string; lineOf: Map<number, string> } {
  const lines = ['#define _GNU_SOURCE', ...headers().map((h) => `#include <${h}>`), 'int main(void) {'];
  const lineOf = new Map<number, string>();
  for (const check of checks) {
    for (const part of check.code.split('\n')) {
      lines.push(part);
      lineOf.set(lines.length, check.label);
    }
  }
  lines.push('return 0;', '}', '');
  return { source: lines.join('\n'), lineOf };
}

interface Facts {
  /** label → the fields printed after it. */
  results: Map<string, string[]>;
  /** label → why it could not be checked. */
  broken: Map<string, string>;
  /** Problems with the data itself (names that cannot be pasted into C). */
  invalid: string[];
}

/** Compiles and runs the probe; checks whose lines do not compile are dropped (with gcc's message) and the
 * rest compiled again, a bounded number of times. */
async function probe(): Promise<Facts> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-kb-'));
  try {
    const { checks: initial, invalid } = buildChecks();
    let checks = initial;
    const broken = new Map<string, string>();
    for (let attempt = 0; attempt < 6; attempt++) {
      const { source, lineOf } = program(checks);
      const c = path.join(work, 'probe.c');
      const exe = path.join(work, 'probe');
      fs.writeFileSync(c, source);
      try {
        await run('gcc', ['-std=gnu11', '-w', '-o', exe, c], { timeout: 120_000 });
      } catch (err) {
        const stderr = String((err as { stderr?: string }).stderr ?? err);
        const failing = new Map<string, string>();
        for (const m of stderr.matchAll(/probe\.c:(\d+):\d+: (?:fatal )?error: (.*)/g)) {
          const label = lineOf.get(Number(m[1]));
          if (label && !failing.has(label)) failing.set(label, m[2]);
        }
        if (failing.size === 0) throw new Error(`gcc failed on the generated probe:\n${stderr}`);
        for (const [label, why] of failing) broken.set(label, `does not compile: ${why}`);
        checks = checks.filter((ch) => !failing.has(ch.label));
        continue;
      }
      const { stdout } = await run(exe, [], { timeout: 30_000 });
      const results = new Map<string, string[]>();
      for (const line of stdout.split('\n')) {
        const [label, ...rest] = line.split('\t');
        if (label) results.set(label, rest);
      }
      return { results, broken, invalid };
    }
    throw new Error(`the probe still does not compile after dropping ${broken.size} checks: ${[...broken].join('; ')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const facts = probe();

function report(title: string, problems: string[]): void {
  assert.equal(problems.length, 0, `${title} (${problems.length}):\n  ${problems.join('\n  ')}`);
}

test('every knowledge name can be pasted into the C probe', async () => {
  report('names that are not C identifiers', (await facts).invalid);
});

test('constant values equal what gcc reports on this machine', async () => {
  const { results, broken } = await facts;
  const problems: string[] = [];
  for (const c of constants) {
    const label = `const:${c.name}`;
    const why = broken.get(label);
    if (why) {
      problems.push(`${c.name}: ${why}`);
      continue;
    }
    const got = results.get(label)?.[0];
    if (got === undefined) continue; // not a C identifier: reported above
    if (got !== String(c.value)) problems.push(`${c.name}: knowledge says ${JSON.stringify(c.value)}, gcc says ${got}`);
  }
  report('constants that disagree with gcc', problems);
});

test('struct and type sizes and field types equal what gcc reports', async () => {
  const { results, broken } = await facts;
  const problems: string[] = [];
  for (const s of structs) {
    const sizeLabel = `size:${s.name}`;
    const why = broken.get(sizeLabel);
    const got = results.get(sizeLabel)?.[0];
    if (why) problems.push(`${s.name}: ${why}`);
    else if (got !== undefined && got !== String(s.size)) problems.push(`${s.name}: knowledge says sizeof ${s.size}, gcc says ${got}`);
    for (const f of Array.isArray(s.fields) ? s.fields : []) {
      const label = `field:${s.name}.${f.name}`;
      const fieldWhy = broken.get(label);
      if (fieldWhy) problems.push(`${s.name}.${f.name}: ${fieldWhy}`);
      else if (results.get(label)?.[0] === '0') problems.push(`${s.name}.${f.name}: its type is not ${f.type}`);
    }
  }
  report('structs and types that disagree with gcc', problems);
});

test('errno values and messages equal what glibc reports', async () => {
  const { results, broken } = await facts;
  const problems: string[] = [];
  for (const e of errnos) {
    const label = `errno:${e.name}`;
    const why = broken.get(label);
    if (why) {
      problems.push(`${e.name}: ${why}`);
      continue;
    }
    const got = results.get(label);
    if (!got) continue;
    const [value, message] = got;
    if (value === 'undefined') {
      if (!(e.name in KERNEL_ONLY_ERRNOS)) problems.push(`${e.name}: not defined by <errno.h>/<netdb.h>`);
    } else if (value !== String(e.value)) problems.push(`${e.name}: knowledge says ${e.value}, glibc says ${value}`);
    if (message !== e.message) problems.push(`${e.name}: knowledge says message ${JSON.stringify(e.message)}, glibc says ${JSON.stringify(message)}`);
  }
  for (const name of Object.keys(KERNEL_ONLY_ERRNOS))
    if (results.get(`errno:${name}`)?.[0] !== 'undefined' && errnos.some((e) => e.name === name))
      problems.push(`${name}: <errno.h> defines it now; drop it from KERNEL_ONLY_ERRNOS`);
  report('errno entries that disagree with glibc', problems);
});

/** Lines that compile only if the included headers declare the function with the listed return and
 * parameter types (or, for a macro, define it); undefined if the data cannot be pasted into C. */
function declarationLines(f: FunctionEntry): string[] | undefined {
  const types = (Array.isArray(f.params) ? f.params : []).map((p) => normalizeType(String(p.type)));
  if (!IDENT.test(String(f.name)) || !(Array.isArray(f.headers) && f.headers.every((h) => HEADER.test(String(h))))) return undefined;
  if (![String(f.returnType), ...types].every((t) => t === '...' || C_TYPE.test(t) || FUNCTION_POINTER.test(t))) return undefined;
  if (f.macro) return [`#ifndef ${f.name}`, `#error ${f.name} is not defined by these headers`, '#endif'];
  return [`typedef ${f.returnType} (*expected_${f.name}_t)(${types.length ? types.join(', ') : 'void'});`, `expected_${f.name}_t probe_${f.name} = ${f.name};`];
}

test('each function is declared by its own headers with the listed prototype', async () => {
  const problems: string[] = [];
  // one translation unit per distinct header list: only those headers are included
  const groups = new Map<string, FunctionEntry[]>();
  for (const f of functions) {
    if (!declarationLines(f)) {
      problems.push(`${String(f.name)}: name, headers or types cannot be pasted into C`);
      continue;
    }
    const key = f.headers.join('\n');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-kb-decl-'));
  try {
    const queue = [...groups.values()];
    const worker = async (): Promise<void> => {
      for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
        const lines = ['#define _GNU_SOURCE', ...group[0].headers.map((h) => `#include <${h}>`)];
        const owner = new Map<number, FunctionEntry>();
        for (const f of group)
          for (const line of declarationLines(f) ?? []) {
            lines.push(line);
            owner.set(lines.length, f);
          }
        const file = path.join(work, `${group[0].name}.c`);
        fs.writeFileSync(file, lines.join('\n') + '\n');
        try {
          await run('gcc', ['-std=gnu11', '-fsyntax-only', '-Werror=incompatible-pointer-types', '-Werror=implicit-function-declaration', file], { timeout: 60_000 });
        } catch (err) {
          const stderr = String((err as { stderr?: string }).stderr ?? err);
          const seen = new Set<FunctionEntry>();
          for (const m of stderr.matchAll(/\.c:(\d+):\d+: (?:fatal )?error: (.*)/g)) {
            const f = owner.get(Number(m[1]));
            if (f && !seen.has(f)) problems.push(`${f.name} (headers ${f.headers.join(', ')}): ${m[2]}`);
            if (f) seen.add(f);
          }
          if (seen.size === 0) problems.push(`headers ${group[0].headers.join(', ')}: gcc failed: ${stderr.trim()}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  report('functions whose headers or prototype gcc rejects', problems);
});

/** One line per name that compiles only if `header` (alone) provides it. */
function headerUse(kind: 'constant' | 'struct' | 'type', name: string, value?: unknown): string {
  if (kind === 'struct') return `(void)sizeof(struct ${name});`;
  if (kind === 'type') return `(void)sizeof(${name});`;
  if (typeof value === 'string') return name.endsWith('_INIT') ? `{ struct in6_addr v = ${name}; (void)v; }` : `(void)&${name};`;
  return `(void)(${name});`;
}

test('each constant, struct and type is available from its listed header alone', async () => {
  const byHeader = new Map<string, { label: string; line: string }[]>();
  const problems: string[] = [];
  const add = (header: unknown, label: string, line: string): void => {
    if (typeof header !== 'string' || !HEADER.test(header)) return void problems.push(`${label}: header ${JSON.stringify(header)} is not a header name`);
    const list = byHeader.get(header) ?? [];
    list.push({ label, line });
    byHeader.set(header, list);
  };
  for (const c of constants) if (IDENT.test(String(c.name))) add(c.header, `constant ${c.name}`, headerUse('constant', c.name, c.value));
  for (const s of structs) if (IDENT.test(String(s.name))) add(s.header, `${s.kind} ${s.name}`, headerUse(s.kind === 'struct' ? 'struct' : 'type', s.name));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-kb-hdr-'));
  try {
    const queue = [...byHeader];
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        const [header, uses] = item;
        // body lines start at line 4, after _GNU_SOURCE, the include and the function header
        const source = ['#define _GNU_SOURCE', `#include <${header}>`, 'void probe(void) {', ...uses.map((u) => u.line), '}', ''].join('\n');
        const file = path.join(work, `${header.replace(/\W/g, '_')}.c`);
        fs.writeFileSync(file, source);
        try {
          await run('gcc', ['-std=gnu11', '-fsyntax-only', '-w', file], { timeout: 60_000 });
        } catch (err) {
          const stderr = String((err as { stderr?: string }).stderr ?? err);
          const seen = new Set<string>();
          for (const m of stderr.matchAll(/\.c:(\d+):\d+: (?:fatal )?error: (.*)/g)) {
            const use = uses[Number(m[1]) - 4];
            const label = use ? use.label : `<${header}>`;
            if (!seen.has(label)) problems.push(`${label}: not provided by <${header}> (${m[2]})`);
            seen.add(label);
          }
          if (seen.size === 0) problems.push(`<${header}>: gcc failed: ${stderr.trim()}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  report('names their header does not provide', problems);
});
