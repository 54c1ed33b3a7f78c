import type { Finding, FunctionFacts } from '../types';

/** listen()/accept() on a socket created with SOCK_DGRAM (SL140). */
export function datagramFindings(facts: FunctionFacts): Finding[] {
  const findings: Finding[] = [];
  for (const socket of facts.sockets.sockets.values()) {
    const created = socket.events.find((e) => e.kind === 'created' && e.call === 'socket');
    if (!created || !/\bSOCK_DGRAM\b/.test(created.detail ?? '')) continue;
    for (const event of socket.events) {
      if (event.kind !== 'listenFails' && event.kind !== 'accepts') continue;
      findings.push({
        code: 'SL140',
        start: event.offset,
        end: event.offset + event.call.length,
        params: { call: event.call, variable: socket.variable },
        related: [{ start: created.offset, end: created.offset + created.call.length, label: 'created', params: { variable: socket.variable, type: 'SOCK_DGRAM' } }],
      });
    }
  }
  return findings;
}
