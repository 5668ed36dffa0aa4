/**
 * Input checks for the four endpoints, with zod as the shared schemas are. Errors are the
 * course's 400 naming every bad field.
 */
import { parseOr400 } from '@course/shared';
import { z } from 'zod';

/** One string field's bounds. */
export interface StringRule {
  min: number;
  max: number;
}

/**
 * Returns the fields as strings, or throws a 400 listing each missing, non-string, too short,
 * too long or unknown field. `where` prefixes field names (`query.username`).
 */
export function readStrings<K extends string>(input: unknown, rules: Record<K, StringRule>, where?: string): Record<K, string> {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const [field, rule] of Object.entries(rules) as [K, StringRule][]) {
    shape[field] = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .min(rule.min, rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`)
      .max(rule.max, `must be at most ${rule.max} characters`);
  }
  // strictObject names every key that is not one of `rules`' own: `constructor`, `toString`
  // and `__proto__` too, which every object inherits from Object.prototype.
  return parseOr400(z.strictObject(shape, { error: 'must be an object' }), input, where) as Record<K, string>;
}
