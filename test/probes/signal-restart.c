/* glibc's signal() installs a handler with BSD semantics (SA_RESTART): a blocking accept() interrupted by a
 * handled SIGCHLD is restarted. A handler installed with sigaction() without SA_RESTART makes accept() fail
 * with EINTR instead, and the handler stays installed after it ran. */
#include "probe.h"

static volatile sig_atomic_t caught;
static void on_child(int sig) { (void)sig; caught++; }

/* accept() on a listener while a child exits after 50 ms, then a client connects after 150 ms.
 * Returns accept()'s result and leaves its errno. */
static int accept_through_sigchld(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  pid_t quick = MUST(fork());
  if (quick == 0) { sleep_ms(50); _exit(0); }
  pid_t client = MUST(fork());
  if (client == 0) { sleep_ms(150); int c = tcp_connect(port); sleep_ms(100); close(c); _exit(0); }
  int r = accept(lfd, NULL, NULL);
  int saved = errno;
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
  close(lfd);
  errno = saved;
  return r;
}

int main(void) {
  signal(SIGCHLD, on_child);
  CHECK(accept_through_sigchld() >= 0, "with signal(), accept() must be restarted: %s", strerrorname_np(errno));
  CHECK(caught >= 1, "the handler must have run");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_child;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  MUST(sigaction(SIGCHLD, &sa, NULL));
  caught = 0;
  EXPECT_ERRNO(accept_through_sigchld(), EINTR);
  CHECK(caught >= 1, "the handler must have run");
  struct sigaction now;
  MUST(sigaction(SIGCHLD, NULL, &now));
  CHECK(now.sa_handler == on_child, "the handler must stay installed");
  return 0;
}
