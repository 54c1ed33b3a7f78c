/* After shutdown(fd, SHUT_RD) on a TCP socket, Linux still returns data already queued, read() returns 0 at
 * once when nothing is queued, and data the peer sends afterwards is still accepted and can be read. */
#include "probe.h"
#include <poll.h>

int main(void) {
  int c, s;
  tcp_pair(&c, &s);
  char buf[16];
  MUST(write(c, "abc", 3));
  sleep_ms(50);
  MUST(shutdown(s, SHUT_RD));
  CHECK(read(s, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0, "queued data must still be read");
  CHECK(read(s, buf, sizeof buf) == 0, "with nothing queued, read must return 0 at once");
  CHECK(write(c, "def", 3) == 3, "the peer may keep sending");
  ssize_t n = 0;
  for (int i = 0; i < 40 && n <= 0; i++) { sleep_ms(25); n = read(s, buf, sizeof buf); }
  CHECK(n == 3 && memcmp(buf, "def", 3) == 0, "data sent after SHUT_RD must still arrive (read gave %zd)", n);
  return 0;
}
