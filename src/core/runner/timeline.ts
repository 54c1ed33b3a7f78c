import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lang } from '../knowledge/schema';
import { initialRunState, reduce, socketKey } from '../model/runModel';
import type { CallEvent, SockLensEvent, TcpStateEvent } from '../protocol/events';
import { shellQuote } from '../protocol/shellQuote';
import { formatDiagnostic } from './diagnostics';
import { previewText } from './names';
import { holderText } from './problems';

/** Paints text for a terminal; identity when colors are off. */
export interface Painter {
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
export const COLORS: Painter = { dim: ansi('2'), red: ansi('31'), green: ansi('32'), yellow: ansi('33'), cyan: ansi('36'), bold: ansi('1') };
export const NO_COLORS: Painter = { dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s, bold: (s) => s };

/** Colors only for a terminal, and never with NO_COLOR set. */
export function painterFor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): Painter {
  return isTTY && env.NO_COLOR === undefined ? COLORS : NO_COLORS;
}

/** The timeline's own words, in both languages. */
const WORDS = {
  en: {
    bytes: 'bytes', oneByte: '1 byte', child: 'child', waitingOn: 'waiting on', waiting: 'waiting', ready: 'ready', timedOut: 'timed out',
    listeningOn: 'listening on', from: 'from', returnFromMain: 'return from main', compiling: 'compiling', compiled: 'compiled',
    cached: 'compiled (cached)', compileFailed: 'compile failed', processStarted: 'process {pid} started (parent {ppid})',
    thread: 'thread', heldBy: 'held by', client: 'client', connectedTo: 'connected to', sent: 'sent', received: 'received',
    closed: 'closed', stopped: 'stopped', timeout: ' (timeout)', portInUse: ' — a port is still in use',
    exitedCode: 'exited with code {code}', killed: 'ended by {signal}', crashed: 'crashed: {signal}',
    messages: '{n} messages', oneMessage: '1 message', to: 'to', offset: 'offset',
    tcpState: 'kernel: fd {fd} {state}', queue: '{waiting} waiting · queue of {backlog}', waitingOnly: '{waiting} waiting',
    afterClose: 'after close', expires: 'expires in about {s} s', forgotten: 'the kernel has let the connection go',
    repeated: '… the same call {n} times in all',
    roles: { socket: 'socket', listening: 'listening', conversation: 'conversation', client: 'client', udp: 'UDP', epoll: 'epoll' },
  },
  ko: {
    bytes: '바이트', oneByte: '1바이트', child: '자식', waitingOn: '대기 중:', waiting: '대기 중', ready: '준비됨', timedOut: '시간 초과',
    listeningOn: '연결 대기 주소', from: '상대', returnFromMain: 'main에서 반환', compiling: '컴파일 중', compiled: '컴파일 완료',
    cached: '컴파일 완료 (캐시)', compileFailed: '컴파일 실패', processStarted: '프로세스 {pid} 시작 (부모 {ppid})',
    thread: '스레드', heldBy: '포트 사용', client: '클라이언트', connectedTo: '연결:', sent: '보냄', received: '받음',
    closed: '닫음', stopped: '멈춤', timeout: ' (시간 제한)', portInUse: ' — 포트가 아직 사용 중입니다',
    exitedCode: '끝남 (종료 코드 {code})', killed: '{signal} 신호로 끝남', crashed: '비정상 종료: {signal}',
    messages: '메시지 {n}개', oneMessage: '메시지 1개', to: '받는 곳', offset: '오프셋',
    tcpState: '커널: fd {fd} {state}', queue: '{waiting}개 연결 대기 · 큐 크기 {backlog}', waitingOnly: '{waiting}개 연결 대기',
    afterClose: '닫은 뒤', expires: '약 {s}초 뒤 사라짐', forgotten: '커널도 이 연결을 잊었습니다',
    repeated: '… 같은 호출이 모두 {n}번',
    roles: { socket: '소켓', listening: '연결 대기', conversation: '통화', client: '클라이언트', udp: 'UDP', epoll: 'epoll' },
  },
} as const;
type Words = (typeof WORDS)['en'] | (typeof WORDS)['ko'];

function fill(text: string, params: Record<string, string | number | null>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? '?'));
}

/** "1 byte", "13 bytes"; in Korean "13 바이트". */
function bytesText(n: number, w: Words): string {
  return n === 1 ? w.oneByte : `${n} ${w.bytes}`;
}

/** A count as the timeline prints it: 513,000. */
function countText(n: number): string {
  return n.toLocaleString('en-US');
}

function quote(text: string, max = 40): string {
  return `"${text.length > max ? `${text.slice(0, max)}…` : text}"`;
}

