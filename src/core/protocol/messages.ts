/**
 * Every message between the live panel (webview) and the extension: one discriminated union on `type`,
 * plus hand-written validators used on receipt in both directions (docs/panel.md describes the flow).
 */
import { EVENT_SCHEMA_VERSION, type Bilingual, type CallEvent, type CompileDiagnostic, type ProblemHolder, type SockLensEvent, type SourceLocation } from './events.js';

export type PanelLanguage = 'en' | 'ko';

export type RunPhase = 'idle' | 'compiling' | 'running' | 'stopped';

/** What the panel shows in its header; the extension sends a fresh one whenever any part changes. */
export interface RunState {
  phase: RunPhase;
  /** Workspace-relative or absolute path of the C file being run. */
  file?: string;
  /** The port the program was given (from its arguments), when known. */
  port?: number;
  args: string[];
  /** The main process, once started. */
  pid?: number;
}

// ── extension → panel ──────────────────────────────────────────────────────────────────────────────
/** A batch of events of the current run, in `seq` order. Test-client activity arrives here too, as `kind: 'client'` events. */
export interface EventsMessage { type: 'events'; events: SockLensEvent[] }
export interface RunStateMessage { type: 'run-state'; state: RunState }
/** Forget everything shown: a new run starts (or the panel is being restored and the events follow). */
export interface ResetMessage { type: 'reset' }
/** The UI language; the panel carries its own string tables (src/webview/i18n/). */
export interface LanguageMessage { type: 'language'; language: PanelLanguage }
/** How large the panel's text is (the `socklens.panel.textSize` setting: larger for projecting in class). */
export type PanelTextSize = 'normal' | 'large' | 'larger';
export const PANEL_TEXT_SIZES: readonly PanelTextSize[] = ['normal', 'large', 'larger'];
export interface TextSizeMessage { type: 'text-size'; size: PanelTextSize }

// ── panel → extension ──────────────────────────────────────────────────────────────────────────────
/** The panel's script has loaded (first show, after being hidden and shown again, after a window reload). */
export interface ReadyMessage { type: 'ready' }
/** Reveal a source line in the editor (1-based line, as in the events' `src`). */
export interface RevealMessage { type: 'reveal'; file: string; line: number }
/** Open a test-client connection to the program's listening address; the id is chosen by the panel. */
export interface ClientConnectMessage { type: 'client-connect'; clientId: number }
export interface ClientSendMessage { type: 'client-send'; clientId: number; text: string }
export interface ClientDisconnectMessage { type: 'client-disconnect'; clientId: number }
export interface StopMessage { type: 'stop' }
export interface RestartMessage { type: 'restart' }

export type ToPanelMessage = EventsMessage | RunStateMessage | ResetMessage | LanguageMessage | TextSizeMessage;
export type FromPanelMessage =
  | ReadyMessage
  | RevealMessage
  | ClientConnectMessage
  | ClientSendMessage
  | ClientDisconnectMessage
  | StopMessage
  | RestartMessage;
/** The one union of every panel ↔ extension message. */
export type PanelProtocolMessage = ToPanelMessage | FromPanelMessage;

// ── validators ─────────────────────────────────────────────────────────────────────────────────────
type Obj = Record<string, unknown>;

/** Text sent by the test client is capped so a runaway paste cannot stall the extension host. */
export const MAX_CLIENT_TEXT = 64 * 1024;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}
function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
function isStr(x: unknown): x is string {
  return typeof x === 'string';
}
function optional(x: unknown, guard: (y: unknown) => boolean): boolean {
  return x === undefined || guard(x);
}
function isIntOrNull(x: unknown): boolean {
  return x === null || isInt(x);
}
function isStrOrNull(x: unknown): boolean {
  return x === null || isStr(x);
}
function isArrayOf(x: unknown, guard: (y: unknown) => boolean): boolean {
  return Array.isArray(x) && x.every(guard);
}
function isClientId(x: unknown): x is number {
  return isInt(x) && x > 0;
}

