/**
 * Which traced calls move data and which wait, by the `call` names of the event stream (events.ts). One list for
 * the runner, the editor's inline notes and the panel, so a newly traced call is known everywhere at once.
 */

/** Calls that send data; their event's `bytes` counts what went out. */
export const SEND_CALLS: ReadonlySet<string> = new Set(['send', 'sendto', 'sendmsg', 'sendmmsg', 'sendfile', 'write', 'writev']);

/** Calls that receive data; their event's `bytes` counts what came in. */
export const RECEIVE_CALLS: ReadonlySet<string> = new Set(['recv', 'recvfrom', 'recvmsg', 'recvmmsg', 'read', 'readv']);

/** Calls that return a number of messages, their bytes being counted separately. */
export const MESSAGE_COUNT_CALLS: ReadonlySet<string> = new Set(['sendmmsg', 'recvmmsg']);

/** Calls reported twice: "waiting" before, "ready" after. */
export const WAIT_CALLS: ReadonlySet<string> = new Set(['select', 'pselect', 'poll', 'ppoll', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2']);

/** errno values of normal non-blocking or interrupted operation: a failed call with one of them is not a problem. */
export const ROUTINE_ERRNOS: ReadonlySet<string> = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINPROGRESS', 'EINTR', 'EALREADY']);

export function isRoutineErrno(errno: string): boolean {
  return ROUTINE_ERRNOS.has(errno);
}
