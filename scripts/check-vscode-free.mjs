// Fails when anything under src/core or src/cli reaches the `vscode` module, directly or through a relative
// import of a file outside those folders (src/extension, src/webview). The type-check alone cannot catch it:
// `@types/vscode` resolves from any folder of the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const VSCODE_FREE = ['src/core', 'src/cli'];

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(?:ts|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Module specifiers of one file: static and type imports, re-exports, `import()` and `require()`. */
function specifiersOf(file) {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** Every violation as "src/core/x.ts imports vscode" / "src/cli/y.ts imports src/extension/z (outside src/core, src/cli)". */
export function findVscodeImports(root) {
  const allowed = VSCODE_FREE.map((d) => path.join(root, d) + path.sep);
  const problems = [];
  for (const dir of VSCODE_FREE) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const rel = path.relative(root, file);
      for (const spec of specifiersOf(file)) {
        if (spec === 'vscode' || spec.startsWith('vscode/')) problems.push(`${rel} imports ${spec}`);
        else if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          const inSrc = target.startsWith(path.join(root, 'src') + path.sep);
          if (inSrc && !allowed.some((a) => (target + path.sep).startsWith(a))) {
            problems.push(`${rel} imports ${path.relative(root, target)} (outside ${VSCODE_FREE.join(', ')})`);
          }
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const problems = findVscodeImports(root);
  if (problems.length) {
    console.error(`The vscode-free core reaches vscode (${problems.length}):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
