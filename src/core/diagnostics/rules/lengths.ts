import type { Expr } from '../../analysis/expr';
import { baseVariable } from '../../analysis/expr';
import type { ArgSite, CallSite, Declaration } from '../../analysis/model';
import type { DiagnosticsInput, Finding, FunctionFacts, OffsetEdit } from '../types';
import { escapeRegExp, previousSignificant, uncast } from '../util';

/** sizeof of a pointer on Linux x86_64. */
const POINTER_BYTES = 8;

/** The variable `sizeof x` / `sizeof(x)` measures. */
function measured(expr: Expr): string | undefined {
  const inner = uncast(expr);
  if (inner.k !== 'sizeof') return undefined;
  if (inner.expr) {
    const e = uncast(inner.expr);
    return e.k === 'id' ? e.name : undefined;
  }
  return inner.type && /^\w+$/.test(inner.type) ? inner.type : undefined;
}

function localDeclaration(facts: FunctionFacts, name: string): Declaration | undefined {
  const declaration = facts.scope.declarations.get(name);
  return declaration && declaration.start >= facts.scope.start && declaration.start < facts.scope.end ? declaration : undefined;
}

/** `bind(s, addr, sizeof(addr))` where `addr` is a pointer (SL120). */
function pointerSize(facts: FunctionFacts, arg: ArgSite): Finding | undefined {
  const variable = measured(arg.expr);
  const declaration = variable ? facts.scope.declarations.get(variable) : undefined;
  if (!variable || !declaration?.pointer || declaration.array || !/sockaddr/.test(declaration.type)) return undefined;
  return {
    code: 'SL120',
    start: arg.start,
    end: arg.end,
    params: { value: arg.text, bytes: POINTER_BYTES, variable },
    fix: [{ start: arg.start, end: arg.end, newText: `sizeof(*${variable})` }],
  };
}

/** The line's indentation and start offset, when a statement can be inserted before it without changing meaning. */
function insertionPoint(text: string, offset: number): { at: number; indent: string } | undefined {
  const at = text.lastIndexOf('\n', offset - 1) + 1;
  const before = previousSignificant(text, at);
  if (before >= 0 && !';{}'.includes(text[before])) return undefined;
  return { at, indent: /^[ \t]*/.exec(text.slice(at))![0] };
}

/** `accept(s, &addr, &len)` with `len` never given a value before (SL121). */
function uninitialisedLength(input: DiagnosticsInput, facts: FunctionFacts, call: CallSite, index: number): Finding | undefined {
  const arg = call.args[index];
  const inner = arg && uncast(arg.expr);
  if (inner?.k !== 'unary' || inner.op !== '&' || uncast(inner.expr).k !== 'id') return undefined;
  const variable = baseVariable(inner.expr)!;
  const declaration = localDeclaration(facts, variable);
  if (!declaration || declaration.pointer || declaration.array) return undefined;
  const declared = input.text.slice(declaration.start, input.text.indexOf(';', declaration.start));
  if (new RegExp(`\\b${escapeRegExp(variable)}\\s*=(?!=)`).test(declared) || /\bstatic\b/.test(declared)) return undefined;
  if (facts.scope.assignments.some((a) => a.root === variable && a.start < call.start)) return undefined;
  // Any other use before the call (passed by address, changed in a loop, `+=`) could give it a value.
  const uses = input.text.slice(declaration.start + declared.length, call.start).match(new RegExp(`\\b${escapeRegExp(variable)}\\b`, 'g'));
  if (uses) return undefined;
  const buffer = call.args[index - 1] ? baseVariable(call.args[index - 1].expr) : undefined;
  const point = insertionPoint(input.text, call.start);
  const fix: OffsetEdit[] | undefined = buffer && point && facts.scope.declarations.get(buffer) && !facts.scope.declarations.get(buffer)!.pointer
    ? [{ start: point.at, end: point.at, newText: `${point.indent}${variable} = sizeof(${buffer});\n` }]
    : undefined;
  const nameAt = input.text.indexOf(variable, declaration.start + declared.indexOf(variable));
  return {
    code: 'SL121',
    start: arg.start,
    end: arg.end,
    params: { variable, call: call.name },
    related: nameAt >= 0 ? [{ start: nameAt, end: nameAt + variable.length, label: 'declared', params: { variable } }] : undefined,
    fix,
  };
}

/** Address lengths (SL120, SL121). */
export function lengthFindings(input: DiagnosticsInput, facts: FunctionFacts): Finding[] {
  const findings: Finding[] = [];
  for (const call of facts.scope.calls) {
    const entry = input.kb.functions.get(call.name);
    const index = entry?.params.findIndex((p) => p.name === 'addrlen') ?? -1;
    if (!entry || index < 0 || !call.args[index]) continue;
    const finding = entry.params[index].type.includes('*') ? uninitialisedLength(input, facts, call, index) : pointerSize(facts, call.args[index]);
    if (finding) findings.push(finding);
  }
  return findings;
}
