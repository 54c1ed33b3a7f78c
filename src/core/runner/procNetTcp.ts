import * as fs from 'node:fs';
import type { TcpStateName } from '../protocol/events';
import { ipv6Text } from './names';

/**
 * The kernel's TCP tables as /proc/net/tcp and /proc/net/tcp6 print them (one line per socket; readable without
 * root, no native addon). Columns: `sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …`.
 */
export interface TcpRow {
  state: TcpStateName;
  /** "127.0.0.1:9190", "[::1]:5000", as the runner's events write addresses. */
  local: string;
  peer: string;
  localPort: number;
  /** "local peer": one connection's key, the same after its descriptor is closed and in the runner's call events. */
  tupleKey: string;
  /** LISTEN: connections completed and waiting for accept(); otherwise bytes received and not yet read. */
  rxQueue: number;
  /** Bytes sent and not yet acknowledged (0 for a listener: its backlog is not printed here, `ss` asks sock_diag). */
  txQueue: number;
  /** The timer column `tr:tm->when`: TIME_WAIT prints `03` and the time left in clock ticks (USER_HZ). */
  timerTicks: number;
  /** 0 once no descriptor refers to the socket (TIME_WAIT, a connection still in the accept queue, an orphan). */
  inode: number;
}

/** include/net/tcp_states.h, in the `st` column's numbering. */
const STATE_NAMES: Record<number, TcpStateName> = {
  1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RECV', 4: 'FIN_WAIT1', 5: 'FIN_WAIT2', 6: 'TIME_WAIT', 7: 'CLOSE',
  8: 'CLOSE_WAIT', 9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING', 12: 'NEW_SYN_RECV',
};

/** USER_HZ: the unit of /proc's clock_t columns, 100 on every Linux architecture SockLens runs on. */
const TICK_MS = 10;

export function ticksToMs(ticks: number): number {
  return ticks * TICK_MS;
}

/** "0100007F:1F90" (IPv4: one 32-bit word in host order, little-endian here) → "127.0.0.1:8080". */
function ipv4Address(hex: string): string {
  const word = parseInt(hex.slice(0, 8), 16);
  const port = parseInt(hex.slice(9), 16);
  return `${word & 0xff}.${(word >>> 8) & 0xff}.${(word >>> 16) & 0xff}.${word >>> 24}:${port}`;
}

/** tcp6: four 32-bit words, each in host (little-endian) order → "[::1]:5000", "[::ffff:127.0.0.1]:7". */
function ipv6Address(hex: string): string {
  const bytes = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) bytes.writeUInt32LE(parseInt(hex.slice(w * 8, w * 8 + 8), 16), w * 4);
  const port = parseInt(hex.slice(33), 16);
  return `[${ipv6Text(bytes, 0)}]:${port}`;
}

/** Parses the text of /proc/net/tcp (`v6` false) or /proc/net/tcp6. Lines it cannot read are skipped. */
export function parseTcpTable(text: string, v6: boolean): TcpRow[] {
  const rows: TcpRow[] = [];
  const address = v6 ? ipv6Address : ipv4Address;
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || !cols[0].endsWith(':') || !cols[1].includes(':')) continue;
    const state = STATE_NAMES[parseInt(cols[3], 16)];
    if (!state) continue;
    const [tx, rx] = cols[4].split(':');
    const local = address(cols[1]);
    const peer = address(cols[2]);
    rows.push({
      state,
      local,
      peer,
      localPort: parseInt(cols[1].slice(cols[1].indexOf(':') + 1), 16),
      tupleKey: `${local} ${peer}`,
      rxQueue: parseInt(rx, 16),
      txQueue: parseInt(tx, 16),
      timerTicks: parseInt(cols[5].split(':')[1] ?? '0', 16),
      inode: Number(cols[9]),
    });
  }
  return rows;
}

/** Both tables, IPv4 then IPv6; a table that cannot be read (no IPv6 in the kernel) contributes nothing. */
export function readTcpTables(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    try {
      rows.push(...parseTcpTable(fs.readFileSync(file, 'latin1'), v6));
    } catch {
      // no such table
    }
  }
  return rows;
}

/** The socket inodes a process has open, with their descriptor numbers (empty when it is gone or not ours to read). */
export function socketDescriptors(pid: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let names: string[];
  try {
    names = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const name of names) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      continue; // closed meanwhile
    }
    if (!target.startsWith('socket:[')) continue;
    const inode = Number(target.slice(8, -1));
    const fds = out.get(inode);
    if (fds) fds.push(Number(name));
    else out.set(inode, [Number(name)]);
  }
  return out;
}

/** The command name of a process (`/proc/PID/comm`), or null when it is gone. */
export function processName(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Which processes have the given socket inodes open: every /proc/PID/fd this user may read. */
export function processesHolding(inodes: Set<number>): Map<number, { pid: number; command: string | null }[]> {
  const out = new Map<number, { pid: number; command: string | null }[]>();
  if (inodes.size === 0) return out;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return out;
  }
  for (const name of pids) {
    const pid = Number(name);
    for (const inode of socketDescriptors(pid).keys()) {
      if (!inodes.has(inode)) continue;
      const list = out.get(inode) ?? [];
      if (!list.some((p) => p.pid === pid)) list.push({ pid, command: processName(pid) });
      out.set(inode, list);
    }
  }
  return out;
}
