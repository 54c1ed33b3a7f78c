/* An AF_UNIX socket's path: bind() creates the file, which stays after close(), so binding the same path again
 * fails with EADDRINUSE until the file is unlink()ed; a path longer than sun_path does not fit the structure.
 * A size_t holding recv()'s -1 is the largest size_t, so `n < 0` never fires. */
#include "probe.h"
#include <sys/stat.h>
#include <stdint.h>
#include <sys/un.h>

int main(void) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "/tmp/socklens-probe-%ld.sock", (long)getpid());
  unlink(a.sun_path);
  int s1 = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
  MUST(bind(s1, (struct sockaddr *)&a, sizeof a));
  close(s1);
  struct stat st;
  CHECK(stat(a.sun_path, &st) == 0 && S_ISSOCK(st.st_mode), "the socket file must stay after close()");
  int s2 = MUST(socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_ERRNO(bind(s2, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
  MUST(unlink(a.sun_path));
  CHECK(bind(s2, (struct sockaddr *)&a, sizeof a) == 0, "after unlink() the path binds again");
  unlink(a.sun_path);
  CHECK(sizeof a.sun_path == 108, "sun_path holds 108 bytes, a path of at most 107 characters");

  size_t n = (size_t)recv(-1, NULL, 0, 0);
  CHECK(n == SIZE_MAX, "-1 stored in a size_t must be SIZE_MAX, which no `n < 0` test catches");
  return 0;
}
