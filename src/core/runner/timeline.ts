import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lang } from '../knowledge/schema';
import { initialRunState, reduce, socketKey } from '../model/runModel';
import type { CallEvent, SockLensEvent, TcpStateEvent } from '../protocol/events';
import { uiText } from '../l10n/uiText';
import { shellQuote } from '../protocol/shellQuote';
import { formatDiagnostic } from './diagnostics';
import { exitReason, previewText } from './names';
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

/** The timeline's own words, from the l10n bundles. */
function timelineWords(lang: Lang) {
  const t = uiText(lang);
  return {
    bytes: t('bytes'), oneByte: t('1 byte'), child: t('child'), waitingOn: t('waiting on'), waiting: t('waiting'), ready: t('ready'), timedOut: t('timed out'),
    listeningOn: t('listening on'), from: t('from'), returnFromMain: t('return from main'), compiling: t('compiling'), compiled: t('compiled'),
    cached: t('compiled (cached)'), compileFailed: t('compile failed'), thread: t('thread'), heldBy: t('held by'), client: t('client'),
    connectedTo: t('connected to'), sent: t('sent'), received: t('received'), closed: t('closed'), stopped: t('stopped'),
    timeout: t('(timeout)'), portInUse: t('a port is still in use'), oneMessage: t('1 message'), to: t('to'), offset: t('offset'),
    afterClose: t('after close'), forgotten: t('the kernel has let the connection go'),
    processStarted: (pid: number, ppid: number | null) => t('process {0} started (parent {1})', pid, ppid ?? '?'),
    messages: (n: number) => t('{0} messages', n),
    tcpState: (fd: number, state: string) => t('kernel: fd {0} {1}', fd, state),
    queue: (waiting: number, backlog: number) => t('{0} waiting · queue of {1}', waiting, backlog),
    waitingOnly: (waiting: number) => t('{0} waiting', waiting),
    expires: (seconds: number) => t('expires in about {0} s', seconds),
    repeated: (n: string) => t('… the same call {0} times in all', n),
    roles: {
      socket: t('socket'), listening: t('listening'), conversation: t('conversation'), client: t('client'), udp: t('UDP'), epoll: t('epoll'),
    },
  };
}
type Words = ReturnType<typeof timelineWords>;
const WORDS: Record<Lang, Words> = { en: timelineWords('en'), ko: timelineWords('ko') };

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
      const messages = ev.ret === 1 ? w.oneMessage : w.messages(ev.ret);
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
  const head = `${w.tcpState(ev.fd, ev.state)}${role ? ` (${role})` : ''}${ev.closed ? ` ${w.afterClose}` : ''}`;
  if (ev.state === 'CLOSE' && ev.closed) return `${head}: ${w.forgotten}`;
  if (ev.state === 'LISTEN') {
    const waiting = ev.acceptQueue ?? 0;
    const queue = ev.backlog !== undefined ? w.queue(waiting, ev.backlog) : w.waitingOnly(waiting);
    return `${head} ${ev.local} (${queue})`;
  }
  const expiry = ev.expiresInMs !== undefined ? ` (${w.expires(Math.round(ev.expiresInMs / 1000))})` : '';
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
        return [p.dim(`  ${w.processStarted(ev.pid, ev.ppid)}`)];
      case 'call':
        this.remember(ev);
        return [this.callLine(ev)];
      case 'stdout':
        return [`${p.dim('│')} ${ev.text}`];
      case 'stderr':
        return [`${p.red('│')} ${ev.text}`];
      case 'exited':
        return [(ev.signal || ev.code ? p.red : p.bold)(`■ ${exitReason(ev.code, ev.signal, lang)}`)];
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
        if (!call) return [p.dim(`${''.padEnd(20)} ${w.repeated(countText(ev.repeats))}`)];
        return [`${this.callLine(call)} ${p.yellow(`×${countText(ev.repeats)}`)}`];
      }
      case 'stopped':
        return [p.dim(`${w.stopped}${ev.reason === 'timeout' ? ` ${w.timeout}` : ''}${ev.portsFreed ? '' : ` — ${w.portInUse}`}`)];
    }
  }
}