/** Reads source lines once per file, to print names the way the program spells them (PF_INET vs AF_INET). */
class SourceText {
  private readonly files = new Map<string, string[]>();
  line(file: string, line: number): string {
    let lines = this.files.get(file);
    if (!lines) {
      try {
        lines = fs.readFileSync(file, 'utf8').split('\n');
      } catch {
        lines = [];
      }
      this.files.set(file, lines);
    }
    return lines[line - 1] ?? '';
  }
}

function result(ev: CallEvent, p: Painter, w: Words): string {
  if (ev.errno) return p.red(`${ev.ret} ${ev.errno}`) + (ev.errorText ? ` ${quote(ev.errorText)}` : '');
  switch (ev.call) {
    case 'getaddrinfo':
      return p.green((ev.addresses ?? []).map((a) => a.address).join(' ') || String(ev.ret));
    case 'getnameinfo':
      return p.green([ev.host, ev.service].filter((x) => x !== undefined).join(' ') || String(ev.ret));
    case 'epoll_create':
    case 'epoll_create1':
    case 'socket':
    case 'accept':
    case 'accept4':
    case 'dup':
    case 'dup2':
    case 'dup3':
      return p.green(`fd ${ev.ret}`) + (ev.peer && ev.call.startsWith('accept') ? ` ${w.from} ${ev.peer}` : '');
    case 'socketpair':
      return p.green(`fds ${(ev.fds ?? []).join(', ')}`);
    case 'fork':
      return p.green(`${w.child} ${ev.ret}`);
    case 'sendmmsg':
    case 'recvmmsg': {
      const messages = ev.ret === 1 ? w.oneMessage : fill(w.messages, { n: ev.ret });
      return `${messages}, ${bytesText(ev.bytes ?? 0, w)}${ev.data && ev.call === 'recvmmsg' ? ` ${quote(ev.data)}` : ''}`;
    }
    default:
      if (ev.bytes !== undefined) return `${bytesText(ev.bytes, w)}${ev.data && /^(recv|read)/.test(ev.call) ? ` ${quote(ev.data)}` : ''}`;
      return String(ev.ret);
  }
}

function spelled(name: unknown, sourceLine: string): string {
  const s = String(name);
  return s.startsWith('AF_') && sourceLine.includes(`PF_${s.slice(3)}`) ? `PF_${s.slice(3)}` : s;
}

