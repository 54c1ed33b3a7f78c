import { RECEIVE_CALLS, SEND_CALLS, WAIT_CALLS } from '../protocol/callKinds';
import type { CallEvent } from '../protocol/events';
import type { Lang } from '../knowledge/schema';
import type { SocketEntry, SocketRole } from '../model/runModel';

/** The faint note shown after a traced source line, e.g. `→ fd 3` or `✗ EADDRINUSE`. */
export interface InlineNote {
  /** Absolute path of the source file and 1-based line, from the event's `src`. */
  file: string;
  line: number;
  text: string;
  failed: boolean;
  /** The event the note describes (the hover shows its details). */
  event: CallEvent;
  /** What the run model knew about the call's socket right after it (the hover names it). */
  socket?: SocketFacts;
}

/** A snapshot of a run-model socket entry, taken when the note is made (the entry keeps changing). */
export interface SocketFacts {
  role: SocketRole;
  tcpState?: string;
}

export function socketFacts(entry: SocketEntry | undefined): SocketFacts | undefined {
  if (!entry) return undefined;
  return entry.tcp ? { role: entry.role, tcpState: entry.tcp.state } : { role: entry.role };
}

const ROLE_WORDS: Record<Lang, Record<SocketRole, string>> = {
  en: { socket: 'new socket', listening: 'listening socket', conversation: 'conversation with one caller', client: 'client socket', udp: 'UDP socket', epoll: 'epoll instance' },
  ko: { socket: '새 소켓', listening: '연결 대기 소켓', conversation: '상대 하나와의 통화', client: '클라이언트 소켓', udp: 'UDP 소켓', epoll: 'epoll 인스턴스' },
};

const ACCEPTS = new Set(['accept', 'accept4']);

interface Words {
  bound(address: string): string;
  listening(backlog: string): string;
  connectedTo(address: string): string;
  sent(bytes: string): string;
  received(bytes: string): string;
  peerClosed: string;
  closed(fd: string): string;
  waiting: string;
  ready(count: string): string;
  ok: string;
  child(pid: string): string;
}

const WORDS: Record<Lang, Words> = {
  en: {
    bound: (a) => `bound ${a}`,
    listening: (b) => (b ? `listening (backlog ${b})` : 'listening'),
    connectedTo: (a) => `connected to ${a}`,
    sent: (n) => `sent ${n} ${n === '1' ? 'byte' : 'bytes'}`,
    received: (n) => `received ${n} ${n === '1' ? 'byte' : 'bytes'}`,
    peerClosed: 'peer closed (0 bytes)',
    closed: (fd) => `closed fd ${fd}`,
    waiting: 'waiting…',
    ready: (n) => `${n} ready`,
    ok: 'ok',
    child: (pid) => `child pid ${pid}`,
  },
  ko: {
    bound: (a) => `${a}에 바인드됨`,
    listening: (b) => (b ? `연결 대기 중 (backlog ${b})` : '연결 대기 중'),
    connectedTo: (a) => `${a}에 연결됨`,
    sent: (n) => `${n}바이트 보냄`,
    received: (n) => `${n}바이트 받음`,
    peerClosed: '상대가 연결을 닫음 (0바이트)',
    closed: (fd) => `fd ${fd} 닫힘`,
    waiting: '기다리는 중…',
    ready: (n) => `${n}개 준비됨`,
    ok: '성공',
    child: (pid) => `자식 pid ${pid}`,
  },
};

/** The note text for one traced call (without location): a pure function of the event and the language. */
export function inlineNoteText(event: CallEvent, lang: Lang): string {
  if (event.errno) return `✗ ${event.errno}`;
  const w = WORDS[lang];
  const call = event.call;
  const result = (text: string): string => `→ ${text}`;
  if (call === 'socket' || call === 'epoll_create' || call === 'epoll_create1') return result(`fd ${event.newFd ?? event.ret}`);
  if (call === 'socketpair') return result(`fd ${(event.fds ?? []).join(', ')}`);
  if (ACCEPTS.has(call)) return result(`fd ${event.newFd ?? event.ret}${event.peer ? ` ← ${event.peer}` : ''}`);
  if (call === 'bind') return result(w.bound(event.local ?? `fd ${event.fd ?? '?'}`));
  if (call === 'listen') {
    const backlog = event.args.backlog;
    return result(w.listening(backlog === null || backlog === undefined ? '' : String(backlog)));
  }
  if (call === 'connect') return result(event.peer ? w.connectedTo(event.peer) : w.ok);
  if (SEND_CALLS.has(call)) return result(w.sent(String(event.bytes ?? event.ret)));
  if (RECEIVE_CALLS.has(call)) {
    const bytes = event.bytes ?? event.ret;
    return result(bytes === 0 ? w.peerClosed : w.received(String(bytes)));
  }
  if (call === 'close') return result(w.closed(String(event.fd ?? '?')));
  if (WAIT_CALLS.has(call)) return event.phase === 'waiting' ? `⧗ ${w.waiting}` : result(w.ready(String(event.readyFds?.length ?? event.ret)));
  if (call === 'fork') return event.ret > 0 ? result(w.child(String(event.ret))) : result('0');
  if (event.newFd !== undefined) return result(`fd ${event.newFd}`);
  return result(event.ret === 0 ? w.ok : String(event.ret));
}

