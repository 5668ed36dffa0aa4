/**
 * Lesson 11's worker with its cache kept coherent through Redis (redis-invalidation-channel.ts) instead of
 * through lesson 11's primary, which pm2 does not have. The ecosystem file runs this script in
 * place of lesson 11's worker when REDIS_URL is set.
 *
 * Every write publishes the id it changed, and answers only once every other worker has dropped
 * it: a read through any pm2 instance after the response is never stale, whatever CACHE_TTL_MS.
 */
import { createItemsRepository, createMetrics, loadConfig, openDatabase, serve } from '@course/shared';
import { createCoherentStore, createWorkerApp, loadClusterConfig, withBusyAs503 } from 'lesson-11';
import { createRedisInvalidationChannel } from './redis-invalidation-channel.ts';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  console.error('lesson-12 coherent worker: REDIS_URL must be set (e.g. redis://127.0.0.1:6379)');
  process.exit(1);
}
const config = loadConfig();
const clusterConfig = loadClusterConfig();
// start.ts seeded the file before pm2 started any instance.
const db = openDatabase(config.dbPath, { busyTimeoutMs: 0 }) // waited for off the event loop by withBusyAs503;
// One channel per database: instances of another app on the same Redis do not count as peers.
const channel = createRedisInvalidationChannel(redisUrl, { channel: `lesson-12:invalidate:${config.dbPath}` });
// LESSON: subscribe before serving, or a write made meanwhile could leave this cache stale.
await channel.ready;
const store = createCoherentStore(withBusyAs503(createItemsRepository(db), { budgetMs: clusterConfig.busyTimeoutMs }), channel, {
  max: clusterConfig.cacheMax,
  ttlMs: clusterConfig.cacheTtlMs,
});
const metrics = createMetrics();
metrics.register('cache', () => store.stats());
metrics.register('invalidation', () => channel.stats());

await serve(createWorkerApp({ store, metrics }), {
  name: 'lesson-12 worker (cache coherent through Redis)',
  config,
  onClose: async () => {
    metrics.close();
    await channel.close();
    db.close();
  },
}).catch((error: unknown) => {
  console.error(`lesson-12 coherent worker ${process.pid} cannot serve: ${(error as Error).message}`);
  process.exit(1);
});
