/**
 * Entry point: the items API on the 100k-item database, cached unless CACHE=off.
 *
 *   npm start              # cached (inside lessons/03-cache)
 *   CACHE=off npm start    # every read goes to SQLite
 */
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createCacheApp } from './app.ts';

const config = loadConfig();
const cacheFlag = process.env.CACHE ?? 'on';
if (cacheFlag !== 'on' && cacheFlag !== 'off') {
  console.error(`CACHE must be "on" or "off", got "${cacheFlag}"`);
  process.exit(1);
}

const db = openSeededDatabase(config);
const metrics = createMetrics();
const { app } = createCacheApp({ repo: createItemsRepository(db), cached: cacheFlag === 'on', metrics });

await serve(app, {
  name: `lesson-03 (cache ${cacheFlag})`,
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
