/**
 * Entry point: `GET /leaky/leak`, `GET /fixed/leak`, the items API and /metrics.
 *
 *   pnpm --filter lesson-08 start
 *   node --inspect --import tsx src/server.ts     # then chrome://inspect → Memory panel
 */
import { createMetrics, loadConfig, openDatabase, seedItems, serve } from '@course/shared';
import { createMemoryApp } from './app.ts';

const config = loadConfig();
const db = openDatabase(config.dbPath);
seedItems(db, config.seedCount);
const metrics = createMetrics();
await serve(createMemoryApp({ db, metrics }), {
  name: 'lesson-08',
  port: config.port,
  host: config.host,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
