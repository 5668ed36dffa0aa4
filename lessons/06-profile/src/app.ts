/**
 * The course's items API plus the slow endpoints and their fixed siblings.
 */
import { createApiApp, type Item, type ItemsStore, type Metrics } from '@course/shared';
import type { Express } from 'express';
import { fixed } from './fixed.ts';
import { createHotPathsRouter } from './routes.ts';
import { slow } from './slow.ts';

/** Dependencies of {@link createProfileApp}. */
export interface ProfileAppOptions {
  store: ItemsStore;
  /** The in-memory catalogue snapshot the catalogue and price-rank endpoints work on. */
  catalog: readonly Item[];
  metrics?: Metrics;
}

/** `/slow/*` and `/fixed/*` beside `/items`, `/health` and `/metrics`; never listens. */
export function createProfileApp(options: ProfileAppOptions): Express {
  return createApiApp({
    store: options.store,
    metrics: options.metrics,
    routes: (app) => {
      app.use('/slow', createHotPathsRouter(slow, options.catalog));
      app.use('/fixed', createHotPathsRouter(fixed, options.catalog));
    },
  });
}
