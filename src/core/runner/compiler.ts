import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompileDiagnostic } from '../protocol/events';
import { cacheRoot, hashOf, tempSibling } from './cache';
import { parseGccDiagnostics } from './diagnostics';
import { LocalizedError } from '../l10n/messages';

export const DEFAULT_FLAGS = ['-g', '-O0', '-Wall', '-Wextra'];

export interface CompileOptions {
  /** The C file to build. */
  source: string;
  /** Compiler command (default "gcc"). */
  compiler?: string;
  /** Replaces DEFAULT_FLAGS. */
  flags?: string[];
  /** Added after the flags (libraries, defines …). */
  extraFlags?: string[];
  cacheDir?: string;
  /** Called once the command line is known, before compiling (also on a cache hit). */
  onStart?: (compiler: string, args: string[]) => void;
}

export interface CompileResult {
  ok: boolean;
  cached: boolean;
  /** The executable, in the cache; null when the compile failed. */
  binary: string | null;
  compiler: string;
  /** The full compiler command line after the compiler itself. */
  args: string[];
  diagnostics: CompileDiagnostic[];
}

/**
 * A failure the user must act on before anything can be compiled (no compiler, unsupported platform …), with
 * its text in every language from the l10n bundles.
 */
export class RunnerSetupError extends LocalizedError {
  override readonly name = 'RunnerSetupError';
}

export function assertSupportedPlatform(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux') {
    const name = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
    throw new RunnerSetupError('Running and tracing programs is not supported on {0} yet (Linux only for now).', name);
  }
}

/** Runs a command to completion, collecting its output. Resolves with code null when it could not be started. */
export function runCommand(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr: stderr + err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
  });
}

export function missingCompilerError(compiler: string): RunnerSetupError {
  const pkg = /clang/.test(path.basename(compiler)) ? 'clang' : 'gcc';
  return new RunnerSetupError('The C compiler "{0}" was not found. Install it with: {1}', compiler, `sudo apt install ${pkg} libc6-dev`);
}

function usesPthreads(text: string): boolean {
  return /#\s*include\s*<pthread\.h>/.test(text) || /\bpthread_create\s*\(/.test(text);
}

/** The compiler arguments for `source`; -static is refused because a static binary ignores LD_PRELOAD. */
export function compilerArgs(source: string, text: string, options: CompileOptions, output: string): string[] {
  const flags = [...(options.flags ?? DEFAULT_FLAGS), ...(options.extraFlags ?? [])];
  if (flags.some((f) => f === '-static' || f === '--static' || f === '-static-pie')) {
    throw new RunnerSetupError('SockLens cannot trace a static binary (it ignores LD_PRELOAD): remove -static from the compiler flags.');
  }
  if (usesPthreads(text) && !flags.includes('-pthread')) flags.push('-pthread');
  return [...flags, '-fdiagnostics-format=json', '-o', output, source];
}

/** Compiles `options.source` into the cache (keyed by its path, content, compiler and flags). */
export async function compileProgram(options: CompileOptions): Promise<CompileResult> {
  assertSupportedPlatform();
  const compiler = options.compiler ?? 'gcc';
  const source = path.resolve(options.source);
  let text: string;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch {
    throw new RunnerSetupError('Cannot read {0}: no such file or not readable.', source);
  }
  const key = hashOf(source, text, compiler, JSON.stringify(options.flags ?? DEFAULT_FLAGS), JSON.stringify(options.extraFlags ?? []));
  const dir = path.join(options.cacheDir ?? cacheRoot(), 'bin', key);
  const binary = path.join(dir, path.basename(source).replace(/\.[^.]*$/, '') || 'program');
  const diagFile = path.join(dir, 'diagnostics.json');
  const args = compilerArgs(source, text, options, binary);
  options.onStart?.(compiler, args);
  if (fs.existsSync(binary) && fs.existsSync(diagFile)) {
    const diagnostics = JSON.parse(fs.readFileSync(diagFile, 'utf8')) as CompileDiagnostic[];
    return { ok: true, cached: true, binary, compiler, args, diagnostics };
  }
  const tmp = tempSibling(binary);
  const tmpArgs = compilerArgs(source, text, options, tmp);
  const result = await runCommand(compiler, tmpArgs, { ...process.env, LC_ALL: 'C' });
  if (result.missing) throw missingCompilerError(compiler);
  const diagnostics = parseGccDiagnostics(result.stderr);
  if (result.code !== 0 || !fs.existsSync(tmp)) {
    fs.rmSync(tmp, { force: true });
    if (!diagnostics.some((d) => d.severity === 'error')) {
      diagnostics.push({ file: '', line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', message: result.stderr.trim() || `${compiler} failed`, fixits: [] });
    }
    return { ok: false, cached: false, binary: null, compiler, args, diagnostics };
  }
  fs.renameSync(tmp, binary);
  fs.writeFileSync(diagFile, JSON.stringify(diagnostics));
  return { ok: true, cached: false, binary, compiler, args, diagnostics };
}
