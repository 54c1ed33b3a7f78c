/* runs-as: nobody
 * Binding a port below net.ipv4.ip_unprivileged_port_start (1024 by default) without CAP_NET_BIND_SERVICE
 * fails with EACCES. */
#include "probe.h"

int main(void) {
  FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
  long start = 1024;
  if (f) { if (fscanf(f, "%ld", &start) != 1) start = 1024; fclose(f); }
  if (start <= 80) SKIP("ip_unprivileged_port_start is %ld: port 80 is not privileged here", start);
  int fd = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in a = loopback(80);
  EXPECT_ERRNO(bind(fd, (struct sockaddr *)&a, sizeof a), EACCES);
  return 0;
}
