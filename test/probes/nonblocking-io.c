/* Waiting calls and their timeouts: on an O_NONBLOCK socket recv() and accept() fail with EAGAIN and connect()
 * with EINPROGRESS; SO_ERROR then tells the outcome once the socket is writable (0 connected, ECONNREFUSED)
 * and is cleared by reading it; MSG_DONTWAIT makes one call non-blocking while the socket stays blocking;
 * SO_RCVTIMEO makes a blocking recv()/accept() give up with EAGAIN; MSG_PEEK leaves the data queued; after the
 * peer's shutdown(SHUT_WR) reads return the data and then 0, while this side can still send a reply. A socket
 * returned by accept() does not inherit O_NONBLOCK from the listening socket. */
#include "probe.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>

static int so_error(int fd) {
  int e = -1;
  socklen_t len = sizeof e;
  MUST(getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len));
  return e;
}

static int connect_nonblocking(unsigned short port) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  struct sockaddr_in a = loopback(port);
  int r = connect(fd, (struct sockaddr *)&a, sizeof a);
  CHECK(r == -1 && errno == EINPROGRESS, "a non-blocking connect must return EINPROGRESS (%d, %s)", r, strerrorname_np(errno));
  struct pollfd p = { .fd = fd, .events = POLLOUT };
  CHECK(poll(&p, 1, 1000) == 1, "the socket must become writable");
  return fd;
}

int main(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  int fl = (int)MUST(fcntl(lfd, F_GETFL));
  MUST(fcntl(lfd, F_SETFL, fl | O_NONBLOCK));
  EXPECT_ERRNO(accept(lfd, NULL, NULL), EAGAIN);

  int c = connect_nonblocking(port);
  CHECK(so_error(c) == 0, "SO_ERROR must be 0 after a successful connect");
  int s = MUST(accept(lfd, NULL, NULL));
  CHECK(!(fcntl(s, F_GETFL) & O_NONBLOCK), "an accepted socket must not inherit O_NONBLOCK from the listener");
  char b[8];
  EXPECT_ERRNO(recv(c, b, sizeof b, 0), EAGAIN);

  unsigned short closed = 0;
  int tmp = tcp_listener(&closed, 0);
  close(tmp);
  int r = connect_nonblocking(closed);
  CHECK(so_error(r) == ECONNREFUSED && so_error(r) == 0, "SO_ERROR must report ECONNREFUSED once, then 0");

  EXPECT_ERRNO(recv(s, b, sizeof b, MSG_DONTWAIT), EAGAIN);
  CHECK(!(fcntl(s, F_GETFL) & O_NONBLOCK), "MSG_DONTWAIT must leave the socket blocking");
  struct timeval tv = { 0, 100000 };
  MUST(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  EXPECT_ERRNO(recv(s, b, sizeof b, 0), EAGAIN);
  MUST(fcntl(lfd, F_SETFL, fl));
  MUST(setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  EXPECT_ERRNO(accept(lfd, NULL, NULL), EAGAIN);

  MUST(send(c, "ask", 3, 0));
  sleep_ms(50);
  CHECK(recv(s, b, sizeof b, MSG_PEEK) == 3 && recv(s, b, sizeof b, 0) == 3, "MSG_PEEK must leave the bytes for the next recv");
  MUST(send(c, "end", 3, 0));
  MUST(shutdown(c, SHUT_WR));
  sleep_ms(50);
  CHECK(recv(s, b, sizeof b, 0) == 3 && recv(s, b, sizeof b, 0) == 0, "after SHUT_WR the peer reads the data, then 0");
  CHECK(send(s, "reply", 5, 0) == 5, "the server can still answer");
  sleep_ms(50);
  CHECK(recv(c, b, sizeof b, MSG_DONTWAIT) == 5, "the half-closed side can still read the reply");
  return 0;
}
