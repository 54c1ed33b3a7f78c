import type { CompileDiagnostic } from '../protocol/events';

interface GccPosition {
  file: string;
  line: number;
  column: number;
}
interface GccDiagnostic {
  kind: string;
  message: string;
  option?: string;
  locations?: { caret: GccPosition; start?: GccPosition; finish?: GccPosition }[];
  fixits?: { start: GccPosition; next: GccPosition; string: string }[];
  children?: GccDiagnostic[];
}

function severityOf(kind: string): CompileDiagnostic['severity'] {
  if (kind === 'warning') return 'warning';
  if (kind === 'note') return 'note';
  return 'error';
}

function flatten(d: GccDiagnostic, out: CompileDiagnostic[]): void {
  const loc = d.locations?.[0];
  const start = loc?.start ?? loc?.caret;
  const end = loc?.finish ?? loc?.caret;
  out.push({
    file: start?.file ?? '',
    line: start?.line ?? 0,
    column: start?.column ?? 0,
    endLine: end?.line ?? start?.line ?? 0,
    endColumn: end ? end.column + 1 : (start?.column ?? 0),
    severity: severityOf(d.kind),
    message: d.message,
    ...(d.option ? { option: d.option } : {}),
    fixits: (d.fixits ?? []).map((f) => ({
      line: f.start.line,
      column: f.start.column,
      endLine: f.next.line,
      endColumn: f.next.column,
      replacement: f.string,
    })),
  });
  for (const child of d.children ?? []) flatten(child, out);
}

/** The linker and the driver print plain text even under -fdiagnostics-format=json. */
function plainLine(line: string): CompileDiagnostic | null {
  const text = line.replace(/^\/\S*\bld: /, '').trim();
  if (!text || /: in function [`'‘]/.test(text) || /^collect2: error: ld returned/.test(text)) return null;
  const m = /^([^:\s]+):(?:\([^)]*\)|(\d+)):\s*(.*)$/.exec(text);
  return {
    file: m ? m[1] : '',
    line: m?.[2] ? Number(m[2]) : 0,
    column: 0,
    endLine: m?.[2] ? Number(m[2]) : 0,
    endColumn: 0,
    severity: /warning/.test(text) && !/error/.test(text) ? 'warning' : 'error',
    message: m ? m[3] : text,
    fixits: [],
  };
}

/** Turns gcc's stderr under `-fdiagnostics-format=json` into structured records. */
export function parseGccDiagnostics(stderr: string): CompileDiagnostic[] {
  const out: CompileDiagnostic[] = [];
  for (const line of stderr.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      try {
        for (const d of JSON.parse(trimmed) as GccDiagnostic[]) flatten(d, out);
        continue;
      } catch {
        // not JSON after all: fall through to the plain-text reading
      }
    }
    const plain = plainLine(line);
    if (plain) out.push(plain);
  }
  return out;
}

/** gcc's own text form: `file:line:column: severity: message`. */
export function formatDiagnostic(d: CompileDiagnostic): string {
  const where = d.file ? `${d.file}:${d.line ? `${d.line}:${d.column ? `${d.column}:` : ''}` : ''} ` : '';
  return `${where}${d.severity}: ${d.message}${d.option ? ` [${d.option}]` : ''}`;
}
