import type { Assignment, ByteOrderMistake } from '../../analysis/model';
import { ADDRESS_CONSTANTS } from '../../analysis/values';
import type { DiagnosticsInput, Finding, FunctionFacts, OffsetEdit } from '../types';
import { uncast } from '../util';

const PORT_FIELDS = new Set(['sin_port', 'sin6_port']);
const SHORT = new Set(['htons', 'ntohs']);
/** Calls that turn program text into a host-order number. */
const TEXT_TO_NUMBER = new Set(['atoi', 'atol', 'strtol', 'strtoul']);

const CODE_OF: Record<ByteOrderMistake, string> = { missing: 'SL101', portWithHtonl: 'SL102', addressWithHtons: 'SL103', double: 'SL104' };

/** A host-order 32-bit number as the dotted address it means: 0x7f000001 → 127.0.0.1. */
function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

interface Site {
  assignment: Assignment;
  field: string;
  start: number;
  end: number;
}

/** `htonl(x)` → the edit renaming the conversion; `htons(htons(x))` → the edit keeping only the inner one. */
function conversionFix(text: string, site: Site, mistake: ByteOrderMistake): OffsetEdit[] | undefined {
  const written = text.slice(site.start, site.end);
  if (mistake === 'portWithHtonl' || mistake === 'addressWithHtons') {
    const m = /^(htonl|htons)\s*\(/.exec(written);
    if (!m) return undefined;
    return [{ start: site.start, end: site.start + m[1].length, newText: mistake === 'portWithHtonl' ? 'htons' : 'htonl' }];
  }
  if (mistake === 'double') {
    const m = /^(?:hton[ls]|ntoh[ls])\s*\(\s*((?:hton[ls]|ntoh[ls])\s*\([\s\S]*\))\s*\)$/.exec(written);
    return m ? [{ start: site.start, end: site.end, newText: m[1] }] : undefined;
  }
  return [{ start: site.start, end: site.end, newText: `${mistake === 'missing' && PORT_FIELDS.has(site.field.split('.').pop()!) ? 'htons' : 'htonl'}(${written})` }];
}

function portFinding(input: DiagnosticsInput, facts: FunctionFacts, site: Site): Finding | undefined {
  const { assignment } = site;
  const value = assignment.valueText;
  const stored = facts.resolver.networkField(assignment.value, assignment.start, 'port');
  if (stored?.kind === 'port' && stored.mistake) {
    const storedPort = stored.port.kind === 'number' ? stored.port.value : '?';
    return { code: CODE_OF[stored.mistake], start: site.start, end: site.end, params: { field: site.field, value, stored: storedPort }, fix: conversionFix(input.text, site, stored.mistake) };
  }
  if (stored) return undefined;
  // Not a known number: only a value that is certainly in host order (a number read from text, argv) is judged.
  const inner = uncast(assignment.value);
  if (inner.k === 'call' && SHORT.has(inner.callee)) return undefined;
  const resolved = facts.resolver.resolve(assignment.value, assignment.start);
  const hostOrder = (inner.k === 'call' && TEXT_TO_NUMBER.has(inner.callee)) || resolved.kind === 'argv';
  if (!hostOrder || resolved.kind === 'port') return undefined;
  return { code: 'SL101', start: site.start, end: site.end, params: { field: site.field, value }, fix: conversionFix(input.text, site, 'missing') };
}

function addressFinding(input: DiagnosticsInput, facts: FunctionFacts, site: Site): Finding | undefined {
  const { assignment } = site;
  const inner = uncast(assignment.value);
  if (inner.k === 'id' && inner.name === 'INADDR_ANY' && !input.macros.has('INADDR_ANY')) {
    return { code: 'SL106', start: site.start, end: site.end, params: { field: site.field, value: assignment.valueText }, fix: conversionFix(input.text, site, 'missing') };
  }
  const stored = facts.resolver.networkField(assignment.value, assignment.start, 'address');
  if (stored?.kind !== 'ipv4' || !stored.mistake) return undefined;
  const given = facts.resolver.resolve(assignment.value, assignment.start);
  const number = given.kind === 'number' ? given.value : given.kind === 'constant' && typeof given.value === 'number' ? given.value : undefined;
  const intended = inner.k === 'id' && ADDRESS_CONSTANTS[inner.name] ? ADDRESS_CONSTANTS[inner.name].address : number !== undefined ? dotted(number >>> 0) : '?';
  const code = stored.mistake === 'missing' ? 'SL105' : CODE_OF[stored.mistake];
  return { code, start: site.start, end: site.end, params: { field: site.field, value: assignment.valueText, stored: stored.address, address: intended }, fix: conversionFix(input.text, site, stored.mistake) };
}

/** Byte order of the values stored in `sin_port`, `sin6_port` and `sin_addr.s_addr` (SL101–SL106). */
export function byteOrderFindings(input: DiagnosticsInput, facts: FunctionFacts): Finding[] {
  const findings: Finding[] = [];
  for (const assignment of facts.scope.assignments) {
    const last = assignment.path[assignment.path.length - 1];
    const isPort = PORT_FIELDS.has(last ?? '');
    const isAddress = assignment.path.join('.') === 'sin_addr.s_addr';
    if (!isPort && !isAddress) continue;
    const start = input.text.indexOf(assignment.valueText, assignment.start);
    if (start < 0) continue;
    const site: Site = { assignment, field: [assignment.root, ...assignment.path].join('.'), start, end: start + assignment.valueText.length };
    const finding = isPort ? portFinding(input, facts, site) : addressFinding(input, facts, site);
    if (finding) findings.push(finding);
  }
  return findings;
}
