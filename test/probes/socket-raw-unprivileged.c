/* runs-as: nobody
 * socket(AF_INET, SOCK_RAW, …) without CAP_NET_RAW fails with EPERM, not EACCES. */
#include "probe.h"
#include <netinet/ip_icmp.h>

int main(void) {
  EXPECT_ERRNO(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPERM);
  EXPECT_ERRNO(socket(AF_INET, SOCK_RAW, IPPROTO_TCP), EPERM);
  return 0;
}
