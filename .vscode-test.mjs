// @vscode/test-cli configuration: runs the hover suite (test/vscode/suite/desktop/) in desktop VS Code 1.100.3,
// on a machine that can download VS Code. `npx vscode-test` runs both labels; `npx vscode-test --label en` one.
// The code-server tests in `npm test` run the same cases without a desktop (see docs/testing.md).
import { defineConfig } from '@vscode/test-cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDesktopSuites } from './test/vscode/suite/desktop/build.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));

// The extension itself (dist/) and the mocha suites, bundled to CommonJS for the extension host.
await import('./scripts/build.mjs');
await buildDesktopSuites(path.join(root, 'out', 'vscode-test'));

/** A throw-away copy of the example and the fixtures, so the suite never edits the repository. */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-desktop-'));
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
fs.cpSync(path.join(root, 'test/vscode/fixtures'), workspace, { recursive: true });

const common = {
  files: 'out/vscode-test/*.test.js',
  version: '1.100.3',
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  mocha: { ui: 'tdd', timeout: 120_000 },
};

export default defineConfig([
  { ...common, label: 'en', launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--locale', 'en'] },
  {
    ...common,
    label: 'ko',
    // Desktop VS Code keeps English without the Korean language pack; test-cli installs it from the marketplace.
    installExtensions: ['MS-CEINTL.vscode-language-pack-ko'],
    launchArgs: ['--disable-workspace-trust', '--locale', 'ko'],
  },
]);
