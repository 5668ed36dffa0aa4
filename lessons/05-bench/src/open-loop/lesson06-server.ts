/**
 * Lesson 06's app (its /slow and /fixed endpoints), served unchanged from lesson-06's
 * exports, for the open-loop sweep: a known slow path and its fix.
 */
import { join } from 'node:path';
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, repoRoot, serve } from '@course/shared';
import { createProfileApp } from 'lesson-06';

const config = loadConfig(process.env, { port: 3016, dbPath: join(repoRoot, 'data', 'lesson-06.db') });
const db = openSeededDatabase(config);
const store = createItemsRepository(db);
const metrics = createMetrics();

// The catalogue lesson 06 works on: 2000 items held in memory (its CATALOG_SIZE default).
await serve(createProfileApp({ store, catalog: store.list({ limit: 2000 }), metrics }), {
  name: 'lesson-05 (lesson 06 app)',
  config,
  onClose: () => { metrics.close(); db.close(); },
});
