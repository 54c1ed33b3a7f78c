import { baseVariable, memberPath, parseExpression, type Expr } from './expr';
import type { CallSite, Declaration, Endpoint, HostSource, PortSource, SocketRole, Value } from './model';
import { compute, storedAddress, storedPort } from './byteorder';
import { reachingValue } from './flow';
import type { FileAnalysis, Scope } from './scope';
import { correctSpelling } from './spelling';

const MAX_DEPTH = 8;

/** Well-known addresses by constant name; independent of how the knowledge base words them. */
export const ADDRESS_CONSTANTS: Record<string, { kind: 'ipv4' | 'ipv6'; address: string }> = {
  INADDR_ANY: { kind: 'ipv4', address: '0.0.0.0' },
  INADDR_LOOPBACK: { kind: 'ipv4', address: '127.0.0.1' },
  INADDR_BROADCAST: { kind: 'ipv4', address: '255.255.255.255' },
  INADDR_NONE: { kind: 'ipv4', address: '255.255.255.255' },
  in6addr_any: { kind: 'ipv6', address: '::' },
  in6addr_loopback: { kind: 'ipv6', address: '::1' },
  IN6ADDR_ANY_INIT: { kind: 'ipv6', address: '::' },
  IN6ADDR_LOOPBACK_INIT: { kind: 'ipv6', address: '::1' },
};

const PRIMITIVE_SIZES: Record<string, number> = {
  char: 1, 'unsigned char': 1, short: 2, 'unsigned short': 2, int: 4, 'unsigned int': 4, unsigned: 4, long: 8,
  'unsigned long': 8, 'long long': 8, float: 4, double: 8, socklen_t: 4, size_t: 8, ssize_t: 8, uint16_t: 2,
  uint32_t: 4, in_port_t: 2, in_addr_t: 4, sa_family_t: 2,
};

/** A negative number stored in an unsigned field of `type` (uint32_t, in_port_t …), as that field holds it. */
export function asUnsigned(value: Value, type: string | undefined): Value {
  if (value.kind !== 'number' || value.value >= 0 || !type || !/^(unsigned|uint\d+_t|in_port_t|in_addr_t|sa_family_t|socklen_t|size_t)/.test(type)) return value;
  const bytes = PRIMITIVE_SIZES[type] ?? 4;
  if (bytes > 4) return value;
  return { ...value, value: bytes === 4 ? value.value >>> 0 : value.value & (2 ** (8 * bytes) - 1) };
}

const PORT_CONVERTERS = new Set(['htons', 'ntohs']);
const NUMBER_PARSERS = new Set(['atoi', 'atol', 'strtol', 'strtoul']);

function ipv4FromNumber(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

function isIPv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
}

/**
 * Resolves argument expressions to values within one scope: macros of the file, enum constants, the
 * knowledge base's constants and struct sizes, assignments earlier in the function, argv.
 * `socketRoleOf` lets the socket tracker name socket variables (it is wired after the tracker exists).
 */
export class Resolver {
  socketRoleOf: (variable: string) => SocketRole | undefined = () => undefined;

  constructor(
    readonly file: FileAnalysis,
    readonly scope: Scope,
  ) {}

  resolve(expr: Expr, before: number, depth = 0): Value {
    if (depth > MAX_DEPTH) return { kind: 'unknown' };
    switch (expr.k) {
      case 'num':
        return { kind: 'number', value: expr.value };
      case 'str':
        return { kind: 'string', value: expr.value };
      case 'id':
        return this.resolveName(expr.name, before, depth);
      case 'call':
        return this.resolveCall(expr.callee, expr.args, before, depth);
      case 'index': {
        const argv = this.argvIndex(expr);
        return argv === undefined ? { kind: 'unknown' } : { kind: 'argv', index: argv };
      }
      case 'sizeof':
        return this.resolveSizeof(expr, before, depth);
      case 'cast':
        return this.resolve(expr.expr, before, depth + 1);
      case 'unary':
        return expr.op === '&' ? this.resolveAddressOf(expr.expr, before, depth) : { kind: 'unknown' };
      case 'binary':
        return this.resolveBinary(expr.op, expr.left, expr.right, before, depth);
      case 'member':
        if (expr.field === 'ai_addr') return { kind: 'address', variable: exprText(expr), endpoint: this.getaddrinfoEndpoint(before) };
        return { kind: 'unknown' };
      default:
        return { kind: 'unknown' };
    }
  }

