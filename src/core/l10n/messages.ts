import { LANGS, type Lang } from '../knowledge/schema';
import { uiText, type UiArgument, type UiMessage } from './uiText';

/** A sentence in every language SockLens speaks (the event schema's `message`, `explanation` …). */
export type Bilingual = Record<Lang, string>;

/** An argument that is the same in every language (a path, a number), or differs (words from the data). */
export type MessageArgument = UiArgument | ((lang: Lang) => UiArgument);

/** A message of the l10n bundles, by its id (the English text), filled in every language. */
export function bilingual(message: UiMessage, ...args: MessageArgument[]): Bilingual {
  const text = {} as Bilingual;
  for (const lang of LANGS) text[lang] = uiText(lang)(message, ...args.map((a) => (typeof a === 'function' ? a(lang) : a)));
  return text;
}

/** An error whose text is a bundle message: `message` is the English, `text` has every language. */
export class LocalizedError extends Error {
  readonly text: Bilingual;

  constructor(message: UiMessage, ...args: MessageArgument[]) {
    const text = bilingual(message, ...args);
    super(text.en);
    this.text = text;
  }
}
