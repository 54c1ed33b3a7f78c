/* epoll_create() ignores its size except that it must be positive: 0 and negative sizes fail with EINVAL,
 * and an instance created with size 1 watches more than one socket. epoll_create1() takes flags, not a size:
 * 1024 fails with EINVAL. epoll_wait() on a descriptor that is not an epoll instance, or with maxevents 0,
 * fails with EINVAL. */
#include "probe.h"
#include <sys/epoll.h>

int main(void) {
  EXPECT_ERRNO(epoll_create(0), EINVAL);
  EXPECT_ERRNO(epoll_create(-1), EINVAL);
  int ep = MUST(epoll_create(1));
  for (int i = 0; i < 4; i++) {
    int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
    MUST(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
  }
  EXPECT_ERRNO(epoll_create1(1024), EINVAL);
  struct epoll_event out;
  int sock = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(epoll_wait(sock, &out, 1, 0), EINVAL);
  EXPECT_ERRNO(epoll_wait(ep, &out, 0, 0), EINVAL);
  return 0;
}