/** `socket(PF_INET, SOCK_STREAM, 0) → fd 3` */
export function describeCall(ev: CallEvent, p: Painter, sourceLine = '', lang: Lang = 'en'): string {
  const w = WORDS[lang];
  const a = ev.args;
  const fd = ev.fd ?? '';
  let inner: string;
  switch (ev.call) {
    case 'socket':
    case 'socketpair':
      inner = `${spelled(a.family, sourceLine)}, ${a.type}, ${a.protocol}`;
      break;
    case 'bind':
      inner = `${fd}, ${ev.local ?? '?'}`;
      break;
    case 'listen':
      inner = `${fd}, ${a.backlog}`;
      break;
    case 'connect':
      inner = `${fd}, ${ev.peer ?? '?'}`;
      break;
    case 'send':
    case 'write':
      inner = `${fd}, ${ev.data !== undefined ? quote(ev.data) : '…'}, ${a.length}${a.flags && a.flags !== '0' ? `, ${a.flags}` : ''}`;
      break;
    case 'sendto':
      inner = `${fd}, ${ev.data !== undefined ? quote(ev.data) : '…'}, ${a.length}, ${a.flags}, ${ev.peer ?? 'NULL'}`;
      break;
    case 'recv':
    case 'read':
    case 'recvfrom':
      inner = `${fd}, ${a.length}${a.flags && a.flags !== '0' ? `, ${a.flags}` : ''}`;
      break;
    case 'sendmmsg':
      inner = `${fd}, ${ev.data !== undefined ? quote(ev.data) : '…'}, ${a.vlen}${a.flags !== '0' ? `, ${a.flags}` : ''}`;
      break;
    case 'recvmmsg':
      inner = `${fd}, ${a.vlen}${a.flags !== '0' ? `, ${a.flags}` : ''}`;
      break;
    case 'sendfile':
      inner = `${fd}, ${a.inFd}, ${a.offset === null ? 'NULL' : a.offset === undefined ? '…' : `${w.offset} ${a.offset}`}, ${a.count}`;
      break;
    case 'setsockopt':
      inner = `${fd}, ${a.level}, ${a.option}, ${a.value ?? '…'}`;
      break;
    case 'shutdown':
      inner = `${fd}, ${a.how}`;
      break;
    case 'dup2':
    case 'dup3':
      inner = `${fd}, ${a.newfd}`;
      break;
    case 'fcntl':
      inner = `${fd}, ${a.command}${a.flags !== undefined ? `, ${a.flags}` : ''}`;
      break;
    case 'epoll_ctl':
      inner = `${a.epfd}, ${a.op}, ${fd}, ${a.events}`;
      break;
    case 'fork':
      inner = '';
      break;
    case 'epoll_create':
      inner = String(a.size);
      break;
    case 'epoll_create1':
      inner = String(a.flags);
      break;
    case 'getaddrinfo':
      inner = [a.node, a.service].map((x) => (x === null ? 'NULL' : `"${x}"`)).join(', ');
      break;
    case 'getnameinfo':
      inner = ev.peer ?? '';
      break;
    case 'exit':
      return a.returnedFromMain ? w.returnFromMain : `exit(${a.code})`;
    case 'select':
    case 'pselect':
    case 'poll':
    case 'ppoll':
    case 'epoll_wait':
    case 'epoll_pwait':
    case 'epoll_pwait2': {
      const head = ev.call.startsWith('epoll') ? `${ev.call}(${fd})` : `${ev.call}()`;
      if (ev.phase === 'waiting') {
        const fds = [...(ev.watchFds ?? []), ...(ev.watchWriteFds ?? [])];
        return `${head} ${p.dim(`${fds.length ? `${w.waitingOn} ${fds.join(' ')}` : w.waiting}…`)}`;
      }
      if (ev.errno) return `${head} → ${p.red(`${ev.ret} ${ev.errno}`)}`;
      const ready = [...(ev.readyFds ?? []), ...(ev.readyWriteFds ?? [])];
      return `${head} → ${ready.length ? p.green(`${w.ready} ${ready.join(' ')}`) : ev.ret === 0 ? w.timedOut : String(ev.ret)}`;
    }
    default:
      inner = String(fd);
  }
  let text = `${ev.call}(${inner}) → ${result(ev, p, w)}`;
  if (ev.call === 'listen' && !ev.errno && ev.local) text += p.dim(`  ${w.listeningOn} ${ev.local}`);
  if (ev.call === 'connect' && !ev.errno && ev.local) text += p.dim(`  ${w.from} ${ev.local}`);
  if ((ev.call === 'recvfrom' || ev.call === 'recvmmsg') && ev.peer) text += p.dim(`  ${w.from} ${ev.peer}`);
  if (ev.call === 'sendmmsg' && ev.peer) text += p.dim(`  ${w.to} ${ev.peer}`);
  return text;
}

export interface TimelineOptions {
  painter: Painter;
  lang: Lang;
}

/** "kernel: fd 3 LISTEN 127.0.0.1:9190 (1 waiting · queue of 5)", "kernel: fd 4 TIME_WAIT after close … (expires in about 60 s)". */
function tcpStateText(ev: TcpStateEvent, w: Words, role: string | undefined): string {
  const head = `${fill(w.tcpState, { fd: ev.fd, state: ev.state })}${role ? ` (${role})` : ''}${ev.closed ? ` ${w.afterClose}` : ''}`;
  if (ev.state === 'CLOSE' && ev.closed) return `${head}: ${w.forgotten}`;
  if (ev.state === 'LISTEN') {
    const waiting = ev.acceptQueue ?? 0;
    const queue = ev.backlog !== undefined ? fill(w.queue, { waiting, backlog: ev.backlog }) : fill(w.waitingOnly, { waiting });
    return `${head} ${ev.local} (${queue})`;
  }
  const expiry = ev.expiresInMs !== undefined ? ` (${fill(w.expires, { s: Math.round(ev.expiresInMs / 1000) })})` : '';
  return `${head} ${ev.local} ↔ ${ev.peer}${expiry}`;
}

/** Turns events into the readable `socklens run` timeline, one or more lines each (none for some). */
export class TimelinePrinter {
  private readonly sources = new SourceText();
  /** The run so far (src/core/model): which process is the main one, what each descriptor is. */
  private readonly run = initialRunState();
  /** Recent calls that can repeat, by seq, for the `repeated` lines (the oldest are forgotten). */
  private readonly repeatable = new Map<number, CallEvent>();
  constructor(private readonly o: TimelineOptions) {}

