/**
 * `socklens check`: gcc-style text, the JSON shape of docs/diagnostics.md, SARIF 2.1.0 validated against the
 * official JSON schema (shipped by @microsoft/jest-sarif, checked with ajv-draft-04: test/sarif/env), exit codes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { DIAGNOSTICS_FIXTURES } from './helpers/diagnostics';

const ROOT = path.join(__dirname, '..', '..');
const SARIF_ENV = path.join(ROOT, 'test', 'sarif', 'env');
const EXAMPLE = path.join('examples', 'hello_server.c');
const fixture = (name: string): string => path.relative(ROOT, path.join(DIAGNOSTICS_FIXTURES, name));

function check(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'C' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  if (!fs.existsSync(path.join(SARIF_ENV, 'node_modules', 'ajv-draft-04'))) {
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: SARIF_ENV, stdio: 'pipe', timeout: 300_000 });
  }
});

describe('socklens check', () => {
  it('prints gcc-style lines and exits 1 on a warning', () => {
    const { status, stdout } = check(fixture('sl101_port_argv.c'));
    assert.equal(status, 1);
    assert.equal(stdout.trim().split('\n').length, 1);
    assert.match(stdout, /^test\/fixtures\/diagnostics\/sl101_port_argv\.c:30:18: warning: `addr\.sin_port` is set to `atoi\(argv\[1\]\)` without `htons\(\)`.* \[SL101\]$/m);
  });

  it('exits 0 on a correct program and on info alone (printed as a note)', () => {
    assert.deepEqual(check(EXAMPLE), { status: 0, stdout: '', stderr: '' });
    const info = check(fixture('sl106_any_not_converted.c'));
    assert.equal(info.status, 0);
    assert.match(info.stdout, /:29:25: note: .*\[SL106\]$/m);
  });

  it('--json has exactly the documented fields, 1-based, with the fixes', () => {
    const { status, stdout } = check('--json', fixture('sl110_swapped_socket_args.c'));
    assert.equal(status, 1);
    const out = JSON.parse(stdout) as { diagnostics: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out), ['diagnostics']);
    assert.equal(out.diagnostics.length, 1);
    const d = out.diagnostics[0];
    assert.deepEqual(Object.keys(d), ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message', 'fixes']);
    assert.deepEqual(
      { ...d, message: undefined },
      {
        file: fixture('sl110_swapped_socket_args.c'),
        line: 19,
        column: 20,
        endLine: 19,
        endColumn: 31,
        code: 'SL110',
        severity: 'error',
        message: undefined,
        fixes: [
          {
            title: 'Swap the two arguments',
            edits: [
              { line: 19, column: 20, endLine: 19, endColumn: 31, newText: 'AF_INET' },
              { line: 19, column: 33, endLine: 19, endColumn: 40, newText: 'SOCK_STREAM' },
            ],
          },
        ],
      },
    );
  });

  it('--lang ko speaks Korean', () => {
    const { stdout } = check('--lang', 'ko', fixture('sl140_listen_datagram.c'));
    assert.match(stdout, /데이터그램.*\[SL140\]$/m);
  });

  it('a folder stands for its .c files', () => {
    const { status, stdout } = check(path.relative(ROOT, DIAGNOSTICS_FIXTURES));
    assert.equal(status, 1);
    const files = new Set(stdout.trim().split('\n').map((l) => path.basename(l.split(':')[0])));
    const mistakes = fs.readdirSync(DIAGNOSTICS_FIXTURES).filter((f) => f.startsWith('sl') && f.endsWith('.c') && !f.endsWith('.fixed.c'));
    assert.deepEqual([...files].sort(), mistakes.sort());
  });

  it('bad arguments exit 2 with a message', () => {
    for (const args of [[], ['nope.c'], ['--lang', 'fr', EXAMPLE], ['--json', '--sarif', EXAMPLE], ['--bogus', EXAMPLE]]) {
      const { status, stderr } = check(...args);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, /^socklens check: /, args.join(' '));
    }
  });

  it('--sarif is valid SARIF 2.1.0 (the official JSON schema) with rules, related locations and fixes', () => {
    const { status, stdout } = check('--sarif', fixture('sl140_listen_datagram.c'), fixture('sl110_swapped_socket_args.c'), EXAMPLE);
    assert.equal(status, 1);
    const log = JSON.parse(stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: Record<string, unknown>[] }[] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require(path.join(SARIF_ENV, 'node_modules', 'ajv-draft-04')) as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
    const schema = JSON.parse(fs.readFileSync(path.join(SARIF_ENV, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    // unicodeRegExp off: the schema's `language` pattern has a stray `]`, an error in a u-mode RegExp.
    const validate = new Ajv.default({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    // The schema accepts an almost empty log too: the content is checked here.
    assert.equal(log.version, '2.1.0');
    const [run] = log.runs;
    assert.deepEqual(run.results.map((r) => r.ruleId), ['SL140', 'SL110']);
    assert.ok(run.tool.driver.rules.some((r) => r.id === 'SL140' && r.helpUri.endsWith('docs/diagnostics.md#sl140')));
    const [datagram, swapped] = run.results as { relatedLocations: unknown[]; fixes: unknown[]; level: string; locations: { physicalLocation: { artifactLocation: object } }[] }[];
    assert.equal(datagram.level, 'error');
    // Relative to the checkout, as code scanning services want.
    assert.deepEqual(datagram.locations[0].physicalLocation.artifactLocation, { uri: fixture('sl140_listen_datagram.c'), uriBaseId: 'SRCROOT' });
    assert.equal(datagram.relatedLocations.length, 1);
    assert.equal(swapped.fixes.length, 1);
    // A deliberately broken log is rejected, so the validator really checks.
    assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false);
  });
});
