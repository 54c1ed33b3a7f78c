import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/** A clangd language server over stdio, for comparison timings. */
export class ClangdSession {
  private constructor(private readonly child: ChildProcess, private readonly connection: MessageConnection) {}

  static async start(workspace: string): Promise<ClangdSession> {
    const child = spawn('clangd', ['--log=error', '--background-index=false', '-j=2'], { stdio: ['pipe', 'pipe', process.env.SOCKLENS_BENCH_DEBUG ? 'inherit' : 'ignore'] });
    const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`clangd could not start: ${e.message} (apt-get install clangd)`))));
    child.stdin!.on('error', () => undefined);
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onNotification(() => undefined);
    connection.onRequest(() => null);
    connection.listen();
    const session = new ClangdSession(child, connection);
    await Promise.race([
      failed,
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } },
      }),
    ]);
    connection.sendNotification('initialized', {});
    return session;
  }

  open(file: string, text: string): void {
    this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: pathToFileURL(file).href, languageId: 'c', version: 1, text },
    });
  }

  change(file: string, version: number, text: string): void {
    this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: pathToFileURL(file).href, version },
      contentChanges: [{ text }],
    });
  }

  close(file: string): void {
    this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: pathToFileURL(file).href } });
  }

  async hover(file: string, position: { line: number; character: number }): Promise<unknown> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(file).href }, position });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await Promise.race([this.connection.sendRequest('shutdown'), exited]);
    await this.connection.sendNotification('exit').catch(() => undefined);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

export function writeCompileFlags(dir: string): void {
  fs.writeFileSync(path.join(dir, 'compile_flags.txt'), '-xc\n-std=gnu11\n');
}
