/* fdopen() wraps a connected socket in a FILE stream; fileno() gives the descriptor back; fclose() closes the
 * descriptor too (a later fcntl() on it fails with EBADF). */
#include "probe.h"
#include <fcntl.h>

int main(void) {
  int c, s;
  tcp_pair(&c, &s);
  FILE *in = fdopen(s, "r");
  CHECK(in != NULL, "fdopen on a socket: %s", strerrorname_np(errno));
  CHECK(fileno(in) == s, "fileno must return the socket's descriptor");
  MUST(write(c, "hello\n", 6));
  char line[16];
  CHECK(fgets(line, sizeof line, in) && strcmp(line, "hello\n") == 0, "a line must be read through the stream");
  fclose(in);
  EXPECT_ERRNO(fcntl(s, F_GETFD), EBADF);
  return 0;
}
