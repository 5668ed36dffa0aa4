/**
 * Validation of `POST /crunch` bodies, with zod as the shared schemas are: the course's 400
 * naming every bad or unknown field.
 */
import { parseOr400 } from '@course/shared';
import { z } from 'zod';
import { boxBlur, type CrunchInput } from './crunch.ts';

/** Bounds that keep one task under about a second on this machine. */
export const crunchLimits = { maxSize: 1024, maxPasses: 500 } as const;

const integerIn = (min: number, max: number, fallback: number) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

const kernelMessage = 'must be an array of 9 finite numbers';

/** A crunch request body: every field optional, unknown fields rejected. */
const crunchInputSchema = z.strictObject({
  size: integerIn(2, crunchLimits.maxSize, 256),
  passes: integerIn(1, crunchLimits.maxPasses, 20),
  seed: integerIn(0, 2 ** 32 - 1, 1),
  // One issue for the whole kernel (not one per bad element), as a client fixes it whole.
  kernel: z.custom<number[]>((v) => Array.isArray(v) && v.length === 9 && v.every((x) => typeof x === 'number' && Number.isFinite(x)), kernelMessage)
    .optional(),
}, { error: 'must be a JSON object' });

/** Parses a crunch request body; throws a 400 naming every bad field. */
export function parseCrunchInput(body: unknown): CrunchInput {
  const input = parseOr400(crunchInputSchema, body);
  return { size: input.size, passes: input.passes, seed: input.seed, kernel: input.kernel ? [...input.kernel] : [...boxBlur] };
}
