/* SockLens tracer: preloaded (LD_PRELOAD) into the program being run; records its socket API calls as binary
 * records (protocol.h) in the runner's shared-memory ring ($SOCKLENS_RING), which the runner drains on a timer:
 * no system call and no wake-up of another process per record. Each process also announces its pid on the Unix
 * socket named by $SOCKLENS_SOCK and keeps that connection open, so the runner knows who is still alive.
 *
 * Rules it keeps: the program's descriptors are numbered as in an untraced run (the ring file is closed once
 * mapped; the announcement socket lives at a high fd), errno is preserved, no locks (producers reserve slots
 * with an atomic add; the order of reservations is each process's order), real functions are resolved at
 * start-up, and its own I/O goes through raw syscalls so it never re-enters. A full ring makes the caller wait, never
 * drops a record, unless the runner is gone, has closed the ring, or has not drained anything for a long time. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "protocol.h"

/* The fortified variants _FORTIFY_SOURCE builds call; glibc declares them only in fortified builds. */
ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr, socklen_t *alen);
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
int __poll_chk(struct pollfd *pfds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *pfds, nfds_t n, const struct timespec *ts, const sigset_t *mask, size_t fdslen);
/* glibc 2.35 and later; declared here too so the tracer still builds against an older glibc (where no program can
 * call it). */
int epoll_pwait2(int epfd, struct epoll_event *events, int max, const struct timespec *ts, const sigset_t *mask);

#define EXPORT __attribute__((visibility("default")))
#define MAX_TRACKED_FD 65536
#define CHANNEL_FD_TARGET 900

static int chan_fd = -1;
static struct sl_ring_header *ring;
static uint64_t *ring_ready;
static char *ring_data;
static pid_t my_pid;
static int exit_reported;
static __thread pid_t my_tid;
static __thread int in_hook;
static uintptr_t exe_base, exe_lo, exe_hi;
/* What each descriptor number is to this process (enum fd_kind); fork copies it, as it copies the descriptors. */
static unsigned char fd_kinds[MAX_TRACKED_FD];

/* ---- descriptor bookkeeping ---- */

enum fd_kind {
  FD_OTHER = 0,         /* not one the tracer follows */
  FD_SOCKET = 1,
  /* a socket this process closed (close, fclose), its number not reused by anything traced since: a call on it
     that fails with EBADF is reported, flagged SL_FLAG_CLOSED_SOCKET; one that succeeds shows the number now
     belongs to something untraced */
  FD_CLOSED_SOCKET = 2,
  FD_EPOLL = 3          /* an epoll instance: its close is reported */
};

static int fd_kind(int fd) {
  return fd >= 0 && fd < MAX_TRACKED_FD ? __atomic_load_n(&fd_kinds[fd], __ATOMIC_RELAXED) : FD_OTHER;
}

static int is_sock(int fd) {
  return fd_kind(fd) == FD_SOCKET;
}

/* Listening sockets bound to one address, not a wildcard: a connection accepted from one has that local address,
 * so accept() needs no getsockname() (a system call costs about a microsecond here). Each entry has a sequence
 * number, odd while the entry changes, so a reader in another thread never takes a half-written address. */
#define MAX_LISTEN_FD 1024
struct listen_addr {
  unsigned seq;
  socklen_t len; /* 0: not a listening socket with a known, specific address */
  struct sockaddr_in6 addr;
};
static struct listen_addr listen_addrs[MAX_LISTEN_FD];

static void listen_addr_store(int fd, const void *addr, socklen_t len) {
  if (fd < 0 || fd >= MAX_LISTEN_FD || len > sizeof listen_addrs[fd].addr) return;
  struct listen_addr *l = &listen_addrs[fd];
  if (!len && !__atomic_load_n(&l->len, __ATOMIC_RELAXED)) return;
  unsigned seq = __atomic_load_n(&l->seq, __ATOMIC_RELAXED);
  __atomic_store_n(&l->seq, seq + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  if (len) memcpy(&l->addr, addr, len);
  __atomic_store_n(&l->len, len, __ATOMIC_RELAXED);
  __atomic_store_n(&l->seq, seq + 2, __ATOMIC_RELEASE);
}

/* 1 and the listening socket's address in *out when it is known and specific, else 0. */
static int listen_addr_load(int fd, struct sockaddr_storage *out, socklen_t *len) {
  if (fd < 0 || fd >= MAX_LISTEN_FD) return 0;
  struct listen_addr *l = &listen_addrs[fd];
  unsigned seq = __atomic_load_n(&l->seq, __ATOMIC_ACQUIRE);
  socklen_t n = __atomic_load_n(&l->len, __ATOMIC_RELAXED);
  if ((seq & 1) || !n) return 0;
  memcpy(out, &l->addr, n);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  if (__atomic_load_n(&l->seq, __ATOMIC_RELAXED) != seq) return 0;
  *len = n;
  return 1;
}

static int is_specific_address(const struct sockaddr_storage *ss, socklen_t len) {
  if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in))
    return ((const struct sockaddr_in *)ss)->sin_addr.s_addr != htonl(INADDR_ANY);
  if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
    return !IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
  return 0;
}

/* Every change of what a descriptor number is goes through here: a new socket, close, dup over it. */
static void mark_fd(int fd, enum fd_kind kind) {
  if (fd >= 0 && fd < MAX_TRACKED_FD) __atomic_store_n(&fd_kinds[fd], (unsigned char)kind, __ATOMIC_RELAXED);
  listen_addr_store(fd, NULL, 0);
}

static void mark_sock(int fd, int on) {
  mark_fd(fd, on ? FD_SOCKET : FD_OTHER);
}

/* ---- the real functions ---- */

/* Every function hooked, resolved at start-up (a signal handler's first call of one must not need dlsym, which is not
 * async-signal-safe, and a first call must not cost a lookup between two of the program's calls) and, before that, on
 * first use (another library's constructor may call one first). */
#define HOOKED(X)                                                                                                 \
  X(socket) X(socketpair) X(bind) X(listen) X(accept) X(accept4) X(connect) X(send) X(sendto) X(sendmsg)        \
  X(sendmmsg) X(recv) X(__recv_chk) X(recvfrom) X(__recvfrom_chk) X(recvmsg) X(recvmmsg) X(read) X(__read_chk)  \
  X(write) X(readv) X(writev) X(sendfile) X(sendfile64) X(close) X(shutdown) X(setsockopt) X(dup) X(dup2)        \
  X(dup3) X(fcntl) X(fcntl64) X(fork) X(select) X(pselect) X(poll) X(__poll_chk) X(ppoll) X(__ppoll_chk)        \
  X(epoll_create) X(epoll_create1) X(epoll_ctl) X(epoll_wait) X(epoll_pwait) X(epoll_pwait2) X(getaddrinfo)      \
  X(getnameinfo) X(fdopen) X(fgets) X(fputs) X(fread) X(fwrite) X(fflush) X(fclose) X(fputc) X(fgetc)           \
  X(vfprintf) X(puts) X(putchar) X(vprintf) X(freopen) X(freopen64) X(sigaction) X(signal) X(exit) X(_exit) X(_Exit)

#define DECLARE_REAL(name) static __typeof__(&name) real_##name;
HOOKED(DECLARE_REAL)

static inline __attribute__((always_inline)) void *resolve(void **slot, const char *name) {
  void *f = __atomic_load_n(slot, __ATOMIC_RELAXED);
  if (!f) {
    f = dlsym(RTLD_NEXT, name);
    __atomic_store_n(slot, f, __ATOMIC_RELAXED);
  }
  return f;
}

#define REAL(name) __typeof__(&name) r_##name = (__typeof__(&name))resolve((void **)&real_##name, #name);
#define RESOLVE_REAL(name) resolve((void **)&real_##name, #name);

static void resolve_all(void) {
  HOOKED(RESOLVE_REAL)
}

/* ---- the channel ---- */

static pid_t cur_pid(void) {
  if (!my_pid) my_pid = (pid_t)syscall(SYS_getpid);
  return my_pid;
}

static pid_t cur_tid(void) {
  if (!my_tid) my_tid = (pid_t)syscall(SYS_gettid);
  return my_tid;
}

/* ---- the ring ---- */

static void ring_map(void) {
  const char *path = getenv("SOCKLENS_RING");
  if (!path) return;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st;
  void *p = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(struct sl_ring_header))
    /* populated now, at start-up: otherwise the first lap of the ring takes a page fault every 32 records in
       the middle of the program's calls */
    p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  syscall(SYS_close, fd); /* the mapping stays; no descriptor is left behind */
  if (p == MAP_FAILED) return;
  struct sl_ring_header *h = p;
  uint64_t slots = h->slots, size = h->slot_size;
  int ok = h->magic == SL_RING_MAGIC && h->version == SL_RING_VERSION && slots && !(slots & (slots - 1)) &&
           size >= sizeof(struct sl_header) && !(size & (size - 1)) && h->ready_off >= sizeof *h &&
           h->ready_off + slots * 8 <= h->data_off && h->data_off + slots * size <= (uint64_t)st.st_size;
  if (!ok) { munmap(p, (size_t)st.st_size); return; }
  ring_ready = (uint64_t *)((char *)p + h->ready_off);
  ring_data = (char *)p + h->data_off;
  __atomic_store_n(&ring, h, __ATOMIC_RELEASE);
}

