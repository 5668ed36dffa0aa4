/**
 * One worker of one host: the items API on PostgreSQL, with the cache the host was told to use.
 * Forked by lesson 11's primary (src/host.ts), which shares the host's port among its workers.
 */
import { createMetrics, loadConfig, serve, type ItemsStore } from '@course/shared';
import { Redis } from 'ioredis';
import { createLocalCoherentStore } from './cache/local-coherent-store.ts';
import { createRedisCacheStore, sharedCacheRedisOptions } from './cache/redis-cache-store.ts';
import { createRedisInvalidationChannel } from 'lesson-12/redis-invalidation';
import { createHostApp } from './host-app.ts';
import { loadHostConfig } from './host-config.ts';
import { createPgItemsRepository } from './items/pg-items-repository.ts';
import { createPgPool } from './items/pg-pool.ts';
import { isHostMessage } from './host-messages.ts';

const config = loadConfig();
const hostConfig = loadHostConfig();
const hostName = `${config.host}:${config.port}`;

// LESSON: one pool per worker, capped: the stack checked hosts × workers × POOL_MAX fits.
// Bounded waits and a bounded queue: overload is a quick 503, not a request stuck in a queue.
const pool = createPgPool(hostConfig);
const repo = createPgItemsRepository(pool, { maxWaiting: hostConfig.poolQueueMax });

const closers: (() => Promise<unknown>)[] = [];
let store: ItemsStore & { stats?: () => Record<string, number> } = repo;
if (hostConfig.cache === 'shared') {
  const redis = new Redis(hostConfig.redisUrl, sharedCacheRedisOptions);
  redis.on('error', (error: Error) => console.error(`worker ${process.pid}: redis: ${error.message}`));
  closers.push(() => redis.quit());
  store = createRedisCacheStore(repo, redis, { ttlMs: hostConfig.cacheTtlMs });
} else if (hostConfig.cache === 'local') {
  const channel = createRedisInvalidationChannel(hostConfig.redisUrl);
  await channel.ready;
  closers.push(() => channel.close());
  store = createLocalCoherentStore(repo, channel, { ttlMs: hostConfig.cacheTtlMs });
}

const metrics = createMetrics();
if (store.stats) metrics.register('cache', store.stats);
metrics.register('pool', () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));

let draining = false;
const app = createHostApp({ store, hostName, isDraining: () => draining, metrics });
const running = await serve(app, {
  name: `lesson-13 worker (${hostName}, cache ${hostConfig.cache})`,
  config,
  onClose: async () => {
    metrics.close();
    await Promise.allSettled(closers.map((close) => close()));
    await pool.end();
    // Same reason as lesson 11's worker: read connections still in the IPC pipe before exiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
  },
}).catch((error: unknown) => {
  console.error(`lesson-13 worker ${process.pid} cannot serve: ${(error as Error).message}`);
  process.exit(1);
});
// LESSON: an idle connection from HAProxy must be closed by HAProxy (which would reuse it),
// never by us under it: our idle timeout (30 s) outlasts HAProxy's idle pool (pool-purge-delay).
running.server.keepAliveTimeout = hostConfig.keepAliveTimeoutMs;

process.on('message', (message) => {
  if (isHostMessage(message, 'lame-duck')) {
    draining = true;
  } else if (isHostMessage(message, 'shutdown')) {
    draining = true;
    running.close().then(({ timedOut }) => process.exit(timedOut ? 1 : 0), () => process.exit(1));
  }
});
