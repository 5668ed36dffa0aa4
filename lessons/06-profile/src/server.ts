/**
 * `cd lessons/06-profile && npm start`: the items API with /slow and /fixed endpoints on
 * 127.0.0.1:3006. CATALOG_SIZE (default 2000) items are loaded once into memory.
 */
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createProfileApp } from './app.ts';

const config = loadConfig(process.env, { port: 3006 });
const catalogSize = Number(process.env.CATALOG_SIZE ?? 2000);
if (!Number.isInteger(catalogSize) || catalogSize < 1 || catalogSize > 100_000) {
  console.error(`CATALOG_SIZE must be an integer from 1 to 100000, got "${process.env.CATALOG_SIZE}"`);
  process.exit(2);
}
const db = openSeededDatabase(config);
const store = createItemsRepository(db);
const metrics = createMetrics();

await serve(createProfileApp({ store, catalog: store.list({ limit: catalogSize }), metrics }), {
  name: 'lesson-06',
  config,
  onClose: () => { metrics.close(); db.close(); },
});
