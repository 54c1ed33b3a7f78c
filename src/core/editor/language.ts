import type { Lang } from '../knowledge/schema';

/** The `socklens.language` setting: `auto` follows the editor's display language. */
export type LanguageSetting = 'auto' | Lang;

/**
 * The language SockLens speaks: the setting when it names a language, otherwise Korean when the editor's
 * display language is Korean (`ko`, `ko-KR` …) and English for everything else.
 */
export function chooseLanguage(setting: unknown, displayLanguage: string): Lang {
  if (setting === 'en' || setting === 'ko') return setting;
  return /^ko(?:[-_]|$)/i.test(displayLanguage) ? 'ko' : 'en';
}
