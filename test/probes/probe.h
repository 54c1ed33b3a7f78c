/* Shared helpers for the behaviour probes (test/unit/knowledge-probes.test.ts).
 * A probe exits 0 when the claim it is linked to holds on this machine, 1 with a message when it does not,
 * and 77 when the machine cannot show it (the message says why). Loopback only, ephemeral ports. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAIL(...) do { fprintf(stderr, "line %d: ", __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)
#define SKIP(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(77); } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
/* A call that must fail with exactly this errno. */
#define EXPECT_ERRNO(call, want) do { errno = 0; long r_ = (long)(call); int e_ = errno; \
    if (r_ != -1 || e_ != (want)) FAIL("%s: expected -1/%s, got %ld/%s", #call, #want, r_, strerrorname_np(e_) ? strerrorname_np(e_) : "0"); } while (0)
/* A call that must succeed (not return -1). */
#define MUST(call) ({ errno = 0; long r_ = (long)(call); if (r_ == -1) FAIL("%s: %s", #call, strerrorname_np(errno)); r_; })

static inline struct sockaddr_in loopback(unsigned short port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port; the port is written to *port. */
static inline int tcp_listener(unsigned short *port, int reuse) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  if (reuse) { int one = 1; MUST(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)); }
  struct sockaddr_in a = loopback(*port);
  MUST(bind(fd, (struct sockaddr *)&a, sizeof a));
  MUST(listen(fd, 8));
  socklen_t len = sizeof a;
  MUST(getsockname(fd, (struct sockaddr *)&a, &len));
  *port = ntohs(a.sin_port);
  return fd;
}

static inline int tcp_connect(unsigned short port) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in a = loopback(port);
  MUST(connect(fd, (struct sockaddr *)&a, sizeof a));
  return fd;
}

/* A connected pair over loopback TCP: *client and *server (the accepted socket). The listener is closed. */
static inline void tcp_pair(int *client, int *server) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  *client = tcp_connect(port);
  *server = MUST(accept(lfd, NULL, NULL));
  close(lfd);
}

static inline void sleep_ms(long ms) {
  struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&t, &t) == -1 && errno == EINTR) {}
}
