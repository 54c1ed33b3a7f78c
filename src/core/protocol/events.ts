/**
 * The event stream of a traced run, schema version 2 (documented in docs/events.md; change both together).
 * One discriminated union on `kind`; with `--json` the CLI prints one event per line.
 * Program events (`kind: 'call'`) come from the preloaded tracer; all others from the runner.
 */

export const EVENT_SCHEMA_VERSION = 2;

export interface SourceLocation {
  /** Absolute path of the source file, as compiled. */
  file: string;
  line: number;
  function: string;
}

/** A product sentence, in both languages. */
export interface Bilingual {
  en: string;
  ko: string;
}

interface EventBase {
  v: typeof EVENT_SCHEMA_VERSION;
  /** Order in which the runner emitted the event (per run, starts at 1). */
  seq: number;
  /** Microseconds since the run started, on the one run clock (CLOCK_MONOTONIC, shared by the tracer and the runner). */
  t: number;
}

export type ArgValue = string | number | boolean | null;

/** A socket API call made by the traced program. */
export interface CallEvent extends EventBase {
  kind: 'call';
  pid: number;
  tid: number;
  /** The C function, e.g. "socket", "accept4"; fortified variants are reported by their plain name ("__recv_chk" as "recv"). */
  call: string;
  /** The descriptor the call acted on (for accept: the listening one); null when none. */
  fd: number | null;
  ret: number;
  /** errno name when the call failed, else null. */
  errno: string | null;
  /** Decoded arguments: family, type, protocol, backlog, flags, level, option names … (see docs/events.md). */
  args: Record<string, ArgValue>;
  /** "0.0.0.0:9190", "[::1]:5000", "/tmp/sock", "@abstract". */
  local?: string;
  peer?: string;
  /** Bytes moved by send/recv/read/write… (the return value when ≥ 0). */
  bytes?: number;
  /** The first bytes moved (at most 64), as text with non-printable bytes escaped (\n, \x00 …). */
  data?: string;
  /** The descriptor a call produced (socket, accept, dup …). */
  newFd?: number;
  /** Both descriptors of socketpair. */
  fds?: number[];
  src?: SourceLocation;
  /** For select/poll/epoll_wait and their variants (pselect, ppoll, epoll_pwait, epoll_pwait2): "waiting" before the call, "ready" after. */
  phase?: 'waiting' | 'ready';
  /** Waiting phase: the descriptors watched (for select: the read set). */
  watchFds?: number[];
  /** select only, when not empty: the write set watched. */
  watchWriteFds?: number[];
  /** Ready phase: the descriptors that became ready (for select: ready to read). */
  readyFds?: number[];
  /** select only, when not empty: the descriptors ready to write. */
  readyWriteFds?: number[];
  /** The call failed with EBADF on a descriptor that was a socket until this process closed it: the last `close` of this `fd` by this `pid` (or the one an `fclose` made). */
  closedSocket?: true;
  /** getaddrinfo, when it succeeded: the results in order, each address with its socket type. */
  addresses?: ResolvedAddress[];
  /** getnameinfo, when it succeeded: the host and service it found (absent when not asked for). */
  host?: string;
  service?: string;
  /** getaddrinfo/getnameinfo, when they failed: gai_strerror's text for the code in `errno` (EAI_SYSTEM: and the errno). */
  errorText?: string;
}

/** One getaddrinfo result. */
export interface ResolvedAddress {
  address: string;
  /** `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`. */
  type: string;
}

/** TCP states as the kernel names them (include/net/tcp_states.h, /proc/net/tcp's `st` column). */
export type TcpStateName =
  | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'TIME_WAIT'
  | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'CLOSING' | 'NEW_SYN_RECV';

/** The kernel's view of one traced TCP socket, sampled from /proc while the program runs and after it closes. */
export interface TcpStateEvent extends EventBase {
  kind: 'tcp-state';
  pid: number;
  /** The descriptor the socket has (or had, when `closed`) in that process. */
  fd: number;
  state: TcpStateName;
  local: string;
  peer: string;
  /** LISTEN only: connections completed by the kernel and waiting for accept() (the callers on hold). */
  acceptQueue?: number;
  /** LISTEN only: the queue's limit as the kernel applies it (listen()'s backlog, capped by somaxconn). */
  backlog?: number;
  /** The program has closed the descriptor; the kernel still keeps the connection (FIN_WAIT*, TIME_WAIT, LAST_ACK …). */
  closed?: boolean;
  /** TIME_WAIT: about how long until the kernel forgets the connection, in milliseconds. */
  expiresInMs?: number;
}

/** Identical consecutive calls (same process, thread, call site, descriptor, result and errno) after the `call` numbered `of`. */
export interface RepeatedEvent extends EventBase {
  kind: 'repeated';
  pid: number;
  tid: number;
  /** `seq` of the call event that is being repeated. */
  of: number;
  /** How many calls that event now stands for, itself included (a running count: each `repeated` for the same `of` is larger). */
  repeats: number;
}

export interface ProblemHolder {
  /** The process with the socket open; null for TIME_WAIT (no process has it) or a process this user may not look into. */
  pid: number | null;
  command: string | null;
  /** Socket state of the holder as `ss` names it: "LISTEN", "TIME-WAIT", … */
  state: string;
  /** TIME-WAIT: how many connections (one holder entry stands for all of them). */
  connections?: number;
  /** TIME-WAIT: about when the last of them expires, in milliseconds. */
  expiresInMs?: number;
  /** How to name the holder in a sentence: "hello_server (pid 123, LISTEN)", "TIME_WAIT connections (2), expire in about 41 s". */
  text?: Bilingual;
}

export type RunnerEvent =
  | (EventBase & { kind: 'compile-started'; compiler: string; args: string[] })
  | (EventBase & { kind: 'compile-finished'; ok: boolean; cached: boolean; binary: string | null; diagnostics: CompileDiagnostic[] })
  | (EventBase & { kind: 'process-started'; pid: number; ppid: number | null; argv: string[] })
  | (EventBase & { kind: 'stdout' | 'stderr'; pid: number; text: string })
  | (EventBase & { kind: 'exited'; pid: number; code: number | null; signal: string | null; reason: string })
  | (EventBase & {
      kind: 'problem';
      /** What went wrong: an errno name ("EADDRINUSE"), or "crash", "timeout", "runner". */
      code: string;
      message: Bilingual;
      pid?: number;
      call?: string;
      errno?: string;
      src?: SourceLocation;
      /** From the knowledge base: what the errno means for this call and how to fix it. */
      explanation?: Bilingual;
      /** Who holds the port, for EADDRINUSE. */
      holder?: ProblemHolder[];
      advice?: Bilingual;
    })
  | (EventBase & {
      kind: 'client';
      client: number;
      action: 'connected' | 'sent' | 'received' | 'closed' | 'error';
      /** Where the client connected or sent to. */
      address?: string;
      text?: string;
      message?: string;
    })
  | (EventBase & { kind: 'stopped'; reason: 'exited' | 'stop' | 'timeout'; portsFreed: boolean });

export interface CompileDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
  /** The gcc option that enabled a warning, e.g. "-Wunused-variable". */
  option?: string;
  fixits: { line: number; column: number; endLine: number; endColumn: number; replacement: string }[];
}

export type SockLensEvent = CallEvent | RunnerEvent | TcpStateEvent | RepeatedEvent;
export type SockLensEventKind = SockLensEvent['kind'];
