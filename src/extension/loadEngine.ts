import * as path from 'node:path';

export type EngineModule = typeof import('./engine');

let loaded: EngineModule | undefined;

/**
 * Loads dist/engine.js on first use. The path is computed so esbuild leaves the require alone and the
 * engine stays out of dist/extension.js, which VS Code compiles at activation.
 */
export function loadEngine(): EngineModule {
  loaded ??= require(path.join(__dirname, 'engine.js')) as EngineModule;
  return loaded;
}
