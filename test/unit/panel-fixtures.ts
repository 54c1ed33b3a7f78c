// Event sequences for the panel tests. The hello-server one was recorded from the real runner
// (examples/hello_server.c with --args auto and a test client sending "hello"), with pid and port fixed.
import type { CallEvent, SockLensEvent } from '../../src/core/protocol/events.js';

export const PID = 4242;
const SRC = '/work/main/examples/hello_server.c';

type CallFields = Partial<CallEvent> & Pick<CallEvent, 'call'>;

export function callEvent(seq: number, fields: CallFields): CallEvent {
  return { v: 2, seq, t: seq * 1000, kind: 'call', pid: PID, tid: PID, fd: null, ret: 0, errno: null, args: {}, ...fields };
}

function at(line: number): CallEvent['src'] {
  return { file: SRC, line, function: 'main' };
}

export function helloServerEvents(port = 9190, peerPort = 50304): SockLensEvent[] {
  return [
    { v: 2, seq: 1, t: 1904, kind: 'compile-started', compiler: 'gcc', args: ['-g', '-O0', '-Wall', '-Wextra', SRC] },
    { v: 2, seq: 2, t: 4454, kind: 'compile-finished', ok: true, cached: true, binary: '/tmp/hello_server', diagnostics: [] },
    { v: 2, seq: 3, t: 10000, kind: 'process-started', pid: PID, ppid: null, argv: ['./hello_server', String(port)] },
    callEvent(4, { call: 'socket', ret: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' }, newFd: 3, src: at(26) }),
    callEvent(5, { call: 'bind', fd: 3, local: `0.0.0.0:${port}`, src: at(35) }),
    callEvent(6, { call: 'listen', fd: 3, args: { backlog: 5 }, local: `0.0.0.0:${port}`, src: at(38) }),
    callEvent(7, {
      call: 'accept',
      fd: 3,
      ret: 4,
      local: `127.0.0.1:${port}`,
      peer: `127.0.0.1:${peerPort}`,
      newFd: 4,
      src: at(42),
    }),
    callEvent(8, { call: 'write', fd: 4, ret: 13, args: { length: 13 }, bytes: 13, data: 'Hello World!\\x00', src: at(46) }),
    callEvent(9, { call: 'close', fd: 4, src: at(47) }),
    callEvent(10, { call: 'close', fd: 3, src: at(48) }),
    callEvent(11, { call: 'exit', args: { code: null, returnedFromMain: true } }),
    { v: 2, seq: 12, t: 2703964, kind: 'client', client: 1, action: 'connected', address: `127.0.0.1:${port}` },
    { v: 2, seq: 13, t: 2704458, kind: 'client', client: 1, action: 'sent', address: `127.0.0.1:${port}`, text: 'hello' },
    { v: 2, seq: 14, t: 2742648, kind: 'client', client: 1, action: 'received', address: `127.0.0.1:${port}`, text: 'Hello World!\u0000' },
    { v: 2, seq: 15, t: 2796688, kind: 'client', client: 1, action: 'closed', address: `127.0.0.1:${port}` },
    { v: 2, seq: 16, t: 2797600, kind: 'exited', pid: PID, code: 0, signal: null, reason: 'exited with code 0' },
    { v: 2, seq: 17, t: 2840525, kind: 'stopped', reason: 'exited', portsFreed: true },
  ];
}

/** The first events of the hello server, up to the accept: the state while a call is in progress. */
export function helloServerUntilAccept(port = 9190): SockLensEvent[] {
  return helloServerEvents(port).filter((e) => e.seq <= 7);
}

export function addressInUseEvents(port = 9190): SockLensEvent[] {
  return [
    { v: 2, seq: 1, t: 1000, kind: 'process-started', pid: PID, ppid: null, argv: ['./hello_server', String(port)] },
    callEvent(2, { call: 'socket', ret: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' }, newFd: 3, src: at(26) }),
    callEvent(3, { call: 'bind', fd: 3, ret: -1, errno: 'EADDRINUSE', local: `0.0.0.0:${port}`, src: at(35) }),
    {
      v: 2,
      seq: 4,
      t: 4000,
      kind: 'problem',
      code: 'EADDRINUSE',
      message: { en: `bind() failed: port ${port} is already in use`, ko: `bind() 실패: ${port}번 포트를 이미 쓰고 있습니다` },
      pid: PID,
      call: 'bind',
      errno: 'EADDRINUSE',
      src: at(35),
      explanation: { en: 'Another socket already has this address.', ko: '다른 소켓이 이미 이 주소를 가지고 있습니다.' },
      holder: [{ pid: 777, command: 'other_server', state: 'LISTEN' }],
      advice: { en: `Port ${port} is taken by other_server (pid 777).`, ko: `${port}번 포트를 이미 쓰고 있는 프로그램: other_server (pid 777).` },
    },
    { v: 2, seq: 5, t: 5000, kind: 'stderr', pid: PID, text: 'bind() error' },
    { v: 2, seq: 6, t: 6000, kind: 'exited', pid: PID, code: 1, signal: null, reason: 'exited with code 1' },
  ];
}

export function crashEvents(): SockLensEvent[] {
  return [
    { v: 2, seq: 1, t: 1000, kind: 'process-started', pid: PID, ppid: null, argv: ['./crash'] },
    callEvent(2, { call: 'socket', ret: 3, args: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: '0' }, newFd: 3, src: at(10) }),
    { v: 2, seq: 3, t: 3000, kind: 'exited', pid: PID, code: null, signal: 'SIGSEGV', reason: 'crashed: segmentation fault (SIGSEGV)' },
    {
      v: 2,
      seq: 4,
      t: 4000,
      kind: 'problem',
      code: 'crash',
      message: { en: 'crashed: segmentation fault (SIGSEGV)', ko: '비정상 종료: 세그멘테이션 오류 (SIGSEGV)' },
      pid: PID,
    },
  ];
}

/** A ping-pong run: the hello server's setup, then `count` more events alternating recv/send on fd 4 with stdout lines. */
export function manyEvents(count: number): SockLensEvent[] {
  const events = helloServerUntilAccept();
  for (let i = 0; i < count; i++) {
    const seq = events.length + 1;
    if (i % 3 === 2) events.push({ v: 2, seq, t: seq * 10, kind: 'stdout', pid: PID, text: `line ${i}` });
    else events.push(callEvent(seq, { call: i % 3 === 0 ? 'recv' : 'send', fd: 4, ret: 5, bytes: 5, src: at(46) }));
  }
  return events;
}
