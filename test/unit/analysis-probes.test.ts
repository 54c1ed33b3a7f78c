/**
 * What the analysis says about byte order and datagram sockets, checked against the real toolchain and kernel:
 * each claim is compiled with gcc and run here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createAnalyzer, type Analyzer } from '../../src/core/analysis/index';
import { findMarkers, readFixture } from './analysis-fixture-helpers';

let analyzer: Analyzer;
let dir: string;
before(async () => {
  analyzer = await createAnalyzer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socklens-probe-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(name: string, source: string): string {
  const c = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  fs.writeFileSync(c, source);
  execFileSync('gcc', ['-Wall', '-o', exe, c]);
  return execFileSync(exe, { encoding: 'utf8', timeout: 10_000 });
}

/** The fixture's assignments, each stored and read back the way the kernel would read the field. */
const BYTE_ORDER_PROBE = `#include <arpa/inet.h>
#include <stdio.h>
int main(void)
{
	struct sockaddr_in a;
	a.sin_addr.s_addr = inet_addr("127.0.0.1"); printf("good-addr %s\\n", inet_ntoa(a.sin_addr));
	a.sin_port = htons(9190); printf("good-port %u\\n", ntohs(a.sin_port));
	a.sin_addr.s_addr = htonl(inet_addr("127.0.0.1")); printf("twice-addr %s\\n", inet_ntoa(a.sin_addr));
	a.sin_port = htonl(9190); printf("wide-port %u\\n", ntohs(a.sin_port));
	a.sin_addr.s_addr = htons(INADDR_LOOPBACK); printf("narrow-addr %s\\n", inet_ntoa(a.sin_addr));
	a.sin_port = 9190; printf("raw-port %u\\n", ntohs(a.sin_port));
	a.sin_addr.s_addr = INADDR_LOOPBACK; printf("raw-addr %s\\n", inet_ntoa(a.sin_addr));
	return 0;
}
`;

test('stored ports and addresses in the byte_order fixture are what gcc-compiled code stores', () => {
  const truth = new Map(run('byte_order', BYTE_ORDER_PROBE).trim().split('\n').map((line) => line.split(' ') as [string, string]));
  assert.equal(truth.get('twice-addr'), '1.0.0.127', 'the probe itself: a double conversion reverses the address');
  const { text } = readFixture('byte_order');
  const markers = findMarkers(text);
  for (const [id, stored] of truth) {
    const at = markers.get(id)!;
    const card = analyzer.explainAt(text, at.line, at.character)?.markdown ?? '';
    const shown = id.endsWith('port') ? `**port ${stored}` : `**${stored}`;
    assert.ok(card.includes(`Set here to ${shown}`), `${id}: gcc stores ${stored}, the card says:\n${card}`);
  }
});

test('listen() on a datagram socket fails with EOPNOTSUPP (man 2 listen), as the socket card says', () => {
  const output = run(
    'dgram_listen',
    `#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
int main(void)
{
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	int result = listen(sock, 5);
	printf("%d %s\\n", result, errno == EOPNOTSUPP ? "EOPNOTSUPP" : "other");
	return 0;
}
`,
  );
  assert.equal(output.trim(), '-1 EOPNOTSUPP');
  const { text } = readFixture('udp_listen');
  const at = findMarkers(text).get('listen-sock')!;
  assert.match(analyzer.explainAt(text, at.line, at.character)?.markdown ?? '', /fails here with `EOPNOTSUPP`/);
});
