/**
 * The event stream of a traced run, schema version 1 (documented in docs/events.md).
 * One JSON object per line. Program events come from the preloaded tracer; runner events from the runner.
 */

export const EVENT_SCHEMA_VERSION = 1;

export interface SourceLocation {
  file: string;
  line: number;
  function: string;
}

interface EventBase {
  v: typeof EVENT_SCHEMA_VERSION;
  /** Order in which the runner emitted the event (global, starts at 1). */
  seq: number;
  /** Microseconds since the run started. */
  t: number;
}

/** A socket API call made by the traced program. */
export interface CallEvent extends EventBase {
  kind: 'call';
  pid: number;
  tid: number;
  /** The C function, e.g. "socket", "accept4", "__recv_chk" reported as "recv". */
  call: string;
  /** The descriptor the call acted on (for accept: the listening one); null when none. */
  fd: number | null;
  ret: number;
  /** errno name when the call failed, else null. */
  errno: string | null;
  /** Decoded arguments: family, type, protocol, backlog, flags, level, option names … */
  args: Record<string, string | number | boolean | null>;
  local?: string;
  peer?: string;
  bytes?: number;
  /** The descriptor a call produced (socket, accept, dup …). */
  newFd?: number;
  src?: SourceLocation;
  /** For select/poll/epoll_wait: "waiting" before the call, "ready" after. */
  phase?: 'waiting' | 'ready';
  readyFds?: number[];
}

export type RunnerEvent =
  | (EventBase & { kind: 'compile-started'; compiler: string; args: string[] })
  | (EventBase & { kind: 'compile-finished'; ok: boolean; cached: boolean; diagnostics: CompileDiagnostic[] })
  | (EventBase & { kind: 'process-started'; pid: number; argv: string[] })
  | (EventBase & { kind: 'stdout' | 'stderr'; pid: number; text: string })
  | (EventBase & { kind: 'exited'; pid: number; code: number | null; signal: string | null; reason: string })
  | (EventBase & { kind: 'problem'; message: string; call?: string; errno?: string; explanation?: string; holder?: string; advice?: string })
  | (EventBase & { kind: 'client'; client: number; action: 'connected' | 'sent' | 'received' | 'closed' | 'error'; text?: string; message?: string });

export interface CompileDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
  fixits: { line: number; column: number; endLine: number; endColumn: number; replacement: string }[];
}

export type SockLensEvent = CallEvent | RunnerEvent;
