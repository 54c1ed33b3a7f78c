/**
 * The static diagnostics checked against the real toolchain and kernel: what a rule says happens does happen
 * (probe programs compiled with gcc and run), and a quick fix turns the mistake into a program that works —
 * the SL101 fixture binds another port than it was given, the fixed one binds the given port (loopback only).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { applyFix, DIAGNOSTICS_FIXTURES } from '../unit/helpers/diagnostics';

let analyzer: Analyzer;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  analyzer = await createAnalyzer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-diag-run-'));
});
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function compile(name: string, source: string): string {
  const c = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  fs.writeFileSync(c, source);
  execFileSync('gcc', ['-Wall', '-o', exe, c], { stdio: 'pipe' });
  return exe;
}

const swap16 = (port: number): number => ((port & 0xff) << 8) | (port >> 8);

/** A free loopback port whose byte-swapped twin is also unprivileged (the mistake binds the twin). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    if (swap16(port) >= 1024 && swap16(port) !== port) return port;
  }
}

/** Starts the server and waits for its "listening" line (or its exit). */
function startServer(exe: string, port: number): Promise<ChildProcess> {
  const child = spawn(exe, [String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Connects to 127.0.0.1:port and reads until the server closes; the error code when the connection fails. */
function fetch(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

test('SL101: the mistake binds the byte-swapped port; the quick fix makes the server bind the port it was given', async () => {
  const source = fs.readFileSync(path.join(DIAGNOSTICS_FIXTURES, 'sl101_port_argv.c'), 'utf8');
  const [diagnostic] = analyzer.diagnose(source);
  assert.equal(diagnostic.code, 'SL101');
  const port = await freePort();

  const wrong = await startServer(compile('wrong', source), port);
  assert.equal(await fetch(port), 'ECONNREFUSED');
  assert.equal(await fetch(swap16(port)), 'hello\n');
  await new Promise((resolve) => (wrong.exitCode === null ? wrong.on('exit', resolve) : resolve(undefined)));

  const fixed = applyFix(source, diagnostic.fixes[0]);
  assert.deepEqual(analyzer.diagnose(fixed), []);
  await startServer(compile('fixed', fixed), port);
  assert.equal(await fetch(port), 'hello\n');
});

/** What the rules' messages and docs/diagnostics.md say the kernel does with each mistake. */
const PROBE = `#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

static void show(const char *what, int result)
{
	printf("%s %s\\n", what, result == -1 ? strerrorname_np(errno) : "ok");
}

int main(void)
{
	int domain = 0, type = 0;
	socklen_t len = sizeof(int);
	int swapped = socket(SOCK_STREAM, AF_INET, 0);
	getsockopt(swapped, SOL_SOCKET, SO_DOMAIN, &domain, &len);
	len = sizeof(int);
	getsockopt(swapped, SOL_SOCKET, SO_TYPE, &type, &len);
	printf("swapped domain=%d type=%d unix=%d dgram=%d\\n", domain, type, AF_UNIX, SOCK_DGRAM);
	close(swapped);

	show("udp-with-tcp", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));

	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	show("listen-dgram", listen(udp, 5));
	show("accept-dgram", accept(udp, NULL, NULL));
	close(udp);

	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr;
	struct sockaddr_in *where = &addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(0);
	show("bind-pointer-size", bind(tcp, (struct sockaddr *)where, sizeof(where)));
	close(tcp);
	return 0;
}
`;

test('probe: what the kernel does with the mistakes SL110, SL112, SL120 and SL140 describe', () => {
  const out = execFileSync(compile('probe', PROBE), { encoding: 'utf8', timeout: 10_000 });
  // SL110 (docs): socket(SOCK_STREAM, AF_INET, 0) does not fail: it makes a Unix-domain datagram socket.
  assert.match(out, /^swapped domain=1 type=2 unix=1 dgram=2$/m);
  assert.match(out, /^udp-with-tcp EPROTONOSUPPORT$/m);
  assert.match(out, /^listen-dgram EOPNOTSUPP$/m);
  assert.match(out, /^accept-dgram EOPNOTSUPP$/m);
  assert.match(out, /^bind-pointer-size EINVAL$/m);
});
