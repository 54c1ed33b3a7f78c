import * as vscode from 'vscode';
import type { Lang } from '../core/knowledge/schema';
import { chooseLanguage } from '../core/editor/language';
import { readSettings, type SockLensSettings } from '../core/editor/settings';
import { useUiLanguage } from './text';

export const CONFIG_SECTION = 'socklens';

/**
 * The one object the extension's parts share: settings, language, and the cleanup scope. Everything a part
 * registers goes through `track`, so deactivation (or disposing the context) releases it all.
 */
export class SockLensContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private cachedSettings: SockLensSettings | undefined;
  private readonly settingsChanged = new vscode.EventEmitter<SockLensSettings>();
  /** Fires after any `socklens.*` setting changed, with the new values. */
  readonly onDidChangeSettings = this.settingsChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    useUiLanguage(this.language);
    this.track(
      this.settingsChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(CONFIG_SECTION)) return;
        this.cachedSettings = undefined;
        useUiLanguage(this.language);
        this.settingsChanged.fire(this.settings);
      }),
    );
  }

  get settings(): SockLensSettings {
    this.cachedSettings ??= readSettings((key) => vscode.workspace.getConfiguration(CONFIG_SECTION).get(key));
    return this.cachedSettings;
  }

  /** The language of explanations, notes and every UI string (`t`): the setting, else the editor's display language. */
  get language(): Lang {
    return chooseLanguage(this.settings.language, vscode.env.language);
  }

  track<T extends vscode.Disposable[]>(...disposables: T): T {
    this.disposables.push(...disposables);
    return disposables;
  }

  dispose(): void {
    // Last registered first: later parts may depend on earlier ones while shutting down.
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('SockLens: cleanup failed', err);
      }
    }
  }
}
