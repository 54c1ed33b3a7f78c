/* Sending a datagram to a broadcast address (here loopback's 127.255.255.255) without SO_BROADCAST fails with
 * EACCES, and so does connect() on a UDP socket (connect(2) names EPERM for this case; Linux answers EACCES).
 * With SO_BROADCAST the send succeeds. A TCP socket cannot connect to a broadcast address: ENETUNREACH. */
#include "probe.h"

int main(void) {
  int fd = MUST(socket(AF_INET, SOCK_DGRAM, 0));
  struct sockaddr_in a = loopback(9);
  a.sin_addr.s_addr = inet_addr("127.255.255.255");
  EXPECT_ERRNO(sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a), EACCES);
  EXPECT_ERRNO(connect(fd, (struct sockaddr *)&a, sizeof a), EACCES);
  int one = 1;
  MUST(setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one));
  CHECK(sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a) == 1, "with SO_BROADCAST the send must succeed: %s", strerrorname_np(errno));
  int tcp = MUST(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_ERRNO(connect(tcp, (struct sockaddr *)&a, sizeof a), ENETUNREACH);
  return 0;
}
