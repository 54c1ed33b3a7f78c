/**
 * Static diagnostics (vscode-free): socket mistakes found from the analysis' outputs — the values stored in
 * address fields, the constants in each argument, the socket tracker — with stable codes (SL1xx), severities,
 * related locations and certain fixes. Every sentence comes from knowledge/diagnostics.json (and
 * knowledge/misspellings.json); docs/diagnostics.md has one section per code. The analyzer runs them one
 * top-level item at a time (`diagnoseSlice()`) and puts the findings into words (`diagnose()`).
 */
import type { Lang } from '../knowledge/schema';
import { argumentFindings } from './rules/arguments';
import { byteOrderFindings } from './rules/byteOrder';
import { lengthFindings } from './rules/lengths';
import { resultFindings } from './rules/results';
import { datagramFindings } from './rules/sockets';
import type { DiagnosticsInput, Finding, FunctionFacts, StaticDiagnostic } from './types';

export type { DiagnosticFix, DiagnosticsInput, Finding, FunctionFacts, StaticDiagnostic, TextEdit } from './types';

export function misspellingFindings(input: DiagnosticsInput): Finding[] {
  return input.misspellings.map((m) => {
    const start = input.offsetOf(m.range.start);
    return { code: 'SL150', start, end: start + m.wrong.length, params: { wrong: m.wrong, right: m.right }, fix: [{ start, end: start + m.wrong.length, newText: m.right }] };
  });
}

/** The findings of one function, in no particular order. */
export function functionFindings(input: DiagnosticsInput, facts: FunctionFacts): Finding[] {
  return [
    ...byteOrderFindings(input, facts),
    ...argumentFindings(input, facts.scope.calls),
    ...lengthFindings(input, facts),
    ...resultFindings(input, facts),
    ...datagramFindings(facts),
  ];
}

export function inDocumentOrder(findings: Finding[]): Finding[] {
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