static void nap_us(long us) {
  struct timespec ts = { 0, us * 1000 };
  syscall(SYS_nanosleep, &ts, NULL);
}

/* Waits until slots [seq, seq + n) are free. 0 when the runner is gone, has closed the ring, or has not moved
 * the tail for RING_GIVE_UP_MS: the program then runs on untraced rather than hang. */
#define RING_GIVE_UP_MS 10000
static int ring_wait(struct sl_ring_header *h, uint64_t seq, uint64_t n) {
  uint64_t tail = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
  if (seq + n - tail <= h->slots) return 1;
  int saved = errno; /* a wait's "waiting" record is written before the real call: its errno must be the caller's */
  long waited_us = 0, nap = 50;
  int ok = 1;
  while (ok && seq + n - tail > h->slots) {
    if (__atomic_load_n(&h->closed, __ATOMIC_RELAXED) || waited_us >= RING_GIVE_UP_MS * 1000L ||
        ((waited_us / 100000) != ((waited_us + nap) / 100000) && h->runner_pid &&
         syscall(SYS_kill, (pid_t)h->runner_pid, 0) < 0 && errno == ESRCH)) {
      ok = 0;
      break;
    }
    nap_us(nap);
    waited_us += nap;
    if (nap < 1000) nap *= 2;
    uint64_t now = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
    if (now != tail) { tail = now; waited_us = 0; }
  }
  errno = saved;
  return ok;
}

static void ring_write(const char *rec, size_t len) {
  struct sl_ring_header *h = __atomic_load_n(&ring, __ATOMIC_ACQUIRE);
  if (!h || __atomic_load_n(&h->closed, __ATOMIC_RELAXED)) return;
  uint64_t size = h->slot_size, mask = h->slots - 1, n = (len + size - 1) / size;
  if (n > h->slots) return;
  uint64_t seq = __atomic_fetch_add(&h->head, n, __ATOMIC_RELAXED);
  if (!ring_wait(h, seq, n)) {
    __atomic_store_n(&ring, NULL, __ATOMIC_RELAXED);
    return;
  }
  size_t off = (size_t)((seq & mask) * size), room = (size_t)(h->slots * size) - off;
  if (len <= room) memcpy(ring_data + off, rec, len);
  else { memcpy(ring_data + off, rec, room); memcpy(ring_data, rec + room, len - room); }
  __atomic_store_n(&ring_ready[seq & mask], seq + 1, __ATOMIC_RELEASE);
}

/* ---- the announcement socket ---- */

static void chan_send(const void *buf, size_t len) {
  int fd = __atomic_load_n(&chan_fd, __ATOMIC_RELAXED);
  const char *p = buf;
  while (fd >= 0 && len > 0) {
    long n = syscall(SYS_sendto, fd, p, len, MSG_NOSIGNAL, NULL, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      __atomic_store_n(&chan_fd, -1, __ATOMIC_RELAXED); /* the runner is gone: run on untraced */
      return;
    }
    p += n;
    len -= (size_t)n;
  }
}

struct ev {
  struct sl_header h;
  const void *local, *peer, *data;
  const int *fds;
};

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void ev_init(struct ev *e, int call, int fd, const void *ra) {
  memset(e, 0, sizeof *e);
  e->h.call = (uint8_t)call;
  e->h.pid = (uint32_t)cur_pid();
  e->h.tid = (uint32_t)cur_tid();
  e->h.fd = fd;
  e->h.new_fd = -1;
  uintptr_t a = (uintptr_t)ra;
  if (a > exe_lo && a <= exe_hi) {
    e->h.pc = a - 1 - exe_base; /* -1: the call instruction, not the one after it */
    e->h.flags |= SL_FLAG_HAS_PC;
  }
}

static void ev_send(struct ev *e, long ret, int err) {
  char buf[sizeof(struct sl_header) + 2 * sizeof(struct sockaddr_storage) + 4096 + SL_MAX_FDS * 4];
  struct sl_header *h = &e->h;
  if (h->local_len > sizeof(struct sockaddr_storage)) h->local_len = sizeof(struct sockaddr_storage);
  if (h->peer_len > sizeof(struct sockaddr_storage)) h->peer_len = sizeof(struct sockaddr_storage);
  if (h->data_len > 4096) h->data_len = 4096;
  if (h->nfds > SL_MAX_FDS) h->nfds = SL_MAX_FDS;
  h->ret = ret;
  h->err = ret < 0 ? err : 0;
  if (ret < 0 && err == EBADF && fd_kind(h->fd) == FD_CLOSED_SOCKET) h->flags |= SL_FLAG_CLOSED_SOCKET;
  h->t_us = now_us();
  size_t off = sizeof *h;
  if (h->local_len) { memcpy(buf + off, e->local, h->local_len); off += h->local_len; }
  if (h->peer_len) { memcpy(buf + off, e->peer, h->peer_len); off += h->peer_len; }
  if (h->data_len) { memcpy(buf + off, e->data, h->data_len); off += h->data_len; }
  if (h->nfds) { memcpy(buf + off, e->fds, h->nfds * sizeof(int32_t)); off += h->nfds * sizeof(int32_t); }
  h->len = (uint16_t)off;
  memcpy(buf, h, sizeof *h);
  ring_write(buf, off);
}

static void set_preview(struct ev *e, const void *buf, long n) {
  if (n > 0 && buf) {
    e->data = buf;
    e->h.data_len = (uint16_t)(n < SL_PREVIEW_MAX ? n : SL_PREVIEW_MAX);
  }
}

/* ---- the caller's memory ----
 * After a successful call the hooks read what the kernel itself has just read or written (it checked it). Before a
 * call, or after one that failed, a pointer may be bad, and the real call must fail with EFAULT as it would
 * untraced rather than the hook fault: such memory is copied with process_vm_readv on this very process, which
 * returns EFAULT instead of faulting. That is one system call (about 2 µs here), so only waits (their "waiting"
 * record comes before the call) and failure paths pay it. Where the kernel refuses the call (a seccomp filter:
 * EPERM, ENOSYS) nothing is read that way again and records go without that memory. */
static int vm_read_refused;

/* Copies the n regions remote[] into local[] (the same lengths); returns how many were copied whole, in order: a bad
 * region ends the copy. errno is kept. */
static int copy_in(const struct iovec *local, const struct iovec *remote, int n) {
  size_t want = 0;
  for (int i = 0; i < n; i++) want += remote[i].iov_len;
  long got = 0;
  if (want) {
    struct sl_ring_header *h = __atomic_load_n(&ring, __ATOMIC_ACQUIRE);
    /* no record will be written (untraced, or the run is over): no system call for it */
    if (!h || __atomic_load_n(&h->closed, __ATOMIC_RELAXED)) return 0;
    if (__atomic_load_n(&vm_read_refused, __ATOMIC_RELAXED)) return 0;
    int saved = errno;
    got = syscall(SYS_process_vm_readv, cur_pid(), local, (unsigned long)n, remote, (unsigned long)n, 0UL);
    if (got < 0 && (errno == EPERM || errno == ENOSYS)) __atomic_store_n(&vm_read_refused, 1, __ATOMIC_RELAXED);
    errno = saved;
    if (got < 0) got = 0;
  }
  int whole = 0;
  for (; whole < n && (size_t)got >= remote[whole].iov_len; whole++) got -= (long)remote[whole].iov_len;
  return whole;
}

/* 1 when len bytes at p were copied into out. */
static int copy_in1(void *out, const void *p, size_t len) {
  struct iovec local = { out, len }, remote = { (void *)p, len };
  return copy_in(&local, &remote, 1) == 1;
}

/* An address the caller gave a call (bind: the record's local address, else its peer): read directly when the kernel
 * has read it (checked: the call succeeded; the kernel copies all of it, and a longer one than a sockaddr_storage
 * is EINVAL or cut to that size), else copied into *copy. */
static void given_addr(struct ev *e, int local, int checked, const void *addr, socklen_t len,
                       struct sockaddr_storage *copy) {
  size_t n = len < sizeof *copy ? len : sizeof *copy;
  if (!addr || !n) return;
  if (!checked) {
    if (!copy_in1(copy, addr, n)) { e->h.flags |= SL_FLAG_UNREADABLE; return; }
    addr = copy;
  }
  if (local) { e->local = addr; e->h.local_len = (uint16_t)n; }
  else { e->peer = addr; e->h.peer_len = (uint16_t)n; }
}

/* An address the kernel has just written into the caller's buffer, with the length it reported (recvfrom, recvmsg):
 * the kernel wrote min(that length, the buffer's) bytes, and the buffer's own length is gone (overwritten). A
 * sockaddr never spans 4 KiB blocks in practice; when it lies in one and does not start in the never-mapped first
 * page, the block is mapped as a whole and is read directly; otherwise it is copied. */
static void received_addr(struct ev *e, const void *addr, socklen_t len, struct sockaddr_storage *copy) {
  size_t n = len < sizeof *copy ? len : sizeof *copy;
  uintptr_t a = (uintptr_t)addr;
  if (!addr || !n) return;
  if (a >= 4096 && (a >> 12) == ((a + n - 1) >> 12)) {
    e->peer = addr;
  } else if (copy_in1(copy, addr, n)) {
    e->peer = copy;
  } else {
    e->h.flags |= SL_FLAG_UNREADABLE;
    return;
  }
  e->h.peer_len = (uint16_t)n;
}