  resolveText(text: string, before: number): Value {
    return this.resolve(parseExpression(text), before);
  }

  private argvIndex(expr: Expr): number | undefined {
    if (expr.k === 'index' && expr.object.k === 'id' && expr.object.name === 'argv' && expr.index.k === 'num') return expr.index.value;
    return undefined;
  }

  private resolveName(name: string, before: number, depth: number): Value {
    const { kb, macros, enums } = this.file;
    const role = this.socketRoleOf(name);
    if (role) return { kind: 'socket', variable: name, role };
    const constant = kb.constants.get(name);
    if (constant) return { kind: 'constant', name, value: constant.value };
    const address = ADDRESS_CONSTANTS[name];
    if (address) return { ...address, via: name };
    const macro = macros.get(name);
    if (macro !== undefined) {
      const value = this.resolve(parseExpression(macro), before, depth + 1);
      return withVia(value, name);
    }
    const enumValue = enums.get(name);
    if (enumValue !== undefined) return { kind: 'number', value: enumValue, via: name };
    if (name === 'NULL') return { kind: 'null' };
    const reached = this.valueAt(name, before, depth);
    if (reached) return reached;
    const right = this.file.declaration(this.scope, name) ? undefined : correctSpelling(kb, name);
    if (right) return { kind: 'misspelled', wrong: name, right };
    return { kind: 'unknown' };
  }

  /** The value `name` holds at `before` on every path, or why it has none; undefined when it is never set. */
  private valueAt(name: string, before: number, depth: number): Value | undefined {
    const global = !this.scope.declarations.has(name);
    const reach = reachingValue(this.scope.flow, this.scope.assignments, name, before, global);
    if (reach.kind === 'none') return undefined;
    if (reach.kind === 'def') return this.resolve(reach.def.value, reach.def.start, depth + 1);
    const options = reach.options?.map((def) => this.resolve(def.value, def.start, depth + 1));
    const known = options && options.every((o) => o.kind !== 'unknown' && o.kind !== 'varies') ? options : undefined;
    return { kind: 'varies', variable: name, reason: reach.reason, options: known };
  }

