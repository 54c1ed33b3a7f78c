/* Descriptor copies and zero-copy sends: dup2() with equal descriptors returns newfd and does nothing, while
 * dup3() with equal descriptors, or with FD_CLOEXEC (1) instead of O_CLOEXEC, fails with EINVAL; sendfile()
 * cannot read from a socket or a pipe (EINVAL), and with an offset on a pipe fails with ESPIPE. */
#include "probe.h"
#include <fcntl.h>
#include <sys/sendfile.h>

int main(void) {
  int c, s;
  tcp_pair(&c, &s);
  CHECK(dup2(c, c) == c, "dup2(fd, fd) must return fd");
  EXPECT_ERRNO(dup3(c, c, 0), EINVAL);
  int spare = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(dup3(c, spare, FD_CLOEXEC), EINVAL);
  CHECK(dup3(c, spare, O_CLOEXEC) == spare && (fcntl(spare, F_GETFD) & FD_CLOEXEC), "O_CLOEXEC must set FD_CLOEXEC on the copy");

  int p[2];
  MUST(pipe(p));
  MUST(write(p[1], "abc", 3));
  EXPECT_ERRNO(sendfile(c, p[0], NULL, 3), EINVAL);
  MUST(write(s, "xyz", 3));
  sleep_ms(50);
  EXPECT_ERRNO(sendfile(c, s, NULL, 3), EINVAL);
  off_t offset = 0;
  EXPECT_ERRNO(sendfile(c, p[0], &offset, 3), ESPIPE);
  return 0;
}
