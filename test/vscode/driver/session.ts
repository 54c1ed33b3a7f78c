// One real VS Code for a test file: code-server on 127.0.0.1 (fresh profile and extensions dir) with SockLens
// and the test harness installed, shown in Debian's Chromium driven by playwright-core. Always call stop().
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { copyBuiltExtension, installHarness, installKoreanLocale, installVsix, packageVsix, vsixPath } from './extensions';
import { HarnessClient } from './harness-client';
import { outputDir, repoRoot } from './paths';
import { waitFor } from './wait';
import { Workbench } from './workbench';

export type SockLensInstall = 'vsix' | 'folder' | 'none';

export interface SessionOptions {
  /** Names the run's logs and screenshots. */
  name: string;
  /** VS Code display language (`--locale`). */
  locale?: 'en' | 'ko';
  /** true (default): workspace trust off, everything trusted. false: trust on and the folder left untrusted. */
  trusted?: boolean;
  /** How SockLens gets in: the packaged .vsix (default; SOCKLENS_VSCODE_INSTALL overrides), the built checkout, or not at all. */
  socklens?: SockLensInstall;
  /** User settings written before start-up. */
  settings?: Record<string, unknown>;
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Settings that keep a fresh profile quiet and deterministic. */
const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'git.enabled': false,
};

function resolveInstallMode(requested: SockLensInstall | undefined): SockLensInstall {
  const fromEnv = process.env.SOCKLENS_VSCODE_INSTALL;
  if (fromEnv === 'vsix' || fromEnv === 'folder' || fromEnv === 'none') return fromEnv;
  return requested ?? 'vsix';
}

/** The newest modification time of packaged files under `p` (not directories: theirs change when the .vsix is written). */
function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const packaged = (entry: string): boolean => !/\.(vsix|map|so|o)$/.test(entry);
  return Math.max(0, ...fs.readdirSync(p).filter(packaged).map((e) => newestMtime(path.join(p, e))));
}

/** Packages the .vsix unless the one in dist/ is newer than everything that goes into it. */
function freshVsix(): string {
  const inputs = ['dist', 'package.json', 'package.nls.json', 'package.nls.ko.json', 'knowledge', 'syntaxes', 'l10n', 'media', 'tracer', '.vscodeignore'];
  const vsixTime = fs.existsSync(vsixPath) ? fs.statSync(vsixPath).mtimeMs : 0;
  const inputTime = Math.max(...inputs.map((p) => newestMtime(path.join(repoRoot, p))));
  return vsixTime > inputTime ? vsixPath : packageVsix();
}

function prepareWorkspace(dir: string): void {
  fs.cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
  const fixtures = path.join(repoRoot, 'test', 'vscode', 'fixtures');
  if (fs.existsSync(fixtures)) fs.cpSync(fixtures, dir, { recursive: true });
}

/** Process groups of code-servers still running and their temporary folders: cleaned up if this test process
 * ends or is interrupted before stop(). */
const liveGroups = new Set<number>();
const liveTempRoots = new Set<string>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = (): void => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const root of liveTempRoots) fs.rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Signals a detached child's whole process group (code-server, its extension host, their helpers). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

