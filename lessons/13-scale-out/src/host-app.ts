/**
 * A host's app: the course's items API on any store, with a /health that a draining host fails.
 */
import type { Express } from 'express';
import { createApp, createItemsRouter, type ItemsStore, type Metrics } from '@course/shared';

/** Dependencies of {@link createHostApp}. */
export interface HostAppOptions {
  store: ItemsStore;
  /** The host's name, sent as `X-Host` so tests and readers see which host answered. */
  hostName: string;
  /** True once the host is leaving: /health answers 503 from then on. */
  isDraining: () => boolean;
  metrics?: Metrics;
  logError?: (error: unknown) => void;
}

/** Builds the app; it never listens (src/worker.ts does). */
export function createHostApp(options: HostAppOptions): Express {
  return createApp({
    metrics: options.metrics,
    logError: options.logError,
    routes: (app) => {
      app.use((_req, res, next) => {
        res.setHeader('X-Host', options.hostName);
        res.setHeader('X-Worker-Pid', String(process.pid));
        next();
      });
      // LESSON: the balancer's health check. 503 while draining takes the host out of
      // rotation before it stops listening, so no request is sent to a closing host.
      app.get('/health', (_req, res) => {
        const draining = options.isDraining();
        res.status(draining ? 503 : 200).json({ status: draining ? 'draining' : 'ok', host: options.hostName, pid: process.pid });
      });
      app.use('/items', createItemsRouter(options.store));
    },
  });
}
