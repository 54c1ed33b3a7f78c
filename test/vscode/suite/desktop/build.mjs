// Bundles the desktop mocha suites to CommonJS for the extension host: used by .vscode-test.mjs and by the
// code-server test that runs the same suite in its extension host.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Writes `<outDir>/<name>.test.js` for each `*.suite.ts` here and returns the written paths. */
export async function buildDesktopSuites(outDir) {
  const suites = fs.readdirSync(here).filter((f) => f.endsWith('.suite.ts'));
  await Promise.all(
    suites.map((f) =>
      esbuild.build({
        entryPoints: [path.join(here, f)],
        outfile: path.join(outDir, f.replace(/\.suite\.ts$/, '.test.js')),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode'],
        logLevel: 'warning',
      }),
    ),
  );
  return suites.map((f) => path.join(outDir, f.replace(/\.suite\.ts$/, '.test.js')));
}
