/* Binary records the tracer sends to the runner over its Unix socket; decoded by src/core/runner/records.ts.
 * Little-endian, one record per send(), each starting with its total length. Keep both sides in step. */
#ifndef SOCKLENS_PROTOCOL_H
#define SOCKLENS_PROTOCOL_H
#include <stdint.h>

enum sl_call {
  SL_HELLO = 0, SL_SOCKET, SL_SOCKETPAIR, SL_BIND, SL_LISTEN, SL_ACCEPT, SL_ACCEPT4, SL_CONNECT,
  SL_SEND, SL_SENDTO, SL_SENDMSG, SL_RECV, SL_RECVFROM, SL_RECVMSG, SL_READ, SL_WRITE, SL_READV, SL_WRITEV,
  SL_CLOSE, SL_SHUTDOWN, SL_SETSOCKOPT, SL_DUP, SL_DUP2, SL_DUP3, SL_FCNTL, SL_FORK, SL_SELECT, SL_POLL,
  SL_EPOLL_WAIT, SL_EPOLL_CTL, SL_EXIT
};

#define SL_FLAG_READY 1u   /* select/poll/epoll_wait: after the call (else: waiting, before it) */
#define SL_FLAG_HAS_PC 2u  /* pc is an offset into the main executable */

struct sl_header {
  uint16_t len;        /* whole record, header included */
  uint8_t call;        /* enum sl_call */
  uint8_t flags;
  uint32_t pid;
  uint32_t tid;
  int32_t fd;
  uint64_t t_us;       /* CLOCK_MONOTONIC, microseconds */
  int64_t ret;
  int32_t err;         /* errno when the call failed, else 0 */
  int32_t new_fd;      /* a descriptor the call produced, else -1 */
  uint64_t pc;         /* return address - 1 - load base of the main executable */
  int64_t a[4];        /* call-specific numbers, see docs/runner.md */
  uint16_t local_len;  /* then: local sockaddr bytes */
  uint16_t peer_len;   /* then: peer sockaddr bytes */
  uint16_t data_len;   /* then: data bytes (payload preview, or the executable path for HELLO) */
  uint16_t nfds;       /* then: nfds int32 descriptors */
} __attribute__((packed));

#define SL_PREVIEW_MAX 64
#define SL_MAX_FDS 64

#endif
