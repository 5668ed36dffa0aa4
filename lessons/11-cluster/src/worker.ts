/**
 * One worker: the full API (SQLite + lesson 03's cache) on the shared port.
 *
 * Runs under this lesson's primary (src/server.ts), as pm2's script in cluster mode
 * (lesson 12), or alone (`node --import tsx src/worker.ts`: the one-process baseline).
 */
import cluster from 'node:cluster';
import { createItemsRepository, createMetrics, loadConfig, openDatabase, seedItems, serve } from '@course/shared';
import { createWorkerApp } from './app.ts';
import { withBusyAs503 } from './busy-as-503.ts';
import { loadClusterConfig } from './cluster-config.ts';
import { createCoherentStore } from './coherent-store.ts';
import { createIpcInvalidationChannel } from './invalidation-channel.ts';
import { isMessage } from './messages.ts';

const config = loadConfig();
const clusterConfig = loadClusterConfig();
const db = openDatabase(config.dbPath, { busyTimeoutMs: clusterConfig.busyTimeoutMs });
// Alone, this process owns the file and seeds it. In a cluster the primary (or lesson 12's
// start script) seeded it before forking: workers racing to seed would collide.
if (cluster.isPrimary) seedItems(db, config.seedCount);

// Only this lesson's primary relays invalidations, and it says so with CACHE_RELAY=1.
// pm2 does not, so under pm2 each cache is local and CACHE_TTL_MS bounds staleness.
const relayed = cluster.isWorker && process.env.CACHE_RELAY === '1';
const channel = relayed ? createIpcInvalidationChannel(process) : undefined;
const store = createCoherentStore(withBusyAs503(createItemsRepository(db)), channel, {
  max: clusterConfig.cacheMax,
  ttlMs: clusterConfig.cacheTtlMs,
});
const metrics = createMetrics();
metrics.register('cache', () => store.stats());
if (channel) metrics.register('invalidation', () => channel.stats());

const running = await serve(createWorkerApp({ store, metrics }), {
  name: `lesson-11 worker${relayed ? '' : ' (local cache)'}`,
  config,
  onClose: async () => {
    metrics.close();
    db.close();
    // LESSON: in a cluster the primary accepts connections and passes each to a worker over
    // IPC. One passed just as this worker closed is still in the pipe: read it, and Node
    // answers "not accepted" so the primary gives it to another worker. Exit at once and that
    // connection hangs in the primary until the client times out.
    if (cluster.isWorker) await new Promise((resolve) => setTimeout(resolve, clusterConfig.exitLingerMs));
  },
}).catch((error: unknown) => {
  // e.g. EADDRINUSE: one line with the reason, and a non-zero exit a supervisor can see.
  console.error(`lesson-11 worker ${process.pid} cannot serve: ${(error as Error).message}`);
  process.exit(1);
});

// The primary's graceful stop: same drain as SIGTERM, without a signal that a terminal's
// Ctrl+C may already have delivered (a second signal would mean "exit now").
process.on('message', (message) => {
  if (!isMessage(message, 'shutdown')) return;
  console.log(`worker ${process.pid}: the primary asked for shutdown: draining`);
  running.close().then(({ timedOut }) => process.exit(timedOut ? 1 : 0), () => process.exit(1));
});
