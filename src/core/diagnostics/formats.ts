/**
 * `socklens check`'s machine-readable outputs: the JSON of docs/diagnostics.md (1-based lines and columns) and
 * SARIF 2.1.0 for code scanning services. Pure functions of the diagnostics; no I/O.
 */
import type { SourceRange } from '../analysis/text';
import type { DiagnosticRuleEntry, Lang } from '../knowledge/schema';
import type { StaticDiagnostic } from './types';

export interface FileDiagnostics {
  /** As given on the command line (relative paths stay relative). */
  file: string;
  diagnostics: StaticDiagnostic[];
}

function oneBased(range: SourceRange): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/** `{"diagnostics":[{"file","line","column","endLine","endColumn","code","severity","message","fixes":[…]}]}` */
export function toJson(files: FileDiagnostics[]): { diagnostics: object[] } {
  return {
    diagnostics: files.flatMap(({ file, diagnostics }) =>
      diagnostics.map((d) => ({
        file,
        ...oneBased(d.range),
        code: d.code,
        severity: d.severity,
        message: d.message,
        fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ ...oneBased(e.range), newText: e.newText })) })),
      })),
    ),
  };
}

/** gcc's style: `file:line:col: warning: message [SL103]` (SARIF's and gcc's word for info is "note"). */
export function toText(files: FileDiagnostics[]): string[] {
  return files.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 'info' ? 'note' : d.severity}: ${d.message} [${d.code}]`),
  );
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function region(range: SourceRange): object {
  const r = oneBased(range);
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** Where a SARIF artifact is: a URI, relative to a base (`SRCROOT`) for files named relative to it. */
export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/**
 * A SARIF 2.1.0 log with one run. `artifact` locates a file as named on the command line (code scanning
 * services want paths relative to the checkout: `uriBaseId` SRCROOT, defined in `srcRoot`); `helpUri` turns a
 * rule's documentation path (`docs/diagnostics.md#sl101`) into an absolute URI.
 */
export function toSarif(
  files: FileDiagnostics[],
  rules: DiagnosticRuleEntry[],
  lang: Lang,
  tool: { version: string; srcRoot: string; artifact(file: string): ArtifactLocation; helpUri(docs: string): string },
  docsPath: string,
): object {
  const index = new Map(rules.map((r, i) => [r.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'SockLens',
            version: tool.version,
            informationUri: tool.helpUri(docsPath),
            rules: rules.map((r) => ({
              id: r.code,
              name: r.id,
              shortDescription: { text: r[lang].message.replace(/\{\w+\}/g, '…') },
              helpUri: tool.helpUri(`${docsPath}#${r.code.toLowerCase()}`),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: tool.srcRoot } },
        results: files.flatMap(({ file, diagnostics }) =>
          diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: index.get(d.code),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation: tool.artifact(file), region: region(d.range) } }],
            relatedLocations: d.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: { artifactLocation: tool.artifact(file), region: region(r.range) } })),
            fixes: d.fixes.map((f) => ({
              description: { text: f.title },
              artifactChanges: [
                { artifactLocation: tool.artifact(file), replacements: f.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) },
              ],
            })),
          })),
        ),
      },
    ],
  };
}
