import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { isInet, parseAddress } from '../model/address';
import type { ProblemHolder, TcpStateName } from '../protocol/events';
import { runCommand } from './compiler';
import { processesHolding, readTcpTables, ticksToMs } from './procNetTcp';

/** A TCP port free on all IPv4 addresses right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** "0.0.0.0:9190" → { host: "0.0.0.0", port: 9190 }; "[::1]:5000" → { host: "::1", port: 5000 }. */
export function splitAddress(address: string): { host: string; port: number } | null {
  const parsed = parseAddress(address);
  return isInet(parsed) ? { host: parsed.host, port: parsed.port } : null;
}

export { loopbackFor } from '../model/address';

/** True when a TCP server (or UDP socket) could bind `host:port` now (with SO_REUSEADDR, as servers do). */
export function canBind(host: string, port: number, udp = false): Promise<boolean> {
  return new Promise((resolve) => {
    if (udp) {
      const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', () => resolve(false));
      sock.bind({ port, address: host, exclusive: true }, () => sock.close(() => resolve(true)));
      return;
    }
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * The program no longer holds `port`: it can be bound, or only TIME_WAIT connections are left on it (kernel
 * state that outlives every process; a server without SO_REUSEADDR must wait for it, see the EADDRINUSE advice).
 */
export async function portReleased(host: string, port: number, udp = false): Promise<boolean> {
  if (await canBind(host, port, udp)) return true;
  if (udp) return false;
  const rows = readTcpTables().filter((row) => row.localPort === port);
  return rows.length > 0 && rows.every((row) => row.state === 'TIME_WAIT');
}

/** `ss` spells the states with dashes and shortens two: the holder's `state` keeps its spelling. */
const SS_STATE_NAMES: Partial<Record<TcpStateName, string>> = {
  ESTABLISHED: 'ESTAB', SYN_SENT: 'SYN-SENT', SYN_RECV: 'SYN-RECV', FIN_WAIT1: 'FIN-WAIT-1', FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT', CLOSE_WAIT: 'CLOSE-WAIT', LAST_ACK: 'LAST-ACK', CLOSE: 'UNCONN',
};

/**
 * Who holds local TCP `port`, from /proc/net/tcp{,6}: each socket's process (name and pid, from /proc/PID/fd)
 * and one entry for all connections in TIME_WAIT, with how many and when the last expires. A socket whose
 * process this user may not look into has pid and command null.
 */
export function tcpPortHolders(port: number): ProblemHolder[] {
  const rows = readTcpTables().filter((row) => row.localPort === port);
  const owners = processesHolding(new Set(rows.map((row) => row.inode).filter((inode) => inode !== 0)));
  const out: ProblemHolder[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.state === 'TIME_WAIT') continue;
    const state = SS_STATE_NAMES[row.state] ?? row.state;
    for (const owner of owners.get(row.inode) ?? [{ pid: null, command: null }]) {
      const key = `${owner.pid}:${state}`;
      if (!seen.has(key)) out.push({ pid: owner.pid, command: owner.command, state });
      seen.add(key);
    }
  }
  const waiting = rows.filter((row) => row.state === 'TIME_WAIT');
  if (waiting.length) {
    const expiresInMs = Math.max(...waiting.map((row) => ticksToMs(row.timerTicks)));
    out.push({ pid: null, command: null, state: 'TIME-WAIT', connections: waiting.length, expiresInMs });
  }
  return out;
}

/** What a run about to start on `port` would meet: nothing, only TIME_WAIT connections, or sockets of processes. */
export type PortCheck =
  | { port: number; status: 'free' }
  | { port: number; status: 'time-wait'; connections: number; expiresInMs: number }
  | { port: number; status: 'held'; holders: ProblemHolder[] };

/** Before a run: whether a server could bind TCP `port` without SO_REUSEADDR (any socket on it, even TIME_WAIT, blocks that). */
export function checkPort(port: number): PortCheck {
  const holders = tcpPortHolders(port);
  if (holders.length === 0) return { port, status: 'free' };
  const [only] = holders;
  if (holders.length === 1 && only.state === 'TIME-WAIT') {
    return { port, status: 'time-wait', connections: only.connections ?? 1, expiresInMs: only.expiresInMs ?? 0 };
  }
  return { port, status: 'held', holders };
}

/** `users:(("hello_server",pid=123,fd=3))` → holders. */
function parseUsers(text: string, state: string): ProblemHolder[] {
  const out: ProblemHolder[] = [];
  for (const m of text.matchAll(/\("([^"]*)",pid=(\d+),fd=\d+\)/g)) out.push({ pid: Number(m[2]), command: m[1], state });
  return out;
}

/** UDP sockets bound to `port`, with their process when `ss -p` can tell. */
async function udpPortHolders(port: number): Promise<ProblemHolder[]> {
  const res = await runCommand('ss', ['-Hanpu', 'sport', '=', `:${port}`]);
  if (res.code !== 0) return [];
  const out: ProblemHolder[] = [];
  for (const line of res.stdout.split('\n')) {
    if (line.trim().split(/\s+/).length < 5) continue;
    const users = parseUsers(line, 'UNCONN');
    out.push(...(users.length ? users : [{ pid: null, command: null, state: 'UNCONN' }]));
  }
  return out;
}

/** Who holds local `port`: TCP from /proc (see tcpPortHolders), UDP from `ss`. */
export async function portHolders(port: number, udp = false): Promise<ProblemHolder[]> {
  return udp ? udpPortHolders(port) : tcpPortHolders(port);
}
