/**
 * Entry point: `GET /leaky/leak`, `GET /fixed/leak`, the items API and /metrics.
 *
 *   pnpm --filter lesson-08 start
 *   node --inspect --import tsx src/server.ts     # then chrome://inspect → Memory panel
 */
import { createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createMemoryApp } from './app.ts';

const config = loadConfig();
const db = openSeededDatabase(config);
const metrics = createMetrics();
await serve(createMemoryApp({ db, metrics }), {
  name: 'lesson-08',
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