export class VSCodeSession {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly workspace: string,
    readonly page: Page,
    readonly workbench: Workbench,
    readonly harness: HarnessClient,
    private readonly resources: Resources,
  ) {}

  /** Starts everything; on any failure cleans up what was started and rethrows. */
  static async start(options: SessionOptions): Promise<VSCodeSession> {
    const resources = new Resources(options.name);
    try {
      return await VSCodeSession.startWith(options, resources);
    } catch (err) {
      const log = resources.codeServerLog();
      await resources.dispose();
      const tail = log ? `\ncode-server log (last lines):\n${log.split('\n').slice(-20).join('\n')}` : '';
      throw new Error(`${err instanceof Error ? err.message : String(err)}${tail}`, { cause: err });
    }
  }

  private static async startWith(options: SessionOptions, resources: Resources): Promise<VSCodeSession> {
    const started = Date.now();
    const mark = (what: string): void => resources.appendLog(Buffer.from(`[driver +${((Date.now() - started) / 1000).toFixed(1)}s] ${what}\n`));
    const { ensureCodeServer } = await import('../install-code-server.mjs');
    const { entry } = await ensureCodeServer();
    const root = resources.tempRoot;
    const userDataDir = path.join(root, 'user-data');
    const extensionsDir = path.join(root, 'extensions');
    const harnessDir = path.join(root, 'harness');
    const workspace = path.join(root, 'workspace');
    for (const dir of [userDataDir, extensionsDir, harnessDir, workspace, path.join(userDataDir, 'User')]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...options.settings }, null, 2));
    prepareWorkspace(workspace);

    const mode = resolveInstallMode(options.socklens);
    if (mode === 'vsix') installVsix(entry, extensionsDir, userDataDir, freshVsix());
    if (mode === 'folder') copyBuiltExtension(extensionsDir);
    await installHarness(extensionsDir, harnessDir);
    mark(`extensions installed (SockLens: ${mode})`);
    if (options.locale === 'ko') installKoreanLocale(extensionsDir, userDataDir);

    const configFile = path.join(root, 'code-server.yaml');
    fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
    const args = [
      entry,
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--config', configFile,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
    ];
    if (options.trusted !== false) args.push('--disable-workspace-trust');
    if (options.locale) args.push('--locale', options.locale);
    const env: NodeJS.ProcessEnv = { ...process.env, SOCKLENS_HARNESS_DIR: harnessDir, XDG_CONFIG_HOME: path.join(root, 'xdg-config'), XDG_DATA_HOME: path.join(root, 'xdg-data') };
    delete env.PORT;
    delete env.VSCODE_IPC_HOOK_CLI;
    const server = spawn(process.execPath, args, { cwd: workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    resources.codeServer = server;
    if (server.pid !== undefined) liveGroups.add(server.pid);
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('code-server did not report its address within 60 s')), 60_000);
      const onData = (chunk: Buffer): void => {
        resources.appendLog(chunk);
        const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(resources.codeServerLog());
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (code ${code}, signal ${signal})`));
      });
    });

    mark('code-server listening');
    resources.browserServer = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
    const browser = await chromium.connect(resources.browserServer.wsEndpoint());
    resources.browser = browser;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: options.locale === 'ko' ? 'ko-KR' : 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (err) => resources.appendLog(Buffer.from(`[page error] ${err.message}\n`)));
    const url = `${baseUrl}/?folder=${encodeURIComponent(workspace)}`;
    await page.goto(url, { timeout: 60_000 });
    mark('browser opened the workbench');
    const workbench = new Workbench(page);
    await workbench.waitUntilReady();
    mark('workbench ready');
    const harness = await HarnessClient.connect(harnessDir, 120_000);
    mark('harness ready');
    return new VSCodeSession(options.name, url, workspace, page, workbench, harness, resources);
  }

  /** Saves a full-page screenshot as .test-output/vscode/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(outputDir, { recursive: true });
    const file = path.join(outputDir, `${name}.png`);
    await this.page.screenshot({ path: file, timeout: 30_000 });
    return file;
  }

  /** The code-server output so far (for failure messages). */
  log(): string {
    return this.resources.codeServerLog();
  }

  /** Tears everything down; the last screen is kept as <name>-at-stop.png (what a failed step left behind). */
  async stop(): Promise<void> {
    await this.screenshot(`${this.name}-at-stop`).catch(() => undefined);
    await this.resources.dispose();
  }
}

/** Everything a session started, so it can all be torn down even after a failed start. */
class Resources {
  readonly tempRoot: string;
  codeServer: ChildProcess | undefined;
  browserServer: BrowserServer | undefined;
  browser: Browser | undefined;
  private log = '';

  constructor(readonly name: string) {
    this.tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-vscode-'));
    liveTempRoots.add(this.tempRoot);
    installExitHooks();
  }

  appendLog(chunk: Buffer): void {
    this.log += chunk.toString('utf8');
  }

  codeServerLog(): string {
    return this.log;
  }

  async dispose(): Promise<void> {
    fs.mkdirSync(outputDir, { recursive: true });
    fs.writeFileSync(path.join(outputDir, `${this.name}.code-server.log`), this.log);
    await this.browser?.close().catch(() => undefined);
    await this.browserServer?.kill().catch(() => undefined);
    const server = this.codeServer;
    if (server) {
      const exited = new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) resolve();
        else server.once('exit', () => resolve());
      });
      killGroup(server, 'SIGTERM');
      const timer = setTimeout(() => killGroup(server, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // code-server's children (extension host, pty host) share its group; make sure none outlives it.
      killGroup(server, 'SIGKILL');
      if (server.pid !== undefined) liveGroups.delete(server.pid);
    }
    fs.rmSync(this.tempRoot, { recursive: true, force: true, maxRetries: 3 });
    liveTempRoots.delete(this.tempRoot);
  }
}

export { waitFor };
