/* Connection life on Linux: connect() returns 0 as soon as the handshake is done, before the server calls
 * accept(); a second connect() on a connected socket is EISCONN; closing a socket with unread received data
 * resets the connection (the peer's recv() fails with ECONNRESET) instead of ending it with FIN; while another
 * process (a fork()ed copy) still holds the descriptor, close() does not end the connection; a connected UDP
 * socket learns that the peer's port is closed (ECONNREFUSED on a later call); getsockname() on a socket never
 * bound reports 0.0.0.0 port 0; getpeername() on an unconnected socket is ENOTCONN; socketpair() refuses
 * AF_INET with EOPNOTSUPP; a client that resets while still in the accept queue is returned by accept() anyway,
 * and the reset shows up as ECONNRESET on the first read (not ECONNABORTED). */
#include "probe.h"
#include <poll.h>

static void reset_by_unread_data(void) {
  int c, s;
  tcp_pair(&c, &s);
  MUST(write(c, "unread", 6));
  sleep_ms(50);
  close(s);
  char b[8];
  EXPECT_ERRNO(recv(c, b, sizeof b, 0), ECONNRESET);
}

static void reset_in_queue(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  int c = tcp_connect(port);
  struct linger lg = { .l_onoff = 1, .l_linger = 0 };
  MUST(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  close(c);
  sleep_ms(50);
  int s = (int)MUST(accept(lfd, NULL, NULL));
  char b[4];
  EXPECT_ERRNO(read(s, b, sizeof b), ECONNRESET);
  close(s);
  close(lfd);
}

static void copy_keeps_connection(void) {
  int c, s;
  tcp_pair(&c, &s);
  pid_t pid = MUST(fork());
  if (pid == 0) { sleep_ms(300); _exit(0); } /* the child holds its copy of s, then exits */
  close(s);
  struct pollfd p = { .fd = c, .events = POLLIN };
  CHECK(poll(&p, 1, 100) == 0, "the peer must not see end of file while a copy is open");
  MUST(waitpid(pid, NULL, 0));
  char b[4];
  CHECK(poll(&p, 1, 1000) == 1 && read(c, b, sizeof b) == 0, "after the last copy closes the peer reads 0");
}

int main(void) {
  unsigned short port = 0;
  int lfd = tcp_listener(&port, 0);
  int c = tcp_connect(port); /* returns before any accept() */
  struct sockaddr_in a = loopback(port);
  EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), EISCONN);
  close(lfd);
  close(c);

  reset_by_unread_data();
  reset_in_queue();
  copy_keeps_connection();

  int closed_port_sock = MUST(socket(AF_INET, SOCK_DGRAM, 0));
  struct sockaddr_in here = loopback(0);
  MUST(bind(closed_port_sock, (struct sockaddr *)&here, sizeof here));
  socklen_t len = sizeof here;
  MUST(getsockname(closed_port_sock, (struct sockaddr *)&here, &len));
  close(closed_port_sock); /* now nobody listens on that UDP port */
  int u = MUST(socket(AF_INET, SOCK_DGRAM, 0));
  MUST(connect(u, (struct sockaddr *)&here, sizeof here));
  CHECK(send(u, "x", 1, 0) == 1, "a UDP send to a closed port still succeeds");
  sleep_ms(50);
  char b[4];
  EXPECT_ERRNO(recv(u, b, sizeof b, MSG_DONTWAIT), ECONNREFUSED);

  int fresh = MUST(socket(AF_INET, SOCK_STREAM, 0));
  struct sockaddr_in got;
  len = sizeof got;
  MUST(getsockname(fresh, (struct sockaddr *)&got, &len));
  CHECK(got.sin_addr.s_addr == htonl(INADDR_ANY) && got.sin_port == 0, "an unbound socket reports 0.0.0.0:0");
  len = sizeof got;
  EXPECT_ERRNO(getpeername(fresh, (struct sockaddr *)&got, &len), ENOTCONN);
  int sv[2];
  EXPECT_ERRNO(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
  return 0;
}
