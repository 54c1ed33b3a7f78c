/* Errors of the server steps called out of order or on the wrong socket: listen() or accept() on a UDP
 * socket (EOPNOTSUPP), accept() on a socket that is not listening (EINVAL), a second bind() (EINVAL), connect() to a
 * port where nobody listens (ECONNREFUSED), shutdown() on an unconnected socket (ENOTCONN), and shutdown(SHUT_RD)
 * on a listening socket, which Linux accepts and which stops it listening. Two sockets bound to one port with
 * SO_REUSEADDR: the second listen() fails with EADDRINUSE. */
#include "probe.h"

int main(void) {
  int udp = MUST(socket(AF_INET, SOCK_DGRAM, 0));
  EXPECT_ERRNO(listen(udp, 5), EOPNOTSUPP);
  EXPECT_ERRNO(accept(udp, NULL, NULL), EOPNOTSUPP);
  EXPECT_ERRNO(shutdown(udp, SHUT_RDWR), ENOTCONN);

  int tcp = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in a = loopback(0);
  MUST(bind(tcp, (struct sockaddr *)&a, sizeof a));
  EXPECT_ERRNO(accept(tcp, NULL, NULL), EINVAL);
  EXPECT_ERRNO(bind(tcp, (struct sockaddr *)&a, sizeof a), EINVAL);
  EXPECT_ERRNO(shutdown(tcp, SHUT_WR), ENOTCONN);
  socklen_t len = sizeof a;
  MUST(getsockname(tcp, (struct sockaddr *)&a, &len));
  int c = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);

  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  CHECK(shutdown(lfd, SHUT_WR) == 0, "SHUT_WR on a listener must be accepted");
  CHECK(shutdown(lfd, SHUT_RD) == 0, "SHUT_RD on a listener must be accepted");
  a = loopback(port);
  int c2 = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(connect(c2, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
  int one = 1, r1 = MUST(socket(AF_INET, SOCK_STREAM, 0)), r2 = MUST(socket(AF_INET, SOCK_STREAM, 0));
  MUST(setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  MUST(setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  a = loopback(0);
  MUST(bind(r1, (struct sockaddr *)&a, sizeof a));
  len = sizeof a;
  MUST(getsockname(r1, (struct sockaddr *)&a, &len));
  CHECK(bind(r2, (struct sockaddr *)&a, sizeof a) == 0, "with SO_REUSEADDR on both, the second bind succeeds");
  MUST(listen(r1, 5));
  EXPECT_ERRNO(listen(r2, 5), EADDRINUSE);
  return 0;
}
