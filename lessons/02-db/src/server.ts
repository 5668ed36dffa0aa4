/**
 * Entry point: the items API on the SQLite file DB_PATH (default data/course.db), seeded
 * with SEED_COUNT items on first start. Listens on PORT (3000) at HOST (127.0.0.1).
 */
import { createMetrics, loadConfig, openDatabase, seedItems, serve } from '@course/shared';
import { createLessonApp } from './app.ts';

const config = loadConfig();
const db = openDatabase(config.dbPath);
const started = performance.now();
const seeded = seedItems(db, config.seedCount);
if (seeded > 0) console.log(`seeded ${seeded} items into ${config.dbPath} in ${Math.round(performance.now() - started)} ms`);
const metrics = createMetrics();

await serve(createLessonApp({ db, metrics }), {
  name: 'lesson-02',
  port: config.port,
  host: config.host,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
