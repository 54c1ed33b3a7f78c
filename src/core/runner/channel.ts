import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordStream, type RawRecord } from './records';

/** One traced process's connection (a process that exec()s connects anew). */
export interface TraceConnection {
  readonly id: number;
  /** From its hello record; 0 until then. */
  pid: number;
}

export interface ChannelHandlers {
  opened(conn: TraceConnection): void;
  records(conn: TraceConnection, records: RawRecord[]): void;
  closed(conn: TraceConnection, truncated: boolean): void;
}

/** The Unix socket the preloaded tracer connects to, one stream per traced process. */
export class EventChannel {
  readonly path: string;
  private readonly dir: string;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;

  private constructor(dir: string, server: net.Server) {
    this.dir = dir;
    this.path = path.join(dir, 'events.sock');
    this.server = server;
  }

  static async open(handlers: ChannelHandlers): Promise<EventChannel> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-'));
    const server = net.createServer();
    const channel = new EventChannel(dir, server);
    server.on('connection', (sock) => channel.accept(sock, handlers));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(channel.path, () => resolve());
    });
    return channel;
  }

  private accept(sock: net.Socket, handlers: ChannelHandlers): void {
    const conn: TraceConnection = { id: this.nextId++, pid: 0 };
    const stream = new RecordStream();
    this.sockets.add(sock);
    handlers.opened(conn);
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      this.sockets.delete(sock);
      handlers.closed(conn, stream.leftover > 0);
    };
    sock.on('data', (chunk: Buffer) => {
      let records: RawRecord[];
      try {
        records = stream.push(chunk);
      } catch {
        sock.destroy(); // a corrupt stream cannot be resynchronised
        end();
        return;
      }
      if (records.length) {
        if (!conn.pid) conn.pid = records[0].pid;
        handlers.records(conn, records);
      }
    });
    sock.on('close', end);
    sock.on('error', end);
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
