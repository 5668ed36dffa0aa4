/**
 * Entry point, and the course's main service for now: the full items API on 127.0.0.1:3000
 * with the 100k-item database at the default path (data/course.db).
 *
 *   npm start                          # inside lessons/04-api
 *   CATALOG_CACHE=off npm start        # /catalog serialized per request
 */
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createApi } from './app.ts';

const config = loadConfig();
const catalogCache = process.env.CATALOG_CACHE ?? 'on';
if (catalogCache !== 'on' && catalogCache !== 'off') {
  console.error(`CATALOG_CACHE must be "on" or "off", got "${catalogCache}"`);
  process.exit(1);
}

const db = openSeededDatabase(config);
const metrics = createMetrics();
const app = createApi({ repo: createItemsRepository(db), metrics, catalog: catalogCache === 'on' ? 'buffered' : 'per-request' });

const running = await serve(app, {
  // LESSON: the start line says which /catalog variant this process serves.
  name: `lesson-04 (/catalog ${catalogCache === 'on' ? 'cached as one Buffer' : 'serialized per request'}, CATALOG_CACHE=${catalogCache})`,
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
console.log(`try ${running.url}/items?limit=3&fields=id,name  ·  ${running.url}/items/stats  ·  ${running.url}/metrics`);
