import type { Expr } from './expr';

/** One argument of a call, as written. Offsets are UTF-16 indices into the document text. */
export interface ArgSite {
  index: number;
  text: string;
  start: number;
  end: number;
  expr: Expr;
}

/** One call of a named function, from the syntax tree or recovered from half-typed code. */
export interface CallSite {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The call through its closing parenthesis (or the last argument typed so far). */
  start: number;
  end: number;
  args: ArgSite[];
  /** True when tree-sitter's error recovery dropped the call and the token scan found it. */
  recovered: boolean;
  /** `serv_sock` in `serv_sock = socket(...)` or `int serv_sock = socket(...)`. */
  assignedTo?: string;
}

export interface Declaration {
  name: string;
  /** The type as written, with pointer and array marks: "struct sockaddr_in", "int *", "char [1024]". */
  type: string;
  /** "sockaddr_in" when the type is `struct sockaddr_in` (not a pointer to it). */
  struct?: string;
  pointer: boolean;
  array: boolean;
  /** An array's length as written (`BUF_SIZE`, `1024`), when given. */
  arrayLength?: string;
  /** An array initialized from a string literal: the string (its size includes the terminating '\0'). */
  initString?: string;
  start: number;
}

/** `target = value` for a variable or a field (`serv_addr.sin_port = htons(9190)`). */
export interface Assignment {
  root: string;
  /** Field path below the root: ['sin_addr', 's_addr']; empty for a plain variable. */
  path: string[];
  value: Expr;
  valueText: string;
  start: number;
}

/** Where a port number comes from. */
export type PortSource = { kind: 'number'; value: number } | { kind: 'argv'; index: number } | { kind: 'unknown'; text: string };

/** Where a host address comes from. */
export type HostSource =
  | { kind: 'ip'; address: string }
  | { kind: 'argv'; index: number }
  | { kind: 'getaddrinfo'; passive: boolean; node?: string }
  | { kind: 'unknown'; text: string };

/** An address filled into a sockaddr before bind()/connect(). */
export interface Endpoint {
  family?: 'inet' | 'inet6' | 'unix';
  host?: HostSource;
  port?: PortSource;
  /** The variable was zeroed (memset/bzero) before being filled. */
  zeroed?: boolean;
}

/** A wrong byte-order conversion of a value stored in `sin_port` or `s_addr`. */
export type ByteOrderMistake = 'double' | 'portWithHtonl' | 'addressWithHtons' | 'missing';

export type SocketRole = 'listening' | 'connected' | 'client' | 'datagram' | 'socket' | 'epoll' | 'unknown';

/** A resolved argument or expression value; rendered to text per language by the renderer. */
export type Value =
  | { kind: 'number'; value: number; via?: string }
  | { kind: 'constant'; name: string; value: number | string; via?: string }
  | { kind: 'flags'; parts: Value[]; value?: number }
  | { kind: 'port'; port: PortSource; via?: string; mistake?: ByteOrderMistake }
  | { kind: 'ipv4'; address: string; via?: string; mistake?: ByteOrderMistake }
  | { kind: 'ipv6'; address: string; via?: string }
  | { kind: 'string'; value: string; via?: string }
  | { kind: 'size'; bytes: number; of: string; terminated?: boolean }
  | { kind: 'address'; variable: string; struct?: string; endpoint?: Endpoint }
  | { kind: 'pointer'; variable: string; target?: Value }
  | { kind: 'socket'; variable: string; role: SocketRole }
  | { kind: 'argv'; index: number }
  | { kind: 'misspelled'; wrong: string; right: string }
  | { kind: 'null' }
  /** Not one value on every path: changed in a loop, set differently in branches (`options`), through a pointer or by a call. */
  | { kind: 'varies'; variable: string; reason: 'loop' | 'branch' | 'pointer' | 'call' | 'update'; options?: Value[] }
  | { kind: 'unknown' };
