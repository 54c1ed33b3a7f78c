import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { ClientReport } from '../runner/testClient';

/** At most this many panel clients at once. */
export const MAX_LIVE_CLIENTS = 16;

function isLoopback(host: string): boolean {
  return host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Interactive test clients for the live panel: each connects to the program over loopback and stays open,
 * sending what the user types and reporting what arrives, until the user (or the run) disconnects it.
 * Ids are chosen by the panel. Reports have the shape of the runner's client events.
 */
export class LiveClients {
  private readonly sockets = new Map<number, net.Socket>();

  constructor(private readonly report: (r: ClientReport) => void) {}

  connect(id: number, host: string, port: number): void {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    if (!isLoopback(host)) return this.report({ client: id, action: 'error', address, message: `not a loopback address: ${host}` });
    if (this.sockets.has(id)) return;
    if (this.sockets.size >= MAX_LIVE_CLIENTS) {
      return this.report({ client: id, action: 'error', address, message: `at most ${MAX_LIVE_CLIENTS} clients at once` });
    }
    const socket = net.connect({ host, port });
    const decoder = new StringDecoder('utf8');
    this.sockets.set(id, socket);
    socket.setNoDelay(true);
    socket.on('connect', () => this.report({ client: id, action: 'connected', address }));
    socket.on('data', (data: Buffer) => {
      const text = decoder.write(data);
      if (text) this.report({ client: id, action: 'received', address, text });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.report({ client: id, action: 'error', address, message: err.code ?? err.message }));
    socket.on('close', () => {
      if (this.sockets.get(id) === socket) this.sockets.delete(id);
      const rest = decoder.end();
      if (rest) this.report({ client: id, action: 'received', address, text: rest });
      this.report({ client: id, action: 'closed', address });
    });
  }

  /** Sends text; false when the client is not connected. */
  send(id: number, text: string): boolean {
    const socket = this.sockets.get(id);
    if (!socket || socket.connecting || socket.destroyed || !socket.writable) return false;
    socket.write(text, () => this.report({ client: id, action: 'sent', text }));
    return true;
  }

  /** Closes one client (its `closed` report follows). */
  disconnect(id: number): void {
    const socket = this.sockets.get(id);
    if (!socket) return;
    socket.end();
    // A server that never closes its side would leave the socket half-open: do not wait for it long.
    setTimeout(() => socket.destroy(), 500).unref();
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets.values()) socket.destroy();
  }
}
