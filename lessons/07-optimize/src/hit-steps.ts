/**
 * A cache hit of `GET /items/:id`, built up one step at a time, so a bench can price each step.
 *
 * Every step is a whole server answering the same request with the same body: the first is
 * node:http with lesson 03's cache and one JSON.stringify, each later one adds exactly one
 * thing of what the course's service runs (Express's router, then each course middleware in
 * the order createApp installs them, then the ETag hash). The last three are the service
 * itself, createApiApp on lesson 03's cache: as it was (the item serialized and hashed per hit),
 * with encoded entries (bytes and ETag cached), and behind shared's hot path, which is what
 * lesson 11's worker (the course's main service) runs, less its X-Worker-Pid header.
 */
import type { RequestListener } from 'node:http';
import express from 'express';
import {
  createApiApp, errorHandler, notFound, notFoundHandler, parseId, requestId, requireJson, withHotItemReads,
  type EncodedItemCache, type ItemsStore, type Metrics,
} from '@course/shared';

/** The steps, cumulative: each includes every step before it. */
export const hitSteps = [
  'cache+stringify',
  '+express-router',
  '+request-id',
  '+metrics',
  '+content-type',
  '+body-parser',
  '+error-handler',
  '+etag',
  'service-stringify',
  'service',
  'hot-path',
] as const;

export type HitStep = (typeof hitSteps)[number];

/** What a step server needs: the cached store, and the metrics its middleware records into. */
export interface HitStepDeps {
  store: ItemsStore & EncodedItemCache;
  metrics: Metrics;
}

const itemPath = /^\/items\/([1-9][0-9]{0,14})$/;
const jsonType = 'application/json; charset=utf-8';

/** node:http, lesson 03's cache, JSON.stringify per hit: the least a cached read can do. */
function cacheAndStringify(store: ItemsStore): RequestListener {
  return (req, res) => {
    const match = req.method === 'GET' ? itemPath.exec(req.url ?? '') : null;
    if (!match) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void Promise.resolve(store.get(Number(match[1]))).then((item) => {
      const body = item ? JSON.stringify(item) : '{"error":{"code":"NOT_FOUND","message":"Item not found"}}';
      res.statusCode = item ? 200 : 404;
      res.setHeader('Content-Type', jsonType);
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    });
  };
}

/** Express with the course's middleware up to and including `step`, in createApp's order. */
function expressUpTo(step: HitStep, { store, metrics }: HitStepDeps): RequestListener {
  const has = (s: HitStep): boolean => hitSteps.indexOf(s) <= hitSteps.indexOf(step);
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every body for a weak ETag unless told not to: its own step, near the end.
  app.set('etag', has('+etag'));
  if (has('+request-id')) app.use(requestId());
  if (has('+metrics')) app.use(metrics.middleware);
  if (has('+content-type')) app.use(requireJson());
  if (has('+body-parser')) app.use(express.json({ limit: '100kb' }));
  app.get('/items/:id', async (req, res) => {
    const item = await store.get(parseId(req.params.id));
    if (!item) throw notFound('Item');
    res.json(item);
  });
  if (has('+error-handler')) {
    app.use(notFoundHandler());
    app.use(errorHandler());
  }
  return app;
}

/** The server for `step`. */
export function createHitStep(step: HitStep, deps: HitStepDeps): RequestListener {
  switch (step) {
    case 'cache+stringify': return cacheAndStringify(deps.store);
    case 'service-stringify': {
      // The store without its encoded reads: the router falls back to res.json(item).
      const { store } = deps;
      const plain: ItemsStore = {
        get: (id) => store.get(id), list: (q) => store.list(q), categoryStats: () => store.categoryStats(),
        create: (input) => store.create(input), update: (id, patch) => store.update(id, patch), delete: (id) => store.delete(id),
      };
      return createApiApp({ store: plain, metrics: deps.metrics });
    }
    case 'service': return createApiApp({ store: deps.store, metrics: deps.metrics });
    case 'hot-path': return withHotItemReads(createApiApp({ store: deps.store, metrics: deps.metrics }), { cache: deps.store, metrics: deps.metrics });
    default: return expressUpTo(step, deps);
  }
}

/** Parses the HIT_STEP environment variable. */
export function parseHitStep(raw: string | undefined): HitStep {
  const step = hitSteps.find((s) => s === raw);
  if (!step) throw new Error(`HIT_STEP must be one of ${hitSteps.join(', ')}, got "${raw}"`);
  return step;
}
