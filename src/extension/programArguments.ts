import * as path from 'node:path';
import * as vscode from 'vscode';
import { joinArguments, splitArguments, suggestArguments } from '../core/editor/programArguments';
import type { Analysis } from './analysis';
import type { SockLensContext } from './context';
import { loadEngine } from './loadEngine';

const STATE_KEY = 'socklens.programArguments';

/** What a program expects on its command line, from the analysis and the runner's usage reading. */
interface ArgumentNeeds {
  count: number;
  portIndex: number | null;
  hostIndexes: number[];
  usage?: string;
}

/**
 * Program arguments per file: asked for on the first run when the program reads argv (with a free port
 * filled in where it reads its port), remembered in the workspace state, editable with a command.
 */
export class ProgramArguments {
  constructor(
    private readonly context: SockLensContext,
    private readonly analysis: Analysis,
  ) {}

  private get state(): vscode.Memento {
    return this.context.extension.workspaceState;
  }

  remembered(uri: vscode.Uri): string[] | undefined {
    const all = this.state.get<Record<string, string[]>>(STATE_KEY, {});
    const args = all[uri.toString()];
    return Array.isArray(args) && args.every((a) => typeof a === 'string') ? args : undefined;
  }

  async remember(uri: vscode.Uri, args: string[]): Promise<void> {
    const all = { ...this.state.get<Record<string, string[]>>(STATE_KEY, {}), [uri.toString()]: args };
    await this.state.update(STATE_KEY, all);
  }

  /** The arguments for running `document`; undefined when the user cancelled the prompt. */
  async forRun(document: vscode.TextDocument): Promise<string[] | undefined> {
    const remembered = this.remembered(document.uri);
    if (remembered) return remembered;
    const needs = await this.needs(document);
    const defaults = splitArguments(this.context.settings.defaultArguments);
    if (needs.count === 0 && needs.portIndex === null) return defaults;
    return this.ask(document, needs, defaults.length > 0 ? defaults : undefined);
  }

  /** Lets the user change the remembered arguments of `document`. */
  async edit(document: vscode.TextDocument): Promise<string[] | undefined> {
    return this.ask(document, await this.needs(document), this.remembered(document.uri));
  }

  private async needs(document: vscode.TextDocument): Promise<ArgumentNeeds> {
    const plan = await loadEngine().planArguments(document.getText());
    const parsed = await this.analysis.parsed(document);
    const usage = parsed?.engine.analyzer.findPortArgument(parsed.doc)?.usage;
    return { ...plan, ...(usage ? { usage } : {}) };
  }

  private async ask(document: vscode.TextDocument, needs: ArgumentNeeds, current: string[] | undefined): Promise<string[] | undefined> {
    let prefill = current;
    if (!prefill) {
      prefill = suggestArguments(needs, await loadEngine().freePort());
    }
    const name = path.basename(document.uri.fsPath);
    const answer = await vscode.window.showInputBox({
      title: vscode.l10n.t('Program arguments for {0}', name),
      prompt:
        needs.portIndex !== null
          ? vscode.l10n.t('The program reads its port from argv[{0}]; a free port is filled in. Separate arguments with spaces.', needs.portIndex)
          : vscode.l10n.t('Separate arguments with spaces; quote an argument that contains spaces.'),
      placeHolder: needs.usage?.trim(),
      value: joinArguments(prefill),
      ignoreFocusOut: true,
      validateInput: (value) =>
        /^\s*$/.test(value) && needs.count > 0
          ? { message: vscode.l10n.t('This program expects {0} argument(s).', needs.count), severity: vscode.InputBoxValidationSeverity.Warning }
          : undefined,
    });
    if (answer === undefined) return undefined;
    const args = splitArguments(answer);
    await this.remember(document.uri, args);
    return args;
  }
}
