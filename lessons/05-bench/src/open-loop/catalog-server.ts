/**
 * The open-loop sweep's target: lesson 04's catalogue served two ways on one server, so the
 * sweep has a known slow path and its fix from an earlier lesson. `/slow/catalog`
 * stringifies (and Express hashes) the list on every request; `/fixed/catalog` sends the
 * bytes encoded once.
 */
import { join } from 'node:path';
import { createApp, createItemsRepository, createMetrics, loadConfig, openSeededDatabase, repoRoot, serve } from '@course/shared';
import { createCatalog } from 'lesson-04';

const config = loadConfig(process.env, { port: 3015, dbPath: join(repoRoot, 'data', 'lesson-05-catalog.db') });
const db = openSeededDatabase(config);
const store = createItemsRepository(db);
const metrics = createMetrics();
// 2000 items (~400 KB of JSON): slow enough per request that the knee shows within seconds.
const size = Number(process.env.CATALOG_SIZE ?? 2000);
const slow = createCatalog(store, { mode: 'per-request', size });
const fixed = createCatalog(store, { mode: 'buffered', size });

const app = createApp({
  metrics,
  routes: (app) => {
    app.get('/slow/catalog', slow.handler);
    app.get('/fixed/catalog', fixed.handler);
  },
});

await serve(app, {
  name: 'lesson-05 (lesson 04 catalogue)',
  config,
  onClose: () => { metrics.close(); db.close(); },
});
