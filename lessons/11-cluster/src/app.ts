/**
 * A cluster worker's app: the course's full API on a (coherent) cached store.
 */
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import { createApiApp, withHotItemReads, type Metrics, type ItemsStore } from '@course/shared';

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
 *
 * With a store that keeps items encoded (the coherent cache does), a cached `GET /items/:id`
 * is answered by shared's hot path in front of Express, with the same headers; everything else
 * goes to the Express app.
 */
export function createWorkerApp(options: WorkerAppOptions): RequestListener {
  const pid = String(process.pid);
  const app: Express = createApiApp({
    store: options.store,
    metrics: options.metrics,
    routes: (app) => {
      app.use((_req, res, next) => {
        res.setHeader('X-Worker-Pid', pid);
        next();
      });
      options.routes?.(app);
    },
  });
  const { store } = options;
  if (!store.peekEncoded) return app;
  // LESSON: the main service's hot path: a cache hit never enters Express (lesson 07 measures why).
  return withHotItemReads(app, { cache: { peekEncoded: (id) => store.peekEncoded!(id) }, metrics: options.metrics, headers: { 'X-Worker-Pid': pid } });
}
