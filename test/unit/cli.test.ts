import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { FIXTURE_DIR } from './analysis-fixture-helpers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'socklens.js');
const EXAMPLE = path.join(ROOT, 'examples', 'hello_server.c');
const SERVER_FIXTURE = path.join(FIXTURE_DIR, 'textbook_server.c');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when the bundle is missing or older than the code it bundles (npm test builds first anyway). */
function ensureBuilt(): void {
  const bundle = path.join(ROOT, 'dist', 'cli.js');
  const stale = !fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < Math.max(newestMtime(path.join(ROOT, 'src', 'core')), newestMtime(path.join(ROOT, 'src', 'cli')));
  if (!stale) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(build.status, 0, `build failed:\n${build.stderr}`);
}

/** English locale unless `env` says otherwise, so results do not depend on the machine's locale. */
function socklensIn(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const locale = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', ...env };
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: locale });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function socklens(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return socklensIn({}, ...args);
}

let tmp: string;
before(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-cli-'));
});

describe('socklens explain', () => {
  it('lists every recognised call as LINE:COL name — summary', () => {
    const { code, stdout, stderr } = socklens('explain', EXAMPLE);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' — ')[0]),
      ['26:14 socket', '32:30 htonl', '33:23 htons', '35:6 bind', '38:6 listen', '42:14 accept', '46:2 write', '47:2 close', '48:2 close'],
    );
    assert.match(lines[3], /^35:6 bind — \S.+/);
  });

  it('prints Korean summaries with --lang ko, or by default in a Korean locale', () => {
    const { code, stdout } = socklens('explain', EXAMPLE, '--lang', 'ko');
    assert.equal(code, 0);
    assert.match(stdout, /^26:14 socket — .*[가-힣]/m);
    assert.equal(socklensIn({ LANG: 'ko_KR.UTF-8' }, 'explain', EXAMPLE).stdout, stdout);
    assert.doesNotMatch(socklensIn({ LANG: 'ko_KR.UTF-8' }, 'explain', EXAMPLE, '--lang', 'en').stdout, /[가-힣]/);
  });

  it('--json lists calls with exactly name, line, column, args{text, meaning, value}', () => {
    const { code, stdout } = socklens('explain', EXAMPLE, '--json');
    assert.equal(code, 0);
    const data = JSON.parse(stdout) as { calls: { name: string; line: number; column: number; args: { text: string; meaning: string | null; value: string | null }[] }[] };
    assert.deepEqual(Object.keys(data), ['calls']);
    for (const call of data.calls) {
      assert.deepEqual(Object.keys(call), ['name', 'line', 'column', 'args']);
      for (const arg of call.args) assert.deepEqual(Object.keys(arg), ['text', 'meaning', 'value']);
    }
    const bind = data.calls.find((c) => c.name === 'bind')!;
    assert.deepEqual([bind.line, bind.column], [35, 6]);
    assert.deepEqual(bind.args.map((a) => a.text), ['serv_sock', '(struct sockaddr *)&serv_addr', 'sizeof(serv_addr)']);
    assert.match(bind.args[1].value ?? '', /0\.0\.0\.0:<argv\[1\]>/);
    assert.match(bind.args[2].value ?? '', /16 bytes/);
    assert.ok(bind.args[0].meaning && bind.args[0].meaning.length > 10);
  });

  it('--at prints the hover markdown for a function, a socket variable and a constant', () => {
    const bind = socklens('explain', EXAMPLE, '--at', '35:6');
    assert.equal(bind.code, 0, bind.stderr);
    assert.match(bind.stdout, /^\*\*bind\(\)\*\* — Step 2 of 4/);
    assert.match(bind.stdout, /0\.0\.0\.0:<argv\[1\]>/);
    const sock = socklens('explain', EXAMPLE, '--at', '38:14', '--lang', 'ko');
    assert.equal(sock.code, 0);
    assert.match(sock.stdout, /serv_sock.*리스닝/);
    const constant = socklens('explain', EXAMPLE, '--at', '26:22');
    assert.match(constant.stdout, /\*\*PF_INET\*\* = `2`/);
  });

  it('--at --json prints exactly kind, name, markdown', () => {
    const { code, stdout } = socklens('explain', SERVER_FIXTURE, '--at', '42:16', '--json');
    assert.equal(code, 0);
    const data = JSON.parse(stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(data), ['kind', 'name', 'markdown']);
    assert.equal(data.kind, 'socket');
    assert.equal(data.name, 'clnt_sock');
  });

  it('columns count characters after Korean text and emoji, like the editor', () => {
    const file = path.join(tmp, 'korean.c');
    fs.writeFileSync(file, '/* 한국어 😀 */ int s = socket(AF_INET, SOCK_STREAM, 0);\n');
    const list = socklens('explain', file);
    assert.equal(list.stdout.trim().split(' — ')[0], `1:${'/* 한국어 😀 */ int s = '.length + 1} socket`);
    const at = socklens('explain', file, '--at', `1:${'/* 한국어 😀 */ int s = socket('.length + 1}`, '--json');
    assert.equal((JSON.parse(at.stdout) as { name: string }).name, 'AF_INET');
  });

  it('ignores a UTF-8 byte order mark, as editors do', () => {
    const file = path.join(tmp, 'bom.c');
    fs.writeFileSync(file, '\uFEFFint s = socket(AF_INET, SOCK_STREAM, 0);\n');
    assert.equal(socklens('explain', file).stdout.split(' — ')[0], '1:9 socket');
  });

  it('exits 1 with a message when nothing is at the position', () => {
    const text = socklens('explain', EXAMPLE, '--at', '1:1');
    assert.equal(text.code, 1);
    assert.match(text.stderr, /nothing to explain at 1:1/);
    const json = socklens('explain', EXAMPLE, '--at', '1:1', '--json');
    assert.equal(json.code, 1);
    assert.equal(json.stdout.trim(), 'null');
  });

  it('exits 2 with a clear message for a missing file, a bad position or bad options', () => {
    const cases: [string[], RegExp][] = [
      [['explain', path.join(tmp, 'nope.c')], /nope\.c: no such file/],
      [['explain', EXAMPLE, '--at', '999:1'], /bad position 999:1: .* has 58 lines/],
      [['explain', EXAMPLE, '--at', '35:200'], /bad position 35:200: .*line 35 has \d+ characters/],
      [['explain', EXAMPLE, '--at', 'abc'], /bad position "abc": expected LINE:COL/],
      [['explain', EXAMPLE, '--at', '0:1'], /start at 1/],
      [['explain', EXAMPLE, '--lang', 'fr'], /bad --lang "fr"/],
      [['explain'], /missing FILE/],
      [['explain', EXAMPLE, '--frobnicate'], /unknown option --frobnicate/],
      [['explain', tmp], /is a directory/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr, stdout } = socklens(...args);
      assert.equal(code, 2, `${args.join(' ')} → ${code}: ${stderr}`);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr + stdout, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
    }
  });

  it('explains a 5 MB file and a binary file as "nothing", with a note, exit 0', () => {
    const big = path.join(tmp, 'big.c');
    const chunk = 'int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n';
    fs.writeFileSync(big, chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length)));
    const bigRun = socklens('explain', big, '--json');
    assert.equal(bigRun.code, 0);
    assert.deepEqual(JSON.parse(bigRun.stdout), { calls: [] });
    assert.match(bigRun.stderr, /larger than \d+ characters; not explained/);
    const bin = path.join(tmp, 'a.out');
    fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe, 0, 0x73, 0x6f, 0x63, 0x6b]));
    const binRun = socklens('explain', bin);
    assert.equal(binRun.code, 0);
    assert.equal(binRun.stdout, '');
    assert.match(binRun.stderr, /looks binary/);
  });

  it('--help lists the commands and the explain usage', () => {
    const top = socklens('--help');
    assert.equal(top.code, 0);
    assert.match(top.stdout, /explain\s+list the socket calls/);
    const sub = socklens('explain', '--help');
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /socklens explain FILE --at LINE:COL/);
    const none = socklens();
    assert.equal(none.code, 2);
  });
});
