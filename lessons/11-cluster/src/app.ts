/**
 * A cluster worker's app: the course's full API on a (coherent) cached store.
 */
import type { Express } from 'express';
import { createApiApp, type Metrics, type ItemsStore } from '@course/shared';

/** Dependencies of {@link createWorkerApp}. */
export interface WorkerAppOptions {
  store: ItemsStore;
  metrics?: Metrics;
  /** Extra routes (lesson 12 mounts lesson 08's leaky endpoint here). */
  routes?: (app: Express) => void;
}

/**
 * Every response names the process that served it (`X-Worker-Pid`), so a learner can watch
 * the primary spread connections across workers, and tests can aim at one.
 */
export function createWorkerApp(options: WorkerAppOptions): Express {
  return createApiApp({
    store: options.store,
    metrics: options.metrics,
    routes: (app) => {
      app.use((_req, res, next) => {
        res.setHeader('X-Worker-Pid', String(process.pid));
        next();
      });
      options.routes?.(app);
    },
  });
}
