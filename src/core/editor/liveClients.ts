import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { FREE_CLOCK, type ClientClock, type ClientReport, type ClientReporter } from '../runner/testClient';
import type { OrderMark } from '../runner/timeOrder';
import type { LiveTransport } from '../model/queries';

/** At most this many panel clients at once. */
export const MAX_LIVE_CLIENTS = 16;
/** Texts typed before the connection is up wait in order, up to this many. */
export const MAX_PENDING_SENDS = 64;

function isLoopback(host: string): boolean {
  return host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

type Report = (r: Omit<ClientReport, 'client' | 'address'>, at?: OrderMark) => void;

/** One open client, whatever its transport. */
interface LiveClient {
  /** Sends now, or queues until connected; false when the queue is full or the client is closing. */
  send(text: string): boolean;
  /** Closes gracefully; the `closed` report follows. */
  disconnect(): void;
  /** Closes at once; the `closed` report follows. */
  destroy(): void;
}

/** Texts waiting for the connection, sent in order once it is up. */
class PendingSends {
  private queue: string[] | null = [];

  /** False when full. */
  add(text: string): boolean {
    if (!this.queue) return false;
    if (this.queue.length >= MAX_PENDING_SENDS) return false;
    this.queue.push(text);
    return true;
  }

  get waiting(): boolean {
    return this.queue !== null;
  }

  /** Hands every queued text to `send` and stops queueing. */
  flush(send: (text: string) => void): void {
    const queue = this.queue ?? [];
    this.queue = null;
    for (const text of queue) send(text);
  }

  drop(): void {
    this.queue = null;
  }
}

class TcpLiveClient implements LiveClient {
  private readonly socket: net.Socket;
  private readonly pending = new PendingSends();
  /** Stamped when the user closed it: the program reads that close as end of stream. */
  private closing: OrderMark | null = null;

  constructor(host: string, port: number, private readonly report: Report, private readonly clock: ClientClock, onClose: () => void) {
    let connecting: OrderMark | null = clock.mark();
    const socket = (this.socket = net.connect({ host, port }));
    const decoder = new StringDecoder('utf8');
    socket.setNoDelay(true);
    socket.on('connect', () => {
      report({ action: 'connected' }, connecting ?? undefined);
      connecting = null;
      this.pending.flush((text) => this.write(text));
    });
    socket.on('data', (data: Buffer) => {
      const text = decoder.write(data);
      if (text) report({ action: 'received', text });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => report({ action: 'error', message: err.code ?? err.message }));
    socket.on('close', () => {
      connecting?.settle();
      this.pending.drop();
      onClose();
      const rest = decoder.end();
      if (rest) report({ action: 'received', text: rest });
      report({ action: 'closed' }, this.closing ?? undefined);
      this.closing = null;
    });
  }

  send(text: string): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    if (this.pending.waiting) return this.pending.add(text);
    this.write(text);
    return true;
  }

  private write(text: string): void {
    const sending = this.clock.mark();
    this.socket.write(text, (err) => {
      if (err) sending.settle();
      else this.report({ action: 'sent', text }, sending);
    });
  }

  disconnect(): void {
    this.closing ??= this.clock.mark();
    this.pending.drop();
    this.socket.end();
    // A server that never closes its side would leave the socket half-open: do not wait for it long.
    setTimeout(() => this.socket.destroy(), 500).unref();
  }

  destroy(): void {
    if (!this.socket.destroyed) this.closing ??= this.clock.mark();
    this.socket.destroy();
  }
}

/**
 * A connected datagram socket: each send is one datagram to the program's bound address, and every datagram
 * that comes back from it is reported as it arrives. There is no connection to lose, so errors (such as
 * ECONNREFUSED while nothing is bound) are reported and the client stays open until disconnected.
 */
class UdpLiveClient implements LiveClient {
  private readonly socket: dgram.Socket;
  private readonly pending = new PendingSends();
  private closed = false;

  constructor(host: string, port: number, private readonly report: Report, private readonly clock: ClientClock, onClose: () => void) {
    const socket = (this.socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4'));
    let connecting: OrderMark | null = null;
    socket.on('connect', () => {
      report({ action: 'connected' }, connecting ?? undefined);
      connecting = null;
      this.pending.flush((text) => this.write(text));
    });
    socket.on('message', (msg: Buffer) => report({ action: 'received', text: msg.toString('utf8') }));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      connecting?.settle();
      connecting = null;
      report({ action: 'error', message: err.code ?? err.message });
    });
    socket.on('close', () => {
      connecting?.settle();
      this.closed = true;
      this.pending.drop();
      onClose();
      report({ action: 'closed' });
    });
    connecting = clock.mark();
    socket.connect(port, host);
  }

  send(text: string): boolean {
    if (this.closed) return false;
    if (this.pending.waiting) return this.pending.add(text);
    this.write(text);
    return true;
  }

  private write(text: string): void {
    const sending = this.clock.mark();
    this.socket.send(text, (err) => {
      if (err) {
        sending.settle();
        this.report({ action: 'error', message: (err as NodeJS.ErrnoException).code ?? err.message });
      } else this.report({ action: 'sent', text }, sending);
    });
  }

  disconnect(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.drop();
    this.socket.close();
  }
}

/**
 * Interactive test clients for the live panel: each reaches the program over loopback (a TCP connection, or a
 * connected UDP socket for a program that bound a datagram socket) and stays open, sending what the user
 * types and reporting what arrives, until the user (or the run) disconnects it. Ids are chosen by the panel.
 * Reports have the shape of the runner's client events.
 */
export class LiveClients {
  private readonly clients = new Map<number, LiveClient>();

  /** `clock`: the run's (its marks keep the run's events in time order); reports then carry the mark they are stamped with. */
  constructor(
    private readonly report: ClientReporter,
    private readonly clock: ClientClock = FREE_CLOCK,
  ) {}

  /** Reports that client `id` could not be opened (the program is not listening, or not on loopback). */
  refuse(id: number, message: string, address?: string): void {
    this.report({ client: id, action: 'error', ...(address ? { address } : {}), message });
  }

  connect(id: number, host: string, port: number, transport: LiveTransport = 'tcp'): void {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    if (!isLoopback(host)) return this.report({ client: id, action: 'error', address, message: `not a loopback address: ${host}` });
    if (this.clients.has(id)) return;
    if (this.clients.size >= MAX_LIVE_CLIENTS) {
      return this.report({ client: id, action: 'error', address, message: `at most ${MAX_LIVE_CLIENTS} clients at once` });
    }
    const report: Report = (r, at) => this.report({ client: id, address, ...r }, at);
    const forget = (): void => {
      if (this.clients.get(id) === client) this.clients.delete(id);
    };
    const client: LiveClient = transport === 'udp' ? new UdpLiveClient(host, port, report, this.clock, forget) : new TcpLiveClient(host, port, report, this.clock, forget);
    this.clients.set(id, client);
  }

  /** Sends text (queued in order while the client is still connecting); false when it cannot be sent. */
  send(id: number, text: string): boolean {
    const client = this.clients.get(id);
    if (!client) return false;
    if (client.send(text)) return true;
    this.report({ client: id, action: 'error', message: `not sent: the client is closing or ${MAX_PENDING_SENDS} texts already wait for the connection` });
    return false;
  }

  /** Closes one client (its `closed` report follows). */
  disconnect(id: number): void {
    this.clients.get(id)?.disconnect();
  }

  get size(): number {
    return this.clients.size;
  }

  closeAll(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}
