import type { KnowledgeBase } from '../knowledge/schema';
import { baseVariable } from './expr';
import type { CallSite, Endpoint, SocketRole, Value } from './model';
import type { Scope } from './scope';
import type { Resolver } from './values';

export type SocketEventKind =
  | 'created'
  | 'accepted'
  | 'bound'
  | 'listening'
  | 'listenFails'
  | 'accepts'
  | 'connected'
  | 'watched'
  | 'used'
  | 'shutdown'
  | 'closed';

/** One thing that happened to a socket variable, in document order. */
export interface SocketEvent {
  kind: SocketEventKind;
  /** The call that did it (socket, bind, listen, accept, connect, close, …). */
  call: string;
  /** Offset of the call's name; `line` is its 0-based line. */
  offset: number;
  line: number;
  /** bind/connect: the address; listen: none. */
  endpoint?: Endpoint;
  /** listen: the backlog argument. */
  backlog?: Value;
  /** accepted: the listening socket it came from; accepts: the new connected socket's variable. */
  peer?: string;
  /** created: the type argument of socket(), e.g. SOCK_DGRAM. */
  detail?: string;
}

/** A variable that holds a socket descriptor within one function. */
export interface TrackedSocket {
  variable: string;
  role: SocketRole;
  transport?: 'stream' | 'datagram';
  events: SocketEvent[];
  /** For connected sockets from accept(): the listening socket's variable. */
  acceptedFrom?: string;
}

/**
 * Which variables hold sockets in one function and what happens to them: created by socket(), bound,
 * put into listening, connected sockets returned by accept()/accept4() (and from which listening socket),
 * connect() clients, UDP sockets, close(). A misuse-diagnostics pass can walk `events` in order.
 */
export class SocketModel {
  readonly sockets = new Map<string, TrackedSocket>();

  get(variable: string): TrackedSocket | undefined {
    return this.sockets.get(variable);
  }

  roleOf(variable: string): SocketRole | undefined {
    return this.sockets.get(variable)?.role;
  }
}

function isSocketParam(kb: KnowledgeBase, call: string): boolean {
  const first = kb.functions.get(call)?.params[0];
  return first?.name === 'sockfd' || first?.name === 'sockfd_or_fd' || first?.name === 's';
}

const WATCHERS = new Set(['FD_SET', 'FD_ISSET', 'FD_CLR']);

export function buildSocketModel(kb: KnowledgeBase, scope: Scope, resolver: Resolver, lineOf: (offset: number) => number): SocketModel {
  const model = new SocketModel();
  const ensure = (variable: string): TrackedSocket => {
    let socket = model.sockets.get(variable);
    if (!socket) {
      socket = { variable, role: 'unknown', events: [] };
      model.sockets.set(variable, socket);
    }
    return socket;
  };
  const record = (variable: string, event: Omit<SocketEvent, 'offset' | 'line'>, call: CallSite): TrackedSocket => {
    const socket = ensure(variable);
    socket.events.push({ ...event, offset: call.nameStart, line: lineOf(call.nameStart) });
    return socket;
  };
  const argVariable = (call: CallSite, index: number): string | undefined => {
    const expr = call.args[index]?.expr;
    return expr ? baseVariable(expr) : undefined;
  };

  for (const call of scope.calls) {
    const entry = kb.functions.get(call.name);
    const first = argVariable(call, 0);
    switch (call.name) {
      case 'socket': {
        if (!call.assignedTo) break;
        const type = call.args[1]?.text ?? '';
        const socket = record(call.assignedTo, { kind: 'created', call: call.name, detail: type }, call);
        socket.transport = /SOCK_DGRAM/.test(type) ? 'datagram' : /SOCK_STREAM/.test(type) ? 'stream' : socket.transport;
        break;
      }
      case 'accept':
      case 'accept4': {
        if (call.assignedTo) {
          const socket = record(call.assignedTo, { kind: 'accepted', call: call.name, peer: first }, call);
          socket.acceptedFrom = first;
          socket.transport = 'stream';
        }
        if (first) record(first, { kind: 'accepts', call: call.name, peer: call.assignedTo }, call);
        break;
      }
      case 'bind':
      case 'connect': {
        if (!first) break;
        const address = call.args[1] ? resolver.resolve(call.args[1].expr, call.start) : undefined;
        const endpoint = address?.kind === 'address' ? address.endpoint : undefined;
        record(first, { kind: call.name === 'bind' ? 'bound' : 'connected', call: call.name, endpoint }, call);
        break;
      }
      case 'listen':
        // listen(2): EOPNOTSUPP, "the socket is not of a type that supports the listen() operation" (a datagram socket).
        if (first && model.get(first)?.transport === 'datagram') record(first, { kind: 'listenFails', call: call.name }, call);
        else if (first) record(first, { kind: 'listening', call: call.name, backlog: call.args[1] ? resolver.resolve(call.args[1].expr, call.start) : undefined }, call);
        break;
      case 'close':
        if (first && model.sockets.has(first)) record(first, { kind: 'closed', call: call.name }, call);
        break;
      case 'shutdown':
        if (first) record(first, { kind: 'shutdown', call: call.name }, call);
        break;
      case 'epoll_ctl': {
        const watched = argVariable(call, 2);
        if (watched && model.sockets.has(watched)) record(watched, { kind: 'watched', call: call.name, peer: first }, call);
        break;
      }
      default:
        if (WATCHERS.has(call.name) && first && model.sockets.has(first)) record(first, { kind: 'watched', call: call.name }, call);
        else if (entry?.returnsDescriptor === 'epoll' && call.assignedTo) {
          record(call.assignedTo, { kind: 'created', call: call.name }, call).role = 'epoll';
        } else if (first && entry && (isSocketParam(kb, call.name) || model.sockets.has(first)) && !entry.params[0]?.type.includes('*')) {
          record(first, { kind: 'used', call: call.name }, call);
        }
    }
  }
  for (const socket of model.sockets.values()) socket.role = roleOf(socket);
  return model;
}

function roleOf(socket: TrackedSocket): SocketRole {
  const has = (kind: SocketEventKind): boolean => socket.events.some((e) => e.kind === kind);
  if (socket.role === 'epoll') return 'epoll';
  if (has('accepted')) return 'connected';
  if (socket.transport === 'datagram') return 'datagram';
  if (has('listening') || has('accepts')) return 'listening';
  if (has('connected')) return 'client';
  if (has('created')) return 'socket';
  return 'unknown';
}
