import { closest, distance } from 'fastest-levenshtein';

/**
 * The known name closest to `name` (case-insensitive), for a "did you mean …?" hint: a misspelt environment
 * variable, a misspelt JSON field. Undefined when nothing is close enough to be a typo of it (more than a third of
 * the longer name differs), so an unrelated name gets no misleading hint.
 */
export function closestName<T extends string>(name: string, known: readonly T[]): T | undefined {
  if (known.length === 0) return undefined;
  const upper = known.map((k) => k.toUpperCase());
  const best = closest(name.toUpperCase(), upper);
  const index = upper.indexOf(best);
  const limit = Math.max(2, Math.ceil(Math.max(name.length, best.length) / 3));
  return distance(name.toUpperCase(), best) <= limit ? known[index] : undefined;
}
