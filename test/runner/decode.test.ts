import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { exitReason, previewText, sockaddrText, typeName, msgFlagNames, errnoName } from '../../src/core/runner/names';
import { HEADER_SIZE, TracerRecord } from '../../src/core/runner/records';
import { callEventOf } from '../../src/core/runner/callEvents';
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

test('a record is read in place with its addresses, data and descriptors; bad lengths are refused', () => {
  const peer = Buffer.from([2, 0, 0xc8, 0xd2, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const data = Buffer.from('hi\n');
  const rec = Buffer.alloc(HEADER_SIZE + peer.length + data.length + 4 + 3); // two records, the second one unaligned inside
  const len = HEADER_SIZE + peer.length + data.length + 4;
  rec.writeUInt16LE(len, 0);
  rec[2] = 5; // accept
  rec.writeUInt32LE(42, 4);
  rec.writeUInt32LE(43, 8);
  rec.writeInt32LE(3, 12);
  rec.writeInt32LE(4, 24);
  rec.writeInt32LE(4, 36);
  rec.writeUInt16LE(peer.length, 82);
  rec.writeUInt16LE(data.length, 84);
  rec.writeUInt16LE(1, 86);
  peer.copy(rec, HEADER_SIZE);
  data.copy(rec, HEADER_SIZE + peer.length);
  rec.writeInt32LE(7, HEADER_SIZE + peer.length + data.length);
  const both = Buffer.concat([Buffer.alloc(8), rec]);
  const r = new TracerRecord(both).at(8, len);
  assert.deepEqual([r.call, r.pid, r.tid, r.fd, r.ret, r.newFd, r.localText(), r.peerText(), r.dataPreview(), r.fds()], ['accept', 42, 43, 3, 4, 4, null, '127.0.0.1:51410', 'hi\\n', [7]]);
  const ev = callEventOf(r);
  assert.equal(ev.peer, '127.0.0.1:51410');
  assert.equal(ev.newFd, 4);
  assert.equal(ev.data, 'hi\\n');
  assert.throws(() => new TracerRecord(both).at(8, len + 1), /does not add up/);
  assert.throws(() => new TracerRecord(both).at(8, len + 4), /does not fit/);
  assert.throws(() => new TracerRecord(both).at(10, HEADER_SIZE), /does not fit/);
  both[10] = 200;
  assert.throws(() => new TracerRecord(both).at(8, len), /unknown call id/);
});

test('auto arguments: port from argv via the analysis core, host placeholders, argc', async () => {
  const server = 'int main(int argc, char *argv[]) { struct sockaddr_in a; if (argc != 2) { printf("Usage : %s <port>\\n", argv[0]); exit(1); } a.sin_port = htons(atoi(argv[1])); bind(3, (struct sockaddr *)&a, sizeof(a)); }';
  assert.deepEqual(await planArguments(server), { count: 1, portIndex: 1, hostIndexes: [] });
  const client = 'int main(int argc, char *argv[]) { struct sockaddr_in a; if (argc != 3) { printf("Usage : %s <IP> <port>\\n", argv[0]); exit(1); } a.sin_addr.s_addr = inet_addr(argv[1]); a.sin_port = htons(atoi(argv[2])); connect(3, (struct sockaddr *)&a, sizeof(a)); }';
  assert.deepEqual(await planArguments(client), { count: 2, portIndex: 2, hostIndexes: [1] });
});
