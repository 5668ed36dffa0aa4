/**
 * The course's API plus `POST /crunch`, a CPU-heavy endpoint served by whichever
 * {@link Cruncher} is passed in.
 */
import { createApiApp, type ErrorLogger, type ItemsStore, type Metrics } from '@course/shared';
import type { Express } from 'express';
import { parseCrunchInput } from './crunch/crunch-input.ts';
import type { Cruncher } from './crunch/cruncher.ts';
import { toApiError } from './crunch/to-api-error.ts';

/** Dependencies of {@link createThreadsApp}. */
export interface ThreadsAppOptions {
  store: ItemsStore;
  cruncher: Cruncher;
  metrics?: Metrics;
  /** A crunch still running after this is cancelled and answered 504 (default 5000). */
  taskTimeoutMs?: number;
  /** Where unexpected (500) errors are logged; console.error by default. */
  logError?: ErrorLogger;
}

/** Builds the API with the crunch route. */
export function createThreadsApp(options: ThreadsAppOptions): Express {
  const { cruncher, metrics } = options;
  const taskTimeoutMs = options.taskTimeoutMs ?? 5000;
  metrics?.register('cruncher', () => ({ name: cruncher.name, ...cruncher.stats() }));
  return createApiApp({
    store: options.store,
    metrics,
    logError: options.logError,
    routes: (app) => {
      app.post('/crunch', async (req, res) => {
        const input = parseCrunchInput(req.body);
        try {
          // LESSON: every task gets a deadline; the pool cancels it when the signal fires.
          const result = await cruncher.run(input, AbortSignal.timeout(taskTimeoutMs));
          res.json(result);
        } catch (error) {
          throw toApiError(error, taskTimeoutMs);
        }
      });
    },
  });
}
