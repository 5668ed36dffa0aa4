/**
 * GET /index on Express 5, in the three shapes a reader meets: the app everyone writes, the
 * same app with Express's per-response work switched off, and the course's app factory.
 */
import express, { type Express, type RequestHandler } from 'express';
import { createApp, createMetrics, errorBody, notFound, type Metrics } from '@course/shared';
import { indexBody, indexPayload, jsonContentType } from './payload.ts';

/** A JSON 404 in the course's shape, as the last middleware (reached only on a miss). */
const jsonNotFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(notFound(`Route ${req.method} ${req.path}`)));
};

/**
 * The Express app as it is usually written: `express()`, one route, `res.json()`.
 * The honest counterpart of {@link createBareHandler}: same route, same body, no middleware.
 */
export function createExpressApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  // LESSON: res.json() stringifies, sets Content-Type through the mime lookup, hashes the body
  // for a weak ETag, checks request freshness, and only then calls res.end().
  app.get('/index', (_req, res) => { res.json(indexPayload); });
  app.use(jsonNotFound);
  return app;
}

/**
 * The same route with Express's per-response work removed: no ETag, pre-encoded body written
 * with `res.setHeader` + `res.end` as on bare node:http. What is left is the router and
 * Express's per-request set-up (prototype swap, `req.res`/`res.req`, locals).
 */
export function createLeanExpressApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/index', (_req, res) => {
    res.setHeader('Content-Type', jsonContentType);
    res.setHeader('Content-Length', indexBody.length);
    res.end(indexBody);
  });
  app.use(jsonNotFound);
  return app;
}

/**
 * The route inside the course's app factory (`createApp` from @course/shared): request id,
 * metrics, the 415 check, the JSON body parser, JSON 404 and error handler. What every later
 * lesson pays per request before its own handler runs.
 */
export function createCourseApp(metrics: Metrics = createMetrics()): Express {
  return createApp({
    metrics,
    routes: (app) => {
      app.get('/index', (_req, res) => { res.json(indexPayload); });
    },
  });
}
