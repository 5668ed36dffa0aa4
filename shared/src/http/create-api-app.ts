/**
 * The course's API as one app: items CRUD at /items, /health, /metrics.
 */
import type { Express } from 'express';
import { createItemsRouter, type ItemsStore } from '../items/items-router.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { createApp, type AppOptions } from './create-app.ts';

/** Dependencies of {@link createApiApp}. */
export interface ApiAppOptions extends Omit<AppOptions, 'routes'> {
  /** The SQLite repository, or a lesson's wrapper of it (a cache). */
  store: ItemsStore;
  /** Extra routes, added before /items. */
  routes?: (app: Express) => void;
}

/** Builds the items API on the course's app factory. */
export function createApiApp(options: ApiAppOptions): Express {
  const { store, routes, ...appOptions } = options;
  return createApp({
    ...appOptions,
    routes: (app) => {
      app.get('/health', (_req, res) => { res.json({ status: 'ok', pid: process.pid }); });
      routes?.(app);
      app.use('/items', createItemsRouter(store));
    },
  });
}
