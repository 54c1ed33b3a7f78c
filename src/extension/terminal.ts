import * as vscode from 'vscode';

/** The program's console: its output as it is printed, and line-edited input sent to its stdin. */
export class ProgramTerminal implements vscode.Pseudoterminal, vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private pending: string[] = [];
  private line = '';
  private closedByUs = false;
  readonly terminal: vscode.Terminal;

  constructor(
    name: string,
    private readonly input: { send(text: string): boolean; endOfInput(): void; interrupt(): void; closed(): void },
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('plug'), isTransient: true });
  }

  open(): void {
    this.opened = true;
    for (const text of this.pending.splice(0)) this.writeEmitter.fire(text);
  }

  /** The user closed the terminal: the program loses its console, so the run stops. */
  close(): void {
    if (!this.closedByUs) this.input.closed();
  }

  /** Writes program output (or a SockLens line), turning bare newlines into terminal line breaks. */
  write(text: string): void {
    const data = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(data);
    else this.pending.push(data);
  }

  /** A line from SockLens itself, dimmed so it stands apart from the program's output. */
  notice(text: string): void {
    this.write(`\x1b[2m${text}\x1b[0m\n`);
  }

  handleInput(data: string): void {
    for (const ch of data) {
      if (ch === '\r') {
        this.writeEmitter.fire('\r\n');
        this.input.send(`${this.line}\n`);
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = [...this.line].slice(0, -1).join('');
          this.writeEmitter.fire('\b \b');
        }
      } else if (ch === '\x03') {
        this.writeEmitter.fire('^C\r\n');
        this.input.interrupt();
      } else if (ch === '\x04') {
        if (this.line) this.input.send(this.line);
        this.line = '';
        this.input.endOfInput();
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        this.writeEmitter.fire(ch);
      }
    }
  }

  show(): void {
    this.terminal.show(true);
  }

  dispose(): void {
    this.closedByUs = true;
    this.terminal.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
