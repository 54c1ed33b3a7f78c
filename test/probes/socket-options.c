/* runs-as: root nobody
 * Socket options as Linux applies them: SO_RCVBUF is stored doubled; a level that does not match the option
 * is not reported as such (SO_REUSEADDR at IPPROTO_TCP is TCP_MAXSEG: reading works, setting 1 fails with
 * EINVAL; TCP_NODELAY at SOL_SOCKET is SO_DEBUG: set as root, EACCES otherwise); SO_LINGER with l_linger 0
 * resets the connection; SO_ACCEPTCONN tells a listening socket; SOCK_STREAM with IPPROTO_UDP is
 * EPROTONOSUPPORT. */
#include "probe.h"
#include <netinet/tcp.h>

static int get_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  MUST(getsockopt(fd, level, name, &v, &len));
  return v;
}

int main(void) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  int v = 4096, one = 1;
  MUST(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
  CHECK(get_int(fd, SOL_SOCKET, SO_RCVBUF) == 8192, "SO_RCVBUF 4096 must read back as 8192");

  EXPECT_ERRNO(setsockopt(fd, IPPROTO_TCP, SO_REUSEADDR, &one, sizeof one), EINVAL);
  CHECK(get_int(fd, IPPROTO_TCP, SO_REUSEADDR) == get_int(fd, IPPROTO_TCP, TCP_MAXSEG), "SO_REUSEADDR at IPPROTO_TCP must read TCP_MAXSEG");
  if (geteuid() == 0) {
    CHECK(setsockopt(fd, SOL_SOCKET, TCP_NODELAY, &one, sizeof one) == 0, "as root, TCP_NODELAY at SOL_SOCKET must set SO_DEBUG");
    CHECK(get_int(fd, SOL_SOCKET, SO_DEBUG) == 1, "SO_DEBUG must now be on");
  } else {
    EXPECT_ERRNO(setsockopt(fd, SOL_SOCKET, TCP_NODELAY, &one, sizeof one), EACCES);
  }

  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  CHECK(get_int(lfd, SOL_SOCKET, SO_ACCEPTCONN) == 1 && get_int(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0, "SO_ACCEPTCONN must tell the listener");
  int c = tcp_connect(port), s = MUST(accept(lfd, NULL, NULL));
  struct linger lg = { .l_onoff = 1, .l_linger = 0 };
  MUST(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  MUST(write(s, "unsent?", 7));
  close(s);
  sleep_ms(50);
  char b[16];
  ssize_t n;
  while ((n = read(c, b, sizeof b)) > 0) {} /* what was already transmitted on loopback */
  CHECK(n == -1 && errno == ECONNRESET, "SO_LINGER 0 must reset the connection, not end it with FIN (read gave %zd)", n);

  EXPECT_ERRNO(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
  return 0;
}