static void send_hello(void) {
  struct ev e;
  char exe[4096];
  long n = syscall(SYS_readlink, "/proc/self/exe", exe, sizeof exe - 1);
  ev_init(&e, SL_HELLO, -1, NULL);
  e.h.a[0] = (int64_t)syscall(SYS_getppid);
  e.h.a[1] = (int64_t)syscall(SYS_getpgid, 0);
  if (n > 0) { e.data = exe; e.h.data_len = (uint16_t)n; }
  ev_send(&e, 0, 0);
}

static void chan_connect(void) {
  const char *path = getenv("SOCKLENS_SOCK");
  if (!path || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) return;
  int s = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return;
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  strcpy(sa.sun_path, path);
  if (syscall(SYS_connect, s, &sa, sizeof sa) < 0) { syscall(SYS_close, s); return; }
  struct rlimit rl;
  int target = CHANNEL_FD_TARGET;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= (rlim_t)target + 1)
    target = rl.rlim_cur > 32 ? (int)rl.rlim_cur - 2 : s;
  int high = (int)syscall(SYS_fcntl, s, F_DUPFD_CLOEXEC, target);
  if (high >= 0) { syscall(SYS_close, s); s = high; }
  __atomic_store_n(&chan_fd, s, __ATOMIC_RELAXED);
  uint32_t pid = (uint32_t)cur_pid();
  chan_send(&pid, sizeof pid);
}

static int find_main_exe(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size; (void)arg;
  exe_base = info->dlpi_addr;
  exe_lo = UINTPTR_MAX;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD) continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    if (lo < exe_lo) exe_lo = lo;
    if (hi > exe_hi) exe_hi = hi;
  }
  return 1; /* the first object is the main program */
}

static void atfork_child(void) {
  int old = __atomic_load_n(&chan_fd, __ATOMIC_RELAXED);
  if (old >= 0) syscall(SYS_close, old); /* the parent's stream is the parent's */
  __atomic_store_n(&chan_fd, -1, __ATOMIC_RELAXED);
  my_pid = 0;
  my_tid = 0;
  exit_reported = 0;
  send_hello(); /* the mapping is inherited: same ring, this process's own records from here on */
  chan_connect();
}

static void trace_standard_streams(void);

__attribute__((constructor)) static void sl_init(void) {
  int saved = errno;
  setvbuf(stdout, NULL, _IOLBF, 0); /* through a pipe printf would otherwise arrive only at exit */
  resolve_all();
  dl_iterate_phdr(find_main_exe, NULL);
  ring_map();
  if (__atomic_load_n(&ring, __ATOMIC_RELAXED)) trace_standard_streams();
  send_hello();
  chan_connect();
  pthread_atfork(NULL, NULL, atfork_child);
  errno = saved;
}

static void report_exit(long code, const void *ra) {
  if (__atomic_exchange_n(&exit_reported, 1, __ATOMIC_RELAXED)) return;
  struct ev e;
  ev_init(&e, SL_EXIT, -1, ra);
  e.h.a[0] = code;
  e.h.a[1] = code < 0; /* returned from main: the runner knows the code */
  ev_send(&e, 0, 0);
}

__attribute__((destructor)) static void sl_fini(void) {
  int saved = errno;
  report_exit(-1, NULL);
  errno = saved;
}

/* ---- hooks ---- */

/* Every hook: pass straight through when re-entered, else call the real function, keep its errno, report. */
#define ENTER(name)         \
  REAL(name)                \
  if (in_hook) return r_##name
#define RA __builtin_return_address(0)

static void local_name(int fd, struct ev *e, struct sockaddr_storage *ss) {
  socklen_t len = sizeof *ss;
  if (syscall(SYS_getsockname, fd, ss, &len) == 0) { e->local = ss; e->h.local_len = (uint16_t)len; }
}

static void peer_name(int fd, struct ev *e, struct sockaddr_storage *ss) {
  socklen_t len = sizeof *ss;
  if (syscall(SYS_getpeername, fd, ss, &len) == 0) { e->peer = ss; e->h.peer_len = (uint16_t)len; }
}

EXPORT int socket(int domain, int type, int protocol) {
  ENTER(socket)(domain, type, protocol);
  in_hook = 1;
  int r = r_socket(domain, type, protocol);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_SOCKET, -1, RA);
  e.h.a[0] = domain; e.h.a[1] = type; e.h.a[2] = protocol;
  if (r >= 0) { mark_sock(r, 1); e.h.new_fd = r; }
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int socketpair(int domain, int type, int protocol, int sv[2]) {
  ENTER(socketpair)(domain, type, protocol, sv);
  in_hook = 1;
  int r = r_socketpair(domain, type, protocol, sv);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_SOCKETPAIR, -1, RA);
  e.h.a[0] = domain; e.h.a[1] = type; e.h.a[2] = protocol;
  if (r == 0) { mark_sock(sv[0], 1); mark_sock(sv[1], 1); e.fds = sv; e.h.nfds = 2; }
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  ENTER(bind)(fd, addr, len);
  in_hook = 1;
  int r = r_bind(fd, addr, len);
  int err = errno;
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, SL_BIND, fd, RA);
  given_addr(&e, 1, r == 0, addr, len, &copy);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int listen(int fd, int backlog) {
  ENTER(listen)(fd, backlog);
  in_hook = 1;
  int r = r_listen(fd, backlog);
  int err = errno;
  struct ev e;
  struct sockaddr_storage ss;
  ev_init(&e, SL_LISTEN, fd, RA);
  e.h.a[0] = backlog;
  local_name(fd, &e, &ss);
  if (r == 0 && e.h.local_len && is_specific_address(&ss, e.h.local_len)) listen_addr_store(fd, &ss, e.h.local_len);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

/* The peer's address comes with the accept itself when the caller asked for none: the hooks then pass a buffer of
 * their own (reading the caller's length before the call could fault where the real call returns EFAULT). */
struct accept_peer {
  struct sockaddr *addr;
  socklen_t *len;
  struct sockaddr_storage own;
  socklen_t own_len;
};

static void accept_peer_init(struct accept_peer *a, struct sockaddr *addr, socklen_t *len) {
  a->own_len = sizeof a->own;
  a->addr = addr ? addr : (struct sockaddr *)&a->own;
  a->len = addr ? len : &a->own_len;
}

static void after_accept(struct ev *e, int fd, int r, const struct accept_peer *a, struct sockaddr_storage *l, struct sockaddr_storage *p) {
  if (r < 0) return;
  mark_sock(r, 1);
  e->h.new_fd = r;
  socklen_t n;
  if (listen_addr_load(fd, l, &n)) { e->local = l; e->h.local_len = (uint16_t)n; }
  else local_name(r, e, l);
  if (a->addr == (const struct sockaddr *)&a->own) { e->peer = &a->own; e->h.peer_len = (uint16_t)a->own_len; }
  else peer_name(r, e, p);
}

EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  ENTER(accept)(fd, addr, len);
  in_hook = 1;
  struct accept_peer a;
  accept_peer_init(&a, addr, len);
  int r = r_accept(fd, a.addr, a.len);
  int err = errno;
  struct ev e;
  struct sockaddr_storage l, p;
  ev_init(&e, SL_ACCEPT, fd, RA);
  after_accept(&e, fd, r, &a, &l, &p);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  ENTER(accept4)(fd, addr, len, flags);
  in_hook = 1;
  struct accept_peer a;
  accept_peer_init(&a, addr, len);
  int r = r_accept4(fd, a.addr, a.len, flags);
  int err = errno;
  struct ev e;
  struct sockaddr_storage l, p;
  ev_init(&e, SL_ACCEPT4, fd, RA);
  e.h.a[0] = flags;
  after_accept(&e, fd, r, &a, &l, &p);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  ENTER(connect)(fd, addr, len);
  in_hook = 1;
  int r = r_connect(fd, addr, len);
  int err = errno;
  struct ev e;
  struct sockaddr_storage l, copy;
  ev_init(&e, SL_CONNECT, fd, RA);
  /* EINPROGRESS: the kernel has copied the address and started connecting */
  given_addr(&e, 0, r == 0 || err == EINPROGRESS, addr, len, &copy);
  if (r == 0 || err == EINPROGRESS) local_name(fd, &e, &l);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags) {
  ENTER(send)(fd, buf, n, flags);
  in_hook = 1;
  ssize_t r = r_send(fd, buf, n, flags);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_SEND, fd, RA);
  e.h.a[0] = (int64_t)n; e.h.a[1] = flags;
  set_preview(&e, buf, r);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t alen) {
  ENTER(sendto)(fd, buf, n, flags, addr, alen);
  in_hook = 1;
  ssize_t r = r_sendto(fd, buf, n, flags, addr, alen);
  int err = errno;
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, SL_SENDTO, fd, RA);
  e.h.a[0] = (int64_t)n; e.h.a[1] = flags;
  given_addr(&e, 0, r >= 0, addr, alen, &copy);
  set_preview(&e, buf, r);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

