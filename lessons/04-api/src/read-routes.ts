/**
 * Lesson 04's read routes, mounted at `/items` in front of the shared items router:
 * `GET /items` (offset or cursor pages, field selection) and `GET /items/:id` (field selection).
 * Writes and `/items/stats` fall through to the shared router.
 */
import { Router } from 'express';
import { notFound, parseId, parseOr400, type ItemsStore } from '@course/shared';
import { encodeCursor } from './cursor.ts';
import { pickFields } from './fields.ts';
import { itemQuerySchema, pageQuerySchema } from './query-schemas.ts';

/** The page a `GET /items` returns. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds the router. Responses carry Express's ETag, so `If-None-Match` gets a 304. */
export function createReadRoutes(store: ItemsStore): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { cursor, fields, ...query } = parseOr400(pageQuerySchema, req.query, 'query');
    // LESSON: `offset` makes SQLite step over every skipped row; `cursor` (id > after) is an
    // index seek, as fast at row 90 000 as at row 0.
    // One row more than the page: if it exists there is a next page, and a page that happens
    // to end exactly at the last row gets `nextCursor: null` instead of a cursor to nothing.
    const probe = { ...query, limit: query.limit + 1 };
    const rows = await store.list(cursor === undefined ? probe : { ...probe, afterId: cursor });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const page: Page<unknown> = {
      items: items.map((item) => pickFields(item, fields)),
      nextCursor: last && rows.length > query.limit ? encodeCursor(last.id) : null,
    };
    res.json(page);
  });

  // `stats` is not an id: leave it to the shared router mounted after this one.
  router.get('/stats', (_req, _res, next) => next('router'));

  router.get('/:id', async (req, res) => {
    const id = parseId(req.params.id);
    const { fields } = parseOr400(itemQuerySchema, req.query, 'query');
    const item = await store.get(id);
    if (!item) throw notFound('Item');
    res.json(pickFields(item, fields));
  });

  return router;
}
