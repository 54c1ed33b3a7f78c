import type { FunctionEntry, KnowledgeBase } from '../../knowledge/schema';
import type { CallSite, Value } from '../model';
import { firstSentence, type CardContext } from './cards';
import { has, t } from './ui';
import { valueText } from './values';

/**
 * An argument in plain words for this very call: `PF_INET` → IPv4, `SOCK_STREAM` → a TCP byte stream (with an
 * IP family), `0` as socket()'s protocol → the default protocol for that family and type: TCP.
 */

type Family = 'inet' | 'unix';

/** The name a constant stands for (`PF_INET` → `AF_INET`). */
function canonical(kb: KnowledgeBase, name: string): string {
  return kb.constants.get(name)?.aliasOf ?? name;
}

function constantNames(value: Value): string[] | undefined {
  if (value.kind === 'constant') return [value.name];
  if (value.kind === 'flags' && value.parts.every((p) => p.kind === 'constant')) return value.parts.map((p) => (p.kind === 'constant' ? p.name : ''));
  return undefined;
}

/** The address family of a socket() call, when its first argument names one. */
function familyOf(ctx: CardContext, call: CallSite): Family | undefined {
  if (call.name !== 'socket') return undefined;
  const value = ctx.argValue(call, 0);
  const name = value.kind === 'constant' ? canonical(ctx.kb, value.name) : undefined;
  return name === 'AF_INET' || name === 'AF_INET6' ? 'inet' : name === 'AF_UNIX' ? 'unix' : undefined;
}

function constantWords(ctx: CardContext, name: string, family: Family | undefined): string | undefined {
  const base = canonical(ctx.kb, name);
  for (const key of [family && `plain.${base}.${family}`, `plain.${base}`]) if (key && has(ctx.lang, key)) return t(ctx.lang, key);
  const entry = ctx.kb.constants.get(name);
  return entry ? firstSentence(entry[ctx.lang]) : undefined;
}

/** socket()'s protocol 0: the protocol the kernel picks for this family and type. */
function defaultProtocol(ctx: CardContext, call: CallSite, family: Family | undefined): string | undefined {
  const typeNames = constantNames(ctx.argValue(call, 1))?.map((n) => canonical(ctx.kb, n));
  const type = typeNames?.find((n) => has(ctx.lang, `plain.protocolOf.${n}`));
  if (!type) return t(ctx.lang, 'plain.defaultProtocolUnknown');
  if (family === 'unix') return t(ctx.lang, 'plain.defaultProtocolLocal');
  const familyName = ctx.argValue(call, 0);
  return t(ctx.lang, 'plain.defaultProtocol', {
    family: familyName.kind === 'constant' ? (constantWords(ctx, familyName.name, family) ?? familyName.name) : '?',
    type: `\`${type}\``,
    protocol: t(ctx.lang, `plain.protocolOf.${type}`),
  });
}

/** What argument `index` of `call` is here, in a few words; undefined when nothing better than its text is known. */
export function plainArgument(ctx: CardContext, entry: FunctionEntry, call: CallSite, index: number): string | undefined {
  const arg = call.args[index];
  if (!arg) return undefined;
  const value = ctx.argValue(call, index);
  const family = familyOf(ctx, call);
  const param = entry.params[index]?.name;
  const isZero = (value.kind === 'number' && value.value === 0) || (value.kind === 'constant' && value.name === 'IPPROTO_IP');
  if (call.name === 'socket' && param === 'protocol' && isZero) return defaultProtocol(ctx, call, family);
  if (value.kind === 'number' && value.value === 0 && !value.via && entry.params[index]?.type.includes('*')) return valueText({ kind: 'null' }, ctx.lang);
  const names = constantNames(value);
  if (names) {
    const words = names.map((n) => constantWords(ctx, n, family));
    if (words.every((w) => w !== undefined)) return words.join(', ');
  }
  const shown = valueText(value, ctx.lang);
  return shown === undefined || shown === arg.text ? undefined : shown;
}
