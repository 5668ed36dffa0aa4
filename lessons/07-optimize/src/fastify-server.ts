/**
 * Entry point: the items API on fastify (src/fastify-app.ts) over an in-memory database of
 * SEED_COUNT items (default 1000) behind lesson 03's cache, served by the shared lifecycle
 * (graceful shutdown, readiness for the bench), as the Express service is.
 *
 *   DB_PATH=:memory: node --import tsx src/fastify-server.ts
 */
import { createItemsRepository, createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createCachedStore } from 'lesson-03';
import { createFastifyApi } from './fastify-app.ts';

const config = loadConfig(process.env, { dbPath: ':memory:', seedCount: 1000 });
const db = openSeededDatabase(config);
const metrics = createMetrics();
const app = createFastifyApi({ store: createCachedStore(createItemsRepository(db)), metrics });
await app.ready();
await serve((req, res) => app.routing(req, res), {
  name: 'lesson-07 items API on fastify',
  config,
  onClose: async () => {
    await app.close();
    metrics.close();
    db.close();
  },
});
