/* epoll_ctl() errors: adding a descriptor twice is EEXIST, modifying or deleting one never added is ENOENT,
 * and a regular file cannot be watched (EPERM). poll() reports a closed descriptor left in its array with
 * POLLNVAL. */
#include "probe.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>

int main(void) {
  int ep = MUST(epoll_create1(0));
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
  MUST(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
  EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EEXIST);
  int other = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, other, &ev), ENOENT);
  EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, other, NULL), ENOENT);
  MUST(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL));
  int file = MUST(open("/proc/self/exe", O_RDONLY));
  EXPECT_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev), EPERM);

  close(other);
  struct pollfd p = { .fd = other, .events = POLLIN };
  CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLNVAL), "a closed descriptor must come back with POLLNVAL");
  return 0;
}
