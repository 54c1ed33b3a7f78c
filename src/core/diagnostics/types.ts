import type { DiagnosticSeverity, KnowledgeBase } from '../knowledge/schema';
import type { Misspelled } from '../analysis/api';
import type { Scope } from '../analysis/scope';
import type { SocketModel } from '../analysis/sockets';
import type { SourceRange } from '../analysis/text';
import type { Resolver } from '../analysis/values';

/** A text replacement; offsets are UTF-16 indices into the document. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** What a rule found, before it is put into words: offsets, the rule's code and the values for its sentence. */
export interface Finding {
  code: string;
  start: number;
  end: number;
  params: Record<string, string | number>;
  related?: { start: number; end: number; label: string; params: Record<string, string | number> }[];
  /** A certain fix: applying these edits corrects the mistake and nothing else. */
  fix?: OffsetEdit[];
}

/** One analysed function: its facts, the value resolver and the socket tracker. */
export interface FunctionFacts {
  scope: Scope;
  resolver: Resolver;
  sockets: SocketModel;
}

/** Everything the rules read: the analysis outputs, never the syntax tree. */
export interface DiagnosticsInput {
  kb: KnowledgeBase;
  text: string;
  macros: ReadonlyMap<string, string>;
  /** The misspelled constants of the part of the text being checked. */
  misspellings: Misspelled[];
  offsetOf(position: SourceRange['start']): number;
  rangeOf(start: number, end: number): SourceRange;
}

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface DiagnosticFix {
  title: string;
  edits: TextEdit[];
}

/** A diagnostic in words, 0-based positions (VS Code's). */
export interface StaticDiagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  range: SourceRange;
  /** Where the socket was created, the variable declared …: shown next to the diagnostic. */
  related: { range: SourceRange; message: string }[];
  fixes: DiagnosticFix[];
  /** The rule's documentation, relative to the package root: `docs/diagnostics.md#sl101`. */
  docs: string;
}
