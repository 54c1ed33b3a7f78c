import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { SockLensEvent } from '../../src/core/protocol/events';
import { fixture, record } from './helpers';

test('socketpair, dup, dup2, fcntl, EAGAIN, setsockopt, shutdown: fds and stdout identical to an untraced run', async () => {
  const r = record({ source: fixture('descriptors.c'), args: [] });
  const result = await r.run.done;
  assert.equal(result.exitCode, 3);
  const stdout = r.events.filter((e): e is Extract<SockLensEvent, { kind: 'stdout' | 'stderr' }> => e.kind === 'stdout').map((e) => e.text);
  const compiled = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
  const untraced = spawnSync(compiled.binary!, [], { encoding: 'utf8' });
  assert.equal(untraced.status, 3);
  assert.deepEqual(stdout, untraced.stdout.trim().split('\n'));
  assert.deepEqual(stdout, ['fds 3 4 5 10 recv 3 EAGAIN']);

  assert.deepEqual(r.sequence(), [
    '14 socketpair - → 0',
    '15 dup 3 → 5',
    '16 dup2 4 → 10',
    '17 fcntl 3 → 0',
    '18 recv 3 → EAGAIN',
    '20 setsockopt 4 → 0',
    '21 write 4 → 3',
    '22 read 3 → 3',
    '23 shutdown 5 → 0',
    '24 close 5 → 0',
    '25 close 10 → 0',
    '26 close 3 → 0',
    '27 close 4 → 0',
    '- exit - → 0',
  ]);
  const calls = r.calls();
  assert.deepEqual(calls[0].fds, [3, 4]);
  assert.deepEqual(calls[0].args, { family: 'AF_UNIX', type: 'SOCK_STREAM', protocol: '0' });
  assert.equal(calls[1].newFd, 5);
  assert.deepEqual(calls[2].args, { newfd: 10 });
  assert.deepEqual(calls[3].args, { command: 'F_SETFL', flags: 'O_NONBLOCK', nonblocking: true });
  assert.equal(calls[4].errno, 'EAGAIN');
  assert.deepEqual(calls[5].args, { level: 'SOL_SOCKET', option: 'SO_KEEPALIVE', value: 1, optlen: 4 });
  assert.equal(calls[7].data, 'hi\\n');
  assert.deepEqual(calls[8].args, { how: 'SHUT_WR' });
  // EAGAIN on a non-blocking socket is routine: no problem event
  assert.equal(r.events.filter((e) => e.kind === 'problem').length, 0);
});

test('fortified build (-O1 -D_FORTIFY_SOURCE=2): __recv_chk and __read_chk are reported as recv and read', async () => {
  const r = record({ source: fixture('fortified.c'), args: [], flags: ['-g', '-O1', '-D_FORTIFY_SOURCE=2'] });
  const result = await r.run.done;
  assert.equal(result.exitCode, 0);
  const compiled = r.events.find((e) => e.kind === 'compile-finished') as Extract<SockLensEvent, { kind: 'compile-finished' }>;
  const symbols = spawnSync('nm', ['-D', compiled.binary!], { encoding: 'utf8' }).stdout;
  assert.match(symbols, /__recv_chk/);
  assert.match(symbols, /__read_chk/);
  const calls = r.calls().filter((c) => c.call !== 'exit');
  assert.deepEqual(calls.map((c) => [c.call, c.fd, c.ret]), [['socketpair', null, 0], ['send', 4, 6], ['recv', 3, 6], ['send', 4, 2], ['read', 3, 2]]);
  assert.equal(calls[2].data, 'abcdef');
  assert.equal(calls[2].src?.line, 14);
  assert.equal(calls[4].data, 'gh');
  assert.ok(r.events.some((e) => e.kind === 'stdout' && e.text === '6 2'));
});
