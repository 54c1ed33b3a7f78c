// The driver's side of the harness: calls the steps the harness extension serves inside the extension host.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Steps, StepName } from '../harness/src/steps';
import { waitFor } from './wait';

type Params<K extends StepName> = Parameters<Steps[K]>[0];
type Result<K extends StepName> = Awaited<ReturnType<Steps[K]>>;

export class HarnessClient {
  private constructor(private readonly port: number) {}

  /** Waits until the harness extension has started in the extension host and written its port. */
  static async connect(harnessDir: string, timeoutMs: number): Promise<HarnessClient> {
    const ready = path.join(harnessDir, 'ready.json');
    const port = await waitFor(
      'the test-harness extension to start in the extension host',
      () => (fs.existsSync(ready) ? (JSON.parse(fs.readFileSync(ready, 'utf8')) as { port: number }).port : undefined),
      { timeoutMs },
    );
    return new HarnessClient(port);
  }

  call<K extends StepName>(method: K, ...params: Params<K> extends undefined ? [] : [Params<K>]): Promise<Result<K>> {
    const body = JSON.stringify({ method, params: params[0] ?? {} });
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, timeout: 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; result?: unknown; error?: string };
              if (reply.ok) resolve(reply.result as Result<K>);
              else reject(new Error(`harness ${method} failed: ${reply.error}`));
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`harness ${method} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
