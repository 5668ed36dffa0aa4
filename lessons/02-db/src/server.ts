/**
 * Entry point: the items API on the SQLite file DB_PATH (default data/course.db), seeded
 * with SEED_COUNT items on first start. Listens on PORT (3000) at HOST (127.0.0.1).
 */
import { createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createLessonApp } from './app.ts';

const config = loadConfig();
const db = openSeededDatabase(config);
const metrics = createMetrics();

await serve(createLessonApp({ db, metrics }), {
  name: 'lesson-02',
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
