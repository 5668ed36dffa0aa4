/**
 * The course's API plus `POST /crunch` (lesson 09's endpoint), computed in a pool of
 * child processes.
 */
import { createApiApp, type ErrorLogger, type ItemsStore, type Metrics } from '@course/shared';
import type { Express } from 'express';
import { parseCrunchInput, toApiError } from 'lesson-09';
import type { ChildPool } from './pool/child-pool.ts';

/** Dependencies of {@link createChildProcessApp}. */
export interface ChildProcessAppOptions {
  store: ItemsStore;
  pool: ChildPool;
  metrics?: Metrics;
  /** A crunch still running after this is cancelled (its child killed) and answered 504. */
  taskTimeoutMs?: number;
  logError?: ErrorLogger;
}

/** Builds the API with the crunch route served by child processes. */
export function createChildProcessApp(options: ChildProcessAppOptions): Express {
  const { pool, metrics } = options;
  const taskTimeoutMs = options.taskTimeoutMs ?? 5000;
  metrics?.register('childPool', () => pool.stats());
  return createApiApp({
    store: options.store,
    metrics,
    logError: options.logError,
    routes: (app) => {
      app.post('/crunch', async (req, res) => {
        const input = parseCrunchInput(req.body);
        try {
          // LESSON: per-task deadline; on expiry the pool kills the child and starts another.
          res.json(await pool.run(input, { signal: AbortSignal.timeout(taskTimeoutMs) }));
        } catch (error) {
          throw toApiError(error, taskTimeoutMs);
        }
      });
    },
  });
}