/** The note for a call event with a source location, else undefined (the line is unknown). */
export function inlineNoteFor(event: CallEvent, lang: Lang, socket?: SocketFacts): InlineNote | undefined {
  if (!event.src || event.src.line < 1) return undefined;
  const note: InlineNote = { file: event.src.file, line: event.src.line, text: inlineNoteText(event, lang), failed: event.errno !== null, event };
  if (socket) note.socket = socket;
  return note;
}

/** Markdown with the full details of the event behind a note (shown when hovering the note). */
export function inlineNoteDetails(event: CallEvent, lang: Lang, socket?: SocketFacts): string {
  const label = (en: string, ko: string): string => (lang === 'ko' ? ko : en);
  const code = (text: string): string => `\`${text.replace(/`/g, 'ˋ')}\``;
  const rows: [string, string][] = [];
  if (event.fd !== null) rows.push(['fd', code(String(event.fd))]);
  if (socket) {
    const role = ROLE_WORDS[lang][socket.role];
    rows.push([label('socket', '소켓'), socket.tcpState ? `${role} (TCP ${code(socket.tcpState)})` : role]);
  }
  rows.push([label('returned', '반환값'), code(String(event.ret))]);
  if (event.errno) rows.push(['errno', code(event.errno)]);
  if (event.newFd !== undefined) rows.push([label('new fd', '새 fd'), code(String(event.newFd))]);
  if (event.local) rows.push([label('local address', '로컬 주소'), code(event.local)]);
  if (event.peer) rows.push([label('peer address', '상대 주소'), code(event.peer)]);
  if (event.bytes !== undefined) rows.push([label('bytes', '바이트'), code(String(event.bytes))]);
  if (event.data !== undefined) rows.push([label('data', '데이터'), code(event.data)]);
  for (const [name, value] of Object.entries(event.args)) rows.push([name, code(String(value))]);
  rows.push(['pid', code(String(event.pid))]);
  rows.push([label('time', '시각'), code(`${(event.t / 1000).toFixed(1)} ms`)]);
  const title = `**${code(event.call + '()')}** — ${inlineNoteText(event, lang)}`;
  return [title, '', ...rows.map(([k, v]) => `- ${k}: ${v}`)].join('\n');
}

export interface TextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The length the edit's first line had before the edit, worked out from the document after it (editors
 * report changes without the old text). `lineAfter(n)` is line n (0-based) after the edit; `replacedLength`
 * is how many characters the edit replaced.
 */
export function startLineLengthBefore(edit: TextEdit, replacedLength: number, lineAfter: (line: number) => string | undefined): number {
  const { start } = edit.range;
  const inserted = edit.text.split('\n');
  if (inserted.length === 1 || edit.range.end.line !== start.line) return start.character + replacedLength;
  const after = lineAfter(start.line + inserted.length - 1);
  if (after === undefined) return start.character + replacedLength;
  // The last inserted line is followed by what stood after the edit on the old line.
  return start.character + replacedLength + Math.max(0, after.length - inserted[inserted.length - 1].length);
}

/** The latest note per source line of the current run, in arrival order. */
export class InlineNoteBook {
  private readonly notes = new Map<string, InlineNote>();

  /** Records the note for the event; true when a note was added or changed. */
  add(event: CallEvent, lang: Lang, socket?: SocketFacts): boolean {
    const note = inlineNoteFor(event, lang, socket);
    if (!note) return false;
    const key = `${note.file}\n${note.line}`;
    this.notes.delete(key);
    this.notes.set(key, note);
    return true;
  }

  /** Notes of one file. */
  forFile(file: string): InlineNote[] {
    return [...this.notes.values()].filter((n) => n.file === file);
  }

  /**
   * Follows one text edit in `file` (0-based positions, as editors report them): notes on lines the edit
   * changes are dropped, notes below it move by the number of lines added or removed. Typing Enter at the end
   * of a line (or inserting whole lines at its start) does not change that line, so its note stays.
   * `startLineLength` is the length of the edit's first line before the edit.
   */
  applyEdit(file: string, edit: TextEdit, startLineLength: number): boolean {
    const { start, end } = edit.range;
    const added = countNewlines(edit.text);
    const delta = added - (end.line - start.line);
    const empty = start.line === end.line && start.character === end.character;
    const insertsAbove = empty && start.character === 0 && edit.text.endsWith('\n');
    const insertsBelow = empty && start.character >= startLineLength && edit.text.startsWith('\n');
    let changed = false;
    const kept: InlineNote[] = [];
    for (const [key, note] of this.notes) {
      if (note.file !== file) continue;
      const line = note.line - 1;
      if (line < start.line || (line === start.line && insertsBelow)) continue;
      this.notes.delete(key);
      changed = true;
      if (line > end.line || insertsAbove) kept.push({ ...note, line: note.line + delta });
    }
    for (const note of kept) this.notes.set(`${note.file}\n${note.line}`, note);
    return changed;
  }

  get size(): number {
    return this.notes.size;
  }

  clear(): void {
    this.notes.clear();
  }
}
