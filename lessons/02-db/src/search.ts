/**
 * GET /search?q=: a substring search over item names with `LIKE '%q%'`.
 *
 * No index can serve a pattern with a leading wildcard, so SQLite reads every row. With
 * better-sqlite3 that scan runs on the main thread: while it runs, no other request, timer
 * or I/O callback of this process runs. /metrics shows it as event-loop delay.
 */
import { Router } from 'express';
import { rowToItem, validationError, type Database, type FieldIssue, type Item, type ItemRow } from '@course/shared';

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

const allowed = new Set(['q', 'limit']);

// SQLite's LIKE reads its pattern as a C string: `?q=%00` gives the pattern "%\0%", which LIKE
// sees as "%" and which matches every row. Searching for control characters is no use this API
// offers, so they are all rejected rather than half-handled.
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Validates the query string by hand (two fields; the shared zod schemas cover /items).
 * Unknown parameters are rejected, as on GET /items.
 */
export function parseSearchQuery(query: Record<string, unknown>): SearchQuery {
  const issues: FieldIssue[] = [];
  const unknown = Object.keys(query).filter((key) => !allowed.has(key));
  if (unknown.length > 0) issues.push({ field: unknown.map((k) => `query.${k}`).join(', '), message: 'unknown field' });
  const q = query.q;
  if (typeof q !== 'string' || q.length < 1 || q.length > 50) {
    issues.push({ field: 'query.q', message: 'must be a string of 1 to 50 characters' });
  } else if (controlCharacter.test(q)) {
    issues.push({ field: 'query.q', message: 'must not contain control characters' });
  }
  let limit = 20;
  if (query.limit !== undefined) {
    const raw = query.limit;
    limit = typeof raw === 'string' && /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(limit >= 1 && limit <= 100)) issues.push({ field: 'query.limit', message: 'must be an integer from 1 to 100' });
  }
  if (issues.length > 0) throw validationError(issues);
  return { q: q as string, limit };
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
