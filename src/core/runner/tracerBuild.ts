import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheRoot, hashOf, tempSibling } from './cache';
import { RunnerSetupError, missingCompilerError, runCommand } from './compiler';

const TRACER_FILES = ['socklens_trace.c', 'protocol.h'];
/** Kept in step with tracer/Makefile. */
const TRACER_FLAGS = ['-shared', '-fPIC', '-O2', '-g', '-Wall', '-Wextra', '-fvisibility=hidden', '-fno-omit-frame-pointer'];
const TRACER_LIBS = ['-ldl', '-pthread'];

/** Finds the tracer sources from the running code (source tree, bundle in dist/, or packaged extension). */
export function findTracerDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'tracer');
    if (fs.existsSync(path.join(candidate, TRACER_FILES[0]))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new RunnerSetupError('SockLens: the tracer sources ({0}) were not found above {1}', `tracer/${TRACER_FILES[0]}`, start);
    dir = parent;
  }
}

const built = new Map<string, string>();

/** The preloadable tracer library, built with `compiler` on first use and cached by its source hash. */
export async function ensureTracer(compiler = 'gcc', cacheDir: string = cacheRoot(), tracerDir: string = findTracerDir()): Promise<string> {
  const sources = TRACER_FILES.map((f) => fs.readFileSync(path.join(tracerDir, f)));
  const key = hashOf(compiler, JSON.stringify(TRACER_FLAGS), ...sources);
  const lib = path.join(cacheDir, 'tracer', key, 'libsocklens_trace.so');
  const known = built.get(lib);
  if (known) return known;
  if (!fs.existsSync(lib)) {
    const tmp = tempSibling(lib);
    const result = await runCommand(compiler, [...TRACER_FLAGS, '-o', tmp, path.join(tracerDir, TRACER_FILES[0]), ...TRACER_LIBS], { ...process.env, LC_ALL: 'C' });
    if (result.missing) throw missingCompilerError(compiler);
    if (result.code !== 0) {
      fs.rmSync(tmp, { force: true });
      throw new RunnerSetupError('Building the SockLens tracer with {0} failed:\n{1}', compiler, result.stderr.trim());
    }
    fs.renameSync(tmp, lib);
  }
  built.set(lib, lib);
  return lib;
}
