/**
 * Lesson 07's app: the items API plus one route pair per optimisation, baseline beside variant.
 *
 *   GET /catalogue/string   vs GET /catalogue/buffer     body encoded per request vs once
 *   GET /files/:name/buffered vs GET /files/:name/stream  readFile vs createReadStream + pipeline
 *   GET /stats/recompute    vs GET /stats/cached         table scan per request vs once per write
 *   GET /suggest?q=…        (memoized "did you mean", bounded)
 */
import type { Express } from 'express';
import { createApiApp, createItemsRepository, validationError, type Database, type Metrics } from '@course/shared';
import { createDownloadsRouter } from './downloads.ts';
import { helloBuffer, helloString } from './hello.ts';
import { boundedMemo, suggest } from './memo.ts';
import { statsOnWrite } from './stats-on-write.ts';

/** Dependencies of {@link createOptimizeApp}. */
export interface OptimizeAppOptions {
  db: Database;
  /** Folder the download routes serve (the generated big file lives there). */
  filesDir: string;
  metrics?: Metrics;
  /** Words `/suggest` picks from. */
  vocabulary?: readonly string[];
  /** Bound of the suggestion memo (entries). */
  memoEntries?: number;
  /** Buffered file downloads allowed at once (default 1); more are answered 503. */
  maxBufferedDownloads?: number;
}

/** Builds the app; never listens. */
export function createOptimizeApp(options: OptimizeAppOptions): Express {
  const repository = createItemsRepository(options.db);
  // Every write of the API goes through this wrapper, which is what keeps /stats/cached exact.
  const store = statsOnWrite(repository);
  const vocabulary = options.vocabulary ?? ['books', 'garden', 'kitchen', 'music', 'office', 'outdoor', 'sports', 'tools', 'toys', 'travel'];
  const suggestMemo = boundedMemo((q: string) => suggest(q, vocabulary), options.memoEntries ?? 1000);
  options.metrics?.register('optimize', () => ({
    statsComputations: store.computations,
    suggestMemo: { size: suggestMemo.size, hits: suggestMemo.hits, misses: suggestMemo.misses },
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }));

  return createApiApp({
    store,
    metrics: options.metrics,
    routes: (app) => {
      app.get('/catalogue/string', helloString());
      app.get('/catalogue/buffer', helloBuffer());
      app.use('/files', createDownloadsRouter(options.filesDir, { maxBuffered: options.maxBufferedDownloads }));
      app.get('/stats/recompute', (_req, res) => { res.json({ categories: repository.categoryStats() }); });
      app.get('/stats/cached', async (_req, res) => { res.json({ categories: await store.categoryStats() }); });
      app.get('/suggest', (req, res) => {
        const q = req.query.q;
        if (typeof q !== 'string' || q.length === 0 || q.length > 64) {
          throw validationError([{ field: 'q', message: 'must be a string of 1 to 64 characters' }]);
        }
        res.json({ query: q, suggestions: suggestMemo(q) });
      });
    },
  });
}
