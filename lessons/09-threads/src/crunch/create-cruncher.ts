/**
 * Picks a crunch variant by name (server.ts reads the name from `CRUNCHER`).
 */
import { createHandPoolCruncher } from './hand-pool.ts';
import { createMainThreadCruncher } from './main-thread.ts';
import { createPiscinaCruncher } from './piscina-pool.ts';
import { createWorkerPerRequestCruncher } from './worker-per-request.ts';
import type { Cruncher, CruncherName, PoolOptions } from './cruncher.ts';

/** Builds the named variant. */
export function createCruncher(name: CruncherName, options: PoolOptions = {}): Cruncher {
  switch (name) {
    case 'main-thread': return createMainThreadCruncher();
    case 'worker-per-request': return createWorkerPerRequestCruncher(options.taskModule);
    case 'hand-pool': return createHandPoolCruncher(options);
    case 'piscina': return createPiscinaCruncher(options);
  }
}
