// The panel's UI text in English and Korean. The tables are data (i18n/*.json); a unit test keeps them in parity.
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import type { PanelLanguage } from '../core/protocol/messages.js';

export type StringKey = keyof typeof en;
export type StringTable = Record<StringKey, string>;

const tables: Record<PanelLanguage, StringTable> = { en, ko };

export interface Translate {
  (key: StringKey, vars?: Record<string, string | number>): string;
  readonly language: PanelLanguage;
}

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

export function translator(language: PanelLanguage): Translate {
  const table = tables[language];
  return Object.assign((key: StringKey, vars?: Record<string, string | number>) => fill(table[key] ?? en[key], vars), { language });
}
