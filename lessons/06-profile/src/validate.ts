/**
 * Input checks for the four endpoints, by hand: zod is not a dependency of this lesson, and
 * three string fields do not need it. Errors are the course's 400 naming every bad field.
 */
import { validationError, type FieldIssue } from '@course/shared';

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
  const name = (field: string): string => (where ? `${where}.${field}` : field);
  const issues: FieldIssue[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw validationError([{ field: where ?? '(body)', message: 'must be an object' }]);
  }
  const source = input as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const [field, rule] of Object.entries(rules) as [K, StringRule][]) {
    const value = source[field];
    if (typeof value !== 'string') issues.push({ field: name(field), message: value === undefined ? 'is required' : 'must be a string' });
    else if (value.length < rule.min) issues.push({ field: name(field), message: rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters` });
    else if (value.length > rule.max) issues.push({ field: name(field), message: `must be at most ${rule.max} characters` });
    else out[field] = value;
  }
  for (const field of Object.keys(source)) {
    // Own keys only: `field in rules` would accept `constructor`, `toString` or `__proto__`,
    // which every object inherits from Object.prototype.
    if (!Object.hasOwn(rules, field)) issues.push({ field: name(field), message: 'unknown field' });
  }
  if (issues.length > 0) throw validationError(issues);
  return out;
}
