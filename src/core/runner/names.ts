/** Linux (x86_64, glibc) numbers the tracer reports, turned into the names a C programmer writes. */
import * as os from 'node:os';

const FAMILIES: Record<number, string> = { 0: 'AF_UNSPEC', 1: 'AF_UNIX', 2: 'AF_INET', 10: 'AF_INET6', 16: 'AF_NETLINK', 17: 'AF_PACKET' };
const TYPES: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 4: 'SOCK_RDM', 5: 'SOCK_SEQPACKET' };
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const PROTOCOLS: Record<number, string> = { 0: '0', 1: 'IPPROTO_ICMP', 6: 'IPPROTO_TCP', 17: 'IPPROTO_UDP', 58: 'IPPROTO_ICMPV6', 132: 'IPPROTO_SCTP' };
const LEVELS: Record<number, string> = { 0: 'IPPROTO_IP', 1: 'SOL_SOCKET', 6: 'IPPROTO_TCP', 17: 'IPPROTO_UDP', 41: 'IPPROTO_IPV6' };
const OPTIONS: Record<number, Record<number, string>> = {
  1: {
    1: 'SO_DEBUG', 2: 'SO_REUSEADDR', 3: 'SO_TYPE', 4: 'SO_ERROR', 5: 'SO_DONTROUTE', 6: 'SO_BROADCAST', 7: 'SO_SNDBUF',
    8: 'SO_RCVBUF', 9: 'SO_KEEPALIVE', 10: 'SO_OOBINLINE', 12: 'SO_PRIORITY', 13: 'SO_LINGER', 15: 'SO_REUSEPORT',
    16: 'SO_PASSCRED', 17: 'SO_PEERCRED', 18: 'SO_RCVLOWAT', 19: 'SO_SNDLOWAT', 20: 'SO_RCVTIMEO', 21: 'SO_SNDTIMEO',
    25: 'SO_BINDTODEVICE', 29: 'SO_TIMESTAMP', 30: 'SO_ACCEPTCONN',
  },
  6: { 1: 'TCP_NODELAY', 2: 'TCP_MAXSEG', 3: 'TCP_CORK', 4: 'TCP_KEEPIDLE', 5: 'TCP_KEEPINTVL', 6: 'TCP_KEEPCNT', 9: 'TCP_DEFER_ACCEPT', 12: 'TCP_QUICKACK', 23: 'TCP_FASTOPEN' },
  0: { 1: 'IP_TOS', 2: 'IP_TTL', 32: 'IP_MULTICAST_IF', 33: 'IP_MULTICAST_TTL', 34: 'IP_MULTICAST_LOOP', 35: 'IP_ADD_MEMBERSHIP', 36: 'IP_DROP_MEMBERSHIP' },
  41: { 16: 'IPV6_UNICAST_HOPS', 26: 'IPV6_V6ONLY' },
};
const MSG_FLAGS: [number, string][] = [
  [0x1, 'MSG_OOB'], [0x2, 'MSG_PEEK'], [0x4, 'MSG_DONTROUTE'], [0x8, 'MSG_CTRUNC'], [0x20, 'MSG_TRUNC'], [0x40, 'MSG_DONTWAIT'],
  [0x80, 'MSG_EOR'], [0x100, 'MSG_WAITALL'], [0x800, 'MSG_CONFIRM'], [0x4000, 'MSG_NOSIGNAL'], [0x8000, 'MSG_MORE'],
];
const O_FLAGS: [number, string][] = [[0o4000, 'O_NONBLOCK'], [0o2000, 'O_APPEND'], [0o20000, 'O_ASYNC'], [0o2, 'O_RDWR'], [0o1, 'O_WRONLY']];
const FCNTL_CMDS: Record<number, string> = { 0: 'F_DUPFD', 4: 'F_SETFL', 8: 'F_SETOWN', 1030: 'F_DUPFD_CLOEXEC' };
const SHUTDOWN_HOW: Record<number, string> = { 0: 'SHUT_RD', 1: 'SHUT_WR', 2: 'SHUT_RDWR' };
const EPOLL_OPS: Record<number, string> = { 1: 'EPOLL_CTL_ADD', 2: 'EPOLL_CTL_DEL', 3: 'EPOLL_CTL_MOD' };
const EPOLL_EVENTS: [number, string][] = [
  [0x1, 'EPOLLIN'], [0x2, 'EPOLLPRI'], [0x4, 'EPOLLOUT'], [0x8, 'EPOLLERR'], [0x10, 'EPOLLHUP'], [0x2000, 'EPOLLRDHUP'],
  [0x10000000, 'EPOLLEXCLUSIVE'], [0x40000000, 'EPOLLONESHOT'], [0x80000000, 'EPOLLET'],
];
/** getaddrinfo/getnameinfo results (glibc's netdb.h). */
const GAI_ERRORS: Record<number, string> = {
  [-1]: 'EAI_BADFLAGS', [-2]: 'EAI_NONAME', [-3]: 'EAI_AGAIN', [-4]: 'EAI_FAIL', [-5]: 'EAI_NODATA', [-6]: 'EAI_FAMILY',
  [-7]: 'EAI_SOCKTYPE', [-8]: 'EAI_SERVICE', [-9]: 'EAI_ADDRFAMILY', [-10]: 'EAI_MEMORY', [-11]: 'EAI_SYSTEM', [-12]: 'EAI_OVERFLOW',
};
const AI_FLAGS: [number, string][] = [
  [0x1, 'AI_PASSIVE'], [0x2, 'AI_CANONNAME'], [0x4, 'AI_NUMERICHOST'], [0x8, 'AI_V4MAPPED'], [0x10, 'AI_ALL'],
  [0x20, 'AI_ADDRCONFIG'], [0x400, 'AI_NUMERICSERV'],
];
const NI_FLAGS: [number, string][] = [[0x1, 'NI_NUMERICHOST'], [0x2, 'NI_NUMERICSERV'], [0x4, 'NI_NOFQDN'], [0x8, 'NI_NAMEREQD'], [0x10, 'NI_DGRAM']];

