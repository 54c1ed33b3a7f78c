import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import type { SourceLocation } from '../protocol/events';

interface Frame {
  function: string;
  file: string;
  line: number;
}

/** Past any address a program has; its answer only marks the end of the batch before it. */
const SENTINEL = '0xffffffffffffffff';

/**
 * Maps code offsets of one executable to source lines with `addr2line -a -f -i` kept running as a coprocess,
 * caching by address. With inlined frames the innermost frame in a file under `preferDir` wins.
 */
export class SourceLines {
  private proc: ChildProcessWithoutNullStreams | null = null;
  private readonly cache = new Map<number, SourceLocation | null>();
  private readonly waiting = new Map<number, ((loc: SourceLocation | null) => void)[]>();
  /** Addresses written and not yet answered, in order. */
  private readonly inFlight: number[] = [];
  private partial = '';
  private current: { pc: number | null; frames: Frame[]; fn: string | null } | null = null;
  private failed = false;

  constructor(
    private readonly binary: string,
    private readonly preferDir: string,
  ) {}

  /** The cached answer: a location, null when there is none, undefined when not looked up yet. */
  cached(pc: number): SourceLocation | null | undefined {
    return this.cache.get(pc);
  }

  lookup(pc: number): Promise<SourceLocation | null> {
    const known = this.cache.get(pc);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const list = this.waiting.get(pc);
      if (list) {
        list.push(resolve);
        return;
      }
      this.waiting.set(pc, [resolve]);
      if (!this.start()) {
        this.settle(pc, null);
        return;
      }
      this.inFlight.push(pc);
      this.proc!.stdin.write(`0x${pc.toString(16)}\n${SENTINEL}\n`);
    });
  }

  close(): void {
    this.proc?.stdin.end();
    this.proc?.kill();
    this.proc = null;
    for (const pc of [...this.waiting.keys()]) this.settle(pc, null);
  }

  private start(): boolean {
    if (this.proc) return true;
    if (this.failed) return false;
    const proc = spawn('addr2line', ['-a', '-f', '-i', '-e', this.binary], { stdio: ['pipe', 'pipe', 'pipe'] });
    proc.on('error', () => this.fail());
    proc.on('exit', () => {
      if (this.proc === proc) this.fail();
    });
    proc.stdin.on('error', () => this.fail());
    proc.stdout.setEncoding('utf8').on('data', (d: string) => this.onData(d));
    proc.stderr.resume();
    this.proc = proc;
    return true;
  }

  /** addr2line missing or gone: answer everything with "no location" from now on. */
  private fail(): void {
    this.failed = true;
    this.proc = null;
    this.inFlight.length = 0;
    for (const pc of [...this.waiting.keys()]) this.settle(pc, null);
  }

  private onData(d: string): void {
    const lines = (this.partial + d).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  private onLine(line: string): void {
    if (/^0x[0-9a-f]+$/i.test(line)) {
      this.finishCurrent();
      const isSentinel = line.toLowerCase() === SENTINEL;
      this.current = { pc: isSentinel ? null : (this.inFlight.shift() ?? null), frames: [], fn: null };
      return;
    }
    const cur = this.current;
    if (!cur || cur.pc === null) return;
    if (cur.fn === null) {
      cur.fn = line;
      return;
    }
    const m = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?(?: \(inlined by\))?$/.exec(line.trim());
    if (m) cur.frames.push({ function: cur.fn, file: m[1], line: m[2] === '?' ? 0 : Number(m[2]) });
    cur.fn = null;
  }

  private finishCurrent(): void {
    const cur = this.current;
    this.current = null;
    if (!cur || cur.pc === null) return;
    this.settle(cur.pc, this.choose(cur.frames));
  }

  private choose(frames: Frame[]): SourceLocation | null {
    const known = frames.filter((f) => f.line > 0 && f.file !== '??');
    const preferred = known.find((f) => f.file.startsWith(this.preferDir + path.sep)) ?? known[0];
    return preferred ? { file: preferred.file, line: preferred.line, function: preferred.function } : null;
  }

  private settle(pc: number, loc: SourceLocation | null): void {
    this.cache.set(pc, loc);
    const list = this.waiting.get(pc);
    this.waiting.delete(pc);
    for (const resolve of list ?? []) resolve(loc);
  }
}
