import type { FunctionEntry, Lang } from '../../knowledge/schema';
import type { CallSite, Value } from '../model';
import { code, firstSentence, stepLabel, storyLine, type CardContext } from './cards';
import { plainArgument } from './plain';
import { t } from './ui';
import { valueText } from './values';

/**
 * The card of a call: the essentials for a hover (each argument in plain words for this call, what the call
 * does in the story, what it returns, the errors most likely here) and the full card one click away.
 */

/** The errors learners actually meet, most common first; the rest keep the man page's order after them. */
const COMMON_ERRORS = ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ECONNREFUSED', 'EMFILE', 'EBADF', 'ENOTSOCK', 'EINVAL', 'EAFNOSUPPORT', 'EINTR', 'EAGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE'];
/** Errors that only a wrong argument causes: unlikely when every argument here is a known, fitting value. */
const ARGUMENT_ERRORS = new Set(['EINVAL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'EPROTOTYPE', 'ESOCKTNOSUPPORT', 'ENOTSOCK', 'EBADF', 'EFAULT', 'EOPNOTSUPP']);
/** Errors listed in the essentials (one fewer for calls with many arguments); the full card lists all of them. */
const ESSENTIAL_ERRORS = 2;
const MANY_ARGUMENTS = 3;

function isKnown(value: Value): boolean {
  return value.kind !== 'unknown' && value.kind !== 'misspelled' && value.kind !== 'varies' && !(value.kind === 'flags' && value.value === undefined);
}

function socketRole(ctx: CardContext, call: CallSite): string | undefined {
  const first = ctx.argValue(call, 0);
  return first.kind === 'socket' ? first.role : undefined;
}

/** This call's errors, most likely first: what this call's arguments make possible, then the common ones. */
export function rankedErrors(ctx: CardContext, entry: FunctionEntry, call: CallSite | undefined): string[] {
  const values = call ? call.args.map((_, i) => ctx.argValue(call, i)) : [];
  const argumentsKnown = call !== undefined && call.args.length >= entry.params.length && values.every(isKnown);
  const raw = values.some((v) => (v.kind === 'constant' && v.name === 'SOCK_RAW') || (v.kind === 'flags' && v.parts.some((p) => p.kind === 'constant' && p.name === 'SOCK_RAW')));
  const datagramListen = call?.name === 'listen' && call !== undefined && socketRole(ctx, call) === 'datagram';
  const score = (name: string): number => {
    if (datagramListen && name === 'EOPNOTSUPP') return -1;
    const common = COMMON_ERRORS.indexOf(name);
    let rank = common === -1 ? COMMON_ERRORS.length : common;
    if (argumentsKnown && ARGUMENT_ERRORS.has(name)) rank += 100;
    // socket()'s EACCES is about raw sockets and privileges: not what a SOCK_STREAM or SOCK_DGRAM socket meets.
    if (call?.name === 'socket' && name === 'EACCES' && !raw) rank += 100;
    return rank;
  };
  return entry.errors.filter((name) => entry[ctx.lang].errors[name]).sort((a, b) => score(a) - score(b));
}

function argumentLines(ctx: CardContext, entry: FunctionEntry, call: CallSite, full: boolean): string[] {
  const count = Math.max(entry.params.length, call.args.length);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const param = entry.params[i];
    const arg = call.args[i];
    const meaning = param ? entry[ctx.lang].params[param.name]?.meaning : undefined;
    const label = param ? `*${param.name}*` : `#${i + 1}`;
    if (!arg) {
      lines.push(`${i + 1}. ${label} — _${t(ctx.lang, 'notTypedYet')}_${meaning ? ` — ${meaning}` : ''}`);
      continue;
    }
    const plain = plainArgument(ctx, entry, call, i);
    if (!full) {
      // With many arguments, those without plain words name their parameter; the meaning is in the full card.
      const brief = meaning && count <= MANY_ARGUMENTS ? firstSentence(meaning) : label;
      lines.push(`${i + 1}. ${code(arg.text)} — ${plain ? `**${plain}**` : brief}`);
      continue;
    }
    const value = valueText(ctx.argValue(call, i), ctx.lang);
    const shown = value === arg.text ? undefined : value;
    const words = plain && plain !== shown ? ` — ${plain}` : '';
    lines.push(`${i + 1}. ${code(arg.text)} — ${label}${shown ? ` → **${shown}**` : ''}${words}${meaning ? `  \n   ${meaning}` : ''}`);
  }
  return lines;
}

function errorLines(entry: FunctionEntry, lang: Lang, names: string[], withFix: boolean): string[] {
  return names.map((name) => {
    const text = entry[lang].errors[name];
    return withFix ? `- \`${name}\` — ${text.cause} *${text.fix}*` : `- \`${name}\` — ${firstSentence(text.cause)}`;
  });
}

function title(ctx: CardContext, entry: FunctionEntry): string {
  const step = stepLabel(ctx.kb, entry, ctx.lang);
  return `**${entry.name}()**${step ? ` — ${step}` : ''}`;
}

function essentials(ctx: CardContext, entry: FunctionEntry, call: CallSite | undefined, errors: string[]): string {
  const { kb, lang } = ctx;
  const out: string[] = [title(ctx, entry), ''];
  if (call && Math.max(entry.params.length, call.args.length) > 0) out.push(...argumentLines(ctx, entry, call, false), '');
  // The story's step title ("Buy the phone") with the summary: the whole telephone sentence is in the full card.
  const step = kb.story.find((s) => s.step === entry.serverStep);
  out.push(step ? `> **${step[lang].title}** — ${entry[lang].summary}` : entry[lang].summary, '');
  out.push(`**${t(lang, 'returns')}**: ${entry[lang].returns}`, '');
  const shown = (call?.args.length ?? 0) > MANY_ARGUMENTS ? ESSENTIAL_ERRORS - 1 : ESSENTIAL_ERRORS;
  if (errors.length) out.push(`**${t(lang, 'errorsHere')}**`, ...errorLines(entry, lang, errors.slice(0, shown), false));
  return out.join('\n').trim();
}

function fullCard(ctx: CardContext, entry: FunctionEntry, call: CallSite | undefined, errors: string[]): string {
  const { kb, lang } = ctx;
  const text = entry[lang];
  const out: string[] = [title(ctx, entry), '', text.summary, '', '```c', `${entry.signature};`, '```', ''];
  if (call && Math.max(entry.params.length, call.args.length) > 0) out.push(`**${t(lang, 'argumentsHere')}**`, '', ...argumentLines(ctx, entry, call, true), '');
  const story = storyLine(kb, entry, lang);
  if (story) out.push(`> ${story}`, '');
  out.push(text.description, '');
  if (text.notes) out.push(text.notes, '');
  out.push(`**${t(lang, 'returns')}**: ${text.returns}`, '');
  if (errors.length) out.push(`**${t(lang, 'errors')}**`, '', ...errorLines(entry, lang, errors, true), '');
  out.push(`${t(lang, 'header')}: ${entry.headers.map((h) => `\`<${h}>\``).join(' ')} · ${t(lang, 'manPage')}: \`${entry.man}\``);
  return out.join('\n').trim();
}

export function callCardEssentials(ctx: CardContext, entry: FunctionEntry, call: CallSite | undefined): string {
  return essentials(ctx, entry, call, rankedErrors(ctx, entry, call));
}

export function callCardFull(ctx: CardContext, entry: FunctionEntry, call: CallSite | undefined): string {
  return fullCard(ctx, entry, call, rankedErrors(ctx, entry, call));
}
