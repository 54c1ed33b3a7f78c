/**
 * The heavy part of the extension — the analysis core with web-tree-sitter, and the runner — bundled on its
 * own as dist/engine.js so that activation does not have to load it (see loadEngine.ts).
 */
export { createAnalyzer } from '../core/analysis';
export { compileProgram, startRun } from '../core/runner';
export { planArguments } from '../core/runner/programArgs';
export { checkPort, freePort, loopbackFor, splitAddress } from '../core/runner/ports';
export { timeWaitBeforeRun } from '../core/runner/problems';
export { runAnchors } from '../core/editor/runAnchors';
