/**
 * Linux (x86_64, glibc) numbers the tracer reports, turned into the names a C programmer writes. The names and
 * values come from the knowledge base (bundled at build time, so decoding reads no files), plus
 * knowledge/decoding.json for names the tracer decodes that the knowledge base does not explain.
 */
import * as os from 'node:os';
import type { Lang } from '../knowledge/schema';
import { uiText } from '../l10n/uiText';
import addressFamilies from '../../../knowledge/constants/address-families.json';
import addrinfo from '../../../knowledge/constants/addrinfo.json';
import epoll from '../../../knowledge/constants/epoll.json';
import fcntl from '../../../knowledge/constants/fcntl.json';
import messageFlags from '../../../knowledge/constants/message-flags.json';
import protocols from '../../../knowledge/constants/protocols.json';
import shutdown from '../../../knowledge/constants/shutdown.json';
import socketOptions from '../../../knowledge/constants/socket-options.json';
import socketTypes from '../../../knowledge/constants/socket-types.json';
import errnos from '../../../knowledge/errno.json';
import decoding from '../../../knowledge/decoding.json';

type Table = Record<number, string>;
type Bits = [number, string][];

/** A constant as the knowledge base (constants/*.json) or the decoding list (decoding.json) holds it. */
interface NamedValue {
  name: string;
  value: number | string;
  aliasOf?: string;
}

const explained = (group: { entries: NamedValue[] }): NamedValue[] => group.entries.filter((e) => !e.aliasOf && typeof e.value === 'number');
const decodingNames = (table: string): NamedValue[] => decoding.names.filter((e) => e.table === table);

function tableOf(entries: NamedValue[]): Table {
  const table: Table = {};
  for (const { name, value } of entries) table[value as number] ??= name;
  return table;
}

/** Flag bits, lowest first, so a flag word always reads the same way. */
function bitsOf(entries: NamedValue[]): Bits {
  return entries.map((e): [number, string] => [e.value as number, e.name]).sort((a, b) => a[0] - b[0]);
}

const valueOf = (entries: NamedValue[], name: string): number => entries.find((e) => e.name === name)?.value as number;

const socketTypeEntries = explained(socketTypes);
const SOCK_NONBLOCK = valueOf(socketTypeEntries, 'SOCK_NONBLOCK');
const SOCK_CLOEXEC = valueOf(socketTypeEntries, 'SOCK_CLOEXEC');
const SOCK_STREAM = valueOf(socketTypeEntries, 'SOCK_STREAM');
const SOCK_DGRAM = valueOf(socketTypeEntries, 'SOCK_DGRAM');
/** The low bits of socket()'s type hold the type; SOCK_NONBLOCK and SOCK_CLOEXEC are flags above them. */
const TYPE_MASK = 0xf;

const FAMILIES = tableOf([...explained(addressFamilies), ...decodingNames('family')]);
const TYPES = tableOf([...socketTypeEntries.filter((e) => (e.value as number) <= TYPE_MASK), ...decodingNames('type')]);
const PROTOCOLS = tableOf([...explained(protocols), ...decodingNames('protocol')]);
const LEVELS = tableOf([...explained(socketOptions).filter((e) => e.name.startsWith('SOL_')), ...explained(protocols)]);

/** Which level an explained option belongs to follows the C naming: SO_ at SOL_SOCKET, TCP_ at IPPROTO_TCP … */
const OPTION_PREFIX_LEVELS: [string, string][] = [['SO_', 'SOL_SOCKET'], ['TCP_', 'IPPROTO_TCP'], ['IPV6_', 'IPPROTO_IPV6'], ['IP_', 'IPPROTO_IP']];
const levelValue = (name: string): number => Number(Object.entries(LEVELS).find(([, n]) => n === name)?.[0]);

function optionTables(): Record<number, Table> {
  const tables: Record<number, Table> = {};
  const add = (levelName: string, entry: NamedValue): void => {
    (tables[levelValue(levelName)] ??= {})[entry.value as number] ??= entry.name;
  };
  for (const entry of explained(socketOptions)) {
    const level = OPTION_PREFIX_LEVELS.find(([prefix]) => entry.name.startsWith(prefix));
    if (level) add(level[1], entry);
  }
  for (const entry of decoding.names) if (entry.table === 'option' && entry.level) add(entry.level, entry);
  return tables;
}
const OPTIONS = optionTables();

