import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseTcpTable } from '../../src/core/runner/procNetTcp';
import { addressInUseAdvice, holderText } from '../../src/core/runner/problems';

// Lines as this machine's kernel printed them (trailing columns shortened), for a listener with a caller on hold,
// an accepted connection, a TIME_WAIT connection, and IPv6: ::1, ::, and an IPv4-mapped connection.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:B813 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 23786 3 000000002d338df7 100 0 0 10 0
   2: 0100007F:B813 0100007F:9E96 01 00000000:00000000 00:00000000 00000000     0        0 0 1 00000000eb5b348e 20 0 0 10 -1
   5: 0100007F:B860 0100007F:EE3C 06 00000000:00000000 03:0000175D 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:B8E5 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 151784 1 00
   1: 00000000000000000000000000000000:B8E6 00000000000000000000000000000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 151786 2 00
   2: 0000000000000000FFFF00000100007F:B8E6 0000000000000000FFFF00000100007F:82EC 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000
`;

test('/proc/net/tcp rows: state names, addresses as events write them, queues, TIME_WAIT timer, inode', () => {
  const rows = parseTcpTable(TCP, false);
  assert.deepEqual(
    rows.map((r) => [r.state, r.local, r.peer, r.rxQueue, r.inode]),
    [
      ['LISTEN', '127.0.0.1:47123', '0.0.0.0:0', 2, 23786],
      ['ESTABLISHED', '127.0.0.1:47123', '127.0.0.1:40598', 0, 0],
      ['TIME_WAIT', '127.0.0.1:47200', '127.0.0.1:60988', 0, 0],
    ],
  );
  assert.equal(rows[2].timerTicks, 0x175d);
  assert.equal(rows[2].tupleKey, '127.0.0.1:47200 127.0.0.1:60988');
  assert.equal(rows[0].localPort, 47123);
});

test('/proc/net/tcp6 rows: words in host order, ::1, :: and IPv4-mapped addresses', () => {
  const rows = parseTcpTable(TCP6, true);
  assert.deepEqual(
    rows.map((r) => [r.state, r.local, r.peer, r.rxQueue]),
    [
      ['LISTEN', '[::1]:47333', '[::]:0', 0],
      ['LISTEN', '[::]:47334', '[::]:0', 1],
      ['ESTABLISHED', '[::ffff:127.0.0.1]:47334', '[::ffff:127.0.0.1]:33516', 0],
    ],
  );
});

test('holders are named, never "?": a process, a hidden process, TIME_WAIT connections with their expiry', () => {
  assert.deepEqual(holderText({ pid: 12, command: 'hello_server', state: 'LISTEN' }), {
    en: 'hello_server (pid 12, LISTEN)',
    ko: 'hello_server (pid 12, LISTEN 상태)',
  });
  assert.equal(holderText({ pid: null, command: null, state: 'LISTEN' }).en, "a socket in LISTEN of another user's process");
  assert.deepEqual(holderText({ pid: null, command: null, state: 'TIME-WAIT', connections: 3, expiresInMs: 41_400 }), {
    en: 'TIME_WAIT connections (3), expire in about 41 s',
    ko: 'TIME_WAIT 상태의 연결 3개, 약 41초 뒤에 사라짐',
  });
});

test('EADDRINUSE advice by holder, and never SO_REUSEADDR again for a program that set it', () => {
  const timeWait = [{ pid: null, command: null, state: 'TIME-WAIT', connections: 1, expiresInMs: 30_000 }];
  assert.match(addressInUseAdvice(9190, timeWait).en, /call setsockopt\(fd, SOL_SOCKET, SO_REUSEADDR/);
  assert.match(addressInUseAdvice(9190, timeWait).en, /expire in about 30 s/);
  assert.doesNotMatch(addressInUseAdvice(9190, timeWait, true).en, /call setsockopt/);
  assert.match(addressInUseAdvice(9190, timeWait, true).en, /sets SO_REUSEADDR already/);
  assert.match(addressInUseAdvice(9190, []).en, /SO_REUSEADDR before bind\(\) helps/);
  assert.doesNotMatch(addressInUseAdvice(9190, [], true).en, /SO_REUSEADDR/);
  const listener = [{ pid: 77, command: 'other', state: 'LISTEN' }];
  assert.equal(addressInUseAdvice(9190, listener).en, 'Port 9190 is taken by other (pid 77). Stop that program, or start this one on another port.');
  assert.doesNotMatch(addressInUseAdvice(9190, listener).en, /SO_REUSEADDR/);
});
