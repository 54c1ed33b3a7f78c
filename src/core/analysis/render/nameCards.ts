import type { Value } from '../model';
import { firstSentence, type CardContext } from './cards';
import { t } from './ui';
import { valueText } from './values';

/** Cards for names written in code that are neither calls nor constants: errno names and variables. */

/** A covered call near the hovered name: where an errno may come from, or where a variable is passed. */
export interface CallUse {
  call: string;
  /** 1-based line. */
  line: number;
  /** 0-based argument index, for a variable. */
  argIndex?: number;
}

/** `EAGAIN` in `if (errno == EAGAIN)`: its number and message, and what it means after the call before it. */
export function errnoCard(ctx: CardContext, name: string, from: CallUse | undefined, others: string[]): string {
  const { kb, lang } = ctx;
  const entry = kb.errnos.get(name)!;
  const out = [`**${name}** — ${t(lang, 'errno.title', { value: entry.value, message: entry.message })}`, '', entry[lang]];
  const text = from ? kb.functions.get(from.call)?.[lang].errors[name] : undefined;
  if (from && text) out.push('', t(lang, 'errno.after', { call: from.call, line: from.line }), '', `${text.cause} *${text.fix}*`);
  else if (others.length) out.push('', t(lang, 'errno.from', { calls: others.map((c) => `\`${c}()\``).join(', ') }));
  return out.join('\n');
}

/** `clnt_addr_size` anywhere in the function: its type, its value here when certain, the calls it is passed to. */
export function variableCard(ctx: CardContext, name: string, type: string, value: Value, uses: CallUse[]): string {
  const { kb, lang } = ctx;
  const out = [`**${name}** — ${t(lang, 'variable.title', { type })}`];
  const shown = valueText(value, lang);
  if (shown) out.push('', `${t(lang, 'valueHere')}: **${shown}**`);
  if (uses.length) {
    out.push('', `**${t(lang, 'variable.usedIn')}**`, '');
    for (const use of uses) {
      const entry = kb.functions.get(use.call)!;
      const param = entry.params[use.argIndex ?? 0]?.name;
      const meaning = param ? entry[lang].params[param]?.meaning : undefined;
      const where = t(lang, 'variable.use', { line: use.line, call: use.call, n: (use.argIndex ?? 0) + 1, param: param ?? '?' });
      out.push(`- ${where}${meaning ? ` — ${firstSentence(meaning)}` : ''}`);
    }
  }
  return out.join('\n');
}
