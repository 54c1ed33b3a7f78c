import type { Lang } from '../core/knowledge/schema';
import { uiText, type UiText } from '../core/l10n/uiText';

let current: UiText = uiText('en');

/** Called by SockLensContext whenever the language (the `socklens.language` setting) is known or changes. */
export function useUiLanguage(language: Lang): void {
  current = uiText(language);
}

/**
 * The extension's UI strings in the language `socklens.language` chooses — used instead of `vscode.l10n.t`,
 * which can only follow VS Code's display language. The strings are the l10n bundles in `l10n/`.
 */
export const t: UiText = (message, ...args) => current(message, ...args);
