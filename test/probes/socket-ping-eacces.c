/* runs-as: nobody
 * An unprivileged ping socket (SOCK_DGRAM + IPPROTO_ICMP) whose group is outside net.ipv4.ping_group_range
 * fails with EACCES: the case socket(2)'s EACCES covers on Linux. */
#include "probe.h"

int main(void) {
  FILE *f = fopen("/proc/sys/net/ipv4/ping_group_range", "r");
  long lo = 1, hi = 0;
  if (f) { if (fscanf(f, "%ld %ld", &lo, &hi) != 2) lo = 1, hi = 0; fclose(f); }
  long gid = (long)getgid();
  if (gid >= lo && gid <= hi) SKIP("group %ld is inside ping_group_range %ld-%ld: ping sockets are allowed here", gid, lo, hi);
  EXPECT_ERRNO(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), EACCES);
  return 0;
}
