/* Argument mistakes and what Linux answers: setsockopt() given the value instead of its address fails with
 * EFAULT, and a char-sized length for an int option with EINVAL; select() writes the time left back into its
 * timeout; socketpair() with IPPROTO_TCP is EPROTONOSUPPORT; strerror(-1) is "Unknown error -1"; a UDP socket
 * gets a local port on its first sendto() without bind(). */
#include "probe.h"
#include <stdint.h>
#include <sys/select.h>

int main(void) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (const void *)(uintptr_t)1, sizeof(int)), EFAULT);
  char on = 1;
  EXPECT_ERRNO(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on), EINVAL);

  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  fd_set reads;
  FD_ZERO(&reads);
  FD_SET(lfd, &reads);
  struct timeval tv = { 0, 200000 };
  CHECK(select(lfd + 1, &reads, NULL, NULL, &tv) == 0, "an idle listener is not readable");
  CHECK(tv.tv_sec == 0 && tv.tv_usec == 0, "select() must leave the time that was left (0) in the timeout");

  int sv[2];
  EXPECT_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, IPPROTO_TCP, sv), EPROTONOSUPPORT);
  CHECK(strcmp(strerror(-1), "Unknown error -1") == 0, "strerror(-1)");

  int u = MUST(socket(AF_INET, SOCK_DGRAM, 0));
  struct sockaddr_in to = loopback(9), me;
  MUST(sendto(u, "x", 1, 0, (struct sockaddr *)&to, sizeof to));
  socklen_t len = sizeof me;
  MUST(getsockname(u, (struct sockaddr *)&me, &len));
  CHECK(me.sin_port != 0, "the first sendto() must give the socket a local port");
  return 0;
}
