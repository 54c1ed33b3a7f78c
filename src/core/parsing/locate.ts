import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Finds a runtime asset (WASM file, query file) that lives next to the bundle in `dist/` after
 * `scripts/build.mjs`, or somewhere in the source tree / node_modules when running from source.
 * `candidates` are paths relative to each folder walked up from `start`.
 */
export function locateAsset(candidates: readonly string[], start: string = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    for (const candidate of candidates) {
      const file = path.join(dir, candidate);
      if (fs.existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
