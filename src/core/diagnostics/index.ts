/**
 * Static diagnostics (vscode-free): socket mistakes found from the analysis' outputs — the values stored in
 * address fields, the constants in each argument, the socket tracker — with stable codes (SL1xx), severities,
 * related locations and certain fixes. Every sentence comes from knowledge/diagnostics.json (and
 * knowledge/misspellings.json); docs/diagnostics.md has one section per code.
 */
import type { Lang } from '../knowledge/schema';
import { argumentFindings } from './rules/arguments';
import { byteOrderFindings } from './rules/byteOrder';
import { lengthFindings } from './rules/lengths';
import { resultFindings } from './rules/results';
import { datagramFindings } from './rules/sockets';
import type { DiagnosticsInput, Finding, StaticDiagnostic } from './types';

export type { DiagnosticFix, DiagnosticsInput, FunctionFacts, StaticDiagnostic, TextEdit } from './types';

function misspellingFindings(input: DiagnosticsInput): Finding[] {
  return input.misspellings.map((m) => {
    const start = input.offsetOf(m.range.start);
    return { code: 'SL150', start, end: start + m.wrong.length, params: { wrong: m.wrong, right: m.right }, fix: [{ start, end: start + m.wrong.length, newText: m.right }] };
  });
}

/** Every finding of the document, in document order. */
export function findAll(input: DiagnosticsInput): Finding[] {
  const findings: Finding[] = [];
  for (const facts of input.functions) {
    findings.push(...byteOrderFindings(input, facts), ...argumentFindings(input, facts.scope.calls), ...lengthFindings(input, facts));
    findings.push(...resultFindings(input, facts), ...datagramFindings(facts));
  }
  findings.push(...misspellingFindings(input));
  return findings.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
}

/** `{name}` placeholders filled from `params`; unknown names stay as written. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A finding in words, in one language. */
export function describe(input: DiagnosticsInput, finding: Finding, lang: Lang): StaticDiagnostic {
  const rule = input.kb.diagnostics.rules.get(finding.code);
  if (!rule) throw new Error(`SockLens: no rule ${finding.code} in knowledge/diagnostics.json`);
  const known = finding.code === 'SL150' ? input.kb.misspellings.get(String(finding.params.wrong)) : undefined;
  const message = known ? known[lang] : fill(rule[lang].message, finding.params);
  return {
    code: rule.code,
    severity: rule.severity,
    message,
    range: input.rangeOf(finding.start, finding.end),
    related: (finding.related ?? []).map((r) => ({
      range: input.rangeOf(r.start, r.end),
      message: fill(input.kb.diagnostics.related[r.label][lang], r.params),
    })),
    fixes: finding.fix
      ? [{ title: fill(rule[lang].fix, finding.params), edits: finding.fix.map((e) => ({ range: input.rangeOf(e.start, e.end), newText: e.newText })) }]
      : [],
    docs: `${input.kb.diagnostics.docs}#${rule.code.toLowerCase()}`,
  };
}

export function diagnose(input: DiagnosticsInput, lang: Lang): StaticDiagnostic[] {
  return findAll(input).map((f) => describe(input, f, lang));
}
