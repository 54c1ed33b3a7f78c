/* epoll_create() ignores its size except that it must be positive: 0 and negative sizes fail with EINVAL,
 * and an instance created with size 1 watches more than one socket. */
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
  return 0;
}
