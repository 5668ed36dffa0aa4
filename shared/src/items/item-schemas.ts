/**
 * zod schemas for what clients send about items: bodies, ids and list query strings.
 *
 * Policy, documented in lesson 04: unknown body fields and unknown query parameters are
 * rejected with 400 naming them (a typo like `prce` must not be silently dropped).
 */
import { z } from 'zod';
import { validationError, type FieldIssue } from '../http/errors.ts';

// A lone surrogate (valid in a JSON escape, not in Unicode) cannot be stored as UTF-8: SQLite
// would get invalid bytes and return U+FFFD. Reject it instead of corrupting the text.
const loneSurrogate = /\p{Surrogate}/u;
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((value) => !loneSurrogate.test(value), 'must be valid Unicode (no lone surrogates)');

/** Body of POST /items. */
export const newItemSchema = z.strictObject({
  sku: text(64),
  name: text(200),
  category: text(50),
  priceCents: z.number().int('must be an integer').min(0, 'must be >= 0').max(100_000_000, 'must be <= 100000000'),
  tags: z.array(text(30)).max(20, 'must have at most 20 tags').optional(),
});

/** Body of PATCH /items/:id: any subset of the fields, but at least one. */
export const itemPatchSchema = newItemSchema.partial().refine((patch) => Object.keys(patch).length > 0, {
  message: 'must change at least one field',
});

/** A path id: a positive integer in decimal, no sign, no exponent, within safe range. */
export const idSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer')
  .transform(Number);

const intParam = (min: number, max: number) =>
  z.string().regex(/^-?[0-9]{1,16}$/, 'must be an integer').transform(Number).pipe(
    z.number().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`),
  );

/** The deepest `offset` GET /items accepts; see {@link listQuerySchema}. */
export const maxOffset = 10_000;

/** Query string of GET /items. Everything arrives as a string; coerced and bounded here. */
export const listQuerySchema = z.strictObject({
  category: text(50).optional(),
  tag: text(30).optional(),
  minPriceCents: intParam(0, 100_000_000).optional(),
  maxPriceCents: intParam(0, 100_000_000).optional(),
  limit: intParam(1, 100).default(20),
  // LESSON: an offset makes SQLite step over every skipped row (lesson 04 measures it: the cost
  // grows linearly with depth), so a client-chosen offset is client-chosen CPU on the event
  // loop. 10 000 rows bounds a request's skip to well under a millisecond; deeper pages use the
  // keyset cursor (`afterId` here, lesson 04's opaque `cursor`), an index seek at any depth.
  offset: intParam(0, maxOffset).optional(),
  afterId: intParam(0, Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * Turns zod's issues into the API's field issues (`priceCents`, `tags.2`, `(body)`); each
 * unknown field is an issue of its own, so a prefix (`query.`) names every one of them.
 */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    }
    const field = at.length > 0 ? at.join('.') : '(body)';
    return [{ field, message: issue.message }];
  });
}

/**
 * Validates `input` against `schema`, throwing a 400 that names every bad field.
 * @param where prefix for field names, e.g. `query` gives `query.limit`; for a scalar, its name
 */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, where?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error);
  if (!where) throw validationError(issues);
  // A scalar input (like a path id) has no inner path: name it by `where` alone.
  throw validationError(issues.map((i) => ({ ...i, field: i.field === '(body)' ? where : `${where}.${i.field}` })));
}