function named(table: Record<number, string>, n: number): string {
  return table[n] ?? String(n);
}

/** Flag words repeat (mostly 0 or one value per call site): each table keeps the strings it has built. */
const bitNameCache = new Map<[number, string][], Map<number, string>>();
const BIT_CACHE_LIMIT = 256;

/** "MSG_PEEK|MSG_DONTWAIT", "0" when none; unknown bits kept as hex. */
function bitNames(bits: [number, string][], n: number): string {
  let cache = bitNameCache.get(bits);
  if (!cache) bitNameCache.set(bits, (cache = new Map()));
  let text = cache.get(n);
  if (text === undefined) {
    text = bitNamesOf(bits, n);
    if (cache.size < BIT_CACHE_LIMIT) cache.set(n, text);
  }
  return text;
}

function bitNamesOf(bits: [number, string][], n: number): string {
  const names: string[] = [];
  let rest = n >>> 0;
  for (const [bit, name] of bits) {
    if (rest & bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join('|') : '0';
}

export const familyName = (n: number): string => named(FAMILIES, n);
export const protocolName = (n: number): string => named(PROTOCOLS, n);
export const levelName = (n: number): string => named(LEVELS, n);
export const optionName = (level: number, n: number): string => named(OPTIONS[level] ?? {}, n);
export const msgFlagNames = (n: number): string => bitNames(MSG_FLAGS, n);
export const fileFlagNames = (n: number): string => bitNames(O_FLAGS, n);
export const fcntlCommandName = (n: number): string => named(FCNTL_CMDS, n);
export const shutdownName = (n: number): string => named(SHUTDOWN_HOW, n);
export const epollOpName = (n: number): string => named(EPOLL_OPS, n);
export const epollEventNames = (n: number): string => bitNames(EPOLL_EVENTS, n);
export const gaiErrorName = (n: number): string => named(GAI_ERRORS, n);
export const addrinfoFlagNames = (n: number): string => bitNames(AI_FLAGS, n);
export const nameinfoFlagNames = (n: number): string => bitNames(NI_FLAGS, n);

/** "SOCK_STREAM", "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC". */
export function typeName(n: number): string {
  const parts = [named(TYPES, n & 0xf)];
  if (n & SOCK_NONBLOCK) parts.push('SOCK_NONBLOCK');
  if (n & SOCK_CLOEXEC) parts.push('SOCK_CLOEXEC');
  return parts.join('|');
}

export function socketFlagNames(n: number): string {
  const parts: string[] = [];
  if (n & SOCK_NONBLOCK) parts.push('SOCK_NONBLOCK');
  if (n & SOCK_CLOEXEC) parts.push('SOCK_CLOEXEC');
  return parts.length ? parts.join('|') : '0';
}

export const isStreamType = (n: number): boolean => (n & 0xf) === 1;

const ERRNO_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  // Linux aliases: keep the name programs and man pages use most.
  if (!ERRNO_NAMES.has(value) || name === 'EAGAIN' || name === 'EDEADLK' || name === 'ENOTSUP') ERRNO_NAMES.set(value, name);
}
ERRNO_NAMES.set(11, 'EAGAIN');

export function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `errno ${n}`;
}

