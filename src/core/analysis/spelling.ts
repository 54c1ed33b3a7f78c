import type { KnowledgeBase } from '../knowledge/schema';

/** Prefixes of the constant families learners misspell; other unknown names are left alone. */
const CONSTANT_PREFIX = /^(?:(AF|PF|SOCK|IPPROTO|IPROTO|IPPROT|INADDR|INADR|SOL|SO|MSG|SHUT|TCP|EPOLL|AI|NI)[A-Z0-9]*_[A-Z0-9_]+|SOMAX[A-Z]*)$/;

function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let beforePrevious = previous;
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, beforePrevious[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = row;
  }
  return previous[b.length];
}

/**
 * The right name for a misspelled socket constant: from the knowledge base's list of known misspellings,
 * else the closest constant name (at most 2 edits) for names that look like socket constants.
 */
export function correctSpelling(kb: KnowledgeBase, name: string): string | undefined {
  const known = kb.misspellings.get(name);
  if (known) return known.right;
  if (kb.constants.has(name) || !CONSTANT_PREFIX.test(name)) return undefined;
  const limit = name.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of kb.constants.keys()) {
    const d = distance(name, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
