import * as fs from 'node:fs';
import * as path from 'node:path';
import { findKnowledgeDir } from '../../knowledge/loader';
import type { Lang } from '../../knowledge/schema';
import { fillTemplate } from '../../l10n/fill';

/** The hover's own labels and sentence templates (knowledge/ui.json), English and Korean. */
export type UiStrings = Record<Lang, Record<string, string>>;

let cached: UiStrings | undefined;

export function loadUiStrings(dir: string = findKnowledgeDir()): UiStrings {
  return JSON.parse(fs.readFileSync(path.join(dir, 'ui.json'), 'utf8')) as UiStrings;
}

function uiStrings(): UiStrings {
  cached ??= loadUiStrings();
  return cached;
}

/** `t('ko', 'stepNext', { step: 2, next: 'listen' })`; a missing key shows as the key, never throws. */
export function t(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const template = uiStrings()[lang][key] ?? uiStrings().en[key] ?? key;
  return fillTemplate(template, vars);
}

/** Whether `key` has a text in `lang` (optional wording, such as plain words for one constant). */
export function has(lang: Lang, key: string): boolean {
  return uiStrings()[lang][key] !== undefined;
}

export function ordinal(lang: Lang, n: number): string {
  const key = `ordinal.${n}`;
  return uiStrings()[lang][key] !== undefined ? t(lang, key) : t(lang, 'ordinal.n', { n });
}
