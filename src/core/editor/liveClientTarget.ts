import type { SockLensEvent } from '../protocol/events';
import { loopbackFor, splitAddress } from '../runner/ports';

export type LiveTransport = 'tcp' | 'udp';

/** Where a panel test client should go, or why it cannot. */
export type LiveClientTarget =
  | { ok: true; transport: LiveTransport; host: string; port: number; /** As the program bound it, e.g. "0.0.0.0:9190". */ address: string }
  | { ok: false; reason: 'not-listening' }
  | { ok: false; reason: 'not-loopback'; address: string };

const key = (pid: number, fd: number): string => `${pid}:${fd}`;

/**
 * Picks the address the panel's Connect should reach from a run's events: the first TCP listening address,
 * else the first address a datagram (UDP) socket was bound to — the same choice the panel shows as its
 * target. Wildcard binds are reached over loopback (0.0.0.0 → 127.0.0.1, :: → ::1).
 */
export function liveClientTarget(events: Iterable<SockLensEvent>): LiveClientTarget {
  /** Descriptors created as datagram sockets, per process ("pid:fd"). */
  const datagram = new Set<string>();
  let udpBound: string | undefined;
  let listening: string | undefined;
  for (const ev of events) {
    if (ev.kind === 'process-started' && ev.ppid !== null) {
      // a forked child inherits its parent's descriptors
      for (const k of [...datagram]) if (k.startsWith(`${ev.ppid}:`)) datagram.add(key(ev.pid, Number(k.slice(k.indexOf(':') + 1))));
      continue;
    }
    if (ev.kind !== 'call' || ev.errno !== null || ev.ret < 0) continue;
    switch (ev.call) {
      case 'socket': {
        const k = key(ev.pid, ev.newFd ?? ev.ret);
        if (String(ev.args.type ?? '').includes('SOCK_DGRAM')) datagram.add(k);
        else datagram.delete(k);
        break;
      }
      case 'close':
        if (ev.fd !== null) datagram.delete(key(ev.pid, ev.fd));
        break;
      case 'bind':
        if (udpBound === undefined && ev.fd !== null && datagram.has(key(ev.pid, ev.fd)) && hasPort(ev.local)) udpBound = ev.local;
        break;
      case 'listen':
        if (listening === undefined && hasPort(ev.local)) listening = ev.local;
        break;
      default:
        break;
    }
    if (listening !== undefined) break;
  }
  const address = listening ?? udpBound;
  if (address === undefined) return { ok: false, reason: 'not-listening' };
  const parts = splitAddress(address)!;
  const host = loopbackFor(parts.host);
  if (!host) return { ok: false, reason: 'not-loopback', address };
  return { ok: true, transport: listening !== undefined ? 'tcp' : 'udp', host, port: parts.port, address };
}

function hasPort(address: string | undefined): address is string {
  const parts = address !== undefined ? splitAddress(address) : null;
  return parts !== null && parts.port !== 0;
}