  private resolveCall(callee: string, args: Expr[], before: number, depth: number): Value {
    const [first] = args;
    if (!first) return { kind: 'unknown' };
    if (PORT_CONVERTERS.has(callee)) return { kind: 'port', port: this.portOf(first, before, depth) };
    if (NUMBER_PARSERS.has(callee)) {
      const argv = this.argvIndex(first);
      if (argv !== undefined) return { kind: 'argv', index: argv };
      const inner = this.resolve(first, before, depth + 1);
      return inner.kind === 'string' && /^\s*-?\d+/.test(inner.value) ? { kind: 'number', value: parseInt(inner.value, 10) } : inner.kind === 'argv' ? inner : { kind: 'unknown' };
    }
    if (callee === 'htonl' || callee === 'ntohl') {
      const inner = this.resolve(first, before, depth + 1);
      if (inner.kind === 'constant' && ADDRESS_CONSTANTS[inner.name]) return { ...ADDRESS_CONSTANTS[inner.name], via: inner.name } as Value;
      if (inner.kind === 'ipv4') return inner;
      if (inner.kind === 'number') return { kind: 'ipv4', address: ipv4FromNumber(inner.value) };
      return inner;
    }
    if (callee === 'inet_addr') {
      const inner = this.resolve(first, before, depth + 1);
      if (inner.kind === 'string' && isIPv4(inner.value)) return { kind: 'ipv4', address: inner.value };
      return inner.kind === 'argv' ? inner : { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }

  /** The port an expression inside htons() stands for. */
  portOf(expr: Expr, before: number, depth = 0): PortSource {
    const value = this.resolve(expr, before, depth + 1);
    if (value.kind === 'number') return { kind: 'number', value: value.value };
    if (value.kind === 'argv') return { kind: 'argv', index: value.index };
    if (value.kind === 'port') return value.port;
    if (value.kind === 'string' && /^\d+$/.test(value.value)) return { kind: 'number', value: Number(value.value) };
    return { kind: 'unknown', text: exprText(expr) };
  }

  private resolveSizeof(expr: Extract<Expr, { k: 'sizeof' }>, before: number, depth: number): Value {
    let type = expr.type;
    let of = type ?? '';
    if (!type && expr.expr) {
      const name = expr.expr.k === 'id' ? expr.expr.name : undefined;
      const declaration = name ? this.file.declaration(this.scope, name) : undefined;
      if (!declaration) return { kind: 'unknown' };
      if (declaration.array) return this.arraySize(declaration, before, depth);
      type = declaration.pointer ? 'void *' : declaration.type;
      of = declaration.type;
    }
    if (!type) return { kind: 'unknown' };
    const bytes = this.typeSize(type);
    return bytes === undefined ? { kind: 'unknown' } : { kind: 'size', bytes, of };
  }

  private typeSize(type: string): number | undefined {
    if (type.includes('*')) return 8;
    const plain = type.replace(/^(const|volatile)\s+/, '').replace(/\s+/g, ' ').trim();
    return this.file.kb.structs.get(plain.replace(/^struct /, ''))?.size ?? PRIMITIVE_SIZES[plain];
  }

  /** `char buf[BUF_SIZE]` → BUF_SIZE bytes; `char msg[] = "Hello World!"` → 13 bytes, the '\0' included. */
  private arraySize(declaration: Declaration, before: number, depth: number): Value {
    const element = this.typeSize(declaration.type.replace(/\s*\[\]$/, ''));
    if (element === undefined) return { kind: 'unknown' };
    if (declaration.arrayLength) {
      const length = this.resolve(parseExpression(declaration.arrayLength), before, depth + 1);
      const count = length.kind === 'number' ? length.value : undefined;
      return count === undefined || !Number.isInteger(count) || count < 0 ? { kind: 'unknown' } : { kind: 'size', bytes: element * count, of: declaration.name };
    }
    if (declaration.initString === undefined) return { kind: 'unknown' };
    return { kind: 'size', bytes: element * (new TextEncoder().encode(declaration.initString).length + 1), of: declaration.name, terminated: true };
  }

  private resolveAddressOf(inner: Expr, before: number, depth: number): Value {
    const variable = baseVariable(inner);
    if (!variable) return { kind: 'unknown' };
    const declaration = this.file.declaration(this.scope, variable);
    if (declaration?.struct && /^sockaddr/.test(declaration.struct)) {
      return { kind: 'address', variable, struct: declaration.struct, endpoint: this.endpointOf(variable, before) };
    }
    const filled = declaration ? undefined : this.inferredSockaddr(variable);
    if (filled) return { kind: 'address', variable, struct: filled, endpoint: this.endpointOf(variable, before) };
    if (inner.k !== 'id') return { kind: 'unknown' };
    const target = this.valueAt(variable, before, depth);
    return { kind: 'pointer', variable, target: target?.kind === 'varies' ? undefined : target };
  }

  /** For code without the declaration (a pasted snippet): the sockaddr type its field assignments imply. */
  private inferredSockaddr(variable: string): string | undefined {
    for (const a of this.scope.assignments) {
      if (a.root !== variable || a.path.length === 0) continue;
      if (a.path[0].startsWith('sin6_')) return 'sockaddr_in6';
      if (a.path[0].startsWith('sin_')) return 'sockaddr_in';
    }
    return undefined;
  }

  private resolveBinary(op: string, left: Expr, right: Expr, before: number, depth: number): Value {
    if (op !== '|' && op !== '+') return { kind: 'unknown' };
    const parts: Value[] = [];
    const collect = (e: Expr): void => {
      if (e.k === 'binary' && e.op === op) {
        collect(e.left);
        collect(e.right);
      } else parts.push(this.resolve(e, before, depth + 1));
    };
    collect(left);
    collect(right);
    const numbers = parts.map((p) => (p.kind === 'number' ? p.value : p.kind === 'constant' && typeof p.value === 'number' ? p.value : undefined));
    const all = numbers.every((n): n is number => n !== undefined);
    // Flags are unsigned: `EPOLLIN | EPOLLET` is 2147483649, not JavaScript's negative int32.
    const value = all ? numbers.reduce((a, b) => (op === '|' ? (a | b) >>> 0 : a + b), 0) : undefined;
    if (op === '+') return value === undefined ? { kind: 'unknown' } : { kind: 'number', value };
    return { kind: 'flags', parts, value };
  }

  /**
   * The address held by a sockaddr variable just before `before`: sin_family/sin_port/sin_addr assignments,
   * inet_pton/inet_aton into its address field, memset/bzero, or getaddrinfo() results (`rp->ai_addr`).
   */
  endpointOf(variable: string, before: number): Endpoint {
    const endpoint: Endpoint = {};
    for (const call of this.scope.calls) {
      if (call.start >= before) break;
      this.applyCall(endpoint, variable, call, before);
    }
    for (const a of this.scope.assignments) {
      if (a.start >= before) break;
      if (a.root === variable) this.applyAssignment(endpoint, a.path, a.value, a.start);
    }
    if (endpoint.zeroed) {
      endpoint.host ??= { kind: 'ip', address: endpoint.family === 'inet6' ? '::' : '0.0.0.0' };
      endpoint.port ??= { kind: 'number', value: 0 };
    }
    return endpoint;
  }

  private applyCall(endpoint: Endpoint, variable: string, call: CallSite, before: number): void {
    const target = (arg: number): string[] | undefined => {
      const expr = call.args[arg]?.expr;
      const path = expr ? memberPath(expr) : undefined;
      return path && path.root === variable ? path.path : undefined;
    };
    if ((call.name === 'memset' || call.name === 'bzero') && target(0)?.length === 0) endpoint.zeroed = true;
    if (call.name === 'inet_pton' && target(2)) endpoint.host = this.hostOf(call.args[1]?.expr, before);
    if (call.name === 'inet_aton' && target(1)) endpoint.host = this.hostOf(call.args[0]?.expr, before);
  }

  private applyAssignment(endpoint: Endpoint, path: string[], value: Expr, at: number): void {
    const field = path.join('.');
    if (field === 'sin_family' || field === 'sin6_family' || field === 'sun_family') {
      const v = this.resolve(value, at);
      const name = v.kind === 'constant' ? v.name : '';
      endpoint.family = /INET6$/.test(name) ? 'inet6' : /(UNIX|LOCAL)$/.test(name) ? 'unix' : /INET$/.test(name) ? 'inet' : endpoint.family;
    } else if (field === 'sin_port' || field === 'sin6_port') {
      const v = this.networkField(value, at, 'port') ?? this.resolve(value, at);
      endpoint.port = v.kind === 'port' ? v.port : v.kind === 'number' ? { kind: 'number', value: v.value } : { kind: 'unknown', text: exprText(value) };
    } else if (field === 'sin_addr.s_addr') {
      const v = this.networkField(value, at, 'address');
      endpoint.host = v?.kind === 'ipv4' ? { kind: 'ip', address: v.address } : this.hostOf(value, at);
    } else if (field === 'sin_addr' || field === 'sin6_addr') {
      endpoint.host = this.hostOf(value, at);
    }
  }

  /**
   * What `sin_port = expr` or `s_addr = expr` stores, computed exactly through the byte-order conversions, with
   * a wrong conversion named; undefined when the expression is not a known number.
   */
  networkField(expr: Expr, before: number, field: 'port' | 'address'): Value | undefined {
    const computed = compute(expr, (e) => this.resolve(e, before));
    if (!computed) return undefined;
    if (field === 'port') {
      const { port, mistake } = storedPort(computed);
      return { kind: 'port', port: { kind: 'number', value: port }, mistake };
    }
    const { address, mistake } = storedAddress(computed);
    return { kind: 'ipv4', address, mistake };
  }

  private hostOf(expr: Expr | undefined, before: number): HostSource {
    if (!expr) return { kind: 'unknown', text: '' };
    const v = this.resolve(expr, before);
    if (v.kind === 'ipv4' || v.kind === 'ipv6') return { kind: 'ip', address: v.address };
    if (v.kind === 'string') return { kind: 'ip', address: v.value };
    if (v.kind === 'number') return { kind: 'ip', address: ipv4FromNumber(v.value) };
    if (v.kind === 'constant' && ADDRESS_CONSTANTS[v.name]) return { kind: 'ip', address: ADDRESS_CONSTANTS[v.name].address };
    if (v.kind === 'argv') return { kind: 'argv', index: v.index };
    return { kind: 'unknown', text: exprText(expr) };
  }

  /** For `rp->ai_addr`: the getaddrinfo() call earlier in the function, as an endpoint. */
  getaddrinfoEndpoint(before: number): Endpoint | undefined {
    const call = [...this.scope.calls].reverse().find((c) => c.name === 'getaddrinfo' && c.start < before);
    if (!call) return undefined;
    const nodeExpr = call.args[0]?.expr;
    const node = nodeExpr ? this.resolve(nodeExpr, call.start) : { kind: 'unknown' as const };
    const service = call.args[1]?.expr;
    const host: HostSource =
      node.kind === 'null'
        ? { kind: 'getaddrinfo', passive: true }
        : node.kind === 'string'
          ? { kind: 'ip', address: node.value }
          : node.kind === 'argv'
            ? { kind: 'argv', index: node.index }
            : { kind: 'getaddrinfo', passive: false, node: call.args[0]?.text };
    return { host, port: service ? this.portOf(service, call.start) : undefined };
  }
}

/** Records that a value came through a macro (`PORT` → 9190), unless it already names one. */
function withVia(value: Value, via: string): Value {
  switch (value.kind) {
    case 'number':
    case 'constant':
    case 'port':
    case 'ipv4':
    case 'ipv6':
    case 'string':
      return value.via ? value : { ...value, via };
    default:
      return value;
  }
}

/** Source-like text of an expression, for "unknown" values. */
export function exprText(expr: Expr): string {
  switch (expr.k) {
    case 'num':
      return expr.text;
    case 'str':
      return JSON.stringify(expr.value);
    case 'char':
      return expr.text;
    case 'id':
      return expr.name;
    case 'call':
      return `${expr.callee}(${expr.args.map(exprText).join(', ')})`;
    case 'sizeof':
      return `sizeof(${expr.type ?? (expr.expr ? exprText(expr.expr) : '')})`;
    case 'cast':
      return `(${expr.type})${exprText(expr.expr)}`;
    case 'unary':
      return `${expr.op}${exprText(expr.expr)}`;
    case 'binary':
      return `${exprText(expr.left)} ${expr.op} ${exprText(expr.right)}`;
    case 'member':
      return `${exprText(expr.object)}${expr.arrow ? '->' : '.'}${expr.field}`;
    case 'index':
      return `${exprText(expr.object)}[${exprText(expr.index)}]`;
    case 'unknown':
      return expr.text;
  }
}
