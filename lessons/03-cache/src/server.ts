/**
 * Entry point: the items API on the 100k-item database, cached unless CACHE=off.
 *
 *   pnpm --filter lesson-03 start            # cached
 *   CACHE=off pnpm --filter lesson-03 start  # every read goes to SQLite
 */
import { createItemsRepository, createMetrics, loadConfig, openDatabase, seedItems, serve } from '@course/shared';
import { createCacheApp } from './app.ts';

const config = loadConfig();
const cacheFlag = process.env.CACHE ?? 'on';
if (cacheFlag !== 'on' && cacheFlag !== 'off') {
  console.error(`CACHE must be "on" or "off", got "${cacheFlag}"`);
  process.exit(1);
}

const db = openDatabase(config.dbPath);
seedItems(db, config.seedCount);
const metrics = createMetrics();
const { app } = createCacheApp({ repo: createItemsRepository(db), cached: cacheFlag === 'on', metrics });

await serve(app, {
  name: `lesson-03 (cache ${cacheFlag})`,
  port: config.port,
  host: config.host,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
