/**
 * The shape of the knowledge base. The data lives under `knowledge/` at the repository root:
 *   knowledge/functions/<name>.json   one covered function (facts + English + Korean text)
 *   knowledge/constants/<group>.json  a group of constants ({ "group", "entries": ConstantEntry[] })
 *   knowledge/structs.json            { "entries": StructEntry[] }
 *   knowledge/errno.json              { "entries": ErrnoEntry[] }
 *   knowledge/misspellings.json       { "entries": Misspelling[] }
 *   knowledge/story.json              the telephone story of the four server steps
 *   knowledge/diagnostics.json        the static diagnostic rules (code, severity, messages, fix titles)
 *   knowledge/glossary.json           the Korean glossary (one term per idea)
 * Facts (signature, parameters, errno names, numeric values) are language-neutral; every sentence exists
 * in both languages under `en` and `ko`, with exactly the same keys.
 */

export type Lang = 'en' | 'ko';
export const LANGS: readonly Lang[] = ['en', 'ko'];

/**
 * How one claim in an entry's text is known to hold on Linux: a behaviour probe (`test/probes/<probe>.c`,
 * compiled and run by test/unit/knowledge-probes.test.ts, which fails if the probe does not pass) or, for what
 * no probe can show, the man page section that says it (`"man 7 tcp"`). Exactly one of `probe` and `source`.
 */
export interface Evidence {
  /** The claim's path in the entry's `en`/`ko` text ("errors.EPERM.cause", "params.how.values", "notes");
   * "" where the text is a single sentence (constants, errno, fields, misspellings). */
  claim: string;
  probe?: string;
  source?: string;
}

export interface ParamFacts {
  name: string;
  /** C type as in the man page synopsis, e.g. "const struct sockaddr *". */
  type: string;
}

export interface ParamText {
  meaning: string;
  /** Allowed or typical values. */
  values?: string;
  /** Mistakes learners make with this argument. */
  mistakes?: string;
}

export interface ErrorText {
  cause: string;
  fix: string;
}

export interface FunctionText {
  /** One line, used in `socklens explain` listings. */
  summary: string;
  /** A short paragraph: what the call does. */
  description: string;
  params: Record<string, ParamText>;
  returns: string;
  /** Keyed by errno name; covers exactly FunctionEntry.errors. */
  errors: Record<string, ErrorText>;
  /** The telephone story line, only for the four server steps. */
  story?: string;
  /** Extra notes shown after the essentials (optional). */
  notes?: string;
}

export interface FunctionEntry {
  name: string;
  /** Headers to include, e.g. ["sys/types.h", "sys/socket.h"]. */
  headers: string[];
  /** The C prototype as in the man page synopsis, without the trailing semicolon. */
  signature: string;
  /** Return type as written in the signature. */
  returnType: string;
  params: ParamFacts[];
  /** Where the facts were checked, e.g. "bind(2)". */
  man: string;
  /** errno names it can fail with on Linux (from the man page ERRORS section). */
  errors: string[];
  /** 1..4 for socket, bind, listen, accept (accept4 shares step 4). */
  serverStep?: 1 | 2 | 3 | 4;
  /** A function-like macro rather than a real function (FD_SET …). */
  macro?: boolean;
  /** What the call returns in terms of descriptors, used by the socket tracker. */
  returnsDescriptor?: 'socket' | 'connected' | 'epoll' | 'pid';
  en: FunctionText;
  ko: FunctionText;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface ConstantEntry {
  name: string;
  /** The Linux (x86_64, glibc) numeric value. Strings for values that are not plain integers. */
  value: number | string;
  header: string;
  /** Where it may be used, e.g. ["socket:domain"] or ["setsockopt:optname"]. */
  usedIn?: string[];
  /** For PF_INET-style aliases: the name it equals. */
  aliasOf?: string;
  en: string;
  ko: string;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface ConstantGroupFile {
  group: string;
  entries: ConstantEntry[];
}

export interface FieldEntry {
  name: string;
  type: string;
  en: string;
  ko: string;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface StructEntry {
  /** e.g. "sockaddr_in"; also typedef names such as "socklen_t" (kind "type"). */
  name: string;
  kind: 'struct' | 'type';
  header: string;
  /** sizeof on Linux x86_64. */
  size: number;
  fields: FieldEntry[];
  en: string;
  ko: string;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface ErrnoEntry {
  name: string;
  value: number;
  /** strerror() text in glibc, English. */
  message: string;
  en: string;
  ko: string;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface Misspelling {
  wrong: string;
  right: string;
  en: string;
  ko: string;
  /** Probes and man page sections behind the claims in the text. */
  evidence?: Evidence[];
}

export interface StoryStep {
  step: 1 | 2 | 3 | 4;
  call: string;
  en: { title: string; line: string };
  ko: { title: string; line: string };
}

export interface StoryFile {
  steps: StoryStep[];
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** One static diagnostic rule: its stable code, severity and sentences ({placeholders} filled by the rule). */
export interface DiagnosticRuleEntry {
  code: string;
  id: string;
  severity: DiagnosticSeverity;
  en: { message: string; fix: string };
  ko: { message: string; fix: string };
}

/** knowledge/diagnostics.json */
export interface DiagnosticsFile {
  /** The rules' documentation, relative to the package root; each rule's section is `#` + its code in lower case. */
  docs: string;
  rules: DiagnosticRuleEntry[];
  /** Labels of related locations (where a socket was created, bound, closed …). */
  related: Record<string, { en: string; ko: string }>;
  /** Option name prefix → the setsockopt() level its options belong to (SO_ → SOL_SOCKET), from the headers. */
  optionLevels: Record<string, string>;
  /** Protocol → the socket types it works with, `|`-separated (IPPROTO_UDP → SOCK_DGRAM); see protocols(7). */
  protocolTypes: Record<string, string>;
}
/** knowledge/glossary.json: one Korean term per idea, the variants it replaces, the Latin names allowed in
 * Korean prose, and how particles follow code (checked by test/unit/knowledge-korean.test.ts). */
export interface GlossaryTerm {
  en: string;
  ko: string;
  rejected: string[];
}

export interface GlossaryFile {
  terms: GlossaryTerm[];
  names: { note: string; allowed: string[] };
  particles: { note: string };
}
/** The runner's problem sentences (knowledge/problems.json): templates with `{name}` placeholders, same keys in both languages. */
export type ProblemTextKey =
  | 'failedCall' | 'portInUse' | 'takenBy' | 'takenByHidden' | 'timeWait' | 'timeWaitReuseSet' | 'inUse' | 'inUseReuseSet'
  | 'holderProcess' | 'holderPid' | 'holderHidden' | 'holderTimeWait' | 'timeWaitBeforeRun' | 'timeWaitExplained'
  | 'endOfStream' | 'endOfStreamExplained' | 'busyPolling' | 'busyPollingExplained';

export type ProblemTexts = Record<'en' | 'ko', Record<ProblemTextKey, string>>;

export interface KnowledgeBase {
  functions: Map<string, FunctionEntry>;
  constants: Map<string, ConstantEntry>;
  structs: Map<string, StructEntry>;
  /** Field name → the structs that have it (sin_port → sockaddr_in). */
  fields: Map<string, { struct: StructEntry; field: FieldEntry }[]>;
  errnos: Map<string, ErrnoEntry>;
  misspellings: Map<string, Misspelling>;
  story: StoryStep[];
  diagnostics: Omit<DiagnosticsFile, 'rules'> & { rules: Map<string, DiagnosticRuleEntry> };
  glossary: GlossaryTerm[];
  problems: ProblemTexts;
}
