import * as dgram from 'node:dgram';
import * as net from 'node:net';

export type ClientAction = 'connected' | 'sent' | 'received' | 'closed' | 'error';

export interface ClientReport {
  client: number;
  action: ClientAction;
  address?: string;
  text?: string;
  message?: string;
}

export interface ClientOptions {
  /** Loopback address only: 127.0.0.1 or ::1. */
  host: string;
  port: number;
  text: string;
  /** After a reply, close once the server has been quiet this long (default 300 ms). */
  quietMs?: number;
  /** Upper bound for the whole exchange (default 5000 ms). */
  timeoutMs?: number;
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

/** Connects over TCP, sends `text`, collects the reply until the server closes or goes quiet, then closes. */
export function tcpExchange(client: number, o: ClientOptions, report: (r: ClientReport) => void): Promise<ClientResult> {
  assertLoopback(o.host);
  const address = formatAddress(o.host, o.port);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | undefined;
    let finished = false;
    const sock = net.connect({ host: o.host, port: o.port });
    const overall = setTimeout(() => finish(), o.timeoutMs ?? 5000);
    const finish = (error?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(overall);
      if (quiet) clearTimeout(quiet);
      const reply = Buffer.concat(chunks).toString('utf8');
      if (chunks.length) report({ client, action: 'received', address, text: reply });
      if (error) report({ client, action: 'error', address, message: error });
      sock.destroy();
      report({ client, action: 'closed', address });
      resolve({ client, ok: !error, reply, ...(error ? { error } : {}) });
    };
    sock.on('connect', () => {
      report({ client, action: 'connected', address });
      sock.write(o.text, () => report({ client, action: 'sent', address, text: o.text }));
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(() => finish(), o.quietMs ?? 300);
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  });
}

/** Sends `text` as one datagram and waits for one answer (bounded). */
export function udpExchange(client: number, o: ClientOptions, report: (r: ClientReport) => void): Promise<ClientResult> {
  assertLoopback(o.host);
  const address = formatAddress(o.host, o.port);
  return new Promise((resolve) => {
    const sock = dgram.createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
    let finished = false;
    const finish = (reply: string, error?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (reply) report({ client, action: 'received', address, text: reply });
      if (error) report({ client, action: 'error', address, message: error });
      sock.close();
      report({ client, action: 'closed', address });
      resolve({ client, ok: !error, reply, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('', 'no answer'), o.timeoutMs ?? 5000);
    sock.on('message', (msg) => finish(msg.toString('utf8')));
    sock.on('error', (err: NodeJS.ErrnoException) => finish('', err.code ?? err.message));
    sock.send(o.text, o.port, o.host, (err) => {
      if (err) finish('', err.message);
      else report({ client, action: 'sent', address, text: o.text });
    });
  });
}
