/**
 * Lesson 08's app: the items API, /metrics (memory fields), and both /leak routers side by
 * side: `GET /leaky/leak` retains ~100 KiB per request, `GET /fixed/leak` retains nothing.
 */
import type { Express } from 'express';
import { createApiApp, createItemsRepository, type Database, type Metrics } from '@course/shared';
import { createFixedRouter } from './fixed-router.ts';
import { createLeakyRouter } from './leaky-router.ts';

/** Dependencies of {@link createMemoryApp}. */
export interface MemoryAppOptions {
  db: Database;
  metrics?: Metrics;
}

/** Builds the app; never listens. */
export function createMemoryApp(options: MemoryAppOptions): Express {
  options.metrics?.register('heap', () => {
    const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
    return { heapUsedMB: mb(heapUsed), heapTotalMB: mb(heapTotal), externalMB: mb(external), arrayBuffersMB: mb(arrayBuffers), rssMB: mb(rss) };
  });
  return createApiApp({
    store: createItemsRepository(options.db),
    metrics: options.metrics,
    routes: (app) => {
      app.use('/leaky', createLeakyRouter());
      app.use('/fixed', createFixedRouter());
    },
  });
}

const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;