const fcntlEntries = explained(fcntl);
const MSG_FLAGS = bitsOf([...explained(messageFlags), ...decodingNames('messageFlag')]);
const O_FLAGS = bitsOf([...fcntlEntries.filter((e) => e.name.startsWith('O_')), ...decodingNames('fileFlag')]);
const FCNTL_CMDS = tableOf([...fcntlEntries.filter((e) => e.name.startsWith('F_')), ...decodingNames('fcntlCommand')]);
const SHUTDOWN_HOW = tableOf(explained(shutdown));
const GAI_ERRORS = tableOf(decodingNames('gaiError'));
const AI_FLAGS = bitsOf([...explained(addrinfo).filter((e) => e.name.startsWith('AI_')), ...decodingNames('addrinfoFlag')]);
const NI_FLAGS = bitsOf(decodingNames('nameinfoFlag'));
const epollEntries = explained(epoll);
const EPOLL_OPS = tableOf(epollEntries.filter((e) => e.name.startsWith('EPOLL_CTL_')));
const EPOLL_EVENTS = bitsOf([...epollEntries.filter((e) => !e.name.includes('_')), ...decodingNames('epollEvent')]);

function named(table: Table, n: number): string {
  return table[n] ?? String(n);
}

/** Flag words repeat (mostly 0 or one value per call site): each table keeps the strings it has built. */
const bitNameCache = new Map<Bits, Map<number, string>>();
const BIT_CACHE_LIMIT = 256;

/** "MSG_PEEK|MSG_DONTWAIT", "0" when none; unknown bits kept as hex. */
function bitNames(bits: Bits, n: number): string {
  let cache = bitNameCache.get(bits);
  if (!cache) bitNameCache.set(bits, (cache = new Map()));
  let text = cache.get(n);
  if (text === undefined) {
    text = bitNamesOf(bits, n);
    if (cache.size < BIT_CACHE_LIMIT) cache.set(n, text);
  }
  return text;
}

function bitNamesOf(bits: Bits, n: number): string {
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
/** Protocol 0 is "the default protocol for the family and type", written 0 (not IPPROTO_IP). */
export const protocolName = (n: number): string => (n === 0 ? '0' : named(PROTOCOLS, n));
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
  const parts = [named(TYPES, n & TYPE_MASK)];
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

export const isStreamType = (n: number): boolean => (n & TYPE_MASK) === SOCK_STREAM;
export const isDatagramType = (n: number): boolean => (n & TYPE_MASK) === SOCK_DGRAM;

/**
 * errno names: the knowledge base's first (of two names for one value, the first listed, as in errno(3):
 * EAGAIN before EWOULDBLOCK), then Node's table of the platform's errno values for the rest.
 */
const ERRNO_NAMES = new Map<number, string>();
for (const { name, value } of [...errnos.entries, ...Object.entries(os.constants.errno).map(([n, v]) => ({ name: n, value: v }))]) {
  if (!ERRNO_NAMES.has(value)) ERRNO_NAMES.set(value, name);
}

export function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `errno ${n}`;
}

const SIGNALS = new Map(decoding.signals.map((s) => [s.name, s]));

/** "segmentation fault" for SIGSEGV (in `lang`); the signal's name when the data has no words for it. */
export function signalWords(signal: string, lang: Lang = 'en'): string {
  return SIGNALS.get(signal)?.[lang] ?? signal;
}

/** "crashed: segmentation fault (SIGSEGV)", "exited with code 0", "terminated (SIGTERM)"; Korean with `lang`. */
export function exitReason(code: number | null, signal: string | null, lang: Lang = 'en'): string {
  const text = uiText(lang);
  if (!signal) return text('exited with code {0}', code ?? 0);
  const words = signalWords(signal, lang);
  return isCrashSignal(signal) ? text('crashed: {0} ({1})', words, signal) : text('{0} ({1})', words, signal);
}

/** Signals that mean the program crashed rather than being asked to stop. */
export const isCrashSignal = (signal: string | null): boolean => signal !== null && SIGNALS.get(signal)?.crash === true;

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
