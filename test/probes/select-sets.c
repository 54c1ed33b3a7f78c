/* select() and its sets: a descriptor closed but left in the set makes select() fail with EBADF; a listening
 * socket is reported readable when a connection waits to be accepted; listen() on a socket that was never bound
 * succeeds and the kernel picks a port of its own. */
#include "probe.h"
#include <sys/select.h>

int main(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  fd_set reads;
  FD_ZERO(&reads);
  FD_SET(lfd, &reads);
  struct timeval tv = { 0, 0 };
  CHECK(select(lfd + 1, &reads, NULL, NULL, &tv) == 0, "an idle listener is not readable");
  int c = tcp_connect(port);
  FD_SET(lfd, &reads);
  tv.tv_usec = 500000;
  CHECK(select(lfd + 1, &reads, NULL, NULL, &tv) == 1 && FD_ISSET(lfd, &reads), "a waiting connection makes the listener readable");

  int gone = MUST(socket(AF_INET, SOCK_STREAM, 0));
  close(gone);
  FD_ZERO(&reads);
  FD_SET(gone, &reads);
  tv.tv_usec = 0;
  EXPECT_ERRNO(select(gone + 1, &reads, NULL, NULL, &tv), EBADF);

  int unbound = MUST(socket(AF_INET, SOCK_STREAM, 0));
  MUST(listen(unbound, 5));
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  MUST(getsockname(unbound, (struct sockaddr *)&a, &len));
  CHECK(a.sin_port != 0, "listen() without bind() must pick a port");
  close(c);
  return 0;
}
