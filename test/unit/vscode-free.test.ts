// The vscode-free rule, enforced: scripts/check-vscode-free.mjs runs in `npm run typecheck` (so in `npm test`).
// Violations are made in a throwaway copy of src/ in a temporary folder, never in the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const script = path.join(root, 'scripts/check-vscode-free.mjs');
// an ES module script, loaded the way a CommonJS test file can
const checker: Promise<{ findVscodeImports(root: string): string[] }> = import('../../scripts/check-vscode-free.mjs');
const findVscodeImports = async (dir: string): Promise<string[]> => (await checker).findVscodeImports(dir);

function throwawayCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-vscode-free-'));
  fs.cpSync(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
  return dir;
}

async function withCopy(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = throwawayCopy();
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the repository passes: nothing under src/core or src/cli reaches vscode', async () => {
  assert.deepEqual(await findVscodeImports(root), []);
  execFileSync(process.execPath, [script, root]);
});

test('npm run typecheck runs the check', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.typecheck, /node scripts\/check-vscode-free\.mjs/);
  assert.match(pkg.scripts.test, /npm run typecheck/);
});

const violations: [string, string, RegExp][] = [
  ['src/core/runner/leak.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n", /src\/core\/runner\/leak\.ts imports vscode/],
  ['src/core/editor/leak.ts', "import type { Uri } from 'vscode';\nexport type U = Uri;\n", /leak\.ts imports vscode/],
  ['src/cli/leak.ts', "export const v = require('vscode');\n", /src\/cli\/leak\.ts imports vscode/],
  ['src/core/leak.ts', "export const v = () => import('vscode');\n", /src\/core\/leak\.ts imports vscode/],
  ['src/core/analysis/leak.ts', "export { SockLensContext } from '../../extension/context';\n", /imports src\/extension\/context \(outside/],
];

for (const [file, text, expected] of violations) {
  test(`a deliberate violation in a throwaway copy fails the check: ${file}`, async () => {
    await withCopy(async (dir) => {
      assert.deepEqual(await findVscodeImports(dir), [], 'the copy starts clean');
      fs.writeFileSync(path.join(dir, file), text);
      const problems = await findVscodeImports(dir);
      assert.equal(problems.length, 1);
      assert.match(problems[0], expected);
      const run = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.match(run.stderr, expected);
    });
  });
}

test('imports inside src/core and src/cli, and of other packages, are allowed', async () => {
  await withCopy(async (dir) => {
    fs.writeFileSync(path.join(dir, 'src/cli/fine.ts'), "import * as fs from 'node:fs';\nimport { chooseLanguage } from '../core/editor/language';\nexport const f = [fs, chooseLanguage];\n");
    assert.deepEqual(await findVscodeImports(dir), []);
  });
});