function isSourceLocation(x: unknown): x is SourceLocation {
  return isObj(x) && isStr(x.file) && isInt(x.line) && isStr(x.function);
}

function isArgValue(x: unknown): boolean {
  return x === null || isStr(x) || isNum(x) || typeof x === 'boolean';
}

function isDiagnostic(x: unknown): x is CompileDiagnostic {
  return (
    isObj(x) &&
    isStr(x.file) &&
    isInt(x.line) &&
    isInt(x.column) &&
    isInt(x.endLine) &&
    isInt(x.endColumn) &&
    (x.severity === 'error' || x.severity === 'warning' || x.severity === 'note') &&
    isStr(x.message) &&
    Array.isArray(x.fixits)
  );
}

function isCallEvent(e: Obj): e is Obj & CallEvent {
  return (
    isInt(e.pid) &&
    isInt(e.tid) &&
    isStr(e.call) &&
    isIntOrNull(e.fd) &&
    isInt(e.ret) &&
    isStrOrNull(e.errno) &&
    isObj(e.args) &&
    Object.values(e.args).every(isArgValue) &&
    optional(e.local, isStr) &&
    optional(e.peer, isStr) &&
    optional(e.bytes, isInt) &&
    optional(e.data, isStr) &&
    optional(e.newFd, isInt) &&
    optional(e.fds, (f) => isArrayOf(f, isInt)) &&
    optional(e.src, isSourceLocation) &&
    optional(e.phase, (p) => p === 'waiting' || p === 'ready') &&
    optional(e.watchFds, (w) => isArrayOf(w, isInt)) &&
    optional(e.readyFds, (r) => isArrayOf(r, isInt)) &&
    optional(e.closedSocket, (c) => c === true) &&
    optional(e.addresses, (list) => isArrayOf(list, (x) => isObj(x) && isStr(x.address) && isStr(x.type))) &&
    optional(e.host, isStr) &&
    optional(e.service, isStr) &&
    optional(e.errorText, isStr)
  );
}

const CLIENT_ACTIONS = new Set(['connected', 'sent', 'received', 'closed', 'error']);

/**
 * Every event kind the validator knows. `satisfies` makes a new kind in events.ts fail the type-check here
 * until isSockLensEvent learns it (otherwise the panel would silently drop those events).
 */
const KNOWN_KINDS = {
  call: true,
  'compile-started': true,
  'compile-finished': true,
  'process-started': true,
  stdout: true,
  stderr: true,
  exited: true,
  problem: true,
  client: true,
  stopped: true,
  'tcp-state': true,
  repeated: true,
} as const satisfies Record<SockLensEvent['kind'], true>;

/** True when `x` is a well-formed event of the stream (src/core/protocol/events.ts, schema version 2). */
export function isSockLensEvent(x: unknown): x is SockLensEvent {
  if (!isObj(x) || x.v !== EVENT_SCHEMA_VERSION || !isInt(x.seq) || !isNum(x.t) || !isStr(x.kind) || !Object.hasOwn(KNOWN_KINDS, x.kind)) return false;
  switch (x.kind) {
    case 'call':
      return isCallEvent(x);
    case 'compile-started':
      return isStr(x.compiler) && isArrayOf(x.args, isStr);
    case 'compile-finished':
      return (
        typeof x.ok === 'boolean' &&
        typeof x.cached === 'boolean' &&
        isStrOrNull(x.binary) &&
        isArrayOf(x.diagnostics, isDiagnostic)
      );
    case 'process-started':
      return isInt(x.pid) && isIntOrNull(x.ppid) && isArrayOf(x.argv, isStr);
    case 'stdout':
    case 'stderr':
      return isInt(x.pid) && isStr(x.text);
    case 'exited':
      return isInt(x.pid) && isIntOrNull(x.code) && isStrOrNull(x.signal) && isStr(x.reason);
    case 'problem':
      return (
        isStr(x.code) &&
        isBilingual(x.message) &&
        optional(x.pid, isInt) &&
        optional(x.call, isStr) &&
        optional(x.errno, isStr) &&
        optional(x.src, isSourceLocation) &&
        optional(x.explanation, isBilingual) &&
        optional(x.holder, (h) => isArrayOf(h, isProblemHolder)) &&
        optional(x.advice, isBilingual)
      );
    case 'client':
      return (
        isInt(x.client) &&
        isStr(x.action) &&
        CLIENT_ACTIONS.has(x.action) &&
        optional(x.address, isStr) &&
        optional(x.text, isStr) &&
        optional(x.message, isStr)
      );
    case 'stopped':
      return (x.reason === 'exited' || x.reason === 'stop' || x.reason === 'timeout') && typeof x.portsFreed === 'boolean';
    case 'tcp-state':
      return (
        isInt(x.pid) &&
        isInt(x.fd) &&
        isStr(x.state) &&
        isStr(x.local) &&
        isStr(x.peer) &&
        optional(x.acceptQueue, isInt) &&
        optional(x.backlog, isInt) &&
        optional(x.closed, (c) => typeof c === 'boolean') &&
        optional(x.expiresInMs, isNum)
      );
    case 'repeated':
      return isInt(x.pid) && isInt(x.tid) && isInt(x.of) && isInt(x.repeats) && (x.repeats as number) >= 2;
    default:
      return false;
  }
}

