/**
 * The extension's and the CLI's UI strings, in the language `socklens.language` chooses (not VS Code's display
 * language, which is all `vscode.l10n.t` can follow). The strings are VS Code's l10n bundle files: the English
 * message is the key (`l10n/bundle.l10n.json`), `l10n/bundle.l10n.<lang>.json` maps it to the translation, `{0}`,
 * `{1}` … are the arguments and Korean translations write `{0|로}` to get the particle that fits the value.
 */
import type { Lang } from '../knowledge/schema';
import english from '../../../l10n/bundle.l10n.json';
import korean from '../../../l10n/bundle.l10n.ko.json';
import { fillTemplate } from './fill';

export type UiMessage = keyof typeof english;
export type UiArgument = string | number;
export type UiText = (message: UiMessage, ...args: UiArgument[]) => string;

const bundles: Record<Lang, Readonly<Record<string, string>>> = { en: english, ko: korean };

/** The bundle of one language (English: the keys themselves). */
export function uiBundle(language: Lang): Readonly<Record<string, string>> {
  return bundles[language];
}

/** `uiText('ko')('[program exited with code {0}]', 0)` → "[프로그램이 종료 코드 0으로 끝났습니다]". */
export function uiText(language: Lang): UiText {
  const bundle = bundles[language];
  return (message, ...args) => {
    const values: Record<string, UiArgument> = {};
    args.forEach((arg, i) => (values[i] = arg));
    return fillTemplate(bundle[message] ?? message, values);
  };
}
