/* After the peer closes: read() returns 0 once the data is consumed; the first write usually still succeeds
 * (the peer answers it with a reset) and the next one fails with EPIPE, raising SIGPIPE, whose default action
 * ends the process. After this side's shutdown(SHUT_WR), a write fails with EPIPE at once. */
#include "probe.h"

int main(void) {
  int c, s;
  tcp_pair(&c, &s);
  MUST(write(s, "bye", 3));
  close(s);
  char b[8];
  CHECK(read(c, b, sizeof b) == 3, "the data sent before close must arrive");
  CHECK(read(c, b, sizeof b) == 0, "then read must return 0");

  pid_t pid = MUST(fork());
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    if (write(c, "1", 1) != 1) _exit(2);
    sleep_ms(100);
    write(c, "2", 1);
    _exit(0);
  }
  int status;
  MUST(waitpid(pid, &status, 0));
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "the second write must raise SIGPIPE (status %#x)", status);

  signal(SIGPIPE, SIG_IGN);
  int c2, s2;
  tcp_pair(&c2, &s2);
  close(s2);
  CHECK(write(c2, "1", 1) == 1, "the first write after the peer closed must succeed");
  sleep_ms(100);
  EXPECT_ERRNO(write(c2, "2", 1), EPIPE);
  int c3, s3;
  tcp_pair(&c3, &s3);
  MUST(shutdown(c3, SHUT_WR));
  EXPECT_ERRNO(write(c3, "x", 1), EPIPE);
  return 0;
}
