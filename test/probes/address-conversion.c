/* Address conversions as glibc does them: inet_addr() returns INADDR_NONE (255.255.255.255) both for a bad
 * string and for "255.255.255.255"; inet_pton() returns 0 for a bad string; htons(9190) read back without
 * ntohs() is port 58915 on a little-endian machine; getaddrinfo() with AI_PASSIVE and no host gives the
 * wildcard 0.0.0.0, without it the loopback address; AI_NUMERICHOST refuses a name with EAI_NONAME; inet_pton()
 * leaves the destination untouched on failure; inet_ntoa() returns one static buffer that the next call
 * overwrites; gai_strerror() of an unknown code is "Unknown error". inet_addr() and inet_aton() accept the old
 * short and octal forms ("127.1", "010.0.0.1" is 8.0.0.1) that inet_pton() rejects; getaddrinfo() with
 * ai_socktype 0 returns one entry per type (stream, datagram, raw) and refuses a NULL node with a NULL service;
 * inet_ntop() into 8 bytes (the size of a pointer) fails with ENOSPC. */
#include "probe.h"
#include <netdb.h>

static unsigned long first_address(const char *host, int flags) {
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  int rc = getaddrinfo(host, "9190", &hints, &res);
  CHECK(rc == 0, "getaddrinfo: %s", gai_strerror(rc));
  unsigned long a = ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
  freeaddrinfo(res);
  return a;
}

int main(void) {
  CHECK(inet_addr("255.255.255.255") == INADDR_NONE && inet_addr("127.0.0.256") == INADDR_NONE, "inet_addr must return INADDR_NONE for both");
  struct in_addr a;
  a.s_addr = 0x12345678;
  CHECK(inet_pton(AF_INET, "127.0.0.256", &a) == 0, "inet_pton must return 0 for a bad string");
  CHECK(a.s_addr == 0x12345678, "inet_pton must leave the destination untouched on failure");
  struct in_addr one = { htonl(INADDR_LOOPBACK) }, two = { htonl(INADDR_ANY) };
  char *p1 = inet_ntoa(one), *p2 = inet_ntoa(two);
  CHECK(p1 == p2 && strcmp(p1, "0.0.0.0") == 0, "inet_ntoa must reuse one buffer");
  CHECK(strcmp(gai_strerror(12345), "Unknown error") == 0, "gai_strerror of an unknown code");
  CHECK(ntohl(inet_addr("010.0.0.1")) == 0x08000001, "a leading zero must make a part octal");
  CHECK(inet_aton("127.1", &a) == 1 && a.s_addr == htonl(INADDR_LOOPBACK), "inet_aton must accept 127.1");
  CHECK(inet_pton(AF_INET, "127.1", &a) == 0 && inet_pton(AF_INET, "0x7f.0.0.1", &a) == 0, "inet_pton must reject short and hex forms");
  char small[8];
  a.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(inet_ntop(AF_INET, &a, small, sizeof small) == NULL && errno == ENOSPC, "inet_ntop into 8 bytes must fail with ENOSPC");
  CHECK(htons(9190) == 58915, "on x86_64, htons(9190) read as a host number is 58915");
  CHECK(first_address(NULL, AI_PASSIVE) == INADDR_ANY, "AI_PASSIVE with no host must give 0.0.0.0");
  CHECK(first_address(NULL, 0) == INADDR_LOOPBACK, "no host without AI_PASSIVE must give 127.0.0.1");
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = AI_NUMERICHOST;
  CHECK(getaddrinfo("localhost", "9190", &hints, &res) == EAI_NONAME, "AI_NUMERICHOST must refuse a name with EAI_NONAME");
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  CHECK(getaddrinfo("127.0.0.1", "9190", &hints, &res) == 0, "numeric lookup");
  int entries = 0;
  for (struct addrinfo *r = res; r; r = r->ai_next) entries++;
  freeaddrinfo(res);
  CHECK(entries == 3, "ai_socktype 0 must give one entry per socket type (got %d)", entries);
  CHECK(getaddrinfo(NULL, NULL, &hints, &res) == EAI_NONAME, "node and service both NULL must be EAI_NONAME");
  return 0;
}
