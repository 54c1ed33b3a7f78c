import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from './processGroup';
import type { TracerRecord } from './records';
import { EventRing, type RingOptions } from './ring';
import { monotonicUs } from './timeOrder';

/** The announcement socket's folder: socklens-chan-<runner pid>-XXXXXX in the temp folder. */
const CHANNEL_DIR_PREFIX = 'socklens-chan-';

/** Removes announcement folders of runners that were killed before they could (their pid is gone). */
function removeStaleChannels(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(CHANNEL_DIR_PREFIX) ? Number(name.slice(CHANNEL_DIR_PREFIX.length).split('-')[0]) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** One traced process image's announcement connection (a process that exec()s connects anew). */
export interface TraceConnection {
  readonly id: number;
  /** The pid it announced; 0 until then. */
  pid: number;
}

export interface ChannelHandlers {
  opened(conn: TraceConnection): void;
  /** A record from the ring, in order (every process's own records in its call order); the view is valid only during the call. */
  record(record: TracerRecord): void;
  /**
   * After every drain (also one that found nothing): every record stamped before `completeUpToUs` (run clock) that
   * was published has been handed over; null when the drain stopped at a slot reserved and not yet published.
   */
  drained(completeUpToUs: number | null): void;
  /** The process ended (or exec()ed): it will publish nothing more from that image. */
  closed(conn: TraceConnection): void;
}

/**
 * How long the runner waits between drains of the ring: soon after a quiet drain, so a program's first events
 * show at once; longer while the program is busy, because every drain costs the traced program CPU (a wake-up of
 * Node alone is about 40 µs on the test machine, and larger batches cost less per record); shorter again for a
 * program so busy that the long wait would let the ring fill, since a full ring makes the program wait.
 */
export const DRAIN_QUIET_MS = 4;
/** The wait while busy: how late a busy program's events can show (20 batches a second). */
export const DRAIN_BUSY_MS = 50;
/** The wait for a program that would fill half the ring in DRAIN_BUSY_MS. */
export const DRAIN_FLOOD_MS = 16;
/** Records in one drain from which the program counts as busy. */
const BUSY_RECORDS = 256;

/** The wait before the next drain, after one that took `records` published over `sinceLastMs`, for a ring of `capacity` slots. */
export function nextDrainDelay(records: number, sinceLastMs: number, capacity: number): number {
  if (records < BUSY_RECORDS) return DRAIN_QUIET_MS;
  const perMs = records / Math.max(sinceLastMs, 1);
  return perMs * DRAIN_BUSY_MS <= capacity / 2 ? DRAIN_BUSY_MS : DRAIN_FLOOD_MS;
}

/** Calls `drain` (how many records it took) again and again, spaced as above, until stopped. Never keeps Node alive. */
export function drainRepeatedly(drain: () => number, capacity: number): { stop(): void } {
  let timer: NodeJS.Timeout;
  let stopped = false;
  let last = performance.now();
  const tick = (): void => {
    let records = 0;
    try {
      records = drain();
    } finally {
      // a drain's consumer may have stopped the repetition itself
      if (!stopped) {
        const now = performance.now();
        timer = setTimeout(tick, nextDrainDelay(records, now - last, capacity)).unref();
        last = now;
      }
    }
  };
  timer = setTimeout(tick, DRAIN_QUIET_MS).unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * The tracer's way to the runner: records go into a shared-memory ring (ring.ts), drained every few
 * milliseconds (drainRepeatedly); each traced process also announces its pid on a Unix socket and keeps that connection open
 * until it ends, so the runner knows which traced processes are alive (also those that left the group).
 */
export class EventChannel {
  /** The announcement socket. */
  readonly path: string;
  readonly ring: EventRing;
  private readonly dir: string;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly handlers: ChannelHandlers;
  private readonly drains: { stop(): void };
  private nextId = 1;
  private closed = false;

  private constructor(dir: string, server: net.Server, ring: EventRing, handlers: ChannelHandlers) {
    this.dir = dir;
    this.path = path.join(dir, 'events.sock');
    this.server = server;
    this.ring = ring;
    this.handlers = handlers;
    // the program's own handles keep the process alive while it runs; the drain timer must not
    this.drains = drainRepeatedly(() => this.drain(), ring.slots);
  }

  static async open(handlers: ChannelHandlers, ringOptions?: RingOptions): Promise<EventChannel> {
    removeStaleChannels(os.tmpdir());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${CHANNEL_DIR_PREFIX}${process.pid}-`));
    const ring = EventRing.create(ringOptions);
    const server = net.createServer();
    const channel = new EventChannel(dir, server, ring, handlers);
    server.on('connection', (sock) => channel.accept(sock));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(channel.path, () => resolve());
      });
    } catch (err) {
      channel.close();
      throw err;
    }
    return channel;
  }

  /** What the traced program's environment needs. */
  get env(): { SOCKLENS_SOCK: string; SOCKLENS_RING: string } {
    return { SOCKLENS_SOCK: this.path, SOCKLENS_RING: this.ring.path };
  }

  /**
   * Hands every record published so far to `record`, then calls `drained`; returns how many there were. `final`: no traced process is left, so
   * slots reserved by one that was killed before publishing are skipped instead of waited for.
   */
  drain(final = false): number {
    if (this.closed) return 0;
    const startedUs = monotonicUs();
    const records = this.ring.drain(this.onRecord, final);
    this.handlers.drained(this.ring.pending ? null : startedUs);
    return records;
  }

  private readonly onRecord = (record: TracerRecord): void => this.handlers.record(record);

  /** Slots reserved and not yet handed over (as of the last drain). */
  get pending(): boolean {
    return this.ring.pending;
  }

  private accept(sock: net.Socket): void {
    const conn: TraceConnection = { id: this.nextId++, pid: 0 };
    this.sockets.add(sock);
    this.handlers.opened(conn);
    let announced = Buffer.alloc(0);
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      this.sockets.delete(sock);
      this.handlers.closed(conn);
    };
    sock.on('data', (chunk: Buffer) => {
      if (conn.pid) return;
      announced = Buffer.concat([announced, chunk]);
      if (announced.length >= 4) conn.pid = announced.readUInt32LE(0);
    });
    sock.on('close', end);
    sock.on('error', end);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drains.stop();
    for (const s of this.sockets) s.destroy();
    this.server.close();
    this.ring.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
