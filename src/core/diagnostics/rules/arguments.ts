import type { FunctionEntry } from '../../knowledge/schema';
import type { CallSite } from '../../analysis/model';
import type { DiagnosticsInput, Finding } from '../types';
import { nameOf } from '../util';

/** The knowledge-base constant an argument names, unless the file defines the name itself. */
function constantIn(input: DiagnosticsInput, call: CallSite, index: number): string | undefined {
  const arg = call.args[index];
  const name = arg ? nameOf(arg.expr) : undefined;
  return name && input.kb.constants.has(name) && !input.macros.has(name) ? name : undefined;
}

/** `SOCK_STREAM` as socket()'s domain: a constant whose `usedIn` names another parameter of the same call (SL110). */
function wrongFamily(input: DiagnosticsInput, call: CallSite, entry: FunctionEntry): Finding[] {
  const findings: Finding[] = [];
  const placeOf = (constant: string): number | undefined => {
    const uses = input.kb.constants.get(constant)?.usedIn ?? [];
    const index = entry.params.findIndex((p) => uses.includes(`${call.name}:${p.name}`));
    return index < 0 ? undefined : index;
  };
  /** The second argument of a swapped pair: reported (and fixed) with the first. */
  const swapped = new Set<number>();
  for (const arg of call.args) {
    const param = entry.params[arg.index];
    const constant = constantIn(input, call, arg.index);
    if (!param || !constant || swapped.has(arg.index)) continue;
    const uses = input.kb.constants.get(constant)?.usedIn ?? [];
    const belongs = placeOf(constant);
    if (belongs === undefined || belongs === arg.index || uses.includes(`${call.name}:${param.name}`)) continue;
    const other = call.args[belongs];
    const otherConstant = constantIn(input, call, belongs);
    const swap = other && otherConstant && placeOf(otherConstant) === arg.index;
    if (swap) swapped.add(belongs);
    findings.push({
      code: 'SL110',
      start: arg.start,
      end: arg.end,
      params: { constant, call: call.name, position: arg.index + 1, param: param.name, belongsPosition: belongs + 1, belongsParam: entry.params[belongs].name },
      related: other ? [{ start: other.start, end: other.end, label: 'argument', params: { call: call.name, position: belongs + 1, param: entry.params[belongs].name } }] : undefined,
      fix: swap ? [{ start: arg.start, end: arg.end, newText: other.text }, { start: other.start, end: other.end, newText: arg.text }] : undefined,
    });
  }
  return findings;
}

/** `setsockopt(s, IPPROTO_TCP, SO_REUSEADDR, …)`: the option belongs to another level (SL111). */
function optionLevel(input: DiagnosticsInput, call: CallSite): Finding | undefined {
  const level = constantIn(input, call, 1);
  const option = constantIn(input, call, 2);
  if (!level || !option) return undefined;
  const prefix = Object.keys(input.kb.diagnostics.optionLevels).filter((p) => option.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  const expected = prefix && input.kb.diagnostics.optionLevels[prefix];
  if (!expected || expected === level || input.kb.constants.get(level)?.aliasOf === expected) return undefined;
  const arg = call.args[1];
  return { code: 'SL111', start: arg.start, end: arg.end, params: { option, level, expected }, fix: [{ start: arg.start, end: arg.end, newText: expected }] };
}

/** `socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP)`: a protocol the type does not carry (SL112). */
function protocolType(input: DiagnosticsInput, call: CallSite): Finding | undefined {
  const protocol = constantIn(input, call, 2);
  const typeText = call.args[1]?.text ?? '';
  const type = /\bSOCK_(STREAM|DGRAM|SEQPACKET|RAW)\b/.exec(typeText)?.[0];
  const fits = protocol ? input.kb.diagnostics.protocolTypes[protocol] : undefined;
  if (!protocol || !type || !fits || fits.split('|').includes(type) || type === 'SOCK_RAW') return undefined;
  const arg = call.args[2];
  return { code: 'SL112', start: arg.start, end: arg.end, params: { protocol, type }, fix: [{ start: arg.start, end: arg.end, newText: '0' }] };
}

/** Constants in the wrong argument (SL110–SL112). */
export function argumentFindings(input: DiagnosticsInput, calls: CallSite[]): Finding[] {
  const findings: Finding[] = [];
  for (const call of calls) {
    const entry = input.kb.functions.get(call.name);
    if (!entry) continue;
    findings.push(...wrongFamily(input, call, entry));
    if (call.name === 'setsockopt' || call.name === 'getsockopt') findings.push(...[optionLevel(input, call)].filter((f) => f !== undefined));
    if (call.name === 'socket') findings.push(...[protocolType(input, call)].filter((f) => f !== undefined));
  }
  return findings;
}
