import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { monotonicUs, type OrderMark } from './timeOrder';

export type ClientAction = 'connected' | 'sent' | 'received' | 'closed' | 'error';

export interface ClientReport {
  client: number;
  action: ClientAction;
  address?: string;
  text?: string;
  message?: string;
}

/**
 * The run clock as test clients use it. A client's own acts that cause something in the program (`connected`:
 * the connect, `sent`: the send) are stamped with a mark taken just before the system call: on loopback the
 * kernel completes the handshake and queues the data inside that call (test/runner/clock.test.ts proves it), so
 * the program's `accept`/`recv` returns after that time; likewise `closed`, the close the program reads as end
 * of stream. What the client observes (`received`, `error`) is stamped when Node reports it.
 */
export interface ClientClock {
  mark(): OrderMark;
}

/** `at`: the mark the report is stamped with (settled once reported); none: now. */
export type ClientReporter = (r: ClientReport, at?: OrderMark) => void;

/** A clock for clients used outside a run: marks hold nothing back. */
export const FREE_CLOCK: ClientClock = { mark: () => ({ us: monotonicUs(), firm: false, settle: () => undefined }) };

export interface ClientOptions {
  /** Loopback address only: 127.0.0.1 or ::1. */
  host: string;
  port: number;
  text: string;
  /** After a reply, close once the server has been quiet this long (default 300 ms). */
  quietMs?: number;
  /** Upper bound for the whole exchange (default 5000 ms). */
  timeoutMs?: number;
  /** Ends the exchange early (the program has ended: no answer can come). */
  signal?: AbortSignal;
}

/** Calls `end` when the signal aborts (at once when it already has); returns the cleanup. */
function onAbort(signal: AbortSignal | undefined, end: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    queueMicrotask(end);
    return () => undefined;
  }
  signal.addEventListener('abort', end, { once: true });
  return () => signal.removeEventListener('abort', end);
}

export interface ClientResult {
  client: number;
  ok: boolean;
  reply: string;
  error?: string;
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function assertLoopback(host: string): void {
  if (!(host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) throw new Error(`the test client only talks to loopback addresses, not ${host}`);
}

/**
 * Connects over TCP, sends `text`, reports what arrives as it arrives until the server closes or goes quiet, then
 * closes.
 */
export function tcpExchange(client: number, o: ClientOptions, report: ClientReporter, clock: ClientClock = FREE_CLOCK): Promise<ClientResult> {
  assertLoopback(o.host);
  const address = formatAddress(o.host, o.port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const decoder = new StringDecoder('utf8');
    let quiet: NodeJS.Timeout | undefined;
    let finished = false;
    let connectMark: OrderMark | null = clock.mark();
    const sock = net.connect({ host: o.host, port: o.port });
    const overall = setTimeout(() => finish(), o.timeoutMs ?? 5000);
    const stopAbort = onAbort(o.signal, () => finish());
    const finish = (error?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(overall);
      if (quiet) clearTimeout(quiet);
      stopAbort();
      connectMark?.settle();
      const rest = decoder.end();
      if (rest) report({ client, action: 'received', address, text: rest });
      if (error) report({ client, action: 'error', address, message: error });
      const closing = clock.mark(); // the close reaches the program as end of stream
      sock.destroy();
      report({ client, action: 'closed', address }, closing);
      resolve({ client, ok: !error, reply: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) });
    };
    sock.on('connect', () => {
      const connected = connectMark ?? undefined;
      connectMark = null;
      report({ client, action: 'connected', address }, connected);
      const sending = clock.mark();
      sock.write(o.text, (err) => {
        if (err) sending.settle();
        else report({ client, action: 'sent', address, text: o.text }, sending);
      });
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const text = decoder.write(d);
      if (text) report({ client, action: 'received', address, text });
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(() => finish(), o.quietMs ?? 300);
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  });
}

/** Sends `text` as one datagram and waits for one answer (bounded, and no longer than the program runs). */
export function udpExchange(client: number, o: ClientOptions, report: ClientReporter, clock: ClientClock = FREE_CLOCK): Promise<ClientResult> {
  assertLoopback(o.host);
  const address = formatAddress(o.host, o.port);
  return new Promise((resolve) => {
    const sock = dgram.createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
    let finished = false;
    const finish = (reply: string, error?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stopAbort();
      if (reply) report({ client, action: 'received', address, text: reply });
      if (error) report({ client, action: 'error', address, message: error });
      sock.close();
      report({ client, action: 'closed', address });
      resolve({ client, ok: !error, reply, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('', 'no answer'), o.timeoutMs ?? 5000);
    const stopAbort = onAbort(o.signal, () => finish('', 'no answer before the program ended'));
    sock.on('message', (msg) => finish(msg.toString('utf8')));
    sock.on('error', (err: NodeJS.ErrnoException) => finish('', err.code ?? err.message));
    const sending = clock.mark();
    sock.send(o.text, o.port, o.host, (err) => {
      if (err) {
        sending.settle();
        finish('', err.message);
      } else report({ client, action: 'sent', address, text: o.text }, sending);
    });
  });
}
