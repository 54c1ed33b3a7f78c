import type { PanelTextSize } from '../protocol/messages';
import type { LanguageSetting } from './language';

/** The `socklens.*` settings, validated, with defaults for anything missing or of the wrong type. */
export interface SockLensSettings {
  language: LanguageSetting;
  compilerPath: string;
  compilerFlags: string[];
  defaultArguments: string;
  inlineResults: boolean;
  /** Keep the last run's inline results (dimmed) after Stop instead of clearing them. */
  keepInlineResultsAfterStop: boolean;
  codeLens: boolean;
  /** The live panel's text size: larger for projecting in class. */
  panelTextSize: PanelTextSize;
}

export const DEFAULT_SETTINGS: Readonly<SockLensSettings> = Object.freeze({
  language: 'auto',
  compilerPath: 'gcc',
  compilerFlags: ['-g', '-O0', '-Wall', '-Wextra'],
  defaultArguments: '',
  inlineResults: true,
  keepInlineResultsAfterStop: false,
  codeLens: true,
  panelTextSize: 'normal',
});

/** Setting keys below `socklens.`, as declared in package.json. */
export const SETTING_KEYS = {
  language: 'language',
  compilerPath: 'compiler.path',
  compilerFlags: 'compiler.flags',
  defaultArguments: 'run.defaultArguments',
  inlineResults: 'inlineResults.enabled',
  keepInlineResultsAfterStop: 'inlineResults.keepAfterStop',
  codeLens: 'codeLens.enabled',
  panelTextSize: 'panel.textSize',
} as const satisfies Record<keyof SockLensSettings, string>;

/** Reads the settings through `get` (e.g. a VS Code configuration section), falling back to the defaults. */
export function readSettings(get: (key: string) => unknown): SockLensSettings {
  const language = get(SETTING_KEYS.language);
  const compilerPath = get(SETTING_KEYS.compilerPath);
  const flags = get(SETTING_KEYS.compilerFlags);
  const args = get(SETTING_KEYS.defaultArguments);
  const textSize = get(SETTING_KEYS.panelTextSize);
  return {
    language: language === 'en' || language === 'ko' || language === 'auto' ? language : DEFAULT_SETTINGS.language,
    compilerPath: typeof compilerPath === 'string' && compilerPath.trim() !== '' ? compilerPath.trim() : DEFAULT_SETTINGS.compilerPath,
    compilerFlags: Array.isArray(flags) && flags.every((f) => typeof f === 'string') ? [...flags] : [...DEFAULT_SETTINGS.compilerFlags],
    defaultArguments: typeof args === 'string' ? args : DEFAULT_SETTINGS.defaultArguments,
    inlineResults: bool(get(SETTING_KEYS.inlineResults), DEFAULT_SETTINGS.inlineResults),
    keepInlineResultsAfterStop: bool(get(SETTING_KEYS.keepInlineResultsAfterStop), DEFAULT_SETTINGS.keepInlineResultsAfterStop),
    codeLens: bool(get(SETTING_KEYS.codeLens), DEFAULT_SETTINGS.codeLens),
    panelTextSize: textSize === 'large' || textSize === 'larger' || textSize === 'normal' ? textSize : DEFAULT_SETTINGS.panelTextSize,
  };
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}
