/**
 * Validation of `POST /crunch` bodies. Four numeric fields do not justify a schema library
 * in this lesson's dependencies; the errors are the course's 400 shape all the same.
 */
import { validationError, type FieldIssue } from '@course/shared';
import { boxBlur, type CrunchInput } from './crunch.ts';

/** Bounds that keep one task under about a second on this machine. */
export const crunchLimits = { maxSize: 1024, maxPasses: 500 } as const;

function integerIn(body: Record<string, unknown>, field: string, min: number, max: number, fallback: number, issues: FieldIssue[]): number {
  const value = body[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push({ field, message: `must be an integer from ${min} to ${max}` });
    return fallback;
  }
  return value;
}

/** Parses a crunch request body; throws a 400 naming every bad field. */
export function parseCrunchInput(body: unknown): CrunchInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  const b = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(b)) {
    if (!['size', 'passes', 'seed', 'kernel'].includes(key)) issues.push({ field: key, message: 'unknown field' });
  }
  const size = integerIn(b, 'size', 2, crunchLimits.maxSize, 256, issues);
  const passes = integerIn(b, 'passes', 1, crunchLimits.maxPasses, 20, issues);
  const seed = integerIn(b, 'seed', 0, 2 ** 32 - 1, 1, issues);
  let kernel = [...boxBlur];
  if (b.kernel !== undefined) {
    if (!Array.isArray(b.kernel) || b.kernel.length !== 9 || !b.kernel.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      issues.push({ field: 'kernel', message: 'must be an array of 9 finite numbers' });
    } else {
      kernel = b.kernel as number[];
    }
  }
  if (issues.length > 0) throw validationError(issues);
  return { size, passes, seed, kernel };
}
