// The panel's UI text in English and Korean. The tables are data (i18n/*.json); a unit test keeps them in parity.
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import type { PanelLanguage } from '../core/protocol/messages.js';
import { fillTemplate } from '../core/l10n/fill.js';

export type StringKey = keyof typeof en;
export type StringTable = Record<StringKey, string>;

const tables: Record<PanelLanguage, StringTable> = { en, ko };

export interface Translate {
  (key: StringKey, vars?: Record<string, string | number>): string;
  readonly language: PanelLanguage;
}

/** Fills `{name}` and Korean `{name|가}` placeholders (the particle fits the value); a missing value stays visible. */
export const fill = fillTemplate;

export function translator(language: PanelLanguage): Translate {
  const table = tables[language];
  return Object.assign((key: StringKey, vars?: Record<string, string | number>) => fill(table[key] ?? en[key], vars), { language });
}
