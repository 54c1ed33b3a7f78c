// `npm start`: builds SockLens and opens examples/ in VS Code with it loaded. Desktop VS Code
// (`code --extensionDevelopmentPath`) when `code` is on the PATH; otherwise the code-server the editor tests
// use (installed and cached by test/vscode/install-code-server.mjs), served on a loopback URL printed here.
// Environment: SOCKLENS_START_PORT (code-server port, default: a free one), SOCKLENS_START_CODE_SERVER=1
// (use code-server even when `code` exists).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const examples = path.join(root, 'examples');
const stateDir = path.join(root, '.cache', 'start');

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function runOrFail(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`${what} failed (exit ${result.status ?? result.signal})`);
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function desktop(code) {
  console.log(`Opening ${examples} in VS Code with SockLens from ${root}`);
  const child = spawn(code, ['--extensionDevelopmentPath', root, examples], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 0));
}

async function codeServer() {
  const { ensureCodeServer } = await import('../test/vscode/install-code-server.mjs');
  console.log('Preparing code-server (the first time this downloads and installs it; later starts use the cache)…');
  const { entry, version } = await ensureCodeServer();
  runOrFail('npm', ['run', 'package'], 'npm run package');
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }, null, 2));
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  // Keep code-server's own config and data inside .cache/start instead of the user's home.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'), XDG_DATA_HOME: path.join(stateDir, 'xdg-data') };
  delete env.PORT;
  const install = spawnSync(process.execPath, [entry, ...common, '--force', '--install-extension', path.join(root, 'dist', 'socklens.vsix')], { cwd: root, env, stdio: 'inherit' });
  if (install.status !== 0) fail(`installing dist/socklens.vsix failed (exit ${install.status ?? install.signal})`);

  const port = Number(process.env.SOCKLENS_START_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SOCKLENS_START_PORT must be a port number, not ${process.env.SOCKLENS_START_PORT}`);
  const config = path.join(stateDir, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const args = [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--config', config, '--disable-telemetry', '--disable-update-check', ...common, examples];
  const server = spawn(process.execPath, args, { cwd: examples, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('exit', stop);
  let log = '';
  let announced = false;
  const onData = (chunk) => {
    log += chunk.toString('utf8');
    const match = !announced && /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
    if (match) {
      announced = true;
      console.log(`\nSockLens is running in code-server ${version}. Open this URL in a browser on this machine:\n\n  ${match[1]}/?folder=${encodeURIComponent(examples)}\n\nPress Ctrl+C to stop.`);
    }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (status, signal) => {
    if (!announced) console.error(log.split('\n').slice(-20).join('\n'));
    process.exit(status ?? (signal ? 0 : 1));
  });
}

runOrFail(process.execPath, [path.join(root, 'scripts', 'build.mjs')], 'the build');
const code = process.env.SOCKLENS_START_CODE_SERVER === '1' ? undefined : onPath('code');
if (code) desktop(code);
else await codeServer();
