#!/usr/bin/env node
// Installs code-server (VS Code 1.100.3 as a web server) into test/vscode/env/ for the real-VS Code tests.
// Idempotent and cached: a marker file records what was installed; a matching marker skips all work.
// Run directly (`node test/vscode/install-code-server.mjs`) or call ensureCodeServer() from a test.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

const envDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'env');
const codeServerDir = path.join(envDir, 'node_modules', 'code-server');
const vscodeDir = path.join(codeServerDir, 'lib', 'vscode');
const markerFile = path.join(envDir, 'node_modules', '.socklens-code-server.json');
const lockDir = path.join(envDir, '.install-lock');
const entry = path.join(codeServerDir, 'out', 'node', 'entry.js');

/** What the installed tree was built for; any difference means native modules must be rebuilt. */
function wantedMarker() {
  return { codeServer: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, platform: `${process.platform}-${process.arch}` };
}

function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    const wanted = wantedMarker();
    return Object.keys(wanted).every((k) => marker[k] === wanted[k]) && fs.existsSync(entry);
  } catch {
    return false;
  }
}

function checkPrerequisites() {
  const missing = [];
  if (!fs.existsSync('/usr/bin/rg')) missing.push('ripgrep (/usr/bin/rg)');
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/gssapi.h')) missing.push('libkrb5-dev (gssapi headers, for the kerberos module)');
  if (spawnSync('g++', ['--version']).status !== 0) missing.push('g++ (to build native modules)');
  if (Number(process.versions.node.split('.')[0]) !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 (its native modules and its own version check); this is Node ${process.versions.node}.`);
  }
  if (missing.length > 0) {
    throw new Error(`cannot install code-server: missing ${missing.join(', ')}. On Debian: apt-get install libkrb5-dev ripgrep g++ chromium`);
  }
}

function run(step, cmd, args, cwd, extraEnv = {}) {
  const result = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    const why = result.error ? result.error.message : `exit code ${result.status}${result.signal ? `, signal ${result.signal}` : ''}`;
    throw new Error(`code-server install failed at "${step}" (${cmd} ${args.join(' ')} in ${cwd}): ${why}\n${output}`);
  }
}

/** Replaces whatever is at `dest` with a symlink to `target` (relative, like code-server's postinstall.sh). */
function symlink(target, dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.symlinkSync(target, dest);
}

function install() {
  checkPrerequisites();
  fs.rmSync(path.join(envDir, 'node_modules'), { recursive: true, force: true });
  const npm = 'npm';
  const quiet = ['--no-audit', '--no-fund', '--ignore-scripts'];
  run('install code-server', npm, ['ci', ...quiet], envDir);
  run('install VS Code dependencies', npm, ['install', '--omit=dev', ...quiet], vscodeDir);
  const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgDir, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
  fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
  run('build VS Code native modules', npm, ['rebuild'], vscodeDir, { npm_config_yes: 'true' });
  // The links code-server's postinstall.sh would make (we skip install scripts, so we make them ourselves).
  symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  run('build argon2', npm, ['rebuild', 'argon2'], envDir);
  if (!fs.existsSync(entry)) throw new Error(`code-server install finished but ${entry} is missing`);
  fs.writeFileSync(markerFile, `${JSON.stringify(wantedMarker(), null, 2)}\n`);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A directory lock so two test files never install at the same time; a lock left by a dead process is taken over. */
async function withLock(fn) {
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // the holder has not written its pid yet
      }
      if (Number.isInteger(holder) && !pidAlive(holder)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another code-server install (lock ${lockDir})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Makes sure code-server is installed and returns the path of its entry script (run it with `node`).
 * Throws an Error that says which step failed and why.
 */
export async function ensureCodeServer() {
  if (isInstalled()) return { entry, version: CODE_SERVER_VERSION };
  await withLock(() => {
    if (!isInstalled()) install();
  });
  return { entry, version: CODE_SERVER_VERSION };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now();
    const { entry: installed } = await ensureCodeServer();
    console.log(`code-server ${CODE_SERVER_VERSION} ready: ${installed} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
