/**
 * Behaviour behind the knowledge base's words. Every entry may carry `evidence`: for one claim of its text
 * (`claim`, a path into `en`/`ko`), either a probe program `test/probes/<probe>.c` or a man page section
 * (`source`, e.g. "tcp(7)"). This test compiles every probe with the real gcc and runs it on loopback —
 * as root, and as the unprivileged user `nobody` where the probe says `runs-as: nobody` (the EPERM of raw
 * sockets, the EACCES of ports below 1024) — and fails when a probe does not pass, when a claim path or a
 * cited page does not exist, or when a probe proves nothing in the data. A probe exits 0 when its claim
 * holds, 1 with a message when it does not, and 77 when this machine cannot show it (the test is skipped
 * with the probe's reason).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Evidence } from '../../src/core/knowledge/schema';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const knowledgeDir = path.join(root, 'knowledge');
const probeDir = path.join(root, 'test', 'probes');
const NOBODY = 65534;

type Json = unknown;
type Obj = Record<string, Json>;

interface Claimed {
  where: string;
  evidence: Evidence;
  en: Json;
  ko: Json;
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every entry of the knowledge base that has `evidence`, with its texts. */
function collectEvidence(): Claimed[] {
  const out: Claimed[] = [];
  const visit = (where: string, entry: Json): void => {
    if (!isObj(entry)) return;
    if (Array.isArray(entry.evidence)) {
      for (const e of entry.evidence as Evidence[]) out.push({ where, evidence: e, en: entry.en, ko: entry.ko });
    }
    if (Array.isArray(entry.fields)) for (const f of entry.fields) visit(`${where}.${String((f as Obj).name)}`, f);
  };
  const read = (rel: string): Json => JSON.parse(fs.readFileSync(path.join(knowledgeDir, rel), 'utf8')) as Json;
  for (const f of fs.readdirSync(path.join(knowledgeDir, 'functions')).filter((n) => n.endsWith('.json')).sort()) {
    visit(`functions/${f}`, read(`functions/${f}`));
  }
  const files = [
    ...fs.readdirSync(path.join(knowledgeDir, 'constants')).filter((n) => n.endsWith('.json')).map((n) => `constants/${n}`),
    'structs.json',
    'errno.json',
    'misspellings.json',
  ];
  for (const rel of files.sort()) {
    const data = read(rel);
    const entries = isObj(data) && Array.isArray(data.entries) ? data.entries : [];
    for (const e of entries) visit(`${rel} ${String((e as Obj).name ?? (e as Obj).wrong)}`, e);
  }
  return out;
}

