import type { CallSite } from '../../analysis/model';
import type { DiagnosticsInput, Finding, FunctionFacts } from '../types';
import { escapeRegExp, nextSignificant, previousSignificant } from '../util';

/** Calls whose failure a program must notice before going on (their -1 leaves nothing to work with). */
const MUST_CHECK = new Set(['socket', 'bind', 'listen', 'accept', 'accept4', 'connect']);

/** `bind(...);` as a statement of its own: the result is thrown away. `(void)bind(...)` says so on purpose. */
function discarded(text: string, call: CallSite): boolean {
  const before = previousSignificant(text, call.start);
  const after = nextSignificant(text, call.end);
  const statementStart = before < 0 || ';{}'.includes(text[before]) || /\belse$/.test(text.slice(Math.max(0, before - 4), before + 1));
  return statementStart && text[after] === ';';
}

/** The variable holding the result is compared, tested, returned or handed on somewhere after the call. */
function checkedLater(text: string, call: CallSite, variable: string, end: number): boolean {
  const name = escapeRegExp(variable);
  const after = nextSignificant(text, call.end);
  if (text[after] === ')' && /^\)\s*(==|!=|<=|>=|<|>)/.test(text.slice(after))) return true;
  const rest = text.slice(call.end, end);
  const patterns = [
    `\\b${name}\\s*(==|!=|<=|>=|<|>)`,
    `(==|!=|<=|>=|<|>)\\s*${name}\\b`,
    `!\\s*${name}\\b`,
    `\\b(if|while)\\s*\\(\\s*${name}\\s*\\)`,
    `\\breturn\\s+${name}\\b`,
  ];
  return patterns.some((p) => new RegExp(p).test(rest));
}

/** Results of socket()/bind()/listen()/accept()/connect() never looked at (SL130). */
export function resultFindings(input: DiagnosticsInput, facts: FunctionFacts): Finding[] {
  const findings: Finding[] = [];
  for (const call of facts.scope.calls) {
    if (!MUST_CHECK.has(call.name) || call.recovered) continue;
    const unchecked = call.assignedTo ? !checkedLater(input.text, call, call.assignedTo, facts.scope.end) : discarded(input.text, call);
    if (unchecked) findings.push({ code: 'SL130', start: call.nameStart, end: call.nameEnd, params: { call: call.name } });
  }
  return findings;
}
