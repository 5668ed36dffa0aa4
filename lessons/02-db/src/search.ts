/**
 * GET /search?q=: a substring search over item names with `LIKE '%q%'`.
 *
 * No index can serve a pattern with a leading wildcard, so SQLite reads every row. With
 * better-sqlite3 that scan runs on the main thread: while it runs, no other request, timer
 * or I/O callback of this process runs. /metrics shows it as event-loop delay.
 */
import { Router } from 'express';
import { parseOr400, rowToItem, type Database, type Item, type ItemRow } from '@course/shared';
import { z } from 'zod';

/** A validated search request. */
export interface SearchQuery {
  q: string;
  limit: number;
}

/** What GET /search returns: how many names match in total, and the first `limit` items. */
export interface SearchResult {
  total: number;
  items: Item[];
}


// SQLite's LIKE reads its pattern as a C string: `?q=%00` gives the pattern "%\0%", which LIKE
// sees as "%" and which matches every row. Searching for control characters is no use this API
// offers, so they are all rejected rather than half-handled.
const controlCharacter = /[\u0000-\u001f\u007f]/;

const qMessage = 'must be a string of 1 to 50 characters';
const limitMessage = 'must be an integer from 1 to 100';

/** The query string of GET /search; unknown parameters are rejected, as on GET /items. */
const searchQuerySchema = z.strictObject({
  q: z.string({ error: qMessage }).min(1, qMessage).max(50, qMessage)
    .refine((q) => !controlCharacter.test(q), 'must not contain control characters'),
  limit: z.string({ error: limitMessage }).regex(/^[0-9]{1,3}$/, limitMessage).transform(Number)
    .pipe(z.number().min(1, limitMessage).max(100, limitMessage)).default(20),
});

/** Validates the query string: a 400 naming every bad or unknown parameter. */
export function parseSearchQuery(query: Record<string, unknown>): SearchQuery {
  return parseOr400(searchQuerySchema, query, 'query');
}

/** `%`, `_` and the escape character itself match literally in the user's text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Creates the search function on two prepared statements. */
export function createSearch(db: Database): (query: SearchQuery) => SearchResult {
  const count = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM items WHERE name LIKE ? ESCAPE '\\'`);
  const page = db.prepare<[string, number], ItemRow>(`SELECT * FROM items WHERE name LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?`);
  return ({ q, limit }) => {
    const pattern = likePattern(q);
    // LESSON: a synchronous full-table scan; the event loop is blocked until it returns.
    const total = count.get(pattern)!.n;
    return { total, items: page.all(pattern, limit).map(rowToItem) };
  };
}

/** Routes: `GET /search?q=…&limit=…`. */
export function createSearchRouter(db: Database): Router {
  const search = createSearch(db);
  const router = Router();
  router.get('/search', (req, res) => {
    res.json(search(parseSearchQuery(req.query as Record<string, unknown>)));
  });
  return router;
}
