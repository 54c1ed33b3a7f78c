// One line of plain text per event, for the timeline (rendered with textContent, never as HTML).
import type { CallEvent, SockLensEvent } from '../core/protocol/events.js';
import { shellQuote } from '../core/protocol/shellQuote.js';
import type { Translate } from './strings.js';
import { isCrash, isRoutineErrno } from './model.js';

export type Tone = 'call' | 'error' | 'stdout' | 'stderr' | 'runner' | 'client';

export interface EventLine {
  /** "0.123s" since the run started. */
  time: string;
  /** "hello_server.c:24", or "" when the event has no source line. */
  where: string;
  text: string;
  tone: Tone;
}

const ADDRESS_ARGS = new Set(['family', 'type', 'protocol']);
const LONG_TEXT = 200;

export function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(slash + 1);
}

/**
 * Control characters as escapes (\n, \x00 …), so they are seen rather than drawn as boxes or breaking a row.
 * With `keepLineBreaks`, \n and \t stay as they are (for multi-line text such as a test client's log).
 */
export function visibleControls(text: string, keepLineBreaks = false): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (keepLineBreaks && (c === '\n' || c === '\t')) return c;
    return c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function clip(text: string): string {
  return text.length > LONG_TEXT ? `${text.slice(0, LONG_TEXT)}…` : text;
}

function callArgs(ev: CallEvent): string[] {
  const parts: string[] = [];
  if (ev.fd !== null) parts.push(`fd ${ev.fd}`);
  if (ev.call === 'bind' && ev.local !== undefined) parts.push(ev.local);
  if ((ev.call === 'connect' || ev.call === 'sendto' || ev.call === 'sendmmsg') && ev.peer !== undefined) parts.push(ev.peer);
  for (const [name, value] of Object.entries(ev.args)) {
    parts.push(ADDRESS_ARGS.has(name) ? String(value) : `${name}=${String(value)}`);
  }
  return parts;
}

function callResult(ev: CallEvent, t: Translate): string {
  if (ev.errno !== null) return `✗ ${ev.errno}`;
  if (ev.phase === 'waiting') return t('event.waiting');
  if (ev.phase === 'ready') return t('event.ready', { fds: (ev.readyFds ?? []).join(', ') });
  if (ev.fds !== undefined) return `→ fd ${ev.fds.join(', ')}`;
  if (ev.newFd !== undefined) return `→ fd ${ev.newFd}${ev.peer !== undefined && ev.call !== 'connect' ? ` ← ${ev.peer}` : ''}`;
  if (ev.bytes !== undefined) {
    const moved = `→ ${ev.bytes === 1 ? t('event.bytes.one') : t('event.bytes', { count: ev.bytes })}`;
    return ev.data !== undefined ? `${moved} "${ev.data}"` : moved;
  }
  return `→ ${ev.ret}`;
}

export function describeCall(ev: CallEvent, t: Translate): string {
  return clip(`${ev.call}(${callArgs(ev).join(', ')}) ${callResult(ev, t)}`);
}

export function describeEvent(ev: SockLensEvent, t: Translate): EventLine {
  const time = `${(ev.t / 1e6).toFixed(3)}s`;
  switch (ev.kind) {
    case 'call':
      return {
        time,
        where: ev.src ? `${baseName(ev.src.file)}:${ev.src.line}` : '',
        text: describeCall(ev, t),
        tone: ev.errno !== null && !isRoutineErrno(ev.errno) ? 'error' : 'call',
      };
    case 'stdout':
    case 'stderr':
      return { time, where: '', text: clip(ev.text), tone: ev.kind };
    case 'compile-started':
      return { time, where: '', text: t('event.compileStarted', { compiler: ev.compiler }), tone: 'runner' };
    case 'compile-finished':
      return {
        time,
        where: '',
        text: ev.ok
          ? t(ev.cached ? 'event.compileCached' : 'event.compileOk')
          : t('event.compileFailed', { count: ev.diagnostics.length }),
        tone: ev.ok ? 'runner' : 'error',
      };
    case 'process-started':
      return { time, where: '', text: t('event.processStarted', { pid: ev.pid, argv: clip(shellQuote(ev.argv)) }), tone: 'runner' };
    case 'exited': {
      const text =
        ev.signal !== null
          ? t(isCrash(ev) ? 'event.exitedSignal' : 'event.exitedStopped', { pid: ev.pid, signal: ev.signal })
          : ev.code !== null
            ? t('event.exitedCode', { pid: ev.pid, code: ev.code })
            : t('event.exitedOther', { pid: ev.pid, reason: ev.reason });
      return { time, where: '', text, tone: isCrash(ev) || (ev.code ?? 0) !== 0 ? 'error' : 'runner' };
    }
    case 'problem':
      return {
        time,
        where: ev.src ? `${baseName(ev.src.file)}:${ev.src.line}` : '',
        text: clip(ev.message[t.language]),
        tone: 'error',
      };
    case 'client': {
      const text = t(`event.client.${ev.action}`, { id: ev.client, text: clip(visibleControls(ev.text ?? ev.message ?? '')) });
      return { time, where: '', text, tone: ev.action === 'error' ? 'error' : 'client' };
    }
    case 'stopped':
      return { time, where: '', text: t(`event.stopped.${ev.reason}`), tone: 'runner' };
    case 'tcp-state':
      return { time, where: '', text: t('event.tcpState', { fd: ev.fd, state: ev.state, local: ev.local, peer: ev.peer }), tone: 'runner' };
    case 'repeated':
      return { time, where: '', text: t('event.repeated', { count: ev.repeats }), tone: 'call' };
  }
}
