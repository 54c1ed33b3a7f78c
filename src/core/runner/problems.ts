import { knowledgeBase } from '../knowledge/loader';
import type { KnowledgeBase, ProblemTextKey } from '../knowledge/schema';
import { isRoutineErrno } from '../protocol/callKinds';
import type { Bilingual, CallEvent, ProblemHolder } from '../protocol/events';
import { splitAddress } from './ports';

export function isProblem(ev: CallEvent): boolean {
  return ev.errno !== null && !isRoutineErrno(ev.errno);
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

type Params = Record<string, string | number | null>;

/** A sentence of knowledge/problems.json in both languages, its `{name}` placeholders filled. */
function sentence(key: ProblemTextKey, params: Params, kb: KnowledgeBase | null = loadKb()): Bilingual {
  const fill = (text: string | undefined): string => (text ?? key).replace(/\{(\w+)\}/g, (m, k: string) => String(params[k] ?? m));
  return { en: fill(kb?.problems.en[key]), ko: fill(kb?.problems.ko[key]) };
}

const seconds = (ms: number | undefined): number => Math.max(1, Math.round((ms ?? 0) / 1000));

/** How a holder is named: "hello_server (pid 123, LISTEN)", "TIME_WAIT connections (2), expire in about 41 s". */
export function holderText(h: ProblemHolder): Bilingual {
  if (h.state === 'TIME-WAIT') return sentence('holderTimeWait', { connections: h.connections ?? 1, seconds: seconds(h.expiresInMs) });
  if (h.command !== null && h.pid !== null) return sentence('holderProcess', { command: h.command, pid: h.pid, state: h.state });
  if (h.pid !== null) return sentence('holderPid', { pid: h.pid, state: h.state });
  return sentence('holderHidden', { state: h.state });
}

/**
 * Advice for a bind() that failed with EADDRINUSE, from who holds the port. `reuseAddrSet`: the program set
 * SO_REUSEADDR on that socket before bind(), so the advice does not suggest it again.
 */
export function addressInUseAdvice(port: number, holders: ProblemHolder[], reuseAddrSet = false): Bilingual {
  const listener = holders.find((h) => h.state !== 'TIME-WAIT');
  if (listener) {
    return listener.pid !== null
      ? sentence('takenBy', { port, who: listener.command ? `${listener.command} (pid ${listener.pid})` : `pid ${listener.pid}` })
      : sentence('takenByHidden', { port });
  }
  const waiting = holders.find((h) => h.state === 'TIME-WAIT');
  if (waiting) {
    const params = { port, connections: waiting.connections ?? 1, seconds: seconds(waiting.expiresInMs) };
    return sentence(reuseAddrSet ? 'timeWaitReuseSet' : 'timeWait', params);
  }
  return sentence(reuseAddrSet ? 'inUseReuseSet' : 'inUse', { port });
}

/** What to show before a run when the port is held only by TIME_WAIT, and why that happens. */
export function timeWaitBeforeRun(port: number, connections: number, expiresInMs: number): { notice: Bilingual; explanation: Bilingual } {
  return {
    notice: sentence('timeWaitBeforeRun', { port, connections, seconds: seconds(expiresInMs) }),
    explanation: sentence('timeWaitExplained', {}),
  };
}

/** The port a failed bind() asked for, from the event's local address. */
export function requestedPort(ev: CallEvent): number | null {
  return ev.local ? (splitAddress(ev.local)?.port ?? null) : null;
}

/**
 * The problem a failed call represents, with the knowledge base's explanation; for EADDRINUSE who holds the port
 * and advice that knows whether the program set SO_REUSEADDR on that socket (`reuseAddrSet`).
 */
export function problemOf(ev: CallEvent, holders?: ProblemHolder[], reuseAddrSet = false): ProblemDetails {
  const errno = ev.errno ?? 'unknown';
  const port = requestedPort(ev);
  const details: ProblemDetails = {
    code: errno,
    message:
      port !== null && errno === 'EADDRINUSE'
        ? sentence('portInUse', { call: ev.call, errno, port })
        : sentence('failedCall', { call: ev.call, errno }),
    pid: ev.pid,
    call: ev.call,
    errno,
  };
  if (ev.src) details.src = ev.src;
  const explanation = explanationOf(ev.call, errno);
  if (explanation) details.explanation = explanation;
  if (holders && port !== null) {
    details.holder = holders.map((h) => ({ ...h, text: holderText(h) }));
    details.advice = addressInUseAdvice(port, holders, reuseAddrSet);
  }
  return details;
}

/** Which sockets the program set SO_REUSEADDR on (by "pid:fd"), from its setsockopt and close calls. */
export class ReuseAddrOptions {
  private readonly set = new Set<string>();

  observe(ev: CallEvent): void {
    if (ev.ret < 0 || ev.fd === null) return;
    const key = `${ev.pid}:${ev.fd}`;
    if (ev.call === 'setsockopt' && ev.args.level === 'SOL_SOCKET' && ev.args.option === 'SO_REUSEADDR') {
      if (ev.args.value) this.set.add(key);
      else this.set.delete(key);
    } else if (ev.call === 'close') this.set.delete(key);
  }

  isSet(pid: number, fd: number | null): boolean {
    return fd !== null && this.set.has(`${pid}:${fd}`);
  }
}

/** A count as the timeline prints it: 1,000. */
function countText(n: number): string {
  return n.toLocaleString('en-US');
}

export type FloodProblem = Omit<ProblemDetails, 'errno'> & { errno?: string };

/** The problem a flood of identical calls names (repeats.ts decides which mistake it is). */
export function floodProblemOf(first: CallEvent, kind: 'end-of-stream' | 'busy-polling', repeats: number): FloodProblem {
  const params = { call: `${first.call}()`, fd: first.fd ?? '?', n: countText(repeats), errno: first.errno ?? 'EAGAIN' };
  const base = { pid: first.pid, call: first.call, ...(first.src ? { src: first.src } : {}) };
  if (kind === 'end-of-stream') {
    return { ...base, code: 'end-of-stream', message: sentence('endOfStream', params), explanation: sentence('endOfStreamExplained', params) };
  }
  return {
    ...base,
    code: 'busy-polling',
    errno: params.errno,
    message: sentence('busyPolling', params),
    explanation: sentence('busyPollingExplained', params),
  };
}
