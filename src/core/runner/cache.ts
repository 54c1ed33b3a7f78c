import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The per-user cache folder for compiled programs and the built tracer: $XDG_CACHE_HOME/socklens or ~/.cache/socklens. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SOCKLENS_CACHE_DIR ?? (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'socklens') : path.join(os.homedir(), '.cache', 'socklens'));
  return base;
}

export function hashOf(...parts: (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 24);
}

/** A fresh temporary path next to `finalPath`, to write there and rename into place (safe with parallel runs). */
export function tempSibling(finalPath: string): string {
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  return `${finalPath}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}
