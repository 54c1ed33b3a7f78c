/** The man page parser the knowledge-base checks rely on, on text shaped like `man -P cat | col -bx` output. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { documentedErrnos, findPrototype, normalizeType, parseManRef, parseParam, sameDeclaration, splitSections, taggedErrnos } from './helpers/manpage';

const PAGE = [
  'send(2)                      System Calls Manual                      send(2)',
  '',
  'NAME',
  '       send, sendto - send a message on a socket',
  '',
  'SYNOPSIS',
  '       #include <sys/socket.h>',
  '',
  '       ssize_t send(int sockfd, const void buf[.len], size_t len, int flags);',
  '       ssize_t sendto(int sockfd, const void buf[.len], size_t len, int flags,',
  '                      const struct sockaddr *dest_addr, socklen_t addrlen);',
  '       int fcntl(int fd, int cmd, ... /* arg */ );',
  '       [[deprecated]] char *inet_ntoa(struct in_addr in);',
  '       pid_t fork(void);',
  '',
  '   Feature Test Macro Requirements for glibc (see feature_test_macros(7)):',
  '       int hidden(int x);',
  '',
  'ERRORS',
  '       EAGAIN or EWOULDBLOCK',
  '              The socket is marked nonblocking.',
  '       EBADF  sockfd is not a valid open file descriptor.',
  '       ENOBUFS, ENOMEM',
  '              Out of memory. EFAULT mentioned in prose does not count.',
  '       EINVAL (since Linux 2.6) Invalid argument.',
  '   UNIX domain',
  '       ELOOP  Too many symbolic links.',
  '',
  'SEE ALSO',
  '       EXTRA is not an error here',
  '',
].join('\n');

const sections = splitSections(PAGE);

test('sections are split at column-0 headings', () => {
  assert.deepEqual([...sections.keys()], ['NAME', 'SYNOPSIS', 'ERRORS', 'SEE ALSO']);
});

test('tagged errnos: "or" and comma lists count as both, prose and other sections do not', () => {
  assert.deepEqual(taggedErrnos(sections.get('ERRORS') ?? ''), ['EAGAIN', 'EBADF', 'EINVAL', 'ELOOP', 'ENOBUFS', 'ENOMEM', 'EWOULDBLOCK']);
  assert.deepEqual(documentedErrnos({ ref: 'send(2)', sections }), ['EAGAIN', 'EBADF', 'EINVAL', 'ELOOP', 'ENOBUFS', 'ENOMEM', 'EWOULDBLOCK']);
});

test('a page without ERRORS documents the RETURN VALUE tags and "errno is set to" names', () => {
  const page = splitSections(
    ['NAME', '       x', 'RETURN VALUE', '       EAI_AGAIN', '              Try again.', '       On error -1 is returned and errno is set to EAFNOSUPPORT.', ''].join('\n'),
  );
  assert.deepEqual(documentedErrnos({ ref: 'x(3)', sections: page }), ['EAFNOSUPPORT', 'EAI_AGAIN']);
});

test('prototypes: arrays become pointers, variadic tails keep their comment name, void means no params', () => {
  const synopsis = sections.get('SYNOPSIS') ?? '';
  const sendto = findPrototype(synopsis, 'sendto');
  assert.equal(sendto?.returnType, 'ssize_t');
  assert.deepEqual(sendto?.params, [
    { name: 'sockfd', type: 'int' },
    { name: 'buf', type: 'const void *' },
    { name: 'len', type: 'size_t' },
    { name: 'flags', type: 'int' },
    { name: 'dest_addr', type: 'const struct sockaddr *' },
    { name: 'addrlen', type: 'socklen_t' },
  ]);
  const fcntl = findPrototype(synopsis, 'fcntl');
  assert.deepEqual(fcntl?.params.at(-1), { name: 'arg', type: '...' });
  assert.ok(fcntl && sameDeclaration('int fcntl(int fd, int cmd, ... /* arg */ )', fcntl.declaration));
  const ntoa = findPrototype(synopsis, 'inet_ntoa');
  assert.equal(ntoa?.returnType, 'char *');
  assert.ok(ntoa && sameDeclaration('char *inet_ntoa(struct in_addr in)', ntoa.declaration));
  assert.deepEqual(findPrototype(synopsis, 'fork')?.params, []);
  assert.equal(findPrototype(synopsis, 'send')?.params.length, 4, 'send is not confused with sendto');
  assert.equal(findPrototype(synopsis, 'hidden'), undefined, 'feature-test text is not part of the synopsis');
});

test('types are compared without restrict/_Nullable and with canonical pointer spacing', () => {
  assert.equal(normalizeType('struct sockaddr *_Nullable restrict'), 'struct sockaddr *');
  assert.equal(normalizeType('struct addrinfo **restrict'), 'struct addrinfo **');
  assert.equal(normalizeType('struct addrinfo * *'), 'struct addrinfo **');
  assert.deepEqual(parseParam('int sv[2]'), { name: 'sv', type: 'int *' });
  assert.deepEqual(parseParam('char dst[restrict .size]'), { name: 'dst', type: 'char *' });
  assert.ok(sameDeclaration('int  accept(int sockfd,struct sockaddr *addr)', 'int accept(int sockfd, struct sockaddr * addr)'));
  assert.ok(!sameDeclaration('int bind(int sockfd)', 'int bind(int fd)'));
});

test('man references are "page(section)"', () => {
  assert.deepEqual(parseManRef('epoll_create(2)'), { page: 'epoll_create', section: '2' });
  assert.deepEqual(parseManRef('byteorder(3)'), { page: 'byteorder', section: '3' });
  assert.equal(parseManRef('bind'), undefined);
  assert.equal(parseManRef('bind(2); rm -rf /'), undefined);
});
