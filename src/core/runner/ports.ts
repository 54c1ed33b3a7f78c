import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { isInet, parseAddress } from '../model/address';
import type { ProblemHolder } from '../protocol/events';
import { runCommand } from './compiler';

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

/** TCP states of the sockets bound to local `port`, from /proc/net/tcp and tcp6 ("0A" LISTEN, "06" TIME_WAIT …). */
function tcpStatesOn(port: number): string[] {
  const states: string[] = [];
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (let i = text.indexOf(hex); i >= 0; i = text.indexOf(hex, i + 1)) {
      // only the local address column: "  12: 0100007F:1F90 00000000:0000 0A …"
      const lineStart = text.lastIndexOf('\n', i) + 1;
      const cols = text.slice(lineStart, text.indexOf('\n', i)).trim().split(/\s+/);
      if (cols[1]?.endsWith(hex.trim())) states.push(cols[3]);
    }
  }
  return states;
}

/**
 * The program no longer holds `port`: it can be bound, or only TIME_WAIT connections are left on it (kernel
 * state that outlives every process; a server without SO_REUSEADDR must wait for it, see the EADDRINUSE advice).
 */
export async function portReleased(host: string, port: number, udp = false): Promise<boolean> {
  if (await canBind(host, port, udp)) return true;
  if (udp) return false;
  const states = tcpStatesOn(port);
  return states.length > 0 && states.every((s) => s === '06');
}

/** `users:(("hello_server",pid=123,fd=3))` → holders. */
function parseUsers(text: string, state: string): ProblemHolder[] {
  const out: ProblemHolder[] = [];
  for (const m of text.matchAll(/\("([^"]*)",pid=(\d+),fd=\d+\)/g)) out.push({ pid: Number(m[2]), command: m[1], state });
  return out;
}

const PROC_TCP_STATES: Record<string, string> = { '01': 'ESTAB', '06': 'TIME-WAIT', '08': 'CLOSE-WAIT', '0A': 'LISTEN', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2' };

function holdersFromProc(port: number): ProblemHolder[] {
  const out: ProblemHolder[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const localPort = parseInt(cols[1].split(':')[1] ?? '', 16);
      if (localPort === port) out.push({ pid: null, command: null, state: PROC_TCP_STATES[cols[3]] ?? cols[3] });
    }
  }
  return out;
}

/** Who holds local TCP `port`: listeners with their process when `ss` can tell, and connections in TIME-WAIT. */
export async function portHolders(port: number, udp = false): Promise<ProblemHolder[]> {
  const res = await runCommand('ss', ['-Hanp', udp ? '-u' : '-t', 'sport', '=', `:${port}`]);
  if (res.code !== 0) return udp ? [] : holdersFromProc(port);
  const out: ProblemHolder[] = [];
  for (const line of res.stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const state = udp ? 'UNCONN' : cols[0];
    const users = parseUsers(line, state);
    out.push(...(users.length ? users : [{ pid: null, command: null, state }]));
  }
  return out;
}
