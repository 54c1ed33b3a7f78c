/* Binary records the tracer writes into the runner's shared-memory ring; decoded by src/core/runner/records.ts
 * and read by src/core/runner/ring.ts. Little-endian, each record starting with its total length. Keep both
 * sides in step. */
#ifndef SOCKLENS_PROTOCOL_H
#define SOCKLENS_PROTOCOL_H
#include <stdint.h>

enum sl_call {
  SL_HELLO = 0, SL_SOCKET, SL_SOCKETPAIR, SL_BIND, SL_LISTEN, SL_ACCEPT, SL_ACCEPT4, SL_CONNECT,
  SL_SEND, SL_SENDTO, SL_SENDMSG, SL_RECV, SL_RECVFROM, SL_RECVMSG, SL_READ, SL_WRITE, SL_READV, SL_WRITEV,
  SL_CLOSE, SL_SHUTDOWN, SL_SETSOCKOPT, SL_DUP, SL_DUP2, SL_DUP3, SL_FCNTL, SL_FORK, SL_SELECT, SL_POLL,
  SL_EPOLL_WAIT, SL_EPOLL_CTL, SL_EXIT,
  /* appended: existing ids keep their numbers */
  SL_PPOLL, SL_PSELECT, SL_EPOLL_PWAIT, SL_EPOLL_PWAIT2, SL_SENDMMSG, SL_RECVMMSG, SL_SENDFILE,
  SL_EPOLL_CREATE, SL_EPOLL_CREATE1, SL_GETADDRINFO, SL_GETNAMEINFO,
  /* not a call event: the program wrote ret bytes to its stdout (fd 1) or stderr (fd 2), at t_us; the runner uses it
     to place the output lines it reads from the pipe */
  SL_OUTPUT
};

/* select/pselect, poll/ppoll, epoll_wait/epoll_pwait/epoll_pwait2: after the call (else: waiting, before it) */
#define SL_FLAG_READY 1u
#define SL_FLAG_HAS_PC 2u  /* pc is an offset into the main executable */
/* Memory one of the caller's pointers names could not be read without risking a fault (a bad pointer: the call
 * itself fails with EFAULT): the address, value or descriptors it held are absent; a timeout read from it is -1. */
#define SL_FLAG_UNREADABLE 4u
/* The call failed with EBADF on a descriptor that was a socket until this process closed it (close, fclose). */
#define SL_FLAG_CLOSED_SOCKET 8u

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

/* The ring file ($SOCKLENS_RING), created by the runner: a header page, then one 64-bit ready word per slot
 * (ready_off), then the slots (data_off). A record takes ceil(len / slot_size) consecutive slots (wrapping at the
 * end) and is reserved by adding that count to head. Its producer writes it, then stores seq + 1 into the ready
 * word of its first slot (release), seq being the 64-bit sequence number of that slot: a word left from an
 * earlier lap never matches. The runner reads published records from tail on and stores the new tail. */
#define SL_RING_MAGIC 0x31524c53u /* "SLR1" */
#define SL_RING_VERSION 1u

struct sl_ring_header {
  uint32_t magic;
  uint32_t version;
  uint32_t slot_size;   /* bytes, a power of two */
  uint32_t slots;       /* a power of two */
  uint32_t runner_pid;  /* producers stop waiting for space when it is gone */
  uint32_t closed;      /* set by the runner when the run is over: producers write nothing more */
  uint32_t ready_off;
  uint32_t data_off;
  uint8_t pad0[32];
  uint64_t head;        /* offset 64: next sequence number to reserve (producers, atomic) */
  uint8_t pad1[56];
  uint64_t tail;        /* offset 128: first sequence number not yet consumed (the runner) */
  uint8_t pad2[56];
};

#endif
