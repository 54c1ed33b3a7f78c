/* An AF_INET socket bound with sin_family left 0 (AF_UNSPEC): Linux accepts it when the address is
 * INADDR_ANY, and fails with EAFNOSUPPORT for any other address. */
#include "probe.h"

int main(void) {
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "family 0 + INADDR_ANY must bind: %s", strerrorname_np(errno));
  close(fd);

  fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_ERRNO(bind(fd, (struct sockaddr *)&a, sizeof a), EAFNOSUPPORT);
  return 0;
}
