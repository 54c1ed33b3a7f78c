import * as vscode from 'vscode';
import { t } from './text';

/**
 * Running compiles and executes code from the workspace, so Restricted Mode refuses it with the reason and
 * a way to trust the folder. Returns true when running is allowed.
 */
export async function ensureTrustedForRun(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = t('Manage Workspace Trust');
  const choice = await vscode.window.showWarningMessage(
    t(
      'SockLens cannot run programs in Restricted Mode: running compiles and executes code from this folder. Hovers still work. To run, trust the folder (Manage Workspace Trust → Trust).',
    ),
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
