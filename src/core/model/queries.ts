/** Questions the run model answers for its readers: the panel, the status bar, the live client, the runner. */
import { loopbackFor, type InetAddress } from './address';
import type { ExitInfo, ProcessEntry, RunState, Service, SocketEntry, StepName } from './runModel';

export type StoryKind = 'server' | 'client' | 'udp';

export const SERVER_STEPS: readonly StepName[] = ['socket', 'bind', 'listen', 'accept'];
export const CLIENT_STEPS: readonly StepName[] = ['socket', 'connect'];
/** A UDP server never listens or accepts: datagrams simply arrive at the bound address. */
export const UDP_STEPS: readonly StepName[] = ['socket', 'bind'];

export function storySteps(kind: StoryKind): readonly StepName[] {
  return kind === 'server' ? SERVER_STEPS : kind === 'client' ? CLIENT_STEPS : UDP_STEPS;
}

/**
 * Which story the program tells: a client connects without binding or listening; a UDP server binds a datagram
 * socket and never listens; anything else is the four-step server.
 */
export function storyKind(state: RunState): StoryKind {
  const { bind, listen, connect } = state.steps;
  if (connect.reached && !listen.reached && !bind.reached) return 'client';
  if (bind.reached && !listen.reached && bind.datagram === true) return 'udp';
  return 'server';
}

/** Accepted connections still open, one per connection however many processes hold it (fork). */
export function openConversations(state: RunState): SocketEntry[] {
  const seen = new Set<number>();
  const result: SocketEntry[] = [];
  for (const entry of state.open.values()) {
    if (entry.role !== 'conversation' || seen.has(entry.origin)) continue;
    seen.add(entry.origin);
    result.push(entry);
  }
  return result;
}

export function openClientCount(state: RunState): number {
  let n = 0;
  for (const c of state.clients.values()) if (c.state === 'connecting' || c.state === 'connected') n++;
  return n;
}

/** The smallest client id not used yet (ids are positive and chosen by the panel). */
export function nextClientId(state: RunState): number {
  let max = 0;
  for (const id of state.clients.keys()) max = Math.max(max, id);
  return max + 1;
}

/** Signals that stop a program on purpose (Stop, a time limit, Ctrl-C): an ending, not a crash. */
const STOP_SIGNALS = new Set(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP']);

export function isCrash(exit: Pick<ExitInfo, 'signal'>): boolean {
  return exit.signal !== null && !STOP_SIGNALS.has(exit.signal);
}

/** The exit that ended the run: the main process's, else the last one seen. */
export function mainExit(state: RunState): ExitInfo | undefined {
  return state.exits.find((e) => e.pid === state.mainPid) ?? state.exits[state.exits.length - 1];
}

/** Processes in the order they appeared, the main one first. */
export function processList(state: RunState): ProcessEntry[] {
  return [...state.processes.values()];
}

/** The service a test client reaches: the first listening TCP address, else the first bound UDP address. */
export function mainService(state: RunState): Service | undefined {
  return state.services.find((s) => s.transport === 'tcp') ?? state.services.find((s) => s.transport === 'udp');
}

export type LiveTransport = 'tcp' | 'udp';

/** Where a test client should go, or why it cannot. */
export type LiveClientTarget =
  | { ok: true; transport: LiveTransport; host: string; port: number; /** As the program bound it, e.g. "0.0.0.0:9190". */ address: string }
  | { ok: false; reason: 'not-listening' }
  | { ok: false; reason: 'not-loopback'; address: string };

/** The main service reached over loopback (0.0.0.0 → 127.0.0.1, :: → ::1). */
export function liveClientTarget(state: RunState): LiveClientTarget {
  const service = mainService(state);
  if (!service) return { ok: false, reason: 'not-listening' };
  return loopbackTarget(service.transport, service.address);
}

export function loopbackTarget(transport: LiveTransport, address: InetAddress): LiveClientTarget {
  const host = loopbackFor(address.host);
  if (!host) return { ok: false, reason: 'not-loopback', address: address.text };
  return { ok: true, transport, host, port: address.port, address: address.text };
}

export type RunStage = 'compiling' | 'compile-failed' | 'running' | 'exited';

/** What the status bar says about a run. */
export interface RunSummary {
  stage: RunStage;
  /** Ports some process still listens on. */
  listeningPorts: number[];
  /** Accepted connections some process still holds open. */
  openConnections: number;
  exitCode?: number | null;
  signal?: string | null;
}

export function runSummary(state: RunState): RunSummary {
  const ports = new Set<number>();
  for (const entry of state.open.values()) {
    if (entry.role === 'listening' && entry.local && entry.local.family !== 'unix') ports.add(entry.local.port);
  }
  const exit = state.exits.find((e) => e.pid === state.mainPid);
  const stage: RunStage =
    state.compile.state === 'failed' ? 'compile-failed'
    : exit || state.stopped ? 'exited'
    : state.compile.state === 'compiling' && state.mainPid === undefined ? 'compiling'
    : state.compile.state === 'none' && state.mainPid === undefined ? 'compiling'
    : 'running';
  const summary: RunSummary = { stage, listeningPorts: [...ports].sort((a, b) => a - b), openConnections: openConversations(state).length };
  if (exit) {
    summary.exitCode = exit.code;
    summary.signal = exit.signal;
  }
  return summary;
}
