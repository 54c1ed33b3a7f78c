import type { FunctionEntry, KnowledgeBase, Lang } from '../../knowledge/schema';
import type { CallSite, Value } from '../model';
import type { SocketEvent, TrackedSocket } from '../sockets';
import type { Target } from '../target';
import { endpointText, valueText } from './values';
import { t } from './ui';

/** What the cards need besides the target: the knowledge base, the language and value resolution. */
export interface CardContext {
  kb: KnowledgeBase;
  lang: Lang;
  /** The value of argument `index` of `call`. */
  argValue(call: CallSite, index: number): Value;
  /** For a field being assigned (`serv_addr.sin_port = htons(9190)`): the assigned value. */
  fieldValue(target: Target): Value | undefined;
  /** The struct the field belongs to by the declared type of its variable (`ev.events` → epoll_event). */
  fieldStruct(target: Target): string | undefined;
}

/** Events shown per socket before "… and N more". */
const MAX_EVENTS = 8;

/** The first sentence of a text: for the short forms of a hover (the rest is in the full card). */
export function firstSentence(text: string): string {
  const match = /^(.+?[.。])(\s|$)/s.exec(text);
  return (match ? match[1] : text).trim();
}

export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

/** Where this function sits among the four server steps: "Step 2 of 4 — next: `listen()`". */
export function stepLabel(kb: KnowledgeBase, entry: FunctionEntry, lang: Lang): string | undefined {
  const step = entry.serverStep;
  if (!step) return undefined;
  if (step === 4) return t(lang, 'stepLast', { step });
  const next =
    kb.story.find((s) => s.step === step + 1)?.call ??
    [...kb.functions.values()].filter((f) => f.serverStep === step + 1).sort((a, b) => a.name.length - b.name.length)[0]?.name;
  return next ? t(lang, 'stepNext', { step, next }) : t(lang, 'step', { step });
}

export function storyLine(kb: KnowledgeBase, entry: FunctionEntry, lang: Lang): string | undefined {
  return entry[lang].story ?? kb.story.find((s) => s.call === entry.name)?.[lang].line;
}

/** The resolved value worth showing next to an argument: nothing when it only repeats the text (`0`, `5`). */
function shownValue(ctx: CardContext, call: CallSite, index: number): string | undefined {
  const arg = call.args[index];
  if (!arg) return undefined;
  const value = valueText(ctx.argValue(call, index), ctx.lang);
  return value === arg.text ? undefined : value;
}

export function argumentCard(ctx: CardContext, entry: FunctionEntry, call: CallSite, index: number): string {
  const { lang } = ctx;
  const param = entry.params[index];
  const arg = call.args[index];
  const text = param ? entry[lang].params[param.name] : undefined;
  const title = param ? `**${param.name}** \`${param.type}\`` : `**#${index + 1}**`;
  const out = [`${title} — ${t(lang, 'argumentOf', { n: index + 1, call: entry.name })}`, ''];
  const value = shownValue(ctx, call, index);
  if (arg) out.push(`${code(arg.text)}${value ? ` → **${value}**` : ''}`, '');
  if (text) {
    out.push(text.meaning, '');
    if (text.values) out.push(`**${t(lang, 'values')}**: ${text.values}`, '');
    if (text.mistakes) out.push(`**${t(lang, 'mistakes')}**: ${text.mistakes}`);
  }
  return out.join('\n').trim();
}

function hereLine(ctx: CardContext, target: Target): string | undefined {
  if (!target.call || target.argIndex === undefined) return undefined;
  const entry = ctx.kb.functions.get(target.call.name);
  const param = entry?.params[target.argIndex]?.name;
  return param ? t(ctx.lang, 'hereArgument', { n: target.argIndex + 1, param, call: target.call.name }) : undefined;
}

export function constantCard(ctx: CardContext, target: Target): string {
  const entry = ctx.kb.constants.get(target.name)!;
  const value = typeof entry.value === 'number' && entry.value > 255 ? `${entry.value} (0x${entry.value.toString(16)})` : String(entry.value);
  const out = [`**${entry.name}** = \`${value}\` · \`<${entry.header}>\``, '', entry[ctx.lang]];
  if (entry.aliasOf) out.push('', t(ctx.lang, 'sameAs', { name: entry.aliasOf }));
  const here = hereLine(ctx, target);
  if (here) out.push('', here);
  return out.join('\n');
}

export function fieldCard(ctx: CardContext, target: Target): string {
  const owners = ctx.kb.fields.get(target.name) ?? [];
  const declared = ctx.fieldStruct(target);
  const { struct, field } = owners.find((o) => o.struct.name === declared) ?? owners[0];
  const out = [`**${target.fieldOwner ? `${target.fieldOwner}.` : ''}${field.name}** — ${t(ctx.lang, 'fieldOf', { struct: struct.name })} · ${t(ctx.lang, 'fieldType', { type: field.type })}`, '', field[ctx.lang]];
  const value = ctx.fieldValue(target);
  const shown = value ? valueText(value, ctx.lang) : undefined;
  if (shown) out.push('', t(ctx.lang, 'fieldSetHere', { value: `**${shown}**` }));
  const here = hereLine(ctx, target);
  if (here) out.push('', here);
  return out.join('\n');
}

