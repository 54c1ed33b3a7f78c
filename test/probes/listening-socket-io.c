/* The listening socket carries no data: read()/recv() on it fail with ENOTCONN; send()/write() fail with
 * EPIPE and raise SIGPIPE, which ends the process unless SIGPIPE is ignored or MSG_NOSIGNAL is given. */
#include "probe.h"

int main(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  char b[4];
  EXPECT_ERRNO(read(lfd, b, sizeof b), ENOTCONN);
  EXPECT_ERRNO(recv(lfd, b, sizeof b, 0), ENOTCONN);

  pid_t pid = MUST(fork());
  if (pid == 0) { signal(SIGPIPE, SIG_DFL); write(lfd, "x", 1); _exit(0); }
  int status;
  MUST(waitpid(pid, &status, 0));
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "write() on the listener must raise SIGPIPE (status %#x)", status);

  EXPECT_ERRNO(send(lfd, "x", 1, MSG_NOSIGNAL), EPIPE);
  signal(SIGPIPE, SIG_IGN);
  EXPECT_ERRNO(write(lfd, "x", 1), EPIPE);
  return 0;
}
