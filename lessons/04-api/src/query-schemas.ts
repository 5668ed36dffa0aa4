/**
 * What lesson 04's read routes accept in their query strings, as zod schemas.
 *
 * Policy (the same as the shared body schemas): every parameter is validated and bounded,
 * and an unknown parameter is a 400 naming it, e.g. `query.limt: unknown field`. Ignoring
 * it would turn a typo into a silently wrong page.
 */
import { z } from 'zod';
import { listQuerySchema } from '@course/shared';
import { cursorSchema } from './cursor.ts';
import { fieldsSchema } from './fields.ts';

/**
 * `GET /items`: the shared filters and `limit` (1..100), then either `offset` or `cursor`.
 * The shared `afterId` is replaced by the opaque `cursor`.
 */
export const pageQuerySchema = listQuerySchema
  .omit({ afterId: true })
  .extend({ cursor: cursorSchema.optional(), fields: fieldsSchema.optional() })
  .superRefine((query, ctx) => {
    if (query.cursor !== undefined && query.offset !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'cannot be combined with offset' });
    }
  });

/** `GET /items/:id`: only `fields`. */
export const itemQuerySchema = z.strictObject({ fields: fieldsSchema.optional() });

/** `GET /catalog`: no parameters at all. */
export const catalogQuerySchema = z.strictObject({});
