/* connect() on a TCP socket with sin_family left 0 (AF_UNSPEC) returns 0 and connects nothing (it means
 * "dissolve the association"). A later send() raises SIGPIPE, which kills the process by default; with
 * MSG_NOSIGNAL, or SIGPIPE ignored, send() returns -1 with EPIPE instead. */
#include "probe.h"

static int unconnected_after_unspec(void) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_port = htons(9);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect with family 0 must return 0: %s", strerrorname_np(errno));
  return fd;
}

int main(void) {
  int fd = unconnected_after_unspec();
  pid_t pid = MUST(fork());
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    send(fd, "x", 1, 0);
    _exit(0);
  }
  int status;
  MUST(waitpid(pid, &status, 0));
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "send() must kill the process with SIGPIPE (status %#x)", status);

  EXPECT_ERRNO(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
  signal(SIGPIPE, SIG_IGN);
  EXPECT_ERRNO(send(fd, "x", 1, 0), EPIPE);
  return 0;
}