  /** `flood.c:20  read(4, 1024) → 0`, the call's line without its time. */
  private callLine(ev: CallEvent): string {
    const p = this.o.painter;
    const where = ev.src ? `${path.basename(ev.src.file)}:${ev.src.line}` : ev.call === 'exit' ? '' : '?';
    const sourceLine = ev.src ? this.sources.line(ev.src.file, ev.src.line) : '';
    const who = ev.pid !== this.run.mainPid ? p.dim(`[${ev.pid}] `) : ev.tid !== ev.pid ? p.dim(`[${WORDS[this.o.lang].thread} ${ev.tid}] `) : '';
    return `${p.cyan(where.padEnd(20))} ${who}${describeCall(ev, p, sourceLine, this.o.lang)}`;
  }

  private remember(ev: CallEvent): void {
    if (ev.ret > 0) return;
    this.repeatable.set(ev.seq, ev);
    if (this.repeatable.size > 1000) this.repeatable.delete(this.repeatable.keys().next().value!);
  }

  lines(ev: SockLensEvent): string[] {
    reduce(this.run, ev);
    const p = this.o.painter;
    const lang = this.o.lang;
    const w = WORDS[lang];
    switch (ev.kind) {
      case 'compile-started':
        return [p.dim(`${w.compiling}: ${path.basename(ev.compiler)} ${ev.args.filter((a) => a.startsWith('-') && a !== '-o' && a !== '-fdiagnostics-format=json').join(' ')}`)];
      case 'compile-finished':
        return [...ev.diagnostics.map((d) => {
          const text = formatDiagnostic(d);
          return d.severity === 'error' ? p.red(text) : d.severity === 'warning' ? p.yellow(text) : text;
        }), ...(ev.ok ? [p.dim(ev.cached ? w.cached : w.compiled)] : [p.red(w.compileFailed)])];
      case 'process-started':
        if (ev.ppid === null) {
          return [p.bold(`▶ ${shellQuote(ev.argv)}`) + p.dim(`  (pid ${ev.pid})`)];
        }
        return [p.dim(`  ${fill(w.processStarted, { pid: ev.pid, ppid: ev.ppid })}`)];
      case 'call':
        this.remember(ev);
        return [this.callLine(ev)];
      case 'stdout':
        return [`${p.dim('│')} ${ev.text}`];
      case 'stderr':
        return [`${p.red('│')} ${ev.text}`];
      case 'exited':
        return [(ev.signal || ev.code ? p.red : p.bold)(`■ ${lang === 'en' ? ev.reason : ev.signal ? fill(/^crashed/.test(ev.reason) ? w.crashed : w.killed, { signal: ev.signal }) : fill(w.exitedCode, { code: ev.code })}`)];
      case 'problem': {
        const where = ev.src ? `${path.basename(ev.src.file)}:${ev.src.line}: ` : '';
        const out = [p.red(`✖ ${where}${ev.message[lang]}`)];
        if (ev.explanation) out.push(`  ${ev.explanation[lang]}`);
        for (const h of ev.holder ?? []) out.push(p.dim(`  ${w.heldBy}: ${(h.text ?? holderText(h))[lang]}`));
        if (ev.advice) out.push(p.yellow(`  → ${ev.advice[lang]}`));
        return out;
      }
      case 'client': {
        const label = p.dim(`${w.client} ${ev.client}`);
        switch (ev.action) {
          case 'connected':
            return [`${label} ${w.connectedTo} ${ev.address}`];
          case 'sent':
            return [`${label} ${w.sent} ${quote(ev.text ?? '', 60)}`];
          case 'received':
            return [`${label} ${w.received} ${quote(previewText(Buffer.from(ev.text ?? '', 'utf8')), 60)}`];
          case 'closed':
            return [`${label} ${w.closed}`];
          case 'error':
            return [p.red(`${w.client} ${ev.client}: ${ev.message}`)];
        }
        return [];
      }
      case 'tcp-state': {
        const role = this.run.newestByKey.get(socketKey(ev.pid, ev.fd))?.role;
        const who = ev.pid !== this.run.mainPid ? `[${ev.pid}] ` : '';
        return [p.dim(`${''.padEnd(20)} ${who}${tcpStateText(ev, w, role ? w.roles[role] : undefined)}`)];
      }
      case 'repeated': {
        // the call again with its running count: "flood.c:20  read(4, 1024) → 0 ×513,000"
        const call = this.repeatable.get(ev.of);
        if (!call) return [p.dim(`${''.padEnd(20)} ${fill(w.repeated, { n: countText(ev.repeats) })}`)];
        return [`${this.callLine(call)} ${p.yellow(`×${countText(ev.repeats)}`)}`];
      }
      case 'stopped':
        return [p.dim(`${w.stopped}${ev.reason === 'timeout' ? w.timeout : ''}${ev.portsFreed ? '' : w.portInUse}`)];
    }
  }
}
