/**
 * Lesson 02's app: the course's items API (shared) on SQLite, plus the lesson's own routes:
 * a blocking search, a read that re-prepares its statement, and a slow request.
 */
import type { Express } from 'express';
import { createApiApp, createItemsRepository, notFound, parseId, type Database, type ErrorLogger, type Metrics, type RepositoryOptions } from '@course/shared';
import { createRepreparingReader } from './read-by-id.ts';
import { createSearchRouter } from './search.ts';
import { createSlowRouter } from './slow.ts';

/** Dependencies of {@link createLessonApp}. */
export interface LessonAppOptions {
  db: Database;
  metrics?: Metrics;
  /** Clock for timestamps (tests pass a fixed one). */
  now?: RepositoryOptions['now'];
  logError?: ErrorLogger;
}

/**
 * Routes: the shared API (`/health`, `/metrics`, `/items…`), and `GET /search?q=`,
 * `GET /reprepared/items/:id`, `GET /slow?ms=`.
 */
export function createLessonApp(options: LessonAppOptions): Express {
  const { db, metrics, now, logError } = options;
  const reprepared = createRepreparingReader(db);
  return createApiApp({
    store: createItemsRepository(db, { now }),
    metrics,
    logError,
    routes: (app) => {
      app.use(createSearchRouter(db));
      app.use(createSlowRouter(metrics));
      // Same answer as GET /items/:id, for the bench comparing prepared with re-prepared.
      app.get('/reprepared/items/:id', (req, res) => {
        const item = reprepared(parseId(req.params.id));
        if (!item) throw notFound('Item');
        res.json(item);
      });
    },
  });
}
