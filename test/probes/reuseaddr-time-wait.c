/* A restarted server's bind() fails with EADDRINUSE only while its own side of an old connection is in
 * TIME_WAIT (the server closed first); SO_REUSEADDR lets it bind then. When the client closed first, the
 * port is free again without SO_REUSEADDR. A port with a live listener stays taken even with SO_REUSEADDR. */
#include "probe.h"

static int rebind(unsigned short port, int reuse) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  if (reuse) { int one = 1; MUST(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)); }
  struct sockaddr_in a = loopback(port);
  int r = bind(fd, (struct sockaddr *)&a, sizeof a);
  int saved = errno;
  close(fd);
  errno = saved;
  return r;
}

/* One connection on a fresh port; `server_first` says which side closes first. Returns the port. */
static unsigned short old_connection(int server_first) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 1);
  int c = tcp_connect(port);
  int s = MUST(accept(lfd, NULL, NULL));
  char b;
  int first = server_first ? s : c, second = server_first ? c : s;
  close(first);
  CHECK(read(second, &b, 1) == 0, "the side that closed second must read end of file");
  close(second);
  close(lfd);
  sleep_ms(100); /* LAST_ACK → CLOSED on loopback */
  return port;
}

int main(void) {
  unsigned short port = old_connection(1);
  EXPECT_ERRNO(rebind(port, 0), EADDRINUSE);
  CHECK(rebind(port, 1) == 0, "SO_REUSEADDR must allow the bind next to TIME_WAIT: %s", strerrorname_np(errno));

  port = old_connection(0);
  CHECK(rebind(port, 0) == 0, "client closed first: the server's port must be free: %s", strerrorname_np(errno));

  port = 0;
  int lfd = tcp_listener(&port, 1);
  EXPECT_ERRNO(rebind(port, 1), EADDRINUSE);
  close(lfd);
  return 0;
}
