/** The runner's public API: compile, run under the tracer, stream SockLensEvents, stop. */
export { startRun, Run, type RunOptions, type RunResult, type ClientRequest, type EndReason } from './run';
export { compileProgram, RunnerSetupError, DEFAULT_FLAGS, type CompileOptions, type CompileResult } from './compiler';
export { formatDiagnostic, parseGccDiagnostics } from './diagnostics';
export { ensureTracer, findTracerDir } from './tracerBuild';
export { planArguments, autoArguments, type ArgvPlan } from './programArgs';
export { cacheRoot } from './cache';
export type { ClientResult } from './testClient';
export { TimelinePrinter, describeCall, painterFor, COLORS, NO_COLORS, type Painter } from './timeline';
