/**
 * A socket address as the run model keeps it: read once from the event's text ("0.0.0.0:9190", "[::1]:5000",
 * "/tmp/sock", "@abstract"), kept with that text for display, so no consumer parses text again.
 */
export type SocketAddress =
  | { family: 'inet' | 'inet6'; text: string; host: string; port: number }
  | { family: 'unix'; text: string; path: string; abstract: boolean };

export type InetAddress = Extract<SocketAddress, { host: string }>;

const IPV6 = /^\[([^\]]+)\]:(\d{1,5})$/;
const IPV4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;

/** The address behind an event's text; undefined for text that is none of the forms above. */
export function parseAddress(text: string | undefined): SocketAddress | undefined {
  if (text === undefined || text === '') return undefined;
  const v6 = IPV6.exec(text);
  if (v6) return inet('inet6', text, v6[1]!, v6[2]!);
  const v4 = IPV4.exec(text);
  if (v4) return inet('inet', text, v4[1]!, v4[2]!);
  if (text.startsWith('/')) return { family: 'unix', text, path: text, abstract: false };
  if (text.startsWith('@')) return { family: 'unix', text, path: text.slice(1), abstract: true };
  return undefined;
}

function inet(family: 'inet' | 'inet6', text: string, host: string, port: string): InetAddress | undefined {
  const n = Number(port);
  return n <= 65535 ? { family, text, host, port: n } : undefined;
}

export function isInet(address: SocketAddress | undefined): address is InetAddress {
  return address !== undefined && address.family !== 'unix';
}

/** Where a loopback client reaches a server bound to `host`; null for hosts that are not loopback or wildcard. */
export function loopbackFor(host: string): string | null {
  if (host === '0.0.0.0' || host.startsWith('127.')) return host === '0.0.0.0' ? '127.0.0.1' : host;
  if (host === '::' || host === '::1') return '::1';
  if (host === '::ffff:127.0.0.1') return '127.0.0.1';
  return null;
}
