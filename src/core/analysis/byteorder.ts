import type { Expr } from './expr';
import type { ByteOrderMistake, Value } from './model';

/**
 * What a network-order field really stores, computed the way the program computes it on Linux x86_64
 * (little-endian): `htonl(inet_addr("127.0.0.1"))` swaps an address that was already in network order and
 * stores 1.0.0.127; `sin_port = htonl(9190)` keeps the low 16 bits of a 32-bit swap, port 0.
 */
interface Computed {
  /** The C value, as an unsigned 32-bit number. */
  value: number;
  /** The conversion functions applied, innermost first. */
  conversions: string[];
  networkOrder: boolean;
  /** A conversion was applied to a value already in network order. */
  doubled: boolean;
}

const LONG = new Set(['htonl', 'ntohl']);
const SHORT = new Set(['htons', 'ntohs']);

function swap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

function swap16(n: number): number {
  return ((n & 0xff) << 8) | ((n >>> 8) & 0xff);
}

/** inet_addr()'s result: the address's bytes in memory order, read as a little-endian number. */
function inetAddr(dotted: string): number | undefined {
  const parts = dotted.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return (parts[0] | (parts[1] << 8) | (parts[2] << 16) | (parts[3] << 24)) >>> 0;
}

export function compute(expr: Expr, resolve: (e: Expr) => Value, depth = 0): Computed | undefined {
  if (depth > 8) return undefined;
  if (expr.k === 'cast') return compute(expr.expr, resolve, depth + 1);
  if (expr.k === 'call' && expr.args.length === 1 && (LONG.has(expr.callee) || SHORT.has(expr.callee))) {
    const inner = compute(expr.args[0], resolve, depth + 1);
    if (!inner) return undefined;
    const value = LONG.has(expr.callee) ? swap32(inner.value) : swap16(inner.value & 0xffff);
    return { value, conversions: [...inner.conversions, expr.callee], networkOrder: !inner.networkOrder, doubled: inner.doubled || inner.networkOrder };
  }
  if (expr.k === 'call' && expr.callee === 'inet_addr' && expr.args.length === 1) {
    const text = resolve(expr.args[0]);
    const value = text.kind === 'string' ? inetAddr(text.value) : undefined;
    return value === undefined ? undefined : { value, conversions: ['inet_addr'], networkOrder: true, doubled: false };
  }
  const value = resolve(expr);
  const n = value.kind === 'number' ? value.value : value.kind === 'constant' && typeof value.value === 'number' ? value.value : undefined;
  if (n === undefined || !Number.isInteger(n)) return undefined;
  return { value: n >>> 0, conversions: [], networkOrder: false, doubled: false };
}

function mistakeOf(computed: Computed, wrongWidth: Set<string>, symmetric: boolean): ByteOrderMistake | undefined {
  if (computed.conversions.some((c) => wrongWidth.has(c))) return wrongWidth === LONG ? 'portWithHtonl' : 'addressWithHtons';
  if (computed.doubled) return 'double';
  if (computed.conversions.length === 0 && !symmetric) return 'missing';
  return undefined;
}

/** The port a `sin_port = expr` stores (ntohs of the low 16 bits), with the mistake that got it there. */
export function storedPort(computed: Computed): { port: number; mistake?: ByteOrderMistake } {
  const stored = computed.value & 0xffff;
  const port = swap16(stored);
  return { port, mistake: mistakeOf(computed, LONG, port === stored) };
}

/** The dotted address a `s_addr = expr` stores (its bytes in memory order), with the mistake that got it there. */
export function storedAddress(computed: Computed): { address: string; mistake?: ByteOrderMistake } {
  const v = computed.value >>> 0;
  const address = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24].join('.');
  return { address, mistake: mistakeOf(computed, SHORT, swap32(v) === v) };
}
