/**
 * The Express app factory every lesson builds on. It never listens: `server.ts` does that,
 * and tests listen on port 0.
 */
import { isUtf8 } from 'node:buffer';
import express, { type Express } from 'express';
import type { Metrics } from '../metrics/metrics.ts';
import { errorHandler, notFoundHandler, type ErrorLogger } from './error-handler.ts';
import { requestId } from './request-id.ts';
import { requireJson } from './require-json.ts';

/**
 * body-parser decodes a body with replacement: an invalid UTF-8 sequence becomes U+FFFD, is
 * stored, and two different bad sequences then read back as the same text (a `sku` collision).
 * The schemas' policy is to reject text that cannot be stored as sent, so reject it here, on
 * the raw bytes, before decoding. Other charsets are decoded by iconv and checked no further.
 */
function rejectInvalidUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding === 'utf-8' && !isUtf8(body)) {
    throw Object.assign(new Error('Request body is not valid UTF-8'), { type: 'encoding.invalid' });
  }
}

/** Options for {@link createApp}. */
export interface AppOptions {
  /** Adds the lesson's routes. Called after the common middleware, before the 404/error handlers. */
  routes: (app: Express) => void;
  /** When given, requests are counted and `GET /metrics` serves {@link Metrics.snapshot}. */
  metrics?: Metrics;
  /** Largest JSON body accepted (413 above it). Default `100kb`. */
  bodyLimit?: string | number;
  /** Where unexpected errors are logged; default console.error. */
  logError?: ErrorLogger;
}

/**
 * Builds an Express app with the course's conventions: no `X-Powered-By`, a request id,
 * JSON bodies up to a limit (415 for other types on writes, 400 for invalid UTF-8), JSON 404,
 * one error shape. With `metrics`: `GET /metrics` and `POST /metrics/reset`.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId());
  if (options.metrics) {
    app.use(options.metrics.middleware);
    app.get('/metrics', options.metrics.handler);
    app.post('/metrics/reset', options.metrics.resetHandler);
  }
  app.use(requireJson());
  app.use(express.json({ limit: options.bodyLimit ?? '100kb', verify: rejectInvalidUtf8 }));
  options.routes(app);
  app.use(notFoundHandler());
  app.use(errorHandler(options.logError));
  return app;
}
