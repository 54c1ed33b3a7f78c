/**
 * The panel's model: the run model (src/core/model/runModel.ts) plus what only the panel keeps — the events for
 * the timeline and the descriptor numbers, calls and kinds its filters offer. No DOM and no I/O.
 */
import { clientOf, initialRunState, reduce, type RunState } from '../core/model/runModel.js';
import type { SockLensEvent } from '../core/protocol/events.js';

export { isRoutineErrno } from '../core/protocol/callKinds.js';
export { MAX_CLIENT_LINES, clientOf, stepOfCall } from '../core/model/runModel.js';
export type { ClientSession, ExitInfo, Problem, SocketEntry, StepName, StepStatus } from '../core/model/runModel.js';
export { MAX_PROBLEMS } from '../core/model/problems.js';
export { isCrash, mainExit, mainService, nextClientId, openClientCount, openConversations, processList, storyKind, storySteps } from '../core/model/queries.js';

export interface PanelModel extends RunState {
  events: SockLensEvent[];
  /** Descriptor numbers and call names seen, for the timeline filters. */
  fdsSeen: Set<number>;
  callsSeen: Set<string>;
  /** Kinds of runner events seen (stdout, client …), also offered by the timeline's call filter. */
  kindsSeen: Set<Exclude<SockLensEvent['kind'], 'call'>>;
  /** Oldest events let go by trimEvents (what they did to the run model stays). */
  eventsDropped: number;
}

export function createModel(): PanelModel {
  return { ...initialRunState(), events: [], fdsSeen: new Set(), callsSeen: new Set(), kindsSeen: new Set(), eventsDropped: 0 };
}

export function applyEvent(model: PanelModel, ev: SockLensEvent): void {
  model.events.push(ev);
  if (ev.kind === 'call') {
    model.callsSeen.add(ev.call);
    if (ev.fd !== null) model.fdsSeen.add(ev.fd);
    if (ev.newFd !== undefined) model.fdsSeen.add(ev.newFd);
    for (const fd of ev.fds ?? []) model.fdsSeen.add(fd);
  } else model.kindsSeen.add(ev.kind);
  reduce(model, ev);
}

export function applyEvents(model: PanelModel, events: readonly SockLensEvent[]): void {
  for (const ev of events) applyEvent(model, ev);
}

/** The user pressed Connect: the client shows as connecting until the extension reports back. */
export function requestClient(model: PanelModel, id: number): void {
  clientOf(model, id);
  model.shapeRevision++;
}

/** The user pressed Disconnect: the close that follows is theirs, not the server hanging up. */
export function requestDisconnect(model: PanelModel, id: number): void {
  const session = model.clients.get(id);
  if (session) session.closing = true;
}


/** The timeline keeps at most this many events (as many as the extension keeps to replay): a webview has little memory. */
export const MAX_KEPT_EVENTS = 200_000;
/** Trimming lets go of a tenth more than needed, so it happens once per that many events, not on every batch. */
const TRIM_SLACK = 0.1;

/** Lets go of the oldest events beyond `max`; true when it did (positions in `model.events` moved). */
export function trimEvents(model: PanelModel, max = MAX_KEPT_EVENTS): boolean {
  if (model.events.length <= max) return false;
  const drop = model.events.length - max + Math.floor(max * TRIM_SLACK);
  model.events.splice(0, drop);
  model.eventsDropped += drop;
  return true;
}