export function typeCard(ctx: CardContext, target: Target): string {
  const entry = ctx.kb.structs.get(target.name)!;
  const title = entry.kind === 'struct' ? `struct ${entry.name}` : entry.name;
  const out = [`**${title}** · \`<${entry.header}>\` · ${t(ctx.lang, 'size', { bytes: entry.size })}`, '', entry[ctx.lang]];
  if (entry.fields.length) {
    out.push('', `**${t(ctx.lang, 'fields')}**`, '');
    for (const f of entry.fields) out.push(`- \`${f.type} ${f.name}\` — ${f[ctx.lang]}`);
  }
  return out.join('\n');
}

export function misspellingCard(ctx: CardContext, target: Target): string {
  const right = target.right!;
  const known = ctx.kb.misspellings.get(target.name);
  const out = [`**${t(ctx.lang, 'misspellingTitle')}**`, '', t(ctx.lang, 'unknownName', { wrong: target.name, right })];
  if (known) out.push('', known[ctx.lang]);
  const constant = ctx.kb.constants.get(right);
  if (constant) out.push('', `\`${constant.name}\` = \`${constant.value}\` — ${constant[ctx.lang]}`);
  return out.join('\n');
}

function eventLine(ctx: CardContext, socket: TrackedSocket, event: SocketEvent): string {
  const { lang } = ctx;
  const line = event.line + 1;
  switch (event.kind) {
    case 'created':
      return t(lang, 'event.created', { line, call: event.call, detail: event.detail ? ` (${code(event.detail)})` : '' });
    case 'accepted':
      return event.peer ? t(lang, 'event.accepted', { line, call: event.call, peer: event.peer }) : t(lang, 'event.acceptedUnknown', { line, call: event.call });
    case 'bound':
    case 'connected': {
      const endpoint = endpointText(event.endpoint, lang);
      return endpoint ? t(lang, `event.${event.kind}`, { line, endpoint: `**${endpoint}**` }) : t(lang, `event.${event.kind}Unknown`, { line });
    }
    case 'listening': {
      const backlog = event.backlog ? valueText(event.backlog, lang) : undefined;
      return t(lang, 'event.listening', { line, backlog: backlog ? t(lang, 'event.backlog', { backlog }) : '' });
    }
    case 'accepts':
      return event.peer
        ? t(lang, 'event.accepts', { line, call: event.call, peer: event.peer, variable: socket.variable })
        : t(lang, 'event.acceptsUnknown', { line, call: event.call });
    default:
      return t(lang, `event.${event.kind}`, { line, call: event.call });
  }
}

/** At most MAX_EVENTS events: the life-cycle ones (created, bound, listening, accepted, closed …) before plain uses. */
function shownEvents(events: SocketEvent[]): SocketEvent[] {
  if (events.length <= MAX_EVENTS) return events;
  const minor = (e: SocketEvent): boolean => e.kind === 'used' || e.kind === 'watched';
  const chosen = new Set(events.filter((e) => !minor(e)).slice(0, MAX_EVENTS));
  for (const e of events) if (chosen.size < MAX_EVENTS && minor(e)) chosen.add(e);
  return events.filter((e) => chosen.has(e));
}

export function socketCard(ctx: CardContext, socket: TrackedSocket): string {
  const { lang } = ctx;
  const out = [
    `**${socket.variable}** — ${t(lang, `role.${socket.role}`)}`,
    '',
    t(lang, `roleText.${socket.role}`, { from: socket.acceptedFrom ?? '?' }),
    '',
    `**${t(lang, 'history')}**`,
    '',
  ];
  const events = shownEvents(socket.events);
  for (const event of events) out.push(`- ${eventLine(ctx, socket, event)}`);
  if (socket.events.length > MAX_EVENTS) out.push(`- ${t(lang, 'moreEvents', { count: socket.events.length - MAX_EVENTS })}`);
  return out.join('\n');
}

/** What the card of a sockaddr variable shows: where it is used and what it holds then. */
export interface AddressFacts {
  struct: string;
  bytes?: number;
  endpoint?: string;
  usedBy?: { call: string; line: number };
  /** 1-based lines of the assignments and calls that fill it. */
  filledOn: number[];
}

export function addressCard(ctx: CardContext, name: string, facts: AddressFacts): string {
  const { lang } = ctx;
  const out = [`**${name}** — ${t(lang, 'address.title', { struct: facts.struct, bytes: facts.bytes ?? '?' })}`, ''];
  if (facts.endpoint && facts.usedBy) out.push(t(lang, 'address.holdsAt', { endpoint: facts.endpoint, call: facts.usedBy.call, line: facts.usedBy.line }));
  else if (facts.endpoint) out.push(t(lang, 'address.holds', { endpoint: facts.endpoint }));
  else out.push(t(lang, 'address.empty'));
  if (facts.filledOn.length) out.push('', t(lang, 'address.filled', { lines: facts.filledOn.join(', ') }));
  const entry = ctx.kb.structs.get(facts.struct);
  if (entry) out.push('', entry[lang]);
  return out.join('\n');
}
