import { knowledgeBase } from '../knowledge/loader';
import type { KnowledgeBase } from '../knowledge/schema';
import type { Bilingual, CallEvent, ProblemHolder } from '../protocol/events';
import { splitAddress } from './ports';

/** errno values that are part of normal non-blocking or interrupted operation, not problems. */
const ROUTINE_ERRNOS = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINPROGRESS', 'EINTR', 'EALREADY']);

export function isProblem(ev: CallEvent): boolean {
  return ev.errno !== null && !ROUTINE_ERRNOS.has(ev.errno);
}

function loadKb(): KnowledgeBase | null {
  try {
    return knowledgeBase();
  } catch {
    return null;
  }
}

/** What the knowledge base says about `errno` from `call`: the call's own cause and fix, else the errno's text. */
export function explanationOf(call: string, errno: string, kb: KnowledgeBase | null = loadKb()): Bilingual | undefined {
  const fn = kb?.functions.get(call);
  const en = fn?.en.errors[errno];
  const ko = fn?.ko.errors[errno];
  if (en && ko) return { en: `${en.cause} ${en.fix}`, ko: `${ko.cause} ${ko.fix}` };
  const entry = kb?.errnos.get(errno);
  return entry ? { en: entry.en, ko: entry.ko } : undefined;
}

export interface ProblemDetails {
  code: string;
  message: Bilingual;
  pid: number;
  call: string;
  errno: string;
  src?: CallEvent['src'];
  explanation?: Bilingual;
  holder?: ProblemHolder[];
  advice?: Bilingual;
}

function holderText(h: ProblemHolder): string {
  return h.command ? `${h.command} (pid ${h.pid})` : h.pid !== null ? `pid ${h.pid}` : '';
}

/** Advice for a bind() that failed with EADDRINUSE, from who holds the port. */
export function addressInUseAdvice(port: number, holders: ProblemHolder[]): Bilingual {
  const listener = holders.find((h) => h.state === 'LISTEN' || h.state === 'UNCONN');
  if (listener) {
    const who = holderText(listener);
    return who
      ? {
          en: `Port ${port} is taken by ${who}. Stop that program, or start this one on another port.`,
          ko: `${port}번 포트를 이미 쓰고 있는 프로그램: ${who}. 그 프로그램을 끝내거나, 이 프로그램을 다른 포트로 실행하세요.`,
        }
      : {
          en: `Another socket is already listening on port ${port}. Stop that program, or use another port.`,
          ko: `다른 소켓이 이미 ${port}번 포트에서 연결을 기다리고 있습니다. 그 프로그램을 끝내거나 다른 포트를 쓰세요.`,
        };
  }
  if (holders.some((h) => h.state === 'TIME-WAIT')) {
    return {
      en: `Port ${port} is only held by connections in TIME_WAIT, left over from a server that just stopped. Call setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) before bind() so a restarted server can reuse the port at once.`,
      ko: `${port}번 포트는 방금 끝난 서버가 남긴 TIME_WAIT 상태의 연결만 붙잡고 있습니다. bind() 전에 setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on))를 호출하면 다시 시작한 서버가 그 포트를 바로 쓸 수 있습니다.`,
    };
  }
  return {
    en: `Port ${port} is in use. Wait a moment and try again, or use another port; setting SO_REUSEADDR before bind() helps when a server restarts.`,
    ko: `${port}번 포트가 사용 중입니다. 잠시 뒤 다시 하거나 다른 포트를 쓰세요. 서버를 다시 시작할 때는 bind() 전에 SO_REUSEADDR를 설정하면 도움이 됩니다.`,
  };
}

/** The port a failed bind() asked for, from the event's local address. */
export function requestedPort(ev: CallEvent): number | null {
  return ev.local ? (splitAddress(ev.local)?.port ?? null) : null;
}

/** The problem a failed call represents, with the knowledge base's explanation; holders for EADDRINUSE. */
export function problemOf(ev: CallEvent, holders?: ProblemHolder[]): ProblemDetails {
  const errno = ev.errno ?? 'unknown';
  const port = requestedPort(ev);
  const details: ProblemDetails = {
    code: errno,
    message: {
      en: `${ev.call}() failed with ${errno}${port !== null && errno === 'EADDRINUSE' ? `: port ${port} is already in use` : ''}.`,
      ko: `${ev.call}() 호출이 ${errno}로 실패했습니다${port !== null && errno === 'EADDRINUSE' ? `: ${port}번 포트가 이미 사용 중입니다` : ''}.`,
    },
    pid: ev.pid,
    call: ev.call,
    errno,
  };
  if (ev.src) details.src = ev.src;
  const explanation = explanationOf(ev.call, errno);
  if (explanation) details.explanation = explanation;
  if (holders && port !== null) {
    details.holder = holders;
    details.advice = addressInUseAdvice(port, holders);
  }
  return details;
}

/** A count as the timeline prints it: 1,000. */
function countText(n: number): string {
  return n.toLocaleString('en-US');
}

export type FloodProblem = Omit<ProblemDetails, 'errno'> & { errno?: string };

/** The problem a flood of identical calls names (repeats.ts decides which mistake it is). */
export function floodProblemOf(first: CallEvent, kind: 'end-of-stream' | 'busy-polling', repeats: number): FloodProblem {
  const call = `${first.call}()`;
  const fd = first.fd ?? '?';
  const n = countText(repeats);
  const base = { pid: first.pid, call: first.call, ...(first.src ? { src: first.src } : {}) };
  if (kind === 'end-of-stream') {
    return {
      ...base,
      code: 'end-of-stream',
      message: {
        en: `${call} on fd ${fd} returned 0 ${n} times in a row: the peer closed the connection.`,
        ko: `fd ${fd}의 ${call} 호출이 연달아 ${n}번 0을 반환했습니다: 상대가 연결을 닫았습니다.`,
      },
      explanation: {
        en: `0 from ${call} on a stream socket means end of stream: the peer has closed its side and no more data will come. Treat 0 as the end: stop reading and close(fd).`,
        ko: `스트림 소켓에서 ${call} 호출이 0을 반환하면 스트림의 끝이라는 뜻입니다. 상대가 자기 쪽을 닫았으므로 데이터는 더 오지 않습니다. 0을 받으면 읽기를 멈추고 close(fd)로 소켓을 닫으세요.`,
      },
    };
  }
  const errno = first.errno ?? 'EAGAIN';
  return {
    ...base,
    code: 'busy-polling',
    errno,
    message: {
      en: `${call} on fd ${fd} failed with ${errno} ${n} times in a row: the program is busy-polling.`,
      ko: `fd ${fd}의 ${call} 호출이 연달아 ${n}번 ${errno} 오류로 실패했습니다: 프로그램이 바쁜 대기(busy polling)를 하고 있습니다.`,
    },
    explanation: {
      en: `${errno} on a non-blocking socket means nothing is ready yet. Calling again at once in a loop keeps a CPU core busy while nothing happens. Wait until the socket is ready with select(), poll() or epoll_wait() before calling again, or leave the socket blocking.`,
      ko: `논블로킹 소켓에서 ${errno} 오류는 아직 준비된 것이 없다는 뜻입니다. 반복문에서 곧바로 다시 호출하면 아무 일도 없는 동안 CPU 코어 하나를 계속 씁니다. 다시 호출하기 전에 select(), poll(), epoll_wait()로 소켓이 준비될 때까지 기다리거나, 소켓을 블로킹 모드로 두세요.`,
    },
  };
}
