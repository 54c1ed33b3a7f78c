// The test-harness extension. code-server ignores --extensionTestsPath, so the driver copies this extension into
// --extensions-dir; it activates on start-up inside the real extension host, serves the steps in ./steps.ts over
// HTTP on 127.0.0.1 and writes `ready.json` (its port) into the harness directory the driver chose.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { steps, type StepName } from './steps';

/** Written by the driver next to this extension's package.json; SOCKLENS_HARNESS_DIR overrides it. */
function harnessDir(extensionPath: string): string | undefined {
  if (process.env.SOCKLENS_HARNESS_DIR) return process.env.SOCKLENS_HARNESS_DIR;
  try {
    const config = JSON.parse(fs.readFileSync(path.join(extensionPath, 'harness-config.json'), 'utf8')) as { dir?: unknown };
    return typeof config.dir === 'string' ? config.dir : undefined;
  } catch {
    return undefined;
  }
}

function isStepName(name: unknown): name is StepName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(steps, name);
}

async function answer(body: string): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> {
  try {
    const request = JSON.parse(body) as { method?: unknown; params?: unknown };
    if (!isStepName(request.method)) return { ok: false, error: `unknown harness method ${String(request.method)}` };
    const step = steps[request.method] as (params: unknown) => Promise<unknown>;
    return { ok: true, result: (await step(request.params ?? {})) ?? null };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) };
  }
}

let server: http.Server | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const dir = harnessDir(context.extensionPath);
  if (!dir) return;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void answer(Buffer.concat(chunks).toString('utf8')).then((reply) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server?.address();
    if (address && typeof address === 'object') {
      const ready = path.join(dir, 'ready.json');
      fs.writeFileSync(`${ready}.tmp`, JSON.stringify({ port: address.port, pid: process.pid }));
      fs.renameSync(`${ready}.tmp`, ready);
    }
  });
}

export function deactivate(): void {
  server?.close();
}
