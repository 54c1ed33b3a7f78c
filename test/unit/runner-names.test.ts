/**
 * The runner names constants from the knowledge base: names.ts holds no name or value of its own. Names the
 * knowledge base does not explain are in knowledge/decoding.json, never in both, and their values are checked
 * against gcc's headers here (one generated C program, compiled and run).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ConstantEntry } from '../../src/core/knowledge/schema';
import {
  addrinfoFlagNames, epollEventNames, epollOpName, errnoName, exitReason, familyName, fcntlCommandName, fileFlagNames, isCrashSignal, isDatagramType,
  gaiErrorName, isStreamType, levelName, msgFlagNames, nameinfoFlagNames, optionName, protocolName, shutdownName, typeName,
} from '../../src/core/runner/names';

const root = path.join(__dirname, '..', '..');
const knowledge = path.join(root, 'knowledge');
const decoding = JSON.parse(fs.readFileSync(path.join(knowledge, 'decoding.json'), 'utf8')) as {
  names: { name: string; value: number; header: string; table: string; level?: string }[];
  signals: { name: string; crash: boolean; en: string; ko: string }[];
};
const constants = new Map<string, ConstantEntry>(
  fs.readdirSync(path.join(knowledge, 'constants')).flatMap((f) =>
    (JSON.parse(fs.readFileSync(path.join(knowledge, 'constants', f), 'utf8')) as { entries: ConstantEntry[] }).entries.map((e): [string, ConstantEntry] => [e.name, e]),
  ),
);
const value = (name: string): number => constants.get(name)!.value as number;

test('names.ts writes no constant name with its value: no name tables, no flag lists', () => {
  const source = fs.readFileSync(path.join(root, 'src/core/runner/names.ts'), 'utf8');
  assert.doesNotMatch(source, /\b(?:0x[0-9a-f]+|0o[0-7]+|\d+)\s*:\s*'[A-Z][A-Z0-9_]+'/, 'a `number: NAME` table');
  assert.doesNotMatch(source, /\[\s*(?:0x[0-9a-f]+|0o[0-7]+|\d+)\s*,\s*'[A-Z][A-Z0-9_]+'\s*\]/, 'a `[bit, NAME]` list');
  assert.doesNotMatch(source, /'(?:segmentation fault|killed|terminated)'/, 'signal words');
});

test('decoding.json only holds names the knowledge base does not explain', () => {
  const both = decoding.names.filter((n) => constants.has(n.name)).map((n) => n.name);
  assert.deepEqual(both, []);
  for (const n of decoding.names) if (n.table === 'option') assert.ok(n.level && constants.has(n.level), `${n.name}: level ${n.level}`);
});

test('every explained constant of a decoded group decodes to its name', () => {
  for (const name of ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_UNSPEC']) assert.equal(familyName(value(name)), name);
  assert.equal(familyName(value('PF_INET')), 'AF_INET', 'an alias reads as the name it equals');
  for (const name of ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_SEQPACKET']) assert.equal(typeName(value(name)), name);
  assert.equal(typeName(value('SOCK_STREAM') | value('SOCK_NONBLOCK') | value('SOCK_CLOEXEC')), 'SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC');
  assert.ok(isStreamType(value('SOCK_STREAM') | value('SOCK_NONBLOCK')) && isDatagramType(value('SOCK_DGRAM')));
  assert.equal(protocolName(0), '0');
  for (const name of ['IPPROTO_TCP', 'IPPROTO_UDP', 'IPPROTO_ICMP']) assert.equal(protocolName(value(name)), name);
  for (const name of ['SOL_SOCKET', 'IPPROTO_IP', 'IPPROTO_TCP', 'IPPROTO_IPV6']) assert.equal(levelName(value(name)), name);
  const socketOptions = (JSON.parse(fs.readFileSync(path.join(knowledge, 'constants/socket-options.json'), 'utf8')) as { entries: ConstantEntry[] }).entries;
  const levels: [string, string][] = [['SO_', 'SOL_SOCKET'], ['TCP_', 'IPPROTO_TCP'], ['IPV6_', 'IPPROTO_IPV6']];
  for (const option of socketOptions) {
    const level = levels.find(([prefix]) => option.name.startsWith(prefix));
    if (level) assert.equal(optionName(value(level[1]), option.value as number), option.name);
  }
  assert.equal(msgFlagNames(value('MSG_PEEK') | value('MSG_NOSIGNAL')), 'MSG_PEEK|MSG_NOSIGNAL');
  assert.equal(msgFlagNames(0), '0');
  assert.equal(fileFlagNames(value('O_NONBLOCK')), 'O_NONBLOCK');
  for (const name of ['F_GETFL', 'F_SETFL', 'F_GETFD', 'F_SETFD']) assert.equal(fcntlCommandName(value(name)), name);
  for (const name of ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR']) assert.equal(shutdownName(value(name)), name);
  for (const name of ['EPOLL_CTL_ADD', 'EPOLL_CTL_MOD', 'EPOLL_CTL_DEL']) assert.equal(epollOpName(value(name)), name);
  assert.equal(epollEventNames(value('EPOLLIN') | value('EPOLLET')), 'EPOLLIN|EPOLLET');
  assert.equal(epollEventNames(value('EPOLLIN') | 0x400), 'EPOLLIN|0x400', 'unknown bits stay visible');
  assert.equal(familyName(12345), '12345');
});

test('names from decoding.json decode too', () => {
  for (const n of decoding.names) {
    const decoders: Record<string, () => string> = {
      family: () => familyName(n.value),
      type: () => typeName(n.value),
      protocol: () => protocolName(n.value),
      option: () => optionName(value(n.level!), n.value),
      messageFlag: () => msgFlagNames(n.value),
      fileFlag: () => fileFlagNames(n.value),
      fcntlCommand: () => fcntlCommandName(n.value),
      epollEvent: () => epollEventNames(n.value),
      gaiError: () => gaiErrorName(n.value),
      addrinfoFlag: () => addrinfoFlagNames(n.value),
      nameinfoFlag: () => nameinfoFlagNames(n.value),
    };
    assert.equal(decoders[n.table]?.(), n.name, `${n.table} ${n.value}`);
  }
});

test('errno names come from the knowledge base (EAGAIN, not EWOULDBLOCK)', () => {
  const errnos = (JSON.parse(fs.readFileSync(path.join(knowledge, 'errno.json'), 'utf8')) as { entries: { name: string; value: number }[] }).entries;
  assert.equal(errnoName(11), 'EAGAIN');
  assert.equal(errnoName(98), 'EADDRINUSE');
  for (const e of errnos) assert.equal(errnoName(e.value), errnos.find((x) => x.value === e.value)!.name);
  assert.equal(errnoName(9999), 'errno 9999');
});

test('how a program ended, in both languages, from decoding.json', () => {
  assert.equal(exitReason(null, 'SIGSEGV'), 'crashed: segmentation fault (SIGSEGV)');
  assert.equal(exitReason(null, 'SIGSEGV', 'ko'), '비정상 종료: 세그멘테이션 오류 (SIGSEGV)');
  assert.equal(exitReason(null, 'SIGTERM'), 'terminated (SIGTERM)');
  assert.equal(exitReason(2, null), 'exited with code 2');
  assert.equal(exitReason(0, null, 'ko'), '종료 코드 0으로 끝남');
  assert.equal(exitReason(null, 'SIGUSR1'), 'SIGUSR1 (SIGUSR1)', 'a signal without words: its name');
  assert.ok(isCrashSignal('SIGSEGV') && !isCrashSignal('SIGTERM') && !isCrashSignal(null));
  for (const s of decoding.signals) assert.ok(s.en.trim() && s.ko.trim(), s.name);
});

test('decoding.json values are what gcc and glibc say (x86_64)', async () => {
  const headers = [...new Set(decoding.names.map((n) => n.header))].sort();
  const program = [
    '#define _GNU_SOURCE',
    ...headers.map((h) => `#include <${h}>`),
    '#include <stdio.h>',
    'int main(void) {',
    ...decoding.names.map((n) => `  printf("%s %lld\\n", "${n.name}", (long long)(${n.name}));`),
    '  return 0;',
    '}',
  ].join('\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-decoding-'));
  try {
    fs.writeFileSync(path.join(dir, 'probe.c'), program);
    const run = promisify(execFile);
    await run('gcc', ['-o', path.join(dir, 'probe'), path.join(dir, 'probe.c')]);
    const { stdout } = await run(path.join(dir, 'probe'));
    const actual = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split(' ')).map(([n, v]) => [n, Number(v)]));
    assert.deepEqual(actual, Object.fromEntries(decoding.names.map((n) => [n.name, n.value])));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