/** The text at `claim` ("errors.EPERM.cause"; "" for a one-sentence entry), or undefined. */
function textAt(text: Json, claim: string): string | undefined {
  let v: Json = text;
  for (const key of claim === '' ? [] : claim.split('.')) v = isObj(v) ? v[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

const claims = collectEvidence();
const probes = fs
  .readdirSync(probeDir)
  .filter((f) => f.endsWith('.c'))
  .map((f) => f.slice(0, -2))
  .sort();

function report(title: string, problems: string[]): void {
  assert.equal(problems.length, 0, `${title} (${problems.length}):\n  ${problems.join('\n  ')}`);
}

test('every piece of evidence names an existing claim and exactly one probe or man page', async () => {
  const problems: string[] = [];
  const pages = new Set<string>();
  for (const { where, evidence, en, ko } of claims) {
    const at = `${where} [${JSON.stringify(evidence.claim)}]`;
    if (typeof evidence.claim !== 'string') problems.push(`${at}: claim must be a string`);
    else if (textAt(en, evidence.claim) === undefined || textAt(ko, evidence.claim) === undefined) {
      problems.push(`${at}: no such text in both en and ko`);
    }
    const keys = Object.keys(evidence).filter((k) => k !== 'claim');
    if (keys.length !== 1 || !['probe', 'source'].includes(keys[0])) problems.push(`${at}: needs exactly one of probe, source (has ${keys.join(', ')})`);
    if (evidence.probe !== undefined && !probes.includes(evidence.probe)) problems.push(`${at}: no probe test/probes/${evidence.probe}.c`);
    if (evidence.source !== undefined) {
      if (/^[\w.-]+\(\d\)$/.test(evidence.source)) pages.add(evidence.source);
      else problems.push(`${at}: source ${JSON.stringify(evidence.source)} is not a man page reference like "tcp(7)"`);
    }
  }
  for (const ref of pages) {
    const [, page, section] = /^(.+)\((\d)\)$/.exec(ref) ?? [];
    try {
      await run('man', ['-w', section, page]);
    } catch {
      problems.push(`cited man page ${ref} is not installed on this machine`);
    }
  }
  report('evidence problems', problems);
});

test('every probe proves at least one claim of the knowledge base', () => {
  const used = new Set(claims.map((c) => c.evidence.probe));
  report('probes no entry links to', probes.filter((p) => !used.has(p)).map((p) => `test/probes/${p}.c`));
});

type RunAs = 'self' | 'nobody';

/** How a probe's source says it must run: "runs-as: nobody", "runs-as: root nobody" (both), or, without the
 * line, as the user running the tests. */
function runModes(probe: string): RunAs[] {
  const m = /runs-as:([ a-z]+)/.exec(fs.readFileSync(path.join(probeDir, `${probe}.c`), 'utf8'));
  if (!m) return ['self'];
  const words = m[1].trim().split(/\s+/);
  return [...(words.includes('root') ? (['self'] as const) : []), ...(words.includes('nobody') ? (['nobody'] as const) : [])];
}

/** Argv that runs `exe` as the unprivileged user: setpriv when we are root; as we are otherwise. */
function commandFor(exe: string, as: RunAs): [string, string[]] {
  if (as === 'self' || process.getuid?.() !== 0) return [exe, []];
  return ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', exe]];
}

const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-probes-'));
fs.chmodSync(buildDir, 0o755); // the unprivileged runs must reach the binaries

async function compile(probe: string): Promise<string> {
  const exe = path.join(buildDir, probe);
  await run('gcc', ['-std=gnu11', '-O0', '-Wall', '-Wextra', '-Werror', '-I', probeDir, '-o', exe, path.join(probeDir, `${probe}.c`)], { timeout: 60_000 });
  return exe;
}

/** Runs at most `n` of the given jobs at once. */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

// gcc two at a time (2 shared cores); probe runs mostly sleep on loopback, so four run side by side
const compiling = limiter(2);
const running = limiter(4);

type Outcome = { ok: true } | { skipped: string } | { failed: string };

async function outcome(probe: string, as: RunAs, exe: Promise<string>): Promise<Outcome> {
  let path: string;
  try {
    path = await exe;
  } catch (err) {
    return { failed: `gcc failed on ${probe}.c: ${(err as { stderr?: string }).stderr ?? String(err)}` };
  }
  const [cmd, args] = commandFor(path, as);
  return running(async () => {
    try {
      await run(cmd, args, { timeout: 10_000, cwd: buildDir });
      return { ok: true } as const;
    } catch (err) {
      const e = err as { code?: number | string; stderr?: string; signal?: string };
      if (e.code === 77) return { skipped: e.stderr?.trim() ?? '' };
      return { failed: `exit ${String(e.code ?? e.signal)}: ${e.stderr?.trim() ?? String(err)}` };
    }
  });
}

// every probe is compiled and run from the start; each test waits for its own result
const outcomes = new Map<string, Promise<Outcome>>();
for (const probe of probes) {
  const exe = compiling(() => compile(probe));
  exe.catch(() => undefined); // reported by the probe's test
  for (const as of runModes(probe)) outcomes.set(`${probe}:${as}`, outcome(probe, as, exe));
}

for (const probe of probes) {
  const linked = claims.filter((c) => c.evidence.probe === probe).map((c) => `${c.where} ${c.evidence.claim}`.trim());
  for (const as of runModes(probe)) {
    const who = as === 'nobody' ? ' (as nobody)' : '';
    test(`probe ${probe}${who} proves: ${linked.join('; ') || '(nothing)'}`, async (t) => {
      const result = await outcomes.get(`${probe}:${as}`);
      if (result === undefined) assert.fail(`probe ${probe} was not started`);
      if ('skipped' in result) t.skip(`this machine cannot show it: ${result.skipped}`);
      else if ('failed' in result) assert.fail(`probe ${probe}${who} failed (${result.failed})`);
    });
  }
}

after(() => fs.rmSync(buildDir, { recursive: true, force: true }));
