/* gethostbyname() converts a dotted IPv4 address without a lookup: an AF_INET hostent with 4-byte addresses,
 * h_addr_list[0] in network byte order, ready to copy into sin_addr. No name server is asked. */
#include "probe.h"
#include <netdb.h>

int main(void) {
  struct hostent *h = gethostbyname("127.0.0.1");
  CHECK(h != NULL, "gethostbyname(\"127.0.0.1\") failed: %s", hstrerror(h_errno));
  CHECK(h->h_addrtype == AF_INET && h->h_length == 4, "expected an IPv4 hostent");
  struct in_addr a;
  memcpy(&a, h->h_addr_list[0], (size_t)h->h_length);
  CHECK(a.s_addr == htonl(INADDR_LOOPBACK), "h_addr_list[0] must be 127.0.0.1 in network byte order");
  return 0;
}
