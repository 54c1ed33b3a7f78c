import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events';
import { canBind } from '../../src/core/runner/ports';
import { liveGroupMembers } from '../../src/core/runner/processGroup';
import { EXAMPLES, record } from './helpers';

const HELLO = path.join(EXAMPLES, 'hello_server.c');

test('hello server with --args auto and a test client: exact events, lines, fds, addresses, bytes', async () => {
  const r = record({ source: HELLO, args: 'auto', client: { text: 'hello' } });
  const result = await r.run.done;
  assert.equal(result.reason, 'exited');
  assert.equal(result.exitCode, 0);
  assert.equal(result.portsFreed, true);

  const started = r.events.find((e) => e.kind === 'process-started') as Extract<SockLensEvent, { kind: 'process-started' }>;
  assert.equal(started.argv.length, 2);
  const port = Number(started.argv[1]);
  assert.ok(port > 0);

  assert.deepEqual(r.sequence(), [
    '26 socket - → 3',
    '35 bind 3 → 0',
    '38 listen 3 → 0',
    '42 accept 3 → 4',
    '46 write 4 → 13',
    '47 close 4 → 0',
    '48 close 3 → 0',
    '- exit - → 0',
  ]);
  const [socket, bind, listen, accept, write] = r.calls();
  assert.deepEqual(socket.args, { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' });
  assert.equal(socket.newFd, 3);
  assert.deepEqual(socket.src, { file: HELLO, line: 26, function: 'main' });
  assert.equal(bind.local, `0.0.0.0:${port}`);
  assert.deepEqual(listen.args, { backlog: 5 });
  assert.equal(listen.local, `0.0.0.0:${port}`);
  assert.equal(accept.newFd, 4);
  assert.equal(accept.local, `127.0.0.1:${port}`);
  assert.match(accept.peer ?? '', /^127\.0\.0\.1:\d+$/);
  assert.equal(write.bytes, 13);
  assert.equal(write.data, 'Hello World!\\x00');
  for (const c of r.calls()) assert.equal(c.pid, started.pid);

  const kinds = r.events.map((e) => e.kind);
  assert.deepEqual(kinds.slice(0, 3), ['compile-started', 'compile-finished', 'process-started']);
  // after the exit only the kernel's view of the closed sockets (tcp-state) and the client's close (it closes once it
  // has read the end of stream, which can come before or after the program's exit) may follow, then the end
  const afterExit = kinds.slice(kinds.indexOf('exited') + 1).filter((k) => k !== 'client');
  assert.equal(afterExit.at(-1), 'stopped');
  assert.ok(afterExit.slice(0, -1).every((k) => k === 'tcp-state'), afterExit.join(', '));
  const client = r.events.filter((e) => e.kind === 'client').map((e) => (e as { action: string }).action);
  assert.deepEqual(client, ['connected', 'sent', 'received', 'closed']);
  const received = r.events.find((e) => e.kind === 'client' && e.action === 'received') as { text?: string };
  assert.equal(received.text, 'Hello World!\0');
  const seqs = r.events.map((e) => e.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
  const exited = r.events.find((e) => e.kind === 'exited') as Extract<SockLensEvent, { kind: 'exited' }>;
  assert.equal(exited.reason, 'exited with code 0');
  assert.deepEqual(liveGroupMembers(started.pid), []);
  assert.equal(await canBind('0.0.0.0', port), true);
});

test('without arguments the hello server prints its usage line and exits 1', async () => {
  const r = record({ source: HELLO, args: [] });
  const result = await r.run.done;
  assert.equal(result.exitCode, 1);
  const out = r.events.filter((e) => e.kind === 'stdout').map((e) => (e as { text: string }).text);
  assert.deepEqual(out, ['Usage : ./hello_server <port>']);
  const exit = r.calls().find((c) => c.call === 'exit') as CallEvent;
  assert.deepEqual(exit.args, { code: 1 });
  assert.equal(exit.src?.line, 23);
});

test('socklens run CLI: timeline with source lines, --json lines, exit code of the program', () => {
  const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  const env = { ...process.env, NO_COLOR: '1' };
  const text = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', HELLO, '--args', 'auto', '--client', 'hello'], { encoding: 'utf8', env, timeout: 60000 });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /hello_server\.c:26 +socket\(PF_INET, SOCK_STREAM, 0\) → fd 3/);
  assert.match(text.stdout, /hello_server\.c:42 +accept\(3\) → fd 4 from 127\.0\.0\.1:\d+/);
  assert.match(text.stdout, /client 1 received "Hello World!\\x00"/);
  assert.doesNotMatch(text.stdout, /\x1b\[/);

  const json = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', HELLO, '--json', '--timeout', '1', '--', '0'], { encoding: 'utf8', env, timeout: 60000 });
  assert.equal(json.status, 143, json.stdout + json.stderr);
  const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as SockLensEvent);
  assert.equal(events[0].kind, 'compile-started');
  assert.ok(events.some((e) => e.kind === 'call' && e.call === 'listen'));
  assert.ok(events.some((e) => e.kind === 'exited' && e.reason === 'terminated (SIGTERM)'));
  assert.deepEqual(events.at(-1), { ...events.at(-1), kind: 'stopped', reason: 'timeout', portsFreed: true });
});
