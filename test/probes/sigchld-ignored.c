/* With SIGCHLD set to SIG_IGN, the kernel reaps children itself: no zombie is left, and waitpid() finds no
 * child (ECHILD). With the default action, an exited child stays a zombie until waitpid() collects it;
 * WNOHANG returns 0 while a child is still running. */
#include "probe.h"

int main(void) {
  pid_t pid = MUST(fork());
  if (pid == 0) { sleep_ms(300); _exit(7); }
  CHECK(waitpid(pid, NULL, WNOHANG) == 0, "WNOHANG must return 0 while the child runs");
  int status;
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7, "waitpid must collect the exit status");

  signal(SIGCHLD, SIG_IGN);
  pid = MUST(fork());
  if (pid == 0) _exit(0);
  EXPECT_ERRNO(waitpid(pid, NULL, 0), ECHILD);
  return 0;
}
