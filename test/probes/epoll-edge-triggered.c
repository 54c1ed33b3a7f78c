/* EPOLLET reports a descriptor when new data arrives: data left unread is not reported again by itself,
 * but the next arrival triggers a new event. Level-triggered (the default) reports unread data every time. */
#include "probe.h"
#include <sys/epoll.h>

static int wait_events(int ep, int ms) {
  struct epoll_event ev;
  return (int)MUST(epoll_wait(ep, &ev, 1, ms));
}

int main(void) {
  int c, s;
  tcp_pair(&c, &s);
  int ep = MUST(epoll_create1(0));
  struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = s };
  MUST(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
  MUST(write(c, "a", 1));
  CHECK(wait_events(ep, 1000) == 1, "the first arrival must be reported");
  CHECK(wait_events(ep, 50) == 0, "unread data must not be reported again by itself");
  MUST(write(c, "b", 1));
  CHECK(wait_events(ep, 1000) == 1, "new data must trigger a new event");

  ev.events = EPOLLIN;
  MUST(epoll_ctl(ep, EPOLL_CTL_MOD, s, &ev));
  CHECK(wait_events(ep, 1000) == 1 && wait_events(ep, 0) == 1, "level-triggered must report unread data every time");
  return 0;
}
