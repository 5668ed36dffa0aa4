/**
 * The course's API as of lesson 04: the shared items API, with validated, paginated,
 * field-selecting, conditional reads and a large catalog served from pre-encoded bytes.
 */
import type { Express } from 'express';
import { createApiApp, type ItemsStore, type Metrics } from '@course/shared';
import { createCatalog, type CatalogMode } from './catalog.ts';
import { notifyWrites } from './notify-writes.ts';
import { createReadRoutes } from './read-routes.ts';

/** Dependencies of {@link createApi}. */
export interface ApiOptions {
  /** The SQLite repository (or any items store). */
  repo: ItemsStore;
  metrics?: Metrics;
  /** How `/catalog` is sent: `buffered` (default) or `per-request` (the bench's baseline). */
  catalog?: CatalogMode;
  /** Items in `/catalog`. Default 5000. */
  catalogSize?: number;
}

/**
 * Builds the API. Routes: `GET /items` (pages), `GET /items/:id`, `GET /items/stats`,
 * `POST /items`, `PATCH|DELETE /items/:id`, `GET /catalog`, `GET /health`, `GET /metrics`.
 */
export function createApi(options: ApiOptions): Express {
  const catalog = createCatalog(options.repo, { mode: options.catalog ?? 'buffered', size: options.catalogSize });
  const store = notifyWrites(options.repo, () => catalog.invalidate());
  return createApiApp({
    store,
    metrics: options.metrics,
    routes: (app) => {
      app.get('/catalog', catalog.handler);
      app.use('/items', createReadRoutes(store));
    },
  });
}