/* The peer and a preview of the first iovec's bytes of a message the kernel has just sent or received (r bytes): it
 * has read msg and its iovecs, and read a sent name or written a received one. */
static void msg_details(struct ev *e, const struct msghdr *msg, long r, int received, struct sockaddr_storage *copy) {
  if (received) received_addr(e, msg->msg_name, msg->msg_namelen, copy);
  else given_addr(e, 0, 1, msg->msg_name, msg->msg_namelen, copy);
  if (msg->msg_iovlen > 0 && msg->msg_iov) {
    long first = (long)msg->msg_iov[0].iov_len;
    set_preview(e, msg->msg_iov[0].iov_base, r < first ? r : first);
  }
}

/* Where a message that was not sent was going: its msghdr and name copied from the caller; no preview. */
static void unsent_msg_details(struct ev *e, const struct msghdr *msg, struct sockaddr_storage *copy) {
  struct msghdr m;
  if (!copy_in1(&m, msg, sizeof m)) { e->h.flags |= SL_FLAG_UNREADABLE; return; }
  given_addr(e, 0, 0, m.msg_name, m.msg_namelen, copy);
}

EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  ENTER(sendmsg)(fd, msg, flags);
  in_hook = 1;
  ssize_t r = r_sendmsg(fd, msg, flags);
  int err = errno;
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, SL_SENDMSG, fd, RA);
  e.h.a[1] = flags;
  if (r >= 0) msg_details(&e, msg, r, 0, &copy);
  else unsent_msg_details(&e, msg, &copy);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

static void report_recv(int call, int fd, const void *buf, size_t n, int flags, long r, int err, const void *ra) {
  struct ev e;
  ev_init(&e, call, fd, ra);
  e.h.a[0] = (int64_t)n; e.h.a[1] = flags;
  set_preview(&e, buf, r);
  ev_send(&e, r, err);
}

EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags) {
  ENTER(recv)(fd, buf, n, flags);
  in_hook = 1;
  ssize_t r = r_recv(fd, buf, n, flags);
  int err = errno;
  report_recv(SL_RECV, fd, buf, n, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags) {
  ENTER(__recv_chk)(fd, buf, n, buflen, flags);
  in_hook = 1;
  ssize_t r = r___recv_chk(fd, buf, n, buflen, flags);
  int err = errno;
  report_recv(SL_RECV, fd, buf, n, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

static void report_recvfrom(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
                            const socklen_t *alen, long r, int err, const void *ra) {
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, SL_RECVFROM, fd, ra);
  e.h.a[0] = (int64_t)n; e.h.a[1] = flags;
  if (r >= 0 && addr && alen) received_addr(&e, addr, *alen, &copy); /* the kernel wrote *alen when addr is set */
  set_preview(&e, buf, r);
  ev_send(&e, r, err);
}

EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *alen) {
  ENTER(recvfrom)(fd, buf, n, flags, addr, alen);
  in_hook = 1;
  ssize_t r = r_recvfrom(fd, buf, n, flags, addr, alen);
  int err = errno;
  report_recvfrom(fd, buf, n, flags, addr, alen, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr,
                              socklen_t *alen) {
  ENTER(__recvfrom_chk)(fd, buf, n, buflen, flags, addr, alen);
  in_hook = 1;
  ssize_t r = r___recvfrom_chk(fd, buf, n, buflen, flags, addr, alen);
  int err = errno;
  report_recvfrom(fd, buf, n, flags, addr, alen, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  ENTER(recvmsg)(fd, msg, flags);
  in_hook = 1;
  ssize_t r = r_recvmsg(fd, msg, flags);
  int err = errno;
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, SL_RECVMSG, fd, RA);
  e.h.a[1] = flags;
  if (r >= 0) msg_details(&e, msg, r, 1, &copy);
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

/* sendmmsg/recvmmsg: one record per call. ret is the number of messages; a[0] vlen, a[1] flags, a[2] the bytes of
 * the messages moved (their msg_len, set by the kernel); the peer and preview are the first message's. */
static void report_mmsg(int call, int fd, const struct mmsghdr *v, unsigned int vlen, int flags, int r, int err,
                        const void *ra) {
  struct ev e;
  struct sockaddr_storage copy;
  ev_init(&e, call, fd, ra);
  e.h.a[0] = vlen; e.h.a[1] = flags;
  if (r > 0) {
    int64_t total = 0;
    for (int i = 0; i < r; i++) total += v[i].msg_len;
    e.h.a[2] = total;
    msg_details(&e, &v[0].msg_hdr, (long)v[0].msg_len, call == SL_RECVMMSG, &copy);
  } else if (call == SL_SENDMMSG && vlen > 0) {
    unsent_msg_details(&e, &v[0].msg_hdr, &copy);
  }
  ev_send(&e, r, err);
}

EXPORT int sendmmsg(int fd, struct mmsghdr *v, unsigned int vlen, int flags) {
  ENTER(sendmmsg)(fd, v, vlen, flags);
  in_hook = 1;
  int r = r_sendmmsg(fd, v, vlen, flags);
  int err = errno;
  report_mmsg(SL_SENDMMSG, fd, v, vlen, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int recvmmsg(int fd, struct mmsghdr *v, unsigned int vlen, int flags, struct timespec *ts) {
  ENTER(recvmmsg)(fd, v, vlen, flags, ts);
  in_hook = 1;
  int r = r_recvmmsg(fd, v, vlen, flags, ts);
  int err = errno;
  report_mmsg(SL_RECVMMSG, fd, v, vlen, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* A call on a number this process closed as a socket (FD_CLOSED_SOCKET): 1 when it is to be reported, having failed
 * with EBADF (the number is still closed); one that succeeded shows the number now names something untraced. */
static int closed_socket_failed(int fd, long r, int err) {
  if (r < 0) return err == EBADF;
  mark_fd(fd, FD_OTHER);
  return 0;
}

/* The program wrote to its stdout or stderr: ret bytes at this time (the runner places the lines it reads from the
 * pipe by these). */
static int is_output(int fd) {
  return fd == 1 || fd == 2;
}

static void report_output(int fd, long r, int err, const void *ra) {
  struct ev e;
  ev_init(&e, SL_OUTPUT, fd, ra);
  ev_send(&e, r, err);
}

/* read and __read_chk's body; ra: the caller to report (a stdio call, for a stream on a socket). */
static ssize_t traced_read(ssize_t (*real)(int, void *, size_t), int fd, void *buf, size_t n, const void *ra) {
  int kind = fd_kind(fd);
  if (in_hook || (kind != FD_SOCKET && kind != FD_CLOSED_SOCKET)) return real(fd, buf, n);
  in_hook = 1;
  ssize_t r = real(fd, buf, n);
  int err = errno;
  if (kind == FD_SOCKET || closed_socket_failed(fd, r, err)) report_recv(SL_READ, fd, buf, n, 0, r, err, ra);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t read(int fd, void *buf, size_t n) {
  REAL(read)
  return traced_read(r_read, fd, buf, n, RA);
}

static ssize_t real_read_chk(int fd, void *buf, size_t n) {
  REAL(__read_chk)
  return r___read_chk(fd, buf, n, n);
}

EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen) {
  REAL(__read_chk)
  if (n > buflen) return r___read_chk(fd, buf, n, buflen); /* it reports the overflow and aborts */
  return traced_read(real_read_chk, fd, buf, n, RA);
}

static ssize_t traced_write(int fd, const void *buf, size_t n, const void *ra) {
  REAL(write)
  int kind = fd_kind(fd);
  if (in_hook || (kind == FD_OTHER ? !is_output(fd) : kind == FD_EPOLL)) return r_write(fd, buf, n);
  in_hook = 1;
  ssize_t r = r_write(fd, buf, n);
  int err = errno;
  if (kind == FD_OTHER) {
    report_output(fd, r, err, ra);
  } else if (kind == FD_SOCKET || closed_socket_failed(fd, r, err)) {
    struct ev e;
    ev_init(&e, SL_WRITE, fd, ra);
    e.h.a[0] = (int64_t)n;
    set_preview(&e, buf, r);
    ev_send(&e, r, err);
  }
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t write(int fd, const void *buf, size_t n) {
  return traced_write(fd, buf, n, RA);
}

static void report_iov(int call, int fd, const struct iovec *iov, int cnt, long r, int err, const void *ra) {
  struct ev e;
  ev_init(&e, call, fd, ra);
  e.h.a[0] = cnt;
  if (r > 0 && cnt > 0 && iov) { /* only then has the kernel read the iovecs */
    long first = (long)iov[0].iov_len;
    set_preview(&e, iov[0].iov_base, r < first ? r : first);
  }
  ev_send(&e, r, err);
}

EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt) {
  REAL(readv)
  int kind = fd_kind(fd);
  if (in_hook || (kind != FD_SOCKET && kind != FD_CLOSED_SOCKET)) return r_readv(fd, iov, cnt);
  in_hook = 1;
  ssize_t r = r_readv(fd, iov, cnt);
  int err = errno;
  if (kind == FD_SOCKET || closed_socket_failed(fd, r, err)) report_iov(SL_READV, fd, iov, cnt, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  REAL(writev)
  int kind = fd_kind(fd);
  if (in_hook || (kind == FD_OTHER ? !is_output(fd) : kind == FD_EPOLL)) return r_writev(fd, iov, cnt);
  in_hook = 1;
  ssize_t r = r_writev(fd, iov, cnt);
  int err = errno;
  if (kind == FD_OTHER) report_output(fd, r, err, RA);
  else if (kind == FD_SOCKET || closed_socket_failed(fd, r, err)) report_iov(SL_WRITEV, fd, iov, cnt, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* sendfile(64) to a socket: a[0] in_fd, a[1] count, a[3] 1 when an offset pointer was passed and then a[2] the offset
 * it started from (the call advances *offset by what it sent; it is not read before the call, where a bad pointer
 * must fail with EFAULT, not crash here). No preview: the bytes never pass through the program. */
static void report_sendfile(int out, int in, size_t count, int has_off, int64_t off_after, long r, int err,
                            const void *ra) {
  struct ev e;
  ev_init(&e, SL_SENDFILE, out, ra);
  e.h.a[0] = in; e.h.a[1] = (int64_t)count; e.h.a[3] = has_off;
  if (has_off && r >= 0) e.h.a[2] = off_after - r;
  ev_send(&e, r, err);
}

/* sendfile and sendfile64 differ only in the real function they forward to (off_t is 64 bits on x86_64 and aarch64). */
typedef ssize_t (*sendfile_fn)(int, int, off64_t *, size_t);

static ssize_t traced_sendfile(sendfile_fn real, int out, int in, off64_t *off, size_t count, const void *ra) {
  if (in_hook || !is_sock(out)) return real(out, in, off, count);
  in_hook = 1;
  ssize_t r = real(out, in, off, count);
  int err = errno;
  report_sendfile(out, in, count, off != NULL, off && r >= 0 ? (int64_t)*off : 0, r, err, ra);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT ssize_t sendfile(int out, int in, off_t *off, size_t count) {
  REAL(sendfile)
  return traced_sendfile((sendfile_fn)r_sendfile, out, in, (off64_t *)off, count, RA);
}

EXPORT ssize_t sendfile64(int out, int in, off64_t *off, size_t count) {
  REAL(sendfile64)
  return traced_sendfile(r_sendfile64, out, in, off, count, RA);
}

/* close's body; ra as for traced_read. A socket's number is marked closed before the call: once it is closed the
 * number may be handed out again. */
static int traced_close(int fd, const void *ra) {
  REAL(close)
  int kind = fd_kind(fd);
  if (in_hook || kind == FD_OTHER) return r_close(fd);
  in_hook = 1;
  if (kind == FD_SOCKET) mark_fd(fd, FD_CLOSED_SOCKET);
  else if (kind == FD_EPOLL) mark_fd(fd, FD_OTHER);
  int r = r_close(fd);
  int err = errno;
  if (kind != FD_CLOSED_SOCKET || closed_socket_failed(fd, r, err)) {
    struct ev e;
    ev_init(&e, SL_CLOSE, fd, ra);
    ev_send(&e, r, err);
  }
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int close(int fd) {
  return traced_close(fd, RA);
}

EXPORT int shutdown(int fd, int how) {
  ENTER(shutdown)(fd, how);
  in_hook = 1;
  int r = r_shutdown(fd, how);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_SHUTDOWN, fd, RA);
  e.h.a[0] = how;
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len) {
  ENTER(setsockopt)(fd, level, name, val, len);
  in_hook = 1;
  int r = r_setsockopt(fd, level, name, val, len);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_SETSOCKOPT, fd, RA);
  e.h.a[0] = level; e.h.a[1] = name; e.h.a[3] = len;
  if (len >= (socklen_t)sizeof(int)) {
    int v;
    if (!val) e.h.flags |= SL_FLAG_UNREADABLE;
    else if (r == 0) e.h.a[2] = *(const int *)val; /* the kernel has read it */
    else if (copy_in1(&v, val, sizeof v)) e.h.a[2] = v;
    else e.h.flags |= SL_FLAG_UNREADABLE;
  }
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

static void report_dup(int call, int oldfd, int newfd_arg, int flags, int r, int err, const void *ra) {
  struct ev e;
  ev_init(&e, call, oldfd, ra);
  e.h.a[0] = newfd_arg; e.h.a[1] = flags;
  if (r >= 0) e.h.new_fd = r;
  ev_send(&e, r, err);
}

EXPORT int dup(int fd) {
  REAL(dup)
  if (in_hook || !is_sock(fd)) return r_dup(fd);
  in_hook = 1;
  int r = r_dup(fd);
  int err = errno;
  if (r >= 0) mark_sock(r, 1);
  report_dup(SL_DUP, fd, -1, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int dup2(int oldfd, int newfd) {
  REAL(dup2)
  if (in_hook || (!is_sock(oldfd) && !is_sock(newfd))) return r_dup2(oldfd, newfd);
  in_hook = 1;
  int r = r_dup2(oldfd, newfd);
  int err = errno;
  if (r >= 0) mark_sock(r, is_sock(oldfd));
  report_dup(SL_DUP2, oldfd, newfd, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int dup3(int oldfd, int newfd, int flags) {
  REAL(dup3)
  if (in_hook || (!is_sock(oldfd) && !is_sock(newfd))) return r_dup3(oldfd, newfd, flags);
  in_hook = 1;
  int r = r_dup3(oldfd, newfd, flags);
  int err = errno;
  if (r >= 0) mark_sock(r, is_sock(oldfd));
  report_dup(SL_DUP3, oldfd, newfd, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

static int fcntl_reported(int fd, int cmd) {
  return is_sock(fd) && (cmd == F_SETFL || cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_SETOWN);
}

static void report_fcntl(int fd, int cmd, long arg, int r, int err, const void *ra) {
  struct ev e;
  if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) mark_sock(r, 1);
  ev_init(&e, SL_FCNTL, fd, ra);
  e.h.a[0] = cmd; e.h.a[1] = arg;
  if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) e.h.new_fd = r;
  ev_send(&e, r, err);
}

/* fcntl and fcntl64 differ only in the real function they forward to. */
static int traced_fcntl(int (*real)(int, int, ...), int fd, int cmd, long arg, const void *ra) {
  if (in_hook || !fcntl_reported(fd, cmd)) return real(fd, cmd, arg);
  in_hook = 1;
  int r = real(fd, cmd, arg);
  int err = errno;
  report_fcntl(fd, cmd, arg, r, err, ra);
  in_hook = 0;
  errno = err;
  return r;
}

/* fcntl is variadic; every command we care about passes at most one int or pointer, read as a long. */
EXPORT int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  REAL(fcntl)
  return traced_fcntl(r_fcntl, fd, cmd, arg, RA);
}

EXPORT int fcntl64(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  REAL(fcntl64)
  return traced_fcntl(r_fcntl64, fd, cmd, arg, RA);
}

EXPORT pid_t fork(void) {
  ENTER(fork)();
  pid_t r = r_fork(); /* the child reconnects in atfork_child before this returns there */
  int err = errno;
  if (r != 0) {
    in_hook = 1;
    struct ev e;
    ev_init(&e, SL_FORK, -1, RA);
    if (r > 0) e.h.a[0] = r;
    ev_send(&e, r, err);
    in_hook = 0;
  }
  errno = err;
  return r;
}

/* ---- waits: a "waiting" record before the call (what is watched), a "ready" record after it ----
 * The "waiting" record reads the caller's sets, array and timeout before the kernel has checked them: it reads
 * copies (copy_in). The "ready" record reads what the kernel has just written, directly. */

/* Milliseconds of a timeout, -1 for none (wait for ever). */
static int64_t timespec_ms(const struct timespec *ts) {
  return ts ? (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000 : -1;
}

static int64_t timeval_ms(const struct timeval *tv) {
  return tv ? (int64_t)tv->tv_sec * 1000 + tv->tv_usec / 1000 : -1;
}

/* A timespec timeout the caller passed, copied: -1 for none, or when unreadable (flagged in *flags). */
static int64_t copied_timespec_ms(const struct timespec *ts, uint8_t *flags) {
  struct timespec t;
  if (!ts) return -1;
  if (copy_in1(&t, ts, sizeof t)) return timespec_ms(&t);
  *flags |= SL_FLAG_UNREADABLE;
  return -1;
}

static int set_fds(int nfds, const fd_set *set, int *out, int n) {
  if (!set) return n;
  for (int fd = 0; fd < nfds && fd < FD_SETSIZE && n < SL_MAX_FDS; fd++)
    if (FD_ISSET(fd, set)) out[n++] = fd;
  return n;
}

/* select/pselect: the read set is listed first (a[0] of them), then the write set; a[1] timeout (waiting only),
 * a[2] nfds, a[3] 1 when a signal mask was passed. Ready: the sets as the call left them, when it returned > 0. */
static void report_select(int call, int ready, int nfds, const fd_set *rd, const fd_set *wr, int64_t timeout,
                          int mask, uint8_t flags, int r, int err, const void *ra) {
  int fds[SL_MAX_FDS], n = 0;
  struct ev e;
  ev_init(&e, call, -1, ra);
  e.h.flags |= flags;
  if (!ready || r > 0) {
    n = set_fds(nfds, rd, fds, 0);
    e.h.a[0] = n;
    n = set_fds(nfds, wr, fds, n);
  }
  if (ready) e.h.flags |= SL_FLAG_READY;
  else e.h.a[1] = timeout;
  e.h.a[2] = nfds;
  e.h.a[3] = mask;
  e.fds = fds; e.h.nfds = (uint16_t)n;
  ev_send(&e, r, err);
}

/* select/pselect's "waiting" record, from copies of the timeout (a timeval when tv, else a timespec) and of the read
 * and write sets' first nfds bits, all in one copy. Returns 1 when all were copied: only then does the "ready" record
 * read the sets the call left (the kernel writes fewer bits than nfds when nfds exceeds its descriptor table). */
static int report_select_waiting(int call, int nfds, const fd_set *rd, const fd_set *wr, const void *t, int tv,
                                  int mask, const void *ra) {
  union { struct timeval tv; struct timespec ts; } tc;
  fd_set sets[2];
  const fd_set *given[2] = { rd, wr }, *copied[2] = { NULL, NULL };
  struct iovec local[3], remote[3];
  size_t bits = nfds <= 0 ? 0 : nfds < FD_SETSIZE ? (size_t)nfds : FD_SETSIZE;
  int n = 0;
  if (t) {
    local[n].iov_base = &tc; local[n].iov_len = tv ? sizeof tc.tv : sizeof tc.ts;
    remote[n].iov_base = (void *)t; remote[n].iov_len = local[n].iov_len;
    n++;
  }
  for (int i = 0; i < 2; i++) {
    if (!given[i]) continue;
    FD_ZERO(&sets[i]);
    local[n].iov_base = &sets[i]; local[n].iov_len = (bits + 7) / 8;
    remote[n].iov_base = (void *)given[i]; remote[n++].iov_len = (bits + 7) / 8;
    copied[i] = &sets[i];
  }
  int whole = copy_in(local, remote, n);
  int64_t timeout = !t || whole < 1 ? -1 : tv ? timeval_ms(&tc.tv) : timespec_ms(&tc.ts);
  uint8_t flags = 0;
  if (whole < n) { flags = SL_FLAG_UNREADABLE; copied[0] = copied[1] = NULL; }
  report_select(call, 0, nfds, copied[0], copied[1], timeout, mask, flags, 0, 0, ra);
  return !flags;
}

EXPORT int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv) {
  ENTER(select)(nfds, rd, wr, ex, tv);
  in_hook = 1;
  int sets = report_select_waiting(SL_SELECT, nfds, rd, wr, tv, 1, 0, RA);
  int r = r_select(nfds, rd, wr, ex, tv);
  int err = errno;
  report_select(SL_SELECT, 1, nfds, sets ? rd : NULL, sets ? wr : NULL, 0, 0, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts, const sigset_t *mask) {
  ENTER(pselect)(nfds, rd, wr, ex, ts, mask);
  in_hook = 1;
  int sets = report_select_waiting(SL_PSELECT, nfds, rd, wr, ts, 0, mask != NULL, RA);
  int r = r_pselect(nfds, rd, wr, ex, ts, mask);
  int err = errno;
  report_select(SL_PSELECT, 1, nfds, sets ? rd : NULL, sets ? wr : NULL, 0, mask != NULL, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* poll/ppoll: the descriptors watched (waiting) or those with revents (ready); a[1] timeout, a[3] 1 when a signal
 * mask was passed. */
#define POLL_BLOCK 128

/* The "waiting" record, from copies of the caller's array (in blocks of POLL_BLOCK, until SL_MAX_FDS descriptors or
 * MAX_TRACKED_FD entries) and of ppoll's timeout ts (with the first block); poll passes its timeout as timeout_ms
 * and no ts. Returns the timeout, for the "ready" record. */
static int64_t report_poll_waiting(int call, const struct pollfd *pfds, nfds_t n, int64_t timeout_ms,
                                   const struct timespec *ts, int mask, const void *ra) {
  int fds[SL_MAX_FDS], k = 0;
  struct pollfd block[POLL_BLOCK];
  struct timespec t;
  struct iovec local[2], remote[2];
  struct ev e;
  int64_t timeout = ts ? -1 : timeout_ms;
  ev_init(&e, call, -1, ra);
  for (nfds_t done = 0;;) {
    int m = 0;
    if (ts && !done) {
      local[m].iov_base = &t; local[m].iov_len = sizeof t;
      remote[m].iov_base = (void *)ts; remote[m++].iov_len = sizeof t;
    }
    nfds_t cnt = n - done < POLL_BLOCK ? n - done : POLL_BLOCK;
    local[m].iov_base = block; local[m].iov_len = cnt * sizeof *block;
    remote[m].iov_base = (void *)((uintptr_t)pfds + done * sizeof *pfds); remote[m++].iov_len = cnt * sizeof *block;
    int whole = copy_in(local, remote, m);
    if (ts && !done && whole >= 1) timeout = timespec_ms(&t);
    if (whole < m) { e.h.flags |= SL_FLAG_UNREADABLE; k = 0; break; }
    for (nfds_t i = 0; i < cnt && k < SL_MAX_FDS; i++) if (block[i].fd >= 0) fds[k++] = block[i].fd;
    done += cnt;
    if (done >= n || done >= MAX_TRACKED_FD || k >= SL_MAX_FDS) break;
  }
  e.h.a[1] = timeout;
  e.h.a[3] = mask;
  e.fds = fds; e.h.nfds = (uint16_t)k;
  ev_send(&e, 0, 0);
  return timeout;
}

static void report_poll_ready(int call, const struct pollfd *pfds, nfds_t n, int64_t timeout, int mask, int r,
                              int err, const void *ra) {
  int fds[SL_MAX_FDS], k = 0;
  struct ev e;
  ev_init(&e, call, -1, ra);
  e.h.flags |= SL_FLAG_READY;
  for (nfds_t i = 0; r > 0 && i < n && k < SL_MAX_FDS; i++) if (pfds[i].fd >= 0 && pfds[i].revents) fds[k++] = pfds[i].fd;
  e.h.a[1] = timeout;
  e.h.a[3] = mask;
  e.fds = fds; e.h.nfds = (uint16_t)k;
  ev_send(&e, r, err);
}

EXPORT int poll(struct pollfd *pfds, nfds_t n, int timeout) {
  ENTER(poll)(pfds, n, timeout);
  in_hook = 1;
  report_poll_waiting(SL_POLL, pfds, n, timeout, NULL, 0, RA);
  int r = r_poll(pfds, n, timeout);
  int err = errno;
  report_poll_ready(SL_POLL, pfds, n, timeout, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int __poll_chk(struct pollfd *pfds, nfds_t n, int timeout, size_t fdslen) {
  ENTER(__poll_chk)(pfds, n, timeout, fdslen);
  in_hook = 1;
  report_poll_waiting(SL_POLL, pfds, n, timeout, NULL, 0, RA);
  int r = r___poll_chk(pfds, n, timeout, fdslen);
  int err = errno;
  report_poll_ready(SL_POLL, pfds, n, timeout, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int ppoll(struct pollfd *pfds, nfds_t n, const struct timespec *ts, const sigset_t *mask) {
  ENTER(ppoll)(pfds, n, ts, mask);
  in_hook = 1;
  int64_t timeout = report_poll_waiting(SL_PPOLL, pfds, n, -1, ts, mask != NULL, RA);
  int r = r_ppoll(pfds, n, ts, mask);
  int err = errno;
  report_poll_ready(SL_PPOLL, pfds, n, timeout, mask != NULL, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int __ppoll_chk(struct pollfd *pfds, nfds_t n, const struct timespec *ts, const sigset_t *mask, size_t fdslen) {
  ENTER(__ppoll_chk)(pfds, n, ts, mask, fdslen);
  in_hook = 1;
  int64_t timeout = report_poll_waiting(SL_PPOLL, pfds, n, -1, ts, mask != NULL, RA);
  int r = r___ppoll_chk(pfds, n, ts, mask, fdslen);
  int err = errno;
  report_poll_ready(SL_PPOLL, pfds, n, timeout, mask != NULL, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event) {
  ENTER(epoll_ctl)(epfd, op, fd, event);
  in_hook = 1;
  int r = r_epoll_ctl(epfd, op, fd, event);
  int err = errno;
  struct ev e;
  ev_init(&e, SL_EPOLL_CTL, fd, RA);
  e.h.a[0] = op; e.h.a[1] = epfd;
  if (event) {
    uint32_t events;
    /* the kernel reads the event of a successful ADD or MOD; a DEL's it ignores */
    if (r == 0 && op != EPOLL_CTL_DEL) e.h.a[2] = event->events;
    else if (copy_in1(&events, &event->events, sizeof events)) e.h.a[2] = events;
    else e.h.flags |= SL_FLAG_UNREADABLE;
  }
  ev_send(&e, r, err);
  in_hook = 0;
  errno = err;
  return r;
}

/* epoll_wait/epoll_pwait/epoll_pwait2 on epfd: a[1] timeout, a[3] 1 when a signal mask was passed; ready: the
 * returned events whose data.fd is a known socket (data is the program's own union; the usual `ev.data.fd = fd`
 * shows that way). */
static void report_epoll_wait(int call, int ready, int epfd, const struct epoll_event *events, int64_t timeout,
                              int mask, uint8_t flags, int r, int err, const void *ra) {
  int fds[SL_MAX_FDS], k = 0;
  struct ev e;
  ev_init(&e, call, epfd, ra);
  e.h.flags |= flags;
  if (ready) {
    e.h.flags |= SL_FLAG_READY;
    for (int i = 0; i < r && k < SL_MAX_FDS; i++) if (is_sock(events[i].data.fd)) fds[k++] = events[i].data.fd;
    e.fds = fds; e.h.nfds = (uint16_t)k;
  }
  e.h.a[1] = timeout;
  e.h.a[3] = mask;
  ev_send(&e, r, err);
}

EXPORT int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout) {
  ENTER(epoll_wait)(epfd, events, max, timeout);
  in_hook = 1;
  report_epoll_wait(SL_EPOLL_WAIT, 0, epfd, events, timeout, 0, 0, 0, 0, RA);
  int r = r_epoll_wait(epfd, events, max, timeout);
  int err = errno;
  report_epoll_wait(SL_EPOLL_WAIT, 1, epfd, events, timeout, 0, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout, const sigset_t *mask) {
  ENTER(epoll_pwait)(epfd, events, max, timeout, mask);
  in_hook = 1;
  report_epoll_wait(SL_EPOLL_PWAIT, 0, epfd, events, timeout, mask != NULL, 0, 0, 0, RA);
  int r = r_epoll_pwait(epfd, events, max, timeout, mask);
  int err = errno;
  report_epoll_wait(SL_EPOLL_PWAIT, 1, epfd, events, timeout, mask != NULL, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int epoll_pwait2(int epfd, struct epoll_event *events, int max, const struct timespec *ts, const sigset_t *mask) {
  ENTER(epoll_pwait2)(epfd, events, max, ts, mask);
  in_hook = 1;
  uint8_t flags = 0;
  int64_t timeout = copied_timespec_ms(ts, &flags);
  report_epoll_wait(SL_EPOLL_PWAIT2, 0, epfd, events, timeout, mask != NULL, flags, 0, 0, RA);
  int r = r_epoll_pwait2(epfd, events, max, ts, mask);
  int err = errno;
  report_epoll_wait(SL_EPOLL_PWAIT2, 1, epfd, events, timeout, mask != NULL, 0, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* epoll_create/epoll_create1: a[0] the size or flags; the new epoll descriptor is followed (its close is reported). */
static void report_epoll_create(int call, int arg, int r, int err, const void *ra) {
  struct ev e;
  ev_init(&e, call, -1, ra);
  e.h.a[0] = arg;
  if (r >= 0) { mark_fd(r, FD_EPOLL); e.h.new_fd = r; }
  ev_send(&e, r, err);
}

EXPORT int epoll_create(int size) {
  ENTER(epoll_create)(size);
  in_hook = 1;
  int r = r_epoll_create(size);
  int err = errno;
  report_epoll_create(SL_EPOLL_CREATE, size, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

EXPORT int epoll_create1(int flags) {
  ENTER(epoll_create1)(flags);
  in_hook = 1;
  int r = r_epoll_create1(flags);
  int err = errno;
  report_epoll_create(SL_EPOLL_CREATE1, flags, r, err, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* ---- name resolution ----
 * getaddrinfo/getnameinfo: ret is the function's own result (0, or an EAI_* code, negative); err is errno for
 * EAI_SYSTEM. The data are NUL-terminated strings, then (getaddrinfo) the results: per address a type byte
 * (ai_socktype), a length byte and the sockaddr. The strings are cut at RESOLVER_TEXT_MAX bytes. */
#define RESOLVER_TEXT_MAX 255
#define RESOLVER_MAX_RESULTS 16

struct text_buf {
  char bytes[3 * (RESOLVER_TEXT_MAX + 1) + RESOLVER_MAX_RESULTS * (2 + sizeof(struct sockaddr_in6))];
  size_t len;
};

static void text_add(struct text_buf *b, const char *s) {
  size_t n = s ? strnlen(s, RESOLVER_TEXT_MAX) : 0;
  memcpy(b->bytes + b->len, s ? s : "", n);
  b->len += n;
  b->bytes[b->len++] = 0;
}

/* getaddrinfo: a[0..2] the hints' family, socktype and flags, a[3] bit 0: hints given, bit 1: node given, bit 2:
 * service given. Data: node, service, gai_strerror's text (empty on success), then the results. */
static void report_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                               const struct addrinfo *res, int r, int err, const void *ra) {
  struct ev e;
  struct text_buf b;
  b.len = 0;
  ev_init(&e, SL_GETADDRINFO, -1, ra);
  if (hints) { e.h.a[0] = hints->ai_family; e.h.a[1] = hints->ai_socktype; e.h.a[2] = hints->ai_flags; }
  e.h.a[3] = (hints != NULL) | (node != NULL) << 1 | (service != NULL) << 2;
  text_add(&b, node);
  text_add(&b, service);
  text_add(&b, r ? gai_strerror(r) : NULL);
  int n = 0;
  for (const struct addrinfo *ai = r ? NULL : res; ai && n < RESOLVER_MAX_RESULTS; ai = ai->ai_next) {
    if (!ai->ai_addr || ai->ai_addrlen > sizeof(struct sockaddr_in6)) continue;
    b.bytes[b.len++] = (char)ai->ai_socktype;
    b.bytes[b.len++] = (char)ai->ai_addrlen;
    memcpy(b.bytes + b.len, ai->ai_addr, ai->ai_addrlen);
    b.len += ai->ai_addrlen;
    n++;
  }
  e.data = b.bytes;
  e.h.data_len = (uint16_t)b.len;
  ev_send(&e, r, err);
}

EXPORT int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
  ENTER(getaddrinfo)(node, service, hints, res);
  in_hook = 1;
  int r = r_getaddrinfo(node, service, hints, res);
  int err = errno;
  report_getaddrinfo(node, service, hints, r == 0 ? *res : NULL, r, r == EAI_SYSTEM ? err : 0, RA);
  in_hook = 0;
  errno = err;
  return r;
}

/* getnameinfo: the address asked about as the peer; a[0] flags, a[3] bit 0: a host buffer given, bit 1: a service
 * buffer given. Data: the host and service found (empty on failure), then gai_strerror's text. */
EXPORT int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen, char *serv,
                       socklen_t servlen, int flags) {
  ENTER(getnameinfo)(sa, salen, host, hostlen, serv, servlen, flags);
  in_hook = 1;
  int r = r_getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
  int err = errno;
  struct ev e;
  struct text_buf b;
  struct sockaddr_storage copy;
  b.len = 0;
  ev_init(&e, SL_GETNAMEINFO, -1, RA);
  e.h.a[0] = flags;
  e.h.a[3] = (host && hostlen) | (serv && servlen) << 1;
  given_addr(&e, 0, r == 0, sa, salen, &copy);
  text_add(&b, r == 0 && host && hostlen ? host : NULL);
  text_add(&b, r == 0 && serv && servlen ? serv : NULL);
  text_add(&b, r ? gai_strerror(r) : NULL);
  e.data = b.bytes;
  e.h.data_len = (uint16_t)b.len;
  ev_send(&e, r, r == EAI_SYSTEM ? err : 0);
  in_hook = 0;
  errno = err;
  return r;
}

/* ---- stdio streams on sockets ----
 * glibc's own streams read, write and close through internal calls the hooks never see. fdopen on a socket therefore
 * returns a fopencookie stream whose reads, writes and close go through the traced paths, with the descriptor set as
 * its _fileno (so fileno() works and glibc treats it as open; cookie streams otherwise hold -2 there). The stdio calls
 * programs use on such streams note their caller, so those records carry the program's line. */
static __thread const void *stdio_ra;

/* A stream's cookie: its descriptor, and the buffer it was given (glibc's own streams size theirs by st_blksize, 4096
 * for a socket; a cookie stream would take BUFSIZ), freed when the stream closes. */
struct sock_stream {
  int fd;
  char *buf;
};

static ssize_t stream_read(void *cookie, char *buf, size_t n) {
  REAL(read)
  return traced_read(r_read, ((struct sock_stream *)cookie)->fd, buf, n, stdio_ra);
}

/* As glibc's own file streams do: write until all is written or a call fails, and return what was written. */
static ssize_t stream_write(void *cookie, const char *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = traced_write(((struct sock_stream *)cookie)->fd, buf + done, n - done, stdio_ra);
    if (w <= 0) break;
    done += (size_t)w;
  }
  return (ssize_t)done;
}

static int stream_seek(void *cookie, off64_t *pos, int whence) {
  /* a socket: ESPIPE, as for a file stream */
  long r = syscall(SYS_lseek, ((struct sock_stream *)cookie)->fd, (long)*pos, whence);
  if (r < 0) return -1;
  *pos = r;
  return 0;
}

static int stream_close(void *cookie) {
  struct sock_stream *c = cookie;
  int r = traced_close(c->fd, stdio_ra);
  int err = errno;
  free(c->buf);
  free(c);
  errno = err;
  return r;
}

EXPORT FILE *fdopen(int fd, const char *mode) {
  REAL(fdopen)
  if (in_hook || !is_sock(fd) || !mode || (mode[0] != 'r' && mode[0] != 'w' && mode[0] != 'a')) return r_fdopen(fd, mode);
  static const cookie_io_functions_t io = { stream_read, stream_write, stream_seek, stream_close };
  struct stat st;
  size_t size = syscall(SYS_fstat, fd, &st) == 0 && st.st_blksize > 0 ? (size_t)st.st_blksize : BUFSIZ;
  struct sock_stream *c = malloc(sizeof *c);
  char *buf = malloc(size);
  FILE *fp = c && buf ? fopencookie(c, mode, io) : NULL;
  if (!fp) {
    int err = c && buf ? errno : ENOMEM;
    free(c);
    free(buf);
    errno = err;
    return NULL;
  }
  c->fd = fd;
  c->buf = buf;
  fp->_fileno = fd;
  setvbuf(fp, buf, _IOFBF, size);
  return fp;
}

/* stdout and stderr write through glibc's internal calls too: when traced, the program's stdout and stderr become
 * cookie streams on fds 1 and 2 (stdout line-buffered, as above; stderr unbuffered, as glibc's), whose writes go
 * through traced_write: output records time every line the program prints (and a socket dup2'ed onto fd 1 shows its
 * writes). The original streams stay open, unused. */
static ssize_t standard_write(void *cookie, const char *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = traced_write((int)(intptr_t)cookie, buf + done, n - done, stdio_ra);
    if (w <= 0) break;
    done += (size_t)w;
  }
  return (ssize_t)done;
}

static int standard_close(void *cookie) {
  return traced_close((int)(intptr_t)cookie, stdio_ra);
}

static FILE *standard_stream(int fd, int mode) {
  static const cookie_io_functions_t io = { NULL, standard_write, NULL, standard_close };
  FILE *fp = fopencookie((void *)(intptr_t)fd, "w", io);
  if (!fp) return NULL;
  fp->_fileno = fd;
  setvbuf(fp, NULL, mode, 0);
  return fp;
}

static FILE *original_stdout, *original_stderr, *traced_stdout, *traced_stderr;

static void trace_standard_streams(void) {
  original_stdout = stdout;
  original_stderr = stderr;
  traced_stdout = standard_stream(1, _IOLBF);
  traced_stderr = standard_stream(2, _IONBF);
  if (traced_stdout) stdout = traced_stdout;
  if (traced_stderr) stderr = traced_stderr;
}

/* freopen of stdout or stderr (redirecting the program's output to a file) re-opens glibc's own stream, which the
 * program gets back as stdout or stderr; glibc cannot re-open a cookie stream. Its lines are not timed from then on. */
static FILE *untraced_standard_stream(FILE *fp) {
  REAL(fflush)
  if (!fp || (fp != traced_stdout && fp != traced_stderr)) return fp;
  r_fflush(fp);
  if (fp == traced_stdout) return stdout = original_stdout;
  return stderr = original_stderr;
}

EXPORT FILE *freopen(const char *path, const char *mode, FILE *fp) {
  REAL(freopen)
  return r_freopen(path, mode, untraced_standard_stream(fp));
}

EXPORT FILE *freopen64(const char *path, const char *mode, FILE *fp) {
  REAL(freopen64)
  return r_freopen64(path, mode, untraced_standard_stream(fp));
}

/* The stdio calls that move a socket stream's or the standard streams' bytes or close them, noting their caller for
 * the records they cause. */
#define STDIO_CALL(name, ...)           \
  REAL(name)                             \
  const void *outer = stdio_ra;          \
  stdio_ra = RA;                         \
  __typeof__(r_##name(__VA_ARGS__)) r = r_##name(__VA_ARGS__); \
  stdio_ra = outer;                      \
  return r

EXPORT char *fgets(char *s, int n, FILE *fp) { STDIO_CALL(fgets, s, n, fp); }
EXPORT int fputs(const char *s, FILE *fp) { STDIO_CALL(fputs, s, fp); }
EXPORT size_t fread(void *p, size_t size, size_t n, FILE *fp) { STDIO_CALL(fread, p, size, n, fp); }
EXPORT size_t fwrite(const void *p, size_t size, size_t n, FILE *fp) { STDIO_CALL(fwrite, p, size, n, fp); }
EXPORT int fflush(FILE *fp) { STDIO_CALL(fflush, fp); }
EXPORT int fclose(FILE *fp) { STDIO_CALL(fclose, fp); }
EXPORT int fputc(int c, FILE *fp) { STDIO_CALL(fputc, c, fp); }
EXPORT int fgetc(FILE *fp) { STDIO_CALL(fgetc, fp); }
EXPORT int vfprintf(FILE *fp, const char *fmt, va_list ap) { STDIO_CALL(vfprintf, fp, fmt, ap); }

EXPORT int puts(const char *s) { STDIO_CALL(puts, s); }
EXPORT int putchar(int c) { STDIO_CALL(putchar, c); }
EXPORT int vprintf(const char *fmt, va_list ap) { STDIO_CALL(vprintf, fmt, ap); }

EXPORT int printf(const char *fmt, ...) {
  REAL(vprintf)
  const void *outer = stdio_ra;
  stdio_ra = RA;
  va_list ap;
  va_start(ap, fmt);
  int r = r_vprintf(fmt, ap);
  va_end(ap);
  stdio_ra = outer;
  return r;
}

EXPORT int fprintf(FILE *fp, const char *fmt, ...) {
  REAL(vfprintf)
  const void *outer = stdio_ra;
  stdio_ra = RA;
  va_list ap;
  va_start(ap, fmt);
  int r = r_vfprintf(fp, fmt, ap);
  va_end(ap);
  stdio_ra = outer;
  return r;
}

/* ---- signal handlers ----
 * A handler can run while its thread is inside a hook (blocked in the real call, with in_hook set): its calls would
 * pass straight through. The program's handlers are therefore installed behind a trampoline that clears in_hook for
 * the handler and restores it after; the record path is async-signal-safe (no locks, no allocation, vDSO clock,
 * atomic slot reservation). The program sees its own handler wherever it asks for the old one. */
static void *program_handlers[NSIG];

static void run_handler(int sig) {
  int outer = in_hook;
  void (*h)(int) = (void (*)(int))__atomic_load_n(&program_handlers[sig], __ATOMIC_ACQUIRE);
  in_hook = 0;
  if (h) h(sig);
  in_hook = outer;
}

static void run_info_handler(int sig, siginfo_t *si, void *uc) {
  int outer = in_hook;
  void (*h)(int, siginfo_t *, void *) =
      (void (*)(int, siginfo_t *, void *))__atomic_load_n(&program_handlers[sig], __ATOMIC_ACQUIRE);
  in_hook = 0;
  if (h) h(sig, si, uc);
  in_hook = outer;
}

static int is_trampoline(void *h) {
  return h == (void *)run_handler || h == (void *)run_info_handler;
}

/* The handler to install for the program's h on sig (stored before the kernel can call it); SIG_DFL/SIG_IGN as is. */
static void *wrap_handler(int sig, void *h, int info) {
  if (h == (void *)SIG_DFL || h == (void *)SIG_IGN || h == (void *)SIG_ERR) return h;
  __atomic_store_n(&program_handlers[sig], h, __ATOMIC_RELEASE);
  return info ? (void *)run_info_handler : (void *)run_handler;
}

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  REAL(sigaction)
  struct sigaction copy;
  /* the program's act is read from a copy: a bad pointer must fail with EFAULT, not fault here */
  if (sig <= 0 || sig >= NSIG || (act && !copy_in1(&copy, act, sizeof copy))) return r_sigaction(sig, act, old);
  void *previous = __atomic_load_n(&program_handlers[sig], __ATOMIC_ACQUIRE);
  if (act) copy.sa_handler = (void (*)(int))wrap_handler(sig, (void *)copy.sa_handler, copy.sa_flags & SA_SIGINFO);
  int r = r_sigaction(sig, act ? &copy : NULL, old);
  int err = errno;
  if (r < 0 && act) __atomic_store_n(&program_handlers[sig], previous, __ATOMIC_RELEASE);
  if (r == 0 && old && is_trampoline((void *)old->sa_handler)) old->sa_handler = (void (*)(int))previous;
  errno = err;
  return r;
}

EXPORT sighandler_t signal(int sig, sighandler_t handler) {
  REAL(signal)
  if (sig <= 0 || sig >= NSIG) return r_signal(sig, handler);
  void *previous = __atomic_load_n(&program_handlers[sig], __ATOMIC_ACQUIRE);
  sighandler_t r = r_signal(sig, (sighandler_t)wrap_handler(sig, (void *)handler, 0));
  int err = errno;
  if (r == SIG_ERR) __atomic_store_n(&program_handlers[sig], previous, __ATOMIC_RELEASE);
  else if (is_trampoline((void *)r)) r = (sighandler_t)previous;
  errno = err;
  return r;
}

EXPORT void exit(int code) {
  REAL(exit)
  report_exit(code, RA);
  r_exit(code);
  __builtin_unreachable();
}

EXPORT void _exit(int code) {
  REAL(_exit)
  report_exit(code, RA);
  r__exit(code);
  __builtin_unreachable();
}

EXPORT void _Exit(int code) {
  REAL(_Exit)
  report_exit(code, RA);
  r__Exit(code);
  __builtin_unreachable();
}