const SIGNAL_WORDS: Record<string, string> = {
  SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGBUS: 'bus error', SIGFPE: 'arithmetic error', SIGILL: 'illegal instruction',
  SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupted', SIGPIPE: 'broken pipe (wrote to a closed connection)',
  SIGHUP: 'hang-up', SIGQUIT: 'quit', SIGTRAP: 'trace trap', SIGSYS: 'bad system call', SIGXCPU: 'CPU time limit exceeded',
};

/** Signals that mean the program crashed rather than being asked to stop. */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGTRAP', 'SIGSYS']);

/** "crashed: segmentation fault (SIGSEGV)", "exited with code 0", "terminated (SIGTERM)". */
export function exitReason(code: number | null, signal: string | null): string {
  if (signal) {
    const words = SIGNAL_WORDS[signal] ?? signal.toLowerCase();
    return CRASH_SIGNALS.has(signal) ? `crashed: ${words} (${signal})` : `${words} (${signal})`;
  }
  return `exited with code ${code ?? 0}`;
}

export const isCrashSignal = (signal: string | null): boolean => signal !== null && CRASH_SIGNALS.has(signal);

/** Printable text with \n, \r, \t, \\ and \xNN escapes, of b[start, end). */
export function previewText(b: Buffer, start = 0, end = b.length): string {
  // printable runs are taken whole: most payloads are plain text with at most a line end to escape
  let s = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f && c !== 0x5c) continue;
    if (i > run) s += b.toString('latin1', run, i);
    run = i + 1;
    if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c === 0x5c) s += '\\\\';
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return run < end ? s + b.toString('latin1', run, end) : s;
}

/** The 16 bytes of an IPv6 address at b[off] as inet_ntop writes them ("::1", "::ffff:127.0.0.1"). */
export function ipv6Text(b: Buffer, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(off + i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * "a.b.c.d:" for IPv4 addresses seen recently: a connection's address repeats in its events and loopback servers
 * see one or two addresses, so the text is built once instead of through a chain of intermediate strings.
 */
const ipv4Prefixes = new Map<number, string>();
const IPV4_PREFIX_LIMIT = 256;

function ipv4Prefix(b: Buffer, off: number): string {
  const key = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  let text = ipv4Prefixes.get(key);
  if (text === undefined) {
    text = `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}:`;
    if (ipv4Prefixes.size >= IPV4_PREFIX_LIMIT) ipv4Prefixes.clear();
    ipv4Prefixes.set(key, text);
  }
  return text;
}

/** The struct sockaddr in b[start, end) as people write it: "0.0.0.0:9190", "[::1]:5000", a Unix path; null for none. */
export function sockaddrText(b: Buffer, start = 0, end = b.length): string | null {
  const n = end - start;
  if (n < 2) return null;
  const family = b[start] | (b[start + 1] << 8);
  const port = (b[start + 2] << 8) | b[start + 3];
  if (family === 2 && n >= 8) return ipv4Prefix(b, start + 4) + port;
  if (family === 10 && n >= 24) return `[${ipv6Text(b, start + 8)}]:${port}`;
  if (family === 1) {
    if (n <= 2) return '(unnamed)';
    if (b[start + 2] === 0) return `@${b.toString('latin1', start + 3, end).replace(/\0+$/, '')}`;
    const nul = b.indexOf(0, start + 2);
    return b.toString('utf8', start + 2, nul < 0 || nul > end ? end : nul);
  }
  if (family === 0) return null;
  return `(${familyName(family)})`;
}
