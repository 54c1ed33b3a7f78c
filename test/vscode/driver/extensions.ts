// Puts extensions into a run's --extensions-dir: the test harness (bundled fresh with esbuild) and SockLens
// (from the packaged .vsix through code-server's own installer, or copied from the built checkout).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths';

const harnessRoot = path.join(repoRoot, 'test', 'vscode', 'harness');

/**
 * Lists an extension folder in `<extensionsDir>/extensions.json`, as VS Code's installer does. VS Code trusts
 * that file: once it exists, a folder missing from it is "marked as removed" and never loads.
 */
function register(extensionsDir: string, folderName: string): void {
  const folder = path.join(extensionsDir, folderName);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const listFile = path.join(extensionsDir, 'extensions.json');
  const list = fs.existsSync(listFile) ? (JSON.parse(fs.readFileSync(listFile, 'utf8')) as Array<{ relativeLocation?: string }>) : [];
  const entry = {
    identifier: { id: `${manifest.publisher}.${manifest.name}`.toLowerCase() },
    version: manifest.version,
    location: { $mid: 1, fsPath: folder, external: `file://${folder}`, path: folder, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), pinned: true, source: 'vsix' },
  };
  fs.writeFileSync(listFile, JSON.stringify([...list.filter((e) => e.relativeLocation !== folderName), entry]));
}

/** Bundles the harness into `<extensionsDir>/socklens-test.harness-0.0.1` and tells it where to report. */
export async function installHarness(extensionsDir: string, harnessDir: string): Promise<void> {
  const target = path.join(extensionsDir, 'socklens-test.harness-0.0.1');
  fs.mkdirSync(path.join(target, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(harnessRoot, 'package.json'), path.join(target, 'package.json'));
  fs.writeFileSync(path.join(target, 'harness-config.json'), JSON.stringify({ dir: harnessDir }));
  await esbuild.build({
    entryPoints: [path.join(harnessRoot, 'src', 'extension.ts')],
    outfile: path.join(target, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  register(extensionsDir, path.basename(target));
}

/**
 * Installs the Korean display-language pack the tests use (see test/vscode/locale-ko/package.json for why) and
 * registers it in `languagepacks.json` the way VS Code's language-pack cache does, so that the very first
 * workbench load already runs in Korean (the server reads that file before it has scanned extensions).
 */
export function installKoreanLocale(extensionsDir: string, userDataDir: string): void {
  const target = path.join(extensionsDir, 'socklens-test.locale-ko-1.100.0');
  fs.cpSync(path.join(repoRoot, 'test', 'vscode', 'locale-ko'), target, { recursive: true });
  const languagePacks = {
    ko: {
      hash: 'socklens-test-locale-ko-1.100.0',
      extensions: [{ extensionIdentifier: { id: 'socklens-test.locale-ko' }, version: '1.100.0' }],
      translations: { vscode: path.join(target, 'translations', 'main.i18n.json') },
      label: '한국어',
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks));
  register(extensionsDir, path.basename(target));
}

export const vsixPath = path.join(repoRoot, 'dist', 'socklens.vsix');

/** Builds dist/socklens.vsix with `npm run package` (build + vsce). */
export function packageVsix(): string {
  const result = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 5 * 60_000 });
  if (result.status !== 0 || !fs.existsSync(vsixPath)) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`npm run package failed (exit ${result.status}):\n${output}`);
  }
  return vsixPath;
}

/** Installs a .vsix with code-server's own `--install-extension`, the way a user would. */
export function installVsix(codeServerEntry: string, extensionsDir: string, userDataDir: string, vsix: string): void {
  const result = spawnSync(
    process.execPath,
    [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_CONFIG_HOME: path.join(userDataDir, 'xdg-config') } },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output.trim()}`);
  }
}

/** What a .vsix would contain, copied from the checkout (fast iteration: no packaging step). */
const extensionFiles = ['package.json', 'package.nls.json', 'package.nls.ko.json', 'dist', 'knowledge', 'syntaxes', 'l10n', 'media', 'README.md', 'LICENSE'];

export function copyBuiltExtension(extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const folderName = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  const target = path.join(extensionsDir, folderName);
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  for (const entry of extensionFiles) {
    const from = path.join(repoRoot, entry);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(target, entry), { recursive: true, filter: (src) => !src.endsWith('.vsix') && !src.endsWith('.map') });
  }
  register(extensionsDir, folderName);
}
