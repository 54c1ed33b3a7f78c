import { particleAfter, PARTICLES } from './particles';

const PARTICLE = PARTICLES.join('|');
/** `{name}`, `{name|로}` (the value and its particle), `{로}` (the particle for the text just before it). */
const PLACEHOLDER = new RegExp(`\\{(?:(\\w+)(?:\\|(${PARTICLE}))?|(${PARTICLE}))\\}`, 'g');

export type TemplateValues = Readonly<Record<string, string | number>>;

/**
 * Fills the placeholders of a UI or explanation template. Korean templates choose particles from what the
 * reader hears: `{pid|가}` → "28613이", `{code|로}` → "0으로"; `{로}` alone takes the particle for the text
 * before it, so markup can close first: "`{call}()`{로}" → "`socket()`으로". A placeholder without a value
 * stays visible rather than vanishing.
 */
export function fillTemplate(template: string, values: TemplateValues = {}): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    out += template.slice(last, match.index);
    last = match.index + match[0].length;
    const [whole, name, attached, alone] = match;
    if (alone) out += particleAfter(out, alone);
    else if (!Object.hasOwn(values, name)) out += whole;
    else {
      const text = String(values[name]);
      out += attached ? text + particleAfter(text, attached) : text;
    }
  }
  return out + template.slice(last);
}

/** The value names a template uses, with or without a particle. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].flatMap((m) => (m[1] ? [m[1]] : []));
}
