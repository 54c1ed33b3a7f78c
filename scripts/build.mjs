// Bundles the extension, the CLI and the webview with esbuild and copies the tree-sitter WASM files.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSocketGrammar } from '../syntaxes/generate.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
fs.mkdirSync(dist, { recursive: true });

for (const wasm of ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/tree-sitter-c/tree-sitter-c.wasm']) {
  fs.copyFileSync(path.join(root, wasm), path.join(dist, path.basename(wasm)));
}
// The tree-sitter queries are read at run time from dist/queries/*.scm (src/core/parsing/queries.ts).
fs.cpSync(path.join(root, 'src/core/queries'), path.join(dist, 'queries'), { recursive: true });

writeSocketGrammar(path.join(root, 'knowledge'));

/**
 * The runner decodes numbers with names from knowledge/constants/*.json and errno.json (src/core/runner/names.ts):
 * the bundle keeps only each entry's name, value and alias, not its explanations.
 */
const knowledgeNamesOnly = {
  name: 'knowledge-names-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]knowledge[\\/](?:constants[\\/][^\\/]+|errno)\.json$/ }, async (args) => {
      const data = JSON.parse(await fs.promises.readFile(args.path, 'utf8'));
      const entries = data.entries.map(({ name, value, aliasOf }) => ({ name, value, ...(aliasOf ? { aliasOf } : {}) }));
      return { contents: JSON.stringify({ entries }), loader: 'json' };
    });
  },
};

const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root, minify: !watch, plugins: [knowledgeNamesOnly] };
const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
    // The first statement of the bundle, so the extension can report how long loading its code took.
    banner: { js: '"use strict";var __socklensBundleStart = performance.now();' } },
  // Loaded by the extension on first use (src/extension/loadEngine.ts), so activation stays small.
  { ...common, entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((t) => fs.existsSync(path.join(root, t.entryPoints[0])));

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
