import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { exitReason, previewText, sockaddrText, typeName, msgFlagNames, errnoName } from '../../src/core/runner/names';
import { HEADER_SIZE, decodeRecord } from '../../src/core/runner/records';
import { planArguments } from '../../src/core/runner/programArgs';

function sockaddrIn6(addr: number[], port: number): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(10, 0);
  b.writeUInt16BE(port, 2);
  Buffer.from(addr).copy(b, 8);
  return b;
}

test('addresses are printed the way people write them', () => {
  const v4 = Buffer.from([2, 0, 0x23, 0xe6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(sockaddrText(v4), '0.0.0.0:9190');
  assert.equal(sockaddrText(sockaddrIn6([...Array(15).fill(0), 1], 5000)), '[::1]:5000');
  assert.equal(sockaddrText(sockaddrIn6(Array(16).fill(0), 80)), '[::]:80');
  assert.equal(sockaddrText(sockaddrIn6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1)), '[2001:db8::1]:1');
  assert.equal(sockaddrText(sockaddrIn6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1], 7)), '[::ffff:127.0.0.1]:7');
  const unix = Buffer.concat([Buffer.from([1, 0]), Buffer.from('/tmp/s\0')]);
  assert.equal(sockaddrText(unix), '/tmp/s');
  assert.equal(sockaddrText(Buffer.concat([Buffer.from([1, 0, 0]), Buffer.from('abstract')])), '@abstract');
});

test('names for types, flags, errno, exit reasons, data previews', () => {
  assert.equal(typeName(1 | 0o4000 | 0o2000000), 'SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC');
  assert.equal(msgFlagNames(0x4000 | 0x2), 'MSG_PEEK|MSG_NOSIGNAL');
  assert.equal(msgFlagNames(0), '0');
  assert.equal(errnoName(98), 'EADDRINUSE');
  assert.equal(errnoName(11), 'EAGAIN');
  assert.equal(exitReason(null, 'SIGSEGV'), 'crashed: segmentation fault (SIGSEGV)');
  assert.equal(exitReason(2, null), 'exited with code 2');
  assert.equal(previewText(Buffer.from('a\n\0\\')), 'a\\n\\x00\\\\');
});

test('a record decodes with its addresses, data and descriptors; bad lengths are refused', () => {
  const rec = Buffer.alloc(HEADER_SIZE + 4);
  rec.writeUInt16LE(rec.length, 0);
  rec[2] = 1; // socket
  rec.writeUInt32LE(42, 4);
  rec.writeInt32LE(-1, 12);
  rec.writeInt32LE(3, 24);
  rec.writeInt32LE(3, 36);
  rec.writeUInt16LE(1, 86);
  rec.writeInt32LE(7, HEADER_SIZE);
  const both = Buffer.concat([rec, rec]);
  const r = decodeRecord(both, rec.length, rec.length);
  assert.deepEqual([r.call, r.pid, r.ret, r.newFd, r.fds], ['socket', 42, 3, 3, [7]]);
  assert.throws(() => decodeRecord(both, 0, rec.length + 1), /does not add up/);
  rec[2] = 200;
  assert.throws(() => decodeRecord(rec, 0, rec.length), /unknown call id/);
});

test('auto arguments: port from argv via the analysis core, host placeholders, argc', async () => {
  const server = 'int main(int argc, char *argv[]) { struct sockaddr_in a; if (argc != 2) { printf("Usage : %s <port>\\n", argv[0]); exit(1); } a.sin_port = htons(atoi(argv[1])); bind(3, (struct sockaddr *)&a, sizeof(a)); }';
  assert.deepEqual(await planArguments(server), { count: 1, portIndex: 1, hostIndexes: [] });
  const client = 'int main(int argc, char *argv[]) { struct sockaddr_in a; if (argc != 3) { printf("Usage : %s <IP> <port>\\n", argv[0]); exit(1); } a.sin_addr.s_addr = inet_addr(argv[1]); a.sin_port = htons(atoi(argv[2])); connect(3, (struct sockaddr *)&a, sizeof(a)); }';
  assert.deepEqual(await planArguments(client), { count: 2, portIndex: 2, hostIndexes: [1] });
});