function isBilingual(x: unknown): x is Bilingual {
  return isObj(x) && isStr(x.en) && isStr(x.ko);
}

function isProblemHolder(x: unknown): x is ProblemHolder {
  return isObj(x) && isIntOrNull(x.pid) && isStrOrNull(x.command) && isStr(x.state) && optional(x.connections, isInt) && optional(x.expiresInMs, isInt) && optional(x.text, isBilingual);
}

function isRunState(x: unknown): x is RunState {
  return (
    isObj(x) &&
    (x.phase === 'idle' || x.phase === 'compiling' || x.phase === 'running' || x.phase === 'stopped') &&
    optional(x.file, isStr) &&
    optional(x.port, (p) => isInt(p) && p >= 0 && p <= 65535) &&
    isArrayOf(x.args, isStr) &&
    optional(x.pid, isInt)
  );
}

/**
 * Validates a message the panel received from the extension. An `events` batch with some malformed
 * events keeps the well-formed ones (a bad line must not hide a whole batch); anything else malformed
 * gives undefined.
 */
export function parseToPanelMessage(x: unknown): ToPanelMessage | undefined {
  if (!isObj(x)) return undefined;
  switch (x.type) {
    case 'events':
      return Array.isArray(x.events) ? { type: 'events', events: x.events.filter(isSockLensEvent) } : undefined;
    case 'run-state':
      return isRunState(x.state) ? { type: 'run-state', state: x.state } : undefined;
    case 'reset':
      return { type: 'reset' };
    case 'language':
      return x.language === 'en' || x.language === 'ko' ? { type: 'language', language: x.language } : undefined;
    case 'text-size':
      return PANEL_TEXT_SIZES.includes(x.size as PanelTextSize) ? { type: 'text-size', size: x.size as PanelTextSize } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message the extension received from the panel; undefined for anything malformed. */
export function parsePanelMessage(x: unknown): FromPanelMessage | undefined {
  if (!isObj(x)) return undefined;
  switch (x.type) {
    case 'ready':
    case 'stop':
    case 'restart':
      return { type: x.type };
    case 'reveal':
      return isStr(x.file) && x.file.length > 0 && isInt(x.line) && x.line >= 1
        ? { type: 'reveal', file: x.file, line: x.line }
        : undefined;
    case 'client-connect':
    case 'client-disconnect':
      return isClientId(x.clientId) ? { type: x.type, clientId: x.clientId } : undefined;
    case 'client-send':
      return isClientId(x.clientId) && isStr(x.text) && x.text.length <= MAX_CLIENT_TEXT
        ? { type: 'client-send', clientId: x.clientId, text: x.text }
        : undefined;
    default:
      return undefined;
  }
}
